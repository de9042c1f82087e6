"""The sample report, built with the real configuration: both scripts, links, resources."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest

from csr_kit.convert.review import wrong_script_characters
from csr_kit.glossary import load as load_glossary
from htmltools import Page as parse_html, parse, resolve

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["", "about-this-report/", "message/", "about-us/", "governance/", "people/",
         "services/", "environment/", "community/", "future/", "appendix/performance-data/",
         "appendix/sri-index/", "appendix/cnca-index/", "appendix/gri-index/",
         "appendix/hkex-index/", "glossary/"]


def html_files(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "conversion-review" not in p.name)


@pytest.mark.parametrize("page", PAGES)
def test_both_language_trees_with_lang(sample_site, page):
    hant = parse(sample_site.site / page / "index.html")
    hans = parse(sample_site.site / "zh-Hans" / page / "index.html")
    assert hant.lang == "zh-Hant"
    assert hans.lang == "zh-Hans"


def test_switcher_links_land_on_the_same_page(sample_site):
    for page in PAGES:
        for lang_dir, _other in (("", "zh-Hans/"), ("zh-Hans/", "")):
            path = sample_site.site / lang_dir / page / "index.html"
            html = path.read_text(encoding="utf-8")
            links = re.findall(r'<a href="([^"]+)" hreflang="([^"]+)" class="md-select__link">',
                               html)
            assert {lang for _, lang in links} == {"zh-Hant", "zh-Hans"}
            for href, lang in links:
                target, _ = resolve(sample_site.site, path, href)
                folder = "zh-Hans/" if lang == "zh-Hans" else ""
                expected = sample_site.site / (folder + page) / "index.html"
                assert target == expected.resolve(), (path, href)


def test_hreflang_alternates_in_sitemap_and_switcher(sample_site):
    """Each page's twin in the other script is declared for search engines and readers."""
    sitemap = sample_site.page("sitemap.xml")
    entry = sitemap.split("<loc>https://report.example.org/people/</loc>", 1)[1].split("</url>")[0]
    assert 'hreflang="zh-Hans" href="https://report.example.org/zh-Hans/people/"' in entry
    assert 'hreflang="zh-Hant" href="https://report.example.org/people/"' in entry
    html = sample_site.page("people/index.html")
    assert 'href="../zh-Hans/people/" hreflang="zh-Hans"' in html
    # No head <link rel=alternate>: Material would fetch "<page>/sitemap.xml" from each.
    assert not re.search(r'<link rel="alternate" href="[^"]*" hreflang=', html)


def test_nothing_is_loaded_from_outside_the_site(sample_site):
    for path in html_files(sample_site.site):
        for url in parse(path).resources:
            assert not re.match(r"^(https?:)?//", url), f"{path}: {url}"
    for css in sample_site.site.rglob("*.css"):
        text = css.read_text(encoding="utf-8", errors="ignore")
        assert not re.search(r"@import\s+url\(\s*['\"]?(https?:)?//", text), css
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text, css


def test_every_internal_link_and_anchor_resolves(sample_site):
    ids: dict[Path, set[str]] = {}
    broken = []
    for path in html_files(sample_site.site):
        page = parse(path)
        ids[path.resolve()] = page.ids
    for path in html_files(sample_site.site):
        for href in parse(path).links:
            if href.startswith(("mailto:", "tel:", "javascript:")):
                continue
            target, fragment = resolve(sample_site.site, path, href)
            if target is None:
                continue
            target = target.resolve()
            if not target.exists():
                broken.append(f"{path.relative_to(sample_site.site)} → {href}")
            elif fragment and target.suffix == ".html":
                if target not in ids:
                    ids[target] = parse(target).ids
                if fragment not in ids[target]:
                    broken.append(f"{path.relative_to(sample_site.site)} → {href} (no #{fragment})")
    assert not broken, "\n".join(broken[:20])


def test_chinese_heading_ids_are_kept_and_shared(sample_site):
    hant = parse(sample_site.site / "about-us/index.html").ids
    hans = parse(sample_site.site / "zh-Hans/about-us/index.html").ids
    assert any(re.search(r"[\u4e00-\u9fff]", i) for i in hant)
    assert {i for i in hant if re.search(r"[\u4e00-\u9fff]", i)} <= hans


def test_each_script_has_its_own_404(sample_site):
    hant = sample_site.page("404.html")
    hans = sample_site.page("zh-Hans/404.html")
    assert '<html lang="zh-Hant"' in hant and '<html lang="zh-Hans"' in hans
    assert "香港品质保证局" in hans and "香港品質保證局" in hant


def test_search_index_per_script_with_chinese_segmentation(sample_site):
    hant = json.loads(sample_site.page("search/search_index.json"))
    hans = json.loads(sample_site.page("zh-Hans/search/search_index.json"))
    assert hant["docs"] and hans["docs"]
    assert not any(d["location"].startswith("zh-Hans/") for d in hant["docs"])
    traditional_only = wrong_script_characters("zh-Hans")
    kept = "".join(re.findall(r"-\{([^{}:;]*)\}-", "".join(
        p.read_text(encoding="utf-8") for p in (ROOT / "docs").rglob("*.md"))))
    # The glossary lists each term's Traditional form on purpose.
    hans_text = " ".join(d["title"] + d["text"] for d in hans["docs"]
                         if not d["location"].startswith("glossary/"))
    assert not {c for c in hans_text if c in traditional_only} - set(kept)
    assert "利益相关方" in hans_text.replace("\u200b", "")
    assert "持份者" in " ".join(d["text"] for d in hant["docs"]).replace("\u200b", "")
    assert "\u200b" in hans_text  # jieba segmentation for Chinese search


def test_simplified_site_has_no_traditional_characters_or_hk_wording(sample_site):
    traditional_only = wrong_script_characters("zh-Hans")
    glossary = load_glossary(ROOT / "data/glossary.yml", "data/glossary.yml")
    hk_wording = [t.zh_Hant for t in glossary.terms
                  if t.zh_Hant != t.zh_Hans and not t.proper_name and t.zh_Hant not in t.zh_Hans]
    proper_names = sorted((t.zh_Hans for t in glossary.terms if t.proper_name), key=len,
                          reverse=True)
    found = []
    for path in html_files(sample_site.site / "zh-Hans"):
        text = parse(path).text
        for name in proper_names:  # names keep their own wording (e.g. 管治 in a title)
            text = text.replace(name, " ")
        stray = {c for c in text if c in traditional_only}
        if stray:
            found.append(f"{path}: {''.join(sorted(stray))}")
        for term in hk_wording:
            if term in text:
                found.append(f"{path}: {term}")
    assert not found, "\n".join(found[:20])


def test_no_kpi_figure_is_typed_in_the_pages():
    """Figures come from data/kpis.yml; the only digits left in prose are dates and names."""
    allowed = re.compile("|".join([
        r"(19|20)\d{2}(?=\s*(年|/|\)|）|–|-|—|$|\s|」|、|及|至|\b))",  # years
        r"\d{1,2}\s*(月|日)",  # dates
        r"\d+\s*(至\s*\d+\s*)?(歲|岁)",  # age bands
        r"\b\d+[A-Z][\w-]*",  # product models (7FC-L)
        # standards and codes: ISO/IEC 27013, FHS 001:2013
        r"[A-Z][A-Za-z]*(/[A-Z]+)?[ -]?\d[\d:.\-]*",
        r"GRI \d+|GB/T \d+|COP\d+|\d+-\d+|SDG\s?\d+",
        r"^\s*\d+\.\s",  # numbered lists
        r"\d+(\.\d+)?\s*版",  # edition of a scheme
        r"大類 \d+",  # an accreditation scope category
        r"低於 \d+ 分",  # the survey threshold the report explains
        r"30、60",  # the national "30·60" carbon targets
        r"\d+ 項",  # items in a framework (its definition counts them)
        # The same in the English pages: dates, ordinals, age bands, a framework's items.
        r"\b\d{1,2}\s+(January|February|March|April|May|June|July|August|September|October"
        r"|November|December)\b",
        r"\b\d+(st|nd|rd|th)\b",
        r"\b\d+\s+to\s+\d+\b|\b(under|over)\s+\d+\b|\b\d+\s+or over\b",
        r"\b\d+ recommended measures\b",
    ]))
    typed = []
    for path in sorted((ROOT / "docs").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        body = text.split("---", 2)[2] if text.startswith("---") else text
        body = re.sub(r"\{\{.*?\}\}", " ", body)
        body = re.sub(r"`[^`]*`|\]\([^)]*\)|<[^>]+>|-\{.*?\}-", " ", body)
        for line in body.splitlines():
            stripped = allowed.sub(" ", line)
            for m in re.finditer(r"\d+(?:[.,]\d+)*", stripped):
                typed.append(f"{path.relative_to(ROOT)}: {m.group(0)} in {line.strip()[:60]}")
    assert not typed, "\n".join(typed)


def test_every_page_has_a_meta_description_and_ordered_headings(sample_site):
    for path in html_files(sample_site.site):
        if path.name == "404.html" or "assets" in path.parts:
            continue
        html = path.read_text(encoding="utf-8")
        m = re.search(r'<meta name="description" content="([^"]+)">', html)
        assert m and len(m.group(1)) > 10, path
        article = html.split("<article", 1)[1].split("</article>", 1)[0]
        levels = [int(x) for x in re.findall(r"<h([1-6])\b", article)]
        assert levels and levels[0] == 1, path
        for before, after in itertools.pairwise(levels):
            assert after <= before + 1, f"{path}: h{before} followed by h{after}"


def test_every_image_has_alt_text(sample_site):
    for path in html_files(sample_site.site):
        for tag in re.findall(r"<img\b[^>]*>", path.read_text(encoding="utf-8")):
            assert re.search(r'\balt="[^"]+"', tag), f"{path}: {tag}"


# Quotations the Simplified site shows as published, though they carry Hong Kong
# wording: the only text exempt from the check below.  Anything else (pages, KPI
# labels, framework titles and descriptions, which are the kit's own abridgements
# or paraphrases) is written in mainland wording.
QUOTED = {
    "环境、社会及管治报告守则": "the HKEX Code's own name (data/frameworks/hkex.yml)",
    "香港联合交易所有限公司": "HKEX's registered name (data/frameworks/hkex.yml)",
}


def reader_text(path: Path) -> str:
    """All the text a reader sees, including what data files give in the page's own
    script (KPI labels, framework items: marked not to be converted, but shown)."""
    html = path.read_text(encoding="utf-8").replace(" data-noconvert", " data-from-data")
    text = parse_html(html).text
    for quotation in QUOTED:
        text = text.replace(quotation, " ")
    return text


def test_simplified_site_has_no_hong_kong_wording_the_vocabulary_knows(sample_site):
    """Issue 12: no HK wording of the shipped vocabulary is left in the Simplified site,
    except where the glossary decides otherwise or inside the names the review lists;
    text from data files (KPI labels, framework indexes) is read too."""
    from csr_kit import vocabulary
    from csr_kit.convert.engine import plain
    from csr_kit.convert.names import Matcher

    character = plain("hk2s").convert
    pack = vocabulary.load()
    glossary = load_glossary(ROOT / "data/glossary.yml", "data/glossary.yml")
    decided = {character(t.zh_Hant) for t in glossary.terms}
    # Known wording (flag entries are only possible wording: the review lists them).
    regional = {character(e.hant): e for e in pack.regional("zh-Hans")
                if character(e.hant) != e.hans and e.use != "flag"
                and character(e.hant) not in decided}
    review = sample_site.page("zh-Hans/conversion-review.html")
    unconverted = review.split('id="unconverted"')[1].split("<h2")[0]
    assert "<table>" not in unconverted, unconverted
    kept = re.findall(r"[^、<>]+", review.split('id="names"')[1].split("<p>")[1].split("</p>")[0]) \
        if 'id="names"' in review else []
    # Read the output word by word as the converter wrote it: every word it can write
    # (vocabulary results, glossary terms, names) is matched whole.
    words = {e.hans: None for e in pack.entries} | {t.zh_Hans: None for t in glossary.terms}
    words |= {character(n): None for n in kept}
    matcher = Matcher({**words, **regional})
    found = []
    for path in html_files(sample_site.site / "zh-Hans"):
        for _, _, word in matcher.finditer(reader_text(path)):
            if word in regional:
                found.append(f"{path.relative_to(sample_site.site)}: {word} "
                             f"(→ {regional[word].hans}, {regional[word].where})")
    assert not found, "\n".join(found[:40])


def test_traditional_interface_strings_are_hong_kong_wording(sample_site):
    """Material's own zh-Hant strings carry a Simplified character (找到 1 个…) and
    Taiwan or mainland wording; the kit ships Hong Kong ones."""
    simplified_only = wrong_script_characters("zh-Hant")
    html = sample_site.page("people/index.html")
    config = json.loads(re.search(r'<script id="__config" type="application/json">(.*?)</script>',
                                  html, re.S).group(1))
    for key, text in config["translations"].items():
        assert not (set(text) & simplified_only), (key, text)
    chrome = re.sub(r"<article\b.*?</article>", "", html, flags=re.S).replace("简体中文", "")
    assert not (set(re.sub(r"<[^>]+>", " ", chrome)) & simplified_only)
    assert config["translations"]["search.result.one"] == "找到 1 個相符的結果"
    assert "搜尋" in html and "頁尾" in html and "頁脚" not in html


def test_traditional_edition_uses_one_character_standard(sample_site):
    """Pages are typed in Hong Kong forms (温, 户, 説); data and framework titles in the
    standard ones (溫, 戶, 說). The edition shows Hong Kong forms throughout."""
    from csr_kit.convert.engine import plain

    to_hk = plain("t2hk").convert
    found = []
    for path in html_files(sample_site.site):
        if path.is_relative_to(sample_site.site / "zh-Hans"):
            continue
        text = parse(path).text
        other = {a for a, b in zip(text, to_hk(text), strict=False) if a != b}
        if other:
            found.append(f"{path.relative_to(sample_site.site)}: {''.join(sorted(other))}")
    assert not found, "\n".join(found)
