"""The English PDF edition (issue 15, P2): English words, Latin type with a CJK face for
Chinese names only, en-GB hyphenation, untranslated pages left out and named.

One real build of the fixture report with an English edition, PDFs on; the PDF is
read back with pypdf and poppler's pdftotext/pdffonts.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import FIXTURE, Project, add_english
from helpers import pdf_structure

pytestmark = pytest.mark.pdf

CJK = re.compile(r"[\u3400-\u9fff\uff01-\uff5e\u3000-\u303f]")
NAME = "測試機構"  # the organisation's Chinese name, quoted in the English text
# Long words in a long paragraph: some line of it ends inside a word.
LONG_PARAGRAPH = " ".join(
    ["Our organisation's responsibilities towards its stakeholders include "
     "internationalisation, environmental accountability and characteristically "
     "comprehensive communication with representatives of underrepresented communities."]
    * 6)


@pytest.fixture(scope="module")
def english_pdf(tmp_path_factory) -> tuple[Path, Path]:
    path = tmp_path_factory.mktemp("en-pdf") / "report"
    shutil.copytree(FIXTURE, path)
    project = add_english(Project(path))
    if "第二頁:" not in project.read("mkdocs.yml"):  # the untranslated page's English title
        project.replace("mkdocs.yml", "          name: English\n",
                        "          name: English\n          nav_translations:\n"
                        "            第二頁: Second page\n")
    project.write("data/report.yml", project.read("data/report.yml")
                  + "description: {en: Our stakeholders and how we served them}\n")
    project.replace("docs/index.en.md", "## Governance {#管治架構}",
                    f'Our name in Chinese is <span lang="zh-Hant">{NAME}</span>.\n\n'
                    f"{LONG_PARAGRAPH}\n\n## Governance {{#管治架構}}")
    # An index: its English locations get page numbers, a Chinese page's link none.
    project.write("docs/demo-index.md", "# 示範索引\n\n{{framework-index demo}}\n")
    project.write("docs/demo-index.en.md", "# Demo index\n\n{{framework-index demo}}\n")
    result = project.build(strict=True, pdf=True)
    assert result.ok, result.error + "\n".join(result.problems)
    pdf = result.site / "en" / "downloads" / "report-2021-en.pdf"
    assert pdf.exists(), result.messages
    return pdf, result.site / "downloads" / "report-2021-zh-Hant.pdf"


def _text(pdf: Path, *pages: int) -> str:
    first_last = ["-f", str(pages[0]), "-l", str(pages[-1])] if pages else []
    return subprocess.run(["pdftotext", "-layout", *first_last, str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout


def test_english_pdf_has_english_words_and_leaves_the_untranslated_page_out(english_pdf):
    pdf, chinese = english_pdf
    text = _text(pdf)
    assert "Contents" in text and "Contact us" in text
    site = pdf.parents[2]  # site/en/downloads/report-2021-en.pdf
    assert 'title="Download PDF" aria-label="Download PDF"' in \
        (site / "en" / "index.html").read_text(encoding="utf-8")
    assert 'aria-label="下載 PDF 版"' in (site / "index.html").read_text(encoding="utf-8")
    assert "Test Organisation | Test report" in text  # the running title, ASCII bar
    assert "We value our stakeholders" in text
    contents = _text(pdf, 2)
    assert re.search(r"Home\s{2,}1\n", contents) and re.search(r"Governance\s{2,}1\n", contents)
    assert "Not yet translated (see the Chinese editions): Second page" in contents
    index = _text(pdf, 4)
    assert re.search(r"D1\s+Governance\s+Home › Governance \(p\. 1\)", index), index
    # A location on the untranslated page is the Chinese edition's: no page number here.
    assert re.search(r"D2\s+Training\s+第二頁 › 培訓 \(Traditional Chinese\)\n", index), index
    # The untranslated page is no chapter: neither its Chinese text nor a notice.
    assert "培訓時數" not in text and "繁體專用" not in text
    assert "has not been translated" not in text
    assert "培訓時數" in _text(chinese)  # the Chinese edition keeps it
    # Chinese in the English edition: the name it quotes and the Chinese page's title.
    assert set(CJK.findall(text)) == set(NAME + "第二頁培訓"), CJK.findall(text)


def test_english_pdf_is_tagged_en_gb_and_hyphenates(english_pdf):
    from pypdf import PdfReader

    pdf, chinese = english_pdf
    reader = PdfReader(pdf)
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    assert reader.metadata["/Subject"] == "Our stakeholders and how we served them"
    assert reader.metadata["/Title"] == "Test report"
    assert PdfReader(chinese).trailer["/Root"]["/Lang"] == "zh-Hant-HK"
    # The Chinese name it quotes is tagged as Chinese, for a screen reader's voice.
    assert any(str(e.get("/Lang", "")).startswith("zh-Hant") for e in pdf_structure(reader))
    # The long paragraph has no hyphen of its own: a line ending in one (WeasyPrint
    # writes U+2010) broke a word.
    assert any(re.search(r"[a-z][-\u2010]$", line.rstrip()) for line in _text(pdf).splitlines()), \
        "no line of the long paragraph ends in a hyphenated word"


def test_latin_text_in_a_latin_face_and_a_cjk_face_only_where_chinese_is(english_pdf):
    from pypdf import PdfReader

    pdf, _ = english_pdf
    listing = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True,
                             check=True).stdout
    faces = {line.split()[0].split("+")[-1]: line.split()[-5] for line in
             listing.splitlines()[2:]}  # name: embedded (yes/no)
    assert any("CJK" not in name for name in faces), faces
    cjk = [name for name in faces if "CJK-HK" in name]
    assert cjk and all(faces[name] == "yes" for name in faces), faces
    # Only pages with Chinese text (the name, a Chinese page's title) set text in the CJK
    # face (WeasyPrint gives every page the same font resources: what a page uses is in
    # its content's Tf operators).
    reader = PdfReader(pdf)
    pages_with_cjk = []
    for number, page in enumerate(reader.pages, 1):
        fonts = page["/Resources"]["/Font"]
        used = set(re.findall(rb"(/[^\s/]+)\s+[\d.]+\s+Tf", page.get_contents().get_data()))
        if any("CJK" in str(fonts[key.decode()].get_object()["/BaseFont"]) for key in used):
            pages_with_cjk.append(number)
    chinese_pages = [n for n in range(1, len(reader.pages) + 1) if CJK.search(_text(pdf, n))]
    assert pages_with_cjk == chinese_pages == [3, 4], (pages_with_cjk, chinese_pages)


def test_embedded_files_are_described_in_english(english_pdf):
    from pypdf import PdfReader

    pdf, _ = english_pdf
    reader = PdfReader(pdf)
    names = reader.trailer["/Root"]["/Names"]["/EmbeddedFiles"]["/Names"]
    described = {str(names[i]): str(names[i + 1].get_object()["/Desc"])
                 for i in range(0, len(names), 2)}
    assert described["kpi-data.csv"] == "All key performance indicator data (CSV)"
    assert described["glossary.csv"].startswith("Glossary: English")
    glossary = reader.attachments["glossary.csv"][0].decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(glossary)))
    assert header == ["English", "Abbreviation", "Traditional Chinese", "Simplified Chinese",
                      "Definition"]
    stakeholder = next(row for row in rows if row[0] == "stakeholder")
    assert stakeholder[2:4] == ["持份者", "利益相关方"] and not CJK.search(stakeholder[4])
