"""The KPI data file: schema, cross-checks and look-ups."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, Strict, field_validator

from ..datafile import Location, load_model
from ..convert.review import foreign_characters
from ..errors import Problem, SourceErrors, suggestion
from ..text import Labels

KPI_ID = r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$"


class Periods(BaseModel):
    model_config = ConfigDict(extra="forbid")
    current: str
    previous: Optional[str] = None

    @field_validator("current", "previous", mode="before")
    @classmethod
    def _as_text(cls, value):
        return str(value) if isinstance(value, int) else value


class Unit(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="forbid")
    kind: Literal["count", "quantity", "percent", "money", "score"]
    zh_Hant: Optional[str] = Field(None, alias="zh-Hant")
    zh_Hans: Optional[str] = Field(None, alias="zh-Hans")
    en: Optional[str] = None
    decimals: Optional[int] = Field(None, ge=0, le=6)
    out_of: Optional[float] = None  # a score's maximum, e.g. 7
    # Money shown in 萬/億 (万/亿) from ten thousand up; false writes every digit.
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
    source: Optional[Labels] = None
    assured: bool = False
    note: Optional[Labels] = None
    frameworks: list[str] = []
    decimals: Optional[int] = Field(None, ge=0, le=6)

    @field_validator("values", mode="before")
    @classmethod
    def _periods_as_text(cls, value):
        # YAML reads `2021: 160` with a number as the key.
        if isinstance(value, dict):
            return {str(period): number for period, number in value.items()}
        return value

    def value(self, period: str) -> Optional[float]:
        return self.values.get(period)


class KPIData(BaseModel):
    model_config = ConfigDict(extra="forbid")
    periods: Periods
    units: dict[str, Unit]
    scopes: dict[str, Labels]
    groups: dict[str, Labels]
    kpis: list[KPI]

    def get(self, kpi_id: str) -> Optional[KPI]:
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


def _wrong_script(labels: Optional[Labels], what: str, shown_as: str, line) -> list[Problem]:
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


def _cross_checks(data: KPIData, lines: dict[Location, int], shown_as: str,
                  source_script: str, change_threshold: float) -> list[Problem]:
    problems: list[Problem] = []

    def at(*loc) -> Optional[int]:
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
                                    f"give one of them another id (the first is on line {seen[kpi.id]})"))
        else:
            seen[kpi.id] = line or 0
        for field, table in (("unit", data.units), ("scope", data.scopes), ("group", data.groups)):
            key = getattr(kpi, field)
            if key not in table:
                hint = suggestion(key, table) or f"add '{key}' under '{field}s:' at the top of the file"
                problems.append(Problem(shown_as, at("kpis", i, field),
                                        f"'{key}' is not a known {field}", hint))
        if not kpi.label.get(source_script):
            problems.append(Problem(shown_as, at("kpis", i, "label"),
                                    f"KPI '{kpi.id}' has no {source_script} label",
                                    f"add {source_script}: under label:"))
        for field in ("label", "note", "source"):
            problems += _wrong_script(getattr(kpi, field), f"the {field} of KPI '{kpi.id}'",
                                      shown_as, lambda script, f=field: at("kpis", i, f, script))
        if data.periods.current not in kpi.values:
            problems.append(Problem(shown_as, at("kpis", i, "values"),
                                    f"KPI '{kpi.id}' has no value for the current period "
                                    f"{data.periods.current}",
                                    f"add \"{data.periods.current}\": <number> under values:"))
        unit = data.units.get(kpi.unit)
        for period, number in kpi.values.items():
            where = at("kpis", i, "values", period)
            if unit and unit.kind == "count" and (number < 0 or number != int(number)):
                problems.append(Problem(shown_as, where,
                                        f"'{number:g}' for {period} is not a whole count",
                                        "a count is a whole number of zero or more"))
            if unit and unit.kind == "score" and unit.out_of and not 0 <= number <= unit.out_of:
                problems.append(Problem(shown_as, where,
                                        f"the score {number} for {period} is outside 0–{unit.out_of:g}",
                                        "check the figure or the unit's out_of"))
            if unit and unit.kind == "money" and number < 0:
                problems.append(Problem(shown_as, where, f"a negative amount ({number}) for {period}",
                                        "check the figure"))
        previous = data.periods.previous
        if previous and previous in kpi.values and data.periods.current in kpi.values:
            before, now = kpi.values[previous], kpi.values[data.periods.current]
            if before and abs(now - before) / abs(before) * 100 > change_threshold and not kpi.note:
                change = (now - before) / abs(before) * 100
                problems.append(Problem(
                    shown_as, at("kpis", i, "values"),
                    f"KPI '{kpi.id}' changed by {change:+.1f}% against {previous} "
                    f"(more than {change_threshold:g}%) without an explanation",
                    "add a note: with zh-Hant: explaining the change", severity="warning"))
        for j, code in enumerate(kpi.frameworks):
            if ":" not in code:
                problems.append(Problem(shown_as, at("kpis", i, "frameworks", j),
                                        f"'{code}' does not name its framework",
                                        "write it as framework:code, e.g. gri:404-1"))
    return problems


def load(path: str | Path, shown_as: str, source_script: str = "zh-Hant",
         change_threshold: float = 20.0) -> tuple[KPIData, list[Problem]]:
    """The KPI data, and warnings (errors are raised as SourceErrors)."""
    data, lines = load_model(KPIData, path, shown_as)
    problems = _cross_checks(data, lines, shown_as, source_script, change_threshold)
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
    if problems:
        raise SourceErrors(problems)
    return found


_ID_LIKE = re.compile(KPI_ID)
