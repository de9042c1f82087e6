"""A page cut into sections by heading, each section's id and paragraphs.

A translation follows its source section by section: an English heading ending in
``{#薪酬及福利}`` translates the source section whose id is ``薪酬及福利``.  The ids
are the ones the source page renders with: an explicit ``{#id}``, else the slug the
toc extension makes of the heading text (conversion markup resolved to the source
script, as csr-convert gives it), made unique with ``_1``, ``_2`` as toc does.

Each paragraph is digested so a translation can record which version of its source it
follows: a changed word, markup or KPI id in a paragraph changes its digest; a changed
figure in the data does not.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Callable
from dataclasses import dataclass

import yaml
from markdown.extensions.toc import unique

from .. import directives
from ..convert import markup
from ..errors import SourceErrors
from ..mdsource import SourceText, body_start

META = "_meta"  # the page's title, description and any text before its first heading

_ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_TRAILING_DIRECTIVES = re.compile(r"(?:[ \t]*\{\{(?:[^{}\n]|\{(?!\{))*?\}\})+[ \t]*$")
_TRAILING_ATTRS = re.compile(r"[ \t]*\{:?[ \t]*([^{}\n]*)\}[ \t]*$")
_ATTR_ID = re.compile(r"(?:^|\s)#([^\s}]+)")
_ADDRESSES = re.compile(r"\{\{\s*addresses\b(?:[^{}\n]|\{(?!\{))*?\}\}")
KPI_DIRECTIVES = {"kpi": 1, "kpi-card": 1, "kpi-cards": None}  # name → how many args are ids


@dataclass(frozen=True)
class Paragraph:
    line: int  # file line of its first line
    text: str  # normalised: tags and heading ids removed, whitespace runs as one space
    digest: str


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    level: int  # 0 for the page's _meta section
    line: int
    paragraphs: tuple[Paragraph, ...]
    kpis: frozenset[str]  # KPI ids cited in the section

    @property
    def digests(self) -> list[str]:
        return [p.digest for p in self.paragraphs]


def heading_text_for_slug(text: str) -> str:
    """A heading's text as the toc extension reads it (inline Markdown stripped)."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r"[*_`]", "", text)
    return html.unescape(" ".join(text.split()))


def heading_parts(content: str) -> tuple[str, str | None]:
    """A heading's words and its explicit id, from the text after its ``#`` marks."""
    directives = _TRAILING_DIRECTIVES.search(content)
    words = content[:directives.start()] if directives else content
    attrs = _TRAILING_ATTRS.search(words)
    explicit = None
    if attrs:
        found = _ATTR_ID.search(attrs.group(1))
        explicit = found.group(1) if found else None
        words = words[:attrs.start()]
    return words.strip(), explicit


def normalise(text: str) -> str:
    """A paragraph as digested: tags and heading attribute lists out, spaces folded."""
    text = _ADDRESSES.sub("", text)
    lines = []
    for line in text.split("\n"):
        if _ATX_HEADING.match(line):
            heading = _ATX_HEADING.match(line)
            assert heading is not None
            words, _ = heading_parts(heading.group(2))
            line = f"{heading.group(1)} {words}"
        lines.append(line)
    return " ".join(" ".join(lines).split())


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def _paragraph(text: str, line: int) -> Paragraph | None:
    normalised = normalise(text)
    return Paragraph(line, normalised, digest(normalised)) if normalised else None


def _kpi_lines(source: SourceText) -> list[tuple[int, str]]:
    """(file line, KPI id) of each KPI the page cites, outside code."""
    found = []
    for d in directives.find(source, set(KPI_DIRECTIVES)):
        count = KPI_DIRECTIVES[d.name]
        found += [(d.line, kpi) for kpi in (d.args if count is None else d.args[:count])]
    return found


def sections(text: str, shown: str, slugify: Callable[[str], str],
             source_script: str) -> list[Section]:
    """The sections of a page file (front matter included), in page order.

    ``slugify`` makes a heading's id as the site's toc extension does; conversion
    markup in a heading is read in ``source_script`` (the script the page is written
    in, for a source page).  The first section is always ``_meta``.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    start = body_start(text)
    first_line = text[:start].count("\n") + 1
    source = SourceText(text[start:], shown, first_line)
    try:
        markups = markup.find(source)
    except SourceErrors:
        markups = []  # malformed markup is the build's to report; ids read it as text
    meta = _front_matter_paragraphs(text[:start])
    headings = _headings(source, markups, source_script, slugify)
    result: list[Section] = []
    lines = source.text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    bounds = [h[0] for h in headings] + [len(lines)]
    kpi_lines = _kpi_lines(source)

    def kpis(first: int, stop: int) -> frozenset[str]:
        return frozenset(kpi for line, kpi in kpi_lines
                         if first_line + first <= line < first_line + stop)

    meta_body = _blocks(source, lines, offsets, 0, bounds[0])
    result.append(Section(META, "", 0, 1, tuple(meta + meta_body), kpis(0, bounds[0])))
    for n, (index, level, words, ident) in enumerate(headings):
        heading = _paragraph(lines[index], first_line + index)
        body = _blocks(source, lines, offsets, index + 1, bounds[n + 1])
        result.append(Section(ident, words, level, first_line + index,
                              tuple(([heading] if heading else []) + body),
                              kpis(index, bounds[n + 1])))
    return result


def _front_matter_paragraphs(front: str) -> list[Paragraph]:
    found = []
    match = re.match(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", front, re.S)
    if not match:
        return []
    try:
        data = yaml.safe_load(match.group(1))
    except yaml.YAMLError:
        return []
    if not isinstance(data, dict):
        return []
    for key in ("title", "description"):
        value = data.get(key)
        if isinstance(value, str) and value.strip():
            line = next((n for n, row in enumerate(front.split("\n"), 1)
                         if row.startswith(f"{key}:")), 1)
            paragraph = _paragraph(f"{key}: {value}", line)
            if paragraph:
                found.append(paragraph)
    return found


def _headings(source: SourceText, markups: list[markup.Markup], script: str,
              slugify: Callable[[str], str]) -> list[tuple[int, int, str, str]]:
    """(line index, level, words, id) of each ATX heading outside code, ids as toc gives them."""
    text = source.text
    found = []
    offset = 0
    for index, line in enumerate(text.split("\n")):
        m = _ATX_HEADING.match(line)
        if m and not source.in_code(offset):
            start = offset + m.start(2)
            words, explicit = heading_parts(m.group(2))
            shown = _resolved(text, start, start + len(words), markups, script)
            found.append((index, len(m.group(1)), heading_text_for_slug(shown), explicit))
        offset += len(line) + 1
    used = {explicit for *_, explicit in found if explicit}
    counters: dict[str, int] = {}
    result = []
    for index, level, words, explicit in found:
        ident = explicit or unique(slugify(words), used, counters)
        result.append((index, level, words, ident))
    return result


def _resolved(text: str, start: int, end: int, markups: list[markup.Markup], script: str) -> str:
    """Text with its conversion markup replaced by the text for ``script``."""
    pieces, last = [], start
    for mk in markups:
        if start <= mk.start and mk.end <= end:
            pieces.append(text[last:mk.start])
            pieces.append(mk.text_for(script) or "")
            last = mk.end
    pieces.append(text[last:end])
    return "".join(pieces)


def _blocks(source: SourceText, lines: list[str], offsets: list[int], first: int, stop: int
            ) -> list[Paragraph]:
    """Paragraphs of lines [first, stop): blocks between blank lines (not inside code)."""
    paragraphs: list[Paragraph] = []
    block: list[str] = []
    block_line = 0

    def close() -> None:
        if block:
            text = "\n".join(block)
            paragraph = _paragraph(text, block_line)
            if paragraph:
                paragraphs.append(paragraph)
            block.clear()

    for index in range(first, stop):
        line = lines[index]
        if not line.strip() and not source.in_code(offsets[index]):
            close()
            continue
        if not block:
            block_line = source.first_line + index
        block.append(line)
    close()
    return paragraphs
