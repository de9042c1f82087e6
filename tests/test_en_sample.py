"""The sample report's three editions from one source and one data set (issue 15).

Built once per session with its PDFs (the ``sample_site`` fixture): Traditional (the
source), Simplified (generated) and English (written by translators, part of it).
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from csr_kit.translation import commands

ROOT = Path(__file__).resolve().parent.parent
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
TRANSLATED = ["", "message/", "people/", "glossary/", "appendix/performance-data/",
              "appendix/sri-index/", "appendix/cnca-index/", "appendix/gri-index/",
              "appendix/hkex-index/"]
EDITIONS = {"zh-Hant": "", "zh-Hans": "zh-Hans/", "en": "en/"}


def _article(html: str) -> str:
    return html[html.index("<article"):html.index("</article>")]


def _without_marked_chinese(html: str) -> str:
    """The page's visible text, less what is marked as Chinese (names, cited titles)."""
    html = re.sub(r"<(script|style|code|pre)\b.*?</\1>", " ", html, flags=re.S)
    # Elements marked lang="zh-…" (innermost first, so nested ones go too).
    marked = re.compile(r'<(\w+)\b[^>]*\blang="zh-[^"]*"[^>]*>(?:(?!<\1\b).)*?</\1>', re.S)
    while marked.search(html):
        html = marked.sub(" ", html)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.parametrize("path", TRANSLATED)
def test_english_pages_are_english(sample_site, path):
    html = sample_site.page(f"en/{path}index.html")
    assert '<html lang="en"' in html
    left = CJK.findall(_without_marked_chinese(_article(html)))
    assert not left, f"en/{path}: Chinese outside lang-marked elements: {''.join(left)[:80]}"


def test_every_page_has_three_editions_and_the_switcher_keeps_the_page(sample_site):
    for edition, prefix in EDITIONS.items():
        html = sample_site.page(f"{prefix}people/index.html")
        links = re.findall(r'<a href="([^"]*)" hreflang="([^"]+)"', html)
        assert {lang for _, lang in links} >= set(EDITIONS), (edition, links)
        # Each entry is this page in that edition ('./' is the page itself).
        assert all(href == "./" or href.endswith("people/") for href, _ in links), links


def test_figures_are_the_same_in_three_editions(sample_site):
    def figures(prefix: str) -> list[tuple[str, str, str]]:
        html = sample_site.page(f"{prefix}people/index.html")
        return re.findall(r'data-kpi="([^"]+)"[^>]*?data-value="([^"]+)" data-period="(\d+)"',
                          html)

    traditional = figures("")
    assert len(traditional) > 10
    assert figures("zh-Hans/") == traditional
    # The English chapter cites the same figures, in the order English grammar puts them.
    assert sorted(figures("en/")) == sorted(traditional)


def test_an_untranslated_page_is_a_notice_never_the_chinese_text(sample_site):
    html = sample_site.page("en/about-us/index.html")
    article = _article(html)
    assert "has not been translated into English yet" in article
    assert "關於我們" not in _without_marked_chinese(article)
    assert '<meta name="robots" content="noindex">' in html
    sitemap = (sample_site.site / "sitemap.xml").read_text("utf-8")
    assert "en/about-us/" not in sitemap and "en/people/" in sitemap


def test_the_english_search_index_holds_english_pages_only(sample_site):
    index = json.loads((sample_site.site / "en" / "search" / "search_index.json")
                       .read_text("utf-8"))
    assert index["config"]["lang"] == ["en"]
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert "people/" in locations
    assert not locations & {"about-us/", "governance/", "future/"}  # notices: not searchable
    titles = " ".join(doc["title"] for doc in index["docs"] if doc["location"] == "people/")
    assert "Our people" in titles


def test_three_pdfs_one_per_edition(sample_site):
    pdfs = sorted(p.name for p in sample_site.site.rglob("*.pdf"))
    assert len(pdfs) == 3 and any(name.endswith("-en.pdf") for name in pdfs), pdfs
    english = next(sample_site.site.rglob("*-en.pdf"))
    reader = PdfReader(english)
    assert str(reader.trailer["/Root"].get("/Lang")).startswith("en")
    text = subprocess.run(["pdftotext", "-layout", str(english), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "Contents" in text and "Our people" in text
    assert "Not yet translated" in text  # the chapters left out are named under the contents


def test_every_translation_follows_its_source_as_it_is_now():
    """data/translations.yml was marked after the English pages were written."""
    assert commands.status_problems(ROOT / "mkdocs.yml") == []
