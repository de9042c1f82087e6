"""The KPI data file: schema, cross-checks and look-ups."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Annotated, Literal, cast

from pydantic import BaseModel, ConfigDict, Field, Strict, field_validator

from ..convert.review import foreign_characters
from ..datafile import Location, load_model
from ..errors import Problem, SourceErrors, suggestion
from ..text import Labels
from .published import Record, explained
from .spreadsheet import at_cells, load_workbook_model

KPI_ID = r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$"
# The line of a place in the data file (see datafile.Location), or None.
LineOf = Callable[..., int | None]
# The category of "no value for the current period" (allowed while collecting figures).
MISSING_CURRENT = "missing-current"


class Periods(BaseModel):
    model_config = ConfigDict(extra="forbid")
    current: str
    previous: str | None = None

    @field_validator("current", "previous", mode="before")
    @classmethod
    def _as_text(cls, value: object) -> object:
        return str(value) if isinstance(value, int) else value


class Unit(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="forbid")
    kind: Literal["count", "quantity", "percent", "money", "score"]
    zh_Hant: str | None = Field(None, alias="zh-Hant")
    zh_Hans: str | None = Field(None, alias="zh-Hans")
    en: str | None = None
    # English singular ("person"), shown when a figure reads exactly "1" ("1 person").
    en_one: str | None = None
    decimals: int | None = Field(None, ge=0, le=6)
    out_of: float | None = None  # a score's maximum, e.g. 7
    # Plausible range of every figure in this unit (beyond what its kind already implies).
    min: float | None = None
    max: float | None = None
    # Money shown in scaled units: 萬/億 (万/亿) from ten thousand up in Chinese,
    # million/billion from a million up in English; false writes every digit.
    chinese_units: bool = True

    @property
    def labels(self) -> Labels:
        return Labels(**{"zh-Hant": self.zh_Hant, "zh-Hans": self.zh_Hans, "en": self.en})


class KPI(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=KPI_ID)
    group: str
    label: Labels
    unit: str
    scope: str
    # Strict: "1,234", "59%", "twelve" or true are errors, not quietly read numbers;
    # each is reported on its own line (see datafile._plain_message).
    values: dict[str, Annotated[float, Strict(), Field(allow_inf_nan=False)]]
    source: Labels | None = None
    assured: bool = False
    note: Labels | None = None
    frameworks: list[str] = []
    decimals: int | None = Field(None, ge=0, le=6)
    # This KPI's plausible range, narrower or wider than its unit's.
    min: float | None = None
    max: float | None = None
    # Why a figure outside the usual range is right (e.g. a net reduction written negative):
    # the range checks then skip this KPI.
    plausibility_exception: str | None = Field(None, min_length=1)

    @field_validator("values", mode="before")
    @classmethod
    def _periods_as_text(cls, value: object) -> object:
        # YAML reads `2021: 160` with a number as the key.
        if isinstance(value, dict):
            return {str(period): number for period, number in value.items()}
        return value

    def value(self, period: str) -> float | None:
        return self.values.get(period)


class Sum(BaseModel):
    """Parts that add up to a total: a KPI's id, or a number such as 100 (a split in %)."""

    model_config = ConfigDict(extra="forbid")
    total: Annotated[float, Strict()] | str
    parts: list[str] = Field(min_length=2)
    # How far the parts may be from the total; by default the rounding of the parts.
    tolerance: float | None = Field(None, ge=0)


class KPIData(BaseModel):
    model_config = ConfigDict(extra="forbid")
    periods: Periods
    units: dict[str, Unit]
    scopes: dict[str, Labels]
    groups: dict[str, Labels]
    kpis: list[KPI]
    sums: list[Sum] = []

    def get(self, kpi_id: str) -> KPI | None:
        return self._by_id.get(kpi_id)

    @property
    def _by_id(self) -> dict[str, KPI]:
        cached = self.__dict__.get("_index")
        if cached is None:
            cached = {k.id: k for k in self.kpis}
            self.__dict__["_index"] = cached
        return cached

    def all_periods(self) -> list[str]:
        periods = {p for k in self.kpis for p in k.values}
        return sorted(periods)


class ChartSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    type: Literal["donut", "bar", "trend"]
    title: Labels
    series: list[str] = Field(min_length=1)


class Charts(BaseModel):
    model_config = ConfigDict(extra="forbid")
    charts: list[ChartSpec] = []


def _wrong_script(labels: Labels | None, what: str, shown_as: str,
                  line: LineOf) -> list[Problem]:
    """A label given for one script but typed in the other's characters."""
    problems = []
    for script, other, own in (("zh-Hant", "Simplified", "Traditional"),
                               ("zh-Hans", "Traditional", "Simplified")):
        wrong = foreign_characters((labels.get(script) or "") if labels else "", script)
        if wrong:
            problems.append(Problem(shown_as, line(script), f"{what} ({script}) has {other} "
                                    f"character(s) {wrong}",
                                    f"write the {script} text in {own} characters"))
    return problems


# A unit option or a script key inside a quoted label: `en: "hours, decimals: 0"`
# makes the option part of the text, so the unit silently has no such option.
_OPTION_IN_LABEL = re.compile(
    r",\s*(decimals|kind|max|min|out_of|chinese_units|en_one|zh-Hant|zh-Hans|en)\s*:\s")
_LABEL_KEYS = (("zh-Hant", "zh_Hant"), ("zh-Hans", "zh_Hans"), ("en", "en"))


def options_in_labels(data: KPIData, at: LineOf, shown_as: str) -> list[Problem]:
    """Labels whose quotes took in the options after them (the unit then lacks them)."""
    places: list[tuple[tuple[object, ...], str, str | None]] = []
    for key, unit in data.units.items():
        places += [(("units", key, name), f"the unit '{key}'", getattr(unit, attr))
                   for name, attr in (*_LABEL_KEYS, ("en_one", "en_one"))]
    for table, what in ((data.scopes, "scope"), (data.groups, "group")):
        for key, labels in table.items():
            places += [((f"{what}s", key, name), f"the {what} '{key}'", getattr(labels, attr))
                       for name, attr in _LABEL_KEYS]
    for i, kpi in enumerate(data.kpis):
        places += [(("kpis", i, "label", name), f"the label of KPI '{kpi.id}'",
                    getattr(kpi.label, attr)) for name, attr in _LABEL_KEYS]
    problems = []
    for loc, what, text in places:
        found = _OPTION_IN_LABEL.search(text) if text else None
        if text and found:
            label = text[: found.start()]
            problems.append(Problem(
                shown_as, at(*loc),
                f"an option is inside the label's quotes: {what} has {loc[-1]}: \"{text}\", "
                f"so '{found.group(1)}' is read as text, not as an option",
                f"close the quotes after the label: {loc[-1]}: \"{label}\"{text[found.start():]}"))
    return problems


def _cross_checks(data: KPIData, lines: dict[Location, int], shown_as: str,
                  source_script: str, change_threshold: float,
                  published: Record | None = None) -> list[Problem]:
    problems: list[Problem] = []

    def at(*loc: object) -> int | None:
        return lines.get(loc) or lines.get(loc[:-1])

    for table, what in ((data.scopes, "scope"), (data.groups, "group")):
        for key, labels in table.items():
            problems += _wrong_script(labels, f"the {what} '{key}'", shown_as,
                                      lambda script, w=what, k=key: at(f"{w}s", k, script))
    for key, unit in data.units.items():
        problems += _wrong_script(unit.labels, f"the unit '{key}'", shown_as,
                                  lambda script, k=key: at("units", k, script))

    seen: dict[str, int] = {}
    for i, kpi in enumerate(data.kpis):
        line = at("kpis", i, "id")
        if kpi.id in seen:
            problems.append(Problem(shown_as, line, f"the KPI id '{kpi.id}' is used twice",
                                    "give one of them another id "
                                    f"(the first is on line {seen[kpi.id]})"))
        else:
            seen[kpi.id] = line or 0
        named: tuple[tuple[str, Mapping[str, object]], ...] = (
            ("unit", data.units), ("scope", data.scopes), ("group", data.groups))
        for field, known in named:
            key = getattr(kpi, field)
            if key not in known:
                hint = (suggestion(key, known)
                        or f"add '{key}' under '{field}s:' at the top of the file")
                problems.append(Problem(shown_as, at("kpis", i, field),
                                        f"'{key}' is not a known {field}", hint))
        if not kpi.label.get(source_script):
            problems.append(Problem(shown_as, at("kpis", i, "label"),
                                    f"KPI '{kpi.id}' has no {source_script} label",
                                    f"add {source_script}: under label:"))
        for field in ("label", "note", "source"):
            problems += _wrong_script(
                getattr(kpi, field), f"the {field} of KPI '{kpi.id}'", shown_as,
                lambda script, f=field, i=i: at("kpis", i, f, script))
        if data.periods.current not in kpi.values:
            problems.append(Problem(shown_as, at("kpis", i, "values"),
                                    f"KPI '{kpi.id}' has no value for the current period "
                                    f"{data.periods.current}",
                                    f"add \"{data.periods.current}\": <number> under values:",
                                    category=MISSING_CURRENT))
        kpi_unit = data.units.get(kpi.unit)
        if kpi_unit:
            problems += _implausible(kpi, kpi_unit,
                                     lambda period, i=i: at("kpis", i, "values", period),
                                     shown_as)
        previous = data.periods.previous
        if previous and previous in kpi.values and data.periods.current in kpi.values:
            before, now = kpi.values[previous], kpi.values[data.periods.current]
            if before and abs(now - before) / abs(before) * 100 > change_threshold and not kpi.note:
                change = (now - before) / abs(before) * 100
                problems.append(Problem(
                    shown_as, at("kpis", i, "values"),
                    f"KPI '{kpi.id}' changed by {change:+.1f}% against {previous} "
                    f"(more than {change_threshold:g}%) without an explanation",
                    f"add a note: with {source_script}: explaining the change", severity="warning"))
        for j, code in enumerate(kpi.frameworks):
            if ":" not in code:
                problems.append(Problem(shown_as, at("kpis", i, "frameworks", j),
                                        f"'{code}' does not name its framework",
                                        "write it as framework:code, e.g. gri:404-1"))
    problems += _period_problems(data, at, shown_as)
    problems += _sum_problems(data, at, shown_as)
    if published is not None:
        problems += _restatements(data, at, shown_as, source_script, published)
    return problems


def _restatements(data: KPIData, at: LineOf, shown_as: str, source_script: str,
                  record: Record) -> list[Problem]:
    """Earlier years' figures that differ from the published ones need a new note (one
    that is not the note published with them: published.explained)."""
    problems = []
    for i, kpi in enumerate(data.kpis):
        if explained(kpi.note, record.note(kpi.id)):
            continue
        kept = " (the note published with it explains nothing new)" if kpi.note else ""
        for period, old in sorted(record.figures.get(kpi.id, {}).items(), reverse=True):
            new = kpi.values.get(period)
            if period == data.periods.current or new is None or new == old:
                continue
            problems.append(Problem(
                shown_as, at("kpis", i, "values", period),
                f"the {period} figure of '{kpi.id}' is {new:g}, but the {record.report} "
                f"report published {old:g} ({record.shown}): a restatement{kept}",
                f"explain why in a note: of this KPI (with {source_script}:; GRI 2-4 asks for "
                "the reason), or restore the published figure", category="restatement"))
    return problems


def _range(kpi: KPI, unit: Unit) -> tuple[float | None, float | None, str]:
    """The plausible range of a KPI's figures and where it comes from (for the message)."""
    low, high, why = None, None, ""
    if unit.kind in ("count", "quantity", "money"):
        low, why = 0.0, f"a {unit.kind} is never negative"
    elif unit.kind == "percent":
        low, high, why = 0.0, 100.0, "a percentage is between 0 and 100"
    elif unit.kind == "score":
        low = 0.0
        if unit.out_of is not None:
            high, why = unit.out_of, f"a score is between 0 and its scale ({unit.out_of:g})"
        else:
            why = "a score is never negative"
    if unit.min is not None or unit.max is not None:
        low = unit.min if unit.min is not None else low
        high = unit.max if unit.max is not None else high
        why = "the unit's min:/max: in units:"
    if kpi.min is not None or kpi.max is not None:
        low = kpi.min if kpi.min is not None else low
        high = kpi.max if kpi.max is not None else high
        why = "the KPI's own min:/max:"
    return low, high, why


def _implausible(kpi: KPI, unit: Unit, line: LineOf, shown_as: str) -> list[Problem]:
    """Figures that cannot be true for their unit: each on its own line, with the fix."""
    problems: list[Problem] = []
    if kpi.plausibility_exception:
        return problems
    low, high, why = _range(kpi, unit)
    exception = ("if it is right, give the KPI plausibility_exception: \"why\" "
                 "(e.g. a net reduction written as a negative figure)")
    for period, number in kpi.values.items():
        if unit.kind == "count" and number != int(number):
            problems.append(Problem(shown_as, line(period),
                                    f"'{number:g}' for {period} is not a whole count",
                                    "a count is a whole number of zero or more"))
            continue
        if (low is not None and number < low) or (high is not None and number > high):
            bound = (f"{low:g}–{high:g}" if low is not None and high is not None
                     else f"at least {low:g}" if low is not None else f"at most {high:g}")
            shown = f"{number:g}"
            if unit.kind == "count" and number < 0:
                message = f"'{shown}' for {period} is not a whole count"
            elif unit.kind == "score":
                message = f"the score {shown} for {period} is outside {bound}"
            else:
                message = f"{shown} for {period} is impossible for KPI '{kpi.id}' ({why})"
                why = ""
            problems.append(Problem(shown_as, line(period), message,
                                    f"check the figure ({bound}{'; ' + why if why else ''}); "
                                    + exception))
    return problems


def _period_problems(data: KPIData, at: LineOf, shown_as: str) -> list[Problem]:
    periods = data.periods
    if periods.previous is not None and periods.previous == periods.current:
        return [Problem(shown_as, at("periods", "previous"),
                        f"the previous period is the same as the current one ({periods.current})",
                        "write last year's period after previous:, e.g. previous: \"2020\"")]
    if periods.previous is not None and _period_order(periods.previous) > \
            _period_order(periods.current):
        return [Problem(shown_as, at("periods", "previous"),
                        f"the previous period {periods.previous} comes after the current "
                        f"one {periods.current}", "swap them, or fix the years")]
    return []


def _period_order(period: str) -> tuple[int, str]:
    """'2021', '2021/22' and 'FY2021' compare by their first number."""
    found = re.search(r"\d{4}", period)
    return (int(found.group()) if found else 0, period)


def _sum_problems(data: KPIData, at: LineOf, shown_as: str) -> list[Problem]:
    """Parts that should add up to their total (staff by gender, a 100% split)."""
    problems = []
    for s, rule in enumerate(data.sums):
        unknown: list[tuple[int | None, str]] = [
            (j, p) for j, p in enumerate(rule.parts) if data.get(p) is None]
        if isinstance(rule.total, str) and data.get(rule.total) is None:
            unknown.insert(0, (None, rule.total))
        for j, kpi_id in unknown:
            where = at("sums", s, "parts", j) if j is not None else at("sums", s, "total")
            problems.append(Problem(shown_as, where, f"unknown KPI id '{kpi_id}' in sums:",
                                    suggestion(kpi_id, [k.id for k in data.kpis])
                                    or "use the id of a KPI listed under kpis:"))
        if unknown:
            continue
        parts = [k for k in map(data.get, rule.parts) if k is not None]  # all known now
        total_kpi = data.get(rule.total) if isinstance(rule.total, str) else None
        tolerance = rule.tolerance
        if tolerance is None:
            # Each part is rounded when it is written down: allow half its last digit.
            tolerance = sum(_rounding(data, k) for k in parts)
        periods = set.intersection(*(set(k.values) for k in parts))
        if total_kpi is not None:
            periods &= set(total_kpi.values)
        for period in sorted(periods):
            added = sum(k.values[period] for k in parts)
            total = total_kpi.values[period] if total_kpi is not None else float(rule.total)
            if abs(added - total) > tolerance + 1e-9:
                named = (f"KPI '{total_kpi.id}' ({total:g})" if total_kpi is not None
                         else f"{total:g}")
                problems.append(Problem(
                    shown_as, at("sums", s, "total"),
                    f"in {period} the parts {' + '.join(rule.parts)} add up to {added:g}, "
                    f"not {named}",
                    f"check the figures (allowed difference {tolerance:g}; set tolerance: "
                    "for a larger one)"))
    return problems


def _rounding(data: KPIData, kpi: KPI) -> float:
    """Half the last digit a figure is written with: 0 for counts (they are exact)."""
    unit = data.units.get(kpi.unit)
    if unit is not None and unit.kind == "count":
        return 0.0
    decimals = kpi.decimals if kpi.decimals is not None else (
        unit.decimals if unit is not None and unit.decimals is not None else 2)
    return 0.5 * 10.0 ** -decimals


def load(path: str | Path, shown_as: str, source_script: str = "zh-Hant",
         change_threshold: float = 20.0, *, missing_current_ok: bool = False,
         published: Record | None = None
         ) -> tuple[KPIData, list[Problem]]:
    """The KPI data, and warnings (errors are raised as SourceErrors).

    ``missing_current_ok``: figures not yet given for the current period are no error
    (``csr-kit kpi export``/``import`` right after a roll-over, to collect them).
    ``published``: the record of the last published figures (kpi/published.py): an
    earlier year's figure that differs needs a new note in the KPI.
    """
    if Path(path).suffix.lower() in (".xlsx", ".csv"):
        # Cell references ('KPIs!D14') stand in for line numbers; at_cells then moves
        # them from each problem's line into its path.
        data, cells = load_workbook_model(KPIData, Path(path), shown_as)
        problems = at_cells(_cross_checks(data, cast(dict[Location, int], cells), shown_as,
                                          source_script, change_threshold, published),
                            shown_as)
    else:
        data, lines = load_model(KPIData, path, shown_as)
        problems = _cross_checks(data, lines, shown_as, source_script, change_threshold,
                                 published)
    if missing_current_ok:
        problems = [p for p in problems if p.category != MISSING_CURRENT]
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise SourceErrors(errors)
    return data, [p for p in problems if p.severity != "error"]


def load_charts(path: str | Path, shown_as: str, data: KPIData) -> dict[str, ChartSpec]:
    charts, lines = load_model(Charts, path, shown_as)
    problems = []
    found: dict[str, ChartSpec] = {}
    for i, chart in enumerate(charts.charts):
        line = lines.get(("charts", i, "id"))
        if chart.id in found:
            problems.append(Problem(shown_as, line, f"the chart id '{chart.id}' is used twice",
                                    "give one of them another id"))
        found[chart.id] = chart
        units = set()
        for j, kpi_id in enumerate(chart.series):
            kpi = data.get(kpi_id)
            if kpi is None:
                problems.append(Problem(shown_as, lines.get(("charts", i, "series", j)),
                                        f"unknown KPI id '{kpi_id}' in chart '{chart.id}'",
                                        suggestion(kpi_id, [k.id for k in data.kpis])
                                        or "check data/kpis.yml for the id"))
            else:
                units.add(kpi.unit)
        if len(units) > 1:
            problems.append(Problem(shown_as, lines.get(("charts", i, "series")),
                                    f"chart '{chart.id}' mixes units ({', '.join(sorted(units))})",
                                    "put KPIs of one unit in a chart, or make two charts"))
        if chart.type == "trend" and len(chart.series) != 1:
            problems.append(Problem(shown_as, lines.get(("charts", i, "series")),
                                    f"trend chart '{chart.id}' needs exactly one KPI",
                                    "list a single KPI id under series:"))
        elif (chart.type == "trend" and (trend_kpi := data.get(chart.series[0])) is not None
                and len(trend_kpi.values) < 2):
            problems.append(Problem(shown_as, lines.get(("charts", i, "type")),
                                    f"trend chart '{chart.id}' would show one year only "
                                    f"(KPI '{chart.series[0]}' has one figure)",
                                    "add earlier years' figures under the KPI's values:, or "
                                    "use type: bar"))
    if problems:
        raise SourceErrors(problems)
    return found

