"""The report glossary: terms in both scripts with English.

It drives three things: the phrase rules of the script conversion, the
glossary page, and the English shown on a term's first use on each page.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .convert.html import SKIP_ELEMENTS, convert_html, protect
from .convert.review import foreign_characters
from .datafile import Location, load_model
from .errors import Problem, SourceErrors
from .mdsource import SourceText
from .text import MissingLabel, script_of


class Term(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="forbid", frozen=True)

    zh_Hant: str = Field(alias="zh-Hant", min_length=1)
    zh_Hans: str = Field(alias="zh-Hans", min_length=1)
    en: str = Field(min_length=1)
    abbr: str | None = None
    definition: str | None = None  # in the source script (converted for the other)
    definition_en: str | None = None  # the English edition's (required when it is built)
    proper_name: bool = False
    variants: tuple[str, ...] = ()
    # The directions the pair may be applied in: a mainland word is often wider than
    # the Hong Kong one (质量 is 質素 and 質量), so the reverse is never assumed.
    use: Literal["both", "to-hans", "to-hant"] = "both"
    # false for a word every reader knows (員工, 資訊): it still steers the conversion
    # and is listed on the glossary page, but gets no tooltip in the pages.
    tooltip: bool = True

    @field_validator("zh_Hant", "zh_Hans", "en")
    @classmethod
    def _no_edge_spaces(cls, value: str) -> str:
        if value != value.strip():
            raise ValueError("the term has spaces at its start or end — remove them")
        return value

    def form(self, script: str) -> str:
        return self.zh_Hans if script_of(script) == "zh-Hans" else self.zh_Hant

    @property
    def english(self) -> str:
        return f"{self.en} ({self.abbr})" if self.abbr and self.abbr != self.en else self.en


class Glossary(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    terms: tuple[Term, ...] = ()

    def phrase_rules(self, source_script: str = "zh-Hant") -> dict[str, str]:
        """Source-script form → target-script form, for the OpenCC phrase dictionary."""
        rules: dict[str, str] = {}
        for term in self.terms:
            if script_of(source_script) == "zh-Hant":
                if term.use != "to-hant":
                    for form in (term.zh_Hant, *term.variants):
                        rules[form] = term.zh_Hans
            elif term.use != "to-hans":
                rules[term.zh_Hans] = term.zh_Hant
        return rules

    def __hash__(self) -> int:  # frozen model: usable as a cache key
        return hash(self.terms)


def _duplicates(glossary: Glossary, lines: dict[Location, int], shown_as: str) -> list[Problem]:
    problems = []
    seen: dict[str, tuple[int, str]] = {}
    for i, term in enumerate(glossary.terms):
        for field, forms in (("zh-Hant", (term.zh_Hant,)), ("variants", term.variants)):
            for form in forms:
                line = lines.get(("terms", i, field)) or lines.get(("terms", i))
                if form in seen:
                    first_line, first_target = seen[form]
                    if first_target != term.zh_Hans:
                        what = (f"'{form}' is defined twice with different Simplified forms "
                                f"('{first_target}' and '{term.zh_Hans}')")
                    else:
                        what = f"'{form}' is defined twice"
                    problems.append(Problem(shown_as, line, what,
                                            f"keep one entry (the other is on line {first_line})"))
                else:
                    seen[form] = (line or 0, term.zh_Hans)
    # Converting from Simplified, one Simplified form can give only one Traditional one.
    reverse: dict[str, tuple[int, str]] = {}
    for i, term in enumerate(glossary.terms):
        if term.use == "to-hans":
            continue
        line = lines.get(("terms", i, "zh-Hans")) or lines.get(("terms", i))
        if term.zh_Hans in reverse and reverse[term.zh_Hans][1] != term.zh_Hant:
            first_line, first = reverse[term.zh_Hans]
            problems.append(Problem(
                shown_as, line, f"'{term.zh_Hans}' is the Simplified form of two terms "
                f"('{first}' and '{term.zh_Hant}'), so Simplified text cannot be converted back",
                f"add 'use: to-hans' to one of them (the other is on line {first_line})"))
        else:
            reverse.setdefault(term.zh_Hans, (line or 0, term.zh_Hant))
    return problems


def _wrong_script(glossary: Glossary, lines: dict[Location, int], shown_as: str
                  ) -> list[Problem]:
    """A form typed in the other script's characters (a zh-Hans form left in Traditional)."""
    problems = []
    for i, term in enumerate(glossary.terms):
        for script, form, own in (("zh-Hant", term.zh_Hant, "Traditional"),
                                  ("zh-Hans", term.zh_Hans, "Simplified")):
            wrong = foreign_characters(form, script)
            if wrong:
                problems.append(Problem(
                    shown_as, lines.get(("terms", i, script)) or lines.get(("terms", i)),
                    f"the {script} form '{form}' has characters of the other script: {wrong}",
                    f"write the {script} form in {own} characters"))
    return problems


def load(path: str | Path, shown_as: str) -> Glossary:
    glossary, lines = load_model(Glossary, path, shown_as)
    problems = _duplicates(glossary, lines, shown_as) + _wrong_script(glossary, lines, shown_as)
    if problems:
        raise SourceErrors(problems)
    return glossary


# --- first use on a page ---------------------------------------------------------------

# Headings, links and existing abbreviations keep their own semantics.
_NOT_ANNOTATED = frozenset(SKIP_ELEMENTS | {"a", "abbr", "dfn", "h1", "h2", "h3", "h4", "h5",
                                            "h6", "button", "label", "svg", "title", "figcaption",
                                            "th", "caption", "nav"})


@functools.lru_cache(maxsize=8)
def _term_pattern(glossary: Glossary,
                  script: str) -> tuple[re.Pattern[str] | None, dict[str, Term]]:
    by_form: dict[str, Term] = {}
    for term in glossary.terms:
        if term.tooltip:
            by_form.setdefault(term.form(script), term)
    if not by_form:
        return None, by_form
    # Longest first, so 可持續發展目標 wins over 可持續發展.
    forms = sorted(by_form, key=len, reverse=True)
    return re.compile("|".join(re.escape(f) for f in forms)), by_form


TERMS_HEADING = {"zh-Hant": "本頁詞彙（英文及釋義）", "zh-Hans": "本页词汇（英文及释义）",
                 "en": "Terms on this page (Chinese and definitions)"}


def term_anchor(term: Term) -> str:
    return "term-" + re.sub(r"[^a-z0-9]+", "-", term.en.lower()).strip("-")


def annotate_first_use(page_html: str, glossary: Glossary, script: str,
                       convert: Callable[[str], str] | None = None) -> str:
    """Mark the first use of each glossary term on a page, with its English and definition.

    The mark is one tooltip (the English, and the definition when there is
    one) that is not a tab stop: 38 terms would be 38 stops before the
    reader's next link.  Keyboard and screen-reader users get the same text
    from a list at the end of the page (one collapsible block), which each
    mark names with ``aria-describedby``.  ``convert`` turns a definition,
    written in the source script, into the page's script.
    """
    pattern, by_form = _term_pattern(glossary, script)
    if pattern is None:
        return page_html
    convert = convert or (lambda text: text)
    used: list[Term] = []
    chinese_forms_only = not any(form.isascii() for form in by_form)

    def mark(text: str) -> str:
        if chinese_forms_only and text.isascii():
            return text  # most text nodes of a page: markup whitespace, numbers, English
        def one(m: re.Match[str]) -> str:
            term = by_form[m.group(0)]
            if any(term.en == done.en for done in used):
                return m.group(0)
            used.append(term)
            english = html.escape(term.english, quote=True)
            definition = html.escape(convert(term.definition or ""), quote=True)
            return (f'<abbr class="csr-term" data-en="{english}" data-def="{definition}" '
                    f'aria-describedby="csr-{term_anchor(term)}">{m.group(0)}</abbr>')

        return pattern.sub(one, text)

    page_html = convert_html(page_html, mark, attributes=False, skip=_NOT_ANNOTATED)
    if not used:
        return page_html
    entries = "".join(
        f'<dt>{html.escape(term.form(script))}</dt>'
        f'<dd id="csr-{term_anchor(term)}"><span lang="en">{html.escape(term.english)}</span>'
        + (f"：{html.escape(convert(term.definition))}" if term.definition else "") + "</dd>"
        for term in used)
    return (page_html + f'<details class="csr-terms"><summary>{TERMS_HEADING[script_of(script)]}'
            f"</summary><dl>{entries}</dl></details>")


# --- the glossary page -----------------------------------------------------------------

HEADERS = {
    "zh-Hant": ("詞彙", "簡體", "英文", "釋義"),
    "zh-Hans": ("词汇", "繁体", "英文", "释义"),
    # The English page's columns: the English term first, then each Chinese form.
    "en": ("English", "繁體中文", "简体中文", "Definition"),
}
# The language of each English header (the Chinese scripts are named in their own).
_ENGLISH_HEADER_LANGS = ("en", "zh-Hant", "zh-Hans", "en")


def glossary_table(glossary: Glossary, script: str, source_script: str) -> str:
    """The glossary as an HTML table in ``script``.

    The term and its definition are written in the source script and left to
    the page conversion; the other script's form is protected from it.  The
    English table lists the English term, both Chinese forms and the English
    definition (``definition_en``).
    """
    script = script_of(script)
    if script == "en":
        return _english_table(glossary)
    other = "zh-Hans" if script == "zh-Hant" else "zh-Hant"
    heads = "".join(f"<th>{protect(h)}</th>" for h in HEADERS[script])
    rows = []
    for term in sorted(glossary.terms, key=lambda t: t.en.lower()):
        shown = term.form(source_script)
        term_cell = (html.escape(shown) if script == script_of(source_script)
                     else protect(html.escape(term.form(script))))
        definition = html.escape(term.definition or "")
        abbr = f" ({html.escape(term.abbr)})" if term.abbr and term.abbr != term.en else ""
        anchor = term_anchor(term)
        rows.append(
            f'<tr id="{anchor}"><td lang="{script}">{term_cell}</td>'
            f'<td lang="{other}">{protect(html.escape(term.form(other)))}</td>'
            f'<td lang="en">{html.escape(term.en)}{abbr}</td><td>{definition}</td></tr>')
    return ('<div class="csr-glossary"><table>\n<thead><tr>' + heads + "</tr></thead>\n<tbody>\n"
            + "\n".join(rows) + "\n</tbody></table></div>")


def _english_table(glossary: Glossary) -> str:
    heads = "".join(f'<th lang="{lang}">{html.escape(h)}</th>' if lang != "en" else
                    f"<th>{html.escape(h)}</th>"
                    for h, lang in zip(HEADERS["en"], _ENGLISH_HEADER_LANGS, strict=True))
    rows = []
    for term in sorted(glossary.terms, key=lambda t: t.en.lower()):
        if term.definition and not term.definition_en:
            # report_model.missing_translations reports it, with its line, before any page.
            raise MissingLabel(f"no definition_en for the glossary term {term.en!r}")
        abbr = f" ({html.escape(term.abbr)})" if term.abbr and term.abbr != term.en else ""
        # Same ids as the Chinese pages' rows (made from the English term).
        rows.append(
            f'<tr id="{term_anchor(term)}"><td>{html.escape(term.en)}{abbr}</td>'
            f'<td lang="zh-Hant">{html.escape(term.zh_Hant)}</td>'
            f'<td lang="zh-Hans">{html.escape(term.zh_Hans)}</td>'
            f'<td>{html.escape(term.definition_en or "")}</td></tr>')
    return ('<div class="csr-glossary"><table>\n<thead><tr>' + heads + "</tr></thead>\n<tbody>\n"
            + "\n".join(rows) + "\n</tbody></table></div>")


def inconsistent_uses(source: SourceText, glossary: Glossary,
                      same_word: Callable[[str, str], bool] | None = None,
                      kept: Sequence[tuple[int, int]] = (),
                      source_script: str = "zh-Hant") -> list[Problem]:
    """A term's other wording (a listed variant) used in a page.

    ``same_word(a, b)`` tells glyph variants of one word (溫/温) apart from other
    words (持分者/持份者); only the latter are reported.  ``kept`` are ranges the
    author wrote as they must stay (-{…}- markup): never reported.  The preferred
    form named is the term in ``source_script``, the script the pages are written in.
    """
    variants = {v: t for t in glossary.terms for v in t.variants
                if not (same_word and same_word(v, t.form(source_script)))}
    if not variants:
        return []
    pattern = re.compile("|".join(re.escape(v) for v in sorted(variants, key=len, reverse=True)))
    return [Problem(source.path, source.line_at(m.start()),
                    f"'{m.group(0)}' is a variant spelling of the glossary term "
                    f"'{variants[m.group(0)].form(source_script)}'",
                    f"write '{variants[m.group(0)].form(source_script)}' so the report uses "
                    "one term",
                    severity="warning", category="glossary")
            for m in source.prose_matches(pattern)
            if not SourceText.in_ranges(m.start(), sorted(kept))]
