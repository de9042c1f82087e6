"""Convert the text a reader sees in an HTML fragment, and nothing else.

The fragment is split into tags and text.  Text is converted unless it sits
inside code-like elements or an element carrying ``data-noconvert``; inside
tags only the ``alt`` and ``title`` attribute values are converted.  Every
other byte (URLs, ids, classes, entities) is left exactly as it was, which a
parse-and-reserialise library would not guarantee.
"""

from __future__ import annotations

import re
from typing import Callable

NOCONVERT_ATTR = "data-noconvert"
SKIP_ELEMENTS = {"code", "pre", "script", "style", "kbd", "samp", "var", "textarea", "math"}
VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                 "param", "source", "track", "wbr"}

_TOKEN = re.compile(
    r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<![^>]*>|<\?.*?\?>"
    r"|<(/?)([A-Za-z][\w:.-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>",
    re.S,
)
_CONVERTED_ATTR = re.compile(r"(\s(?:alt|title)\s*=\s*)(\"[^\"]*\"|'[^']*')", re.I)
_NOCONVERT = re.compile(r"\s" + NOCONVERT_ATTR + r"(?:\s*=|\s|/|$)", re.I)


def _convert_attributes(attrs: str, convert: Callable[[str], str]) -> str:
    def one(m: re.Match[str]) -> str:
        quoted = m.group(2)
        return m.group(1) + quoted[0] + convert(quoted[1:-1]) + quoted[0]

    return _CONVERTED_ATTR.sub(one, attrs)


def convert_html(html: str, convert: Callable[[str], str], *, attributes: bool = True,
                 skip: frozenset[str] | set[str] = frozenset(SKIP_ELEMENTS)) -> str:
    """Apply ``convert`` to the visible text (and alt/title values) of ``html``.

    ``skip`` names elements whose text is left alone; ``attributes=False``
    leaves alt/title too (for passes that insert markup rather than convert).
    """
    out: list[str] = []
    stack: list[tuple[str, bool]] = []  # open elements and whether they stop conversion
    skipping = 0  # how many open elements stop conversion
    last = 0
    for m in _TOKEN.finditer(html):
        text = html[last:m.start()]
        if text:
            out.append(text if skipping else convert(text))
        last = m.end()
        closing, name, attrs = m.group(1), m.group(2), m.group(3)
        if name is None:  # comment, doctype, processing instruction
            out.append(m.group(0))
            continue
        name = name.lower()
        if closing:
            for i in range(len(stack) - 1, -1, -1):
                if stack[i][0] == name:
                    skipping -= sum(1 for _, s in stack[i:] if s)
                    del stack[i:]
                    break
            out.append(m.group(0))
            continue
        if not skipping and attributes:
            attrs = _convert_attributes(attrs, convert)
        out.append(f"<{name if m.group(2).islower() else m.group(2)}{attrs}>")
        if name in VOID_ELEMENTS or attrs.rstrip().endswith("/"):
            continue
        stops = name in skip or bool(_NOCONVERT.search(attrs))
        stack.append((name, stops))
        skipping += stops
        if name in ("script", "style"):
            # Raw text elements: jump to their end tag without tokenising the body.
            end = re.compile(rf"</{name}\s*>", re.I).search(html, last)
            body_end = end.start() if end else len(html)
            out.append(html[last:body_end])
            last = body_end
    tail = html[last:]
    if tail:
        out.append(tail if skipping else convert(tail))
    return "".join(out)


def protect(text: str) -> str:
    """Markup that keeps ``text`` from being converted."""
    return f"<span {NOCONVERT_ATTR}>{text}</span>"
