"""The English edition's data-driven parts: figures, cards, charts, the appendix, the
framework index, the glossary page and the downloads in English, from the same data as
the Chinese editions; a text the data lacks in English is an error naming its line.
"""

from __future__ import annotations

import csv
import io
import re

import pytest

from csr_kit import glossary as glossary_lib, site, text
from csr_kit.frameworks import appendix, model as framework_model
from csr_kit.kpi import render
from csr_kit.mkdocs.pdf import plugin as pdf_plugin
from csr_kit.pdf import attachments
from csr_kit.text import Labels, MissingLabel

CJK = re.compile(r"[\u2e80-\u9fff\uff00-\uffef]")
LANGUAGES = {"zh-Hant", "zh-Hans", "en"}

# A Chinese source page and its English translation quoting the same data.
FIGURES_ZH = """---
title: 數據
---

# 數據

員工 {{kpi staff.total}}，較去年 {{kpi staff.total change}}。主席 {{kpi gov.chair}}。
收入 {{kpi finance.revenue}}，資助 {{kpi finance.grant}}。

{{kpi-cards staff.total staff.female_pct finance.revenue}}

{{chart gender}}

{{kpi-appendix}}

## 索引

{{framework-index gri}}

## 詞彙

{{glossary}}
"""

FIGURES_EN = """---
title: Figures
---

# Figures

We have {{kpi staff.total}} staff ({{kpi staff.total change}} on last year) and
{{kpi gov.chair}} chairing the board. Revenue was {{kpi finance.revenue}}; grants
{{kpi finance.grant}}.

{{kpi-cards staff.total staff.female_pct finance.revenue}}

{{chart gender}}

{{kpi-appendix}}

## Index

{{framework-index gri}}

## Glossary

{{glossary}}
"""

MORE_UNITS = """  usd: {kind: money, zh-Hant: 美元, zh-Hans: 美元, en: USD}
  hkd: {kind: money, zh-Hant: 港元, zh-Hans: 港元, en: HK$}
"""

MORE_KPIS = """  - id: gov.chair
    group: people
    label: {zh-Hant: 主席人數, zh-Hans: 主席人数, en: Chair of the board}
    unit: person
    scope: group
    values: {"2021": 1}
  - id: finance.revenue
    group: people
    label: {zh-Hant: 收入, zh-Hans: 收入, en: Revenue}
    unit: usd
    scope: group
    values: {"2021": 35000000000}
  - id: finance.grant
    group: people
    label: {zh-Hant: 資助, zh-Hans: 资助, en: Grants}
    unit: hkd
    scope: group
    values: {"2021": 12300000}
"""


def with_figures(project):
    """project_en plus a page (in both languages) quoting every kind of data."""
    project.replace("data/kpis.yml", "  percent: {kind: percent, decimals: 1}\n",
                    "  percent: {kind: percent, decimals: 1}\n" + MORE_UNITS)
    project.write("data/kpis.yml", project.read("data/kpis.yml") + MORE_KPIS)
    project.write("docs/figures.md", FIGURES_ZH)
    project.write("docs/figures.en.md", FIGURES_EN)
    return project


def article(page: str) -> str:
    return page[page.index("<article"):page.index("</article>")]


def chinese_outside_marked_elements(fragment: str) -> set[str]:
    """CJK text outside elements marked lang="zh-…" and outside links to locations
    (a location's title is its page's, in the edition it links to)."""
    for pattern in (r'<(\w+)[^>]*\blang="zh-[^"]*"[^>]*>.*?</\1>', r'<a class="csr-loc".*?</a>'):
        fragment = re.sub(pattern, " ", fragment, flags=re.S)
    words = re.sub(r"<[^>]+>", " ", fragment).split()
    return {w for w in words if CJK.search(w)}


def plain(fragment: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", fragment))


def figures(page: str) -> list[tuple[str, ...]]:
    """Every inline value and card figure: (KPI, raw figure, period)."""
    return re.findall(r'data-kpi="([^"]+)" data-(value|change)="([^"]+)" '
                      r'data-period="([^"]+)"', page) + \
        [("card",) + m for m in re.findall(r'class="csr-kpi-card__number" data-value="([^"]+)" '
                                           r'data-period="([^"]+)"', page)]


# --- every interface table has every language ------------------------------------------

UI_TABLES = {
    "kpi.render.UI": render.UI, "kpi.render.CHART_UI": render.CHART_UI,
    "kpi.render.CHART_FONTS": render.CHART_FONTS,
    "frameworks.appendix.UI": appendix.UI, "frameworks.model.REASON_TEXT":
        framework_model.REASON_TEXT,
    "glossary.TERMS_HEADING": glossary_lib.TERMS_HEADING, "glossary.HEADERS": glossary_lib.HEADERS,
    "text.COLON": text.COLON, "text.OPEN_PAREN": text.OPEN_PAREN,
    "text.CLOSE_PAREN": text.CLOSE_PAREN,
    "site.CHROME_TEXT": site.CHROME_TEXT, "mkdocs.pdf.plugin.UI": pdf_plugin.UI,
    "pdf.attachments.DESCRIPTIONS": attachments.DESCRIPTIONS,
    "pdf.attachments.GLOSSARY_HEADER": attachments.GLOSSARY_HEADER,
}


@pytest.mark.parametrize("name", sorted(UI_TABLES))
def test_every_interface_table_has_every_language(name):
    table = UI_TABLES[name]
    if LANGUAGES & set(table):  # language → strings (or language → {key: string})
        assert set(table) == LANGUAGES, f"{name} has {sorted(table)}"
        keys = [set(v) for v in table.values() if isinstance(v, dict)]
        assert all(k == keys[0] for k in keys), f"{name}: the languages have different keys"
    else:  # key → {language: string}
        for key, strings in table.items():
            assert set(strings) == LANGUAGES, f"{name}[{key!r}] has {sorted(strings)}"


def test_english_never_falls_back_to_chinese():
    label = Labels(**{"zh-Hant": "員工"})
    assert label.text("zh-Hans", "zh-Hant") == "員工"  # converted with the page
    with pytest.raises(MissingLabel):
        label.text("en", "zh-Hant")
    with pytest.raises(MissingLabel):
        label.html("en-GB", "zh-Hant")
    assert Labels().text("en", "zh-Hant") == ""  # no text in any language: a symbol unit
    with pytest.raises(KeyError):
        text.ui({"zh-Hant": "較", "zh-Hans": "较"}, "en")


# --- builds ------------------------------------------------------------------------------

def test_the_english_page_shows_the_data_in_english(project_en):
    result = with_figures(project_en).build()
    assert result.ok, result.error + "\n".join(result.problems)
    page = article(result.page("en/figures/index.html"))
    shown = plain(page)
    for expected in ("We have 1,234 persons staff (+2.8% on last year)",
                     "1 person chairing", "Revenue was USD 35 billion", "grants HK$12.3 million",
                     "Total employees", "Whole organisation", "vs 2020",
                     "+1.5 percentage points", "Independently assured",
                     "Employees by gender", "Chart data", "Female employees",
                     "Download all data: CSV · JSON", "Indicator", "Scope", "Unit", "Assurance",
                     "Training hours", "5,678.3",
                     "Test Organisation has reported with reference to the GRI Standards for "
                     "the period 1 January 2021 to 31 December 2021.",
                     "Coverage: reported", "(60 items)", "General Disclosures 2021",
                     "Confidentiality constraints: Pay data is confidential.",
                     "English繁體中文简体中文Definition",
                     "A person or group that affects or is affected by the organisation."):
        assert expected in shown, expected
    # The card puts the currency first, as the inline value does.
    assert re.search(r'csr-kpi-card__unit"><span data-noconvert>USD</span></span> '
                     r'<span class="csr-kpi-card__number"[^>]*><span data-noconvert>35 billion',
                     page)
    assert not chinese_outside_marked_elements(page)
    # GRI's English titles are its own: no "own translation" mark (it is about Chinese).
    assert "csr-own-translation" not in page and "csr-own-translation" in result.page(
        "figures/index.html")
    # Chinese forms in the glossary are marked as Chinese; row ids are the Chinese pages'.
    assert '<tr id="term-stakeholder"><td>stakeholder</td><td lang="zh-Hant">持份者</td>' \
           '<td lang="zh-Hans">利益相关方</td>' in page
    assert 'id="term-stakeholder"' in result.page("figures/index.html")
    # The chart draws its labels in English with Latin fonts first.
    svg = page[page.index('<div class="csr-chart__svg"'):page.index("</svg>")]
    assert "Female employees" in svg and not CJK.search(plain(svg))
    assert "font-family:'Noto Sans'," in svg
    # The downloads: the same columns, texts in English.
    rows = list(csv.DictReader(io.StringIO(
        result.page("en/downloads/kpi-data.csv").lstrip("\ufeff"))))
    chinese_rows = list(csv.DictReader(io.StringIO(
        result.page("downloads/kpi-data.csv").lstrip("\ufeff"))))
    assert list(rows[0]) == list(chinese_rows[0])
    total = next(r for r in rows if r["id"] == "staff.total")
    assert (total["group"], total["label"], total["scope"], total["unit"]) == \
        ("People", "Total employees", "Whole organisation", "persons")
    assert not any(CJK.search(v) for r in rows for v in r.values())
    # The Chinese editions keep their own wording.
    assert "350億美元" in plain(article(result.page("figures/index.html")))
    assert "1,230萬港元" in plain(article(result.page("figures/index.html")))
    assert "350亿美元" in plain(article(result.page("zh-Hans/figures/index.html")))


def test_figures_are_the_same_in_the_three_editions(project_en):
    result = with_figures(project_en).build()
    assert result.ok, result.error + "\n".join(result.problems)
    found = [figures(article(result.page(p))) for p in
             ("figures/index.html", "zh-Hans/figures/index.html", "en/figures/index.html")]
    assert found[0] == found[1] == found[2]
    assert ("staff.total", "value", "1234", "2021") in found[2]
    assert ("staff.total", "change", "+2.8", "2021") in found[2]
    assert ("card", "35000000000", "2021") in found[2]


def test_a_changed_figure_changes_the_english_page(project_en):
    with_figures(project_en)
    project_en.replace("data/kpis.yml", '"2021": 1234', '"2021": 1300')
    result = project_en.build()
    assert result.ok, result.error + "\n".join(result.problems)
    english = article(result.page("en/figures/index.html"))
    assert "We have 1,300 persons staff" in plain(english)
    assert ("staff.total", "value", "1300", "2021") in figures(english)
    assert figures(english) == figures(article(result.page("figures/index.html")))


def test_a_text_without_english_is_an_error_on_its_line(project_en, capsys):
    with_figures(project_en)
    project_en.replace("data/kpis.yml", ", en: Total employees}", "}")
    project_en.replace("data/kpis.yml", "en: persons, en_one: person}", "en: persons}")
    project_en.replace("data/charts.yml", ", en: Employees by gender}", "}")
    project_en.replace("data/omissions.yml", ", en: Pay data is confidential.}", "}")
    project_en.replace("data/glossary.yml", "    definition_en: A person or group that affects "
                       "or is affected by the organisation.\n", "")
    project_en.replace("data/frameworks/gri.yml", ', en: "Employees"}', "}")
    project_en.replace("data/report.yml", ", en: Test report}", "}")
    built = "(the English edition is built: i18n language 'en' in mkdocs.yml)"
    expected = [
        "data/kpis.yml:15: the label of KPI 'staff.total' has no English (en:) — add en: … "
        f"under label: {built}",
        "data/kpis.yml:3: the unit 'person' has no English singular (en_one:), and KPI "
        "'gov.chair' reads 1 in 2021 ('1 persons') — add en_one: <singular of 'persons'> to "
        f"the unit {built}",
        "data/charts.yml:4: the title of chart 'gender' has no English (en:)",
        "data/omissions.yml:4: the explanation of the omitted gri 2-21 has no English (en:) — "
        "add en: … under explanation:",
        "data/glossary.yml:5: the glossary term 'stakeholder' has a definition with no English "
        "(definition_en:) — add definition_en: … to the term",
        "data/frameworks/gri.yml:41: the title of gri 2-7 has no English (en:)",
        "data/report.yml:2: the report's title has no English (en:)",
    ]
    result = project_en.build()
    assert not result.ok
    for message in expected:
        assert any(message in p for p in result.problems), (message, result.problems)
    # The same from csr-kit check, before any page is built.
    from csr_kit import cli

    code = cli.main(["-f", str(project_en.path / "mkdocs.yml"), "check", "--quick"])
    output = capsys.readouterr()
    assert code == 1
    for message in expected:
        assert message in output.out + output.err, message


def test_the_chinese_editions_alone_need_no_english(project):
    project.replace("data/kpis.yml", ", en: Total employees}", "}")
    result = project.build()
    assert result.ok, result.error + "\n".join(result.problems)


def test_an_option_inside_a_label_s_quotes_is_an_error(project_en):
    project_en.replace("data/kpis.yml", "en: hours, decimals: 1}", 'en: "hours, decimals: 1"}')
    result = project_en.build()
    assert not result.ok
    assert any(
        "data/kpis.yml:4: an option is inside the label's quotes: the unit 'hour' has en: "
        "\"hours, decimals: 1\", so 'decimals' is read as text, not as an option — close the "
        "quotes after the label: en: \"hours\", decimals: 1" in p for p in result.problems), \
        result.problems
