"""Rendering the print document with WeasyPrint, in-process.

Every edition is tagged (headings, lists, tables with header cells, figures
with their alt text, the document language), so screen readers get the
structure. The ``standard`` decides the conformance the file claims:

- ``ua``: PDF/UA-1 (ISO 14289-1), for readers and screen readers;
- ``archive``: PDF/A-3a (ISO 19005-3, level A: tagged), for regulators and the
  archive, with an sRGB output intent and XMP identification.

WeasyPrint 70 writes one identification schema per file (``pdfuaid`` or
``pdfaid``), so one file claims one standard; the archive edition carries the
same tags as the UA one but claims only PDF/A-3a.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, TypedDict

VARIANTS = {"ua": "pdf/ua-1", "archive": "pdf/a-3a"}


class PageLabel(TypedDict, total=False):
    """A PDF page-label dictionary: numbering style, first number, prefix."""

    S: str
    St: int
    P: str


class PdfUnavailable(Exception):
    """WeasyPrint or its system libraries (Pango) are missing."""


@dataclass(frozen=True)
class Attachment:
    """A file embedded in the PDF (the KPI data, the glossary)."""

    name: str
    data: bytes
    description: str
    # ISO 32000-2 7.11.3: 'Data' for the figures behind the report, 'Supplement' otherwise.
    relationship: str = "Data"


def stylesheet(fonts: list[str], running_title: str, fonts_hant: list[str] | None = None,
               fonts_hans: list[str] | None = None) -> str:
    """The print stylesheet with the font families and the running title filled in.

    ``fonts`` are the edition's; a passage marked as Traditional or Simplified
    Chinese (a name in an English edition) gets ``fonts_hant`` or ``fonts_hans``,
    for its glyph forms.
    """
    css = resources.files("csr_kit.pdf").joinpath("print.css").read_text(encoding="utf-8")

    def families(names: list[str]) -> str:
        return ", ".join(f'"{f}"' for f in names) + ", sans-serif"

    title = running_title.replace("\\", "\\\\").replace('"', '\\"')
    return (css.replace("__SANS__", families(fonts))
            .replace("__HANT__", families(fonts_hant or fonts))
            .replace("__HANS__", families(fonts_hans or fonts))
            .replace("__RUNNING_TITLE__", title))


def digest(document: str) -> str:
    return hashlib.sha256(document.encode("utf-8")).hexdigest()


def check_available() -> None:
    """Raise PdfUnavailable when WeasyPrint cannot load (e.g. no Pango on this machine)."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as err:  # OSError: Pango or HarfBuzz missing
        raise PdfUnavailable(str(err)) from None


def page_label_ranges(anchor_pages: list[set[str]], body_anchor: str,
                      cover_label: str) -> list[tuple[int, PageLabel]]:
    """Where each page-label range starts: the cover, roman front matter, arabic body.

    The printed page numbers follow the same scheme (print.css restarts the page
    counter at the first chapter), so a reader's "go to page 12" lands on the
    page printed 12.
    """
    body = next((i for i, anchors in enumerate(anchor_pages) if body_anchor in anchors), None)
    ranges: list[tuple[int, PageLabel]] = [(0, {"P": cover_label})]
    if body is None:
        return ranges + [(1, {"S": "r", "St": 2})] if len(anchor_pages) > 1 else ranges
    if body > 1:
        ranges.append((1, {"S": "r", "St": 2}))
    ranges.append((body, {"S": "D", "St": 1}))
    return ranges


def _finisher(body_anchor: str, cover_label: str) -> Callable[[Any, Any], None]:
    import pydyf

    # WeasyPrint's document and pydyf's PDF come untyped.
    def finish(document: Any, pdf: Any) -> None:
        ranges = page_label_ranges([set(page.anchors) for page in document.pages],
                                   body_anchor, cover_label)
        nums = pydyf.Array()
        for start, label in ranges:
            entry = pydyf.Dictionary({"Type": "/PageLabel"})
            if "S" in label:
                entry["S"] = "/" + label["S"]
                entry["St"] = label["St"]
            if "P" in label:
                entry["P"] = pydyf.String(label["P"])
            nums.extend([start, entry])
        pdf.catalog["PageLabels"] = pydyf.Dictionary({"Nums": nums})
        # Open with the bookmarks panel: a long report is read by chapter.
        pdf.catalog["PageMode"] = "/UseOutlines"

    return finish


# WeasyPrint versions whose structure-tree builder ``_language_marks`` knows (see there).
_TAGS_KNOWN = ("70.",)


@contextmanager
def _language_marks() -> Iterator[None]:
    """Give structure elements of a passage in another language its ``/Lang``.

    PDF/UA asks for the language of every passage that differs from the
    document's (an English term in a Chinese edition, a Chinese name in the
    English one), so a screen reader switches voice. WeasyPrint 70 tags the
    structure but never writes ``/Lang`` on an element.

    HACK (the PDF's only one): ``weasyprint.pdf.tags._build_box_tree`` builds the
    elements of one box and calls itself, through its module, for the box's
    children; wrapped here for one render, it yields the box's element, which
    gets the box's ``lang``. Guarded by WeasyPrint's version: with another
    version the PDF is written without per-passage languages (the document's
    language stays), never wrongly.
    """
    import pydyf
    import weasyprint
    from weasyprint.pdf import tags

    if not weasyprint.__version__.startswith(_TAGS_KNOWN):
        yield
        return
    original = tags._build_box_tree

    def build(box: Any, parent: Any, *rest: Any) -> Iterator[Any]:
        element = getattr(box, "element", None)
        lang = element.get("lang") if element is not None and box.element_tag not in (
            "html", "body") else None
        for built in original(box, parent, *rest):
            # Only the element made for this box (its children carry their own).
            if lang and built.get("P") == parent.reference and "Lang" not in built:
                built["Lang"] = pydyf.String(lang)
            yield built

    tags._build_box_tree = build
    try:
        yield
    finally:
        tags._build_box_tree = original


def render(document: str, base_url: str, target: Path, standard: str = "ua",
           attachments: tuple[Attachment, ...] = (), body_anchor: str = "c0",
           cover_label: str = "Cover") -> int:
    """Write the PDF; returns its number of pages."""
    check_available()
    from weasyprint import HTML, Attachment as PdfAttachment

    rendered = HTML(string=document, base_url=base_url).render()
    target.parent.mkdir(parents=True, exist_ok=True)
    files = [PdfAttachment(string=a.data, name=a.name, description=a.description,
                           relationship=a.relationship) for a in attachments]
    # A stable identifier: the same document gives the same file ID (archives compare them).
    identifier = hashlib.md5(document.encode("utf-8"), usedforsecurity=False).hexdigest().encode()
    with _language_marks():
        rendered.write_pdf(target, pdf_variant=VARIANTS[standard], attachments=files,
                           pdf_identifier=identifier,
                           finisher=_finisher(body_anchor, cover_label))
    return len(rendered.pages)
