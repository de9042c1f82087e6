"""csr-frameworks: section tags, generated index appendices, coverage and rules.

Tags are collected while pages are read; an index needs every page's tags,
so ``{{framework-index …}}`` leaves a placeholder that is filled in
``on_env``, after MkDocs has read all pages and before any is written.

Tags are written once, in the source pages.  A translated edition (English) takes
the source build's locations: a tagged section is the translated page's section with
the same id (``## Pay and benefits {#薪酬及福利}``), which every translated page must
have; a page not translated yet is linked in the source edition.
"""

from __future__ import annotations

import html as html_lib
import logging
import posixpath
import re
from collections import defaultdict
from dataclasses import dataclass

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.pages import Page

from ... import directives
from ...convert import markup
from ...errors import Problem, suggestion
from ...frameworks import appendix, model, tags
from ...translation.notice import language_name, relative_href
from ...translation.sections import heading_text_for_slug
from ..common import Reporter
from ..context import Build, begin, heading_slugify, language_build
from .config import FrameworksConfig

log = logging.getLogger("mkdocs.plugins.csr_kit.frameworks")

_PLACEHOLDER = re.compile(r"<!-- csr-framework-index ([\w-]+) -->")
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*)$")
_ATTR_ID = re.compile(r"\{\s*:?\s*#([^\s}]+)[^}]*\}\s*$")
_HEADING_ID = re.compile(r"<h[1-6]\b[^>]*\bid=\"([^\"]+)\"")
# How a translated index names the source edition it links to for an untranslated page.
EDITION_NAMES = {"en": {"zh-Hant": "Traditional Chinese", "zh-Hans": "Simplified Chinese"}}


@dataclass
class SourceEdition:
    """What the source language's build found, for the translated editions of the same build."""

    build: Build
    locations: dict[str, dict[str, list[tags.Location]]]
    # (source page, anchor) → the location's URL in the source site and its title there
    targets: dict[tuple[str, str | None], tuple[str, str]]


class FrameworksPlugin(BasePlugin[FrameworksConfig]):
    def __init__(self) -> None:
        self.reporter = Reporter(log)
        self.frameworks: dict[str, model.Framework] = {}
        self.omissions: dict[str, dict[str, model.Omission]] = {}
        self.locations: dict[str, dict[str, list[tags.Location]]] = {}
        self.index_pages: list[Page] = []
        self.source_edition: SourceEdition | None = None

    @event_priority(-105)  # after mkdocs-static-i18n (-100) has chosen the language
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.reporter.reset()
        self.ctx = begin(config)
        self.locations = {fid: defaultdict(list) for fid in self.config.enabled}
        self.index_pages = []
        self.index_source: dict[str, tuple[str, int]] = {}  # framework → its index page and line
        data = self.ctx.build.report_data(config)
        self.frameworks, self.omissions, self.report = data.frameworks, data.omissions, data.report
        return config

    @event_priority(30)
    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig,
                         files) -> str:
        ctx = language_build(config)
        page_model = ctx.page(page, markdown)
        source = page_model.source
        markdown = source.text  # positions below are the file's
        if ctx.is_translated:
            docs = ctx.build.shown(config.docs_dir)
            return self._translated_page(page, page_model, docs, ctx.reports(page))
        problems: list[Problem] = []
        page_tags, errs = tags.page_tags(page.meta.get("addresses"), self.frameworks,
                                         source.path, page_model.front_matter_line("addresses"))
        problems += errs
        for tag in page_tags:
            self.locations[tag.framework][tag.code].append(
                tags.Location(page.file.src_uri, None, tag.line))
        used_ids: set[str] = set()
        slugify = heading_slugify(config)
        for d in page_model.directives_named({"addresses", "framework-index"}):
            if d.name == "framework-index":
                problems += self._index_directive(d, page, page_model)
                continue
            line_start = markdown.rfind("\n", 0, d.start) + 1
            line_end = markdown.find("\n", d.end)
            line_end = len(markdown) if line_end < 0 else line_end
            heading = _HEADING.match(markdown[line_start:line_end])
            if not heading or markdown[d.end:line_end].strip():
                problems.append(Problem(source.path, d.line,
                                        "{{addresses …}} must end a heading line",
                                        "put it at the end of a heading, e.g. "
                                        "## 培訓 {{addresses gri:404-1}}; for the whole page use "
                                        "addresses: in the front matter", category="frameworks"))
                continue
            before = markdown[line_start:d.start].rstrip()
            explicit = _ATTR_ID.search(before)
            given = page_model.heading_ids.get(d.line)
            if explicit:
                anchor = explicit.group(1)
                replacement = ""
            elif given:  # csr-convert gave the heading an id that is the same in every script
                anchor = given
                replacement = ""
            else:
                heading_text = _HEADING.match(before)
                assert heading_text is not None  # `before` starts the heading line matched above
                # Markup read in the page's own script, as the toc extension will see it.
                text = heading_text_for_slug(markup.convert_plain(
                    heading_text.group(2), ctx.page_language(page), None))
                anchor = tags.heading_id(text, slugify, used_ids)
                replacement = "{#" + anchor + "}"
            for word in d.args:
                if "csr-kpi" in config.plugins and any(c in directives.FULL_WIDTH for c in word):
                    continue  # csr-kpi names the character and its column
                parsed, problem = tags.parse_tag(word, self.frameworks, source.path, d.line)
                if problem:
                    problems.append(problem)
                elif parsed is not None:
                    self.locations[parsed.framework][parsed.code].append(
                        tags.Location(page.file.src_uri, anchor, d.line))
            if not d.args:
                problems.append(Problem(source.path, d.line, "{{addresses}} lists no items",
                                        "add codes, e.g. {{addresses gri:2-7 hkex:B1}}",
                                        category="frameworks"))
            page_model.replace(line_start + len(before), d.end,
                               (" " + replacement) if replacement else "")
        if ctx.reports(page):
            self.reporter.report(problems)
        return page_model.text()

    def _index_directive(self, d, page: Page, page_model) -> list[Problem]:
        """``{{framework-index id}}``: a placeholder, filled once every page's tags are known."""
        fid = d.args[0] if d.args else ""
        if not d.standalone or fid not in self.frameworks:
            return [Problem(
                page_model.path, d.line,
                f"'{fid}' is not an enabled framework" if d.standalone else
                "{{framework-index …}} must stand alone on its line",
                (suggestion(fid, self.frameworks) or
                 f"use one of: {', '.join(self.frameworks)}") if d.standalone else
                "put it on a line of its own", category="frameworks")]
        self.index_pages.append(page)
        self.index_source[fid] = (page_model.path, d.line)
        # Same line count as the directive: the page's lines stay the file's.
        page_model.replace(d.start, d.end, f"<!-- csr-framework-index {fid} -->")
        return []

    def _translated_page(self, page: Page, page_model, docs: str, reports: bool) -> str:
        """A page of a translated edition: its indexes; tags belong to the source page."""
        source_page = posixpath.join(docs, self.ctx.source_uri(page))
        problems = []
        line = page_model.front_matter_line("addresses")
        if page.meta.get("addresses") is not None:
            problems.append(Problem(page_model.path, line,
                                    "tags are written in the source page only",
                                    f"remove addresses: here; {source_page}'s own gives this "
                                    "page its tags", category="frameworks"))
        for d in page_model.directives_named({"addresses", "framework-index"}):
            if d.name == "framework-index":
                problems += self._index_directive(d, page, page_model)
                continue
            problems.append(Problem(page_model.path, d.line,
                                    "tags are written in the source page only",
                                    f"remove it; the section id shared with {source_page} "
                                    "gives this section its tags", category="frameworks"))
            page_model.replace(d.start, d.end, "")
        if reports:
            self.reporter.report(problems)
        return page_model.text()

    def _omitted_but_reported(self, config: MkDocsConfig, fid: str) -> list[Problem]:
        """An item declared omitted that a page also reports: the index would say both."""
        path = self.ctx.build.path(self.config.omissions)
        text = self.ctx.build.read(path) if path.exists() else ""
        problems = []
        for code in self.omissions.get(fid, {}):
            places = self.locations[fid].get(code)
            if not places:
                continue
            line = next((n for n, row in enumerate(text.splitlines(), 1)
                         if re.search(rf"item:\s*[\"']?{re.escape(code)}[\"']?\s*$", row)), None)
            first = places[0]
            page = posixpath.join(self.ctx.build.shown(config.docs_dir), first.page)
            problems.append(Problem(self.ctx.build.shown(path), line,
                                    f"{fid} {code} is declared omitted, but "
                                    f"{page}:{first.line} reports it",
                                    "remove the omission, or the tag in the page"))
        return problems

    def on_env(self, env, *, config: MkDocsConfig, files):
        self.reporter.stop_if_errors("the framework tags")
        ctx = self.ctx
        script, source_script = ctx.script, ctx.source_script
        target = self._target
        if ctx.is_source_build:
            self.source_edition = SourceEdition(ctx.build, self.locations,
                                                self._source_targets(files))
        elif ctx.is_translated:
            edition = self.source_edition
            if edition is None or edition.build is not ctx.build:
                edition = None  # the source language was not built (nothing to link to)
            self.locations = edition.locations if edition else \
                {fid: defaultdict(list) for fid in self.config.enabled}
            pages = {ctx.source_uri(p): p for p in (f.page for f in files.documentation_pages())
                     if p is not None}
            self.reporter.report(self._missing_ids(config, pages.values()))
            self.reporter.stop_if_errors("the translated pages' sections")
            target = self._translated_target(pages, edition)
        problems = []
        for fid, framework in self.frameworks.items():
            cov = appendix.coverage(framework, self.locations[fid], self.omissions.get(fid, {}))
            # Reported where the author meets the framework: its index page, else mkdocs.yml.
            where, line = self.index_source.get(fid, ("mkdocs.yml", None))
            problems += appendix.rule_problems(framework, cov, where, line)
            problems += self._omitted_but_reported(config, fid)
        if ctx.is_source_build:
            self.reporter.report(problems)
        self.reporter.stop_if_errors("the framework rules")
        for page in self.index_pages:
            def fill(m: re.Match[str], page: Page = page) -> str:
                fid = m.group(1)
                header = ""
                if fid == "gri" and self.report is not None:
                    header = appendix.gri_header(self.report.gri_statement,
                                                 self.report.organisation, self.report.period_text,
                                                 script, source_script)
                fragment = appendix.render(
                    self.frameworks[fid], self.locations[fid], self.omissions.get(fid, {}),
                    lambda loc: target(loc, page, files), script, source_script, header)
                return ctx.convert_fragment(fragment, page)
            page.content = _PLACEHOLDER.sub(fill, page.content or "")
        return env

    def _target(self, loc: tags.Location, from_page: Page, files) -> appendix.Target:
        """A link from the index page to a tagged page or section, titled in its script."""
        file = files.get_file_from_path(loc.page)
        target_page = file.page if file else None
        if target_page is None:
            return appendix.Target(loc.page, loc.page)
        url, text = _located(target_page, loc)
        return appendix.Target(relative_href(from_page.url, target_page.url)
                               + url[len(target_page.url):], text)

    def _source_targets(self, files) -> dict[tuple[str, str | None], tuple[str, str]]:
        """Each tagged location's URL and title in the source site (for translated indexes)."""
        found = {}
        for places in self.locations.values():
            for locations in places.values():
                for loc in locations:
                    file = files.get_file_from_path(loc.page)
                    if file is not None and file.page is not None:
                        found[(loc.page, loc.anchor)] = _located(file.page, loc)
        return found

    def _translated_target(self, pages: dict[str, Page], edition: SourceEdition | None):
        """Links from a translated index: to this edition's section, else the source page's."""
        ctx = self.ctx

        def target(loc: tags.Location, from_page: Page, files) -> appendix.Target:
            page = pages.get(loc.page)
            if page is not None and loc.page not in ctx.untranslated:
                url, text = _located(page, loc)
                return appendix.Target(relative_href(from_page.url, page.url)
                                       + url[len(page.url):], text)
            if edition is None or (loc.page, loc.anchor) not in edition.targets:
                return appendix.Target(loc.page, loc.page)
            url, text = edition.targets[(loc.page, loc.anchor)]
            page_url, _, anchor = url.partition("#")
            href = relative_href(from_page.url, page_url) + (f"#{anchor}" if anchor else "")
            names = EDITION_NAMES.get(ctx.language.split("-")[0].lower(), {})
            name = names.get(ctx.source_script, ctx.default_language)
            return appendix.Target(href, f"{text} ({name})", ctx.default_language)

        return target

    def _missing_ids(self, config: MkDocsConfig, pages) -> list[Problem]:
        """Every tagged source section must be a section of each translated page (its id)."""
        ctx = self.ctx
        docs = self.ctx.build.shown(config.docs_dir)
        problems = []
        for page in pages:
            if not ctx.reports(page):
                continue  # a notice page, or a page of another language
            source_page = ctx.source_uri(page)
            tagged: dict[str, list[tuple[str, int | None]]] = defaultdict(list)
            for fid, places in self.locations.items():
                for code, locations in places.items():
                    for loc in locations:
                        if loc.page == source_page and loc.anchor:
                            tagged[loc.anchor].append((f"{fid}:{code}", loc.line))
            ids = set(_HEADING_ID.findall(page.content or ""))
            name = language_name(ctx.language)
            for anchor, codes in tagged.items():
                if anchor in ids:
                    continue
                line = min((n for _, n in codes if n), default=None)
                problems.append(Problem(
                    posixpath.join(docs, page.file.src_uri), None,
                    f"no heading has the id '{anchor}', which "
                    f"{posixpath.join(docs, source_page)}{f':{line}' if line else ''} tags "
                    f"with {', '.join(sorted({c for c, _ in codes}))}",
                    f"end the {name} heading that translates it with {{#{anchor}}}",
                    category="frameworks"))
        return problems


def _located(page: Page, loc: tags.Location) -> tuple[str, str]:
    """A location's site URL (the page's, with the anchor) and its title: 'page › section'."""
    # A title taken from a page's H1 is HTML (entities escaped); _link escapes it again.
    text = html_lib.unescape(page.title or loc.page)
    url = page.url or ""
    if loc.anchor:
        url += "#" + loc.anchor
        section = _find_toc(page.toc, loc.anchor)
        if section:
            text = f"{text} › {html_lib.unescape(section)}"
    return url, text


def _find_toc(items, anchor: str):
    for item in items:
        if item.id == anchor:
            return re.sub(r"<[^>]+>", "", item.title)
        found = _find_toc(item.children, anchor)
        if found:
            return found
    return None
