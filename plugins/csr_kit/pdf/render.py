"""Rendering the print document with WeasyPrint, in-process."""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path


class PdfUnavailable(Exception):
    """WeasyPrint or its system libraries (Pango) are missing."""


def stylesheet(fonts: list[str], running_title: str) -> str:
    """The print stylesheet with the configured font families filled in."""
    css = resources.files("csr_kit.pdf").joinpath("print.css").read_text(encoding="utf-8")
    families = ", ".join(f'"{f}"' for f in fonts) + ", sans-serif"
    title = running_title.replace("\\", "\\\\").replace('"', '\\"')
    return css.replace("__SANS__", families).replace("__RUNNING_TITLE__", title)


def digest(document: str) -> str:
    return hashlib.sha256(document.encode("utf-8")).hexdigest()


def check_available() -> None:
    """Raise PdfUnavailable when WeasyPrint cannot load (e.g. no Pango on this machine)."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as err:  # OSError: Pango or HarfBuzz missing
        raise PdfUnavailable(str(err)) from None


def render(document: str, base_url: str, target: Path) -> int:
    """Write the PDF; returns its number of pages."""
    check_available()
    from weasyprint import HTML

    rendered = HTML(string=document, base_url=base_url).render()
    target.parent.mkdir(parents=True, exist_ok=True)
    rendered.write_pdf(target)
    return len(rendered.pages)
