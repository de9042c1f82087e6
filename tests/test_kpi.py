"""Issue 4: KPI data, number formatting, inline values, cards, charts, the appendix,
downloads and errors, in unit tests and in fixture sites built in both scripts."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURE, Project
from csr_kit.kpi import model, render
from csr_kit.kpi.model import KPI, Unit
from csr_kit.text import Labels
from helpers import problems, write
from htmltools import parse, resolve

DATA = Path(__file__).resolve().parent / "fixtures" / "kpi"
ROOT = Path(__file__).resolve().parent.parent


def kpi(value=1, unit="u", **more) -> KPI:
    return KPI(id="a.b", group="g", label=Labels(**{"zh-Hant": "甲"}), unit=unit, scope="s",
               values={"2021": value}, **more)


UNITS = {
    "count": Unit(kind="count", **{"zh-Hant": "人", "zh-Hans": "人"}),
    "hours": Unit(kind="quantity", **{"zh-Hant": "小時", "zh-Hans": "小时"}, decimals=1),
    "kg": Unit(kind="quantity", **{"zh-Hant": "公斤", "zh-Hans": "公斤"}),
    "tonne": Unit(kind="quantity", **{"zh-Hant": "公噸"}),
    "percent": Unit(kind="percent", decimals=1),
    "hkd": Unit(kind="money", **{"zh-Hant": "港元", "zh-Hans": "港元"}),
    "score": Unit(kind="score", out_of=7, decimals=2),
}


# --- numbers per unit kind and script --------------------------------------------------

@pytest.mark.parametrize("unit, value, hant, hans", [
    ("count", 1234567, "1,234,567 人", "1,234,567 人"),
    ("count", 160, "160 人", "160 人"),
    ("hours", 5678.25, "5,678.3 小時", "5,678.3 小时"),  # halves round up, like a spreadsheet
    ("hours", 12, "12.0 小時", "12.0 小时"),               # the unit's decimals
    ("kg", 12.345, "12.35 公斤", "12.35 公斤"),            # at most two decimals by default
    ("kg", 1500, "1,500 公斤", "1,500 公斤"),
    ("kg", 0.00001, "0.00 公斤", "0.00 公斤"),
    ("percent", 59, "59.0%", "59.0%"),
    ("percent", 55.55, "55.6%", "55.6%"),
    ("percent", -2.5, "−2.5%", "−2.5%"),
    ("hkd", 9999, "9,999 港元", "9,999 港元"),
    ("hkd", 125000, "12.5萬港元", "12.5万港元"),
    ("hkd", 12345678, "1,234.6萬港元", "1,234.6万港元"),
    ("hkd", 300000000, "3億港元", "3亿港元"),
    ("hkd", 1234567890, "12.3億港元", "12.3亿港元"),
    ("score", 6.36, "6.36 / 7", "6.36 / 7"),
])
def test_values_are_formatted_per_unit_kind_and_script(unit, value, hant, hans):
    assert render.format_value(kpi(value, unit), UNITS[unit], value, "zh-Hant") == hant
    assert render.format_value(kpi(value, unit), UNITS[unit], value, "zh-Hans") == hans


def test_numbers_only_and_kpi_decimals():
    assert render.format_value(kpi(1234.5), UNITS["count"], 1234, "zh-Hant",
                               with_unit=False) == "1,234"
    assert render.format_value(kpi(2.345, decimals=1), UNITS["kg"], 2.345, "zh-Hant") == "2.3 公斤"
    assert render.format_value(kpi(125000), UNITS["hkd"], 125000, "zh-Hant",
                               large_money=False) == "125,000 港元"
    every_digit = UNITS["hkd"].model_copy(update={"chinese_units": False})
    assert render.format_value(kpi(12345678), every_digit, 12345678, "zh-Hans") == "12,345,678 港元"
    assert render.format_number(-0.04, 1) == "0.0"  # no minus sign on a rounded zero
    assert render.axis_number(1200) == "1,200" and render.axis_number(0.4) == "0.4"


def test_a_unit_without_a_label_in_the_page_script_is_converted():
    convert = {"公噸": "公吨"}.get
    assert render.format_value(kpi(3.5), UNITS["tonne"], 3.5, "zh-Hans",
                               convert=convert) == "3.5 公吨"
    s2hk_unit = Unit(kind="quantity", **{"zh-Hans": "公吨"})
    assert render.format_value(kpi(3.5), s2hk_unit, 3.5, "zh-Hant", source_script="zh-Hans",
                               convert={"公吨": "公噸"}.get) == "3.5 公噸"


def test_change_against_the_previous_period():
    staff = KPI(id="s", group="g", label=Labels(**{"zh-Hant": "甲"}), unit="count", scope="s",
                values={"2021": 1234, "2020": 1200, "2019": 1234})
    assert render.format_change(staff, UNITS["count"], "2021", "2020", "zh-Hant") == "+2.8%"
    assert render.format_change(staff, UNITS["count"], "2020", "2019", "zh-Hans") == "−2.8%"
    assert render.format_change(staff, UNITS["count"], "2021", "2019", "zh-Hant") == "持平"
    assert render.change(staff, UNITS["count"], "2021", "2018") is None
    share = KPI(id="p", group="g", label=Labels(**{"zh-Hant": "甲"}), unit="percent", scope="s",
                values={"2021": 55.5, "2020": 54.0})
    percent = UNITS["percent"]
    assert render.format_change(share, percent, "2021", "2020", "zh-Hant") == "+1.5 個百分點"
    assert render.format_change(share, percent, "2021", "2020", "zh-Hans") == "+1.5 个百分点"


ENGLISH_UNITS = {
    "count": Unit(kind="count", **{"zh-Hant": "人"}, en="persons", en_one="person"),
    "hours": Unit(kind="quantity", **{"zh-Hant": "小時"}, en="hours", en_one="hour", decimals=1),
    "tonne": Unit(kind="quantity", **{"zh-Hant": "公噸"}, en="tonnes", en_one="tonne"),
    "percent": Unit(kind="percent", decimals=1),
    "usd": Unit(kind="money", **{"zh-Hant": "美元"}, en="USD"),
    "hkd": Unit(kind="money", **{"zh-Hant": "港元"}, en="HK$"),
    "score": Unit(kind="score", out_of=7, decimals=2),
}


@pytest.mark.parametrize("unit, value, english", [
    ("count", 1234567, "1,234,567 persons"),
    ("count", 1, "1 person"),                  # the singular when the figure reads 1
    ("count", 0, "0 persons"),
    ("hours", 1, "1.0 hours"),                 # '1.0' is not one: English writes the plural
    ("hours", 5678.25, "5,678.3 hours"),
    ("tonne", 1, "1 tonne"),
    ("tonne", 1.004, "1.00 tonnes"),            # shown with the data's two decimals
    ("percent", 59, "59.0%"),
    ("percent", -2.5, "−2.5%"),
    ("usd", 9999, "USD 9,999"),                # no 萬 in English: every digit below a million
    ("usd", 125000, "USD 125,000"),
    ("usd", 1_000_000, "USD 1 million"),
    ("hkd", 12_345_678, "HK$12.3 million"),    # no space after a currency symbol ending in $
    ("usd", 35_000_000_000, "USD 35 billion"),
    ("usd", 1_234_567_890, "USD 1.2 billion"),
    ("score", 6.36, "6.36 / 7"),
])
def test_values_are_formatted_in_english(unit, value, english):
    assert render.format_value(kpi(value, unit), ENGLISH_UNITS[unit], value, "en") == english


def test_english_numbers_only_changes_and_scales():
    usd = ENGLISH_UNITS["usd"]
    assert render.format_value(kpi(35e9), usd, 35e9, "en", with_unit=False) == "35 billion"
    assert render.format_value(kpi(35e9), usd, 35e9, "en", large_money=False) == \
        "USD 35,000,000,000"
    every_digit = usd.model_copy(update={"chinese_units": False})
    assert render.format_value(kpi(12345678), every_digit, 12345678, "en") == "USD 12,345,678"
    staff = KPI(id="s", group="g", label=Labels(en="Staff"), unit="count", scope="s",
                values={"2021": 1234, "2020": 1200, "2019": 1234})
    assert render.format_change(staff, UNITS["count"], "2021", "2020", "en") == "+2.8%"
    assert render.format_change(staff, UNITS["count"], "2021", "2019", "en") == "unchanged"
    share = KPI(id="p", group="g", label=Labels(en="Share"), unit="percent", scope="s",
                values={"2021": 55.5, "2020": 54.0})
    assert render.format_change(share, UNITS["percent"], "2021", "2020", "en") == \
        "+1.5 percentage points"


def test_english_needs_the_unit_s_singular_for_one():
    from csr_kit.text import MissingLabel

    plural_only = Unit(kind="count", **{"zh-Hant": "人"}, en="persons")
    assert render.format_value(kpi(2), plural_only, 2, "en") == "2 persons"
    with pytest.raises(MissingLabel):
        render.format_value(kpi(1), plural_only, 1, "en")


# --- the data file ------------------------------------------------------------------------

HEAD = """periods: {current: "2021", previous: "2020"}
units:
  person: {kind: count, zh-Hant: 人, zh-Hans: 人}
scopes:
  group: {zh-Hant: 全機構}
groups:
  people: {zh-Hant: 員工}
kpis:
"""


def test_fixture_data_loads():
    data, warnings = model.load(DATA / "kpis.yml", "data/kpis.yml")
    assert warnings == [] and data.get("staff.total").values["2019"] == 1100
    charts = model.load_charts(DATA / "charts.yml", "data/charts.yml", data)
    assert set(charts) == {"gender", "staff-trend", "paper"}


def test_malformed_values_are_errors_on_their_line(tmp_path):
    path = write(tmp_path, "kpis.yml", HEAD + """  - id: staff.total
    group: people
    label: {zh-Hant: 員工總數}
    unit: person
    scope: group
    values:
      "2021": twelve
      "2020": "1,200"
      "2019": 59%
      "2018": true
""")
    found = problems(lambda: model.load(path, "data/kpis.yml"))
    hint = "write digits only, without units, commas or spaces (e.g. 1234.5)"
    assert found == [f"data/kpis.yml:15: 'twelve' is not a number — {hint}",
                     f"data/kpis.yml:16: '1,200' is not a number — {hint}",
                     f"data/kpis.yml:17: '59%' is not a number — {hint}",
                     f"data/kpis.yml:18: 'True' is not a number — {hint}"]


def test_duplicate_id_missing_label_and_unknown_keys_are_errors(tmp_path):
    path = write(tmp_path, "kpis.yml", HEAD + """  - id: staff.total
    group: people
    label: {zh-Hant: 員工總數}
    unit: person
    scope: group
    values: {"2021": 100, "2020": 99}
  - id: staff.total
    group: people
    label: {zh-Hans: 员工}
    unit: persons
    scope: groupp
    values: {"2021": 1.5}
""")
    found = problems(lambda: model.load(path, "data/kpis.yml"))
    assert "data/kpis.yml:15: the KPI id 'staff.total' is used twice — give one of them " \
           "another id (the first is on line 9)" in found
    assert "data/kpis.yml:17: KPI 'staff.total' has no zh-Hant label — add zh-Hant: under label:" \
        in found
    assert "data/kpis.yml:18: 'persons' is not a known unit — did you mean 'person'?" in found
    assert "data/kpis.yml:19: 'groupp' is not a known scope — did you mean 'group'?" in found


def test_a_kpi_without_label_is_an_error(tmp_path):
    path = write(tmp_path, "kpis.yml", HEAD + """  - id: staff.total
    group: people
    unit: person
    scope: group
    values: {"2021": 100}
""")
    assert problems(lambda: model.load(path, "data/kpis.yml")) == [
        "data/kpis.yml:9: 'label' is missing — add 'label:' to this entry"]


def test_a_large_change_without_a_note_is_a_warning(tmp_path):
    entry = """  - id: staff.total
    group: people
    label: {zh-Hant: 員工總數}
    unit: person
    scope: group
    values: {"2021": 130, "2020": 100}
"""
    path = write(tmp_path, "kpis.yml", HEAD + entry)
    _, warnings = model.load(path, "data/kpis.yml")
    assert [str(w) for w in warnings] == [
        "data/kpis.yml:14: KPI 'staff.total' changed by +30.0% against 2020 (more than 20%) "
        "without an explanation — add a note: with zh-Hant: explaining the change"]
    assert warnings[0].severity == "warning"
    assert model.load(path, "data/kpis.yml", change_threshold=50)[1] == []  # configurable
    write(tmp_path, "kpis.yml", HEAD + entry + "    note: {zh-Hant: 新增部門。}\n")
    assert model.load(path, "data/kpis.yml")[1] == []


# --- plausibility -------------------------------------------------------------------------

PLAUSIBLE_HEAD = """periods: {current: "2021", previous: "2020"}
units:
  person: {kind: count, zh-Hant: 人}
  pct: {kind: percent, decimals: 1}
  hour: {kind: quantity, zh-Hant: 小時}
  hkd: {kind: money, zh-Hant: 港元, max: 1000000}
  score: {kind: score, out_of: 7, decimals: 2}
scopes:
  group: {zh-Hant: 全機構}
groups:
  people: {zh-Hant: 員工}
kpis:
"""


def entry(kpi_id: str, unit: str, values: str, more: str = "") -> str:
    return (f"  - id: {kpi_id}\n    group: people\n    label: {{zh-Hant: 甲}}\n"
            f"    unit: {unit}\n    scope: group\n    values: {values}\n{more}")


@pytest.mark.parametrize("unit, value, says", [
    ("pct", 130, "130 for 2021 is impossible for KPI 'x.y' (a percentage is between 0 and 100)"),
    ("pct", -0.1, "-0.1 for 2021 is impossible"),
    ("hour", -3, "-3 for 2021 is impossible for KPI 'x.y' (a quantity is never negative)"),
    ("person", -1, "'-1' for 2021 is not a whole count"),
    ("person", 2.5, "'2.5' for 2021 is not a whole count"),
    ("hkd", -10, "(the unit's min:/max: in units:)"),
    ("hkd", 2000000, "(the unit's min:/max: in units:)"),
    ("score", 63.6, "the score 63.6 for 2021 is outside 0–7"),
])
def test_implausible_figures_are_errors_on_their_line(tmp_path, unit, value, says):
    path = write(tmp_path, "kpis.yml", PLAUSIBLE_HEAD + entry("x.y", unit, f'{{"2021": {value}}}'))
    found = problems(lambda: model.load(path, "data/kpis.yml"))
    assert len(found) == 1 and found[0].startswith("data/kpis.yml:18: ") and says in found[0], \
        found
    if "whole count" not in says or value < 0:
        assert "plausibility_exception" in found[0]  # the way out is named


def test_plausible_edges_and_declared_exceptions_pass(tmp_path):
    path = write(tmp_path, "kpis.yml", PLAUSIBLE_HEAD
                 + entry("a.pct", "pct", '{"2021": 100, "2020": 0}')
                 + entry("a.score", "score", '{"2021": 7, "2020": 0}')
                 + entry("a.change", "pct", '{"2021": -12.5}',
                         "    plausibility_exception: 按年變化，負數表示減少\n")
                 + entry("a.wide", "pct", '{"2021": 250}', "    max: 300\n"))
    data, warnings = model.load(path, "data/kpis.yml")
    assert data.get("a.change").plausibility_exception.startswith("按年變化")
    assert warnings == []


def test_an_exception_needs_a_reason(tmp_path):
    path = write(tmp_path, "kpis.yml", PLAUSIBLE_HEAD
                 + entry("a.change", "pct", '{"2021": -12.5}', "    plausibility_exception: ''\n"))
    found = problems(lambda: model.load(path, "data/kpis.yml"))
    assert found == ["data/kpis.yml:19: 'plausibility_exception' is empty — fill it in, or "
                     "remove the entry"]


def test_sums_within_their_tolerance(tmp_path):
    kpis = (entry("f.pct", "pct", '{"2021": 55.6, "2020": 50}')
            + entry("m.pct", "pct", '{"2021": 44.5, "2020": 50}')
            + entry("all", "person", '{"2021": 100}')
            + entry("f", "person", '{"2021": 60}') + entry("m", "person", '{"2021": 41}'))
    rules = "sums:\n  - total: 100\n    parts: [f.pct, m.pct]\n" \
            "  - total: all\n    parts: [f, m]\n"
    path = write(tmp_path, "kpis.yml", PLAUSIBLE_HEAD + kpis + rules)
    found = problems(lambda: model.load(path, "data/kpis.yml"))
    # 55.6 + 44.5 = 100.1 is within the rounding of two one-decimal parts (0.05 each);
    # 60 + 41 = 101 is not 100 for whole counts.
    assert found == ["data/kpis.yml:46: in 2021 the parts f + m add up to 101, not KPI 'all' "
                     "(100) — check the figures (allowed difference 0; set tolerance: for a "
                     "larger one)"]
    path.write_text(PLAUSIBLE_HEAD + kpis + rules.replace("parts: [f, m]",
                                                          "parts: [f, m]\n    tolerance: 1"),
                    encoding="utf-8")
    assert model.load(path, "data/kpis.yml")[1] == []


def test_periods_must_differ_and_be_in_order(tmp_path):
    body = PLAUSIBLE_HEAD.replace('previous: "2020"', 'previous: "2021"') + \
        entry("a", "person", '{"2021": 1}')
    path = write(tmp_path, "kpis.yml", body)
    assert problems(lambda: model.load(path, "data/kpis.yml")) == [
        "data/kpis.yml:1: the previous period is the same as the current one (2021) — write "
        "last year's period after previous:, e.g. previous: \"2020\""]


def test_chart_problems(tmp_path):
    data, _ = model.load(DATA / "kpis.yml", "data/kpis.yml")
    path = write(tmp_path, "charts.yml", """charts:
  - id: mixed
    type: bar
    title: {zh-Hant: 混合}
    series: [staff.total, training.hours]
  - id: typo
    type: donut
    title: {zh-Hant: 錯字}
    series: [staff.femal_pct]
  - id: trend
    type: trend
    title: {zh-Hant: 走勢}
    series: [staff.total, staff.total]
""")
    found = problems(lambda: model.load_charts(path, "data/charts.yml", data))
    assert found == [
        "data/charts.yml:5: chart 'mixed' mixes units (hour, person) — put KPIs of one unit "
        "in a chart, or make two charts",
        "data/charts.yml:9: unknown KPI id 'staff.femal_pct' in chart 'typo' — did you mean "
        "'staff.female_pct'?",
        "data/charts.yml:13: trend chart 'trend' needs exactly one KPI — list a single KPI id "
        "under series:",
    ]


# --- HTML from the data -------------------------------------------------------------------

@pytest.fixture(scope="module")
def data():
    return model.load(DATA / "kpis.yml", "data/kpis.yml")[0]


def test_data_strings_are_html_escaped_everywhere(data):
    score = data.get("survey.score")
    for html in (render.card(data, score, "zh-Hant", "zh-Hant"),
                 render.card(data, score, "zh-Hans", "zh-Hant", convert=lambda t: t),
                 render.appendix(data, "zh-Hant", "zh-Hant", "downloads/")):
        assert "<script>" not in html and "<i>" not in html
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;滿意度" in html
    charts = model.load_charts(DATA / "charts.yml", "data/charts.yml", data)
    spec = charts["gender"].model_copy(update={"title": score.label})
    svg = render.chart(data, spec, "zh-Hant", "zh-Hant")
    assert "<script" not in svg and "&lt;script&gt;" in svg


def test_charts_are_static_svg_in_the_page_script(data):
    charts = model.load_charts(DATA / "charts.yml", "data/charts.yml", data)
    convert = {"廢紙回收": "废纸回收", "廢紙回收量": "废纸回收量", "公噸": "公吨"}.get
    html = render.chart(data, charts["paper"], "zh-Hans", "zh-Hant", convert=convert)
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", html)
    assert "废纸回收量" in texts and "3.5 公吨" in texts
    assert 'aria-label="废纸回收"' in html and "<title>废纸回收</title>" in html
    assert "廢" not in html and "<script" not in html and "<!--" not in html
    assert not re.search(r"""(?:href|src)=["'](?!#)""", html)  # nothing loaded from outside
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    trend = render.chart(data, charts["staff-trend"], "zh-Hant", "zh-Hant")
    assert {"2019", "2020", "2021", "1,100 人", "1,234 人", "0", "1,000"} <= \
        set(re.findall(r"<text[^>]*>([^<]*)</text>", trend))
    # Builds are reproducible: the same chart twice is the same SVG.
    assert render.chart(data, charts["staff-trend"], "zh-Hant", "zh-Hant") == trend


def test_downloads_hold_every_kpi_and_period(data):
    rows = render.rows_for_download(data, "zh-Hans", "zh-Hant",
                                   lambda t: {"培訓時數": "培训时数"}.get(t, t))
    assert [r["id"] for r in rows] == [k.id for k in data.kpis]
    staff = rows[0]
    assert (staff["2019"], staff["2020"], staff["2021"]) == (1100, 1200, 1234)
    assert staff["label"] == "员工总数" and staff["assured"] is True
    assert rows[1]["label"] == "培训时数" and rows[1]["2020"] is None
    table = list(csv.DictReader(io.StringIO(render.to_csv(rows))))
    assert table[0]["2021"] == "1234" and table[1]["2020"] == ""
    payload = json.loads(render.to_json(data, rows))
    assert payload["periods"] == {"current": "2021", "previous": "2020"}
    assert payload["kpis"][4]["label"] == "<script>alert('x')</script>滿意度"  # data, not HTML


# --- fixture sites -------------------------------------------------------------------------

def kpi_project(folder: Path) -> Project:
    project = Project(folder / "report")
    shutil.copytree(FIXTURE, project.path)
    shutil.copy(DATA / "kpis.yml", project.path / "data/kpis.yml")
    shutil.copy(DATA / "charts.yml", project.path / "data/charts.yml")
    shutil.copy(DATA / "kpi.md", project.path / "docs/kpi.md")
    (project.path / "docs/appendix").mkdir()
    shutil.copy(DATA / "data.md", project.path / "docs/appendix/data.md")
    return project


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    result = kpi_project(tmp_path_factory.mktemp("kpi")).build()
    assert result.ok, result.problems
    return result


def article(html: str) -> str:
    return html.split("<article", 1)[1].split("</article>", 1)[0]


def kpi_spans(html: str) -> list[str]:
    return re.findall(r'<span class="csr-kpi" data-kpi="[^"]+"[^>]*>'
                      r'<span data-noconvert>([^<]*)</span>', html)


def test_inline_values_in_both_scripts(site):
    hant = kpi_spans(site.page("kpi/index.html"))
    hans = kpi_spans(site.page("zh-Hans/kpi/index.html"))
    assert hant == ["1,234 人", "1,234", "+2.8%", "1,100 人", "+9.1%", "5,678.3 小時", "55.5%",
                    "+1.5 個百分點", "6.36 / 7", "12.3億港元", "12.5萬港元", "3.5 公噸", "1,234 人"]
    assert hans == ["1,234 人", "1,234", "+2.8%", "1,100 人", "+9.1%", "5,678.3 小时", "55.5%",
                    "+1.5 个百分点", "6.36 / 7", "12.3亿港元", "12.5万港元", "3.5 公吨", "1,234 人"]


def test_cards_in_both_scripts(site):
    for path, label, versus, assured, scope in (
            ("kpi/index.html", "員工總數", "較", "經獨立驗證", "香港辦事處"),
            ("zh-Hans/kpi/index.html", "员工总数", "较", "经独立验证", "香港办事处")):
        html = article(site.page(path))
        cards = re.findall(r'<div class="csr-kpi-card" data-kpi="([^"]+)">(.*?)</div>', html)
        assert [c for c, _ in cards] == ["staff.total", "staff.female_pct", "survey.score",
                                         "finance.green", "env.paper"]
        first = cards[0][1]
        assert label in first and "1,234" in first and "csr-kpi-card__change--up" in first
        assert "▲" in first and "+2.8%" in first and versus in first and assured in first
        assert "2021 · " in first
        assert html.count('<div class="csr-kpi-cards">') == 1
        assert scope in cards[2][1] and "/ 7" in cards[2][1]
        assert ("12.3億" if "zh-Hans" not in path else "12.3亿") in cards[3][1]
        assert ("公噸" if "zh-Hans" not in path else "公吨") in cards[4][1]


def test_charts_in_both_scripts_are_static_and_local(site):
    for path, title, legend in (("kpi/index.html", "員工性別", "女性員工比例"),
                                ("zh-Hans/kpi/index.html", "员工性别", "女性员工比例")):
        html = article(site.page(path))
        figures = re.findall(r'<figure class="csr-chart[^"]*" id="([^"]+)">(.*?)</figure>',
                             html, re.S)
        assert [f for f, _ in figures] == ["chart-gender", "chart-staff-trend", "chart-paper"]
        svg = figures[0][1]
        assert f'aria-label="{title}"' in svg and f">{legend}</text>" in svg
        assert "55.5%" in svg
        for _, body in figures:
            assert "<script" not in body and not re.search(r"""(?:href|src)=["'](?!#)""", body)
        ids = re.findall(r'\bid="([^"]+)"', html)
        assert len(ids) == len(set(ids)), "ids must be unique in the page"
    hans = article(site.page("zh-Hans/kpi/index.html"))
    assert "废纸回收量" in hans and "廢紙" not in hans  # a Traditional-only label, converted


def test_appendix_with_several_periods_and_downloads(site):
    for folder, caption, unit in (("", "員工", "小時"), ("zh-Hans/", "员工", "小时")):
        path = site.site / folder / "appendix/data/index.html"
        html = article(path.read_text(encoding="utf-8"))
        assert re.search(r'<th scope="col" class="csr-num">2019</th>'
                         r'<th scope="col" class="csr-num">2020</th>'
                         r'<th scope="col" class="csr-num">2021</th>', html)
        row = re.search(r'<tr id="kpi-staff.total">(.*?)</tr>', html).group(1)
        figures = re.findall(r"<span data-noconvert>([\d,.]+)</span>", row)
        assert figures == ["1,100", "1,200", "1,234"]
        assured = "經獨立驗證" if not folder else "经独立验证"
        assert row.endswith('<td class="csr-nowrap"><span aria-hidden="true">✔</span>'
                            '<span class="csr-visually-hidden"><span data-noconvert>'
                            + assured + "</span></span></td>")
        assert caption in html and unit in html
        assert re.search(r'<tr id="kpi-training.hours"><th scope="row">.*?</th>.*?'
                         r'<td class="csr-num">—</td><td class="csr-num">—</td>', html)
        assert "&lt;i&gt;30&lt;/i&gt;" in html  # the note, escaped
        links = {h for h in parse(path).links if "kpi-data" in h}
        assert len(links) == 2
        for href in links:
            target, _ = resolve(site.site, path, href)
            assert target.exists() and target.parent == site.site / folder / "downloads"
        downloads = site.site / folder / "downloads"
        rows = json.loads((downloads / "kpi-data.json").read_text("utf-8"))["kpis"]
        data = model.load(DATA / "kpis.yml", "data/kpis.yml")[0]
        assert [(r["id"], r["2021"]) for r in rows] == [(k.id, k.values["2021"]) for k in data.kpis]
        table = list(csv.DictReader(io.StringIO(
            (site.site / folder / "downloads/kpi-data.csv").read_text("utf-8-sig"))))
        assert [(r["id"], float(r["2021"])) for r in table] == [(r["id"], r["2021"]) for r in rows]
    hans = json.loads(site.page("zh-Hans/downloads/kpi-data.json"))["kpis"]
    assert hans[1]["label"] == "培训时长" and hans[-1]["unit"] == "公吨"  # converted


def test_data_strings_are_escaped_in_the_built_site(site):
    for path in ("kpi/index.html", "zh-Hans/kpi/index.html", "appendix/data/index.html",
                 "zh-Hans/appendix/data/index.html"):
        html = site.page(path)
        assert "alert(" in html and "<script>alert" not in html, path


def sites_text(site) -> dict[str, str]:
    out = {}
    for path in sorted(site.site.rglob("*")):
        if path.suffix in (".html", ".csv", ".json") and "search" not in path.parts:
            out[str(path.relative_to(site.site))] = path.read_text(encoding="utf-8-sig")
    return out


def test_changing_one_value_changes_every_place_it_appears(site, tmp_path):
    before = sites_text(site)
    places = {path: len(re.findall(r"1,234(?![\d,])|\b1234\b", text))
              for path, text in before.items()}
    places = {path: n for path, n in places.items() if n}
    for expected in ("index.html", "zh-Hans/index.html", "kpi/index.html", "zh-Hans/kpi/index.html",
                     "appendix/data/index.html", "zh-Hans/appendix/data/index.html",
                     "downloads/kpi-data.csv", "zh-Hans/downloads/kpi-data.json"):
        assert expected in places, expected
    project = kpi_project(tmp_path)
    project.replace("data/kpis.yml", '"2021": 1234,', '"2021": 1239,')
    result = project.build()
    assert result.ok, result.problems
    after = sites_text(result)
    for path, count in places.items():
        assert not re.search(r"1,234(?![\d,])|\b1234\b", after[path]), path
        assert len(re.findall(r"1,239(?![\d,])|\b1239\b", after[path])) == count, path


# --- errors in builds ----------------------------------------------------------------------

def line_of(project: Project, relative: str, needle: str) -> int:
    """The line of the file where ``needle`` is."""
    text = project.read(relative)
    return text[:text.index(needle)].count("\n") + 1


def failing_build(tmp_path, change) -> list[str]:
    project = kpi_project(tmp_path)
    change(project)
    result = project.build()
    assert not result.ok
    return result.problems


def test_page_errors_have_file_line_and_hint(tmp_path):
    page = ("---\ntitle: 錯誤\n---\n\n# 錯誤\n\n"
            "{{kpi staff.totl}}\n\n"                       # 7
            "{{kpi staff.total unit=hour}}\n\n"            # 9
            "{{kpi staff.total percent}}\n\n"              # 11
            "{{kpi staff.total perod=2020}}\n\n"           # 13
            "{{kpi staff.total period=2015}}\n\n"          # 15
            "文字 {{kpi-card staff.total}}\n\n"            # 17
            "{{chart gendr}}\n\n"                          # 19
            "{{kpi training.hours change}}\n")             # 21
    found = failing_build(tmp_path, lambda p: p.write("docs/bad.md", page))
    for expected in [
        "docs/bad.md:7: unknown KPI id 'staff.totl' — did you mean 'staff.total'",
        "docs/bad.md:9: KPI 'staff.total' is in 'person', not 'hour' — write unit=person or "
        "quote another KPI",
        "docs/bad.md:11: 'percent' is not an option of {{kpi}}",
        "docs/bad.md:13: 'perod=' is not an option of {{kpi}} — did you mean 'period'?",
        "docs/bad.md:15: KPI 'staff.total' has no value for 2015 — it has 2019, 2020, 2021",
        "docs/bad.md:17: {{kpi-card …}} must stand alone on its line",
        "docs/bad.md:19: unknown chart id 'gendr' — did you mean 'gender'?",
        "docs/bad.md:21: KPI 'training.hours' has no change to show against 2020",
    ]:
        assert any(m.startswith("ERROR: " + expected) for m in found), (expected, found)


def test_malformed_value_fails_the_build(tmp_path):
    lines = {}

    def change(project):
        project.replace("data/kpis.yml", '"2021": 5678.25', '"2021": "5,678.25"')
        lines["value"] = line_of(project, "data/kpis.yml", "5,678.25")

    found = failing_build(tmp_path, change)
    assert f"ERROR: data/kpis.yml:{lines['value']}: '5,678.25' is not a number — write digits " \
           "only, without units, commas or spaces (e.g. 1234.5)" in found


def test_duplicate_id_and_missing_label_fail_the_build(tmp_path):
    lines = {}

    def change(project):
        first = line_of(project, "data/kpis.yml", "id: staff.total")
        lines["duplicate"] = line_of(project, "data/kpis.yml", "id: training.hours")
        project.replace("data/kpis.yml", "  - id: training.hours\n", "  - id: staff.total\n")
        project.replace("data/kpis.yml", "label: {zh-Hant: 顧問費用}", "label: {zh-Hans: 顾问费用}")
        lines["label"] = line_of(project, "data/kpis.yml", "label: {zh-Hans: 顾问费用}")
        lines["first"] = first

    found = failing_build(tmp_path, change)
    assert (f"ERROR: data/kpis.yml:{lines['duplicate']}: the KPI id 'staff.total' is used twice "
            f"— give one of them another id (the first is on line {lines['first']})") in found
    assert (f"ERROR: data/kpis.yml:{lines['label']}: KPI 'finance.fee' has no zh-Hant label — "
            "add zh-Hant: under label:") in found


def test_a_chart_mixing_units_fails_the_build(tmp_path):
    lines = {}

    def change(project):
        project.replace("data/charts.yml", "series: [env.paper]",
                        "series: [env.paper, staff.total]")
        lines["series"] = line_of(project, "data/charts.yml", "series: [env.paper, staff.total]")

    found = failing_build(tmp_path, change)
    assert (f"ERROR: data/charts.yml:{lines['series']}: chart 'paper' mixes units (person, tonne) "
            "— put KPIs of one unit in a chart, or make two charts") in found


def test_a_large_change_without_note_fails_the_strict_build(tmp_path):
    found = failing_build(tmp_path, lambda p: p.replace("data/kpis.yml", '"2021": 1234,',
                                                        '"2021": 2000,'))
    line = line_of(Project(DATA), "kpis.yml", '"2021": 1234,')
    assert any(m.startswith(f"WARNING: data/kpis.yml:{line}: KPI 'staff.total' changed by +66.7% "
                            "against 2020 (more than 20%) without an explanation") for m in found)


def test_sample_report_quotes_every_figure_from_the_data(sample_site):
    data = model.load(ROOT / "data/kpis.yml", "data/kpis.yml")[0]
    for folder in ("", "zh-Hans/"):
        html = article(sample_site.page(folder + "appendix/performance-data/index.html"))
        ids = re.findall(r'<tr id="kpi-([^"]+)">', html)
        assert ids and sorted(ids) == sorted(k.id for k in data.kpis)
        rows = json.loads(sample_site.page(folder + "downloads/kpi-data.json"))["kpis"]
        assert {r["id"]: r[data.periods.current] for r in rows} == \
            {k.id: k.values.get(data.periods.current) for k in data.kpis}
