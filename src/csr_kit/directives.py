"""The ``{{name args}}`` directives authors write in pages.

One syntax for every generated thing (KPI values and cards, charts, index
appendices, section tags, the glossary) keeps the authoring guide short.  Each
plugin expands the names it owns; anything left over is reported as unknown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .errors import Problem
from .mdsource import SourceText

DIRECTIVE = re.compile(r"\{\{\s*([A-Za-z][\w-]*)((?:[^{}\n]|\{(?!\{))*?)\}\}")

KNOWN = {
    "kpi": "csr-kpi", "kpi-card": "csr-kpi", "kpi-cards": "csr-kpi", "chart": "csr-kpi",
    "kpi-appendix": "csr-kpi", "addresses": "csr-frameworks",
    "framework-index": "csr-frameworks", "glossary": "csr-glossary",
}


@dataclass
class Directive:
    name: str
    args: list[str]
    options: dict[str, str]
    start: int
    end: int
    line: int
    standalone: bool  # alone on its line: may expand to a block
    raw: str = field(repr=False, default="")


def find(source: SourceText, names: set[str] | None = None) -> list[Directive]:
    """Directives in the prose of ``source`` (optionally only those named)."""
    found: list[Directive] = []
    text = source.text
    if "{{" not in text or (names is not None and not any(n in text for n in names)):
        return found  # nothing to find: spare the code-range scan
    for m in source.prose_matches(DIRECTIVE):
        name = m.group(1)
        if names is not None and name not in names:
            continue
        args, options = [], {}
        for word in m.group(2).split():
            if "=" in word:
                key, _, value = word.partition("=")
                options[key] = value
            else:
                args.append(word)
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        line_end = len(text) if line_end < 0 else line_end
        standalone = not text[line_start:m.start()].strip() and not text[m.end():line_end].strip()
        found.append(Directive(name, args, options, m.start(), m.end(),
                               source.line_at(m.start()), standalone, m.group(0)))
    return found


# Full-width forms a Chinese input method types where a directive needs ASCII.
FULL_WIDTH = {
    "｛": ("full-width brace", "{"), "｝": ("full-width brace", "}"),
    "，": ("full-width comma", "a space"), "、": ("Chinese enumeration comma", "a space"),
    "：": ("full-width colon", ":"), "；": ("full-width semicolon", "a space"),
    "　": ("full-width space", "an ASCII space"), "＝": ("full-width equals sign", "="),
    "「": ("corner bracket", "nothing (directive arguments need no quotes)"),
    "」": ("corner bracket", "nothing (directive arguments need no quotes)"),
    "“": ("curly quote", "nothing (directive arguments need no quotes)"),
    "”": ("curly quote", "nothing (directive arguments need no quotes)"),
}
# Anything that looks like the start of a directive: ASCII or full-width braces, or a
# single brace before a directive's name ({kpi staff.total}).
_OPENING = re.compile(r"[{｛]\s*[{｛]|(?<![{｛])[{｛](?=\s*(?:" +
                      "|".join(sorted(map(re.escape, KNOWN), key=len, reverse=True)) +
                      r")\b)")
_CLOSING = re.compile(r"[}｝]\s*[}｝]")


def _column(text: str, offset: int) -> int:
    return offset - (text.rfind("\n", 0, offset) + 1) + 1


def malformed(source: SourceText) -> list[Problem]:
    """Directive-shaped text that no plugin would expand, so it would be published as is.

    Each problem names the character and its column: a full-width brace or comma
    typed by a Chinese input method, an unclosed ``{{``, a single brace.
    """
    text = source.text
    if not any(c in text for c in "{｛}｝"):
        return []
    problems: list[Problem] = []
    taken = [(m.start(), m.end()) for m in source.prose_matches(DIRECTIVE)]
    for start, end in taken:
        body = text[start:end]
        for i, char in enumerate(body):
            if char in FULL_WIDTH:
                what, fix = FULL_WIDTH[char]
                problems.append(Problem(
                    source.path, source.line_at(start + i),
                    f"a {what} '{char}' at column {_column(text, start + i)} inside "
                    f"'{_short(body)}'", f"type {fix} instead (directives are written with "
                    "ASCII characters; switch the input method to half-width)",
                    category="directives"))
                break
    inside = SourceText.in_ranges
    spans = sorted(taken)
    for m in source.prose_matches(_OPENING):
        if inside(m.start(), spans):
            continue
        piece = m.group(0)
        line = source.line_at(m.start())
        column = _column(text, m.start())
        line_end = text.find("\n", m.start())
        rest = text[m.start(): len(text) if line_end < 0 else line_end]
        wide = next((c for c in piece if c == "｛"), None) or next(
            (c for c in rest if c == "｝"), None)
        if wide:
            problems.append(Problem(source.path, line,
                                    f"a full-width brace '{wide}' in '{_short(rest)}' "
                                    f"(column {column})",
                                    "type the directive with ASCII braces: {{kpi id}} "
                                    "(switch the input method to half-width)",
                                    category="directives"))
        elif len(piece.replace(" ", "")) == 1:
            problems.append(Problem(source.path, line,
                                    f"'{_short(rest)}' has a single '{{' at column {column}",
                                    "a directive opens with two braces and closes with two: "
                                    "{{kpi id}}", category="directives"))
        else:
            problems.append(Problem(source.path, line,
                                    f"'{{{{' at column {column} is not closed on this line "
                                    f"('{_short(rest)}')",
                                    "end the directive with '}}' on the same line, or write "
                                    "the braces as code: `{{`", category="directives"))
    for m in source.prose_matches(_CLOSING):
        if inside(m.start(), spans) or inside(m.end() - 1, spans):
            continue
        line_start = text.rfind("\n", 0, m.start()) + 1
        before = text[line_start:m.start()]
        if re.search(r"[{｛]", before):
            continue  # reported with its opening
        if not re.search(r"(?:^|\s)(?:" + "|".join(map(re.escape, KNOWN)) + r")\b", before):
            continue  # a '}}' in ordinary text (e.g. a formula) is not a directive
        problems.append(Problem(source.path, source.line_at(m.start()),
                                f"'}}}}' at column {_column(text, m.start())} has no '{{{{' "
                                f"before it ('{_short(before.strip() + m.group(0))}')",
                                "a directive opens with two braces: {{kpi id}}",
                                category="directives"))
    return problems


def has_full_width(d: Directive) -> bool:
    """Typed with a Chinese input method's punctuation: reported by :func:`malformed`."""
    return any(char in FULL_WIDTH for char in d.raw)


def in_metadata(value: str) -> bool:
    """A page title or description holding directive-shaped text (never expanded there).

    Conversion markup (-{…}-) is not counted: csr-convert applies it to titles too.
    """
    return bool(re.search(r"[{｛]\s*[{｛]|[}｝]\s*[}｝]", value))


def _short(text: str) -> str:
    text = text.strip()
    return text if len(text) <= 40 else text[:37] + "…"
