"""The English edition's reader site: chrome, site name, search, sitemap (issue 15, P2).

One real build of the fixture report with an English edition listed before the
Simplified one (so a language built after English proves the configuration is
restored), its report.yml giving an English site name and description and the
contact details the footer shows.
"""

from __future__ import annotations

import functools
import gzip
import json
import re
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from conftest import FIXTURE, BuildResult, Project, add_english
from test_browser import browser, search  # noqa: F401  (fixtures)
from test_reader_site import AXE, axe_violations

ROOT = Path(__file__).resolve().parent.parent
CJK = re.compile(r"[\u3400-\u9fff\uff01-\uff5e\u3000-\u303f]")
SITE_NAME = "Test Organisation ESG Report 2021"
DESCRIPTION = "How the Test Organisation served its stakeholders in 2021"
REPORT_FACTS = f"""
site_name: {{en: {SITE_NAME}}}
description: {{en: {DESCRIPTION}}}
copyright: {{zh-Hant: © 2022 測試機構, zh-Hans: © 2022 测试机构, en: © 2022 Test Organisation}}
contact:
  email: csr@example.org
  phone: "+852 0000 0000"
  address: {{zh-Hant: 香港某街 1 號, zh-Hans: 香港某街 1 号, en: "1 Some Street, Hong Kong"}}
  feedback: mailto:csr@example.org
"""


def english_project(path: Path) -> Project:
    """The fixture report with an English edition before the Simplified one, English
    facts in report.yml and the heading links' title configured in Chinese."""
    shutil.copytree(FIXTURE, path)
    project = add_english(Project(path), before_simplified=True)
    if "第二頁:" not in project.read("mkdocs.yml"):  # the untranslated page's English title
        project.replace("mkdocs.yml", "          name: English\n",
                        "          name: English\n          nav_translations:\n"
                        "            第二頁: Second page\n")
    project.replace("mkdocs.yml", "      permalink: true\n",
                    "      permalink: true\n      permalink_title: 本節網址\n")
    project.write("data/report.yml", project.read("data/report.yml") + REPORT_FACTS)
    return project


@pytest.fixture(scope="module")
def english_site(tmp_path_factory) -> BuildResult:
    project = english_project(tmp_path_factory.mktemp("en-site") / "report")
    result = project.build(strict=True)
    assert result.ok, result.error + "\n".join(result.problems)
    return result


def _between(html: str, start: str, end: str) -> str:
    return html[html.index(start):html.index(end, html.index(start))]


def _text(fragment: str) -> str:
    """What a reader sees of an HTML fragment, white space collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())


# --- chrome ------------------------------------------------------------------------------------

def test_footer_404_and_search_dialog_are_english_in_the_english_edition(english_site):
    home = english_site.page("en/index.html")
    footer = _text(_between(home, '<div class="md-copyright csr-footer">', "</footer>"))
    assert "© 2022 Test Organisation" in footer
    assert "Contact us" in footer and "Email: csr@example.org" in footer
    assert "Address: 1 Some Street, Hong Kong" in footer and "Feedback" in footer
    assert not CJK.search(footer), footer
    assert 'role="dialog" aria-label="Search the report"' in home

    not_found = english_site.page("en/404.html")
    article = _text(_between(not_found, "<article", "</article>"))
    assert "Page not found" in article and "Go to the report's home page" in article
    assert "Chapters of the report" in article and "Second page" in article
    assert not CJK.search(article), article
    assert 'aria-label="Search the report"' in not_found
    assert '<html lang="en"' in not_found

    # The Chinese editions keep their own words.
    assert "聯絡我們" in english_site.page("index.html")
    assert "電郵： csr@example.org" in _text(english_site.page("index.html"))
    assert "联系我们" in english_site.page("zh-Hans/index.html")
    assert "找不到這一頁" in english_site.page("404.html")
    assert "找不到这一页" in english_site.page("zh-Hans/404.html")


def test_site_name_and_description_come_from_report_yml_in_english_only(english_site):
    home = english_site.page("en/index.html")
    assert f"<title>Home - {SITE_NAME}</title>" in home
    assert f'aria-label="{SITE_NAME}"' in home  # the header's name
    notice = english_site.page("en/page/index.html")  # a page without its own description
    assert f'<meta name="description" content="{DESCRIPTION}">' in notice
    assert f"<title>{SITE_NAME}</title>" in english_site.page("en/404.html")
    # Built before and after English: mkdocs.yml's names, converted for Simplified.
    assert "<title>首頁 - 測試機構報告</title>" in english_site.page("index.html")
    assert "<title>首页 - 测试机构报告</title>" in english_site.page("zh-Hans/index.html")
    assert 'content="测试机构的利益相关方信息"' in english_site.page("zh-Hans/page/index.html")


def test_heading_links_switcher_names_and_download_labels_in_the_readers_language(english_site):
    home = english_site.page("en/index.html")
    assert 'class="headerlink" href="#管治架構" title="Link to this section"' in home
    assert 'title="本節網址"' in english_site.page("index.html")
    assert 'title="本节网址"' in english_site.page("zh-Hans/index.html")
    # Each entry of the switcher is named in its own language, and marked so.
    assert re.search(r'hreflang="zh-Hant" lang="zh-Hant" class="md-select__link">\s*繁體中文', home)
    assert re.search(r'hreflang="zh-Hans" lang="zh-Hans" class="md-select__link">\s*简体中文', home)
    assert re.search(r'hreflang="en" lang="en" class="md-select__link">\s*English',
                     english_site.page("index.html"))
    assert 'hreflang="zh-Hans" lang=' not in english_site.page("index.html")


# --- search ------------------------------------------------------------------------------------

def test_english_search_index_has_english_words_and_entries_only(english_site):
    index = json.loads(english_site.page("en/search/search_index.json"))
    # Material's English configuration (its en language partial), not the Chinese one.
    assert index["config"]["lang"] == ["en"]
    assert index["config"]["separator"] == r"[\s\-]+"
    assert index["config"]["pipeline"] == ["stopWordFilter"]
    titles = [doc["title"] for doc in index["docs"]]
    assert "Home" in titles and "Governance" in titles
    assert any("We value our stakeholders" in doc["text"] for doc in index["docs"])
    for doc in index["docs"]:  # the untranslated page's notice is not searchable
        assert not CJK.search(doc["title"] + doc["text"]), doc
    root = json.loads(english_site.page("search/search_index.json"))
    assert root["config"]["separator"] != index["config"]["separator"]
    assert not any(doc["location"].startswith("en/") for doc in root["docs"])
    assert any("我們\u200b重視" in doc["text"] for doc in root["docs"])  # segmented


# --- sitemap and search engines ----------------------------------------------------------------

def test_notice_of_an_untranslated_page_is_no_english_alternate(english_site):
    notice = english_site.page("en/page/index.html")
    assert '<meta name="robots" content="noindex">' in notice
    assert 'name="robots"' not in english_site.page("en/index.html")
    for folder in ("", "zh-Hans/", "en/"):
        sitemap = english_site.page(folder + "sitemap.xml")
        packed = gzip.decompress((english_site.site / folder / "sitemap.xml.gz").read_bytes())
        assert packed.decode("utf-8") == sitemap
        assert "https://example.org/en/page/" not in sitemap
        # The page itself keeps its Chinese alternates; the translated home keeps English.
        assert 'hreflang="zh-Hans" href="https://example.org/zh-Hans/page/"' in sitemap
        assert 'hreflang="en" href="https://example.org/en/"' in sitemap
        assert "<loc>https://example.org/en/</loc>" in sitemap


# --- in a browser ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def english_server(english_site):
    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0),
                                functools.partial(Quiet, directory=str(english_site.site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture
def tab(browser):  # noqa: F811 - the browser fixture of test_browser
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


@pytest.mark.browser
def test_switcher_has_three_editions_and_keeps_the_page(tab, english_server):
    tab.goto(english_server + "en/#管治架構")
    links = tab.locator("a.md-select__link")
    assert links.count() == 3
    assert sorted(links.evaluate_all("els => els.map(e => e.hreflang)")) == \
        ["en", "zh-Hans", "zh-Hant"]
    tab.hover(".md-header__option .md-select")
    tab.click('a.md-select__link[hreflang="zh-Hans"]')
    tab.wait_for_url("**/zh-Hans/#*")
    assert tab.locator("html").get_attribute("lang") == "zh-Hans"
    assert tab.locator("h2#管治架構").is_visible()
    tab.hover(".md-header__option .md-select")
    tab.click('a.md-select__link[hreflang="en"]')
    tab.wait_for_url("**/en/#*")
    assert tab.locator("h2#管治架構").inner_text().startswith("Governance")


@pytest.mark.browser
def test_english_search_finds_english_words_in_english_pages_only(tab, english_server):
    tab.goto(english_server + "en/")
    results = search(tab, "stakeholders")
    assert results.count() >= 1
    for i in range(results.count()):
        href = results.nth(i).locator("a").first.get_attribute("href")
        assert "/en/" in href, href
    assert "stakeholders" in results.first.inner_text().lower()


@pytest.mark.browser
def test_axe_finds_nothing_serious_on_the_english_home_and_404_pages(browser,  # noqa: F811
                                                                    english_server):
    assert AXE.exists(), "axe-core is installed by `make setup` (scripts/setup.sh)"
    script = AXE.read_text(encoding="utf-8")
    found = {}
    for size in ({"width": 1440, "height": 900}, {"width": 390, "height": 844}):
        context = browser.new_context(viewport=size)
        tab = context.new_page()
        for path in ("en/", "en/404.html"):
            violations = axe_violations(tab, english_server + path, script)
            if violations:
                found[f"{path} at {size['width']}px"] = violations
        context.close()
    assert found == {}
