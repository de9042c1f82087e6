"""The PDF editions read back as a regulator, an archive and a screen reader would.

veraPDF (the reference PDF/UA and PDF/A validator) is a Java program that is in
neither Debian's nor PyPI's registry, so these tests check the structure the
standards require with pypdf and poppler instead (see README, "The PDF edition"):
the structure tree (headings, lists, tables with header cells, figures with alt
text), MarkInfo, the document language, DisplayDocTitle, the XMP identification
(pdfuaid / pdfaid), the sRGB output intent, the embedded data files and page labels.
"""

from __future__ import annotations

import csv
import html
import io
import itertools
import re
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from pypdf import PdfReader

from csr_kit.glossary import Glossary, Term
from csr_kit.pdf.attachments import glossary_csv
from csr_kit.pdf.render import page_label_ranges
from helpers import pdf_structure as structure

PDFS = {"zh-Hant": "downloads/hkqaa-csr-2021-zh-Hant.pdf",
        "zh-Hans": "zh-Hans/downloads/hkqaa-csr-2021-zh-Hans.pdf"}
DOWNLOADS = {"zh-Hant": "downloads", "zh-Hans": "zh-Hans/downloads"}
MM = 72 / 25.4


@pytest.fixture(scope="module")
def readers(sample_site):
    return {lang: PdfReader(sample_site.site / path) for lang, path in PDFS.items()}


def xmp(reader: PdfReader) -> str:
    return reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")


@pytest.mark.parametrize("lang", PDFS)
def test_tagged_with_headings_lists_tables_and_figures(readers, lang):
    reader = readers[lang]
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    elements = structure(reader)
    kinds = Counter(str(e["/S"]) for e in elements)
    for kind, at_least in (("/H1", 15), ("/H2", 40), ("/P", 200), ("/L", 10), ("/LI", 30),
                           ("/Table", 30), ("/TH", 100), ("/TD", 500), ("/Figure", 20),
                           ("/Link", 100), ("/Caption", 20)):
        assert kinds[kind] >= at_least, (kind, kinds[kind])
    # Every figure (photos, the logo, the charts) has its text alternative.
    missing = [e for e in elements if str(e["/S"]) == "/Figure" and not str(e.get("/Alt", ""))]
    assert not missing, len(missing)
    # Header cells are table header cells of a table.
    headers = [e for e in elements if str(e["/S"]) == "/TH"]
    assert all(str(e["/A"]["/O"]) == "/Table" for e in headers)


@pytest.mark.parametrize("lang,expected", [("zh-Hant", "zh-Hant-HK"), ("zh-Hans", "zh-Hans")])
def test_claims_pdf_ua_1_with_title_and_language(readers, lang, expected):
    reader = readers[lang]
    meta = xmp(reader)
    assert 'pdfuaid:part="1"' in meta
    assert "2021" in reader.metadata.title and reader.metadata.title in meta
    assert reader.trailer["/Root"]["/Lang"] == expected


@pytest.mark.parametrize("lang", PDFS)
def test_page_labels_cover_roman_front_matter_then_arabic(readers, lang):
    labels = readers[lang].page_labels
    assert labels[0] == "封面"
    body = labels.index("1")
    assert body >= 2
    assert labels[1:body] == ["ii", "iii", "iv", "v"][:body - 1]
    assert labels[body:body + 3] == ["1", "2", "3"]
    assert labels[-1] == str(len(labels) - body)


@pytest.mark.parametrize("lang", PDFS)
def test_kpi_data_and_glossary_are_attached_as_published(readers, sample_site, lang):
    files = readers[lang].attachments
    site = sample_site.site / DOWNLOADS[lang]
    for name in ("kpi-data.csv", "kpi-data.json"):
        assert files[name] == [(site / name).read_bytes()], name
    rows = list(csv.reader(io.StringIO(files["glossary.csv"][0].decode("utf-8-sig"))))
    assert len(rows) > 50
    term = "持份者" if lang == "zh-Hant" else "利益相关方"
    assert any(row[0] == term and row[2] == "stakeholder" for row in rows)


def page_words(pdf: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Each page's words with their boxes (points), as poppler's pdftotext reads them."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    pages = []
    for page in out.split("<page ")[1:]:
        pages.append([(float(a), float(b), float(c), float(d), html.unescape(w))
                      for a, b, c, d, w in re.findall(
                          r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                          r'yMax="([\d.]+)">(.*?)</word>', page)])
    return pages


def figure_boxes(reader: PdfReader) -> dict[int, list[tuple[float, float, float, float]]]:
    """Each page's figures (from the structure tree), in points from the page's top left."""
    pages = {p.indirect_reference.idnum: n for n, p in enumerate(reader.pages)}
    boxes: dict[int, list] = {}
    for element in structure(reader):
        if str(element["/S"]) == "/Figure" and "/A" in element:
            x0, y0, x1, y1 = (float(v) * 0.75 for v in element["/A"]["/BBox"])  # CSS px → pt
            boxes.setdefault(pages[element.raw_get("/Pg").idnum], []).append((x0, y0, x1, y1))
    return boxes


@pytest.mark.parametrize("lang", PDFS)
def test_no_text_runs_out_of_its_cell_or_the_page(readers, sample_site, lang):
    """Text that overflows a table cell runs into the next cell's text or off the page.

    No two words on a page overlap, and every word of a body page stays inside
    the text area (A4, 18 mm side margins). Text drawn inside figures (the charts'
    own labels) is the chart's business and left out.
    """
    labels = readers[lang].page_labels
    body = labels.index("1")
    pages = page_words(sample_site.site / PDFS[lang])
    figures = figure_boxes(readers[lang])
    for n, words in enumerate(pages[body:-1], start=body):
        words = [w for w in words if not any(
            fx0 - 1 <= w[0] and w[2] <= fx1 + 1 and fy0 - 1 <= w[1] and w[3] <= fy1 + 1
            for fx0, fy0, fx1, fy1 in figures.get(n, []))]
        for x0, _y0, x1, _y1, word in words:
            assert 18 * MM - 2 <= x0 and x1 <= (210 - 18) * MM + 2, (labels[n], word, x0, x1)
        ordered = sorted(words, key=lambda w: (round(w[1]), w[0]))
        for a, b in itertools.pairwise(ordered):
            same_line = abs(a[1] - b[1]) < 1 and abs(a[3] - b[3]) < 1
            if same_line:
                assert b[0] >= a[2] - 1.0, (labels[n], a[4], b[4])


def _last_lines(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    last = []
    for text in out.split("\f"):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        # The last line is the page number in the footer.
        last.append(lines[-2] if len(lines) >= 2 else "")
    return last


@pytest.mark.parametrize("lang", PDFS)
def test_no_heading_or_table_caption_stranded_at_a_page_foot(readers, sample_site, lang):
    captions, headings = set(), set()
    for page in (sample_site.site / DOWNLOADS[lang]).parent.rglob("index.html"):
        text = page.read_text(encoding="utf-8")
        body = text.split('<article', 1)[-1]
        for found, into in ((re.findall(r"<caption[^>]*>(.*?)</caption>", body, re.S), captions),
                            (re.findall(r"<h[23][^>]*>(.*?)</h[23]>", body, re.S), headings)):
            into.update(re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", html.unescape(t)))
                        for t in found)
    assert len(captions) > 20 and len(headings) > 40
    stranded = [(n + 1, line) for n, line in enumerate(_last_lines(sample_site.site / PDFS[lang]))
                if re.sub(r"\s+", "", line) in captions | headings]
    assert not stranded, stranded


def test_archive_edition_is_pdf_a_3a_with_srgb_intent_and_data(project):
    project.replace("mkdocs.yml", "  - csr-pdf\n", "  - csr-pdf:\n      standard: archive\n")
    result = project.build(pdf=True)
    assert result.ok, result.problems
    pdfs = sorted(result.site.rglob("*.pdf"))
    assert len(pdfs) == 2
    for pdf in pdfs:
        reader = PdfReader(pdf)
        root = reader.trailer["/Root"]
        meta = xmp(reader)
        assert 'pdfaid:part="3"' in meta and 'pdfaid:conformance="A"' in meta
        intent = root["/OutputIntents"][0].get_object()
        assert intent["/S"] == "/GTS_PDFA1"
        profile = intent["/DestOutputProfile"].get_object().get_data()
        assert b"sRGB" in profile[:200] or b"sRGB" in profile
        assert "/StructTreeRoot" in root and structure(reader)
        # PDF/A-3: each embedded file is associated with the document (AF) and says how.
        associated = [f.get_object() for f in root["/AF"]]
        assert {str(f["/UF"]) for f in associated} >= {"kpi-data.csv", "kpi-data.json"}
        assert all(str(f["/AFRelationship"]) in ("/Data", "/Supplement") for f in associated)
        downloads = pdf.parent
        for name in ("kpi-data.csv", "kpi-data.json"):
            assert reader.attachments[name] == [(downloads / name).read_bytes()]


def test_page_label_ranges():
    pages = [set(), {"toc"}, {"toc2"}, {"c0"}, set()]
    assert page_label_ranges(pages, "c0", "封面") == [
        (0, {"P": "封面"}), (1, {"S": "r", "St": 2}), (3, {"S": "D", "St": 1})]
    assert page_label_ranges([set(), {"c0"}], "c0", "Cover") == [
        (0, {"P": "Cover"}), (1, {"S": "D", "St": 1})]


def test_glossary_attachment_in_each_script():
    glossary = Glossary(terms=(Term(**{"zh-Hant": "持份者", "zh-Hans": "利益相关方",
                                       "en": "stakeholder", "definition": "與機構有關的人士。"}),))
    hant = glossary_csv(glossary, "zh-Hant", None).decode("utf-8-sig").splitlines()
    assert hant[1] == "持份者,利益相关方,stakeholder,,與機構有關的人士。"
    hans = glossary_csv(glossary, "zh-Hans", lambda s: s.replace("與機構有關", "与机构有关"))
    assert (hans.decode("utf-8-sig").splitlines()[1]
            == "利益相关方,持份者,stakeholder,,与机构有关的人士。")


@pytest.mark.parametrize("lang", PDFS)
def test_passages_in_another_language_carry_their_language(readers, lang):
    """English terms (and the other script's forms in the glossary) are tagged with their
    language, so a screen reader reads them in its English voice."""
    languages = Counter((str(e["/S"]), str(e["/Lang"])) for e in structure(readers[lang])
                        if "/Lang" in e)
    assert languages[("/Span", "en")] >= 50, languages
    assert sum(n for (_kind, language), n in languages.items() if language == "en") >= 100


def english_passages(path: Path) -> set[str]:
    """The text of every structure element tagged /Lang en (spaces dropped)."""
    import pdfplumber

    def walk(elements):
        for element in elements:
            yield element
            yield from walk(element.get("children", []))

    def mcids(element) -> list[tuple[int, int]]:
        own = [(element["page_number"], m) for m in element.get("mcids", [])
               if "page_number" in element]
        return own + [found for child in element.get("children", []) for found in mcids(child)]

    texts = set()
    with pdfplumber.open(path) as pdf:
        chars: dict[int, list[dict]] = {}
        for element in walk(pdf.structure_tree):
            if element.get("lang") != "en":
                continue
            text = []
            for page_number, mcid in mcids(element):
                if page_number not in chars:
                    chars[page_number] = pdf.pages[page_number - 1].chars
                text += [c["text"] for c in chars[page_number] if c.get("mcid") == mcid]
            texts.add("".join(text).replace(" ", ""))
    return texts


@pytest.mark.parametrize("lang", PDFS)
def test_english_written_by_authors_is_english_in_the_chinese_pdfs(sample_site, lang):
    """Not only the glossary's terms: English an author wrote in a Chinese page (a name,
    an event, the values table) is read in the English voice, as on the site."""
    passages = english_passages(sample_site.site / PDFS[lang])
    for words in ("Happy Hour", "Martin Skancke", "Team with Joy"):
        assert words.replace(" ", "") in passages, (words, sorted(passages)[:40])
    assert {"Eric", "Usher"} <= passages  # a run broken over two lines: one passage each


@pytest.mark.parametrize("lang", PDFS)
def test_no_page_is_less_than_a_third_full_except_at_a_chapter_end(readers, sample_site, lang):
    """A page that is not a chapter's last (or a blank page before a chapter opening)
    carries text or figures over at least a third of its text area."""
    reader = readers[lang]
    starts = {reader.get_destination_page_number(item) for item in reader.outline
              if not isinstance(item, list)}
    top, bottom = 22 * MM, (297 - 20) * MM  # print.css: @page margins
    figures = figure_boxes(reader)
    pages = page_words(sample_site.site / PDFS[lang])
    thin = []
    for n, words in enumerate(pages[1:-1], start=1):  # the cover and the back page are designed
        if n + 1 in starts:
            continue
        lowest = max([w[3] for w in words if top <= w[1] and w[3] <= bottom]
                     + [b[3] for b in figures.get(n, [])], default=top)
        if (lowest - top) / (bottom - top) < 1 / 3:
            thin.append((reader.page_labels[n], round((lowest - top) / (bottom - top), 2)))
    assert not thin, thin
