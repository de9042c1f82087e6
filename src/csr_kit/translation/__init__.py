"""Editions written by translators: the sections a translation follows and their status.

No MkDocs imports here except in :mod:`.commands` (the ``csr-kit translation`` commands).
"""
