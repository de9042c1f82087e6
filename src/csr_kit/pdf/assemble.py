"""One print document from the site's pages, in navigation order.

Pages are rendered HTML fragments (already converted to the page's script,
KPI cards and indexes included).  Each page becomes a chapter; its ids get a
per-chapter prefix so they stay unique in one document, and links between
pages become links inside the document, which lets the print stylesheet
print real page numbers with ``target-counter()``.
"""

from __future__ import annotations

import html as html_lib
import posixpath
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

_ID = re.compile(r'(\sid=")([^"]*)(")')
_HREF = re.compile(r'(<a\b[^>]*?\shref=")([^"]*)(")')
_SRC = re.compile(r'(<(?:img|image|source)\b[^>]*?\s(?:src|href)=")([^"]*)(")')
_HEADERLINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.S)
_H = re.compile(r"<h([1-6])([^>]*)>(.*?)</h\1>", re.S)
_TAG = re.compile(r"<[^>]+>")
_SVG = re.compile(r"(<svg\b.*?</svg>)", re.S)
_KPI_TABLE = re.compile(r'<table class="csr-kpi-table">.*?</table>', re.S)
_ROW = re.compile(r"<tr\b.*?</tr>", re.S)
_CELL = re.compile(r"<(t[hd])\b")
_PERIOD = re.compile(r"\d{4}(?:/\d{2,4})?")


@dataclass
class Chapter:
    url: str  # the page's URL in the language site, e.g. "people/" (site-root relative)
    title: str
    html: str  # the page's rendered content


@dataclass
class Cover:
    organisation: str
    title: str
    year: str
    logo: str = ""  # path relative to the site root


@dataclass
class BackPage:
    """The last page: where readers find the report and the organisation."""

    heading: str  # e.g. 聯絡我們
    lines: list[tuple[str, str]]  # (label, value), e.g. ("網址", "https://…")
    copyright: str = ""


def chapter_key(index: int) -> str:
    return f"c{index}"


def _url_key(url: str) -> str:
    return url.strip("/")


def _mark_kpi_columns(table: str) -> str:
    """Class the performance table's cells by column: figures (one column per period)
    and notes, so the print design keeps figures on one line and gives notes the width.

    Which columns are periods depends on the data (2014, 2020, 2021…), and the
    assurance column is there only when a KPI is assured, so it is read from the header.
    """
    rows = _ROW.findall(table)
    if not rows:
        return table
    heads = [_TAG.sub("", cell).strip()
             for cell in re.findall(r"<th\b[^>]*>(.*?)</th>", rows[0], re.S)]
    periods = {i for i, text in enumerate(heads) if _PERIOD.fullmatch(text)}
    if not periods:
        return table
    kinds = {i: "csr-figure" for i in periods}
    kinds[max(periods) + 1] = "csr-note"

    def mark(row: str) -> str:
        column = iter(range(len(heads) + 1))

        def cell(m: re.Match[str]) -> str:
            kind = kinds.get(next(column))
            return f'<{m.group(1)} class="{kind}"' if kind else m.group(0)

        return _CELL.sub(cell, row)

    return _ROW.sub(lambda m: mark(m.group(0)), table)


def _heading_id(attrs: str) -> str | None:
    found = _ID.search(attrs)
    return found.group(2) if found else None


def _rewrite_chapter(index: int, chapter: Chapter,
                     keys: dict[str, str]) -> tuple[str, list[tuple[int, str | None, str]]]:
    key = chapter_key(index)
    base = chapter.url if chapter.url.endswith("/") or not chapter.url else chapter.url + "/"
    body = _HEADERLINK.sub("", chapter.html)
    body = _KPI_TABLE.sub(lambda m: _mark_kpi_columns(m.group(0)), body)
    # Inline SVG charts style themselves with #id selectors: leave their ids alone.
    body = "".join(
        piece if piece.startswith("<svg") else
        _ID.sub(lambda m: f"{m.group(1)}{key}-{m.group(2)}{m.group(3)}", piece)
        for piece in _SVG.split(body))

    def link(m: re.Match[str]) -> str:
        href = html_lib.unescape(m.group(2))
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or href.startswith(("mailto:", "tel:")):
            return m.group(0)
        if not parts.path:  # same page
            return f"{m.group(1)}#{key}-{parts.fragment}{m.group(3)}" if parts.fragment \
                else m.group(0)
        target = posixpath.normpath(posixpath.join(base, unquote(parts.path)))
        target_key = keys.get(_url_key(target if target != "." else ""))
        if target_key is None:
            return m.group(0)  # a file (download, image): leave as is
        anchor = f"{target_key}-{parts.fragment}" if parts.fragment else target_key
        return f"{m.group(1)}#{html_lib.escape(anchor)}{m.group(3)}"

    body = _HREF.sub(link, body)

    def src(m: re.Match[str]) -> str:
        value = m.group(2)
        if urlsplit(value).scheme or value.startswith(("data:", "/", "#")):
            return m.group(0)
        return m.group(1) + posixpath.normpath(posixpath.join(base, value)) + m.group(3)

    body = _SRC.sub(src, body)
    headings = [(int(level), _heading_id(attrs), _TAG.sub("", text).strip())
                for level, attrs, text in _H.findall(body)]
    return body, headings


def _cover(cover: Cover) -> str:
    logo = (f'<img class="cover-logo" src="{html_lib.escape(cover.logo)}" '
            f'alt="{html_lib.escape(cover.organisation)}">' if cover.logo else "")
    # The year once: most titles already carry it (2021 年度企業社會責任報告).
    year = "" if cover.year in cover.title else \
        f'<p class="cover-year">{html_lib.escape(cover.year)}</p>'
    return (f'<section class="cover">{logo}'
            f'<p class="cover-organisation">{html_lib.escape(cover.organisation)}</p>'
            f'<h1 class="cover-title">{html_lib.escape(cover.title)}</h1>{year}</section>')


def _back_page(back: BackPage) -> str:
    rows = "".join(f"<dt>{html_lib.escape(label)}</dt><dd>{html_lib.escape(value)}</dd>"
                   for label, value in back.lines if value)
    note = (f'<p class="back-copyright">{html_lib.escape(back.copyright)}</p>'
            if back.copyright else "")
    return (f'<section class="back-page"><h1 class="back-heading">{html_lib.escape(back.heading)}'
            f'</h1><dl class="back-contact">{rows}</dl>{note}</section>')


@dataclass
class Untranslated:
    """Pages a translated edition leaves out, named in one line under its contents."""

    lead: str  # e.g. "Not yet translated (see the Chinese editions): "
    titles: list[tuple[str, str | None]]  # (title, its language when not the edition's)

    def html(self) -> str:
        names = ", ".join(
            f'<span lang="{html_lib.escape(lang)}">{html_lib.escape(title)}</span>' if lang
            else html_lib.escape(title) for title, lang in self.titles)
        return f'<p class="toc-untranslated">{html_lib.escape(self.lead)}{names}</p>'


def assemble(chapters: list[Chapter], cover: Cover, lang: str, stylesheet: str,
             toc_title: str, running_title: str, metadata: dict[str, str],
             back: BackPage | None = None, untranslated: Untranslated | None = None) -> str:
    """The whole print document as one HTML string."""
    keys = {_url_key(ch.url): chapter_key(i) for i, ch in enumerate(chapters)}
    parts, toc = [], []
    for i, chapter in enumerate(chapters):
        body, headings = _rewrite_chapter(i, chapter, keys)
        toc.append(f'<li class="toc-chapter"><a href="#{chapter_key(i)}">'
                   f"<span>{html_lib.escape(chapter.title)}</span></a>")
        sections = [(hid, text) for level, hid, text in headings if level == 2 and hid]
        if sections:
            toc.append('<ul>' + "".join(
                f'<li class="toc-section"><a href="#{hid}">'
                f"<span>{html_lib.escape(text)}</span></a></li>"
                for hid, text in sections) + "</ul>")
        toc.append("</li>")
        if not re.search(r"<h1\b", body):
            body = f"<h1>{html_lib.escape(chapter.title)}</h1>" + body
        # The first chapter restarts the page numbers at 1 (front matter is roman).
        kind = "chapter chapter--first" if i == 0 else "chapter"
        parts.append(f'<section class="{kind}" id="{chapter_key(i)}" '
                     f'data-title="{html_lib.escape(chapter.title)}">{body}</section>')
    meta = "".join(f'<meta name="{html_lib.escape(k)}" content="{html_lib.escape(v)}">'
                   for k, v in metadata.items() if v)
    note = untranslated.html() if untranslated and untranslated.titles else ""
    toc_html = (f'<nav class="toc"><h1 class="toc-title">{html_lib.escape(toc_title)}</h1>'
                f'<ul>{"".join(toc)}</ul>{note}</nav>')
    return (f'<!doctype html><html lang="{html_lib.escape(lang)}"><head><meta charset="utf-8">'
            f"<title>{html_lib.escape(running_title)}</title>{meta}"
            f"<style>{stylesheet}</style></head><body>"
            f"{_cover(cover)}{toc_html}{''.join(parts)}"
            f"{_back_page(back) if back else ''}</body></html>")
