"""``csr-kit translation status`` and ``csr-kit translation mark``; the status for ``check``.

    csr-kit translation status                 which translated sections follow an older source
    csr-kit translation mark docs/people.en.md [--section ID]…
                                               record that they follow the source as it is now

The record is ``data/translations.yml`` (csr-translation's ``status`` option).  Hand-written
pages of the generated Chinese script (``page.zh-Hans.md``) are tracked like translations.
"""

from __future__ import annotations

import argparse
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..checks import Project, load_project
from ..datafile import read_text
from ..errors import Problem, SourceError, SourceErrors
from ..text import is_chinese, script_of
from . import sections, status


@dataclass
class Settings:
    """What the commands need from mkdocs.yml."""

    project: Project
    docs_dir: Path
    shown_docs: str
    source_script: str
    tracked: list[str]  # translated languages and the generated Chinese one
    all_languages: list[str]
    record_path: Path
    record_shown: str
    slugify: Callable[[str], str]


def add_parser(subparsers: Any) -> None:
    """The ``translation`` command and its actions, on the CLI's subparsers."""
    parser = subparsers.add_parser(
        "translation", help="which translated sections follow an older source; mark them "
                            "as up to date")
    actions = parser.add_subparsers(dest="translation_command", required=True, metavar="action")
    shown = actions.add_parser("status", help="list translated pages and sections whose "
                                              "source changed since they were marked")
    shown.set_defaults(func=run)
    mark = actions.add_parser("mark", help="record that a translated page (or some of its "
                                           "sections) follows its source as it is now")
    mark.add_argument("page", help="the translated page, e.g. docs/people.en.md "
                                   "(or a hand-written docs/people.zh-Hans.md)")
    mark.add_argument("--section", action="append", default=[], metavar="ID",
                      help="mark only this section (its id, as in the status list); repeat "
                           "for several")
    mark.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    settings, problems = _settings(Path(args.config_file))
    if settings is None:
        for problem in problems:
            print(problem)
        return 1
    try:
        if args.translation_command == "mark":
            return _mark(settings, args.page, list(args.section or []))
        return _status(settings)
    except (SourceError, SourceErrors) as err:  # a page or the record cannot be read
        for problem in [err.problem] if isinstance(err, SourceError) else err.problems:
            print(problem)
        return 1


def status_problems(config_file: str | Path) -> list[Problem]:
    """The translation status as problems (warnings), for ``csr-kit check``'s block."""
    settings, problems = _settings(Path(config_file))
    if settings is None:  # mkdocs.yml's own problems are check's to report, not repeated here
        return [p for p in problems if p.category == "translation"]
    if not settings.tracked:
        return []
    try:
        record, problems = status.load_record(settings.record_path, settings.record_shown)
        return problems + status.to_problems(_states(settings, record))
    except SourceError as err:  # a page or the record cannot be read (an encoding)
        return [err.problem]
    except SourceErrors as err:
        return err.problems


# --- settings ------------------------------------------------------------------------------

def _settings(config_file: Path) -> tuple[Settings | None, list[Problem]]:
    project, problems = load_project(config_file)
    if project.config is None or any(p.severity == "error" for p in problems):
        return None, problems or [Problem(project.config_shown, None,
                                          "mkdocs.yml cannot be read",
                                          "run csr-kit check for the details")]
    source_script = project.source_script()
    built = _built_languages(project)
    generated = next((lang for lang in built
                      if is_chinese(lang) and script_of(lang) != source_script), None)
    tracked = [lang for lang in built if not is_chinese(lang)] + ([generated] if generated
                                                                   else [])
    options = project.plugin_options("csr-translation") or {}
    record = str(options.get("status") or "data/translations.yml")
    slugify, problem = _slugify(project)
    if slugify is None:
        return None, [problem] if problem else []
    return Settings(project, project.docs_dir, project.shown(project.docs_dir), source_script,
                    tracked, built, project.root / record, record, slugify), []


def _built_languages(project: Project) -> list[str]:
    options = project.plugin_options("i18n") or {}
    languages = options.get("languages") if isinstance(options, dict) else None
    return [str(entry["locale"]) for entry in languages or []
            if isinstance(entry, dict) and entry.get("locale") and entry.get("build") is not False]


def _slugify(project: Project) -> tuple[Callable[[str], str] | None, Problem | None]:
    """Heading ids as the site makes them: the toc extension's slugify from mkdocs.yml."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import ConfigurationError

    from ..mkdocs.context import heading_slugify

    logger = logging.getLogger("mkdocs")
    level = logger.level
    logger.setLevel(logging.ERROR)  # the build reports mkdocs.yml's warnings, not this
    try:
        config = load_config(str(project.config_file))
    except (ConfigurationError, OSError) as err:
        return None, Problem(project.config_shown, None,
                             f"the translation status needs mkdocs.yml, which cannot be read: "
                             f"{err}", "run csr-kit check for the details",
                             category="translation")
    finally:
        logger.setLevel(level)
    return heading_slugify(config), None


def _states(settings: Settings, record: status.Record) -> list[status.PageState]:
    return status.status(settings.docs_dir, settings.shown_docs, settings.tracked,
                         settings.slugify, settings.source_script, record,
                         settings.all_languages)


# --- status --------------------------------------------------------------------------------

def _status(settings: Settings) -> int:
    if not settings.tracked:
        print("No translated edition is built (no English in the i18n languages of "
              "mkdocs.yml) and no hand-written page of the other Chinese script.")
        return 0
    record, problems = status.load_record(settings.record_path, settings.record_shown)
    states = _states(settings, record)
    problems += status.to_problems(states)
    for problem in problems:
        print(problem)
    if problems:
        print()
    rows = [("Page", "Language", "Current", "Stale", "Unmarked")]
    for page in states:
        if page.translation is None:
            continue
        stale = page.count("changed") + page.count("gone")
        unmarked = page.count("unmarked") if page.marked else len(page.sections)
        rows.append((page.translation, page.language,
                     str(page.count("current") if page.marked else 0), str(stale),
                     str(unmarked)))
    if len(rows) > 1:
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        for row in rows:
            print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
                  .rstrip())
    else:
        print("No translated pages yet.")
    untranslated: dict[str, list[str]] = {}
    for page in states:
        if page.translation is None:
            untranslated.setdefault(page.language, []).append(page.source)
    for language, pages in untranslated.items():
        print(f"Not yet translated ({language}, {len(pages)}): {', '.join(pages)}")
    if not problems:
        print("Every translated section follows its source as it is now.")
    return 0


# --- mark ----------------------------------------------------------------------------------

def _mark(settings: Settings, given: str, only: list[str]) -> int:
    path = _page_path(settings, given)
    languages = sorted(settings.tracked, key=len, reverse=True)
    language = next((lang for lang in languages if path.name.endswith(f".{lang}.md")), None)
    try:
        relative = path.relative_to(settings.docs_dir.resolve()).as_posix()
    except ValueError:
        relative = None
    if language is None or relative is None or not path.is_file():
        suffixes = " or ".join(f".{lang}.md" for lang in settings.tracked) or ".en.md"
        example = f"{settings.shown_docs}/index.{(settings.tracked or ['en'])[0]}.md"
        print(f"{given}: not a translated page of this report — give a file under "
              f"{settings.shown_docs}/ ending in {suffixes}, e.g. "
              f"csr-kit translation mark {example}")
        return 2
    page = relative[: -len(f".{language}.md")] + ".md"
    source_path = settings.docs_dir / page
    shown = f"{settings.shown_docs}/{relative}"
    source_shown = f"{settings.shown_docs}/{page}"
    if not source_path.is_file():
        print(f"{shown}: there is no source page {source_shown} for it to translate — "
              "name the translation after its source page")
        return 2
    source = sections.sections(read_text(source_path, source_shown), source_shown,
                               settings.slugify, settings.source_script)
    ids = [s.id for s in source]
    unknown = [s for s in only if s not in ids]
    if unknown:
        print(f"{source_shown} has no section {', '.join(repr(u) for u in unknown)} — its "
              f"sections are: {', '.join(ids)}")
        return 2
    record, problems = status.load_record(settings.record_path, settings.record_shown)
    if problems:
        for problem in problems:
            print(problem)
        print("Nothing was marked.")
        return 1
    new, changes = status.mark(record, language, page, source, only)
    if new == record:
        print(f"{shown}: already recorded as following {source_shown} as it is now; "
              f"{settings.record_shown} is unchanged.")
        return 0
    settings.record_path.parent.mkdir(parents=True, exist_ok=True)
    settings.record_path.write_text(status.dump_record(new), encoding="utf-8")
    what = f"{len(only)} section{'s' if len(only) != 1 else ''}" if only else "every section"
    print(f"{shown}: {what} recorded as following {source_shown} as it is now "
          f"(in {settings.record_shown}):")
    for change in changes:
        print(f"  {change}")
    return 0


def _page_path(settings: Settings, given: str) -> Path:
    """The page from the report's folder (as `csr-kit check` names it), else as given."""
    path = Path(given)
    if not path.is_absolute() and (settings.project.root / given).exists():
        path = settings.project.root / given
    return path.resolve()
