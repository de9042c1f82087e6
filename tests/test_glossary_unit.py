"""Issue 3 (capability 2): the glossary file, its phrase rules, first-use English and page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from csr_kit.convert.engine import Converter
from csr_kit.errors import SourceErrors
from csr_kit.glossary import (
    Glossary,
    Term,
    annotate_first_use,
    glossary_table,
    inconsistent_uses,
    load,
)
from csr_kit.mdsource import SourceText
from csr_kit.mkdocs.glossary.plugin import _same_word

ROOT = Path(__file__).resolve().parent.parent


def term(hant, hans, en, **more) -> Term:
    return Term(**{"zh-Hant": hant, "zh-Hans": hans, "en": en, **more})


GLOSSARY = Glossary(terms=(
    term("持份者", "利益相关方", "stakeholder", variants=("持分者",), definition="相關人士。"),
    term("資訊", "信息", "information"),
    term("可持續發展", "可持续发展", "sustainable development"),
    term("可持續發展目標", "可持续发展目标", "Sustainable Development Goals", abbr="SDGs"),
    term("香港品質保證局", "香港品质保证局", "Hong Kong Quality Assurance Agency", abbr="HKQAA",
         proper_name=True),
    term("溫室氣體", "温室气体", "greenhouse gas <GHG>", variants=("温室氣體",)),
))


def load_text(tmp_path, text: str):
    path = tmp_path / "glossary.yml"
    path.write_text(text, encoding="utf-8")
    return load(path, "data/glossary.yml")


def load_problems(tmp_path, text: str) -> list[str]:
    with pytest.raises(SourceErrors) as err:
        load_text(tmp_path, text)
    return [str(p) for p in err.value.problems]


# --- the sample glossary ---------------------------------------------------------------

def test_sample_glossary_is_valid_and_covers_the_domain():
    glossary = load(ROOT / "data/glossary.yml", "data/glossary.yml")
    assert len(glossary.terms) >= 60
    pairs = {t.zh_Hant: t.zh_Hans for t in glossary.terms}
    for hant, hans in [("持份者", "利益相关方"), ("質素", "质量"), ("資訊", "信息"),
                       ("私隱", "隐私"), ("膠樽", "塑料瓶")]:
        assert pairs.get(hant) == hans, hant
    english = " ".join(t.english for t in glossary.terms)
    for word in ("ESG", "GRI", "ISO 26000", "TCFD"):
        assert word in english, word
    assert any(t.proper_name and t.zh_Hant == "香港品質保證局" for t in glossary.terms)
    # Its rules keep the proper name whole in the sample report's conversion.
    converter = Converter("hk2s", glossary.phrase_rules("zh-Hant"))
    assert converter.convert("香港品質保證局的品質保證") == "香港品质保证局的质量保证"


# --- the file: schema, duplicates and conflicts, with lines ---------------------------

def test_schema_problems_have_file_line_and_hint(tmp_path):
    problems = load_problems(tmp_path, """terms:
  - zh-Hant: 持份者
    zh-Hans: 利益相关方
    en: stakeholder
  - zh-Hant: 資訊
    zh-Hans: 信息
  - zh-Hant: " 質素"
    zh-Hans: 质量
    en: quality
    colour: red
""")
    assert problems[0] == "data/glossary.yml:5: 'en' is missing — add 'en:' to this entry"
    assert any(p.startswith("data/glossary.yml:7: the term has spaces at its start or end")
               for p in problems)
    assert any(p.startswith("data/glossary.yml:10: 'colour' is not a known field")
               for p in problems)


def test_duplicate_and_conflicting_terms_are_errors_with_lines(tmp_path):
    problems = load_problems(tmp_path, """terms:
  - zh-Hant: 持份者
    zh-Hans: 利益相关方
    en: stakeholder
    variants: [持分者]
  - zh-Hant: 資訊
    zh-Hans: 信息
    en: information
  - zh-Hant: 資訊
    zh-Hans: 信息
    en: information again
  - zh-Hant: 持分者
    zh-Hans: 利益相关者
    en: stakeholder (variant)
""")
    assert problems == [
        "data/glossary.yml:9: '資訊' is defined twice — keep one entry (the other is on line 6)",
        "data/glossary.yml:12: '持分者' is defined twice with different Simplified forms "
        "('利益相关方' and '利益相关者') — keep one entry (the other is on line 5)",
    ]


def test_a_form_in_the_other_script_and_a_reverse_clash_are_errors(tmp_path):
    problems = load_problems(tmp_path, """terms:
  - zh-Hant: 資訊
    zh-Hans: 資訊
    en: information
  - zh-Hant: 質素
    zh-Hans: 质量
    en: quality
  - zh-Hant: 品質
    zh-Hans: 质量
    en: quality (product)
""")
    assert problems == [
        "data/glossary.yml:9: '质量' is the Simplified form of two terms ('質素' and '品質'), "
        "so Simplified text cannot be converted back — add 'use: to-hans' to one of them "
        "(the other is on line 6)",
        "data/glossary.yml:3: the zh-Hans form '資訊' has characters of the other script: 資訊 "
        "— write the zh-Hans form in Simplified characters",
    ]


def test_yaml_syntax_problem_has_line(tmp_path):
    problems = load_problems(tmp_path, "terms:\n  - zh-Hant: 持份者\n\tzh-Hans: 利益相关方\n")
    assert problems and problems[0].startswith("data/glossary.yml:3:")


# --- phrase rules ----------------------------------------------------------------------

def test_phrase_rules_in_both_directions():
    rules = GLOSSARY.phrase_rules("zh-Hant")
    assert rules["持份者"] == rules["持分者"] == "利益相关方"  # variants convert too
    assert rules["香港品質保證局"] == "香港品质保证局"
    reverse = GLOSSARY.phrase_rules("zh-Hans")
    assert reverse["利益相关方"] == "持份者" and reverse["信息"] == "資訊"
    assert "持分者" not in reverse.values()  # the reverse direction writes the main form
    converter = Converter("hk2s", rules)
    assert converter.convert("持分者的資訊") == "利益相关方的信息"
    assert Converter("s2hk", reverse).convert("利益相关方的信息") == "持份者的資訊"


# --- English on first use ----------------------------------------------------------------

def test_first_use_on_a_page_carries_its_english_accessibly():
    page = ("<h2>持份者</h2><p>我們的持份者重視<a href='x'>資訊</a>。持份者<code>資訊</code></p>"
            "<p>資訊公開。可持續發展目標與可持續發展。溫室氣體。</p>")
    out = annotate_first_use(page, GLOSSARY, "zh-Hant")
    marks = re.findall(r'<abbr class="csr-term" data-en="([^"]*)" data-def="[^"]*" '
                       r'aria-describedby="csr-term-[a-z-]+">([^<]*)</abbr>', out)
    assert marks == [("stakeholder", "持份者"), ("information", "資訊"),
                     ("Sustainable Development Goals (SDGs)", "可持續發展目標"),
                     ("sustainable development", "可持續發展"),
                     ("greenhouse gas &lt;GHG&gt;", "溫室氣體")]
    assert out.startswith("<h2>持份者</h2>")  # not in headings, links or code
    assert "<a href='x'>資訊</a>" in out and "<code>資訊</code>" in out


def test_first_use_in_simplified_pages_matches_simplified_forms():
    out = annotate_first_use("<p>利益相关方关注信息，利益相关方。</p>", GLOSSARY, "zh-Hans")
    assert out.count("<abbr") == 2
    assert ('<abbr class="csr-term" data-en="stakeholder" data-def="相關人士。" '
            'aria-describedby="csr-term-stakeholder">利益相关方</abbr>') in out
    # Keyboard and screen-reader users get the English from the page's term list.
    assert '<dd id="csr-term-stakeholder"><span lang="en">stakeholder</span>' in out
    assert "tabindex" not in out and "title=" not in out


# --- the glossary page -------------------------------------------------------------------

def test_glossary_table_in_both_scripts():
    hant = glossary_table(GLOSSARY, "zh-Hant", "zh-Hant")
    hans = glossary_table(GLOSSARY, "zh-Hans", "zh-Hant")
    assert "<th><span data-noconvert>詞彙</span></th>" in hant
    assert "<th><span data-noconvert>词汇</span></th>" in hans
    row = re.search(r'<tr id="term-stakeholder">.*?</tr>', hans).group(0)
    assert '<td lang="zh-Hans"><span data-noconvert>利益相关方</span></td>' in row
    assert '<td lang="zh-Hant"><span data-noconvert>持份者</span></td>' in row
    assert '<td lang="en">stakeholder</td><td>相關人士。</td>' in row  # converted with the page
    assert "greenhouse gas &lt;GHG&gt;" in hant and "<GHG>" not in hant
    assert '<td lang="en">Hong Kong Quality Assurance Agency (HKQAA)</td>' in hant


def test_inconsistent_use_of_a_term_is_reported_but_not_glyph_variants():
    source = SourceText("我們的持分者。\n`持分者` 溫室氣體與温室氣體\n", "docs/a.md", 4)
    problems = inconsistent_uses(source, GLOSSARY, _same_word)
    assert [str(p) for p in problems] == [
        "docs/a.md:4: '持分者' is a variant spelling of the glossary term '持份者' — "
        "write '持份者' so the report uses one term"]
    assert problems[0].severity == "warning"


def test_variant_in_a_simplified_report_names_the_simplified_term():
    """Issue 17: a Simplified-source report is told its own script's preferred form."""
    hans = Glossary(terms=(
        term("持份者", "利益相关方", "stakeholder", variants=("利益相关者",)),
        term("溫室氣體", "温室气体", "greenhouse gas", variants=("溫室气体",)),
    ))
    source = SourceText("我们的利益相关者。温室气体与溫室气体\n", "docs/a.md", 3)
    problems = inconsistent_uses(source, hans, _same_word, source_script="zh-Hans")
    assert [str(p) for p in problems] == [
        "docs/a.md:3: '利益相关者' is a variant spelling of the glossary term '利益相关方' — "
        "write '利益相关方' so the report uses one term"]
    assert "持份者" not in str(problems[0])
