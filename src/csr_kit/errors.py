"""Problems found in a report's source files, worded for the people who write them.

Every mistake an author can make is reported as one line:
``file:line: what is wrong — how to fix it``.  Library modules raise
:class:`SourceError` (one problem) or :class:`SourceErrors` (several); the
plugins and the check command print them and never show a traceback.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    path: str
    line: int | None
    message: str
    hint: str = ""
    severity: str = "error"  # "error" or "warning"
    category: str = "content"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.message}"
        if self.hint:
            text += f" — {self.hint}"
        return text


class SourceError(Exception):
    """One problem in an author's file."""

    def __init__(self, path: str, line: int | None, message: str, hint: str = "",
                 category: str = "content"):
        self.problem = Problem(path, line, message, hint, "error", category)
        super().__init__(str(self.problem))


class SourceErrors(Exception):
    """Several problems found in one pass, so authors can fix them all at once."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.problems)


def close_matches(word: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    """Suggestions for a mistyped id or code: the best match and any nearly as good."""
    import difflib

    scored = sorted(((difflib.SequenceMatcher(None, word, c).ratio(), c) for c in candidates),
                    reverse=True)
    if scored and scored[0][0] >= 0.5:
        best = scored[0][0]
        return [c for score, c in scored[:n] if score >= max(0.5, best - 0.05)]
    lowered = word.lower()
    return [c for _, c in scored if lowered in c.lower() or c.lower() in lowered][:n]


def suggestion(word: str, candidates: Iterable[str]) -> str:
    found = close_matches(word, candidates)
    if found:
        return "did you mean " + " or ".join(f"'{f}'" for f in found) + "?"
    return ""
