"""Where a Markdown page's prose is: everything outside code.

Directives (``{{kpi …}}``) and conversion markup (``-{…}-``) act only on
prose; code blocks and code spans are the author's literal text and are never
touched.  Block code is found with markdown-it-py's token map, inline code
spans with the CommonMark backtick rule.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from markdown_it import MarkdownIt

_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)


@functools.lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # Block rules only: code ranges need fence/code_block tokens, not inline parsing.
    return MarkdownIt("commonmark").enable("table").disable(["inline", "text_join"])


@dataclass
class SourceText:
    """A page's Markdown with its position in the file it came from."""

    text: str
    path: str = "<text>"
    first_line: int = 1  # file line of text's first line (after front matter)

    def __post_init__(self) -> None:
        self._line_starts = _line_starts(self.text)

    def line_at(self, offset: int) -> int:
        """File line of a character offset in ``text``."""
        return bisect.bisect_right(self._line_starts, offset) - 1 + self.first_line

    @functools.cached_property
    def code_ranges(self) -> tuple[tuple[int, int], ...]:
        """Character ranges of fenced/indented code, code spans and HTML comments."""
        return _code_ranges(self.text)

    @staticmethod
    def in_ranges(offset: int, ranges: Sequence[tuple[int, int]]) -> bool:
        i = bisect.bisect_right(ranges, (offset, float("inf"))) - 1
        return i >= 0 and ranges[i][0] <= offset < ranges[i][1]

    def in_code(self, offset: int) -> bool:
        return self.in_ranges(offset, self.code_ranges)

    def prose_matches(self, pattern: re.Pattern[str]) -> Iterator[re.Match[str]]:
        """Matches of ``pattern`` that start outside code."""
        for m in pattern.finditer(self.text):
            if not self.in_code(m.start()):
                yield m


_YAML_FRONT = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.S)
_META_LINE = re.compile(r"^[ ]{0,3}[A-Za-z0-9_-]+:\s*.*")
_META_MORE = re.compile(r"^([ ]{4}|\t)")


def body_start(source: str) -> int:
    """Where the Markdown starts in a page file: after the front matter, as MkDocs reads it.

    Mirrors ``mkdocs.utils.meta.get_data``: YAML between ``---`` lines, or
    MultiMarkdown ``key: value`` lines up to a blank line; blank lines after
    the front matter are dropped too.
    """
    import yaml

    m = _YAML_FRONT.match(source)
    if m:
        try:
            data = yaml.safe_load(m.group(1))
        except yaml.YAMLError:
            return 0
        if not isinstance(data, dict):
            return 0
        end = m.end()
    else:
        end, seen_key = 0, False
        for line in source.split("\n"):
            if line.strip() == "":
                break
            if _META_LINE.match(line):
                seen_key = True
            elif not (_META_MORE.match(line) and seen_key):
                break
            end += len(line) + 1
        end = min(end, len(source))
    while end < len(source) and source[end] == "\n":
        end += 1
    return end


_NEWLINE = re.compile("\n")


def _line_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in _NEWLINE.finditer(text)]


def _code_ranges(text: str) -> tuple[tuple[int, int], ...]:
    ranges: list[tuple[int, int]] = []
    starts = _line_starts(text) + [len(text) + 1]
    lines = text.split("\n")
    for token in _parser().parse(text):
        if token.type in ("fence", "code_block") and token.map:
            begin, end = token.map
            if token.type == "code_block" and _in_container(lines, begin):
                ranges += _container_code(lines, starts, begin, end)
                continue
            ranges.append((starts[begin], min(starts[end], len(text))))
    ranges.sort()
    for pattern in (_CODE_SPAN, _HTML_COMMENT):
        for m in pattern.finditer(text):
            if not SourceText.in_ranges(m.start(), ranges):
                ranges.append((m.start(), m.end()))
        ranges.sort()
    return tuple(ranges)  # shared between callers: immutable


# Python-Markdown blocks whose content is indented by four spaces: admonitions, details,
# content tabs, footnotes and definitions.  CommonMark reads that content as code.
_CONTAINER = re.compile(r"^ {0,3}(?:!!!|\?\?\?\+?|===|\[\^[^\]]+\]:|:[ \t])")


def _in_container(lines: list[str], begin: int) -> bool:
    for line in reversed(lines[:begin]):
        if line.strip() and not line.startswith(("    ", "\t")):
            return bool(_CONTAINER.match(line))
    return False


def _container_code(lines: list[str], starts: list[int], begin: int, end: int
                    ) -> list[tuple[int, int]]:
    """Code inside an indented container: its content, one level out, read again."""
    removed, inner = [], []
    for line in lines[begin:end]:
        cut = 1 if line.startswith("\t") else min(4, len(line) - len(line.lstrip(" ")))
        removed.append(cut)
        inner.append(line[cut:])
    inner_text = "\n".join(inner)
    inner_starts = _line_starts(inner_text)
    found = []
    for start, stop in _code_ranges(inner_text):
        first = bisect.bisect_right(inner_starts, start) - 1
        last = bisect.bisect_right(inner_starts, max(start, stop - 1)) - 1
        found.append((starts[begin + first] + removed[first] + start - inner_starts[first],
                      starts[begin + last] + removed[last] + stop - inner_starts[last]))
    return found


def replace_spans(text: str, replacements: list[tuple[int, int, str]]) -> str:
    """Apply non-overlapping (start, end, new) replacements."""
    out, last = [], 0
    for start, end, new in sorted(replacements):
        out.append(text[last:start])
        out.append(new)
        last = end
    out.append(text[last:])
    return "".join(out)


def one_line(html: str) -> str:
    """Generated HTML on a single line, to stand where a one-line directive stood."""
    return re.sub(r"\s*\n\s*", " ", html).strip()
