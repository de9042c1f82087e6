"""Issue 5: framework definitions, tags, generated index appendices, coverage and rules,
in unit tests, fixture sites built in both scripts, and the sample report."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURE, Project
from csr_kit.frameworks import appendix, model, tags
from csr_kit.text import Labels
from helpers import problems, write
from htmltools import parse, resolve

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "fixtures" / "frameworks"


@pytest.fixture(scope="module")
def frameworks():
    return {fid: model.load_framework(path, f"data/frameworks/{fid}.yml")
            for fid, path in (("gri", FIXTURE / "data/frameworks/gri.yml"),
                              ("demo", FIXTURE / "data/frameworks/demo.yml"),
                              ("iso", DATA / "iso.yml"))}


# --- the sample report's framework definitions ----------------------------------------

def sample(fid: str) -> model.Framework:
    return model.load_framework(ROOT / f"data/frameworks/{fid}.yml", f"data/frameworks/{fid}.yml")


def test_sample_frameworks_have_the_items_the_report_needs():
    sri = [i.code for _, i in sample("sri").items()]
    assert len(sri) == 40 and sri[0] == "OG1" and sri[-1] == "CD5"
    assert len(sample("cnca").items()) == 8
    gri = sample("gri")
    codes = [i.code for _, i in gri.items()]
    assert {f"2-{n}" for n in range(1, 31)} | {"3-1", "3-2", "3-3"} <= set(codes)
    fixed = {i.code for _, i in gri.items() if i.required and not i.omission_allowed}
    assert fixed == {"2-1", "2-2", "2-3", "2-4", "2-5", "3-1", "3-2"}
    assert set(gri.omission_reasons) == {"not-applicable", "legal-prohibitions",
                                         "confidentiality", "information-unavailable"}
    hkex = {g.code for g in sample("hkex").groups}
    assert {"A1", "A2", "A3", "A4", "B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8"} <= hkex
    iso = sample("iso26000")
    assert len(iso.groups) == 7 and len(iso.items()) == 37
    assert [i.code for _, i in sample("sdg").items()] == [str(n) for n in range(1, 18)]
    for fid in ("sri", "cnca", "gri", "hkex", "iso26000", "sdg"):
        for _, item in sample(fid).items():
            assert item.title.zh_Hant and item.title.zh_Hans, (fid, item.code)


# --- definitions and omissions: errors with lines ----------------------------------------

def test_framework_file_problems(tmp_path):
    folder = tmp_path / "frameworks"
    folder.mkdir()
    path = write(folder, "demo.yml", """id: demo2
title: {zh-Hant: 示範}
groups:
  - code: D
    title: {zh-Hant: 示範}
    items:
      - code: D1
        title: {zh-Hant: 甲}
      - code: D1
        title: {zh-Hant: 乙}
""")
    assert problems(lambda: model.load_framework(path, "data/frameworks/demo.yml")) == [
        "data/frameworks/demo.yml:9: the code 'D1' appears twice — keep one "
        "(the first is on line 7)",
        "data/frameworks/demo.yml:1: the id 'demo2' differs from the file name — rename the file "
        "to demo2.yml or change the id",
    ]
    write(folder, "demo.yml",
          "id: demo\ntitle: {zh-Hant: 示範}\ngroups:\n  - code: D\n    items: []\n")
    found = problems(lambda: model.load_framework(path, "data/frameworks/demo.yml"))
    assert any(p.startswith("data/frameworks/demo.yml:4: 'title' is missing") for p in found)


def test_omission_rules(tmp_path, frameworks):
    path = write(tmp_path, "omissions.yml", """gri:
  - item: "2-1"
    reason: confidentiality
    explanation: {zh-Hant: 不披露。}
  - item: "2-99"
    reason: confidentiality
    explanation: {zh-Hant: 不披露。}
  - item: "2-21"
    reason: not-applicable
    explanation: {zh-Hant: 不適用。}
  - item: "2-21"
    reason: confidentiality
    explanation: {zh-Hant: 又一次。}
gir:
  - item: "2-8"
    reason: confidentiality
    explanation: {zh-Hant: 不披露。}
""")
    found = problems(lambda: model.load_omissions(path, "data/omissions.yml", frameworks))
    assert len(found) == 4
    assert found[0] == ("data/omissions.yml:2: gri 2-1 may not be omitted — report it in a page "
                        "and tag that section with {{addresses gri:2-1}}")
    assert found[1].startswith("data/omissions.yml:5: '2-99' is not a code of gri — did you mean")
    assert "data/omissions.yml:11: gri 2-21 is omitted twice — keep one entry" in found
    assert "data/omissions.yml:14: 'gir' is not an enabled framework — did you mean 'gri'?" in found
    write(tmp_path, "omissions.yml", """gri:
  - item: "2-8"
    reason: forgot
    explanation: {zh-Hant: 忘記了。}
""")
    found = problems(lambda: model.load_omissions(path, "data/omissions.yml", frameworks))
    assert found[0].startswith("data/omissions.yml:3: 'forgot' is not allowed for 'reason'")


def test_tags_name_known_frameworks_and_codes(frameworks):
    tag, problem = tags.parse_tag("gri:2-7", frameworks, "docs/a.md", 3)
    assert tag == tags.Tag("gri", "2-7", 3) and problem is None
    tag, problem = tags.parse_tag("iso:6.4", frameworks, "docs/a.md", 3)  # a group as a whole
    assert tag == tags.Tag("iso", "6.4", 3)
    _, problem = tags.parse_tag("gir:2-7", frameworks, "docs/a.md", 3)
    assert str(problem) == "docs/a.md:3: 'gir' is not an enabled framework — did you mean 'gri'?"
    _, problem = tags.parse_tag("demo:D4", frameworks, "docs/a.md", 9)
    assert str(problem).startswith("docs/a.md:9: 'D4' is not a code of demo — did you mean")
    assert "'D3'" in str(problem)
    _, problem = tags.parse_tag("404-1", frameworks, "docs/a.md", 2)
    assert str(problem) == ("docs/a.md:2: '404-1' does not name its framework — write it as "
                            "framework:code, e.g. gri:2-1 or hkex:B1.1")
    found, errs = tags.page_tags("gri:2-7 demo:D1", frameworks, "docs/a.md", 3)
    assert [t.code for t in found] == ["2-7", "D1"] and not errs
    _, errs = tags.page_tags({"gri": "2-7"}, frameworks, "docs/a.md", 3)
    assert str(errs[0]).startswith("docs/a.md:3: 'addresses' should be a list of codes")


def test_section_ids_are_unique_in_a_page():
    used: set[str] = set()
    def slug(text: str) -> str:
        return text.replace(" ", "-")

    assert [tags.heading_id(t, slug, used) for t in ("就業", "就業", "就業", "")] == \
        ["就業", "就業_1", "就業_2", "section"]


# --- coverage, rules and the rendered index -----------------------------------------------

def test_coverage_and_rules(frameworks):
    gri = frameworks["gri"]
    located = {code: [tags.Location("a.md", None, 1)]
               for code in ("2-1", "2-2", "2-4", "2-5", "3-1", "3-2", "2-9")}
    omissions = {"2-21": model.Omission(item="2-21", reason="confidentiality",
                                        explanation=Labels(**{"zh-Hant": "保密。"}))}
    cov = appendix.coverage(gri, located, omissions)
    assert len(cov.reported) == 7 and cov.omitted == ["2-21"]
    assert len(cov.missing) == len(gri.items()) - 8 and "2-3" in cov.missing
    rules = appendix.rule_problems(gri, cov, "docs/")
    assert [p.message for p in rules] == ["gri 2-3 must be reported but no page addresses it"]
    assert "{{addresses gri:2-3}} (it may not be omitted)" in rules[0].hint


def test_index_table_in_both_scripts(frameworks):
    iso = frameworks["iso"]
    located = {"6.4": [tags.Location("people.md", None, 1)],
               "6.4.1": [tags.Location("people.md", "就業", 8), tags.Location("b.md", None, 2)]}
    target = lambda loc: appendix.Target(  # noqa: E731
        f"../{loc.page[:-3]}/" + (f"#{loc.anchor}" if loc.anchor else ""),
        "員工 & 社區" + (f" › {loc.anchor}" if loc.anchor else ""))
    for script, whole, missing, covered in (("zh-Hant", "（整體）", "未涵蓋", "涵蓋情況"),
                                            ("zh-Hans", "（整体）", "未涵盖", "涵盖情况")):
        html = appendix.render(iso, located, {}, target, script, "zh-Hant")
        assert f'<span data-noconvert>{covered}</span>' in html
        assert coverage_numbers(html) == [1, 0, 2, 3]
        assert f"{whole}</span></td><td><a class=\"csr-loc\" href=\"../people/\"" in html
        row = re.search(r'<tr class="csr-item csr-item--reported" id="iso-6.4.1">(.*?)</tr>', html)
        assert row.group(1).count('class="csr-loc"') == 2
        assert 'href="../people/#就業" data-noconvert>員工 &amp; 社區 › 就業</a>' in row.group(1)
        assert re.search(r'id="iso-6.5.1">.*?csr-missing.*?' + missing, html)
        assert "csr-own-translation" in html


def test_gri_header_states_the_use_of_the_standards():
    organisation = Labels(**{"zh-Hant": "測試機構", "zh-Hans": "测试机构", "en": "Test Org"})
    hant = appendix.gri_header("with-reference", organisation, ("2021-01-01", "2021-12-31"),
                               "zh-Hant", "zh-Hant")
    assert "測試機構已參照 GRI 標準報告 2021 年 1 月 1 日至 2021 年 12 月 31 日期間的資訊。" in hant
    assert "2021-01-01" not in hant  # in the page's script, dates the Chinese way
    assert "GRI 1: Foundation 2021" in hant
    hans = appendix.gri_header("in-accordance", organisation, ("2021-01-01", "2021-12-31"),
                               "zh-Hans", "zh-Hant")
    assert "测试机构已按照 GRI 标准报告 2021 年 1 月 1 日至 2021 年 12 月 31 日期间的信息。" in hans
    assert "使用声明" in hans


# --- fixture sites ---------------------------------------------------------------------------

def frameworks_project(folder: Path) -> Project:
    project = Project(folder / "report")
    shutil.copytree(FIXTURE, project.path)
    shutil.copy(DATA / "iso.yml", project.path / "data/frameworks/iso.yml")
    shutil.copy(DATA / "people.md", project.path / "docs/people.md")
    (project.path / "docs/appendix").mkdir()
    for fid in ("gri", "demo", "iso"):
        shutil.copy(DATA / f"index-{fid}.md", project.path / f"docs/appendix/{fid}.md")
    project.replace("mkdocs.yml", "enabled: [gri, demo]", "enabled: [gri, demo, iso]")
    return project


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    result = frameworks_project(tmp_path_factory.mktemp("frameworks")).build()
    assert result.ok, result.problems
    return result


def index_rows(html: str) -> dict[str, tuple[str, list[tuple[str, str]], str]]:
    """Each item row of an index: code → (status, [(href, link text)], row HTML)."""
    rows = {}
    for m in re.finditer(r'<tr class="csr-item csr-item--(\w+)" id="[^"]*?-([^"]+)">(.*?)</tr>',
                         html):
        links = re.findall(r'<a class="csr-loc" href="([^"]*)"[^>]*>([^<]*)</a>', m.group(3))
        rows[m.group(2)] = (m.group(1), links, m.group(3))
    return rows


def coverage_numbers(html: str) -> list[int]:
    summary = html.split('class="csr-coverage">', 1)[1].split("</p>", 1)[0]
    return [int(n) for n in re.findall(r"\d+", re.sub(r"<[^>]+>", "", summary))]


def test_index_links_go_to_sections_titled_in_the_page_script(site):
    for folder, people, section, home, governance in (
            ("", "員工與社區", "就業", "首頁", "管治架構"),
            ("zh-Hans/", "员工与社区", "就业", "首页", "治理架构")):
        html = site.page(f"{folder}appendix/iso/index.html")
        rows = index_rows(html)
        assert rows["6.4.1"][1] == [("../../people/#就業", f"{people} › {section}")]
        assert rows["6.4.2"][1] == [("../../people/#就業_1", f"{people} › {section}")]
        assert rows["6.5.1"][0] == "missing" and rows["6.5.1"][1] == []
        gri = index_rows(site.page(f"{folder}appendix/gri/index.html"))
        assert gri["2-9"][1] == [("../../#管治架構", f"{home} › {governance}")]
        assert ("../../people/", people) in gri["2-7"][1]  # the page as a whole, and …
        assert ("../../people/#就業", f"{people} › {section}") in gri["2-7"][1]  # … a section
        demo = index_rows(site.page(f"{folder}appendix/demo/index.html"))
        # A section title kept by -{…}- stays as written in the link.
        kept = "社區 持份者 活動" if not folder else "社区 持份者 活动"
        assert demo["D3"][1][0][1].endswith(kept)


def test_every_index_link_resolves_to_an_existing_section(site):
    checked = 0
    for path in site.site.rglob("appendix/*/index.html"):
        for href in re.findall(r'<a class="csr-loc" href="([^"]*)"', path.read_text("utf-8")):
            target, fragment = resolve(site.site, path, href)
            assert target.exists(), (path, href)
            if fragment:
                assert fragment in parse(target).ids, (path, href)
            checked += 1
    assert checked >= 2 * 14


def test_coverage_summary_in_both_scripts(site):
    gri_items = len(model.load_framework(FIXTURE / "data/frameworks/gri.yml", "gri").items())
    for folder, words in (("", ("已披露", "已省略", "未涵蓋")),
                          ("zh-Hans/", ("已披露", "已省略", "未涵盖"))):
        demo = site.page(f"{folder}appendix/demo/index.html")
        assert coverage_numbers(demo) == [3, 0, 0, 3]
        assert all(w in demo.split('class="csr-coverage">', 1)[1].split("</p>")[0] for w in words)
        assert coverage_numbers(site.page(f"{folder}appendix/iso/index.html")) == [2, 0, 1, 3]
        gri = site.page(f"{folder}appendix/gri/index.html")
        reported = 9  # 2-1…2-5, 3-1, 3-2 (page), 2-9 (section), 2-7 (page and section)
        assert coverage_numbers(gri) == [reported, 1, gri_items - reported - 1, gri_items]


def test_gri_index_has_its_header_and_omissions_in_each_script(site):
    hant = site.page("appendix/gri/index.html")
    hans = site.page("zh-Hans/appendix/gri/index.html")
    assert "測試機構已參照 GRI 標準報告" in hant and "GRI 1: Foundation 2021" in hant
    assert "测试机构已参照 GRI 标准报告" in hans and "使用声明" in hans
    assert hant.index("csr-gri-header") < hant.index("csr-coverage") < hant.index("csr-index")
    omitted = index_rows(hans)["2-21"]
    assert omitted[0] == "omitted"
    assert "保密限制" in omitted[2] and "薪酬资料属保密信息" in omitted[2]
    explained = index_rows(hant)["2-21"][2]
    assert "保密限制" in explained and "薪酬資料屬保密資訊" in explained


def test_group_level_tags_are_shown_in_the_index(site):
    for folder, whole in (("", "勞工實踐（整體）"), ("zh-Hans/", "劳工实践（整体）")):
        html = site.page(f"{folder}appendix/iso/index.html")
        row = re.search(r'<tr class="csr-item csr-item--group">(.*?)</tr>', html).group(1)
        assert whole in re.sub(r"<[^>]+>", "", row)
        assert 'href="../../people/"' in row


def test_tagged_sections_have_the_same_ids_in_both_scripts(site):
    hant = parse(site.site / "people/index.html").ids
    hans = parse(site.site / "zh-Hans/people/index.html").ids
    assert {"就業", "就業_1", "社區-持份者-活動"} <= hant & hans


def test_removing_a_tag_removes_its_location(site, tmp_path):
    project = frameworks_project(tmp_path)
    project.replace("docs/people.md", "## 社區 -{持份者}- 活動 {{addresses demo:D3}}",
                    "## 社區 -{持份者}- 活動")
    project.replace("docs/people.md", "addresses: [iso:6.4, gri:2-7]", "addresses: [gri:2-7]")
    result = project.build()
    assert result.ok, result.problems
    for folder in ("", "zh-Hans/"):
        before = index_rows(site.page(f"{folder}appendix/demo/index.html"))
        after = index_rows(result.page(f"{folder}appendix/demo/index.html"))
        assert before["D3"][0] == "reported" and after["D3"] == ("missing", [], after["D3"][2])
        assert before["D1"][1] == after["D1"][1]  # other items keep their locations
        assert coverage_numbers(result.page(f"{folder}appendix/demo/index.html")) == [2, 0, 1, 3]
        iso = result.page(f"{folder}appendix/iso/index.html")
        assert "csr-item--group" not in iso and index_rows(iso)["6.4.1"][0] == "reported"


def test_unknown_frameworks_and_codes_are_errors_with_file_line_and_suggestion(tmp_path):
    project = frameworks_project(tmp_path)
    project.replace("docs/people.md", "addresses: [iso:6.4, gri:2-7]",
                    "addresses: [iso:6.4, gri:2-77]")
    project.replace("docs/people.md", "{{addresses iso:6.4.2}}", "{{addresses isx:6.4.2}}")
    project.replace("docs/people.md", "社區投資。", "社區投資。{{addresses demo:D3}}")
    project.replace("docs/appendix/demo.md", "{{framework-index demo}}", "{{framework-index dem}}")
    result = project.build()
    assert not result.ok
    found = result.problems
    for expected in (
            "ERROR: docs/people.md:3: '2-77' is not a code of gri — did you mean '2-7'",
            "ERROR: docs/people.md:12: 'isx' is not an enabled framework — did you mean 'iso'?",
            "ERROR: docs/people.md:18: {{addresses …}} must end a heading line",
            "ERROR: docs/appendix/demo.md:7: 'dem' is not an enabled framework — "
            "did you mean 'demo'?"):
        assert any(m.startswith(expected) for m in found), (expected, found)


def test_a_required_gri_item_may_not_be_omitted(tmp_path):
    project = frameworks_project(tmp_path)
    project.write("data/omissions.yml", 'gri:\n  - item: "2-21"\n    reason: confidentiality\n'
                  '    explanation: {zh-Hant: 保密。}\n'
                  '  - item: "3-2"\n    reason: not-applicable\n'
                  '    explanation: {zh-Hant: 不適用。}\n')
    result = project.build()
    assert not result.ok
    assert ("ERROR: data/omissions.yml:5: gri 3-2 may not be omitted — report it in a page and "
            "tag that section with {{addresses gri:3-2}}") in result.problems


def test_a_required_gri_item_without_location_fails_the_build(tmp_path):
    project = frameworks_project(tmp_path)
    project.replace("docs/page.md", "gri:2-3, ", "")
    result = project.build()
    assert not result.ok
    assert any(m.startswith("ERROR: docs/appendix/gri.md:7: gri 2-3 must be reported but no "
                            "page addresses it — "
                            "tag the section that covers it with {{addresses gri:2-3}}")
               for m in result.problems), result.problems


# --- the sample report ------------------------------------------------------------------------

def test_sample_appendices_link_every_entry_to_an_existing_section(sample_site):
    site = sample_site.site
    pages = sorted(site.glob("appendix/*-index/index.html")) + \
        sorted(site.glob("zh-Hans/appendix/*-index/index.html"))
    assert len(pages) == 8  # sri, cnca, gri, hkex in each script
    ids: dict[Path, set[str]] = {}
    for path in pages:
        html = path.read_text(encoding="utf-8")
        assert 'class="csr-coverage"' in html, path
        reported = coverage_numbers(html)[0]
        rows = index_rows(html)
        assert rows and sum(1 for s, _, _ in rows.values() if s == "reported") == reported
        links = re.findall(r'<a class="csr-loc" href="([^"]*)"', html)
        assert len(links) >= reported
        for href in links:
            target, fragment = resolve(site, path, href)
            assert target is not None and target.exists(), (path, href)
            if fragment:
                if target not in ids:
                    ids[target] = parse(target).ids
                assert fragment in ids[target], (path, href)
    hans = (site / "zh-Hans/appendix/gri-index/index.html").read_text(encoding="utf-8")
    assert "香港品质保证局已参照 GRI 标准报告" in hans
