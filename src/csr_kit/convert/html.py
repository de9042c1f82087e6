"""Convert the text a reader sees in an HTML fragment, and nothing else.

The fragment is split into tags and text (``tokens``, the kit's one HTML
tokeniser).  Text is converted unless it sits inside code-like elements or an
element carrying ``data-noconvert``; inside tags only the values readers see
(``alt``, ``title``, ``aria-label``) are converted.  Every
other byte (URLs, ids, classes, entities) is left exactly as it was, which a
parse-and-reserialise library would not guarantee.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import NamedTuple

NOCONVERT_ATTR = "data-noconvert"
SKIP_ELEMENTS = {"code", "pre", "script", "style", "kbd", "samp", "var", "textarea", "math"}
VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                 "param", "source", "track", "wbr"}

_TOKEN = re.compile(
    r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<![^>]*>|<\?.*?\?>"
    r"|<(/?)([A-Za-z][\w:.-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>",
    re.S,
)
# One attribute of a start tag: its name and, if given, its value.  Matching
# attributes one after the other (never searching inside a value) keeps a
# quoted value that happens to contain ' title="…"' from being taken for one.
_ATTRIBUTE = re.compile(r"""(\s*)([^\s"'>/=]+)(?:(\s*=\s*)("[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")
# Attribute values a reader sees or hears: the text of a picture (an <img>'s alt, an
# <svg role="img">'s aria-label), a tooltip.
CONVERTED_ATTRIBUTES = frozenset({"alt", "title", "aria-label"})
# A URL in running text (a bare address, or the text of an autolink) is kept as
# written.  Its ASCII part is the characters RFC 3986 allows; Chinese is part of it
# only where a path segment, host label or query value starts (https://例子.org/資訊),
# so 請瀏覽https://example.org查閱資訊 still converts 查閱資訊.  ASCII punctuation
# that ends a sentence is not part of it.
URL_PATTERN = (r"(?<![A-Za-z0-9])(?:(?:https?|ftp)://|www\.)"
               r"(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+"
               r"|(?<=[/.=?&#%_-])[^\x00-\x7f\s（）「」『』《》〈〉【】，。、；：！？]+)+"
               r"(?<![.,;:!?)\]'])")
_URL = re.compile(URL_PATTERN, re.I)

class Token(NamedTuple):
    """A piece of an HTML fragment: text, or markup with its parts.

    For a start or end tag, ``name`` is its name as written and ``closing`` is "/"
    for an end tag; comments, doctypes and CDATA have no name.  The body of a
    script or style element is one text token with ``raw`` set (never markup).
    """

    text: str
    markup: bool = False
    closing: str = ""
    name: str | None = None
    attrs: str = ""
    raw: bool = False


def tokens(html: str) -> Iterator[Token]:
    """The fragment's text and markup, in order; joined, they give it back byte for byte.

    Tags are matched with their quoted attribute values (a ``>`` inside a value is
    part of it), never taken from inside one.
    """
    last = 0
    while True:
        m = _TOKEN.search(html, last)
        if m is None:
            break
        if m.start() > last:
            yield Token(html[last:m.start()])
        last = m.end()
        yield Token(m.group(0), True, m.group(1) or "", m.group(2), m.group(3) or "")
        name = (m.group(2) or "").lower()
        if name in ("script", "style") and not m.group(1) \
                and not (m.group(3) or "").rstrip().endswith("/"):
            # Raw text elements: their body up to the end tag is text, never markup.
            end = re.compile(rf"</{name}\s*>", re.I).search(html, last)
            body_end = end.start() if end else len(html)
            if body_end > last:
                yield Token(html[last:body_end], raw=True)
            last = body_end
    if last < len(html):
        yield Token(html[last:])


def is_void(name: str, attrs: str) -> bool:
    """A start tag that opens no element (``<br>``, ``<img …/>``)."""
    return name.lower() in VOID_ELEMENTS or attrs.rstrip().endswith("/")


def attribute_names(attrs: str) -> set[str]:
    return {m.group(2).lower() for m in _ATTRIBUTE.finditer(attrs)}


_TAG_NAME = re.compile(r"<([A-Za-z][\w:.-]*)")


def converted_values(tag: str) -> list[tuple[int, int]]:
    """Where, in the text of a start tag, the values that conversion converts are
    (``CONVERTED_ATTRIBUTES``: alt, title, aria-label), without their quotes."""
    name = _TAG_NAME.match(tag)
    if not name:
        return []
    found = []
    for m in _ATTRIBUTE.finditer(tag, name.end()):
        if m.group(4) is None or m.group(2).lower() not in CONVERTED_ATTRIBUTES:
            continue
        quoted = m.group(4)[0] in "\"'"
        found.append((m.start(4) + quoted, m.end(4) - quoted))
    return found


def _convert_attributes(attrs: str, convert: Callable[[str], str]) -> str:
    def one(m: re.Match[str]) -> str:
        value = m.group(4)
        if value is None or m.group(2).lower() not in CONVERTED_ATTRIBUTES:
            return m.group(0)
        quoted = value[0] in "\"'"
        value = value[0] + convert(value[1:-1]) + value[0] if quoted else convert(value)
        return m.group(1) + m.group(2) + m.group(3) + value

    return _ATTRIBUTE.sub(one, attrs)


def _keeping_urls(convert: Callable[[str], str]) -> Callable[[str], str]:
    """``convert`` for text that may contain URLs, which stay as written."""
    def text(value: str) -> str:
        if "://" not in value and "www." not in value.lower():
            return convert(value)
        out, last = [], 0
        for m in _URL.finditer(value):
            out.append(convert(value[last:m.start()]) if m.start() > last else "")
            out.append(m.group(0))
            last = m.end()
        out.append(convert(value[last:]) if last < len(value) else "")
        return "".join(out)

    return text


# Joins text nodes for one conversion call: a private-use character, in no dictionary,
# so no conversion rule matches across it and OpenCC passes it through.
_SEPARATOR = "\ue000"


def convert_html(html: str, convert: Callable[[str], str], *, attributes: bool = True,
                 skip: frozenset[str] | set[str] = frozenset(SKIP_ELEMENTS),
                 keep_urls: bool = True, batch: bool = False) -> str:
    """Apply ``convert`` to the visible text (and alt/title/aria-label values) of ``html``.

    ``skip`` names elements whose text is left alone; ``attributes=False``
    leaves those attributes too (for passes that insert markup rather than convert).
    URLs written in the text are left alone unless ``keep_urls`` is false.
    ``batch=True`` is for script conversion (a pure function of the text that leaves
    ASCII alone and matches no rule across a character of its own): text nodes are
    then converted in one call instead of one call each.
    """
    raw = convert
    if keep_urls:
        convert = _keeping_urls(convert)
    pending: list[int] = []  # indexes in `out` of text nodes converted in one call
    out: list[str] = []
    stack: list[tuple[str, bool]] = []  # open elements and whether they stop conversion
    skipping = 0  # how many open elements stop conversion
    for token in tokens(html):
        if not token.markup:
            text = token.text
            if skipping or token.raw or (batch and text.isascii()):
                out.append(text)
            elif batch and "://" not in text and "www." not in text.lower() \
                    and _SEPARATOR not in text:
                pending.append(len(out))
                out.append(text)
            else:
                out.append(convert(text))
            continue
        if token.name is None:  # comment, doctype, processing instruction
            out.append(token.text)
            continue
        name, attrs = token.name.lower(), token.attrs
        if token.closing:
            for i in range(len(stack) - 1, -1, -1):
                if stack[i][0] == name:
                    skipping -= sum(1 for _, s in stack[i:] if s)
                    del stack[i:]
                    break
            out.append(token.text)
            continue
        if not skipping and attributes:
            attrs = _convert_attributes(attrs, convert)
        out.append(f"<{name if token.name.islower() else token.name}{attrs}>")
        if is_void(name, attrs):
            continue
        stops = name in skip or NOCONVERT_ATTR in attribute_names(attrs)
        stack.append((name, stops))
        skipping += stops
    if pending:
        converted = raw(_SEPARATOR.join(out[i] for i in pending)).split(_SEPARATOR)
        if len(converted) != len(pending):  # cannot happen with a pure conversion; be safe
            converted = [raw(out[i]) for i in pending]
        for i, text in zip(pending, converted, strict=True):
            out[i] = text
    return "".join(out)


def protect(text: str) -> str:
    """Markup that keeps ``text`` from being converted."""
    return f"<span {NOCONVERT_ATTR}>{text}</span>"
