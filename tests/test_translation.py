"""Issue 15, translation handling: pages not yet translated, tags across languages, and
which version of its source each translated section follows.

Real builds of the fixture report with an English edition (``project_en``) and the
``csr-kit translation`` commands run on it.
"""

from __future__ import annotations

import argparse
import json
import re

import pytest

from conftest import Project
from csr_kit.translation import commands, sections

DEMO_INDEX = "---\ntitle: 示範索引\n---\n\n# 示範索引\n\n{{framework-index demo}}\n"
DEMO_INDEX_EN = "---\ntitle: Demo index\n---\n\n# Demo index\n\n{{framework-index demo}}\n"


def english_titles(project: Project, titles: str = "第二頁: Second page") -> Project:
    """English titles for the pages not translated yet (nav_translations of en)."""
    if "nav_translations" not in project.read("mkdocs.yml"):
        project.replace("mkdocs.yml", "          name: English\n",
                        "          name: English\n          nav_translations:\n"
                        f"            {titles}\n")
    return project


def without_english_titles(project: Project) -> Project:
    text = project.read("mkdocs.yml")
    project.write("mkdocs.yml", re.sub(r"\n +nav_translations:(?: \{[^}]*\}|(?:\n {12}.*)+)", "",
                                       text))
    assert "nav_translations" not in project.read("mkdocs.yml")
    return project


def untranslated(project: Project, mode: str) -> None:
    project.replace("mkdocs.yml", "  - csr-translation\n",
                    f"  - csr-translation:\n      untranslated: {mode}\n")


def article(html: str) -> str:
    return html[html.index("<article"):html.index("</article>")]


def primary_nav(html: str) -> str:
    """The site navigation (the primary sidebar, which holds the page's own contents too)."""
    start = html.index('class="md-nav md-nav--primary"')
    return html[start:html.index('class="md-sidebar md-sidebar--secondary"', start)]


# --- pages not yet translated ----------------------------------------------------------

def test_untranslated_page_is_an_english_notice_linking_both_chinese_editions(project_en):
    result = english_titles(project_en).build(strict=True)
    assert result.ok, result.error + "\n".join(result.problems)
    page = result.page("en/page/index.html")
    assert '<html lang="en"' in page
    body = article(page)
    assert re.search(r"<h1[^>]*>Second page", body)
    assert "This page has not been translated into English yet." in body
    assert '<a href="../../page/" hreflang="zh-Hant" lang="zh-Hant">繁體中文</a>' in body
    assert '<a href="../../zh-Hans/page/" hreflang="zh-Hans" lang="zh-Hans">简体中文</a>' in body
    assert "培訓" not in body and "training" not in body.lower()  # never the Chinese page
    assert "<title>Second page" in page
    # In the English navigation under its English title; out of the English search.
    assert "Second page" in primary_nav(result.page("en/index.html"))
    index = json.loads(result.page("en/search/search_index.json"))
    assert not [d for d in index["docs"] if d["location"].startswith("page/")]
    assert [d for d in index["docs"] if d["location"] == ""]
    # The Chinese editions keep the page itself.
    assert "培訓時數" in result.page("page/index.html")
    assert "培训时长" in result.page("zh-Hans/page/index.html")


def test_omit_leaves_the_page_out_of_the_english_navigation(project_en):
    untranslated(project_en, "omit")
    result = without_english_titles(project_en).build(strict=True)  # none needed
    assert result.ok, result.error + "\n".join(result.problems)
    assert 'href="page/"' not in primary_nav(result.page("en/index.html"))
    notice = article(result.page("en/page/index.html"))  # links from elsewhere still land
    assert "Not yet translated" in notice and "../../page/" in notice
    assert "This page has not been translated into English yet." in notice
    assert 'href="page/"' in primary_nav(result.page("index.html"))  # Chinese: unchanged


def test_untranslated_page_without_english_title_is_an_error_with_the_fixes(project_en):
    result = without_english_titles(project_en).build(strict=False)
    assert not result.ok
    assert any("docs/page.md:2: the page has no English version and no English title — "
               "translate it as docs/page.en.md, or add '第二頁: <English title>' under "
               "nav_translations of the en language in mkdocs.yml, or set csr-translation "
               "untranslated: omit" in p for p in result.problems), result.problems


# --- tags written once, in the source --------------------------------------------------

def test_english_framework_index_links_english_sections_and_chinese_pages(project_en):
    english_titles(project_en)
    project_en.write("docs/demo.md", DEMO_INDEX)
    project_en.write("docs/demo.en.md", DEMO_INDEX_EN)
    result = project_en.build(strict=True)
    assert result.ok, result.error + "\n".join(result.problems)
    index = article(result.page("en/demo/index.html"))
    # demo:D1 tags index.md § 管治架構, translated as index.en.md "Governance {#管治架構}".
    assert ('<a class="csr-loc" href="../#管治架構" data-noconvert>Home › Governance</a>'
            in index)
    # demo:D2 tags page.md § 培訓: not translated, so the Traditional page (never the notice).
    assert ('<a class="csr-loc" href="../../page/#培訓" hreflang="zh-Hant" lang="zh-Hant" '
            'data-noconvert>第二頁 › 培訓 (Traditional Chinese)</a>' in index)
    # The Chinese indexes are unchanged: their own pages.
    chinese = result.page("demo/index.html")
    assert 'href="../#管治架構" data-noconvert>首頁 › 管治架構</a>' in chinese
    assert 'href="../page/#培訓"' in chinese


def test_tagged_section_missing_from_the_english_page_is_an_error(project_en):
    english_titles(project_en)
    project_en.replace("docs/index.en.md", "## Governance {#管治架構}", "## Governance")
    result = project_en.build(strict=False)
    assert not result.ok
    assert any("docs/index.en.md: no heading has the id '管治架構', which docs/index.md:10 tags "
               "with demo:D1, gri:2-9 — end the English heading that translates it with "
               "{#管治架構}" in p for p in result.problems), result.problems


def test_tags_in_an_english_page_are_an_error(project_en):
    english_titles(project_en)
    project_en.replace("docs/index.en.md", "## Governance {#管治架構}",
                       "## Governance {#管治架構} {{addresses demo:D3}}")
    project_en.replace("docs/index.en.md", "description: A summary for our stakeholders\n",
                       "description: A summary for our stakeholders\naddresses: [gri:2-1]\n")
    result = project_en.build(strict=False)
    assert not result.ok
    assert any("docs/index.en.md:11: tags are written in the source page only — remove it; the "
               "section id shared with docs/index.md gives this section its tags" in p
               for p in result.problems), result.problems
    assert any("docs/index.en.md:4: tags are written in the source page only — remove "
               "addresses: here" in p for p in result.problems), result.problems


def test_chinese_text_in_an_english_page_is_a_warning_with_its_line(project_en):
    english_titles(project_en)
    project_en.replace("docs/index.en.md", "The board oversees the quality of our services.",
                       "The board oversees the quality of our 服務.\n\n"
                       'Our assurer is <span lang="zh-Hant">香港品質保證局</span>, see '
                       "*本局*{lang=zh-Hant}, -{不轉}- and `代碼` and [the section](#管治架構).")
    result = project_en.build(strict=False)
    warnings = [p for p in result.problems if "Chinese text" in p]
    assert warnings == ["WARNING: docs/index.en.md:12: Chinese text in the English page: 服務 — "
                        "translate it, or mark a name {lang=zh-Hant}"], result.problems


def test_a_proper_name_inside_a_heading_id_leaves_the_rest_of_the_id_allowed():
    from csr_kit.mdsource import SourceText
    from csr_kit.translation.lint import chinese_text

    source = SourceText("# HKEX ESG Guide index {#香港交易所-esg-報告守則索引}\n",
                        "docs/x.en.md", 6)
    assert chinese_text(source, [], ["香港交易所"], "en", "zh-Hant") == []


# --- translation status ----------------------------------------------------------------

def run(project: Project, *words: str) -> int:
    parser = argparse.ArgumentParser(prog="csr-kit")
    parser.add_argument("-f", "--config-file", default="mkdocs.yml")
    commands.add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["-f", str(project.path / "mkdocs.yml"), *words])
    code: int = args.func(args)
    return code


def statuses(project: Project) -> list[str]:
    return [str(p) for p in commands.status_problems(project.path / "mkdocs.yml")]


def test_a_changed_source_paragraph_makes_its_section_stale(project_en, capsys):
    assert statuses(project_en) == [
        "docs/index.en.md:1: no translation status recorded: which version of docs/index.md "
        "this page translates is unknown — check it translates the source as it is now, then: "
        "csr-kit translation mark docs/index.en.md"]
    assert run(project_en, "translation", "mark", "docs/index.en.md") == 0
    out = capsys.readouterr().out
    assert "docs/index.en.md: every section recorded as following docs/index.md" in out
    assert "§ 管治架構: marked (not recorded before)" in out
    record = project_en.read("data/translations.yml")
    assert record.startswith("# Translation status, written by `csr-kit translation mark`")
    assert "en:\n  index.md:\n    _meta: [" in record
    assert statuses(project_en) == []

    project_en.replace("docs/index.md", "董事局負責監督服務質素。",
                       "董事局負責監督服務質素及風險。")
    assert statuses(project_en) == [
        "docs/index.en.md:10: § 管治架構 translates an older docs/index.md:10 — 1 paragraph "
        "changed\n    docs/index.md:12: 董事局負責監督服務質素及風險。\n"
        "  fix: update the English, then: csr-kit translation mark docs/index.en.md "
        "--section 管治架構"]
    # A data edit changes no paragraph: tags and figures are not the translator's.
    project_en.replace("docs/index.md", "{{addresses gri:2-9 demo:D1}}", "{{addresses gri:2-9}}")
    assert len(statuses(project_en)) == 1

    assert run(project_en, "translation", "status") == 0
    out = capsys.readouterr().out
    assert "docs/index.md:12: 董事局負責監督服務質素及風險。" in out
    assert re.search(r"docs/index.en.md\s+en\s+2\s+1\s+0", out), out
    assert "Not yet translated (en, 1): docs/page.md" in out


def test_csr_kit_check_lists_the_english_section_to_update(project_en, capsys):
    """The acceptance of issue 15: a changed Chinese paragraph shows up in `csr-kit check`."""
    from csr_kit import cli

    run(project_en, "translation", "mark", "docs/index.en.md")
    project_en.replace("docs/index.md", "董事局負責監督服務質素。",
                       "董事局負責監督服務質素及風險。")
    capsys.readouterr()
    assert cli.main(["-f", str(project_en.path / "mkdocs.yml"), "check"]) == 0  # never blocks
    out = capsys.readouterr().out
    assert "Translation status (does not block publishing):" in out
    assert "docs/index.en.md:10: § 管治架構 translates an older docs/index.md:10" in out
    assert "docs/index.md:12: 董事局負責監督服務質素及風險。" in out


def test_mark_one_section(project_en, capsys):
    run(project_en, "translation", "mark", "docs/index.en.md")
    project_en.replace("docs/index.md", "# 首頁", "# 首頁 {#home}")  # a new id: a new section
    project_en.replace("docs/index.md", "董事局負責監督服務質素。", "董事局監督服務質素。")
    before = statuses(project_en)
    assert [p.split(" — ")[0] for p in before] == [
        "docs/index.en.md:6: § home (docs/index.md:6) has no translation status recorded",
        "docs/index.en.md:10: § 管治架構 translates an older docs/index.md:10",
        "docs/index.en.md:1: § 首頁 is recorded as translated, but docs/index.md has no such "
        "section any more"]
    capsys.readouterr()
    assert run(project_en, "translation", "mark", "docs/index.en.md", "--section", "管治架構") == 0
    assert "§ 管治架構: marked (was 1 paragraph changed)" in capsys.readouterr().out
    assert [p.split(" — ")[0] for p in statuses(project_en)] == [before[0].split(" — ")[0],
                                                                 before[2].split(" — ")[0]]
    assert run(project_en, "translation", "mark", "docs/index.en.md", "--section", "nope") == 2
    assert ("docs/index.md has no section 'nope' — its sections are: _meta, home, 管治架構"
            in capsys.readouterr().out)
    assert run(project_en, "translation", "mark", "docs/index.en.md") == 0
    assert "§ 首頁: dropped (no longer in the source)" in capsys.readouterr().out
    assert statuses(project_en) == []


def test_a_hand_written_simplified_page_is_tracked_the_same_way(project_en, capsys):
    project_en.write("docs/page.zh-Hans.md", "---\ntitle: 第二页\n---\n\n# 第二页\n\n"
                                             "## 培训 {#培訓}\n\n培训时数。\n")
    assert "docs/page.zh-Hans.md:1: no translation status recorded: which version of " \
           "docs/page.md" in statuses(project_en)[-1]
    assert run(project_en, "translation", "mark", "docs/page.zh-Hans.md") == 0
    run(project_en, "translation", "mark", "docs/index.en.md")
    assert "zh-Hans:\n  page.md:\n" in project_en.read("data/translations.yml")
    project_en.replace("docs/page.md", "培訓時數 {{kpi training.hours}}。",
                       "全年培訓時數 {{kpi training.hours}}。")
    assert statuses(project_en) == [
        "docs/page.zh-Hans.md:7: § 培訓 translates an older docs/page.md:13 — 1 paragraph "
        "changed\n    docs/page.md:15: 全年培訓時數 {{kpi training.hours}}。\n"
        "  fix: update the Simplified text, then: csr-kit translation mark "
        "docs/page.zh-Hans.md --section 培訓"]
    capsys.readouterr()
    assert run(project_en, "translation", "mark", "docs/page.md") == 2
    assert "docs/page.md: not a translated page of this report" in capsys.readouterr().out


def test_a_figure_the_translation_does_not_cite_is_listed(project_en):
    project_en.replace("docs/index.md", "董事局負責監督服務質素。",
                       "董事局負責監督服務質素，培訓時數為 {{kpi training.hours}}。")
    run(project_en, "translation", "mark", "docs/index.en.md")
    assert statuses(project_en) == [
        "docs/index.en.md:10: § 管治架構 cites no training.hours, which docs/index.md:12 cites "
        "— add {{kpi training.hours}} where the translation gives that figure, if it should"]


# --- section ids as the site renders them ----------------------------------------------

@pytest.mark.parametrize(("heading", "expected"), [
    ("## 薪酬及福利", "薪酬及福利"),
    ("## 薪酬及福利 {#pay}", "pay"),
    ("## 培訓 {{addresses gri:404-1}}", "培訓"),
    ("## -{zh-hans:简体;zh-hant:繁體;}-標題", "繁體標題"),
    ("## *Mixed* [link](x.md) text", "mixed-link-text"),
])
def test_section_ids(heading, expected):
    from pymdownx.slugs import slugify

    slug = slugify(case="lower")
    found = sections.sections(f"# 頁\n\n{heading}\n\n文字。\n", "docs/x.md",
                              lambda text: slug(text, "-"), "zh-Hant")
    assert [s.id for s in found] == ["_meta", "頁", expected]


def test_duplicate_headings_get_toc_suffixes_and_paragraphs_their_lines():
    found = sections.sections("---\ntitle: 頁\n---\n\n## 甲\n\n一\n二\n\n```\n\n```\n\n## 甲\n",
                              "docs/x.md", lambda text: text, "zh-Hant")
    assert [s.id for s in found] == ["_meta", "甲", "甲_1"]
    assert [(p.line, p.text) for p in found[0].paragraphs] == [(2, "title: 頁")]
    assert [(p.line, p.text) for p in found[1].paragraphs] == [(5, "## 甲"), (7, "一 二"),
                                                               (10, "``` ```")]
