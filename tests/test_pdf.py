"""The PDF editions, read back: pages, script, fonts, bookmarks and real page numbers."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from csr_kit.convert.review import wrong_script_characters

PDFS = {"zh-Hant": "downloads/hkqaa-csr-2021-zh-Hant.pdf",
        "zh-Hans": "zh-Hans/downloads/hkqaa-csr-2021-zh-Hans.pdf"}


def page_texts(pdf: Path) -> list[str]:
    """Each page's text as poppler's pdftotext reads it."""
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    return out.split("\f")


@pytest.fixture(scope="module")
def pdfs(sample_site):
    return {lang: sample_site.site / path for lang, path in PDFS.items()}


@pytest.mark.parametrize("lang", PDFS)
def test_pdf_opens_with_metadata_and_many_pages(pdfs, lang):
    reader = PdfReader(pdfs[lang])
    assert len(reader.pages) > 40
    info = reader.metadata
    assert "2021" in info.title and info.author in ("香港品質保證局", "香港品质保证局")
    assert pdfs[lang].stat().st_size < 2_000_000
    # Every metadata field is in the edition's own script (issue 12: the Subject was not).
    for field in (info.title, info.author, info.subject):
        assert not (set(field) & wrong_script_characters(lang)), field


def test_text_is_in_each_script(pdfs):
    hant = "\n".join(page_texts(pdfs["zh-Hant"]))
    hans = "\n".join(page_texts(pdfs["zh-Hans"]))
    assert "持份者" in hant and "香港品質保證局" in hant
    assert "利益相关方" in hans and "香港品质保证局" in hans
    # Outside the glossary (which lists Traditional forms on purpose), no Traditional-only text.
    body = hans.split("词汇表")[0] if "词汇表" in hans else hans
    stray = {c for c in body if c in wrong_script_characters("zh-Hans")}
    assert len(stray) <= 8, stray  # a kept book title may stay Traditional


@pytest.mark.parametrize("lang,face", [("zh-Hant", "CJK-HK"), ("zh-Hans", "CJK-SC")])
def test_fonts_are_embedded_subsets_with_the_script_face(pdfs, lang, face):
    out = subprocess.run(["pdffonts", str(pdfs[lang])], capture_output=True, text=True,
                         check=True).stdout.splitlines()[2:]
    assert out
    for line in out:
        columns = line.split()
        emb, sub = columns[-5], columns[-4]
        assert (emb, sub) == ("yes", "yes"), line
    assert any(face in line for line in out), out


@pytest.mark.parametrize("lang", PDFS)
def test_bookmarks_for_chapters_and_sections(pdfs, lang):
    reader = PdfReader(pdfs[lang])
    outline = reader.outline
    titles = [item.title for item in outline if not isinstance(item, list)]
    assert len(titles) >= 15
    assert any(isinstance(item, list) for item in outline)  # sections nested under chapters


@pytest.mark.parametrize("lang", PDFS)
def test_table_of_contents_page_numbers_are_real(pdfs, lang):
    pages = page_texts(pdfs[lang])
    # Printed numbers are the page labels: the body starts at 1 after the roman front matter
    # (the contents), so the contents are the pages labelled in roman numerals.
    labels = PdfReader(pdfs[lang]).page_labels
    toc_pages = [i for i, label in enumerate(labels) if re.fullmatch(r"[ivxlc]+", label)]
    assert toc_pages and ("目錄" if lang == "zh-Hant" else "目录") in pages[toc_pages[0]]
    entries = []
    for i in toc_pages:
        for line in pages[i].splitlines():
            # title, the leader's gap (drawn, not text), the page number at the right
            m = re.match(r"\s*(\S.*?)\s{2,}(\d+)\s*$", line)
            if m:
                entries.append((m.group(1), int(m.group(2))))
    assert len(entries) > 30
    for title, number in entries:
        page = pages[labels.index(str(number))]
        flat = re.sub(r"\s+", "", page)
        assert re.sub(r"\s+", "", title) in flat, (title, number)


@pytest.mark.parametrize("lang", PDFS)
def test_index_page_numbers_equal_their_link_targets(pdfs, lang):
    """Every '(第 N 頁)' printed in an index points to page N, where the section is."""
    reader = PdfReader(pdfs[lang])
    # The printed number of a page is its label (arabic from the first chapter).
    labels = reader.page_labels
    by_ref = {p.indirect_reference.idnum: int(labels[n]) if labels[n].isdigit() else None
              for n, p in enumerate(reader.pages)}
    named = {name: by_ref.get(dest.page.idnum) if hasattr(dest.page, "idnum") else None
             for name, dest in reader.named_destinations.items()}
    texts = page_texts(pdfs[lang])
    word = "頁" if lang == "zh-Hant" else "页"
    checked = 0
    for n, page in enumerate(reader.pages):
        printed = sorted(int(x) for x in re.findall(r"第\s*(\d+)\s*" + word, texts[n]))
        if not printed:
            continue
        targets = []
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") != "/Link":
                continue
            dest = annot.get("/Dest")
            action = annot.get("/A")
            if dest is None and action is not None:
                dest = action.get_object().get("/D")
            if dest is None:
                continue
            if isinstance(dest, str) or hasattr(dest, "encode"):
                targets.append(named.get(str(dest)))
            else:
                targets.append(by_ref.get(dest[0].idnum))
        # Each printed number is the page of some link target on this page.
        assert set(printed) <= set(t for t in targets if t), (n + 1, printed, targets)
        checked += len(printed)
    assert checked > 100


def test_every_page_links_to_its_script_pdf(sample_site):
    for lang, pdf in PDFS.items():
        prefix = "" if lang == "zh-Hant" else "zh-Hans/"
        for page in ("", "people/", "appendix/gri-index/"):
            path = sample_site.site / prefix / page / "index.html"
            html = path.read_text(encoding="utf-8")
            m = re.search(r'<a href="([^"]+)" class="md-header__button md-icon csr-pdf-link" '
                          r'download', html)
            assert m, path
            assert (path.parent / m.group(1)).resolve() == (sample_site.site / pdf).resolve()


@pytest.mark.parametrize("lang,expected", [("zh-Hant", "zh-Hant-HK"), ("zh-Hans", "zh-Hans")])
def test_pdf_language_is_declared(pdfs, lang, expected):
    """The document language selects HK or Simplified glyph forms and tells screen readers."""
    assert PdfReader(pdfs[lang]).trailer["/Root"]["/Lang"] == expected


def test_pdf_off_for_live_preview_and_no_link(project):
    result = project.build(pdf=False)
    assert result.ok
    assert not list((result.site).rglob("*.pdf"))
    assert "csr-pdf-link" not in result.page("index.html")


def test_pdf_cache_reuses_an_identical_document(project):
    first = project.build(pdf=True)
    assert first.ok
    assert sum("PDF edition" in m and "reused" not in m for m in first.messages) == 2
    second = project.build(pdf=True)
    assert second.ok
    assert sum("(unchanged, reused)" in m for m in second.messages) == 2
    assert list((second.site / "zh-Hans/downloads").glob("*.pdf"))
    project.replace("docs/index.md", "我們重視持份者", "我們十分重視持份者")
    third = project.build(pdf=True)
    # The page feeds both scripts, so both documents changed and both are rendered again.
    assert sum("(unchanged, reused)" in m for m in third.messages) == 0
    assert sum("PDF edition" in m for m in third.messages) == 2
def test_missing_weasyprint_is_a_clear_warning(project, monkeypatch):
    import csr_kit.pdf.render as render

    def unavailable():
        raise render.PdfUnavailable("cannot load library 'libpango-1.0-0'")

    monkeypatch.setattr(render, "check_available", unavailable)
    lenient = project.build(strict=False, pdf=True)
    assert lenient.ok
    assert any("The PDF edition was not made" in m and "make setup" in m for m in lenient.problems)
    strict = project.build(strict=True, pdf=True)
    assert not strict.ok


@pytest.mark.parametrize("lang,header", [("zh-Hant", "報告位置"), ("zh-Hans", "报告位置")])
def test_index_tables_repeat_their_header_row_on_every_page(pdfs, lang, header):
    """The index tables run over many pages; each page of them starts with the header."""
    word = "頁" if lang == "zh-Hant" else "页"
    pages = [t for t in page_texts(pdfs[lang]) if re.search(r"第\s*\d+\s*" + word, t)]
    assert len(pages) > 10
    for text in pages:
        assert header in text, text[:200]


def chapter_pages(pdf: Path, title: str) -> range:
    """The pages of the chapter with this bookmark title, up to the next chapter."""
    reader = PdfReader(pdf)
    starts = sorted((reader.get_destination_page_number(item), item.title)
                    for item in reader.outline if not isinstance(item, list))
    first = next(number for number, name in starts if name == title)
    following = [number for number, _ in starts if number > first]
    return range(first, following[0] if following else len(reader.pages))


@pytest.mark.parametrize("lang,title", [("zh-Hant", "績效數據"), ("zh-Hans", "绩效数据")])
def test_no_text_runs_out_of_a_performance_table_cell(pdfs, lang, title):
    """Every word in the performance-data tables lies inside its cell's ruled borders.

    Issue 16: a figure (35,000,000,000) ran past its cell into the notes. A word that
    crosses a cell border overlaps two cells and lies inside neither.
    """
    import pdfplumber

    ruled = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
    slack = 1.0  # points: glyph boxes may touch the rule they sit against
    cells_seen, overflowing = 0, []
    with pdfplumber.open(pdfs[lang]) as document:
        for number in chapter_pages(pdfs[lang], title):
            page = document.pages[number]
            cells = [cell for table in page.find_tables(ruled) for cell in table.cells]
            cells_seen += len(cells)
            for word in page.extract_words():
                box = (word["x0"], word["top"], word["x1"], word["bottom"])
                overlapped = [c for c in cells if box[0] < c[2] and c[0] < box[2]
                              and box[1] < c[3] and c[1] < box[3]]
                inside = any(c[0] - slack <= box[0] and box[2] <= c[2] + slack
                             and c[1] - slack <= box[1] and box[3] <= c[3] + slack
                             for c in overlapped)
                if overlapped and not inside:
                    overflowing.append((number + 1, word["text"]))
    assert cells_seen > 100  # the tables were found from their rules
    assert not overflowing, f"text crossing a cell border (page, word): {overflowing}"


def test_kpi_cards_never_leave_one_card_alone_in_a_row(tmp_path):
    """Any number of cards fills its rows: threes, then a row of four or of two."""
    import pdfplumber
    from weasyprint import HTML

    from csr_kit.pdf.render import stylesheet

    groups = "".join(
        '<div class="csr-kpi-cards">' + "".join(
            f'<div class="csr-kpi-card"><p>c{n}x{i}</p></div>' for i in range(n)) + "</div>"
        for n in range(2, 11))
    pdf = tmp_path / "cards.pdf"
    HTML(string=f'<html lang="zh-Hant"><style>{stylesheet(["Noto Sans CJK HK"], "t")}</style>'
                f'<body><section class="chapter">{groups}</section></body></html>').write_pdf(pdf)
    rows: dict[tuple[int, int, float], int] = {}
    with pdfplumber.open(pdf) as document:
        for number, page in enumerate(document.pages):
            for word in page.extract_words():
                if m := re.fullmatch(r"c(\d+)x\d+", word["text"]):
                    key = (int(m.group(1)), number, round(word["top"]))
                    rows[key] = rows.get(key, 0) + 1
    for n in range(2, 11):
        sizes = [count for (group, _, _), count in sorted(rows.items()) if group == n]
        assert sum(sizes) == n and 1 not in sizes, (n, sizes)
        assert all(size == 3 for size in sizes[:-1]) and sizes[-1] in (2, 3, 4), (n, sizes)
