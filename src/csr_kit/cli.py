"""The ``csr-kit`` command: check, build, preview and start next year's report.

    csr-kit check      check every source file; publish nothing
    csr-kit build      build both scripts and the PDFs; publish only if all succeeded
    csr-kit serve      live preview while editing (no PDF)
    csr-kit rollover   start next year's report from this year's
    csr-kit new        start a new organisation's report in a new folder
    csr-kit kpi        move the KPI figures to a spreadsheet and back

It wraps MkDocs so that authors get one plain line per problem,
``file:line: what is wrong — how to fix it``, and never a traceback for a
mistake in their files.
"""

from __future__ import annotations

import argparse
import datetime
import logging
import os
import posixpath
import re
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

from .checks import (BUG_HINT, Project, missing_anchor, missing_link_target,  # noqa: E402
                     sort_key, static_checks)
from .errors import Problem  # noqa: E402

# --- MkDocs' own messages, reworded -----------------------------------------------------

# 'file:line: what — fix' (or 'file: what — fix') as the csr plugins log it.
_REPORTED = re.compile(r"^(?P<path>[^\s:'\"]*(?:/|\.\w{2,4})):(?:(?P<line>\d+):)? (?P<rest>.*)$",
                       re.S)
_LINK_NOT_FOUND = re.compile(r"^Doc file '(?P<page>[^']+)' contains a link '(?P<target>[^']+)', "
                             r"but the target .*is not found among documentation files")
_ANCHOR = re.compile(r"^Doc file '(?P<page>[^']+)' contains a link '(?P<target>[^']+)', but "
                     r"(?:there is no such anchor on this page|the doc '[^']+' does not contain "
                     r"an anchor)")
_EXCLUDED = re.compile(r"^Doc file '(?P<page>[^']+)' contains a link to '(?P<target>[^']+)' "
                       r"which is excluded")
_PAGE_ERROR = re.compile(r"^Error (?:reading|building) page '(?P<page>[^']+)':\s*(?P<rest>.*)$",
                         re.S)
_CONFIG_VALUE = re.compile(r"^Config value '(?P<key>[^']+)': (?P<rest>.*)$", re.S)
_SUMMARIES = ("Aborted with", "Error building", "Error reading", "An error happened")
_SUMMARY_TAIL = re.compile(r"\d+ problem\(s\) in .*listed above")
_NAV_NOT_FOUND = re.compile(r"A reference to '[^']*' is included in the 'nav' configuration")


@dataclass
class Outcome:
    """What a check or a build found."""

    problems: list[Problem] = field(default_factory=list)
    ok: bool = True
    notes: list[str] = field(default_factory=list)
    review: Optional[dict] = None  # the conversion review's counts (csr-convert)

    @property
    def failed(self) -> bool:
        return not self.ok or bool(self.problems)


def _line_of_text(path: Path, needle: str) -> Optional[int]:
    """The first line of ``path`` containing ``needle`` (to place MkDocs' messages)."""
    try:
        lines = path.read_text(encoding="utf-8-sig", errors="replace").splitlines()
    except OSError:
        return None
    for patterns in ((f"]({needle}", f"({needle})", f"\"{needle}\"", f"'{needle}'"), (needle,)):
        for number, line in enumerate(lines, 1):
            if any(p in line for p in patterns):
                return number
    return None


def _split(rest: str) -> tuple[str, str]:
    what, _, how = rest.partition(" — ")
    return what.strip(), how.strip()


def problem_from_message(project: Project, text: str, level: int) -> Optional[Problem]:
    """One logged message as a Problem (None for summaries that repeat what was said)."""
    text = text.strip()
    severity = "error" if level >= logging.ERROR else "warning"
    if not text or text.startswith(_SUMMARIES) or _SUMMARY_TAIL.search(text):
        if m := _PAGE_ERROR.match(text):
            page = _page_path(project, m.group("page"))
            return Problem(page, None, f"csr-kit could not process this page "
                           f"({m.group('rest').strip() or 'unknown error'})", BUG_HINT)
        return None
    if _NAV_NOT_FOUND.search(text):
        return None  # the menu check reports it with its line in mkdocs.yml
    if m := _REPORTED.match(text):
        what, how = _split(m.group("rest"))
        line = int(m.group("line")) if m.group("line") else None
        return Problem(m.group("path"), line, what, how, severity)
    docs = project.docs_dir
    if m := _ANCHOR.match(text):
        page, target = m.group("page"), m.group("target")
        return missing_anchor(_page_path(project, page), _line_of_text(docs / page, target), target)
    if m := _LINK_NOT_FOUND.match(text):
        page, target = m.group("page"), m.group("target")
        line = _line_of_text(docs / page, target)
        if urlsplit_path(target).lower().endswith(".md"):
            return missing_link_target(_page_path(project, page), line, target)
        if re.search(r"\.(png|jpe?g|gif|svg|webp)$", urlsplit_path(target), re.I):
            return Problem(_page_path(project, page), line,
                           f"the image '{target}' does not exist",
                           "check the file name and that the image is in the docs folder "
                           "(paths are relative to this page's folder)", category="links")
        return Problem(_page_path(project, page), line,
                       f"the link '{target}' points to a file that does not exist",
                       "check the file name (paths are relative to this page's folder)",
                       category="links")
    if m := _EXCLUDED.match(text):
        page, target = m.group("page"), m.group("target")
        return Problem(_page_path(project, page), _line_of_text(docs / page, target),
                       f"the link '{target}' points to a page left out of the site",
                       "link to another page, or include that page", category="links")
    if m := _CONFIG_VALUE.match(text):
        key = m.group("key")
        line = project.lines.get(tuple(key.split("."))) or project.lines.get((key,))
        return Problem(project.config_shown, line, f"the setting '{key}' is wrong: "
                       f"{m.group('rest').strip()}", "fix it in mkdocs.yml", category="config")
    if text.startswith("Doc file '"):
        page = text[len("Doc file '"):].split("'", 1)[0]
        return Problem(_page_path(project, page), None, text, "", severity)
    return Problem("mkdocs", None, text, "", severity, category="other")


def urlsplit_path(target: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(target).path


def _page_path(project: Project, src_uri: str) -> str:
    return posixpath.join(project.shown(project.docs_dir), src_uri)


# --- running MkDocs ---------------------------------------------------------------------


class _Collect(logging.Handler):
    """Warnings and errors, and the conversion review's counts (passed as a record field)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []
        self.review: Optional[dict] = None

    def emit(self, record: logging.LogRecord) -> None:
        if isinstance(getattr(record, "csr_review", None), dict):
            self.review = record.csr_review
        if record.levelno >= logging.WARNING:
            self.records.append(record)


def _console(verbose: bool) -> logging.Handler:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s %(message)s"))
    handler.setLevel(logging.DEBUG if verbose else logging.INFO)
    return handler


def run_mkdocs(project: Project, site_dir: Path, *, strict: bool, pdf: bool,
               verbose: bool = False, serve_url: Optional[str] = None) -> Outcome:
    """A real MkDocs build, its messages collected as Problems; never raises for input errors."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError, MkDocsException

    os.environ["CSR_KIT_PDF"] = "on" if pdf else "off"
    _quiet_jieba()
    collector = _Collect()
    logger = logging.getLogger("mkdocs")
    old_level, old_propagate = logger.level, logger.propagate
    logger.setLevel(logging.DEBUG if verbose else logging.INFO)
    logger.propagate = False
    handlers: list[logging.Handler] = [collector]
    if verbose:
        handlers.append(_console(True))
    for handler in handlers:
        logger.addHandler(handler)
    outcome = Outcome()
    config = None
    try:
        config = load_config(str(project.config_file), site_dir=str(site_dir), strict=strict)
        if config.validation.links.anchors < logging.WARNING:
            # A link to a section that does not exist is as broken as a link to a missing page.
            config.validation.links.anchors = logging.WARNING
        if serve_url:
            config.site_url = serve_url
        config.plugins.on_startup(command="serve" if serve_url else "build", dirty=False)
        build(config, serve_url=serve_url)
    except (Abort, ConfigurationError, MkDocsException) as err:
        outcome.ok = False
        if not collector.records:
            outcome.problems.append(Problem(project.config_shown, None, str(err).strip(),
                                            "fix the setting named in the message"))
    except Exception as err:  # noqa: BLE001 - authors get a plain line, never a traceback
        outcome.ok = False
        where = _where(collector.records) or "mkdocs"
        outcome.problems.append(Problem(where, None, "csr-kit stopped unexpectedly "
                                        f"({type(err).__name__}: {err})", BUG_HINT))
        if verbose:
            import traceback

            traceback.print_exc()
    finally:
        if config is not None:
            try:
                config.plugins.on_shutdown()
            except Exception:  # noqa: BLE001
                pass
        for handler in handlers:
            logger.removeHandler(handler)
        logger.setLevel(old_level)
        logger.propagate = old_propagate
    for record in collector.records:
        problem = problem_from_message(project, record.getMessage(), record.levelno)
        if problem is not None:
            outcome.problems.append(problem)
    outcome.review = collector.review
    return outcome


def _quiet_jieba() -> None:
    """jieba (Chinese word splitting for search) announces its dictionary on stderr."""
    try:
        import jieba

        jieba.setLogLevel(logging.WARNING)
    except Exception:  # noqa: BLE001 - search without jieba is the theme's business
        pass


def _where(records: Iterable[logging.LogRecord]) -> Optional[str]:
    for record in records:
        if m := _PAGE_ERROR.match(record.getMessage()):
            return "docs/" + m.group("page")
    return None


def merge(static: list[Problem], built: list[Problem]) -> list[Problem]:
    """One list without repeats: the static checks place links and images most precisely."""
    seen_static = {(p.path, p.message) for p in static if p.category in ("links", "accessibility")}
    result: dict[str, Problem] = {}
    for p in static + built:
        if p in static or (p.path, p.message) not in seen_static:
            result.setdefault(str(p), p)
    return list(result.values())


def check(config_file: str | Path, *, build: bool = True, verbose: bool = False) -> Outcome:
    """Everything ``csr-kit check`` reports, without publishing anything."""
    static = static_checks(config_file)
    outcome = Outcome(list(static.problems), not static.blocking)
    if static.blocking:
        outcome.notes.append("The pages' KPI figures, framework tags, conversion markup and "
                             "links are checked once the problems above are fixed.")
        return outcome
    if build:
        with tempfile.TemporaryDirectory(prefix="csr-check-") as folder:
            built = run_mkdocs(static.project, Path(folder) / "site", strict=True, pdf=False,
                               verbose=verbose)
        outcome.problems = merge(static.problems, built.problems)
        outcome.ok = built.ok
        outcome.review = built.review
        if not built.ok and not outcome.problems:
            outcome.problems.append(Problem(static.project.config_shown, None,
                                            "the test build failed without saying why",
                                            "run csr-kit check -v to see MkDocs' messages"))
    return outcome


# --- printing ---------------------------------------------------------------------------


def _group_order(path: str) -> tuple:
    if path.endswith(("mkdocs.yml", "mkdocs.yaml")):
        return (0, path)
    if path.startswith("data/") or path.startswith("data\\"):
        return (1, path)
    if path == "mkdocs":
        return (3, path)
    return (2, path)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' if number != 1 else ''}"


def format_problems(problems: list[Problem], noun: str = "problem") -> str:
    """Problems grouped by file, one line each, counted."""
    grouped: dict[str, list[Problem]] = defaultdict(list)
    for p in problems:
        grouped[p.path].append(p)
    out = []
    for path in sorted(grouped, key=_group_order):
        items = sorted(grouped[path], key=sort_key)
        out.append(f"{path} — {_count(len(items), noun)}")
        out.extend(str(p) for p in items)
        out.append("")
    out.append(f"{_count(len(problems), noun)} in {_count(len(grouped), 'file')}.")
    return "\n".join(out)


def _print_outcome(outcome: Outcome, command: str) -> None:
    if outcome.problems:
        print(format_problems(outcome.problems))
        for note in outcome.notes:
            print(note)
        print(f"Fix them and run `csr-kit {command}` again.")


# --- commands ---------------------------------------------------------------------------


def review_line(review: dict) -> str:
    """The conversion review's counts, for the person who checks the converted edition."""
    return (f"Conversion review: {review['wording']} wording changes, {review['risky']} "
            f"one-to-many characters, {review['unconverted']} possible regional wordings left "
            f"unconverted ({review['hidden']} already reviewed) — read {review['file']} in the built site "
            "before publishing.")


def cmd_check(args: argparse.Namespace) -> int:
    outcome = check(args.config_file, build=not args.quick, verbose=args.verbose)
    if outcome.failed:
        _print_outcome(outcome, "check")
        return 1
    print("No problems found." + (" (Quick check: the pages were not test-built.)"
                                  if args.quick else ""))
    if outcome.review:
        print(review_line(outcome.review))
    return 0


def _site_dir(project: Project, given: Optional[str]) -> Path:
    if given:
        return Path(given).resolve()
    value = (project.config or {}).get("site_dir") or "site"
    return (project.root / str(value)).resolve()


def cmd_build(args: argparse.Namespace) -> int:
    from .publish import PublishError, build_then_swap

    print("Checking the sources…", flush=True)
    static = static_checks(args.config_file)
    # Warnings (fixable later) only stop the build when it is strict, the default.
    if _blocking(static.problems, args.allow_warnings):
        _print_outcome(Outcome(static.problems, False), "build")
        print("Nothing was published.")
        return 1
    project = static.project
    site = _site_dir(project, args.site_dir)
    what = "both scripts" + ("" if args.no_pdf else " and the PDFs")
    print(f"Building {what} in a temporary folder…", flush=True)
    result: dict[str, Outcome] = {}

    def build_into(staging: Path) -> None:
        outcome = run_mkdocs(project, staging, strict=not args.allow_warnings,
                             pdf=not args.no_pdf, verbose=args.verbose)
        outcome.problems = merge(static.problems, outcome.problems)
        result["outcome"] = outcome
        if not outcome.ok or _blocking(outcome.problems, args.allow_warnings):
            raise _BuildFailed()
        if not (staging / "index.html").is_file():
            outcome.ok = False
            outcome.problems.append(Problem(project.config_shown, None,
                                            "the build made no home page (index.html)",
                                            "add docs/index.md"))
            raise _BuildFailed()

    protect = [project.docs_dir, project.root / "data", project.config_file,
               project.root / "overrides", project.root / "src"]
    try:
        build_then_swap(site, build_into, protect=protect)
    except _BuildFailed:
        _print_outcome(result["outcome"], "build")
        print(f"Nothing was published: {_shown_dir(project, site)} still holds the last good "
              "build (if there was one).")
        return 1
    except PublishError as err:
        print(f"{err}\nNothing was published.")
        return 1
    except KeyboardInterrupt:
        print(f"\nStopped. Nothing was published: {_shown_dir(project, site)} is unchanged.")
        return 130
    warnings = result["outcome"].problems
    if warnings:
        print(format_problems(warnings, "warning"))
        print("Published with these warnings: fix them before the final release "
              "(`csr-kit build` without --allow-warnings refuses them).")
    print(f"Published {what} to {_shown_dir(project, site)}.")
    if result["outcome"].review:
        print(review_line(result["outcome"].review))
    return 0


def _blocking(problems: list[Problem], allow_warnings: bool) -> list[Problem]:
    return [p for p in problems if p.severity == "error" or not allow_warnings]


class _BuildFailed(Exception):
    pass


def _shown_dir(project: Project, path: Path) -> str:
    return project.shown(path) + "/"


def cmd_serve(args: argparse.Namespace) -> int:
    from .preview import Preview, parse_address

    try:
        host, port = parse_address(args.dev_addr)
    except ValueError:
        print(f"'{args.dev_addr}' is not an address — write it as 127.0.0.1:8000")
        return 2
    return Preview(Path(args.config_file), host, port, verbose=args.verbose).run()


def cmd_rollover(args: argparse.Namespace) -> int:
    from . import rollover

    return rollover.run(Path(args.config_file), to=args.to, dry_run=args.dry_run)


def _ask(prompt: str, default: str = "") -> str:
    shown = f"{prompt} [{default}]: " if default else f"{prompt}: "
    answer = input(shown).strip()
    return answer or default


def cmd_new(args: argparse.Namespace) -> int:
    from .new import FRAMEWORKS, SOURCES, NewReport, NewReportError, create

    interactive = sys.stdin.isatty() and not args.no_input
    organisation, title, year = args.organisation, args.title, args.year
    source, frameworks = args.source, args.frameworks
    if interactive:
        organisation = organisation or _ask("Organisation (as written in the report)")
        source = source or _ask(f"Source script ({' / '.join(SOURCES)})", "zh-Hant-HK")
        year = year or _ask("Report year", str(datetime.date.today().year - 1))
        default_title = (f"{year} 年度可持續發展報告" if source != "zh-Hans"
                         else f"{year} 年度可持续发展报告")
        title = title or _ask("Report title", default_title)
        frameworks = frameworks or _ask(f"Frameworks ({', '.join(FRAMEWORKS)})", "gri,hkex")
        if not args.english:
            args.english = _ask("English edition too? (y/N)", "n").lower().startswith("y")
    source = source or "zh-Hant-HK"
    frameworks = frameworks if frameworks is not None else "gri,hkex"
    try:
        year_number = int(year) if year else 0
    except ValueError:
        year_number = 0
    if not title and year_number:
        title = (f"{year_number} 年度可持續發展報告" if source != "zh-Hans"
                 else f"{year_number} 年度可持续发展报告")
    report = NewReport(organisation=organisation or "", title=title or "", year=year_number,
                       source=source,
                       frameworks=[f.strip() for f in frameworks.split(",") if f.strip()],
                       english=args.english, organisation_en=args.organisation_en or "",
                       title_en=args.title_en or "", file_stem=args.file_stem)
    folder = Path(args.folder)
    try:
        files = create(folder, report)
    except NewReportError as err:
        for line in str(err).splitlines():
            print(f"csr-kit new: {line}")
        print("Nothing was written.")
        return 2
    print(f"Wrote {len(files)} files to {folder}/. Next:")
    print(f"  cd {folder}")
    print("  make setup   (once: the kit's wheel goes in wheels/, see README.md)")
    print("  make serve   (preview)  ·  make check  ·  make build")
    return 0


def cmd_kpi_export(args: argparse.Namespace) -> int:
    from .kpi import spreadsheet

    return spreadsheet.export_command(Path(args.config_file), Path(args.spreadsheet))


def cmd_kpi_import(args: argparse.Namespace) -> int:
    from .kpi import spreadsheet

    return spreadsheet.import_command(Path(args.config_file), Path(args.spreadsheet),
                                      dry_run=args.dry_run)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="csr-kit", description="Start, check, build, preview and roll over a csr-kit "
                                    "report.",
        epilog="Run a command with -h for its options, e.g. csr-kit build -h.")
    parser.add_argument("-f", "--config-file", default="mkdocs.yml",
                        help="the report's mkdocs.yml (default: the one in this folder)")
    parser.add_argument("--debug", action="store_true",
                        help="show Python's details if csr-kit itself fails")
    sub = parser.add_subparsers(dest="command", required=True, metavar="command")
    c = sub.add_parser("check", help="check every source file; publish nothing")
    c.add_argument("--quick", action="store_true",
                   help="only the checks that need no test build (data, headers, menu, links)")
    c.add_argument("-v", "--verbose", action="store_true", help="show MkDocs' own messages")
    c.set_defaults(func=cmd_check)
    b = sub.add_parser("build", help="build both scripts and the PDFs; publish only if all "
                                     "succeeded")
    b.add_argument("-d", "--site-dir", default=None,
                   help="where to publish (default: site_dir in mkdocs.yml, else site/)")
    b.add_argument("--no-pdf", action="store_true", help="skip the PDF editions")
    b.add_argument("--allow-warnings", action="store_true",
                   help="publish even with warnings (problems that can be fixed later); "
                        "errors still stop the build")
    b.add_argument("-v", "--verbose", action="store_true", help="show MkDocs' own messages")
    b.set_defaults(func=cmd_build)
    s = sub.add_parser("serve", help="live preview while editing (no PDF)")
    s.add_argument("-a", "--dev-addr", default="127.0.0.1:8000", help="address and port")
    s.add_argument("-v", "--verbose", action="store_true", help="show MkDocs' own messages")
    s.set_defaults(func=cmd_serve)
    r = sub.add_parser("rollover", help="start next year's report from this year's")
    r.add_argument("--to", default=None,
                   help="the new reporting period's name (default: this year's plus one)")
    r.add_argument("--dry-run", action="store_true", help="show what would change; change nothing")
    r.set_defaults(func=cmd_rollover)
    n = sub.add_parser("new", help="start a new organisation's report in a new folder",
                       description="Write a new report repository (asks for what is not given "
                                   "as an option when run in a terminal).")
    n.add_argument("folder", help="the new report's folder (must not exist or be empty)")
    n.add_argument("--organisation", help="the organisation's name, in the source script")
    n.add_argument("--title", help="the report's title (default: <year> 年度可持續發展報告)")
    n.add_argument("--year", help="the reporting year, e.g. 2025")
    n.add_argument("--source", choices=["zh-Hant-HK", "zh-Hans", "zh-Hant-TW"],
                   help="the script the pages are written in (default zh-Hant-HK)")
    n.add_argument("--frameworks", help="comma-separated: gri,hkex,iso26000,sdg "
                                        "(default gri,hkex)")
    n.add_argument("--organisation-en", help="the organisation's English name (optional)")
    n.add_argument("--title-en", help="the report's English title (optional)")
    n.add_argument("--file-stem", default="report",
                   help="start of the PDF file names, e.g. acme-csr (default report)")
    n.add_argument("--english", action="store_true",
                   help="an English edition too (not supported yet: refused with a message)")
    n.add_argument("--no-input", action="store_true", help="never ask; use the options only")
    n.set_defaults(func=cmd_new)
    k = sub.add_parser("kpi", help="move the KPI figures to a spreadsheet and back")
    ksub = k.add_subparsers(dest="kpi_command", required=True, metavar="action")
    ke = ksub.add_parser("export", help="write data/kpis.yml's figures to a spreadsheet "
                                        "(.xlsx or .csv) for departments to fill in")
    ke.add_argument("spreadsheet", help="the file to write, e.g. data/kpis.xlsx")
    ke.set_defaults(func=cmd_kpi_export)
    ki = ksub.add_parser("import", help="read a filled-in spreadsheet back into data/kpis.yml "
                                        "and show what changed")
    ki.add_argument("spreadsheet", help="the spreadsheet, e.g. data/kpis.xlsx")
    ki.add_argument("--dry-run", action="store_true", help="show the changes; write nothing")
    ki.set_defaults(func=cmd_kpi_import)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("\nStopped.", file=sys.stderr)
        return 130
    except Exception as err:  # noqa: BLE001 - never a traceback for authors
        if args.debug:
            raise
        print(f"csr-kit stopped unexpectedly ({type(err).__name__}: {err}) — {BUG_HINT} "
              "(run it again with --debug for the details)", file=sys.stderr)
        return 70


if __name__ == "__main__":
    sys.exit(main())
