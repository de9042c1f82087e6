"""A third edition written by translators (English): the foundation under it.

The Chinese editions are unchanged by it; English pages are never converted; problems
in an English page are reported with its file and line, in the English build.
"""

from __future__ import annotations

import re

from conftest import add_english

CJK = re.compile(r"[\u4e00-\u9fff]")


def _main_text(html: str) -> str:
    main = html[html.index('<article'):html.index('</article>')]
    return re.sub(r"<[^>]+>", " ", main)


def test_three_editions_from_one_source(project_en):
    result = project_en.build(strict=False)
    assert result.ok, result.error
    english = result.page("en/index.html")
    assert '<html lang="en"' in english
    text = _main_text(english)
    assert "We value our stakeholders" in text and "Governance" in text
    assert 'id="管治架構"' in english  # the id the Traditional heading has: links keep working
    assert "我們重視" in result.page("index.html")
    assert "我们重视" in result.page("zh-Hans/index.html")
    # The converted edition is the Simplified one; English is never converted.
    assert not (project_en.path / "site" / "en" / "conversion-review.html").exists()
    assert (project_en.path / "site" / "zh-Hans" / "conversion-review.html").exists()


def test_english_listed_before_simplified_changes_nothing_in_chinese(project):
    add_english(project, before_simplified=True)
    result = project.build(strict=False)
    assert result.ok, result.error
    simplified = _main_text(result.page("zh-Hans/index.html"))
    assert "我們重視" not in simplified and "我們重視" in result.page("index.html")
    assert "我们重视" in simplified  # converted, not the Traditional text
    assert "We value our stakeholders" in _main_text(result.page("en/index.html"))
    assert not (project.path / "site" / "en" / "conversion-review.html").exists()


def test_markup_needs_no_english_variant(project_en):
    # page.md has -{zh-hans:…;zh-hant:…;}- with no en: — English pages are written by hand.
    result = project_en.build(strict=True)
    assert result.ok, result.error + "\n".join(result.problems)


def test_a_mistake_in_an_english_page_is_reported_there(project_en):
    project_en.replace("docs/index.en.md", "{{kpi staff.total}}", "{{kpi staff.totl}}")
    project_en.replace("docs/index.en.md", "![An illustration of a stakeholder meeting]",
                       "![]")
    result = project_en.build(strict=True)
    assert not result.ok
    assert any("docs/index.en.md:8: unknown KPI id 'staff.totl'" in p
               for p in result.problems), result.problems
    assert any("docs/index.en.md:14: the image 'pic.svg' has no alt text" in p
               for p in result.problems), result.problems


def test_english_without_the_translation_plugin_is_refused(project_en):
    project_en.replace("mkdocs.yml", "  - csr-translation\n", "")
    result = project_en.build(strict=False)
    assert not result.ok
    assert any("the i18n language 'en' is an edition written by translators" in p
               and "add '- csr-translation' under plugins:" in p for p in result.problems)
