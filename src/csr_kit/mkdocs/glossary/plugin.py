"""csr-glossary: the glossary page and English on a term's first use."""

from __future__ import annotations

import functools
import html as html_lib
import logging
import os

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.pages import Page

from ... import directives, glossary as lib
from ...convert.engine import plain
from ...errors import Problem, SourceError, SourceErrors
from ...mdsource import one_line, replace_spans
from ..common import (Reporter, build_script, is_source_build,
                      page_source, project_path, shown)
from .config import GlossaryConfig

log = logging.getLogger("mkdocs.plugins.csr_kit.glossary")


@functools.lru_cache(maxsize=4)
def _load(path: str, shown_as: str, mtime: float, size: int) -> lib.Glossary:
    return lib.load(path, shown_as)


def load_glossary(config: MkDocsConfig, relative: str) -> lib.Glossary:
    """The glossary, parsed once while the file is unchanged (shared by the plugins)."""
    path = project_path(config, relative)
    stat = os.stat(path)
    return _load(str(path), shown(config, path), stat.st_mtime, stat.st_size)


def _same_word(a: str, b: str) -> bool:
    simplify = plain("hk2s").convert
    return simplify(a) == simplify(b)


class GlossaryPlugin(BasePlugin[GlossaryConfig]):
    def __init__(self) -> None:
        self.reporter = Reporter(log)
        self.glossary = lib.Glossary()

    def _source_script(self, config: MkDocsConfig) -> str:
        convert = config.plugins.get("csr-convert")
        return convert.source_script if convert else build_script(config)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.reporter.reset()
        path = project_path(config, self.config.glossary)
        if not os.path.exists(path):
            self.reporter.report([Problem(self.config.glossary, None, "the glossary file is missing",
                                          "create it, or set glossary: in mkdocs.yml")])
            self.reporter.stop_if_errors("the glossary")
        try:
            self.glossary = load_glossary(config, self.config.glossary)
        except (SourceError, SourceErrors) as err:
            self.reporter.capture(err)
            self.reporter.stop_if_errors("the glossary")
        return config

    @event_priority(20)
    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files) -> str:
        source = page_source(page, markdown, config)
        if is_source_build(config):
            self.reporter.report(lib.inconsistent_uses(source, self.glossary, _same_word))
        found = directives.find(source, {"glossary"})
        if not found:
            return markdown
        script = build_script(config)
        table = lib.glossary_table(self.glossary, script, self._source_script(config))
        replacements = []
        for d in found:
            if not d.standalone:
                if is_source_build(config):
                    self.reporter.report([Problem(source.path, d.line,
                                                  "{{glossary}} must stand alone on its line",
                                                  "put it on a line of its own")])
                continue
            # One line, like the directive, so later plugins still report true line numbers.
            replacements.append((d.start, d.end, one_line(table)))
        return replace_spans(markdown, replacements)

    @event_priority(-20)  # after csr-convert, so terms are matched in the page's script
    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files) -> str:
        if not self.config.first_use or "csr-glossary" in html:
            return html
        convert = config.plugins.get("csr-convert")
        return lib.annotate_first_use(
            html, self.glossary, build_script(config),
            (lambda text: html_lib.unescape(
                convert.convert_fragment(html_lib.escape(text), page, config)))
            if convert else None)

    def on_env(self, env, config: MkDocsConfig, files):
        self.reporter.stop_if_errors("the glossary and its uses")
        return env
