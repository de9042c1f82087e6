"""csr-translation: editions written by translators (English) beside the Chinese ones.

Pages are written by hand as ``page.en.md``; figures, indexes and the glossary come
from the same data as the Chinese editions.  A page with no translation is never
published with the Chinese text: it becomes a "not yet translated" notice, or is
left out of the edition's navigation as well (``untranslated: omit``).  Chinese text
left in a translated page is reported with its line.  Translation status (which
version of each source section a translation follows, ``data/translations.yml``) is
``csr-kit translation``'s: the build never reports it, so a strict build stays clean.
"""

from __future__ import annotations

import logging

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

from ...errors import Problem
from ...mdsource import SourceText
from ...text import script_of
from ...translation import lint, notice
from ..common import Reporter
from ..context import LanguageBuild, begin, language_build
from .config import TranslationConfig

log = logging.getLogger("mkdocs.plugins.csr_kit.translation")


class TranslationPlugin(BasePlugin[TranslationConfig]):
    def __init__(self) -> None:
        self.reporter = Reporter(log)

    @event_priority(-105)  # after mkdocs-static-i18n (-100) has chosen the language
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.reporter.reset()
        self.ctx = begin(config)
        if self.ctx.is_translated and notice.text_for(self.ctx.language) is None:
            self.reporter.report([Problem(
                self.ctx.build.shown(config.config_file_path or "mkdocs.yml"), None,
                f"csr-translation has no 'not yet translated' notice in '{self.ctx.language}'",
                "the kit's translated editions are English (en, en-GB, …); build this "
                "language with build: false until the kit supports it", category="config")])
            self.reporter.stop_if_errors("the translated languages")
        return config

    @event_priority(-110)  # after mkdocs-static-i18n (-100) chose each page's file
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Every page this edition has no translation of becomes a notice page."""
        ctx = self.ctx
        if not ctx.is_translated:
            return files
        problems = []
        for file in files.documentation_pages():
            if _written_in(file, ctx.language):
                continue
            problem = self._notice(file, ctx, config)
            if problem:
                problems.append(problem)
        self.reporter.report(problems)
        self.reporter.stop_if_errors("the pages not yet translated")
        return files

    def _notice(self, file: File, ctx: LanguageBuild, config: MkDocsConfig) -> Problem | None:
        source_path = file.abs_src_path
        text = ctx.build.read(source_path) if source_path else file.content_string
        title, line = notice.source_title(text, ctx.source_script)
        english = ctx.nav_translations.get(title) if title else None
        words = notice.text_for(ctx.language)
        assert words is not None  # refused in on_config
        shown = ctx.build.shown(source_path) if source_path else file.src_uri
        if english is None and self.config.untranslated == "notice":
            translation = shown[:-3] + f".{ctx.language}.md"
            name = notice.language_name(ctx.language)
            return Problem(shown, line if title else None,
                           f"the page has no {name} version and no {name} title",
                           f"translate it as {translation}, or add "
                           f"'{title or '<its title>'}: <{name} title>' under "
                           f"nav_translations of the {ctx.language} language in mkdocs.yml, "
                           "or set csr-translation untranslated: omit", category="translation")
        base = (file.url or "")[len(ctx.prefix):] if (file.url or "").startswith(ctx.prefix) \
            else file.url or ""
        editions = [notice.Edition(
            notice.relative_href(file.url, ("" if lang == ctx.default_language else lang + "/")
                                 + base), lang, script_of(lang))
            for lang in ctx.chinese_languages]
        file.content_string = notice.markdown(english or words["title"], ctx.language,
                                              editions)
        ctx.untranslated.add(file.src_uri)
        return None

    @event_priority(-115)  # after mkdocs-static-i18n's (-100), before csr-pdf's (-120)
    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        """``omit``: untranslated pages leave the navigation (their notice is still written)."""
        ctx = self.ctx
        if not (ctx.is_translated and self.config.untranslated == "omit" and ctx.untranslated):
            return nav
        nav.items = _pruned(nav.items, ctx.untranslated)
        left = [p for p in nav.pages if p.file.src_uri not in ctx.untranslated]
        for page in nav.pages:
            page.previous_page = page.next_page = None
        for before, after in zip(left, left[1:], strict=False):
            before.next_page, after.previous_page = after, before
        nav.pages = left
        return nav

    @event_priority(45)  # the page as written, before csr-convert (40) and the directives
    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig,
                         files: Files) -> str:
        """Chinese text left in a translated page: a warning with its line."""
        ctx = language_build(config)
        if not (ctx.is_translated and ctx.reports(page)):
            return markdown
        model = ctx.page(page, markdown)
        found, _ = model.markup
        marked = [(m.start, m.end) for m in found]
        names = [form for term in ctx.build.report_data(config).glossary.terms
                 if term.proper_name for form in (term.zh_Hant, term.zh_Hans, *term.variants)]
        source_language = ctx.default_language
        problems = lint.chinese_text(model.source, marked, names, ctx.language, source_language)
        for key in ("title", "description"):
            value = page.meta.get(key)
            if isinstance(value, str) and value:
                header = SourceText(value, model.path, model.front_matter_line(key) or 1)
                problems += lint.chinese_text(header, [], names, ctx.language, source_language)
        self.reporter.report(problems)
        return markdown


def _written_in(file: File, language: str) -> bool:
    """Whether a page file is this language's own (``page.en.md``), not a source page."""
    return file.src_uri.endswith(f".{language}.md")


def _pruned(items: list, untranslated: set[str]) -> list:
    """Navigation items without the untranslated pages and the sections they leave empty."""
    kept = []
    for item in items:
        if isinstance(item, Page):
            if item.file.src_uri in untranslated:
                continue
        elif isinstance(item, Section):
            item.children = _pruned(item.children, untranslated)
            if not item.children:
                continue
        kept.append(item)
    return kept
