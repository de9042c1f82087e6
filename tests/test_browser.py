"""The sample site in a real headless Chromium (Debian's), driven by Playwright."""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest

from csr_kit.convert.review import wrong_script_characters

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
        "--disable-default-apps", "--disable-extensions"]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server(sample_site):
    handler = functools.partial(_Quiet, directory=str(sample_site.site))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


class Recorder:
    """Every request a page makes and every console error it logs."""

    def __init__(self, page):
        self.requests: list[str] = []
        self.failures: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("response",
                lambda r: r.status >= 400 and self.failures.append(f"{r.status} {r.url}"))
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def outside(self) -> list[str]:
        return [u for u in self.requests
                if urlsplit(u).scheme not in ("data", "blob", "about")
                and urlsplit(u).hostname != "127.0.0.1"]


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    tab = context.new_page()
    tab.recorder = Recorder(tab)
    yield tab
    context.close()


def search(page, query: str):
    """Type a query once the search worker has its index, as a reader would."""
    page.wait_for_load_state("networkidle")
    box = page.locator("input.md-search__input")
    for _ in range(3):
        box.click()
        # CJK text arrives by an input method, not key by key: fill, then a key press
        # (Material's search listens for keyboard events).
        box.fill(query)
        box.press("End")
        try:
            page.wait_for_selector(".md-search-result__item", timeout=10000)
            break
        except Exception:  # the worker was still indexing: type the query again
            continue
    return page.locator(".md-search-result__item")


def test_switcher_lands_on_the_same_page_and_section(page, server):
    page.goto(server + "about-us/#持份者參與")
    page.hover(".md-header__option .md-select")
    page.click('a.md-select__link[hreflang="zh-Hans"]')
    page.wait_for_url("**/zh-Hans/about-us/**")
    assert page.url.endswith("/zh-Hans/about-us/#%E6%8C%81%E4%BB%BD%E8%80%85%E5%8F%83%E8%88%87")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    heading = page.locator("h2#持份者參與")
    assert heading.inner_text().startswith("利益相关方参与")
    page.hover(".md-header__option .md-select")
    page.click('a.md-select__link[hreflang="zh-Hant"]')
    page.wait_for_url("**/about-us/**")
    assert "/zh-Hans/" not in page.url
    assert page.locator("html").get_attribute("lang") == "zh-Hant"


@pytest.mark.parametrize("start,query,expect", [
    ("people/", "碳中和", "碳中和"),
    ("people/", "持份者", "持份者"),
    ("zh-Hans/people/", "利益相关方", "利益相关方"),
    ("zh-Hans/people/", "碳中和", "碳中和"),
])
def test_search_finds_terms_in_the_readers_script(page, server, start, query, expect):
    page.goto(server + start)
    results = search(page, query)
    assert results.count() > 0
    simplified = start.startswith("zh-Hans")
    traditional_only = wrong_script_characters("zh-Hans")
    for i in range(results.count()):
        item = results.nth(i)
        href = item.locator("a").first.get_attribute("href")
        assert ("/zh-Hans/" in href) == simplified, href  # no results from the other script
        title = item.locator("article h1, article h2").first.inner_text()
        if simplified and "词汇表" not in title:
            assert not {c for c in title if c in traditional_only}, title
    assert expect in results.first.inner_text().replace("\u200b", "")


def test_pdf_link_downloads_a_pdf(page, server):
    for start in ("people/", "zh-Hans/people/"):
        page.goto(server + start)
        with page.expect_download() as info:
            page.click("a.csr-pdf-link")
        download = info.value
        path = download.path()
        with open(path, "rb") as handle:
            assert handle.read(5) == b"%PDF-"
        assert download.suggested_filename.endswith(
            "zh-Hans.pdf" if start.startswith("zh-Hans") else "zh-Hant.pdf")


def test_no_request_leaves_the_site_and_no_console_errors(page, server):
    for path in ("", "people/", "environment/", "appendix/gri-index/", "glossary/",
                 "zh-Hans/", "zh-Hans/people/", "zh-Hans/appendix/performance-data/",
                 "404.html", "zh-Hans/404.html"):
        page.goto(server + path)
        page.wait_for_load_state("networkidle")
    search(page, "员工")
    assert page.recorder.outside() == []
    assert page.recorder.failures == []
    assert page.recorder.errors == []
    assert len(page.recorder.requests) > 20


def test_mobile_viewport_shows_navigation_and_switcher(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True)
    tab = context.new_page()
    tab.goto(server + "people/")
    drawer = tab.locator('label.md-header__button[for="__drawer"]')
    assert drawer.is_visible()
    assert tab.locator(".md-header__option .md-select button").is_visible()
    drawer.click()
    link = tab.locator('.md-nav--primary a.md-nav__link[href="../environment/"]').first
    link.wait_for(state="visible")
    link.click()
    tab.wait_for_url("**/environment/")
    context.close()


def test_switcher_and_glossary_terms_work_by_keyboard(page, server):
    page.goto(server + "about-us/")
    # A term is not a tab stop: its English is in the page's term list, one stop.
    term = page.locator("abbr.csr-term").first
    summary = page.locator("details.csr-terms summary")
    summary.focus()
    page.keyboard.press("Enter")
    entry = page.locator("#" + term.get_attribute("aria-describedby"))
    assert entry.is_visible() and term.get_attribute("data-en") in entry.inner_text()
    # Tab through the header to the language links, then follow one with Enter.
    page.locator(".md-header__option .md-select button").focus()
    for _ in range(6):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('hreflang')") == "zh-Hans":
            break
    assert page.evaluate("document.activeElement.getAttribute('hreflang')") == "zh-Hans"
    page.keyboard.press("Enter")
    page.wait_for_url("**/zh-Hans/about-us/")


def _contrast(rgb1, rgb2) -> float:
    def luminance(rgb):
        def channel(c):
            c = c / 255
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
        r, g, b = (channel(c) for c in rgb)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    light, dark = sorted((luminance(rgb1), luminance(rgb2)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_kpi_cards_and_callouts_have_readable_contrast(page, server):
    """WCAG AA (4.5:1) for every text colour on the card's background."""
    page.goto(server + "environment/")
    pairs = page.evaluate("""() => {
      const parse = c => c.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number);
      const out = [];
      for (const card of document.querySelectorAll('.csr-kpi-card, .csr-coverage')) {
        const bg = parse(getComputedStyle(card).backgroundColor);
        for (const el of card.querySelectorAll('*')) {
          const texts = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
          if (!el.childNodes.length || !texts) continue;
          out.push([el.className, parse(getComputedStyle(el).color), bg]);
        }
      }
      return out;
    }""")
    assert len(pairs) > 10
    for name, fg, bg in pairs:
        assert _contrast(fg, bg) >= 4.5, (name, fg, bg)


def test_single_page_prints_without_site_chrome(page, server):
    page.goto(server + "people/")
    page.emulate_media(media="print")
    assert not page.locator(".md-header").is_visible()
    assert not page.locator(".md-sidebar--primary").is_visible()
    assert page.locator("article h1").is_visible()
