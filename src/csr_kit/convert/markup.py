"""Author markup for conversion, modelled on MediaWiki's LanguageConverter.

``-{文字}-`` keeps a phrase exactly as written in every script;
``-{zh-hans:简体;zh-hant:繁體;}-`` gives each script its own text.  Markup
must open and close on one line (a table row is one line, so it works in
tables; it contains no ``|``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..errors import Problem, SourceErrors
from ..mdsource import SourceText, replace_spans

OPEN, CLOSE = "-{", "}-"
_VARIANT_START = re.compile(r"^\s*zh-[A-Za-z]+\s*:", re.I)
_VARIANT = re.compile(r"^\s*(zh-[A-Za-z]+)\s*:(.*)$", re.S | re.I)

# Which markup keys serve a script, best first.
VARIANT_KEYS = {
    "zh-hans": ["zh-hans", "zh-cn", "zh-sg", "zh-my"],
    "zh-cn": ["zh-cn", "zh-hans", "zh-sg", "zh-my"],
    "zh-hant": ["zh-hant", "zh-hk", "zh-mo", "zh-tw"],
    "zh-hk": ["zh-hk", "zh-mo", "zh-hant", "zh-tw"],
    "zh-tw": ["zh-tw", "zh-hant", "zh-hk", "zh-mo"],
}
KNOWN_KEYS = {k for keys in VARIANT_KEYS.values() for k in keys}


@dataclass
class Markup:
    start: int
    end: int
    line: int
    keep: str | None  # -{text}-
    variants: dict[str, str]  # -{zh-hans:…;zh-hant:…;}-

    def text_for(self, script: str) -> str | None:
        if self.keep is not None:
            return self.keep
        for key in VARIANT_KEYS.get(script.lower(), [script.lower()]):
            if key in self.variants:
                return self.variants[key]
        return None


def _parse_variants(body: str, path: str, line: int) -> tuple[dict[str, str], list[Problem]]:
    variants: dict[str, str] = {}
    problems = []
    for part in body.split(";"):
        if not part.strip():
            continue
        m = _VARIANT.match(part)
        if not m:
            problems.append(Problem(path, line, f"'{part.strip()}' in -{{…}}- has no script name",
                                    "write each part as zh-hans:文字; or zh-hant:文字;",
                                    category="markup"))
            continue
        key, text = m.group(1).lower(), m.group(2).strip()
        if key not in KNOWN_KEYS:
            problems.append(Problem(path, line, f"'{m.group(1)}' is not a script name",
                                    "use zh-hans, zh-hant, zh-hk, zh-tw or zh-cn",
                                    category="markup"))
        elif key in variants:
            problems.append(Problem(path, line, f"'{key}' is given twice in one -{{…}}-",
                                    "keep one of them", category="markup"))
        else:
            variants[key] = text
    return variants, problems


def find(source: SourceText) -> list[Markup]:
    """All markup in the prose of ``source``; malformed markup raises SourceErrors."""
    found, problems = scan(source)
    if problems:
        raise SourceErrors(problems)
    return found


def scan(source: SourceText) -> tuple[list[Markup], list[Problem]]:
    """The well-formed markup of ``source``, and a problem for each malformed one."""
    text = source.text
    found: list[Markup] = []
    problems: list[Problem] = []
    pos = 0
    while True:
        start = text.find(OPEN, pos)
        if start < 0:
            break
        if source.in_code(start):
            pos = start + 2
            continue
        line = source.line_at(start)
        line_end = text.find("\n", start)
        line_end = len(text) if line_end < 0 else line_end
        end = text.find(CLOSE, start + 2, line_end)
        if end < 0:
            problems.append(Problem(source.path, line, "'-{' is not closed on this line",
                                    "add '}-' after the text it should keep, on the same line",
                                    category="markup"))
            pos = start + 2
            continue
        body = text[start + 2:end]
        if OPEN in body:
            problems.append(Problem(source.path, line, "'-{' markup cannot be nested",
                                    "close the first '-{' with '}-' before opening another",
                                    category="markup"))
            pos = end + 2
            continue
        if _VARIANT_START.match(body):
            variants, errs = _parse_variants(body, source.path, line)
            problems.extend(errs)
            if not variants and not errs:
                problems.append(Problem(source.path, line, "the -{…}- markup is empty",
                                        "write the text to keep, or remove the markup",
                                        category="markup"))
            found.append(Markup(start, end + 2, line, None, variants))
        elif not body.strip():
            problems.append(Problem(source.path, line, "the -{…}- markup is empty",
                                    "write the text to keep, or remove the markup",
                                    category="markup"))
        else:
            found.append(Markup(start, end + 2, line, body, {}))
        pos = end + 2
    # A stray closing marker usually means a missing opening one.
    for m in source.prose_matches(re.compile(re.escape(CLOSE))):
        if not any(mk.start <= m.start() < mk.end for mk in found) and not any(
                p.line == source.line_at(m.start()) for p in problems):
                problems.append(Problem(source.path, source.line_at(m.start()),
                                        "'}-' closes markup that was never opened",
                                        "add '-{' before the text, or remove '}-'",
                                        category="markup"))
    return found, problems


def check_variants(markups: list[Markup], scripts: list[str], path: str) -> list[Problem]:
    """Per-script markup must give text for every script the site publishes."""
    problems = []
    for mk in markups:
        if mk.keep is not None:
            continue
        for script in scripts:
            if mk.text_for(script) is None:
                problems.append(Problem(path, mk.line,
                                        f"the -{{…}}- markup gives no text for {script}",
                                        f"add {script.lower()}:文字; inside it", category="markup"))
    return problems


def apply(source: SourceText, markups: list[Markup], script: str,
          wrap: Callable[[str], str] | None,
          insertions: Sequence[tuple[int, str]] = ()) -> str:
    """Replace markup with the text for ``script``; ``wrap`` protects it from conversion.

    ``insertions`` are (offset, text) to add as well, e.g. from :func:`heading_ids`.
    """

    replacements = [(at, at, text) for at, text in insertions]
    for mk in markups:
        text = mk.text_for(script) or ""
        replacements.append((mk.start, mk.end, wrap(text) if wrap else text))
    return replace_spans(source.text, replacements)


_ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$", re.M)
_TRAILING_DIRECTIVES = re.compile(r"(?:[ \t]*\{\{(?:[^{}\n]|\{(?!\{))*?\}\})+[ \t]*$")
_TRAILING_ATTRS = re.compile(r"[ \t]*\{:?[ \t]*([^{}\n]*)\}[ \t]*$")


def _slug_text(text: str) -> str:
    """A heading's text as the TOC extension reads it (inline Markdown stripped)."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r"[*_`]", "", text)
    return " ".join(text.split())


def heading_ids(source: SourceText, markups: list[Markup], script: str,
                scripts: list[str], slugify: Callable[[str], str]) -> list[tuple[int, str]]:
    """Explicit ids for headings whose per-script markup differs between scripts.

    Without them each script's heading would get the slug of its own text, so
    links to the section (#id) would work in one script only.  The id is the
    slug of the heading as written for ``script`` (the page's own script) and
    is the same in every build.  Returns (offset, text) insertions in
    attr_list syntax, placed before any ``{{…}}`` at the end of the heading.
    """
    varying = [mk for mk in markups if mk.keep is None
               and len({mk.text_for(s) for s in scripts} | {mk.text_for(script)}) > 1]
    if not varying:
        return []
    text = source.text
    insertions, used = [], set()
    for m in _ATX_HEADING.finditer(text):
        if source.in_code(m.start()):
            continue
        start, end = m.start(2), m.end(2)
        inside = [mk for mk in markups if start <= mk.start < end]
        if not any(mk in varying for mk in inside):
            continue
        content = text[start:end]
        directives = _TRAILING_DIRECTIVES.search(content)
        cut = directives.start() if directives else len(content)
        attrs = _TRAILING_ATTRS.search(content[:cut])
        if attrs and re.search(r"(^|\s)#", attrs.group(1)):
            continue  # the author gave an id
        words_end = attrs.start() if attrs else cut
        pieces, last = [], start
        for mk in sorted(inside, key=lambda k: k.start):
            if mk.start >= start + words_end:
                break
            pieces.append(text[last:mk.start])
            pieces.append(mk.text_for(script) or "")
            last = mk.end
        pieces.append(text[last:start + words_end])
        base = slugify(_slug_text("".join(pieces))) or "section"
        ident, n = base, 1
        while ident in used:
            ident, n = f"{base}_{n}", n + 1
        used.add(ident)
        if attrs:
            brace = start + attrs.start() + attrs.group(0).index("{") + 1
            if text[brace:brace + 1] == ":":
                brace += 1
            insertions.append((brace, f"#{ident}" + ("" if text[brace:brace + 1].isspace()
                                                       else " ")))
        else:
            insertions.append((start + words_end, " {#" + ident + "}"))
    return insertions


def convert_plain(text: str, script: str, convert: Callable[[str], str] | None) -> str:
    """Convert a short plain string (a title, a label) honouring its markup."""
    source = SourceText(text)
    try:
        markups = find(source)
    except SourceErrors:
        markups = []
    out, last = [], 0
    for mk in markups:
        chunk = text[last:mk.start]
        out.append(convert(chunk) if convert else chunk)
        out.append(mk.text_for(script) or "")
        last = mk.end
    tail = text[last:]
    out.append(convert(tail) if convert else tail)
    return "".join(out)
