"""Translation status: which version of each source section a translation follows.

The record (``data/translations.yml``, written by ``csr-kit translation mark``) keeps,
per language, source page and section id, the digests of the source paragraphs the
translation was last checked against.  Comparing them with the source as it is now
says which translated sections are current and which follow an older source, with the
paragraphs that changed.  Hand-written pages of the generated Chinese script
(``page.zh-Hans.md``) are tracked the same way: they too follow a source page by hand.
"""

from __future__ import annotations

import collections
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..datafile import read_text
from ..errors import Problem
from ..text import is_chinese, script_of
from .notice import language_name
from .sections import META, Paragraph, Section, sections

# language → source page (under docs/) → section id → digests of its paragraphs
Record = dict[str, dict[str, dict[str, list[str]]]]

HEADER = """\
# Translation status, written by `csr-kit translation mark` — do not edit it by hand.
# For each language and source page (under docs/), the digests of the source paragraphs
# each section's translation follows. `csr-kit translation status` compares them with
# the source as it is now and lists the sections whose source changed since.
"""

# What a translator updates, by language (a translated one by its name: "the English").
CHINESE_TEXTS = {"zh-Hans": "Simplified text", "zh-Hant": "Traditional text"}


@dataclass(frozen=True)
class SectionState:
    """One source section as a translation follows it."""

    section: Section  # the source section (for a gone one: id only, from the record)
    state: str  # current | changed | unmarked | gone
    line: int | None  # the translation's heading with the same id, else None
    changed: tuple[Paragraph, ...] = ()  # source paragraphs new or changed since the mark
    removed: int = 0  # paragraphs the mark recorded that the source no longer has


@dataclass(frozen=True)
class PageState:
    language: str
    page: str  # the source page under docs/ ("people.md")
    source: str  # its file as shown to authors ("docs/people.md")
    translation: str | None  # "docs/people.en.md"; None when there is none
    marked: bool  # whether the record has the page at all
    sections: tuple[SectionState, ...] = ()
    # KPI ids a source section cites that its translation does not: (section, kpi, line)
    uncited: tuple[tuple[Section, str, int], ...] = field(default=())

    @property
    def untranslated(self) -> bool:
        return self.translation is None

    def count(self, state: str) -> int:
        return sum(1 for s in self.sections if s.state == state)


# --- the record ---------------------------------------------------------------------------

def load_record(path: Path, shown: str) -> tuple[Record, list[Problem]]:
    """The record in ``path`` (empty when there is none yet)."""
    if not path.exists():
        return {}, []
    try:
        data = yaml.safe_load(read_text(path, shown))
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        return {}, [Problem(shown, mark.line + 1 if mark else None,
                            "the translation record is not valid YAML",
                            "restore it from version control; csr-kit translation mark "
                            "writes it", category="translation")]
    record: Record = {}
    if data is None:
        return record, []
    bad = Problem(shown, None, "the translation record is not as csr-kit translation mark "
                  "writes it (language → page → section → list of digests)",
                  "restore it from version control, or delete it and mark the translations "
                  "again", category="translation")
    if not isinstance(data, dict):
        return {}, [bad]
    for language, pages in data.items():
        if not isinstance(pages, dict):
            return {}, [bad]
        for page, page_sections in pages.items():
            if not isinstance(page_sections, dict):
                return {}, [bad]
            for section, digests in page_sections.items():
                if not isinstance(digests, list):
                    return {}, [bad]
                record.setdefault(str(language), {}).setdefault(str(page), {})[str(section)] = \
                    [str(d) for d in digests]
    return record, []


def dump_record(record: Record) -> str:
    """The record as the file holds it: sorted, so a change shows as a small diff."""
    ordered = {language: {page: {section: list(digests)
                                 for section, digests in sorted(pages[page].items())}
                          for page in sorted(pages) if pages[page]}
               for language, pages in sorted(record.items()) if pages}
    body = yaml.safe_dump(ordered, allow_unicode=True, sort_keys=False,
                          default_flow_style=None, width=100) if ordered else ""
    return HEADER + body


def mark(record: Record, language: str, page: str, source: list[Section],
         only: Sequence[str] = ()) -> tuple[Record, list[str]]:
    """The record with the page's sections (all, or ``only`` these ids) marked as current.

    Returns the new record and one line per section whose record changed.  Marking
    the whole page also drops sections the source no longer has.
    """
    new: Record = {lang: {p: dict(s) for p, s in pages.items()} for lang, pages in record.items()}
    before = new.setdefault(language, {}).get(page, {})
    after = dict(before) if only else {}
    by_id = {s.id: s for s in source}
    changes = []
    for section in source:
        if only and section.id not in only:
            continue
        after[section.id] = section.digests
        old = before.get(section.id)
        if old is None:
            changes.append(f"§ {section.id}: marked (not recorded before)")
        elif old != section.digests:
            changed, removed = _difference(old, section.paragraphs)
            changes.append(f"§ {section.id}: marked (was {_behind(len(changed), removed)})")
    if not only:
        changes += [f"§ {gone}: dropped (no longer in the source)"
                    for gone in before if gone not in by_id]
    new[language][page] = after
    return new, changes


# --- status -------------------------------------------------------------------------------

def source_pages(docs_dir: Path, languages: Iterable[str]) -> list[str]:
    """The source pages under docs_dir ("people.md"), without the languages' own files."""
    suffixes = tuple(f".{language}.md" for language in languages)
    return sorted(p.relative_to(docs_dir).as_posix() for p in docs_dir.rglob("*.md")
                  if not p.name.endswith(suffixes))


def translation_of(page: str, language: str) -> str:
    """The file that translates a source page: people.md → people.en.md."""
    return f"{page[:-3]}.{language}.md"


def status(docs_dir: Path, shown_docs: str, languages: Sequence[str],
           slugify: Callable[[str], str], source_script: str, record: Record,
           all_languages: Sequence[str] = ()) -> list[PageState]:
    """Each translated page's state against its source, per language.

    ``languages``: the translated languages (English), where a page without a
    translation is untranslated, and the generated Chinese one, whose hand-written
    pages are tracked (a page without one is converted, not untranslated).
    ``all_languages``: every built language, to tell source pages from translations.
    """
    states = []
    for page in source_pages(docs_dir, set(all_languages) | set(languages)):
        source_shown = f"{shown_docs}/{page}"
        source_text = read_text(docs_dir / page, source_shown)
        source = sections(source_text, source_shown, slugify, source_script)
        for language in languages:
            name = translation_of(page, language)
            path = docs_dir / name
            recorded = record.get(language, {}).get(page)
            if not path.exists():
                if not is_chinese(language):
                    states.append(PageState(language, page, source_shown, None, recorded
                                            is not None))
                continue
            shown = f"{shown_docs}/{name}"
            translated = sections(read_text(path, shown), shown, slugify,
                                  language)
            states.append(_page_state(language, page, source_shown, shown, source, translated,
                                      recorded))
    return states


def _page_state(language: str, page: str, source_shown: str, shown: str, source: list[Section],
                translated: list[Section], recorded: dict[str, list[str]] | None) -> PageState:
    lines = {s.id: s.line for s in translated if s.id != META}
    found = []
    for section in source:
        line = lines.get(section.id)
        old = (recorded or {}).get(section.id)
        if old is None:
            found.append(SectionState(section, "unmarked", line))
        elif old == section.digests:
            found.append(SectionState(section, "current", line))
        else:
            changed, removed = _difference(old, section.paragraphs)
            found.append(SectionState(section, "changed", line, tuple(changed), removed))
    source_ids = {s.id for s in source}
    for gone in (recorded or {}):
        if gone not in source_ids:
            found.append(SectionState(Section(gone, "", 0, 1, (), frozenset()), "gone",
                                      lines.get(gone)))
    uncited = []
    if not is_chinese(language):
        by_id = {s.id: s for s in translated}
        for section in source:
            twin = by_id.get(section.id)
            if section.id == META or twin is None:
                continue
            for kpi in sorted(section.kpis - twin.kpis):
                line = next((p.line for p in section.paragraphs if kpi in p.text), section.line)
                uncited.append((section, kpi, line))
    return PageState(language, page, source_shown, shown, recorded is not None,
                     tuple(found), tuple(uncited))


def _difference(old: list[str], paragraphs: Sequence[Paragraph]) -> tuple[list[Paragraph], int]:
    """Source paragraphs not in the recorded digests, and how many recorded ones are gone.

    A changed paragraph is both new and gone; it is counted once, as changed.
    """
    left = collections.Counter(old)
    changed = []
    for paragraph in paragraphs:
        if left[paragraph.digest]:
            left[paragraph.digest] -= 1
        else:
            changed.append(paragraph)
    return changed, max(0, sum(left.values()) - len(changed))


def _behind(changed: int, removed: int) -> str:
    parts = []
    if changed:
        parts.append(f"{changed} paragraph{'s' if changed != 1 else ''} changed")
    if removed:
        parts.append(f"{removed} removed" if changed else
                     f"{removed} paragraph{'s' if removed != 1 else ''} removed")
    return ", ".join(parts) or "reordered"


# --- problems -----------------------------------------------------------------------------

def _mark_command(translation: str, section: str | None = None) -> str:
    return f"csr-kit translation mark {translation}" + (f" --section {section}" if section
                                                         else "")


def _update(language: str) -> str:
    return f"update the {CHINESE_TEXTS.get(script_of(language)) or language_name(language)}"


def to_problems(states: Sequence[PageState]) -> list[Problem]:
    """What a translator has to look at: warnings, never blocking a build."""
    problems = []
    for page in states:
        if page.translation is None:
            continue
        where = page.translation
        if not page.marked:
            problems.append(Problem(
                where, 1, f"no translation status recorded: which version of {page.source} "
                "this page translates is unknown",
                f"check it translates the source as it is now, then: "
                f"{_mark_command(where)}", "warning", "translation"))
        for state in page.sections if page.marked else ():
            section = state.section
            if state.state == "changed":
                paragraphs = "".join(f"\n    {page.source}:{p.line}: {_short(p.text)}"
                                     for p in state.changed)
                problems.append(Problem(
                    where, state.line or 1,
                    f"§ {section.id} translates an older {page.source}:{section.line} — "
                    f"{_behind(len(state.changed), state.removed)}{paragraphs}\n"
                    f"  fix: {_update(page.language)}, then: "
                    f"{_mark_command(where, section.id)}", severity="warning",
                    category="translation"))
            elif state.state == "unmarked":
                problems.append(Problem(
                    where, state.line or 1,
                    f"§ {section.id} ({page.source}:{section.line}) has no translation status "
                    "recorded — it is new in the source since the page was marked",
                    f"translate it, then: {_mark_command(where, section.id)}", "warning",
                    "translation"))
            elif state.state == "gone":
                problems.append(Problem(
                    where, state.line or 1,
                    f"§ {section.id} is recorded as translated, but {page.source} has no "
                    "such section any more",
                    f"bring the page in line with the source, then: {_mark_command(where)}",
                    "warning", "translation"))
        for section, kpi, line in page.uncited:
            twin_line = next((s.line for s in page.sections
                              if s.section.id == section.id and s.line), None)
            problems.append(Problem(
                where, twin_line or 1,
                f"§ {section.id} cites no {kpi}, which {page.source}:{line} cites",
                f"add {{{{kpi {kpi}}}}} where the translation gives that figure, if it should",
                "warning", "translation"))
    return problems


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
