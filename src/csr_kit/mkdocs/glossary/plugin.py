"""csr-glossary: the glossary page and English on a term's first use."""

from __future__ import annotations

import html as html_lib
import logging

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.pages import Page

from ... import glossary as lib
from ...convert.engine import plain
from ...errors import Problem
from ...mdsource import one_line
from ...report_model import BUG_HINT
from ...text import MissingLabel
from ..common import Reporter
from ..context import begin, language_build
from .config import GlossaryConfig

log = logging.getLogger("mkdocs.plugins.csr_kit.glossary")


def _same_word(a: str, b: str) -> bool:
    simplify = plain("hk2s").convert
    return simplify(a) == simplify(b)


class GlossaryPlugin(BasePlugin[GlossaryConfig]):
    def __init__(self) -> None:
        self.reporter = Reporter(log)
        self.glossary = lib.Glossary()

    @event_priority(-105)  # after mkdocs-static-i18n (-100) has chosen the language
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.reporter.reset()
        self.ctx = begin(config)
        self.glossary = self.ctx.build.report_data(config).glossary
        self._definitions: dict[tuple[str, bool], dict[str, str]] = {}
        return config

    @event_priority(20)
    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig,
                         files) -> str:
        ctx = language_build(config)
        model = ctx.page(page, markdown)
        if ctx.reports(page) and not ctx.is_translated:
            # Checked in the page as written: -{…}- markup is the author's deliberate wording.
            kept = [(m.start, m.end) for m in model.markup[0]]
            self.reporter.report(lib.inconsistent_uses(model.source, self.glossary, _same_word,
                                                        kept, ctx.source_script))
        found = model.directives_named({"glossary"})
        if not found:
            return markdown
        try:
            table = lib.glossary_table(self.glossary, ctx.script, ctx.source_script)
        except MissingLabel as err:
            # The data check names every missing English definition first: a kit bug.
            self.reporter.report([Problem(model.path, found[0].line, "csr-kit found no text in "
                                          f"this edition's language for {{{{glossary}}}} ({err})",
                                          BUG_HINT)])
            return markdown
        for d in found:
            if not d.standalone:
                if ctx.reports(page):
                    self.reporter.report([Problem(model.path, d.line,
                                                  "{{glossary}} must stand alone on its line",
                                                  "put it on a line of its own")])
                continue
            # One line, like the directive: the page's lines stay where the file has them.
            model.replace(d.start, d.end, one_line(table))
        return model.text()

    @event_priority(-20)  # after csr-convert, so terms are matched in the page's script
    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files) -> str:
        ctx = language_build(config)
        if not self.config.first_use or "csr-glossary" in html or ctx.is_translated:
            return html  # a translated edition explains terms in its own words
        # A definition reads the same on every page shown the same way: converted once.
        shown = self._definitions.setdefault((ctx.language, ctx.converts(page)), {})

        def definition(text: str) -> str:
            if text not in shown:
                shown[text] = html_lib.unescape(ctx.convert_fragment(html_lib.escape(text), page))
            return shown[text]

        return lib.annotate_first_use(html, self.glossary, ctx.script, definition)

    def on_env(self, env, *, config: MkDocsConfig, files):
        self.reporter.stop_if_errors("the glossary and its uses")
        return env
