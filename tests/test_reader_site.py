"""Issue 14: the reader edition in headless Chromium — accessibility (axe-core), report
tables, charts, glossary tooltips, phrase search, 404 pages and the report's chrome."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest

from csr_kit.kpi.render import nice_axis, wrap_label
from csr_kit.site import (
    chrome,
    chrome_text,
    fix_query_segmentation,
    link_downloads,
    mark_english_text,
    query_segmentation_fixed,
)
from test_browser import browser, page, search, server  # noqa: F401  (fixtures)

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / ".venv" / "node" / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}


def axe_violations(tab, url: str, script: str) -> list[str]:
    """axe-core's serious and critical findings on a page, with up to three places each."""
    response = tab.goto(url)
    assert response is not None and response.status == 200, url  # never an error page
    tab.wait_for_load_state("networkidle")
    tab.add_script_tag(content=script)
    found: list[str] = tab.evaluate("""async () => (await axe.run(document,
        {resultTypes: ['violations']})).violations
        .filter(v => v.impact === 'serious' || v.impact === 'critical')
        .map(v => v.id + ': '
                  + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))""")
    return found


def site_pages(site: Path) -> list[str]:
    """Every page of the default language, as a path from its root ('' is the home):
    not the other editions' folders, which have their own pages."""
    found = [""]
    for index in sorted(site.rglob("index.html")):
        relative = index.parent.relative_to(site).as_posix()
        if relative != "." and relative.split("/")[0] not in ("zh-Hans", "en", "assets"):
            found.append(relative + "/")
    return found + ["404.html"]


# --- units ---------------------------------------------------------------------------------

def test_the_axe_pass_lists_only_the_default_editions_pages(sample_site):
    pages = site_pages(sample_site.site)
    assert not [p for p in pages if p.startswith(("en/", "zh-Hans/", "assets/"))]
    for folder in ("", "zh-Hans/"):
        missing = [p for p in pages if not (sample_site.site / folder / p).is_file()
                   and not (sample_site.site / folder / p / "index.html").is_file()]
        assert missing == [], folder
    assert len(pages) >= 16


def test_axis_steps_are_round_and_start_at_zero():
    assert nice_axis(31) == (10, 40)
    assert nice_axis(103.2) == (50, 150)
    assert nice_axis(2104) == (1000, 3000)
    assert nice_axis(0) == (1.0, 1.0)


def test_chart_labels_wrap_between_characters_never_inside_a_latin_word():
    lines = wrap_label("香港及澳門辦公室員工培訓總時數（ISO 14001 課程）", 200)
    assert all(len(line) <= 15 for line in lines) and len(lines) >= 2
    assert any("14001" in line for line in lines)  # the number stays whole


def test_query_segmentation_fix_applies_once():
    worker = ('x=function fe(t,e){for(let s=0;s<t.length;s++)for(let o=s+1;o<t.length;o++)'
              't.slice(s,o)in e&&(n[s]=o-s)};search(e){e=e.replace(r,s=>'
              '[...fe(s,this.index.invertedIndex)].join("* "))}')
    fixed = fix_query_segmentation(worker)
    assert "o<=t.length" in fixed and "csrPhrase(s,this.index.invertedIndex,fe)" in fixed
    assert "function csrPhrase(" in fixed
    # Set apart from Latin typed against the Chinese (ESG報告): never one fused term.
    assert '" "+csrPhrase(s,this.index.invertedIndex,fe)+" "' in fixed
    assert query_segmentation_fixed(fixed) and fix_query_segmentation(fixed) is None
    assert fix_query_segmentation("something else") is None


def test_download_links_point_at_this_languages_files():
    html = '<a href="csr:pdf">PDF</a><a href="csr:csv">CSV</a>'
    paths = {"pdf": "zh-Hans/downloads/r.pdf", "csv": "zh-Hans/downloads/kpi-data.csv",
             "json": "zh-Hans/downloads/kpi-data.json"}
    assert link_downloads(html, "zh-Hans/", paths) == \
        '<a href="downloads/r.pdf">PDF</a><a href="downloads/kpi-data.csv">CSV</a>'
    assert 'href="../downloads/kpi-data.csv"' in link_downloads(html, "zh-Hans/people/", paths)


def test_english_runs_in_a_chinese_page_are_marked_english():
    content = ('歡樂時光（Happy Hour）的Team with Joy、'
            'ISO 14001、CO2e 及 kWh、ISO/IEC TS 17021-10 <code>print this</code>'
            '<a href="https://x.org/Foo Bar" title="Alt Text">Eric Usher</a>'
            '<span lang="zh-Hant">Not This</span><svg><text>Chart Label</text></svg>'
            'Health &amp; Safety')
    marked = mark_english_text(content)
    runs = re.findall(r'<span lang="en">(.*?)</span>', marked)
    assert runs == ["Happy Hour", "Team with Joy", "Eric Usher", "Health &amp; Safety"]
    assert 'href="https://x.org/Foo Bar"' in marked
    assert mark_english_text(marked) == marked  # marked runs are left alone


def test_english_runs_end_at_a_full_stop_and_may_follow_an_entity():
    text = ('口號 Together We Grow. 活動「Team with Joy：」、&quot;Happy Hour&quot; 與 '
            '&ldquo;Annual Dinner&rdquo;。檔案 Foo Bar.txt、Foo Bar/baz、Foo Bar:x、a;Not Marked')
    runs = re.findall(r'<span lang="en">(.*?)</span>', mark_english_text(text))
    # Whole runs or nothing: a file name or an address is never cut into a run.
    assert runs == ["Together We Grow", "Team with Joy", "Happy Hour", "Annual Dinner"]
    assert "Together We Grow</span>. " in mark_english_text(text)


def test_english_runs_never_touch_attribute_values_or_scripts():
    fragment = ('<abbr title="Scope 1 > Scope Two Items">範圍一 Scope One</abbr>'
                "<script>if (a<b) { Not Prose(); }</script><p data-lang=\"x\">Hello World</p>"
                '<p xml:lang="en">Said Already</p>')
    marked = mark_english_text(fragment)  # a fragment: no <article> needed
    assert marked.startswith('<abbr title="Scope 1 > Scope Two Items">範圍一 '
                             '<span lang="en">Scope One</span></abbr>')
    assert "<script>if (a<b) { Not Prose(); }</script>" in marked
    assert re.findall(r'<span lang="en">(.*?)</span>', marked) == ["Scope One", "Hello World"]


def test_english_in_the_sample_carries_its_language(sample_site):
    for folder in ("", "zh-Hans/"):
        about = sample_site.page(folder + "about-us/index.html")
        for words in ("Growth", "Integrity", "Fairness", "Team with Joy",
                      "Social Responsibility"):
            assert f'<td><span lang="en">{words}</span></td>' in about, (folder, words)
        people = sample_site.page(folder + "people/index.html")
        assert '<span lang="en">Happy Hour</span>' in people
        environment = sample_site.page(folder + "environment/index.html")
        assert '<span lang="en">Eric Usher</span>' in environment
        # Only the page's content is marked (csr-site marks it once, for the page and the
        # PDF), never the site's chrome around it.
        chrome = environment.split("<article")[0] + environment.split("</article>")[-1]
        assert '<span lang="en">' not in chrome
    assert '<span lang="en">' not in sample_site.page("en/people/index.html").split(
        "<article")[1].split('class="csr-terms"')[0]


def test_each_appendix_has_its_own_picture(sample_site):
    """Distinct illustrations per appendix: different files with different drawings."""
    pictures = {}
    for name in ("performance-data", "sri-index", "cnca-index", "gri-index", "hkex-index"):
        html = sample_site.page(f"appendix/{name}/index.html")
        article = html.split("<article")[1]
        src = re.search(r'<img [^>]*src="([^"]+\.svg)"', article).group(1)
        pictures[name] = (sample_site.site / "appendix" / name / src).resolve()
    assert len(set(pictures.values())) == len(pictures), pictures
    drawings = {path.read_bytes() for path in pictures.values()}
    assert len(drawings) == len(pictures)


def test_without_a_pdf_the_downloads_name_no_broken_link():
    html = '<li><a href="csr:pdf" download>PDF 版報告</a>：全文</li><a href="csr:csv">CSV</a>'
    paths = {"pdf": None, "csv": "downloads/kpi-data.csv", "json": "downloads/kpi-data.json"}
    notes = {kind: chrome_text("zh-Hant")["no_" + kind] for kind in ("pdf", "csv", "json")}
    linked = link_downloads(html, "", paths, notes)
    assert "csr:pdf" not in linked and 'href="downloads/"' not in linked
    assert '<span class="csr-download-missing">PDF 版報告（這次建置沒有製作 PDF）</span>' in linked
    assert '<a href="downloads/kpi-data.csv">CSV</a>' in linked


def test_each_missing_download_has_its_own_note_and_no_address():
    html = ('<a href="csr:pdf">PDF</a><a href="csr:csv">CSV</a><a href="csr:json">JSON</a>'
            '<link rel="alternate" href="csr:csv">')
    paths = {"pdf": "downloads/r.pdf", "csv": None, "json": None}
    notes = {kind: chrome_text("zh-Hant")["no_" + kind] for kind in ("pdf", "csv", "json")}
    linked = link_downloads(html, "people/", paths, notes)
    assert '<a href="../downloads/r.pdf">PDF</a>' in linked
    assert '<span class="csr-download-missing">CSV（這次建置沒有製作 CSV 檔）</span>' in linked
    assert '<span class="csr-download-missing">JSON（這次建置沒有製作 JSON 檔）</span>' in linked
    assert "PDF）" not in linked  # never the PDF's note for another file
    assert "None" not in linked and "csr:" not in linked  # a bare href loses its address


def test_404_pages_link_home_properly_and_have_a_skip_link(sample_site):
    for folder, home in (("", "/"), ("zh-Hans/", "/zh-Hans/")):
        html = sample_site.page(folder + "404.html")
        assert 'href="/."' not in html
        chapters = html.split('class="csr-not-found__chapters"')[1]
        assert re.search(r'<a href="([^"]*)"', chapters).group(1) == home
        assert '<a href="#csr-not-found" class="md-skip">' in html
        assert 'id="csr-not-found"' in html


def test_footer_facts_in_each_script():
    from csr_kit.report import load_report

    report = load_report(ROOT / "data/report.yml", "data/report.yml")
    hans = chrome(report, "zh-Hans", "zh-Hans/", None)
    assert hans["copyright"].startswith("© 2022 香港品质保证局")
    assert ("电子邮件", "csr@example.org", "mailto:csr@example.org") in hans["contact"]
    assert hans["feedback"] == "mailto:csr@example.org"
    assert chrome(report, "zh-Hant", "", "downloads/x.pdf")["text"]["feedback"] == "意見回饋"


# --- the built sample in the browser -----------------------------------------------------------

@pytest.mark.browser
@pytest.mark.parametrize("folder", ["", "zh-Hans/"])
def test_axe_finds_no_serious_or_critical_violation_on_any_page(browser, server,  # noqa: F811
                                                                sample_site, folder):
    assert AXE.exists(), "axe-core is installed by `make setup` (scripts/setup.sh)"
    script = AXE.read_text(encoding="utf-8")
    found = {}
    for size in ({"width": 1440, "height": 900}, PHONE):
        context = browser.new_context(viewport=size)
        tab = context.new_page()
        for path in site_pages(sample_site.site):
            violations = axe_violations(tab, server + folder + path, script)
            if violations:
                found[f"{folder}{path} at {size['width']}px"] = violations
        context.close()
    assert found == {}


@pytest.mark.browser
def test_report_tables_scroll_on_a_phone_and_never_split_a_word(browser, server):  # noqa: F811
    context = browser.new_context(viewport=PHONE, is_mobile=True)
    tab = context.new_page()
    for path in ("appendix/performance-data/", "zh-Hans/appendix/gri-index/",
                 "appendix/hkex-index/"):
        tab.goto(server + path)
        tab.wait_for_load_state("networkidle")
        report = tab.evaluate("""() => {
          const out = {overflowPage: document.documentElement.scrollWidth > innerWidth + 1,
                       regions: 0, split: []};
          for (const region of document.querySelectorAll('.csr-table-scroll')) {
            out.regions++;
            for (const cell of region.querySelectorAll('th, td.csr-nowrap, td.csr-num')) {
              const range = document.createRange();
              range.selectNodeContents(cell);
              const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
              if (cell.textContent.trim().length <= 8 && lines.size > 1)
                out.split.push(cell.textContent);
            }
          }
          return out;
        }""")
        assert report["regions"] > 0, path
        assert not report["overflowPage"], path  # the table scrolls, not the page
        assert report["split"] == [], path
    context.close()


def test_tables_leave_out_empty_columns_and_mark_own_translations_once(sample_site):
    html = sample_site.page("appendix/performance-data/index.html")
    for table in re.findall(r"<table class=\"csr-kpi-table\">.*?</table>", html, re.S):
        heads = re.findall(r"<th scope=\"col\"[^>]*>(.*?)</th>", table)
        rows = re.findall(r"<tr id=\"kpi-[^\"]+\">(.*?)</tr>", table, re.S)
        for column, _ in enumerate(heads):
            cells = [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)[column] for row in rows]
            assert any(re.sub(r"<[^>]+>", "", c).strip() not in ("", "—") for c in cells), \
                (heads[column], "an empty column")
    gri = sample_site.page("appendix/gri-index/index.html")
    assert gri.count("本報告自譯") == gri.count('class="csr-table-note"')
    assert "（自譯）" not in gri
    header = re.sub(r"<[^>]+>", " ", gri.split("csr-gri-header")[1][:2000])
    assert not re.search(r"\d{4}-\d{2}-\d{2}", header)


@pytest.mark.browser
@pytest.mark.parametrize("path,font", [("people/", "Noto Sans CJK HK"),
                                       ("zh-Hans/people/", "Noto Sans CJK SC")])
def test_charts_are_legible_on_a_phone_with_a_data_table(browser, server, path, font):  # noqa: F811
    context = browser.new_context(viewport=PHONE, is_mobile=True)
    tab = context.new_page()
    tab.goto(server + path)
    tab.wait_for_load_state("networkidle")
    charts = tab.evaluate("""() => [...document.querySelectorAll('figure.csr-chart')].map(f => ({
        smallest: Math.min(...[...f.querySelectorAll('svg text')]
                               .map(t => t.getBoundingClientRect().height)),
        font: f.querySelector('svg').getAttribute('font-family')
              || f.querySelector('svg').innerHTML,
        truncated: [...f.querySelectorAll('svg text')].some(t => t.textContent.includes('…')),
        rows: f.querySelectorAll('details.csr-chart__data tbody tr').length,
        clipped: [...f.querySelectorAll('svg text')].some(t => {
          const box = t.getBoundingClientRect();
          const svg = f.querySelector('svg').getBoundingClientRect();
          return box.left < svg.left - 1 || box.right > svg.right + 1;
        })}))""")
    assert len(charts) >= 4
    for chart in charts:
        assert chart["smallest"] >= 12, chart  # a text's box is about its font size
        assert font in chart["font"]
        assert not chart["truncated"] and not chart["clipped"]
        assert chart["rows"] >= 2
    context.close()


def test_bars_start_at_zero_and_years_sit_on_a_time_axis(sample_site):
    html = sample_site.page("environment/index.html")
    trend = re.search(r'id="chart-electricity-trend">(.*?)</figure>', html, re.S).group(1)
    labels = re.findall(r"<text[^>]*>([^<]*)</text>", trend)
    assert "0" in labels  # the value axis starts at zero
    xs = {t: float(x) for x, t in re.findall(r'<text x="([\d.]+)"[^>]*>(20\d\d)</text>', trend)}
    # 2014 → 2020 is six times 2020 → 2021.
    assert (xs["2020"] - xs["2014"]) == pytest.approx(6 * (xs["2021"] - xs["2020"]), rel=0.01)


@pytest.mark.browser
def test_one_tooltip_per_term_with_english_and_definition_and_no_tab_stops(page, server):  # noqa: F811
    page.goto(server + "people/")
    terms = page.locator("article abbr.csr-term")
    assert terms.count() > 3
    texts = [terms.nth(i).inner_text() for i in range(terms.count())]
    assert len(texts) == len(set(texts))  # first use only
    assert "員工" not in texts and "資訊" not in texts  # everyday words are left alone
    assert page.locator("article abbr.csr-term[tabindex], "
                        "article abbr.csr-term[title]").count() == 0
    term = terms.first
    term.hover()
    tooltip = page.evaluate("""el => getComputedStyle(el, '::after').content""",
                            term.element_handle())
    assert term.get_attribute("data-en") in tooltip and term.get_attribute("data-def") in tooltip
    # Keyboard and screen-reader users: the term names its entry in the page's list.
    entry = page.locator("#" + term.get_attribute("aria-describedby"))
    assert entry.locator('span[lang="en"]').text_content() == term.get_attribute("data-en")
    # The list is one tab stop, not one per term.
    stops = page.evaluate("() => document.querySelectorAll("
                          "'article a[href], article summary, "
                          "article [tabindex]:not([tabindex=\"-1\"])')"
                          ".length")
    assert stops < 60


_TOOLTIP_BOX = """el => {
  const tip = getComputedStyle(el, '::after');
  if (tip.content === 'none' || tip.content === 'normal') return null;
  const at = el.getBoundingClientRect();
  const fixed = tip.position === 'fixed';
  const left = fixed ? parseFloat(tip.left) : at.left + (tip.left === 'auto'
      ? at.width - parseFloat(tip.right) - parseFloat(tip.width) : parseFloat(tip.left));
  const top = fixed ? parseFloat(tip.top) : at.top + (tip.top === 'auto'
      ? at.height - parseFloat(tip.bottom) - parseFloat(tip.height) : parseFloat(tip.top));
  return {term: el.textContent, left, top, right: left + parseFloat(tip.width),
          bottom: top + parseFloat(tip.height), fixed,
          pageWidth: document.documentElement.scrollWidth, width: innerWidth,
          height: innerHeight};
}"""


@pytest.mark.browser
@pytest.mark.parametrize("path,size", [
    ("about-us/", PHONE), ("environment/", PHONE), ("zh-Hans/about-us/", PHONE),
    ("zh-Hans/environment/", PHONE), ("about-us/", DESKTOP), ("zh-Hans/environment/", DESKTOP)])
def test_every_tooltip_stays_inside_a_phone_screen(browser, server, path, size):  # noqa: F811
    """A phone (390 px), and a desktop: hovering any term shows its tooltip inside the
    screen, and the page never becomes wider than the screen."""
    phone = size == PHONE
    context = browser.new_context(viewport=size, is_mobile=phone, has_touch=phone)
    tab = context.new_page()
    tab.goto(server + path)
    tab.wait_for_load_state("networkidle")
    terms = tab.locator("article abbr.csr-term")
    assert terms.count() > 3
    outside = []
    for i in range(terms.count()):
        term = terms.nth(i)
        term.evaluate("el => el.scrollIntoView({block: 'center'})")  # not under the header
        term.hover()
        box = tab.evaluate(_TOOLTIP_BOX, term.element_handle())
        # On a desktop a tooltip may open below the fold (the reader scrolls), never
        # beside the screen.
        if (box is None or box["pageWidth"] > box["width"] or box["left"] < 0
                or box["right"] > box["width"]
                or (phone and (box["top"] < 0 or box["bottom"] > box["height"]))):
            outside.append(box)
        elif phone:
            assert box["fixed"], box  # a strip along the bottom of the screen
    assert outside == [], path
    context.close()


@pytest.mark.browser
def test_a_tooltip_in_a_key_figure_card_leaves_the_figure_and_unit_visible(page, server):  # noqa: F811
    page.goto(server + "environment/")
    page.wait_for_load_state("networkidle")
    terms = page.locator(".csr-kpi-card__label abbr.csr-term")
    assert terms.count() > 0
    for i in range(terms.count()):
        term = terms.nth(i)
        term.scroll_into_view_if_needed()
        term.hover()
        box = page.evaluate(_TOOLTIP_BOX, term.element_handle())
        figure = page.evaluate("""el => el.closest('.csr-kpi-card')
            .querySelector('.csr-kpi-card__value').getBoundingClientRect().toJSON()""",
                               term.element_handle())
        assert box is not None
        overlaps = not (box["bottom"] <= figure["top"] or box["top"] >= figure["bottom"]
                        or box["right"] <= figure["left"] or box["left"] >= figure["right"])
        assert not overlaps, (box, figure)
        assert 0 <= box["left"] and box["right"] <= box["width"]


SEARCHES = {
    "": [("碳中和", "services/"), ("持份者", "about-us/"), ("綠色金融", "services/"),
         ("員工總數", "people/"), ("培訓時數", "people/"), ("總裁", "message/"),
         ("審核委員會", "governance/"), ("董事局", "governance/"), ("風險管理", "governance/"),
         ("私隱", "services/"), ("客户滿意度", "services/"), ("温室氣體", "appendix/gri-index/"),
         ("用電量", "appendix/performance-data/"), ("香港認可處", "glossary/"),
         ("社會責任指數", "appendix/sri-index/"), ("內部審核", "governance/"),
         ("綠色債券", "glossary/"), ("問卷", "appendix/performance-data/"),
         ("交易所", "glossary/"), ("紙張", "environment/"),
         # Phrases that are no word of the index: part of a word, or cut across two.
         ("中和", "services/"), ("可持續", "environment/"), ("大灣區", "services/"),
         # Latin touching Chinese: the Chinese part's terms stay apart from "ESG".
         ("ESG報告", "appendix/hkex-index/"), ("ESG可持續", "environment/")],
    "zh-Hans/": [("碳中和", "services/"), ("利益相关方", "about-us/"), ("绿色金融", "services/"),
                 ("员工总数", "people/"), ("培训时数", "people/"), ("总裁", "message/"),
                 ("风险管理", "governance/"), ("客户满意度", "services/"),
                 ("温室气体", "appendix/gri-index/"), ("用电量", "appendix/performance-data/"),
                 ("香港认可处", "glossary/"), ("社会责任指数", "appendix/sri-index/"),
                 ("内部审核", "governance/"), ("绿色债券", "glossary/"),
                 ("问卷", "appendix/performance-data/"), ("交易所", "glossary/"),
                 ("纸张", "environment/"), ("质量", "glossary/"), ("信息安全", "glossary/"),
                 ("董事会", "governance/"),
                 ("中和", "services/"), ("可持续", "environment/"), ("大湾区", "services/"),
                 ("ESG报告", "appendix/hkex-index/"), ("ESG可持续", "environment/")],
}


@pytest.mark.browser
@pytest.mark.parametrize("folder", ["", "zh-Hans/"])
def test_phrase_search_ranks_the_whole_phrase_and_never_highlights_single_characters(
        page, server, folder):  # noqa: F811
    wrong = []
    for query, expected in SEARCHES[folder]:
        page.goto(server + folder + "people/")  # a fresh page: no results left from the last query
        results = search(page, query)
        first = results.first.locator("a").first.get_attribute("href")
        location = unquote(first.split(server)[-1]).split("?")[0].split("#")[0]
        if location != folder + expected:
            wrong.append((query, location))
        marks = {m.replace("\u200b", "") for m in
                 page.locator(".md-search-result mark").all_inner_texts()}
        if any(len(m) == 1 for m in marks):
            wrong.append((query, f"single characters highlighted: {sorted(marks)}"))
    assert wrong == []
    assert len(SEARCHES[folder]) >= 20


@pytest.fixture(scope="module")
def static_host(sample_site):
    """A host like GitHub Pages: any missing address gets the root 404.html, status 404."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Host(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def send_error(self, code, message=None, explain=None):
            if code != 404:
                return super().send_error(code, message, explain)
            body = (sample_site.site / "404.html").read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0),
                                functools.partial(Host, directory=str(sample_site.site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.mark.browser
@pytest.mark.parametrize("folder,title,home", [("", "找不到這一頁", "返回報告首頁"),
                                               ("zh-Hans/", "找不到这一页", "返回报告首页")])
def test_404_in_each_script_with_ways_back(page, static_host, folder, title, home):  # noqa: F811
    page.goto(static_host + folder + "no-such-page/")
    if folder:  # a plain static host serves the root 404; it sends Simplified readers on
        page.wait_for_url("**/zh-Hans/404.html")
    page.wait_for_load_state("networkidle")
    assert page.locator("article h1").inner_text() == title
    assert page.locator("html").get_attribute("lang") == (folder.rstrip("/") or "zh-Hant")
    page.get_by_role("link", name=home).click()
    page.wait_for_load_state("networkidle")
    assert page.url.rstrip("/").endswith(folder.rstrip("/") or str(static_host).rstrip("/"))
    page.go_back()
    assert page.locator("article .csr-not-found__chapters a").count() >= 10
    assert page.locator("article a[download]").get_attribute("href").endswith(".pdf")


@pytest.mark.browser
@pytest.mark.parametrize("folder,feedback,permalink", [("", "意見回饋", "本節網址"),
                                                       ("zh-Hans/", "意见反馈", "本节网址")])
def test_footer_home_and_heading_links_in_the_readers_script(page, server, folder, feedback,
                                                            permalink):  # noqa: F811
    page.goto(server + folder)
    footer = page.locator(".md-footer-meta")
    assert "©" in footer.inner_text() and "Material for MkDocs" not in footer.inner_text()
    assert footer.get_by_role("link", name=feedback).get_attribute("href").startswith("mailto:")
    assert page.locator("ul.csr-chapters > li").count() >= 9
    assert page.locator(".csr-kpi-card").count() >= 4
    for name in ("csv", "json", "pdf"):
        href = page.locator(f"ul.csr-home-downloads a[href$='.{name}']").get_attribute("href")
        assert href.startswith("downloads/")
    page.goto(server + folder + "people/")
    assert page.locator("a.headerlink").first.get_attribute("title") == permalink


@pytest.mark.browser
def test_skip_link_lands_in_the_content_and_focus_is_visible(page, server):  # noqa: F811
    page.goto(server + "people/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('md-skip')")
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") != ""
    page.hover(".md-header__option .md-select")
    link = page.locator('a.md-select__link[hreflang="zh-Hans"]')
    link.focus()
    outline = page.evaluate("el => getComputedStyle(el).outlineStyle + ' ' "
                            "+ getComputedStyle(el).backgroundColor",
                            link.element_handle())
    assert not outline.startswith("none rgba(0, 0, 0, 0)")
    # English runs carry their language: the glossary's English column and the term list.
    page.goto(server + "zh-Hans/glossary/")
    assert page.locator('td[lang="en"]').count() > 50
    assert page.locator('td[lang="zh-Hant"]').count() > 50


def test_search_segments_traditional_text_through_its_simplified_form():
    import jieba

    from csr_kit.convert.engine import plain
    from csr_kit.search import ScriptAwareSegmenter

    segmenter = ScriptAwareSegmenter(jieba, plain("hk2s").convert)
    # Cut where jieba cuts the Simplified text, and the Traditional text kept.
    assert list(segmenter.cut("環境保護工作")) == ["環境保護", "工作"]
    assert list(jieba.cut("環境保護工作")) == ["環境", "保護", "工作"]  # without it
    for text in ("GRI 2-7 disclosures, 2021", "<p>x</p>", ""):  # ASCII: jieba's own cut
        assert list(segmenter.cut(text)) == list(jieba.cut(text))
