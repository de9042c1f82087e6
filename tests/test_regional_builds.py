"""Issue 12 through real builds: a new report with an empty glossary gets regional
wording in both directions, names stay as written, and the review lists what is left."""

from __future__ import annotations

import re

from test_fixture_build import visible_text

EVERYDAY_HK = """---
title: 日常營運
---

# 日常營運

員工透過電郵及手提電話聯絡，資訊科技部更新了伺服器。

辦公室設有升降機及冷氣，茶水間有雪櫃，午膳時段為一小時。

員工可乘搭的士或踏單車上班，年青同事也會量度碳足跡。

香港質素管理協會的講者分享經驗；香港質素管理協會亦提醒我們提升服務質素。

根據《資訊科技服務質素指引》，請瀏覽https://example.org查閱資訊。

-{電郵}- 一詞保留原文。

<img src="../pic.svg" alt="員工透過電郵聯絡的示意圖">
"""

EVERYDAY_MAINLAND = """---
title: 日常运营
---

# 日常运营

员工通过电子邮件和手机联系，信息技术部门更新了服务器。

员工可乘坐出租车或骑自行车上班，年轻同事也会测量碳足迹。

我们提高服务质量，并建立质量管理体系。
"""


def _new_report(project):
    """The fixture report with no glossary terms of its own."""
    project.write("data/glossary.yml", "terms: []\n")


def test_new_report_with_empty_glossary_gets_mainland_wording(project):
    _new_report(project)
    project.write("docs/everyday.md", EVERYDAY_HK)
    project.replace("mkdocs.yml", "  - csr-convert\n",
                    "  - csr-convert:\n      vocabulary_exclude: [午膳]\n")
    result = project.build()
    assert result.ok, result.problems
    html = result.page("zh-Hans/everyday/index.html")
    text = visible_text(html)
    for mainland in ("通过电子邮件", "手机", "信息技术", "服务器", "电梯", "空调", "冰箱",
                     "出租车", "自行车", "年轻", "测量", "服务质量", "演讲者"):
        assert mainland in text, mainland
    # The name used twice and the title keep their wording; the rest is reworded.
    assert text.count("香港质素管理协会") == 2
    assert "《资讯科技服务质素指引》" in text
    # Text straight after a bare URL is converted; the URL is not.
    assert "https://example.org查阅信息" in text
    # Markup keeps its text; an excluded entry stays as written.
    assert "電郵 一词保留原文" in text and "午膳" in text
    # Raw HTML points at the shared image from the language folder.
    assert 'src="../../pic.svg"' in html
    assert re.search(r'alt="员工通过电子邮件联[络系]的示意图"', html)
    review = result.page("zh-Hans/conversion-review.html")
    unconverted = review.split('id="unconverted"')[1].split("<h2")[0]
    assert "午膳" in unconverted and "docs/everyday.md:9" in unconverted
    names = review.split('id="names"')[1]
    assert "香港質素管理協會" in names and "資訊科技服務質素指引" in names


def test_a_whole_domain_can_be_switched_off(project):
    _new_report(project)
    project.write("docs/everyday.md", EVERYDAY_HK)
    project.replace("mkdocs.yml", "  - csr-convert\n",
                    "  - csr-convert:\n      vocabulary_exclude_domains: [transport]\n")
    result = project.build()
    assert result.ok, result.problems
    text = visible_text(result.page("zh-Hans/everyday/index.html"))
    assert "的士" in text and "出租车" not in text and "通过电子邮件" in text


def test_new_simplified_report_gets_hong_kong_wording(project):
    _new_report(project)
    project.replace("mkdocs.yml", "  - csr-convert\n", "  - csr-convert:\n      source: zh-Hans\n")
    project.write("docs/index.md", EVERYDAY_MAINLAND)
    project.write("docs/page.md", "---\ntitle: 第二页\n---\n\n# 第二页\n\n内容。\n")
    project.replace("mkdocs.yml", "enabled: [gri, demo]", "enabled: [demo]")
    project.write("data/omissions.yml", "")
    project.replace("data/kpis.yml", "label: {zh-Hant: 培訓時數}", "label: {zh-Hans: 培训时数}")
    result = project.build()
    assert result.ok, result.problems
    text = visible_text(result.page("zh-Hant/index.html"))
    # 通过 stays 通過 (it also means "passed"); the words below are always HK wording.
    for hk in ("電郵", "資訊科技", "伺服器", "乘搭的士", "單車"):
        assert hk in text, hk
    # 质量 is wider than 質素: the reverse rule is not an inversion of 質素 → 质量.
    assert "質素管理體系" not in text and "質量管理體系" in text
    assert re.search(r"提[高升]服務質素", text)


def test_mkdocs_titles_in_the_wrong_script_are_reported_with_their_line(project):
    """site_name, site_description and menu titles are in the source script; an i18n
    language's own titles in its script; -{…}- may keep either."""
    from csr_kit.checks import static_checks

    project.replace("mkdocs.yml", "site_name: 測試機構報告", "site_name: 测试机构报告")
    project.replace("mkdocs.yml", "site_description: 測試機構的持份者資訊",
                    "site_description: 測試機構的 -{持份者资讯}- 報告")
    project.replace("mkdocs.yml", "plugins:\n",
                    "nav:\n  - index.md\n  - 附录:\n      - page.md\nplugins:\n")
    project.replace("mkdocs.yml", "          name: 简体中文\n",
                    "          name: 简体中文\n          site_name: 測試機構報告\n"
                    "          nav_translations:\n            附录: 附錄\n")
    lines = project.read("mkdocs.yml").split("\n")
    problems = [str(p) for p in static_checks(project.path / "mkdocs.yml").problems
                if p.category == "script"]

    def line(text: str) -> int:
        return next(i for i, t in enumerate(lines, 1) if text in t)

    expected = {line("site_name: 测试"): "site_name '测试机构报告' has Simplified",
                line("- 附录:"): "the menu title '附录' has Simplified",
                line("site_name: 測試"): "the zh-Hans edition's site_name '測試機構報告' "
                                         "has Traditional",
                line("附录: 附錄"): "the zh-Hans edition's menu title '附錄' has Traditional"}
    for number, message in expected.items():
        assert any(p.startswith(f"mkdocs.yml:{number}: {message}") for p in problems), \
            (number, message, problems)
    assert not any("site_description" in p for p in problems), problems
    assert all("retype it in" in p for p in problems)


def test_the_report_glossary_wins_over_the_vocabulary(project):
    """The pack says 電郵 → 电子邮件 and 透過 → 通过; this report's glossary says 电邮
    (a company's house style) and leaves 透過 to the pack."""
    project.write("data/glossary.yml", "terms:\n  - zh-Hant: 電郵\n    zh-Hans: 邮件\n"
                  "    en: email\n")
    project.write("docs/everyday.md", "---\ntitle: 聯絡\n---\n\n# 聯絡\n\n"
                  "員工透過電郵聯絡，電郵地址見下。\n")
    result = project.build()
    assert result.ok, result.problems
    # (The glossary marks the term's first use, hence the spaces around it.)
    text = visible_text(result.page("zh-Hans/everyday/index.html")).replace(" ", "")
    assert "通过邮件联系，邮件地址" in text and "电子邮件" not in text
    review = result.page("zh-Hans/conversion-review.html")
    row = next(r for r in review.split("<tr>") if "<td>電郵</td>" in r)
    assert "<td>邮件</td>" in row and "词汇表" in row


def test_protected_names_from_mkdocs_yml_keep_their_wording(project):
    """A name listed under protected_names is converted character by character only,
    even where it appears once (names found by the check need to repeat)."""
    _new_report(project)
    project.replace("mkdocs.yml", "  - csr-convert\n",
                    "  - csr-convert:\n      protected_names: [透過電郵學院]\n")
    project.write("docs/everyday.md", "---\ntitle: 學院\n---\n\n# 學院\n\n"
                  "我們與透過電郵學院合作，員工透過電郵聯絡。\n")
    result = project.build()
    assert result.ok, result.problems
    text = visible_text(result.page("zh-Hans/everyday/index.html"))
    assert "我们与透过电邮学院合作" in text and "员工通过电子邮件联系" in text
    names = result.page("zh-Hans/conversion-review.html").split('id="names"')[1]
    assert "透過電郵學院" in names
