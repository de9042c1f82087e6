"""csr-frameworks: section tags, generated index appendices, coverage and rules.

Tags are collected while pages are read; an index needs every page's tags,
so ``{{framework-index …}}`` leaves a placeholder that is filled in
``on_env``, after MkDocs has read all pages and before any is written.
"""

from __future__ import annotations

import html as html_lib
import logging
import posixpath
import re
from collections import defaultdict

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.pages import Page

from ... import directives
from ...errors import Problem, suggestion
from ...frameworks import appendix, model, tags
from ..common import Reporter
from ..context import begin, heading_slugify, language_build
from .config import FrameworksConfig

log = logging.getLogger("mkdocs.plugins.csr_kit.frameworks")

_PLACEHOLDER = re.compile(r"<!-- csr-framework-index ([\w-]+) -->")
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*)$")
_ATTR_ID = re.compile(r"\{\s*:?\s*#([^\s}]+)[^}]*\}\s*$")


def heading_text_for_slug(text: str) -> str:
    """A heading's text as the toc extension sees it (inline Markdown stripped)."""
    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r"[*_`]", "", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return re.sub(r"-\{(?:[^{}]*?:)?([^{};]*)[^{}]*\}-", r"\1", text).strip()


class FrameworksPlugin(BasePlugin[FrameworksConfig]):
    def __init__(self) -> None:
        self.reporter = Reporter(log)
        self.frameworks: dict[str, model.Framework] = {}
        self.omissions: dict[str, dict[str, model.Omission]] = {}
        self.locations: dict[str, dict[str, list[tags.Location]]] = {}
        self.index_pages: list[Page] = []

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
                fid = d.args[0] if d.args else ""
                if not d.standalone or fid not in self.frameworks:
                    problems.append(Problem(
                        source.path, d.line,
                        f"'{fid}' is not an enabled framework" if d.standalone else
                        "{{framework-index …}} must stand alone on its line",
                        (suggestion(fid, self.frameworks) or
                         f"use one of: {', '.join(self.frameworks)}") if d.standalone else
                        "put it on a line of its own", category="frameworks"))
                    continue
                self.index_pages.append(page)
                self.index_source[fid] = (source.path, d.line)
                # Same line count as the directive: the page's lines stay the file's.
                page_model.replace(d.start, d.end, f"<!-- csr-framework-index {fid} -->")
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
                text = heading_text_for_slug(heading_text.group(2))
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
                    lambda loc: self._target(loc, page, files), script, source_script, header)
                return ctx.convert_fragment(fragment, page)
            page.content = _PLACEHOLDER.sub(fill, page.content or "")
        return env

    def _target(self, loc: tags.Location, from_page: Page, files) -> appendix.Target:
        """A link from the index page to a tagged page or section, titled in its script."""
        file = files.get_file_from_path(loc.page)
        target_page = file.page if file else None
        if target_page is None:
            return appendix.Target(loc.page, loc.page)
        here = posixpath.dirname(from_page.url.rstrip("/") + "/x") if from_page.url else "."
        href = posixpath.relpath(target_page.url or ".", here or ".")
        # A folder URL ('people/', or '' for the home page) keeps its slash: '../../',
        # not '../..', which a browser reading files from disk cannot open.
        if (not target_page.url or target_page.url.endswith("/")) and not href.endswith("/"):
            href += "/"
        # A title taken from a page's H1 is HTML (entities escaped); _link escapes it again.
        text = html_lib.unescape(target_page.title or loc.page)
        if loc.anchor:
            href += "#" + loc.anchor
            section = _find_toc(target_page.toc, loc.anchor)
            if section:
                text = f"{text} › {html_lib.unescape(section)}"
        return appendix.Target(href, text)


def _find_toc(items, anchor: str):
    for item in items:
        if item.id == anchor:
            return re.sub(r"<[^>]+>", "", item.title)
        found = _find_toc(item.children, anchor)
        if found:
            return found
    return None
