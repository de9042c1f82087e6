"""Issue 3: the conversion library (markup, engine, HTML, review, lint) in unit tests,
and one fixture site built in both scripts for everything a reader sees."""

from __future__ import annotations

import json
import re

import opencc
import pytest

from csr_kit.convert import markup
from csr_kit.convert.engine import CONFIG_SCRIPTS, Converter, get_converter
from csr_kit.convert.html import convert_html, protect
from csr_kit.convert.review import (
    RISKY_FROM_TRADITIONAL,
    Reviewed,
    ReviewRules,
    review_data_file,
    review_html,
    review_page,
    summary,
    unconverted_ranges,
    wrong_script,
)
from csr_kit.errors import SourceErrors
from csr_kit.glossary import Glossary, Term
from csr_kit.mdsource import SourceText
from csr_kit.mkdocs.convert.plugin import heading_texts
from htmltools import parse, resolve

RULES = {"持份者": "利益相关方", "資訊": "信息", "質素": "质量", "品質": "质量",
         "香港品質保證局": "香港品质保证局"}


@pytest.fixture(scope="module")
def hk2s():
    return Converter("hk2s", RULES)


def problems_of(text: str, first_line: int = 1) -> list[str]:
    with pytest.raises(SourceErrors) as err:
        markup.find(SourceText(text, "docs/page.md", first_line))
    return [str(p) for p in err.value.problems]


# --- -{…}- markup ---------------------------------------------------------------------

def test_markup_keep_and_variants_are_found_with_lines():
    source = SourceText("第一行\n保留 -{可持續發展在香港}- 書名\n"
                        "| -{zh-hans:强积金;zh-hant:強積金;}- | x |\n", "docs/a.md", 5)
    keep, variants = markup.find(source)
    assert (keep.keep, keep.line) == ("可持續發展在香港", 6)
    assert variants.keep is None and variants.line == 7
    assert variants.variants == {"zh-hans": "强积金", "zh-hant": "強積金"}
    assert markup.apply(source, [keep, variants], "zh-Hans", None).splitlines()[1:] == \
        ["保留 可持續發展在香港 書名", "| 强积金 | x |"]
    assert markup.apply(source, [keep, variants], "zh-Hant", protect).splitlines()[2] == \
        "| <span data-noconvert>強積金</span> | x |"


@pytest.mark.parametrize("variants, script, expected", [
    ({"zh-hans": "甲", "zh-hant": "乙"}, "zh-Hans", "甲"),
    ({"zh-hans": "甲", "zh-hant": "乙"}, "zh-Hant", "乙"),
    ({"zh-hans": "甲", "zh-hant": "乙"}, "zh-TW", "乙"),   # zh-tw falls back to zh-hant
    ({"zh-hans": "甲", "zh-hant": "乙"}, "zh-HK", "乙"),   # zh-hk falls back to zh-hant
    ({"zh-hans": "甲", "zh-hk": "港"}, "zh-Hant", "港"),   # zh-hant falls back to zh-hk
    ({"zh-hans": "甲", "zh-tw": "臺"}, "zh-Hant", "臺"),   # … and then to zh-tw
    ({"zh-hk": "港", "zh-tw": "臺"}, "zh-TW", "臺"),
    ({"zh-hk": "港", "zh-tw": "臺"}, "zh-HK", "港"),
    ({"zh-hk": "港", "zh-tw": "臺"}, "zh-Hant", "港"),     # Hong Kong before Taiwan
    ({"zh-cn": "陆", "zh-hant": "乙"}, "zh-Hans", "陆"),   # zh-hans falls back to zh-cn
    ({"zh-hant": "乙"}, "zh-Hans", None),
])
def test_variants_pick_the_text_for_each_script(variants, script, expected):
    assert markup.Markup(0, 1, 1, None, variants).text_for(script) == expected


def test_markup_variant_keys_are_case_insensitive():
    [found] = markup.find(SourceText("-{zh-Hans:简;ZH-HANT:繁}-"))
    assert found.variants == {"zh-hans": "简", "zh-hant": "繁"}


@pytest.mark.parametrize("text, expected", [
    ("前文\n-{未關閉", "docs/page.md:11: '-{' is not closed on this line"),
    ("前文\n-{開\n}-", "docs/page.md:11: '-{' is not closed on this line"),  # one line only
    ("外 -{內 -{嵌}- 套}- 外", "docs/page.md:10: '-{' markup cannot be nested"),
    ("-{zh-xx:文字;}-", "docs/page.md:10: 'zh-xx' is not a script name"),
    ("-{zh-hans:简;文字}-", "docs/page.md:10: '文字' in -{…}- has no script name"),
    ("-{zh-hans:简;zh-hans:又;}-", "docs/page.md:10: 'zh-hans' is given twice"),
    ("前\n\n後 }- 文", "docs/page.md:12: '}-' closes markup that was never opened"),
    ("-{}-", "docs/page.md:10: the -{…}- markup is empty"),
    ("-{   }-", "docs/page.md:10: the -{…}- markup is empty"),
])
def test_malformed_markup_is_an_error_with_file_line_and_hint(text, expected):
    found = problems_of(text, first_line=10)
    assert any(p.startswith(expected) for p in found), found
    assert all(" — " in p for p in found)  # every message says how to fix it


def test_all_markup_problems_of_a_page_are_reported_at_once():
    found = problems_of("-{未關閉\n-{zh-xx:字;}-\n正常 -{好}-\n多餘 }-\n")
    assert [p.split(":")[1] for p in found] == ["1", "2", "4"]


def test_markup_inside_code_is_not_markup():
    text = "`-{` 與 ``}-`` 和\n\n```\n-{zh-xx:未關閉\n```\n\n    -{縮排程式碼\n\n<!-- -{ 註解 -->\n"
    assert markup.find(SourceText(text)) == []


def test_check_variants_needs_text_for_every_published_script():
    found = markup.find(SourceText("x\n-{zh-hant:繁;}- 與 -{保留}-", "docs/a.md"))
    problems = markup.check_variants(found, ["zh-Hant", "zh-Hans"], "docs/a.md")
    assert [str(p) for p in problems] == [
        "docs/a.md:2: the -{…}- markup gives no text for zh-Hans — add zh-hans:文字; inside it"]


def test_convert_plain_honours_markup(hk2s):
    assert markup.convert_plain("持份者 -{持份者}- -{zh-hans:甲;zh-hant:乙;}-", "zh-Hans",
                                hk2s.convert) == "利益相关方 持份者 甲"
    assert markup.convert_plain("持份者 -{持份者}- -{zh-hans:甲;zh-hant:乙;}-", "zh-Hant",
                                None) == "持份者 持份者 乙"


def test_headings_with_per_script_markup_get_one_id_for_every_script():
    text = ("# 頁 -{zh-hans:简;zh-hant:繁;}-\n\n## 保留 -{持份者}-\n\n"
            "## 名 -{zh-hans:甲;zh-hant:乙;}- {{addresses gri:2-1}}\n\n"
            "## 類 -{zh-hans:甲;zh-hant:乙;}- { .wide }\n\n"
            "## 自 -{zh-hans:甲;zh-hant:乙;}- {#mine}\n")
    source = SourceText(text)
    found = markup.find(source)
    slug = lambda s: s.replace(" ", "-")  # noqa: E731
    ids = markup.heading_ids(source, found, "zh-Hant", ["zh-Hant", "zh-Hans"], slug)
    for script in ("zh-Hant", "zh-Hans"):
        out = markup.apply(source, found, script, None, ids)
        assert "# 頁 {} {{#頁-繁}}".format("繁" if script == "zh-Hant" else "简") in out
        assert "## 保留 持份者\n" in out  # the same text in both scripts: no id needed
        assert "{#名-乙} {{addresses gri:2-1}}" in out  # before the section's tags
        assert "{#類-乙 .wide }" in out  # the author's attribute list gets the id
        assert out.count("#mine") == 1 and "{#自" not in out


# --- the engine ------------------------------------------------------------------------

def test_glossary_phrase_rules_win_over_opencc(hk2s):
    plain = opencc.OpenCC("hk2s")
    assert plain.convert("持份者") == "持份者" and hk2s.convert("持份者") == "利益相关方"
    assert plain.convert("資訊科技") == "资讯科技" and hk2s.convert("資訊科技") == "信息科技"
    assert hk2s.convert("服務質素") == "服务质量"
    # Later conversion steps leave a rule's output alone.
    assert hk2s.convert("我們的持份者資訊") == "我们的利益相关方信息"


def test_proper_names_convert_by_characters_only(hk2s):
    assert hk2s.convert("香港品質保證局") == "香港品质保证局"
    assert hk2s.convert("香港品質保證局重視品質") == "香港品质保证局重视质量"
    assert hk2s.convert("在香港品質保證局的品質保證部") == "在香港品质保证局的质量保证部"
    glossary = Glossary(terms=(
        Term(**{"zh-Hant": "品質", "zh-Hans": "质量", "en": "quality"}),
        Term(**{"zh-Hant": "香港品質保證局", "zh-Hans": "香港品质保证局", "en": "HKQAA",
                "proper_name": True}),
    ))
    converter = Converter("hk2s", glossary.phrase_rules("zh-Hant"))
    for text in ("香港品質保證局", "由香港品質保證局頒發", "香港品質保證局品質"):
        assert "香港品质保证局" in converter.convert(text)
        assert "香港质量" not in converter.convert(text)


def test_tofu_risk_dictionaries_are_off(hk2s):
    rare = "㑮"  # OpenCC's tofu-risk dictionary maps it to a character most fonts lack
    assert opencc.OpenCC("hk2s", include_tofu_risk_dictionaries=True).convert(rare) != rare
    assert hk2s.convert(rare) == rare
    assert get_converter("hk2s", {"持份者": "利益相关方"}).convert(rare) == rare


def test_reverse_direction_and_other_configurations():
    s2hk = Converter("s2hk", {"利益相关方": "持份者", "质量": "質素"})
    assert s2hk.convert("利益相关方关注服务质量，头发与发展") == "持份者關注服務質素，頭髮與發展"
    assert (s2hk.source_script, s2hk.target_script) == ("zh-Hans", "zh-Hant")
    s2twp = Converter("s2twp", {})
    assert s2twp.convert("信息软件") == "資訊軟體"  # Taiwan wording, not Hong Kong's
    assert CONFIG_SCRIPTS["hk2s"] == ("zh-Hant", "zh-Hans")
    with pytest.raises(ValueError, match="unknown OpenCC configuration 'x2y'"):
        Converter("x2y")


def test_converters_are_shared_per_configuration_and_rules():
    assert get_converter("hk2s", {"甲": "乙"}) is get_converter("hk2s", {"甲": "乙"})
    assert get_converter("hk2s", {"甲": "乙"}) is not get_converter("hk2s", {"甲": "丙"})


# --- HTML text nodes -------------------------------------------------------------------

def test_convert_html_touches_text_alt_and_title_only(hk2s):
    html = ('<p class="資訊" id="持份者"><a href="資訊.html#持份者" title="持份者">資訊</a>'
            '<img src="持份者.png" alt="持份者" data-x="資訊"/><IMG ALT=資訊 SRC=資訊.png>'
            "<code>資訊</code><pre><code>持份者</code></pre><kbd>資訊</kbd>"
            '<span data-noconvert>持份者<b>資訊</b></span>持份者<!-- 資訊 -->'
            "<script>var a = '持份者<p>';</script><style>/* 資訊 */</style></p>")
    assert convert_html(html, hk2s.convert) == (
        '<p class="資訊" id="持份者"><a href="資訊.html#持份者" title="利益相关方">信息</a>'
        '<img src="持份者.png" alt="利益相关方" data-x="資訊"/><IMG ALT=信息 SRC=資訊.png>'
        "<code>資訊</code><pre><code>持份者</code></pre><kbd>資訊</kbd>"
        '<span data-noconvert>持份者<b>資訊</b></span>利益相关方<!-- 資訊 -->'
        "<script>var a = '持份者<p>';</script><style>/* 資訊 */</style></p>")


def test_convert_html_converts_the_aria_label_of_a_picture(hk2s):
    # The new report's home page draws its pictures as <svg role="img" aria-label="…">.
    html = ('<svg class="資訊" role="img" aria-label="持份者與資訊" data-x="資訊">'
            '<text>持份者</text></svg><a href="資訊" aria-label=\'資訊\'>x</a>')
    assert convert_html(html, hk2s.convert) == (
        '<svg class="資訊" role="img" aria-label="利益相关方与信息" data-x="資訊">'
        '<text>利益相关方</text></svg><a href="資訊" aria-label=\'信息\'>x</a>')


def test_convert_html_never_reads_an_attribute_inside_another_value(hk2s):
    html = """<span data-note='說明 title="持份者"' title='資訊'>x</span>"""
    assert convert_html(html, hk2s.convert) == \
        """<span data-note='說明 title="持份者"' title='信息'>x</span>"""
    html = '<span data-info="data-noconvert">持份者</span>'
    assert "利益相关方" in convert_html(html, hk2s.convert)


def test_urls_written_in_text_are_kept(hk2s):
    html = ('<p>請瀏覽 https://例子.org/資訊/持份者.html，或 www.資訊.hk。'
            '<a href="https://a.org/資訊">https://a.org/資訊</a> 的資訊</p>')
    assert convert_html(html, hk2s.convert) == (
        '<p>请浏览 https://例子.org/資訊/持份者.html，或 www.資訊.hk。'
        '<a href="https://a.org/資訊">https://a.org/資訊</a> 的信息</p>')


def test_heading_texts_read_converted_headings():
    html = ('<h1 id="頁">頁 <span data-noconvert>持份者</span><a class="headerlink" href="#頁">'
            '&para;</a></h1><h2 id="a">A &amp; <code>B</code><sup id="fnref:1">1</sup></h2>'
            '<h3>no id</h3>')
    assert heading_texts(html) == {"頁": (1, "頁 持份者"), "a": (2, "A &amp; B")}


# --- review report and wrong-script lint ----------------------------------------------

def _review(converter: Converter, rules: dict[str, str], regional=None):
    character = opencc.OpenCC(f"{converter.config_name}.json").convert
    return ReviewRules(converter.convert, character, rules, {k: "glossary" for k in rules},
                       regional or {}, converter.source_script)


def test_review_lists_wording_changes_and_choices_not_character_conversions(hk2s):
    source = SourceText("第一行\n我們與持份者溝通，頭髮乾了。\n`乾 持份者`\n\n```\n後來\n```\n"
                        "之後的資訊，香港品質保證局", "docs/people.md", 5)
    entries = review_page(source, _review(hk2s, RULES))
    wording = [(e.path, e.line, e.source, e.result) for e in entries if e.kind == "wording"]
    # The name converts character by character: no wording change to review.
    assert wording == [("docs/people.md", 6, "持份者", "利益相关方"),
                       ("docs/people.md", 12, "資訊", "信息")]
    risky = {e.source: e for e in entries if e.kind == "risky"}
    # 乾 is a choice (干 or 乾); 髮 and 後 always give 发 and 后, so they are not listed.
    assert set(risky) == {"乾"}
    assert risky["乾"].line == 6 and risky["乾"].choices == RISKY_FROM_TRADITIONAL["乾"]
    assert "頭髮乾了" in risky["乾"].context and risky["乾"].result == "干"


def test_review_maps_a_risky_character_to_its_own_result_next_to_a_wording_change(hk2s):
    """持份者 → 利益相关方 makes the context longer: the row still shows 乾 → 干 (one row
    with the other 乾杯, not the whole converted phrase as a row of its own)."""
    source = SourceText("持份者乾杯。\n\n大家乾杯。", "docs/a.md")
    risky = [(e.source, e.result) for e in review_page(source, _review(hk2s, RULES))
             if e.kind == "risky"]
    assert risky == [("乾", "干"), ("乾", "干")]
    page = review_html(review_page(source, _review(hk2s, RULES)), "zh-Hans", "hk2s")
    assert "一对多字 1 项" in page


def test_review_context_is_readable_text_not_markdown(hk2s):
    source = SourceText("見[持份者](people.md#a)的乾貨 {{kpi people.total}} 人。\n\n"
                        "| 乾 | 持份者 |\n\n## **資訊**乾燥 {#dry}\n", "docs/a.md")
    entries = review_page(source, _review(hk2s, RULES))
    contexts = {(e.kind, e.source, e.line): e.context for e in entries}
    assert contexts[("wording", "持份者", 1)] == "見持份者的乾貨 … 人。"
    assert contexts[("risky", "乾", 1)] == "見持份者的乾貨 … 人。"
    assert contexts[("wording", "持份者", 3)] == "乾 持份者"
    assert contexts[("wording", "資訊", 5)] == "資訊乾燥"
    assert contexts[("risky", "乾", 5)] == "資訊乾燥"
    assert not any(c in e.context for e in entries for c in "[]()#{}*|")


def test_review_of_a_simplified_source_lists_one_to_many_characters():
    s2hk = Converter("s2hk", {})
    source = SourceText("我们了解头发的发展，范围在后面。", "docs/a.md")
    risky = {e.source: e.choices for e in review_page(source, _review(s2hk, {}))
             if e.kind == "risky"}
    assert {"了", "发", "范", "后", "面"} <= set(risky)
    assert risky["发"] == "發/髮" and risky["了"] == "了/瞭"


def test_review_finds_regional_wording_left_unconverted(hk2s):
    # 午膳 has no rule here, so the Simplified edition still says 午膳.
    review = _review(hk2s, RULES, regional={"午膳": "午餐", "持份者": "利益相关方",
                                            "品質": "质量"})
    source = SourceText("員工午膳時與持份者交流。\n\n香港品質保證局的午膳", "docs/a.md", 3)
    entries = review_page(source, review, url="a/")
    unconverted = [(e.line, e.source, e.result) for e in entries if e.kind == "unconverted"]
    # 持份者 was converted; 品質 inside the name (a rule of its own) is not wording.
    assert unconverted == [(3, "午膳", "午餐"), (5, "午膳", "午餐")]
    assert all(e.url == "a/" for e in entries)


def test_review_finds_regional_wording_in_data_texts_for_the_converted_edition(hk2s):
    """A zh-Hans label is shown as written: HK wording typed there in Simplified
    characters is listed with the data file and line (names and rule results whole)."""
    review = _review(hk2s, RULES, regional={"午膳": "午餐", "透過": "通过", "品質": "质量"})
    review.names = frozenset({"香港品質保證局"})
    text = ("kpis:\n  - id: a\n    label: {zh-Hant: 午膳人數, zh-Hans: 午膳人数, en: x}\n"
            "    note: {zh-Hans: \"透过香港品质保证局, 午餐\"}\n"
            "    # zh-Hans: 午膳 (a comment)\n"
            "    source: {zh-Hant: 透過電郵}\n")
    found = [(e.path, e.line, e.source, e.result, e.context)
             for e in review_data_file("data/kpis.yml", text, review)]
    assert found == [("data/kpis.yml", 3, "午膳", "午餐", "午膳人数"),
                     ("data/kpis.yml", 4, "透过", "通过", "透过香港品质保证局,")]


def test_review_html_is_in_the_editions_script_escapes_and_hides_reviewed(hk2s):
    entries = review_page(SourceText("<b>持份者</b> 乾 資訊", "docs/x.md"), _review(hk2s, RULES),
                          url="x/")
    page = review_html(entries, "zh-Hans", "hk2s")
    assert "转换审阅报告" in page and "词语转换 2 项" in page and "一对多字 1 项" in page
    assert "&lt;b&gt;持份者&lt;/b&gt;" not in page  # tags are not text: skipped
    assert 'href="x/#:~:text=' in page and "docs/x.md:1" in page
    reviewed = Reviewed(changes=frozenset({("持份者", "利益相关方")}))
    page = review_html(entries, "zh-Hans", "hk2s", reviewed)
    assert "词语转换 1 项" in page and "不再列出 1 项" in page
    assert summary(entries, reviewed) == {"wording": 1, "risky": 1, "unconverted": 0,
                                          "hidden": 1}


def test_wrong_script_lint_reports_file_and_line():
    text = ("繁體正文\n這裏混入了简体字\n-{简体书名}- 與 `简体代码`\n\n```\n简体\n```\n"
            "温度 户口 説明\n")
    source = SourceText(text, "docs/a.md", 4)
    allowed = [(m.start, m.end) for m in markup.find(source)]
    problems = wrong_script(source, "zh-Hant", allowed)
    assert [str(p) for p in problems] == [
        "docs/a.md:5: Simplified character(s) 简体 in a zh-Hant page — retype them in the "
        "page's own script, or wrap a quotation in -{…}-"]
    assert problems[0].severity == "error"


def test_wrong_script_lint_reads_attributes_readers_see_in_raw_html():
    text = ('<svg role="img" aria-label="三个人形"><rect/></svg>\n'
            '<img src="简体.png" alt="简体图">\n'
            '<a href="简体.html" data-x="简体" title="繁體">繁體</a>\n'
            '<span title=\'说明\'>繁體</span>\n')
    source = SourceText(text, "docs/a.md")
    problems = wrong_script(source, "zh-Hant", unconverted_ranges(source))
    assert [(p.line, p.message) for p in problems] == [
        (1, "Simplified character(s) 个 in a zh-Hant page"),
        (2, "Simplified character(s) 简体图 in a zh-Hant page"),
        (4, "Simplified character(s) 说 in a zh-Hant page")]


def test_wrong_script_lint_for_a_simplified_source():
    problems = wrong_script(SourceText("简体正文\n混入繁體字\n", "docs/b.md"), "zh-Hans")
    assert [(p.line, p.message) for p in problems] == [
        (2, "Traditional character(s) 體 in a zh-Hans page")]  # 繁 is both


# --- a fixture site in both scripts ----------------------------------------------------

PAGE = """---
title: 說明 -{持份者}- 頁
description: 關於持份者的資訊摘要
---

# 標題 -{持份者}- 說明

見[管治](index.md#管治架構)、[名稱](#名稱-繁體名)及[會議](#持份者會議)。請瀏覽 https://example.org/資訊/持份者 了解資訊。

## -{持份者}-會議

!!! note "持份者資訊"
    這段關於質素的說明有註腳[^1]。

[^1]: 註腳提到持份者。

| 項目 | 說明 |
| --- | --- |
| 資訊 | -{zh-hans:简体专用;zh-hant:繁體專用;}- |

## 名稱 -{zh-hans:简体名;zh-hant:繁體名;}- {{addresses demo:D3}}

## 資訊 &lt;b&gt; 與 `代碼` 和 [連結](page.md)

```text
持份者 資訊 https://example.org/資訊
```
"""  # noqa: E501  (a page as authors write it: one paragraph is one long line)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    import shutil

    from conftest import FIXTURE, Project

    project = Project(tmp_path_factory.mktemp("convert") / "report")
    shutil.copytree(FIXTURE, project.path)
    project.write("docs/notes.md", PAGE)
    project.replace("mkdocs.yml", "site_name: 測試機構報告", "site_name: 測試機構報告 -{持份者}-")
    project.replace("mkdocs.yml", "plugins:\n", "nav:\n  - index.md\n  - 章節資訊:\n"
                    "      - 第二頁的資訊: page.md\n      - notes.md\n"
                    "  - 外部資訊: https://example.org/持份者\nplugins:\n")
    result = project.build()
    assert result.ok, result.problems
    return result


def article(html: str) -> str:
    return html.split("<article", 1)[1].split("</article>", 1)[0]


def visible(html: str) -> str:
    """The article's text as a reader sees it (code and tags dropped, no spaces)."""
    text = re.sub(r"<(pre|code|script|style)\b.*?</\1>", "", article(html), flags=re.S)
    return re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", text))


def nav_titles(html: str) -> list[str]:
    return [m.group(1) for m in re.finditer(r'md-ellipsis">\s*(.*?)\s*</span>', html, re.S)]


def test_site_name_nav_and_titles_in_both_scripts(site):
    hant, hans = site.page("notes/index.html"), site.page("zh-Hans/notes/index.html")
    assert "<title>說明 持份者 頁 - 測試機構報告 持份者</title>" in hant  # markup resolved
    assert "<title>说明 持份者 页 - 测试机构报告 持份者</title>" in hans  # kept, not 利益相关方
    assert '<meta name="description" content="关于利益相关方的信息摘要">' in hans
    assert {"章節資訊", "第二頁的資訊", "外部資訊"} <= set(nav_titles(hant))
    assert {"章节信息", "第二页的信息", "外部信息", "测试机构报告 持份者"} <= set(nav_titles(hans))
    assert not {t for t in nav_titles(hans) + nav_titles(hant) if "-{" in t}
    assert 'href="https://example.org/持份者"' in hans  # the nav link's target is kept


def test_toc_follows_the_converted_headings(site):
    hans = site.page("zh-Hans/notes/index.html")
    toc = hans.split('md-nav--secondary', 1)[1].split("</nav>", 1)[0]
    titles = nav_titles(toc)
    # The last heading's link text is whatever the vocabulary makes of 連結.
    link = heading_texts(hans)["資訊--與-代碼-和-連結"][1].rsplit(" ", 1)[1]
    assert link in ("链接", "联结")
    assert titles == ["持份者会议", "名称 简体名", f"信息 &lt;b&gt; 与 代碼 和 {link}"]
    assert "<b>" not in toc  # heading text stays text, never markup


def test_body_admonition_footnote_and_table_are_converted(site):
    hans = visible(site.page("zh-Hans/notes/index.html"))
    hant = visible(site.page("notes/index.html"))
    for expected in ("标题持份者说明", "利益相关方信息", "这段关于质量的说明有注脚",
                     "注脚提到利益相关方", "信息|简体专用".replace("|", ""), "持份者会议"):
        assert expected in hans, expected
    assert "繁體專用" in hant and "简体专用" not in hant and "-{" not in hant
    html = article(site.page("zh-Hans/notes/index.html"))
    assert '<p class="admonition-title">' in html and "持份者資訊" not in html
    assert "https://example.org/資訊/持份者" in html  # a URL in the text is not converted
    assert "持份者 資訊 https://example.org/資訊" in html  # nor is code


def test_heading_ids_and_in_page_links_are_the_same_in_both_scripts(site):
    for page in ("notes/", "", "page/"):
        hant = parse(site.site / page / "index.html")
        hans = parse(site.site / "zh-Hans" / page / "index.html")
        headings = lambda h: {i for i in h.ids if re.search(r"[\u4e00-\u9fff]", i)}  # noqa: E731
        assert headings(hant) and headings(hant) == headings(hans), page
    assert {"名稱-繁體名", "持份者會議"} <= parse(site.site / "zh-Hans/notes/index.html").ids
    for folder in ("", "zh-Hans/"):
        path = site.site / folder / "notes/index.html"
        for href in parse(path).links:
            target, fragment = resolve(site.site, path, href)
            if target is None or not fragment or target.suffix != ".html":
                continue
            assert fragment in parse(target).ids, (folder, href)


def test_tags_structure_code_and_urls_are_identical_across_scripts(site):
    def skeleton(html: str) -> list[str]:
        # Glossary first-use marks and the spans that keep -{…}- text are the only
        # elements conversion adds.
        html = re.sub(r'<abbr class="csr-term"[^>]*>|</abbr>|<span data-noconvert>|</span>', "",
                      article(html))
        html = re.sub(r"""\s(?:alt|title|aria-label)="[^"]*\"""", "", html)
        # zh-Hans pages sit one folder deeper: links to files both share differ by '../'.
        tags = re.findall(r"<[^>]+>", re.sub(r'((?:href|src)=")(?:\.\./)+', r"\1", html))
        code = re.findall(r"<(code|pre)\b.*?</\1>", html, flags=re.S)
        return tags + code

    for page in ("notes/", "", "page/"):
        hant = site.page(f"{page}index.html")
        hans = site.page(f"zh-Hans/{page}index.html")
        assert skeleton(hans) == skeleton(hant), page


def test_404_and_search_index_are_converted(site):
    hans, hant = site.page("zh-Hans/404.html"), site.page("404.html")
    assert '<html lang="zh-Hans"' in hans and "测试机构报告 持份者" in hans
    assert '<html lang="zh-Hant"' in hant and "測試機構報告 持份者" in hant
    index = json.loads(site.page("zh-Hans/search/search_index.json"))
    text = " ".join(d["title"] + " " + d["text"] for d in index["docs"]).replace("\u200b", "")
    assert "利益相关方" in text.replace(" ", "") and "持份者資訊" not in text


def test_review_report_gives_page_line_and_context(site):
    review = site.page("zh-Hans/conversion-review.html")
    assert '<html lang="zh-Hans">' in review and "转换审阅报告" in review
    wording = review.split('id="wording"')[1].split('id="risky"')[0]
    rows = re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td><td>[^<]*</td><td>(\d+)</td>"
                      r"<td>(.*?)</td></tr>", wording)
    pages = {(old, new): links for old, new, _, links in rows}
    # One row per change for the whole report, each page linked at its first use:
    # in notes.md the link target and URL on line 8, code and -{…}- (lines 6 and 10)
    # are not uses.
    assert "docs/notes.md:8<" in pages[("資訊", "信息")]
    assert "docs/notes.md:12<" in pages[("持份者", "利益相关方")]
    assert "docs/notes.md:13<" in pages[("質素", "质量")]
    assert 'href="notes/#:~:text=%E5%88%A9' in pages[("持份者", "利益相关方")]
    assert "conversion-review" not in site.page("zh-Hans/notes/index.html")

def test_text_right_after_a_bare_url_is_converted(hk2s):
    assert convert_html("<p>請瀏覽https://example.org查閱資訊</p>", hk2s.convert) == \
        "<p>请浏览https://example.org查阅信息</p>"
    assert convert_html("<p>見 www.example.org/a?b=1，了解資訊。</p>", hk2s.convert) == \
        "<p>见 www.example.org/a?b=1，了解信息。</p>"


def test_corner_quotes_for_chinese_only():
    from csr_kit.convert.engine import corner_quotes

    assert corner_quotes("他说“好”，又说‘对’。") == "他说「好」，又说『对』。"
    assert corner_quotes("the company’s “Annual Report”") == "the company’s “Annual Report”"
    s2hk = Converter("s2hk", {}, quotes=True)
    assert s2hk.convert("他说“好的”") == "他説「好的」"
    assert Converter("hk2s", {}, quotes=True).convert("他說「好」") == "他说“好”"


def test_raw_html_urls_in_a_language_folder_point_at_shared_files():
    from csr_kit.site import rebase_shared_files

    html = ('<img src="../images/x.svg" alt="a"><a href="../people/">p</a>'
            '<img src="../../images/y.svg"><a href="https://a.org/images/x.svg">e</a>'
            '<a href="../downloads/k.csv">k</a>')
    shared = {"images/x.svg", "images/y.svg"}
    assert rebase_shared_files(html, "zh-Hans/x/", "zh-Hans", shared.__contains__) == (
        '<img src="../../images/x.svg" alt="a"><a href="../people/">p</a>'
        '<img src="../../images/y.svg"><a href="https://a.org/images/x.svg">e</a>'
        '<a href="../downloads/k.csv">k</a>')
