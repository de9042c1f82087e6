"""The ``{{name args}}`` directives authors write in pages.

One syntax for every generated thing (KPI values and cards, charts, index
appendices, section tags, the glossary) keeps the authoring guide short.  Each
plugin expands the names it owns; anything left over is reported as unknown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

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
    found = []
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
