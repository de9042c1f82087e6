"""Reporting frameworks: definitions, tags in pages, generated index appendices."""
