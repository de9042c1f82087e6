"""The ``csr-kit`` command: build, serve, check and start next year's report.

It wraps MkDocs so that authors get one plain line per problem and never a
traceback for a mistake in their files.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

LINK_WARNING = re.compile(r"Doc file '([^']+)' contains (?:a link|an absolute link) '([^']+)'")


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _console(verbose: bool) -> logging.Handler:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s %(message)s"))
    handler.setLevel(logging.DEBUG if verbose else logging.INFO)
    return handler


def _with_line(message: str, docs_dir: str) -> str:
    """MkDocs' link warnings name the file but not the line: find the line."""
    m = LINK_WARNING.search(message)
    if not m:
        return message
    path = Path(docs_dir) / m.group(1)
    try:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if m.group(2) in line:
                return (f"docs/{m.group(1)}:{number}: the link '{m.group(2)}' points to a page or "
                        "section that does not exist — fix the file name or the #anchor")
    except OSError:
        pass
    return message


def _run_build(config_file: str, site_dir: Path, strict: bool, pdf: bool,
               verbose: bool = False) -> list[logging.LogRecord]:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    os.environ["CSR_KIT_PDF"] = "on" if pdf else "off"
    collector = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.setLevel(logging.INFO)
    console = _console(verbose)
    logger.addHandler(collector)
    logger.addHandler(console)
    try:
        config = load_config(config_file, site_dir=str(site_dir), strict=strict)
        build(config)
    finally:
        logger.removeHandler(collector)
        logger.removeHandler(console)
    return collector.records


def cmd_build(args: argparse.Namespace) -> int:
    from mkdocs.exceptions import Abort, ConfigurationError

    from .publish import build_then_swap

    site = Path(args.site_dir)
    try:
        build_then_swap(site, lambda staging: _run_build(args.config_file, staging, True,
                                                         not args.no_pdf, args.verbose))
    except (Abort, ConfigurationError) as err:
        print(f"\nThe build stopped: {err}", file=sys.stderr)
        print(f"Nothing was published; {site}/ still holds the last good build "
              "(if there was one).", file=sys.stderr)
        return 1
    print(f"\nPublished to {site}/ (both scripts" + ("" if args.no_pdf else " and the PDFs") + ").")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Data files first (each on its own), then a strict build without PDFs for the pages."""
    from mkdocs.exceptions import Abort, ConfigurationError

    from .checks import check_data

    problems = check_data(Path(args.config_file).resolve().parent)
    messages = [str(p) for p in problems]
    if not any(p.severity == "error" for p in problems):
        with tempfile.TemporaryDirectory(prefix="csr-check-") as folder:
            collector = _Collect()
            logging.getLogger("mkdocs").addHandler(collector)
            try:
                _run_build(args.config_file, Path(folder), True, False)
            except ConfigurationError as err:
                messages.append(f"mkdocs.yml: {err}")
            except Abort:
                pass
            finally:
                logging.getLogger("mkdocs").removeHandler(collector)
            messages += [_with_line(r.getMessage(), "docs") for r in collector.records]
    grouped: dict[str, list[str]] = defaultdict(list)
    for text in dict.fromkeys(messages):
        if text.startswith(("Aborted", "Error building", "Error reading")) or "problem(s) in" in text:
            continue
        grouped[text.split(":", 1)[0]].append(text)
    total = sum(len(v) for v in grouped.values())
    for path in sorted(grouped):
        print(f"\n{path} ({len(grouped[path])})")
        for text in grouped[path]:
            print(f"  {text}")
    if total:
        print(f"\n{total} problem(s) found. Fix them and run the check again.")
        return 1
    print("No problems found.")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from mkdocs.__main__ import cli

    # The PDF is for the release, not for every edit.
    os.environ["CSR_KIT_PDF"] = "off"
    sys.argv = ["mkdocs", "serve", "-f", args.config_file, "-a", args.dev_addr]
    try:
        cli(standalone_mode=False)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="csr-kit", description=__doc__)
    parser.add_argument("-f", "--config-file", default="mkdocs.yml")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build both scripts and the PDFs, publish only if all succeed")
    b.add_argument("-d", "--site-dir", default="site")
    b.add_argument("--no-pdf", action="store_true", help="skip the PDF editions")
    b.add_argument("-v", "--verbose", action="store_true")
    b.set_defaults(func=cmd_build)
    c = sub.add_parser("check", help="check every source file; publish nothing")
    c.set_defaults(func=cmd_check)
    s = sub.add_parser("serve", help="live preview while editing")
    s.add_argument("-a", "--dev-addr", default="127.0.0.1:8000")
    s.set_defaults(func=cmd_serve)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
