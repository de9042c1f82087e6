"""The report model: every data file of a report, loaded and validated once.

One loader (:func:`load`) reads the report facts, glossary, KPIs, charts, framework
definitions and omissions that the enabled capabilities use, checks each against its
schema and against the others (the report's year and the KPI periods, a KPI's
framework codes, the reporting period), and returns the models with every problem
found.  The plugins (through the build context), ``csr-kit check`` and
``csr-kit rollover`` all use it, so a file is judged the same way everywhere.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import glossary as glossary_lib
from .datafile import load_model, load_yaml, read_text
from .errors import Problem, SourceError, SourceErrors, suggestion
from .frameworks import model as fw
from .kpi import model as kpi_lib, published as published_lib
from .kpi.render import decimals_for, format_number
from .kpi.spreadsheet import at_cells, load_workbook_model
from .report import Report, load_report
from .text import Labels, script_of

BUG_HINT = ("this looks like a bug in csr-kit, not a mistake of yours — please report it "
            "with this message")


@dataclass(frozen=True)
class DataFiles:
    """Which data files the enabled capabilities read (paths relative to the project).

    ``None`` means no enabled capability reads that file.
    """

    source_script: str = "zh-Hant"
    # Built languages written by translators (English): their labels must be in the data.
    translated_languages: tuple[str, ...] = ()
    report: str | None = None
    report_required: bool = False  # csr-frameworks and csr-pdf need it; csr-site uses it if there
    glossary: str | None = None
    glossary_required: bool = False  # csr-glossary needs it; csr-convert uses it if there
    kpis: str | None = None
    charts: str | None = None
    change_threshold: float = 20.0
    frameworks: str | None = None  # the folder of <framework>.yml files
    enabled_frameworks: tuple[str, ...] = ()
    omissions: str | None = None
    # Who reads each file, for "set its name under … in mkdocs.yml" hints.
    owners: tuple[tuple[str, str], ...] = ()

    def owner(self, what: str) -> str:
        return dict(self.owners).get(what, "the csr plugins")


@dataclass
class ReportModel:
    """A report's data, as validated models, and the problems found in it."""

    files: DataFiles
    report: Report | None = None
    glossary: glossary_lib.Glossary = field(default_factory=glossary_lib.Glossary)
    kpis: kpi_lib.KPIData | None = None
    charts: dict[str, kpi_lib.ChartSpec] = field(default_factory=dict)
    frameworks: dict[str, fw.Framework] = field(default_factory=dict)
    omissions: dict[str, dict[str, fw.Omission]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def data_files(options: Callable[[str], dict[str, Any] | None], source_script: str,
               translated_languages: tuple[str, ...] = ()) -> DataFiles:
    """The data files of a report whose csr plugins have these options.

    ``options(name)`` gives a plugin's options with their defaults (None when the
    plugin is not in mkdocs.yml): from the validated configuration in a build,
    from mkdocs.yml itself in ``csr-kit check``.
    """
    convert, glossary = options("csr-convert"), options("csr-glossary")
    kpi, frameworks = options("csr-kpi"), options("csr-frameworks")
    site, pdf = options("csr-site"), options("csr-pdf")
    owners = []
    glossary_file = None
    if glossary is not None:
        glossary_file = str(glossary["glossary"])
        owners.append(("glossary", "csr-glossary"))
    elif convert is not None and convert.get("glossary"):
        glossary_file = str(convert["glossary"])
    report_file, report_required = None, False
    for name, plugin in (("csr-frameworks", frameworks), ("csr-pdf", pdf), ("csr-site", site)):
        if plugin is not None and report_file is None:
            report_file, report_required = str(plugin["report"]), name != "csr-site"
            owners.append(("report", name))
    threshold = 20.0
    if kpi is not None:
        owners.append(("kpis", "csr-kpi"))
        # A threshold that is not a number is reported by the configuration's validation.
        with contextlib.suppress(TypeError, ValueError):
            threshold = float(kpi.get("change_threshold", threshold))
    enabled = frameworks.get("enabled") if frameworks is not None else None
    return DataFiles(
        source_script=source_script,
        translated_languages=translated_languages,
        report=report_file, report_required=report_required,
        glossary=glossary_file, glossary_required=glossary is not None,
        kpis=str(kpi["kpis"]) if kpi is not None else None,
        charts=str(kpi["charts"]) if kpi is not None else None,
        change_threshold=threshold,
        frameworks=str(frameworks["definitions"]) if frameworks is not None else None,
        enabled_frameworks=tuple(str(f) for f in enabled) if isinstance(enabled, list) else (),
        omissions=str(frameworks["omissions"]) if frameworks is not None else None,
        owners=tuple(owners))


# Where a problem about an enabled framework is shown: (file, line) in mkdocs.yml.
EnabledPlace = Callable[[str], tuple[str, int | None]]


def load(root: Path, files: DataFiles, enabled_place: EnabledPlace | None = None
         ) -> ReportModel:
    """Load and check every data file ``files`` names; never raises for authors' mistakes."""
    model = ReportModel(files)
    problems = model.problems

    def attempt(shown: str, fn: Callable[..., Any], *args: Any) -> Any:
        try:
            return fn(*args)
        except SourceError as err:
            problems.append(err.problem)
        except SourceErrors as err:
            problems.extend(err.problems)
        except Exception as err:  # noqa: BLE001 - an author never sees a traceback
            problems.append(Problem(shown, None, f"csr-kit could not check this file "
                                    f"({type(err).__name__}: {err})", BUG_HINT))
        return None

    def required(relative: str, what: str, owner: str) -> Path | None:
        path = root / relative
        if not path.exists():
            problems.append(Problem(relative, None, f"the {what} file is missing",
                                    f"create it, or set its name under {owner} in mkdocs.yml",
                                    category="file"))
            return None
        return path

    if files.glossary:
        path = (required(files.glossary, "glossary", files.owner("glossary"))
                if files.glossary_required else
                (root / files.glossary if (root / files.glossary).exists() else None))
        if path:
            model.glossary = attempt(files.glossary, glossary_lib.load, path,
                                     files.glossary) or model.glossary

    if files.frameworks is not None:
        folder = files.frameworks
        for fid in files.enabled_frameworks:
            relative = f"{folder}/{fid}.yml"
            path = root / relative
            if not path.exists():
                available = sorted(p.stem for p in (root / folder).glob("*.yml")) \
                    if (root / folder).is_dir() else []
                where, line = enabled_place(fid) if enabled_place else ("mkdocs.yml", None)
                problems.append(Problem(where, line, f"the framework '{fid}' has no definition "
                                        f"file {relative}", suggestion(str(fid), available) or
                                        f"add {relative}, or remove '{fid}' from enabled:",
                                        category="frameworks"))
                continue
            found = attempt(relative, fw.load_framework, path, relative)
            if found:
                model.frameworks[str(fid)] = found
        # Omissions name items of the frameworks: checked once those are readable.
        if files.omissions and (root / files.omissions).exists() \
                and len(model.frameworks) == len(files.enabled_frameworks):
            model.omissions = attempt(files.omissions, fw.load_omissions, root / files.omissions,
                                      files.omissions, model.frameworks) or {}

    if files.report:
        path = (required(files.report, "report facts (organisation, title, year)",
                         files.owner("report")) if files.report_required else
                (root / files.report if (root / files.report).exists() else None))
        if path:
            model.report = attempt(files.report, load_report, path, files.report)
            if model.report is not None:
                problems.extend(_report_period(path, files.report))

    if files.kpis:
        path = required(files.kpis, "KPI data", files.owner("kpis"))
        record = _published_figures(root, files.kpis, attempt) if path else None
        loaded = attempt(files.kpis, _load_kpis, path, files.kpis, files.source_script,
                         files.change_threshold, record) if path else None
        if loaded:
            model.kpis, warnings = loaded
            problems.extend(warnings)
            if files.report and model.report is not None:
                problems.extend(_report_against_kpis(root, files.report, files.kpis,
                                                     model.kpis))
            if files.frameworks is not None:
                problems.extend(_kpi_framework_codes(root / files.kpis, files.kpis, model.kpis,
                                                     model.frameworks,
                                                     list(files.enabled_frameworks)))
            if files.charts and (root / files.charts).exists():
                model.charts = attempt(files.charts, kpi_lib.load_charts, root / files.charts,
                                       files.charts, model.kpis) or {}

    for language in files.translated_languages:
        problems.extend(attempt(files.kpis or "mkdocs.yml", missing_translations, root, model,
                                language) or [])
    return model


def _published_figures(root: Path, kpis_shown: str, attempt: Callable[..., Any]
                       ) -> published_lib.Record | None:
    """The record of last published figures next to the KPI data, if there is one."""
    path = published_lib.path_for(root / kpis_shown)
    shown = Path(kpis_shown).parent.joinpath(published_lib.FILE_NAME).as_posix()
    found: published_lib.Record | None = attempt(shown, published_lib.load, path, shown)
    return found


def _load_kpis(path: Path, shown: str, script: str, threshold: float,
               record: published_lib.Record | None
               ) -> tuple[kpi_lib.KPIData, list[Problem]]:
    return kpi_lib.load(path, shown, script, threshold, published=record)


def _report_period(path: Path, shown: str) -> list[Problem]:
    """The reporting period must start before it ends."""
    report, lines = load_model(Report, path, shown)
    if report.period.start < report.period.end:
        return []
    return [Problem(shown, lines.get(("period", "end")) or lines.get(("period",)),
                    f"the reporting period ends ({report.period.end}) before it starts "
                    f"({report.period.start})", "check the dates: start: is the first day, "
                    "end: the last (YYYY-MM-DD)")]


def _report_against_kpis(root: Path, report_shown: str, kpis_shown: str,
                         data: kpi_lib.KPIData) -> list[Problem]:
    """The report's year is the KPI data's current period (both move on at rollover)."""
    try:
        report, lines = load_model(Report, root / report_shown, report_shown)
        kpi_lines = _kpi_places(root / kpis_shown, kpis_shown)
    except (SourceError, SourceErrors):
        return []  # reported by the file's own check
    current = data.periods.current
    years = re.findall(r"\d{4}", current)
    if not years or int(years[0]) == report.year or str(report.year) in years:
        return []
    line = kpi_lines.get(("periods", "current")) or kpi_lines.get(("periods",))
    return at_cells([Problem(kpis_shown, line,
                             f"the current KPI period '{current}' is not the report's year "
                             f"{report.year} ({report_shown}:{lines.get(('year',))})",
                             f"make them the same year: current: \"{report.year}\" here, or "
                             f"year: in {report_shown}")], kpis_shown)


def _kpi_framework_codes(path: Path, shown: str, data: kpi_lib.KPIData,
                         frameworks: dict[str, fw.Framework], enabled: list[str]
                         ) -> list[Problem]:
    """A KPI's ``frameworks: [gri:2-7]`` must name enabled frameworks and real codes."""
    try:
        lines = _kpi_places(path, shown)
    except (SourceError, SourceErrors):
        return []
    problems: list[Problem] = []
    for i, item in enumerate(data.kpis):
        for j, code in enumerate(item.frameworks):
            if ":" not in code:
                continue  # reported by the KPI checks
            fid, item_code = code.split(":", 1)
            line = lines.get(("kpis", i, "frameworks", j)) or lines.get(("kpis", i, "frameworks"))
            if fid not in enabled:
                problems.append(Problem(shown, line, f"'{fid}' in '{code}' is not an enabled "
                                        "framework", suggestion(fid, enabled) or
                                        f"use one of: {', '.join(enabled)}",
                                        category="frameworks"))
            elif fid in frameworks and item_code not in frameworks[fid].codes():
                problems.append(Problem(shown, line, f"'{item_code}' is not a code of {fid}",
                                        suggestion(item_code, frameworks[fid].codes()) or
                                        f"see the codes in the {fid} definition file",
                                        category="frameworks"))
    return at_cells(problems, shown)


def _kpi_places(path: Path, shown: str) -> Mapping[Any, Any]:
    """Where each part of the KPI data is: lines of the YAML file, or cells of a workbook
    (``at_cells`` then writes a cell into the problem's file name, 'kpis.xlsx!KPIs!D14')."""
    if path.suffix.lower() in (".xlsx", ".csv"):
        return load_workbook_model(kpi_lib.KPIData, path, shown)[1]
    return load_model(kpi_lib.KPIData, path, shown)[1]


# --- translated editions ---------------------------------------------------------------

def _at(lines: Mapping[Any, Any]) -> Callable[..., Any]:
    """The line of a place (a spreadsheet cell for a workbook), else of the block holding it."""
    def at(*loc: object) -> Any:
        while loc:
            if loc in lines:
                return lines[loc]
            loc = loc[:-1]
        return None
    return at


class _Gaps:
    """Texts a translated edition would show that the data gives in Chinese only."""

    def __init__(self, language: str) -> None:
        self.built = f"the English edition is built: i18n language '{language}' in mkdocs.yml"
        self.problems: list[Problem] = []

    def need(self, shown: str, line: Any, labels: Labels | None, what: str,
             under: str = "") -> None:
        """``labels`` must have en: when it has any text (a unit shown as % has none)."""
        if labels is not None and not labels.en and (labels.zh_Hant or labels.zh_Hans):
            self.add(shown, line, f"{what} has no English (en:)",
                     f"add en: …{' under ' + under if under else ''}")

    def add(self, shown: str, line: Any, message: str, fix: str) -> None:
        self.problems.append(Problem(shown, line, message, f"{fix} ({self.built})",
                                     category="translation"))


def missing_translations(root: Path, model: ReportModel, language: str) -> list[Problem]:
    """Every text a translated edition (English) shows that the data gives in Chinese only.

    Each is an error on the line of the label that lacks its ``en:``: the edition
    would otherwise show Chinese, or nothing, where the reader expects English.
    Also a unit option typed inside a label's quotes (the unit then lacks it).
    """
    files = model.files
    if script_of(language) != "en":
        return [Problem("mkdocs.yml", None, f"the i18n language '{language}' is built, but the "
                        "data files give texts in Chinese and English only",
                        f"set build: false for '{language}', or build English (locale: en)",
                        category="translation")]
    gaps = _Gaps(language)
    problems = gaps.problems
    if model.kpis is not None and files.kpis:
        problems += _kpi_translations(root, files.kpis, model.kpis, language)
    if model.charts and files.charts:
        _, chart_lines = load_model(kpi_lib.Charts, root / files.charts, files.charts)
        at = _at(chart_lines)
        for i, chart in enumerate(model.charts.values()):
            gaps.need(files.charts, at("charts", i, "title"), chart.title,
                      f"the title of chart '{chart.id}'")
    for fid, framework in model.frameworks.items():
        shown = f"{files.frameworks}/{fid}.yml"
        _, framework_lines = load_model(fw.Framework, root / shown, shown)
        at = _at(framework_lines)
        gaps.need(shown, at("title"), framework.title, f"the title of framework '{fid}'")
        gaps.need(shown, at("publisher"), framework.publisher, f"the publisher of '{fid}'")
        for gi, group in enumerate(framework.groups):
            gaps.need(shown, at("groups", gi, "title"), group.title,
                      f"the title of {fid} group '{group.code}'")
            for ii, item in enumerate(group.items):
                gaps.need(shown, at("groups", gi, "items", ii, "title"), item.title,
                          f"the title of {fid} {item.code}", under="title:")
                gaps.need(shown, at("groups", gi, "items", ii, "description"),
                          item.description, f"the description of {fid} {item.code}",
                          under="description:")
    if model.omissions and files.omissions:
        _, omission_lines = load_yaml(read_text(root / files.omissions, files.omissions),
                                      files.omissions)
        at = _at(omission_lines)
        for fid, omitted in model.omissions.items():
            for i, omission in enumerate(omitted.values()):
                gaps.need(files.omissions, at(fid, i, "explanation"), omission.explanation,
                          f"the explanation of the omitted {fid} {omission.item}",
                          under="explanation:")
    if model.report is not None and files.report:
        _, report_lines = load_model(Report, root / files.report, files.report)
        at = _at(report_lines)
        report = model.report
        address = report.contact.address if report.contact else None
        # site_name and description are optional; given, the English site shows them.
        for place, labels in ((("organisation",), report.organisation),
                              (("title",), report.title), (("copyright",), report.copyright),
                              (("contact", "address"), address),
                              (("site_name",), report.site_name),
                              (("description",), report.description)):
            gaps.need(files.report, at(*place), labels, f"the report's {'.'.join(place)}")
    undefined = [(i, t) for i, t in enumerate(model.glossary.terms)
                 if t.definition and not t.definition_en]
    if undefined and files.glossary:
        _, glossary_lines = load_model(glossary_lib.Glossary, root / files.glossary,
                                       files.glossary)
        at = _at(glossary_lines)
        for i, term in undefined:
            gaps.add(files.glossary, at("terms", i, "definition"),
                     f"the glossary term '{term.en}' has a definition with no English "
                     "(definition_en:)", "add definition_en: … to the term")
    return problems


def _kpi_translations(root: Path, shown: str, data: kpi_lib.KPIData,
                      language: str) -> list[Problem]:
    """The KPI file's texts, each unit's singular where a figure reads 1, and options
    typed inside a label's quotes."""
    gaps = _Gaps(language)
    path = root / shown
    workbook = path.suffix.lower() in (".xlsx", ".csv")
    at = _at(_kpi_places(path, shown))
    if not workbook:
        gaps.problems += kpi_lib.options_in_labels(data, at, shown)
    used_units = {k.unit for k in data.kpis}
    for key, unit in data.units.items():
        if key in used_units:
            gaps.need(shown, at("units", key, "en"), unit.labels, f"the unit '{key}'")
    for table, what in ((data.scopes, "scope"), (data.groups, "group")):
        used = {getattr(k, what) for k in data.kpis}
        for key, labels in table.items():
            if key in used:
                gaps.need(shown, at(f"{what}s", key, "en"), labels, f"the {what} '{key}'")
    for i, k in enumerate(data.kpis):
        for field_name in ("label", "source", "note"):
            gaps.need(shown, at("kpis", i, field_name), getattr(k, field_name),
                      f"the {field_name} of KPI '{k.id}'", under=f"{field_name}:")
    for key, unit in data.units.items():
        shown_one = _shown_as_one(data, key, unit)
        if unit.en and unit.en_one is None and shown_one is not None:
            kpi, period = shown_one
            gaps.add(shown, at("units", key, "en"),
                     f"the unit '{key}' has no English singular (en_one:), and KPI "
                     f"'{kpi}' reads 1 in {period} ('1 {unit.en}')",
                     f"add en_one: <singular of '{unit.en}'> to the unit")
    if workbook:
        return at_cells(gaps.problems, shown)
    return gaps.problems


def _shown_as_one(data: kpi_lib.KPIData, unit_key: str, unit: kpi_lib.Unit
                  ) -> tuple[str, str] | None:
    """A KPI in this count or quantity unit and a period whose figure is shown as '1'."""
    if unit.kind not in ("count", "quantity"):
        return None
    for k in data.kpis:
        if k.unit != unit_key:
            continue
        for period, value in sorted(k.values.items()):
            if format_number(value, decimals_for(k, unit, value)) == "1":
                return k.id, period
    return None
