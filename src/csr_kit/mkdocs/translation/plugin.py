"""csr-translation: editions written by translators (English) beside the Chinese ones.

Pages are written by hand as ``page.en.md``; figures, indexes and the glossary come
from the same data as the Chinese editions.  A page with no translation is never
published with the Chinese text: it becomes a "not yet translated" notice, or is
left out (``untranslated: omit``).  Translation status: which version of each source
section a translation follows (``data/translations.yml``).
"""

from __future__ import annotations

import logging

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority

from ..common import Reporter
from ..context import begin
from .config import TranslationConfig

log = logging.getLogger("mkdocs.plugins.csr_kit.translation")


class TranslationPlugin(BasePlugin[TranslationConfig]):
    def __init__(self) -> None:
        self.reporter = Reporter(log)

    @event_priority(-105)  # after mkdocs-static-i18n (-100) has chosen the language
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.reporter.reset()
        self.ctx = begin(config)
        return config
