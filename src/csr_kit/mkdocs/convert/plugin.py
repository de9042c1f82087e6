"""csr-convert: publish the converted-script site from the source pages.

Conversion runs on the rendered HTML of each page (text nodes, alt, title
and aria-label), so code, URLs, ids and every attribute stay byte-identical, and
heading ids (made from the source text) match across scripts.
"""

from __future__ import annotations

import logging
import os
import posixpath
import re
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

from ... import directives, vocabulary
from ...convert import markup, names as name_finder
from ...convert.engine import CONFIG_FOR_SOURCE, Converter, changed_characters, get_converter, plain
from ...convert.html import convert_html, protect
from ...convert.review import (
    ReviewEntry,
    ReviewRules,
    regional_wording,
    review_data_file,
    review_html,
    review_page,
    summary,
    unconverted_ranges,
    wrong_script,
)
from ...convert.reviewed import load_reviewed
from ...convert.wording import wording_rules
from ...errors import Problem, SourceError, SourceErrors, suggestion
from ...glossary import Glossary
from ...mdsource import SourceText
from ...page import PageModel
from ...text import is_chinese, script_of
from ..common import Reporter
from ..context import begin, heading_slugify, language_build, source_language_first
from .config import ConvertConfig

log = logging.getLogger("mkdocs.plugins.csr_kit.convert")


class ConvertPlugin(BasePlugin[ConvertConfig]):
    def __init__(self) -> None:
        self.reporter = Reporter(log)
        self.converter: Converter | None = None
        self.review: list[ReviewEntry] = []
        self.review_rules: ReviewRules | None = None
        self.protected: set[str] = set()
        self._saved: dict[str, str | None] = {}

    # --- state for the language being built --------------------------------------------

    @property
    def source_script(self) -> str:
        return self.config.source

    @property
    def target_script(self) -> str:
        return "zh-Hans" if self.config.source == "zh-Hant" else "zh-Hant"

    @property
    def config_name(self) -> str:
        """The OpenCC configuration for the source script and the Traditional region."""
        return CONFIG_FOR_SOURCE[(self.config.source, self.config.region)]

    def convert_text(self, text: str) -> str:
        assert self.converter is not None  # made in on_config
        return markup.convert_plain(text, self.target_script, self.converter.convert)

    def _convert_fragment(self, fragment: str, page: Page) -> str:
        """HTML other plugins add after the page's conversion (offered via the build context)."""
        if self.converter and self.ctx.converts(page):
            return convert_html(fragment, self.converter.convert, batch=True)
        return self._one_character_standard(fragment)

    # --- events ------------------------------------------------------------------------

    @event_priority(100)  # before mkdocs-static-i18n (-100) picks the language it builds first
    def _source_language_first(self, config: MkDocsConfig) -> MkDocsConfig:
        """The source script's language is the site's default: its pages are the originals.

        mkdocs-static-i18n needs one language marked ``default: true``; when that is
        not the source script's one, csr-convert moves the mark (and says so), so that
        changing ``source:`` alone never publishes one script as the other.
        """
        moved = source_language_first(config, self.source_script)
        if moved is None:
            self.reporter.report([Problem(
                os.path.basename(config.config_file_path or "mkdocs.yml"), None,
                f"csr-convert says the pages are written in {self.source_script} "
                f"(source: {self.source_script}), but no i18n language is in that script",
                f"add '- locale: {self.source_script}' under i18n: languages:")])
            self.reporter.stop_if_errors("mkdocs.yml")
        elif isinstance(moved, tuple):
            log.info("csr-convert: %s is the source script, so its pages are the default "
                     "language's (i18n default moved from %s)", *moved)
        return config

    @event_priority(-110)  # after mkdocs-static-i18n has set the language's config
    def _load(self, config: MkDocsConfig) -> MkDocsConfig:
        self.reporter.reset()
        self.review = []
        self.review_rules = None
        self.ctx = begin(config)
        if self.ctx.translated_languages and "csr-translation" not in config.plugins:
            self.reporter.report([Problem(
                os.path.basename(config.config_file_path or "mkdocs.yml"), None,
                f"the i18n language '{self.ctx.translated_languages[0]}' is an edition written "
                "by translators, but the csr-translation plugin is not enabled (untranslated "
                "pages would show the Chinese text)",
                "add '- csr-translation' under plugins: in mkdocs.yml")])
            self.reporter.stop_if_errors("mkdocs.yml")
        self._build_converter(config, self.ctx.build.report_data(config).glossary)
        self.ctx.provide_conversion(self.convert_text, self._convert_fragment)
        self._saved = {"site_name": config.site_name,
                       "site_description": config.site_description}
        text = self.text_function(config)
        config.site_name = text(config.site_name)
        if config.site_description:
            config.site_description = text(config.site_description)
        return config

    on_config = CombinedEvent(_source_language_first, _load)

    def _pack(self) -> vocabulary.Pack | None:
        """The shipped vocabulary as this report uses it (Hong Kong ⇄ mainland only)."""
        if not self.config.vocabulary or self.config.region != "HK":
            return None
        return vocabulary.load().without(self.config.vocabulary_exclude_domains,
                                         self.config.vocabulary_exclude)

    def _build_converter(self, config: MkDocsConfig, glossary: Glossary) -> None:
        """One converter for the build: vocabulary < glossary < protected names."""
        target = self.target_script
        character = plain(self.config_name).convert
        pack = self._pack()
        glossary_rules = glossary.phrase_rules(self.source_script)
        self.protected = self._protected_names(config, glossary, pack, glossary_rules)
        rules, origins = wording_rules(self.source_script, pack, glossary_rules,
                                       self.protected, character)
        self.converter = get_converter(self.config_name, rules,
                                       quotes=self.config.regional_quotes)
        if self.config.review and self.ctx.generates:
            # Detection uses the whole vocabulary: wording whose rule the report switched
            # off is still listed where it stays, for a person to confirm.
            detect = vocabulary.load() if pack is not None else vocabulary.Pack(())
            regional = regional_wording(detect, target, glossary_rules)
            self.review_rules = ReviewRules(self.converter.convert, character, rules, origins,
                                            regional, self.source_script,
                                            frozenset(self.protected))

    def _protected_names(self, config: MkDocsConfig, glossary: Glossary,
                         pack: vocabulary.Pack | None, glossary_rules: dict[str, str]
                         ) -> set[str]:
        """Names no wording rule may touch: listed, in the glossary, or found in the pages."""
        found = set(self.config.protected_names)
        found |= {t.form(self.source_script) for t in glossary.terms if t.proper_name}
        if self.config.detect_names:
            found |= name_finder.found_in(self._source_pages(config), pack, self.source_script)
        # A name the glossary gives its own text keeps that text.
        return {n for n in found if n and n not in glossary_rules}

    def _source_pages(self, config: MkDocsConfig):
        """The text of every page written in the source script."""
        others = tuple(f".{locale}.md" for locale in self.ctx.languages
                       if script_of(locale) != self.source_script)
        for path in sorted(Path(config.docs_dir).rglob("*.md")):
            if not path.name.endswith(others):
                try:
                    yield self.ctx.build.read(path)
                except (OSError, UnicodeDecodeError):
                    continue  # reported by the page checks

    def text_function(self, config: MkDocsConfig):
        """How a short text from the configuration is shown in this build.

        The converted build converts it (honouring its markup); any other
        build only replaces markup with the text for its own script.
        """
        if self.ctx.generates:
            return self.convert_text
        language = self.ctx.language
        return lambda text: markup.convert_plain(text, language, None)

    @event_priority(-110)  # after the i18n plugin has built this language's navigation
    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files) -> Navigation:
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

    @event_priority(40)  # first of the csr plugins to change the page
    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig,
                         files) -> str:
        ctx = language_build(config)
        model = ctx.page(page, markdown)
        source = model.source
        language = ctx.page_language(page)
        found, markup_problems = model.markup
        if ctx.reports(page):
            # Every check runs even when some markup is broken, so one pass shows all.
            self.reporter.report(markup_problems)
            self.reporter.report(markup.check_variants(found, ctx.chinese_languages,
                                                       source.path))
            self.reporter.report(unknown_directives(model, config))
            if self.config.lint_scripts and is_chinese(language):
                # Source pages, and hand-written pages of the generated language.
                self.reporter.report(self._lint_scripts(model, found, page, language))
        if markup_problems:
            return markdown
        ids = self._heading_ids(source, found, language, config)
        for at, text in ids:
            model.insert(at, text)
            heading_id = re.search(r"#([^\s}]+)", text)
            if heading_id:
                model.heading_ids[source.line_at(at)] = heading_id.group(1)
        if ctx.converts(page):
            if self.review_rules is not None:
                self.review.extend(review_page(source, self.review_rules,
                                               [(m.start, m.end) for m in found],
                                               self._review_link(page)))
            script, wrap = self.target_script, protect
        else:
            for key in ("title", "description"):  # front matter: markup gives this script's text
                if isinstance(page.meta.get(key), str):
                    page.meta[key] = markup.convert_plain(page.meta[key], language, None)
            script, wrap = language, None
        for mk in found:
            text = mk.text_for(script) or ""
            model.replace(mk.start, mk.end, wrap(text) if wrap else text)
        return model.text()

    def _lint_scripts(self, model: PageModel, found, page: Page, language: str
                      ) -> list[Problem]:
        """Characters of the wrong script in a page, its title or its description.

        A source page must be in the source script; a hand-written page of the
        generated language (``page.zh-Hans.md``) in that language's script.
        """
        script = script_of(language)
        if script not in ("zh-Hant", "zh-Hans"):
            return []
        source = model.source
        problems = wrong_script(source, script, [(m.start, m.end) for m in found]
                                + unconverted_ranges(source))
        for key in ("title", "description"):
            value = page.meta.get(key)
            if isinstance(value, str) and value:
                header = SourceText(value, source.path, model.front_matter_line(key) or 1)
                problems += wrong_script(header, script, [(m.start, m.end)
                                                          for m in markup.find(header)])
        return problems

    def _review_link(self, page: Page) -> str:
        """The converted page, relative to the review report."""
        folder = self.ctx.prefix
        return posixpath.relpath(page.url or ".", folder or ".") + ("/" if page.url.endswith("/")
                                                                    else "")

    def _heading_ids(self, source, found, language: str, config: MkDocsConfig):
        """Ids for headings whose per-script markup would give each script another slug."""
        if not any(m.keep is None for m in found):
            return []
        if "attr_list" not in config.markdown_extensions:
            return []
        return markup.heading_ids(source, found, language, self.ctx.chinese_languages,
                                  heading_slugify(config))

    @event_priority(0)
    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files) -> str:
        if not self.ctx.converts(page) or self.converter is None:
            return self._one_character_standard(html)
        convert = self.converter.convert
        converted = convert_html(html, convert, batch=True)
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

    def _one_character_standard(self, html: str) -> str:
        """A Traditional page written in the source script, in one character standard.

        Pages are typed in Hong Kong forms (温, 户, 説) while data files and
        framework titles often use the standard ones (溫, 戶, 說): the edition
        shows one form throughout, Hong Kong's (or Taiwan's with ``region: TW``).
        """
        if self.ctx.script != "zh-Hant" or self.source_script != "zh-Hant":
            return html
        config_name = "t2hk" if self.config.region == "HK" else "t2tw"
        if not changed_characters(config_name).search(html):
            return html  # most pages are typed in the standard already: no pass needed
        return convert_html(html, plain(config_name).convert, batch=True)

    def _convert_toc(self, item, before, after, convert) -> None:
        """A TOC title as its heading reads after conversion (titles stay HTML-escaped)."""
        if item.id in after and before.get(item.id, (0, None))[1] == item.title:
            item.title = after[item.id][1]
        else:  # a title of its own (data-toc-label): convert it as HTML text
            item.title = convert_html(item.title, convert)
        for child in item.children:
            self._convert_toc(child, before, after, convert)

    def on_env(self, env, *, config: MkDocsConfig, files):
        self.reporter.stop_if_errors("the pages' conversion markup")
        return env

    @event_priority(0)  # before mkdocs-static-i18n (-100) starts the next language's build
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.ctx.generates and self.review_rules is not None:
            self._write_review(config)
        for key, value in self._saved.items():
            config[key] = value

    def _review_data(self, config: MkDocsConfig) -> list[ReviewEntry]:
        """Source-region wording in the report's own data texts for the converted edition
        (KPI labels, charts, framework files in the report's folder), by file and line."""
        assert self.review_rules is not None
        files = self.ctx.build.report_data(config).files
        names = [files.kpis, files.charts, files.report]
        if files.frameworks:
            names += [f"{files.frameworks}/{fid}.yml" for fid in files.enabled_frameworks]
        entries: list[ReviewEntry] = []
        for name in names:
            path = self.ctx.build.path(name) if name else None
            if path is None or path.suffix not in (".yml", ".yaml") or not path.is_file():
                continue  # a workbook, or a framework the kit ships
            try:
                text = self.ctx.build.read(path)
            except (OSError, UnicodeDecodeError):
                continue  # reported by the data checks
            entries += review_data_file(self.ctx.build.shown(path), text, self.review_rules)
        return entries

    def _write_review(self, config: MkDocsConfig) -> None:
        reviewed_path = self.ctx.build.path(self.config.reviewed)
        try:
            reviewed = load_reviewed(reviewed_path, self.config.reviewed)
        except (SourceError, SourceErrors) as err:
            self.reporter.capture(err)
            self.reporter.stop_if_errors(self.config.reviewed)
        self.review.extend(self._review_data(config))
        script = self.target_script
        folder = os.path.join(config.site_dir, self.ctx.prefix)
        os.makedirs(folder, exist_ok=True)
        body = review_html(self.review, script, self.config_name, reviewed, self.protected,
                           self.config.reviewed)
        title = "轉換審閱報告" if script == "zh-Hant" else "转换审阅报告"
        page = (f'<!doctype html><html lang="{script}"><head><meta charset="utf-8">'
                '<meta name="robots" content="noindex">'
                '<meta name="viewport" content="width=device-width, initial-scale=1">'
                f"<title>{title}</title>"
                "<style>body{font-family:system-ui,sans-serif;margin:2em;line-height:1.5}"
                "table{border-collapse:collapse}td,th{border:1px solid #767676;"
                "padding:.25em .5em;text-align:left;vertical-align:top}a{color:#005a9c}</style>"
                f"</head><body><main>{body}</main></body></html>")
        path = os.path.join(folder, self.config.review_file)
        with open(path, "w", encoding="utf-8") as out:
            out.write(page)
        counts = summary(self.review, reviewed)
        shown_path = posixpath.join(self.ctx.prefix, self.config.review_file)
        log.info("Conversion review (%s): %d wording changes, %d one-to-many characters, "
                 "%d possible regional wordings left unconverted; %d reviewed before",
                 shown_path, counts["wording"], counts["risky"], counts["unconverted"],
                 counts["hidden"],
                 extra={"csr_review": dict(counts, file=shown_path)})


_HEADING_HTML = re.compile(r"<h([1-6])\b([^>]*)>(.*?)</h\1\s*>", re.S | re.I)
_ID_ATTR = re.compile(r"""\sid\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_HEADERLINK = re.compile(r"<a\b[^>]*class=\"headerlink\"[^>]*>.*?</a>", re.S)
_FOOTNOTE_REF = re.compile(r"<sup\b[^>]*id=\"fnref[^\"]*\"[^>]*>.*?</sup>", re.S)
_IMG_ALT = re.compile(r"<img\b[^>]*\balt=\"([^\"]*)\"[^>]*>")


def heading_texts(page_html: str) -> dict[str, tuple[int, str]]:
    """Each heading's id → (level, its text as MkDocs puts it in the TOC: tags stripped)."""
    found: dict[str, tuple[int, str]] = {}
    for m in _HEADING_HTML.finditer(page_html):
        ident = _ID_ATTR.search(m.group(2))
        if not ident:
            continue
        inner = _FOOTNOTE_REF.sub("", _HEADERLINK.sub("", m.group(3)))
        inner = _IMG_ALT.sub(r"\1", inner)
        inner = re.sub(r"<!--.*?-->", "", inner, flags=re.S)
        text = " ".join(re.sub(r"<[^>]*>", "", inner).split())
        found.setdefault(ident.group(1) if ident.group(1) is not None else ident.group(2),
                         (int(m.group(1)), text))
    return found


def unknown_directives(model: PageModel, config: MkDocsConfig) -> list[Problem]:
    """Directives no enabled plugin will expand: a typo or a plugin left out of mkdocs.yml."""
    problems = []
    source = model.source
    for d in model.directives:
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
