"""Runs a MkDocs build and collects the authors' problems.

``csr-kit check``, ``csr-kit build`` and the live preview build a report through
:func:`run_mkdocs`: a real MkDocs build whose log records become
:class:`~csr_kit.errors.Problem` objects.  The csr-kit plugins log each problem
with the object itself attached (``record.csr_problem``, see
``csr_kit.mkdocs.common.Reporter``), which is taken as is.  Only the messages of
MkDocs and of the other packages are plain text; :func:`problem_from_mkdocs_message`
rewords those ("Doc file 'x.md' contains a link …") into the same one-line form,
``file:line: what is wrong — how to fix it``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import posixpath
import re
import sys
import tempfile
import traceback
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError, MkDocsException

from .checks import BUG_HINT, Project, missing_anchor, missing_link_target, sort_key, static_checks
from .errors import Problem


@dataclass
class Outcome:
    """What a check or a build found."""

    problems: list[Problem] = field(default_factory=list)
    ok: bool = True
    notes: list[str] = field(default_factory=list)
    review: dict[str, Any] | None = None  # the conversion review's counts (csr-convert)

    @property
    def failed(self) -> bool:
        return not self.ok or bool(self.problems)


# --- the messages of MkDocs and other packages, reworded ---------------------------------

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
# Summaries that repeat what was listed before them (MkDocs' and csr-kit's Reporter's).
_SUMMARIES = ("Aborted with", "Error building", "Error reading", "An error happened")
_SUMMARY_TAIL = re.compile(r"\d+ problem\(s\) in .*listed above")
_NAV_NOT_FOUND = re.compile(r"A reference to '[^']*' is included in the 'nav' configuration")
_IMAGE = re.compile(r"\.(png|jpe?g|gif|svg|webp)$", re.I)


def _line_of_text(path: Path, needle: str) -> int | None:
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


def _page_path(project: Project, src_uri: str) -> str:
    return posixpath.join(project.shown(project.docs_dir), src_uri)


def problem_from_mkdocs_message(project: Project, text: str, level: int) -> Problem | None:
    """A message of MkDocs or another package as a Problem (None for repeated summaries)."""
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
    docs = project.docs_dir
    if m := _ANCHOR.match(text):
        page, target = m.group("page"), m.group("target")
        return missing_anchor(_page_path(project, page), _line_of_text(docs / page, target), target)
    if m := _LINK_NOT_FOUND.match(text):
        page, target = m.group("page"), m.group("target")
        line = _line_of_text(docs / page, target)
        if urlsplit(target).path.lower().endswith(".md"):
            return missing_link_target(_page_path(project, page), line, target)
        if _IMAGE.search(urlsplit(target).path):
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


# --- running MkDocs ----------------------------------------------------------------------


class ProblemCollector(logging.Handler):
    """Collects a build's problems from the ``mkdocs`` logger.

    A csr-kit plugin's record carries its Problem (``record.csr_problem``), kept as is
    with its category, hint and severity; any other warning or error is MkDocs' or
    another package's text, reworded by :func:`problem_from_mkdocs_message`.  The
    conversion review's counts come as a record field (``record.csr_review``) too.
    """

    def __init__(self, project: Project) -> None:
        super().__init__(logging.INFO)
        self.project = project
        self.problems: list[Problem] = []
        self.page_errors: list[str] = []  # pages MkDocs could not read or build
        self.warnings_seen = 0  # summaries included: a failed build then said something
        self.review: dict[str, Any] | None = None

    def emit(self, record: logging.LogRecord) -> None:
        review = getattr(record, "csr_review", None)
        if isinstance(review, dict):
            self.review = review
        if record.levelno < logging.WARNING:
            return
        self.warnings_seen += 1
        problem = getattr(record, "csr_problem", None)
        if isinstance(problem, Problem):
            self.problems.append(problem)
            return
        text = record.getMessage()
        if m := _PAGE_ERROR.match(text.strip()):
            self.page_errors.append(m.group("page"))
        found = problem_from_mkdocs_message(self.project, text, record.levelno)
        if found is not None:
            self.problems.append(found)


def _console(verbose: bool) -> logging.Handler:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s %(message)s"))
    handler.setLevel(logging.DEBUG if verbose else logging.INFO)
    return handler


def run_mkdocs(project: Project, site_dir: Path, *, strict: bool, pdf: bool,
               verbose: bool = False, serve_url: str | None = None,
               extra_plugins: dict[str, Any] | None = None) -> Outcome:
    """A real MkDocs build, its messages collected as Problems; never raises for input errors.

    ``extra_plugins`` are MkDocs plugin objects added to the report's own for this build
    only (the live preview adds its caches this way); a plugin added to
    ``config.plugins`` has its events registered like one listed in mkdocs.yml.
    """
    # csr-pdf reads the switch while it builds; the caller's own setting comes back after.
    previous_pdf = os.environ.get("CSR_KIT_PDF")
    os.environ["CSR_KIT_PDF"] = "on" if pdf else "off"
    _quiet_jieba()
    collector = ProblemCollector(project)
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
        for name, plugin in (extra_plugins or {}).items():
            config.plugins[name] = plugin
        config.plugins.on_startup(command="serve" if serve_url else "build", dirty=False)
        mkdocs_build(config, serve_url=serve_url)
    except (Abort, ConfigurationError, MkDocsException) as err:
        outcome.ok = False
        if not collector.warnings_seen:
            outcome.problems.append(Problem(project.config_shown, None, str(err).strip(),
                                            "fix the setting named in the message"))
    except Exception as err:  # noqa: BLE001 - authors get a plain line, never a traceback
        outcome.ok = False
        where = (_page_path(project, collector.page_errors[0]) if collector.page_errors
                 else "mkdocs")
        outcome.problems.append(Problem(where, None, "csr-kit stopped unexpectedly "
                                        f"({type(err).__name__}: {err})", BUG_HINT))
        if verbose:
            traceback.print_exc()
    finally:
        if config is not None:
            with contextlib.suppress(Exception):  # the build's own outcome is what matters
                config.plugins.on_shutdown()
        for handler in handlers:
            logger.removeHandler(handler)
        logger.setLevel(old_level)
        logger.propagate = old_propagate
        if previous_pdf is None:
            os.environ.pop("CSR_KIT_PDF", None)
        else:
            os.environ["CSR_KIT_PDF"] = previous_pdf
    outcome.problems.extend(collector.problems)
    outcome.review = collector.review
    return outcome


def _quiet_jieba() -> None:
    """jieba (Chinese word splitting for search) announces its dictionary on stderr."""
    try:
        import jieba  # optional: Material's search uses it when it is installed

        jieba.setLogLevel(logging.WARNING)
    except Exception:  # noqa: BLE001 - search without jieba is the theme's business
        pass


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


# --- printing ----------------------------------------------------------------------------


def _group_order(path: str) -> tuple[int, str]:
    if path.endswith(("mkdocs.yml", "mkdocs.yaml")):
        return (0, path)
    if path.startswith(("data/", "data\\")):
        return (1, path)
    if path == "mkdocs":
        return (3, path)
    return (2, path)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' if number != 1 else ''}"


def format_problems(problems: list[Problem], noun: str = "problem", *,
                    labelled: bool = False, draft_hint: bool = False) -> str:
    """Problems grouped by file, one line each, counted.

    ``labelled``: each line ends ``[error]`` (publishing it would be wrong) or
    ``[warning]`` (fixable later), and both are counted after the summary — for the
    problems of a check, a build or a preview's rebuild. ``draft_hint``: the count of
    warnings says that ``csr-kit build --allow-warnings`` publishes a draft with them (for
    ``csr-kit check`` and ``csr-kit build`` only).
    """
    grouped: dict[str, list[Problem]] = defaultdict(list)
    for p in problems:
        grouped[p.path].append(p)
    out = []
    for path in sorted(grouped, key=_group_order):
        items = sorted(grouped[path], key=sort_key)
        out.append(f"{path} — {_count(len(items), noun)}")
        out.extend(f"{p} [{_severity(p)}]" if labelled else str(p) for p in items)
        out.append("")
    out.append(f"{_count(len(problems), noun)} in {_count(len(grouped), 'file')}.")
    if labelled and problems:
        errors = sum(1 for p in problems if _severity(p) == "error")
        warnings = len(problems) - errors
        parts = []
        if errors:
            parts.append(f"{_count(errors, 'error')} (stop publishing)")
        if warnings:
            parts.append(f"{_count(warnings, 'warning')} (fixable later"
                         + (": `csr-kit build --allow-warnings` publishes a draft with them)"
                            if draft_hint else ")"))
        out.append("Of these: " + "; ".join(parts) + ".")
    return "\n".join(out)


def _severity(problem: Problem) -> str:
    return "warning" if problem.severity == "warning" else "error"


def only_warnings(problems: list[Problem]) -> bool:
    """Problems that are all warnings: a strict build refuses them, --allow-warnings not."""
    return bool(problems) and all(p.severity == "warning" for p in problems)
