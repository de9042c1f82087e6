"""Chinese text left in a translated page (English), reported with its file and line.

Chinese is expected in a translated page only where the author marked it: a name in
an element or attribute list with ``lang="zh-…"``, conversion markup ``-{…}-``, code,
a glossary term marked as a proper name, and ids and link targets (``{#薪酬及福利}``,
``people.md#薪酬及福利``), which are shared with the Chinese editions.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence

from ..errors import Problem
from ..mdsource import SourceText
from .notice import language_name

# Han characters, CJK punctuation and full-width forms.
CJK_RUN = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]+")
_TAG = re.compile(r"<[^<>\n]*>")
_LANG_OPEN = re.compile(r"<([A-Za-z][\w-]*)\b[^<>]*\blang\s*=\s*[\"']?zh\b[^<>]*>")
_ATTR_LIST = re.compile(r"(?<!\{)\{(?!\{)[^{}\n]*\}(?!\})")
_LANG_ATTR = re.compile(r"\blang\s*=\s*[\"']?zh\b")
_LINK_TARGET = re.compile(r"\]\([^)\n]*\)|^[ ]{0,3}\[[^\]\n]+\]:[^\n]*", re.M)
_DIRECTIVE = re.compile(r"\{\{(?:[^{}\n]|\{(?!\{))*?\}\}")

def chinese_text(source: SourceText, marked: Sequence[tuple[int, int]],
                 proper_names: Iterable[str], language: str, source_language: str
                 ) -> list[Problem]:
    """A warning per line of ``source`` with Chinese text nobody marked as meant.

    ``marked``: spans the author marked otherwise (conversion markup).
    """
    text = source.text
    if not CJK_RUN.search(text):
        return []
    allowed = _merged([*source.code_ranges, *marked, *_allowed(text, proper_names)])
    runs: dict[int, list[str]] = defaultdict(list)
    for m in CJK_RUN.finditer(text):
        pieces, start = [], None
        for at in range(m.start(), m.end()):  # a run may be partly marked
            if SourceText.in_ranges(at, allowed):
                if start is not None:
                    pieces.append(text[start:at])
                    start = None
            elif start is None:
                start = at
        if start is not None:
            pieces.append(text[start:m.end()])
        if pieces:
            runs[source.line_at(m.start())].extend(pieces)
    name = language_name(language)
    return [Problem(source.path, line,
                    f"Chinese text in the {name} page: {', '.join(dict.fromkeys(found))}",
                    f"translate it, or mark a name {{lang={source_language}}}",
                    severity="warning", category="translation")
            for line, found in sorted(runs.items())]


def _merged(spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping spans joined (a name inside an attribute list): in_ranges needs it."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _allowed(text: str, proper_names: Iterable[str]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for pattern in (_TAG, _LINK_TARGET, _DIRECTIVE):
        spans += [(m.start(), m.end()) for m in pattern.finditer(text)]
    for opening in _LANG_OPEN.finditer(text):
        spans.append((opening.start(), _element_end(text, opening.group(1), opening.end())))
    for attrs in _ATTR_LIST.finditer(text):
        spans.append((attrs.start(), attrs.end()))
        if _LANG_ATTR.search(attrs.group(0)):
            spans.append((_marked_start(text, attrs.start()), attrs.start()))
    for form in {n for n in proper_names if n}:
        spans += [(m.start(), m.end()) for m in re.finditer(re.escape(form), text)]
    return spans


def _element_end(text: str, tag: str, after: int) -> int:
    """Where the element opened just before ``after`` closes (nested ones counted)."""
    pattern = re.compile(rf"<(/?){re.escape(tag)}\b[^<>]*>", re.I)
    depth = 1
    for m in pattern.finditer(text, after):
        depth += -1 if m.group(1) else 1
        if depth == 0:
            return m.end()
    return len(text)


def _marked_start(text: str, brace: int) -> int:
    """The start of what an attribute list at ``brace`` applies to.

    Right after an inline element (``*名*{lang=zh-Hant}``, a link, ``[名]``) it is that
    element; otherwise (a heading's or a paragraph's list) the whole block.
    """
    line_start = text.rfind("\n", 0, brace) + 1
    before = text[line_start:brace]
    last = before[-1:] if before else ""
    if last in ("*", "_"):
        marker = re.search(r"([*_]+)$", before)
        assert marker is not None
        opening = before.rfind(marker.group(1), 0, len(before) - len(marker.group(1)))
        if opening >= 0:
            return line_start + opening
    elif last in (")", "]"):
        close = before.rfind("](") if last == ")" else len(before) - 1
        opening = before.rfind("[", 0, max(close, 0))
        if opening >= 0:
            return line_start + opening
    # The block: back to the blank line before it.
    blank = text.rfind("\n\n", 0, line_start)
    return 0 if blank < 0 else blank + 2
