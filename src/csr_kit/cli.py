"""The ``csr-kit`` command: check, build, preview and start next year's report.

    csr-kit check      check every source file; publish nothing
    csr-kit build      build every edition and the PDFs; publish only if all succeeded
    csr-kit serve      live preview while editing (no PDF)
    csr-kit rollover   start next year's report from this year's
    csr-kit new        start a new organisation's report in a new folder
    csr-kit kpi        move the KPI figures to a spreadsheet and back
    csr-kit translation  which translated sections follow an older source; mark them updated

Authors get one plain line per problem, ``file:line: what is wrong — how to
fix it``, and never a traceback for a mistake in their files.  This module reads
the command line and prints; the builds and the problems they collect are
:mod:`csr_kit.runner`'s, the preview :mod:`csr_kit.preview`'s.  Nothing imports it.
"""

from __future__ import annotations

import argparse
import datetime
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import kpi_commands, rollover
from .checks import BUG_HINT, Project, static_checks
from .errors import Problem
from .new import FRAMEWORKS, SOURCES, KitInstallationError, NewReport, NewReportError, create
from .preview import Preview, parse_address
from .publish import PublishError, build_then_swap
from .runner import Outcome, check, format_problems, merge, only_warnings, run_mkdocs
from .translation import commands as translation_commands

# --- printing ---------------------------------------------------------------------------


def _print_outcome(outcome: Outcome, command: str) -> None:
    if outcome.problems:
        print(format_problems(outcome.problems, labelled=True, draft_hint=True))
        for note in outcome.notes:
            print(note)
        print(f"Fix them and run `csr-kit {command}` again.")


# --- commands ---------------------------------------------------------------------------


def review_line(review: dict[str, Any], site: str | None = None) -> str:
    """The conversion review's counts, for the person who checks the converted edition.

    ``site``: the folder the build published to; None after a check (no site was kept).
    """
    where = (f"read {site}{review['file']} before the final release" if site else
             f"read {review['file']} in the preview (`csr-kit serve`) or, after "
             f"`csr-kit build`, in site/{review['file']}, before publishing")
    return (f"Conversion review: {review['wording']} wording changes, {review['risky']} "
            f"one-to-many characters, {review['unconverted']} possible regional wordings left "
            f"unconverted ({review['hidden']} already reviewed) — {where}.")


def cmd_check(args: argparse.Namespace) -> int:
    outcome = check(args.config_file, build=not args.quick, verbose=args.verbose)
    if outcome.failed:
        _print_outcome(outcome, "check")
        return 1
    print("No problems found." + (" (Quick check: the pages were not test-built.)"
                                  if args.quick else ""))
    if outcome.review:
        print(review_line(outcome.review))
    _print_translation_status(args.config_file)
    return 0


def _print_translation_status(config_file: str) -> None:
    """Translations that follow an older source: listed, never blocking publication."""
    stale = translation_commands.status_problems(config_file)
    if stale:
        print("\nTranslation status (does not block publishing):")
        print(format_problems(stale, "translation note"))


def _site_dir(project: Project, given: str | None) -> Path:
    if given:
        return Path(given).resolve()
    value = (project.config or {}).get("site_dir") or "site"
    return (project.root / str(value)).resolve()


def cmd_build(args: argparse.Namespace) -> int:
    print("Checking the sources…", flush=True)
    static = static_checks(args.config_file)
    # Warnings (fixable later) only stop the build when it is strict, the default.
    if _blocking(static.problems, args.allow_warnings):
        _print_outcome(Outcome(static.problems, False), "build")
        print("Nothing was published.")
        _warnings_only_hint(static.problems, static.project)
        return 1
    project = static.project
    site = _site_dir(project, args.site_dir)
    what = "every edition" + ("" if args.no_pdf else " and the PDFs")
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
        _warnings_only_hint(result["outcome"].problems, project)
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
        print(review_line(result["outcome"].review, _shown_dir(project, site)))
    return 0


def _warnings_only_hint(problems: list[Problem], project: Project) -> None:
    """When only warnings stopped a strict build: say so, and how to publish a draft."""
    if not only_warnings(problems):
        return
    print("Only warnings stopped this build: `csr-kit build --allow-warnings` publishes "
          "with them (and lists them); fix them before the final release.")
    if (project.config or {}).get("strict") is False:
        print("(`strict: false` in mkdocs.yml applies to a plain `mkdocs build` only: "
              "`csr-kit build` and `make build` are always strict unless given "
              "--allow-warnings.)")


def _blocking(problems: list[Problem], allow_warnings: bool) -> list[Problem]:
    return [p for p in problems if p.severity == "error" or not allow_warnings]


class _BuildFailed(Exception):
    pass


def _shown_dir(project: Project, path: Path) -> str:
    return project.shown(path) + "/"


def cmd_serve(args: argparse.Namespace) -> int:
    try:
        host, port = parse_address(args.dev_addr)
    except ValueError:
        print(f"'{args.dev_addr}' is not an address — write it as 127.0.0.1:8000")
        return 2
    return Preview(Path(args.config_file), host, port, verbose=args.verbose).run()


def cmd_rollover(args: argparse.Namespace) -> int:
    return rollover.run(Path(args.config_file), to=args.to, dry_run=args.dry_run)


def _ask(prompt: str, default: str = "",
         wrong: Callable[[str], str | None] | None = None) -> str:
    """An answer typed in the terminal (the default if none); a wrong one is asked again,
    saying why. At the end of the input the default (or nothing) is the answer."""
    shown = f"{prompt} [{default}]: " if default else f"{prompt}: "
    while True:
        try:
            answer = input(shown).strip() or default
        except EOFError:
            print()
            return default
        problem = wrong(answer) if wrong else None
        if not problem:
            return answer
        print(f"  {problem} — try again.")


def _wrong_name(answer: str) -> str | None:
    return None if answer else "this cannot be empty"


def _wrong_source(answer: str) -> str | None:
    return None if answer in SOURCES else f"'{answer}' is not one of {', '.join(SOURCES)}"


def _wrong_year(answer: str) -> str | None:
    ok = answer.isdigit() and 1990 <= int(answer) <= 2100
    return None if ok else f"'{answer}' is not a report year (e.g. 2025)"


def _wrong_frameworks(answer: str) -> str | None:
    unknown = [f.strip() for f in answer.split(",") if f.strip() and f.strip() not in FRAMEWORKS]
    return (f"unknown framework(s) {', '.join(unknown)}: choose from {', '.join(FRAMEWORKS)}"
            if unknown else None)


def _wrong_yes_no(answer: str) -> str | None:
    return None if answer.lower() in ("y", "yes", "n", "no") else "answer y or n"


def cmd_new(args: argparse.Namespace) -> int:
    interactive = sys.stdin.isatty() and not args.no_input
    organisation, title, year = args.organisation, args.title, args.year
    source, frameworks = args.source, args.frameworks
    if interactive:
        organisation = organisation or _ask("Organisation (as written in the report)",
                                            wrong=_wrong_name)
        source = source or _ask(f"Source script ({' / '.join(SOURCES)})", "zh-Hant-HK",
                                _wrong_source)
        year = year or _ask("Report year", str(datetime.date.today().year - 1), _wrong_year)
        default_title = (f"{year} 年度可持續發展報告" if source != "zh-Hans"
                         else f"{year} 年度可持续发展报告")
        title = title or _ask("Report title", default_title)
        frameworks = frameworks or _ask(f"Frameworks ({', '.join(FRAMEWORKS)})", "gri,hkex",
                                        _wrong_frameworks)
        if not args.english:
            args.english = _ask("English edition too? (y/N)", "n",
                                _wrong_yes_no).lower().startswith("y")
        if args.english:
            args.organisation_en = args.organisation_en or _ask("Organisation (English)",
                                                                wrong=_wrong_name)
            args.title_en = args.title_en or _ask("Report title (English)", wrong=_wrong_name)
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
    except KitInstallationError as err:
        print(f"csr-kit new: {err}\nNothing was written.")
        return 1
    print(f"Wrote {len(files)} files to {folder}/. Next:")
    print(f"  cd {folder}")
    print("  make setup   (once: the kit's wheel goes in wheels/, see README.md)")
    print("  make serve   (preview)  ·  make check  ·  make build")
    return 0


def cmd_kpi_export(args: argparse.Namespace) -> int:
    return kpi_commands.export_command(Path(args.config_file), Path(args.spreadsheet))


def cmd_kpi_import(args: argparse.Namespace) -> int:
    return kpi_commands.import_command(Path(args.config_file), Path(args.spreadsheet),
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
    b = sub.add_parser("build", help="build every edition and the PDFs; publish only if all "
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
                   help="an English edition too (give --organisation-en and --title-en)")
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
    translation_commands.add_parser(sub)
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
        return code
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
