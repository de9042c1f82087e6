"""Which framework items a page or a section addresses.

A page declares items in its front matter (``addresses: [gri:2-1]``); a
section ends its heading with ``{{addresses gri:404-1 hkex:B3.1}}``.  The
section then gets a stable id of its own, so web links and PDF page numbers
land on it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..errors import Problem, suggestion
from .model import Framework


@dataclass(frozen=True)
class Tag:
    framework: str
    code: str
    line: int | None


@dataclass(frozen=True)
class Location:
    """Where a page addresses an item: a page (anchor None) or one of its sections."""

    page: str  # source path of the page, e.g. "people.md"
    anchor: str | None
    line: int | None


def parse_tag(word: str, frameworks: dict[str, Framework], path: str,
              line: int | None) -> tuple[Tag | None, Problem | None]:
    if ":" not in word:
        return None, Problem(path, line, f"'{word}' does not name its framework",
                             "write it as framework:code, e.g. gri:2-1 or hkex:B1.1",
                             category="frameworks")
    fid, code = word.split(":", 1)
    framework = frameworks.get(fid)
    if framework is None:
        return None, Problem(path, line, f"'{fid}' is not an enabled framework",
                             suggestion(fid, frameworks) or
                             f"use one of: {', '.join(sorted(frameworks))}",
                             category="frameworks")
    if code not in framework.codes():
        return None, Problem(path, line, f"'{code}' is not a code of {fid}",
                             suggestion(code, [i.code for _, i in framework.items()]) or
                             f"see data/frameworks/{fid}.yml for the codes",
                             category="frameworks")
    return Tag(fid, code, line), None


def page_tags(addresses: object, frameworks: dict[str, Framework], path: str,
              line: int | None) -> tuple[list[Tag], list[Problem]]:
    """Tags from a page's front matter ``addresses`` value."""
    if addresses is None:
        return [], []
    if isinstance(addresses, str):
        addresses = addresses.split()
    if not isinstance(addresses, list):
        return [], [Problem(path, line, "'addresses' should be a list of codes",
                            "write it as addresses: [gri:2-1, hkex:B1]", category="frameworks")]
    tags, problems = [], []
    for word in addresses:
        tag, problem = parse_tag(str(word), frameworks, path, line)
        if tag:
            tags.append(tag)
        if problem:
            problems.append(problem)
    return tags, problems


def heading_id(text: str, slugify: Callable[[str], str], used: set[str]) -> str:
    """The id a tagged heading gets: its slug (as the site's toc makes it), unique in the page."""
    base = slugify(text) or "section"
    candidate, n = base, 1
    while candidate in used:
        candidate = f"{base}_{n}"
        n += 1
    used.add(candidate)
    return candidate
