"""csr-kpi: KPI values, cards, charts, the performance-data appendix and downloads."""

from __future__ import annotations

import logging
import os
import posixpath

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.pages import Page

from ... import directives, external, leaks
from ...errors import Problem, SourceError, suggestion
from ...kpi import model, render
from ...mdsource import one_line
from ...page import PageModel
from ...report_model import BUG_HINT
from ...text import MissingLabel
from ..common import Reporter
from ..context import begin, language_build
from .config import KpiConfig

log = logging.getLogger("mkdocs.plugins.csr_kit.kpi")

NAMES = {name for name, owner in directives.KNOWN.items() if owner == "csr-kpi"}
BLOCKS = NAMES - {"kpi"}


class KpiPlugin(BasePlugin[KpiConfig]):
    def __init__(self) -> None:
        self.reporter = Reporter(log)
        self.data = model.KPIData.model_construct()  # the report's, from on_config
        self.charts: dict[str, model.ChartSpec] = {}
        self._chart_svgs: dict[tuple, str] = {}

    @event_priority(-105)  # after mkdocs-static-i18n (-100) has chosen the language
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.reporter.reset()
        self._chart_svgs = {}
        self.ctx = begin(config)
        self.ctx.downloads_dir = self.config.downloads_dir
        data = self.ctx.build.report_data(config)
        assert data.kpis is not None  # csr-kpi requires it: report_data stops the build if not
        self.data, self.charts = data.kpis, data.charts
        return config

    @event_priority(50)  # first of the csr plugins: the page as written
    def _check_directives(self, markdown: str, *, page: Page, config: MkDocsConfig,
                          files) -> str:
        """Directive-shaped text no plugin would expand, so it would be published as text."""
        ctx = language_build(config)
        if ctx.reports(page):
            page_model = ctx.page(page, markdown)
            self.reporter.report(directives.malformed(page_model.source)
                                 + _metadata_markup(page, page_model))
        return markdown

    @event_priority(10)
    def _expand_directives(self, markdown: str, *, page: Page, config: MkDocsConfig,
                           files) -> str:
        ctx = language_build(config)
        page_model = ctx.page(page, markdown)
        found = page_model.directives_named(NAMES)
        if not found:
            return markdown
        problems = []
        for d in found:
            if directives.has_full_width(d):
                continue  # named with its character and column by _check_directives
            try:
                html = self._expand(d, page, page_model.path)
            except SourceError as err:
                problems.append(err.problem)
                continue
            except MissingLabel as err:
                # The data check names every missing English text first: a kit bug.
                problems.append(Problem(page_model.path, d.line, f"csr-kit found no text in "
                                        f"this edition's language for {{{{{d.name}}}}} ({err})",
                                        BUG_HINT, category="kpi"))
                continue
            if d.name in BLOCKS:
                # One line, like the directive, so line numbers after it stay true
                # (Python-Markdown takes a <div> at a line start as an HTML block).
                html = one_line(html)
            page_model.replace(d.start, d.end, html)
        if ctx.reports(page):
            self.reporter.report(problems)
        return page_model.text()

    on_page_markdown = CombinedEvent(_check_directives, _expand_directives)

    def _kpi(self, kpi_id: str, path: str, line: int) -> model.KPI:
        kpi = self.data.get(kpi_id)
        if kpi is None:
            raise SourceError(path, line, f"unknown KPI id '{kpi_id}'",
                              suggestion(kpi_id, [k.id for k in self.data.kpis])
                              or f"add it to {self.config.kpis} or check the spelling",
                              "kpi")
        return kpi

    def _expand(self, d: directives.Directive, page: Page, path: str) -> str:
        data = self.data
        script, source_script = self.ctx.script, self.ctx.source_script
        # Text the data gives only in the source script, turned into this build's script.
        convert = self.ctx.text_converter
        if d.name in BLOCKS and not d.standalone:
            raise SourceError(path, d.line, f"{{{{{d.name} …}}}} must stand alone on its line",
                              "put it on a line of its own, with blank lines around it", "kpi")
        if d.name == "kpi-appendix":
            base = posixpath.relpath(self.ctx.prefix + self.config.downloads_dir,
                                     posixpath.dirname(page.url) or ".")
            return render.appendix(data, script, source_script, base.rstrip("/") + "/",
                                   convert)
        if not d.args:
            raise SourceError(path, d.line, f"{{{{{d.name}}}}} needs an id",
                              f"write {{{{{d.name} some.kpi_id}}}}", "kpi")
        if d.name == "chart":
            spec = self.charts.get(d.args[0])
            if spec is None:
                raise SourceError(path, d.line, f"unknown chart id '{d.args[0]}'",
                                  suggestion(d.args[0], self.charts)
                                  or f"define it in {self.config.charts}", "kpi")
            key = (d.args[0], script, source_script, convert is not None)
            if key not in self._chart_svgs:  # pygal is slow; the SVG depends on these only
                self._chart_svgs[key] = render.chart(data, spec, script, source_script,
                                                     convert)
            return self._chart_svgs[key]
        kpis = [self._kpi(a, path, d.line) for a in
                (d.args if d.name == "kpi-cards" else d.args[:1])]
        if d.name == "kpi-card":
            if len(d.args) > 1 or d.options:
                raise SourceError(path, d.line, "{{kpi-card …}} takes one KPI id and no options",
                                  "for several cards in a row write {{kpi-cards id1 id2}}", "kpi")
            return render.card(data, kpis[0], script, source_script, convert)
        if d.name == "kpi-cards":
            if d.options:
                raise SourceError(path, d.line, "{{kpi-cards …}} takes KPI ids only",
                                  "remove the option", "kpi")
            return render.cards(data, kpis, script, source_script, convert)
        kpi = kpis[0]
        mode = "full"
        for flag in d.args[1:]:
            if flag not in ("value", "change"):
                raise SourceError(path, d.line, f"'{flag}' is not an option of {{{{kpi}}}}",
                                  "use 'value', 'change', period=YEAR or unit=UNIT", "kpi")
            mode = flag
        for option in d.options:
            if option not in ("period", "unit"):
                raise SourceError(path, d.line, f"'{option}=' is not an option of {{{{kpi}}}}",
                                  suggestion(option, ["period", "unit"])
                                  or "use period=YEAR or unit=UNIT", "kpi")
        expected_unit = d.options.get("unit")
        if expected_unit and expected_unit != kpi.unit:
            raise SourceError(path, d.line,
                              f"KPI '{kpi.id}' is in '{kpi.unit}', not '{expected_unit}'",
                              f"write unit={kpi.unit} or quote another KPI", "kpi")
        period = d.options.get("period")
        if period and period not in kpi.values:
            raise SourceError(path, d.line, f"KPI '{kpi.id}' has no value for {period}",
                              f"it has {', '.join(sorted(kpi.values))}", "kpi")
        if mode == "change":
            unit = data.units[kpi.unit]
            against = render.previous_period(data, period or data.periods.current)
            if render.change(kpi, unit, period or data.periods.current, against) is None:
                raise SourceError(path, d.line,
                                  f"KPI '{kpi.id}' has no change to show"
                                  + (f" against {against}" if against else ""),
                                  f"give it a non-zero value for {against} in "
                                  f"{self.config.kpis}, or quote the value instead"
                                  if against else "quote the value instead", "kpi")
        return render.inline(data, kpi, script, period=period, mode=mode,
                             source_script=source_script, convert=convert)

    def on_env(self, env, *, config: MkDocsConfig, files):
        self.reporter.stop_if_errors("the KPI references")
        return env

    @event_priority(-200)  # last: the page as readers get it, after every other plugin
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        """Markup published as text, and resources loaded from outside the site."""
        ctx = language_build(config)
        page_model = ctx.page_model(page)
        source_text = page_model.file_text if page_model else ""
        page_shown = page_model.path if page_model else page.file.src_uri
        config_file = config.config_file_path or ""
        config_text = (ctx.build.read(config_file) if config_file and os.path.exists(config_file)
                       else "")
        config_shown = ctx.build.shown(config_file) if config_file else "mkdocs.yml"

        def place(needles: list[str]) -> tuple[str, int | None]:
            # The most precise needle first, in the page and then in mkdocs.yml (menu titles).
            for needle in needles:
                for file, text in ((page_shown, source_text), (config_shown, config_text)):
                    line = leaks.line_containing(text, [needle])
                    if line is not None:
                        return file, line
            return page_shown, None

        problems = []
        for leak in leaks.markup_leaks(output):
            if leak.where == "code block":
                file, line = place(["{{kpi " + leak.text, leak.text])
                problems.append(Problem(file, line, f"the directive for '{leak.text}' stands in "
                                        "an indented block that Markdown shows as code, so "
                                        "readers would see HTML",
                                        "remove the four-space indent, or enable the extension "
                                        "the block belongs to (e.g. def_list, admonition, "
                                        "footnotes) under markdown_extensions:",
                                        category="leaks"))
                continue
            file, line = place([leak.text, leak.text[:12], leak.markup])
            if leak.where == "title" and page_model and file == page_shown \
                    and "title" in page.meta:
                line = page_model.front_matter_line("title") or line
            problems.append(Problem(file, line, f"'{leak.markup}' would be published as text "
                                    f"in the page's {leak.where}: '{leak.text}'",
                                    "write the directive as {{name args}} with ASCII braces on "
                                    "one line in the page text (titles and menu entries cannot "
                                    "hold directives), or show braces as code: `{{`",
                                    category="leaks"))
        for url in leaks.external_resources(output):
            if external.allowed(url, ctx.allowed_external):
                continue  # csr-site publishes a copy, or says why it could not
            file, line = place([url])
            problems.append(Problem(file, line, f"the page would load '{url}' from another "
                                    "site (readers' browsers request it; it may be blocked "
                                    "for mainland readers)",
                                    "save the file into docs/ (e.g. docs/images/) and point to "
                                    "it with a relative path", category="leaks"))
        self.reporter.report(problems)
        return output

    @event_priority(50)  # before mkdocs-static-i18n (-100) starts the next language's build
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Write the CSV and JSON downloads of all KPIs into this language's site."""
        self.reporter.stop_if_errors("the built pages")
        folder = os.path.join(config.site_dir, self.ctx.prefix, self.config.downloads_dir)
        os.makedirs(folder, exist_ok=True)
        rows = render.rows_for_download(self.data, self.ctx.script, self.ctx.source_script,
                                        self.ctx.text_converter)
        # A byte-order mark lets spreadsheet programs read the CSV as UTF-8.
        with open(os.path.join(folder, "kpi-data.csv"), "w", encoding="utf-8-sig",
                  newline="") as out:
            out.write(render.to_csv(rows))
        with open(os.path.join(folder, "kpi-data.json"), "w", encoding="utf-8") as out:
            out.write(render.to_json(self.data, rows))


def _metadata_markup(page: Page, page_model: PageModel) -> list[Problem]:
    """A directive in the page header is never expanded: it would show in the tab and menu."""
    problems = []
    for key in ("title", "description"):
        value = page.meta.get(key)
        if isinstance(value, str) and directives.in_metadata(value):
            problems.append(Problem(page_model.path, page_model.front_matter_line(key),
                                    f"the page {key} '{value}' holds directive markup, "
                                    "which is never expanded there",
                                    f"write the {key} as plain text and quote figures in the "
                                    "page text", category="directives"))
    return problems
