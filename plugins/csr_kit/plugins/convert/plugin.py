"""csr-convert: publish the converted-script site from the source pages.

Conversion runs on the rendered HTML of each page (text nodes, alt and
title), so code, URLs, ids and every attribute stay byte-identical, and
heading ids (made from the source text) match across scripts.
"""

from __future__ import annotations

import logging
import os
import re

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

from ... import directives
from ...convert import markup
from ...convert.engine import CONFIG_SCRIPTS, Converter, get_converter
from ...convert.html import convert_html, protect
from ...convert.review import (ReviewEntry, review_html, review_page, unconverted_ranges,
                               wrong_script)
from ...errors import Problem, SourceError, SourceErrors, suggestion
from ...glossary import Glossary
from ..common import (Reporter, build_language, default_language, is_source_build,
                      languages, page_language, page_source, project_path)
from ..glossary.plugin import load_glossary
from .config import ConvertConfig

log = logging.getLogger("mkdocs.plugins.csr_kit.convert")


class ConvertPlugin(BasePlugin[ConvertConfig]):
    def __init__(self) -> None:
        self.reporter = Reporter(log)
        self.converter: Converter | None = None
        self.review: list[ReviewEntry] = []
        self._saved: dict[str, str | None] = {}

    # --- state for the language being built --------------------------------------------

    @property
    def source_script(self) -> str:
        return CONFIG_SCRIPTS[self.config.opencc][0]

    def active(self, config: MkDocsConfig) -> bool:
        """Whether this build publishes converted pages."""
        return build_language(config) == self.config.language

    def converts(self, page: Page, config: MkDocsConfig) -> bool:
        """A page is converted when it is shown in the target language but not written in it."""
        return self.active(config) and page_language(page, config) != self.config.language

    def convert_text(self, text: str) -> str:
        return markup.convert_plain(text, self.config.language, self.converter.convert)

    def convert_fragment(self, fragment: str, page: Page, config: MkDocsConfig) -> str:
        """For other plugins that add HTML after the page conversion ran."""
        if self.converter and self.converts(page, config):
            return convert_html(fragment, self.converter.convert)
        return fragment

    # --- events ------------------------------------------------------------------------

    @event_priority(-110)  # after mkdocs-static-i18n has set the language's config
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.reporter.reset()
        self.review = []
        glossary = Glossary()
        if self.config.glossary:
            path = project_path(config, self.config.glossary)
            if os.path.exists(path):
                try:
                    glossary = load_glossary(config, self.config.glossary)
                except (SourceError, SourceErrors) as err:
                    self.reporter.capture(err)
                    self.reporter.stop_if_errors("the glossary")
        self.converter = get_converter(self.config.opencc,
                                       glossary.phrase_rules(self.source_script))
        self._saved = {"site_name": config.site_name,
                       "site_description": config.site_description}
        text = self.text_function(config)
        config.site_name = text(config.site_name)
        if config.site_description:
            config.site_description = text(config.site_description)
        return config

    def text_function(self, config: MkDocsConfig):
        """How a short text from the configuration is shown in this build.

        The converted build converts it (honouring its markup); any other
        build only replaces markup with the text for its own script.
        """
        if self.active(config):
            return self.convert_text
        language = build_language(config)
        return lambda text: markup.convert_plain(text, language, None)

    @event_priority(-110)  # after the i18n plugin has built this language's navigation
    def on_nav(self, nav: Navigation, config: MkDocsConfig, files) -> Navigation:
        text = self.text_function(config)
        for item in nav.items:
            self._convert_nav_item(item, text)
        return nav

    def _convert_nav_item(self, item, text) -> None:
        if isinstance(item, Section):
            item.title = text(item.title)
            for child in item.children:
                self._convert_nav_item(child, text)
        elif isinstance(item, Page):
            # A title given in the nav of mkdocs.yml overrides the page's own one.
            if isinstance(vars(item).get("title"), str):
                item.title = text(item.title)
        elif getattr(item, "title", None):
            item.title = text(item.title)

    @event_priority(40)  # first of the csr plugins: markup positions are still the file's
    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files) -> str:
        source = page_source(page, markdown, config)
        language = page_language(page, config)
        found, markup_problems = markup.scan(source)
        if is_source_build(config):
            # Every check runs even when some markup is broken, so one pass shows all.
            self.reporter.report(markup_problems)
            self.reporter.report(markup.check_variants(found, languages(config), source.path))
            self.reporter.report(unknown_directives(source, config))
            if self.config.lint_scripts and language == default_language(config):
                self.reporter.report(wrong_script(source, self.source_script,
                                                  [(m.start, m.end) for m in found]
                                                  + unconverted_ranges(source)))
        if markup_problems:
            return markdown
        ids = self._heading_ids(source, found, language, config)
        if self.converts(page, config):
            if self.config.review:
                self.review.extend(review_page(source, self.converter.convert,
                                               self.converter.phrases, self.source_script,
                                               [(m.start, m.end) for m in found]))
            return markup.apply(source, found, self.config.language, protect, ids)
        for key in ("title", "description"):  # front matter: markup gives this script's text
            if isinstance(page.meta.get(key), str):
                page.meta[key] = markup.convert_plain(page.meta[key], language, None)
        return markup.apply(source, found, language, None, ids)

    def _heading_ids(self, source, found, language: str, config: MkDocsConfig):
        """Ids for headings whose per-script markup would give each script another slug."""
        if not any(m.keep is None for m in found):
            return []
        if "attr_list" not in config.markdown_extensions:
            return []
        toc = config.mdx_configs.get("toc", {}) or {}
        slugify = toc.get("slugify")
        if slugify is None:
            from markdown.extensions.toc import slugify
        return markup.heading_ids(source, found, language, languages(config),
                                  lambda text: slugify(text, toc.get("separator", "-")))

    @event_priority(0)
    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files) -> str:
        if not self.converts(page, config):
            return html
        convert = self.converter.convert
        converted = convert_html(html, convert)
        before, after = heading_texts(html), heading_texts(converted)
        if isinstance(page.meta.get("title"), str):
            page.meta["title"] = self.convert_text(page.meta["title"])
        elif not isinstance(vars(page).get("title"), str):  # nav titles: see on_nav
            # The title comes from the first H1: take it from the converted page,
            # where -{…}- markup has kept what it should.
            first = next(iter(after.values()), None)
            if getattr(page, "_title_from_render", None) and first and first[0] == 1:
                page.meta["title"] = first[1]
            else:
                page.meta["title"] = convert_html(page.title or "", convert)
        if page.meta.get("description"):
            page.meta["description"] = self.convert_text(str(page.meta["description"]))
        for item in page.toc:
            self._convert_toc(item, before, after, convert)
        return converted

    def _convert_toc(self, item, before, after, convert) -> None:
        """A TOC title as its heading reads after conversion (titles stay HTML-escaped)."""
        if item.id in after and before.get(item.id, (0, None))[1] == item.title:
            item.title = after[item.id][1]
        else:  # a title of its own (data-toc-label): convert it as HTML text
            item.title = convert_html(item.title, convert)
        for child in item.children:
            self._convert_toc(child, before, after, convert)

    def on_env(self, env, config: MkDocsConfig, files):
        self.reporter.stop_if_errors("the pages' conversion markup")
        return env

    @event_priority(0)  # before mkdocs-static-i18n (-100) starts the next language's build
    def on_post_build(self, config: MkDocsConfig) -> None:
        if self.active(config) and self.config.review:
            self._write_review(config)
        for key, value in self._saved.items():
            config[key] = value

    def _write_review(self, config: MkDocsConfig) -> None:
        language = self.config.language
        folder = config.site_dir
        if language != default_language(config):
            folder = os.path.join(folder, language)
        os.makedirs(folder, exist_ok=True)
        body = review_html(self.review, "Conversion review", self.config.opencc)
        page = ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                "<meta name=\"robots\" content=\"noindex\"><title>Conversion review</title>"
                "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
                "td,th{border:1px solid #ccc;padding:.25em .5em;text-align:left}</style>"
                f"</head><body>{body}</body></html>")
        with open(os.path.join(folder, self.config.review_file), "w", encoding="utf-8") as out:
            out.write(page)


_HEADING_HTML = re.compile(r"<h([1-6])\b([^>]*)>(.*?)</h\1\s*>", re.S | re.I)
_ID_ATTR = re.compile(r"""\sid\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_HEADERLINK = re.compile(r"<a\b[^>]*class=\"headerlink\"[^>]*>.*?</a>", re.S)
_FOOTNOTE_REF = re.compile(r"<sup\b[^>]*id=\"fnref[^\"]*\"[^>]*>.*?</sup>", re.S)
_IMG_ALT = re.compile(r"<img\b[^>]*\balt=\"([^\"]*)\"[^>]*>")


def heading_texts(page_html: str) -> dict[str, tuple[int, str]]:
    """Each heading's id → (level, its text as MkDocs puts it in the TOC: tags stripped)."""
    found = {}
    for m in _HEADING_HTML.finditer(page_html):
        ident = _ID_ATTR.search(m.group(2))
        if not ident:
            continue
        inner = _FOOTNOTE_REF.sub("", _HEADERLINK.sub("", m.group(3)))
        inner = _IMG_ALT.sub(r"\1", inner)
        text = " ".join(re.sub(r"<[^>]*>", "", re.sub(r"<!--.*?-->", "", inner, flags=re.S)).split())
        found.setdefault(ident.group(1) if ident.group(1) is not None else ident.group(2),
                         (int(m.group(1)), text))
    return found


def unknown_directives(source, config: MkDocsConfig) -> list[Problem]:
    """Directives no enabled plugin will expand: a typo or a plugin left out of mkdocs.yml."""
    problems = []
    for d in directives.find(source):
        owner = directives.KNOWN.get(d.name)
        if owner and owner in config.plugins:
            continue
        if owner:
            hint = f"add {owner} under plugins: in mkdocs.yml"
            what = f"'{{{{{d.name}}}}}' needs the {owner} plugin"
        else:
            hint = suggestion(d.name, directives.KNOWN) or "check the spelling of the directive"
            what = f"'{{{{{d.name} …}}}}' is not a known directive"
        problems.append(Problem(source.path, d.line, what, hint, category="directives"))
    return problems
