"""The ``csr-kit`` command: check, build, preview and start next year's report.

    csr-kit check      check every source file; publish nothing
    csr-kit build      build both scripts and the PDFs; publish only if all succeeded
    csr-kit serve      live preview while editing (no PDF)
    csr-kit rollover   start next year's report from this year's

It wraps MkDocs so that authors get one plain line per problem,
``file:line: what is wrong — how to fix it``, and never a traceback for a
mistake in their files.
"""

from __future__ import annotations

import argparse
import logging
import os
import posixpath
import re
import sys
import tempfile
import time
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


# --- live preview ------------------------------------------------------------------------


def _parse_address(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    host = host.strip("[]") or "127.0.0.1"
    number = int(port)
    if not 0 <= number < 65536:
        raise ValueError(text)
    return host, number


def _reuse_compiled_templates() -> None:
    """Keep the theme's compiled templates between preview rebuilds.

    MkDocs makes a new Jinja environment for every build, so each rebuild
    compiled all of Material's templates again.  Jinja checks each template's
    source against the cached copy, so an edited override is still picked up.
    """
    import jinja2
    from mkdocs.theme import Theme

    if getattr(Theme.get_env, "_csr_kit_cached", False):
        return

    class MemoryBytecodeCache(jinja2.BytecodeCache):
        def __init__(self) -> None:
            self.store: dict[str, bytes] = {}

        def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            if bucket.key in self.store:
                bucket.bytecode_from_string(self.store[bucket.key])

        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            self.store[bucket.key] = bucket.bytecode_to_string()

    cache = MemoryBytecodeCache()
    original = Theme.get_env

    def get_env(self):  # type: ignore[no-untyped-def]
        env = original(self)
        env.bytecode_cache = cache
        return env

    get_env._csr_kit_cached = True  # type: ignore[attr-defined]
    Theme.get_env = get_env  # type: ignore[method-assign]


def _reuse_theme_file_list() -> None:
    """List the theme's static files once, not on every preview rebuild.

    MkDocs walks every folder of the theme on each build to find its static
    files (Material ships thousands of icons); the installed theme does not
    change while the preview runs.  Folders outside the Python installation
    (the report's own overrides/) are listed afresh whenever they change.
    """
    import fnmatch

    from mkdocs import utils
    from mkdocs.structure.files import File, Files

    if getattr(Files.add_files_from_theme, "_csr_kit_cached", False):
        return
    installed = os.path.realpath(sys.prefix), os.path.realpath(sys.base_prefix)
    cache: dict[tuple, list[tuple[str, str]]] = {}

    def add_files_from_theme(self, env, config):  # type: ignore[no-untyped-def]
        dirs = tuple(config.theme.dirs)
        own = tuple(_folder_state(Path(d)) for d in dirs
                    if not os.path.realpath(d).startswith(installed))
        key = (dirs, tuple(config.theme.static_templates), own)
        found = cache.get(key)
        if found is None:
            patterns = [".*", "*/.*", "*.py", "*.pyc", "*.html", "*readme*", "mkdocs_theme.yml",
                        "locales/*", *(f"*{x}" for x in utils.markdown_extensions),
                        *config.theme.static_templates]

            def keep(name: str) -> bool:
                return not any(fnmatch.fnmatch(name.lower(), p) for p in patterns)

            found = []
            for path in env.list_templates(filter_func=keep):
                for folder in dirs:
                    if os.path.isfile(os.path.join(folder, path)):
                        found.append((path, folder))
                        break
            if len(cache) > 8:
                cache.clear()
            cache[key] = found
        for path, folder in found:
            # Theme files do not override docs_dir files (as in MkDocs).
            if self.get_file_from_path(path) is None:
                self.append(File(path, folder, config.site_dir, config.use_directory_urls))

    add_files_from_theme._csr_kit_cached = True  # type: ignore[attr-defined]
    Files.add_files_from_theme = add_files_from_theme  # type: ignore[method-assign]


# Search-index entries already made, by page (emptied when the data files change: the
# glossary teaches the word splitter new words).
_SEARCH_ENTRIES: dict[tuple, list[dict]] = {}


def _reuse_search_entries() -> None:
    """Keep each page's search-index entries between preview rebuilds.

    Material's search plugin parses every page's HTML into sections and runs
    jieba (Chinese word splitting) over each, for both scripts, on every
    build: a third of a rebuild.  An edit changes one page; the entries of a
    page whose HTML, address, title and table of contents are unchanged are
    the same, so they are reused.
    """
    try:
        from material.plugins.search.plugin import SearchIndex
    except Exception:  # noqa: BLE001 - another theme, or another version of it
        return
    original = getattr(SearchIndex, "add_entry_from_context", None)
    if original is None or getattr(original, "_csr_kit_cached", False):
        return
    cache = _SEARCH_ENTRIES

    def toc_key(items) -> tuple:  # type: ignore[no-untyped-def]
        return tuple((getattr(i, "id", None), getattr(i, "url", None), getattr(i, "title", None),
                      toc_key(getattr(i, "children", []) or [])) for i in items or [])

    def add_entry_from_context(self, page):  # type: ignore[no-untyped-def]
        try:
            key = (page.content, page.url, page.title, repr(page.meta), toc_key(page.toc),
                   repr(sorted(self.config.items(), key=str)))
            hash(key)
        except Exception:  # noqa: BLE001 - anything unusual: index it the usual way
            return original(self, page)
        found = cache.get(key)
        if found is None:
            before = len(self.entries)
            original(self, page)
            found = [dict(e) for e in self.entries[before:]]
            if len(cache) > 2000:
                cache.clear()
            cache[key] = found
        else:
            self.entries.extend({k: (list(v) if isinstance(v, list) else v)
                                 for k, v in e.items()} for e in found)

    add_entry_from_context._csr_kit_cached = True  # type: ignore[attr-defined]
    SearchIndex.add_entry_from_context = add_entry_from_context  # type: ignore[method-assign]


def _write_observer():
    """A file watcher that reports saves at once (MkDocs polls every half second).

    Only writes count: reading the pages during a build must not trigger the next one.
    """
    try:
        from watchdog import events
        from watchdog.observers import Observer
    except Exception:  # noqa: BLE001 - MkDocs' polling observer works everywhere
        return None
    writes = [events.FileCreatedEvent, events.FileModifiedEvent, events.FileDeletedEvent,
              events.FileMovedEvent, events.FileClosedEvent, events.DirCreatedEvent,
              events.DirDeletedEvent, events.DirMovedEvent]

    class WriteObserver(Observer):  # type: ignore[misc, valid-type]
        def schedule(self, handler, path, *, recursive=False, event_filter=None,
                     follow_symlink=False):  # type: ignore[no-untyped-def]
            return super().schedule(handler, path, recursive=recursive,
                                    event_filter=event_filter or writes,
                                    follow_symlink=follow_symlink)

    try:
        return WriteObserver()
    except Exception:  # noqa: BLE001
        return None


_BANNER_STYLE = ("position:fixed;left:0;right:0;bottom:0;z-index:10000;max-height:40vh;"
                 "overflow:auto;margin:0;padding:.8em 1.2em;font:14px/1.5 monospace;"
                 "white-space:pre-wrap;color:#fff;background:{colour};"
                 "box-shadow:0 -2px 8px rgba(0,0,0,.3)")


def _banner(problems: list[Problem], failed: bool) -> bytes:
    """A strip at the bottom of every preview page listing the problems (not in the real site)."""
    import html

    if not problems and not failed:
        return b""
    title = ("The preview is NOT up to date: csr-kit could not build your last change."
             if failed else "The preview is up to date, but these must be fixed before "
             "publishing:")
    body = "\n".join(html.escape(str(p)) for p in sorted(problems, key=sort_key)[:50])
    colour = "#b71c1c" if failed else "#8a5a00"
    return (f'<pre id="csr-kit-problems" style="{_BANNER_STYLE.format(colour=colour)}">'
            f"<strong>{html.escape(title)}</strong>\n{body}</pre>").encode("utf-8")


class _source_script_only:
    """Within it, mkdocs-static-i18n builds the default language only."""

    def __enter__(self) -> None:
        try:
            import mkdocs_static_i18n.plugin as i18n
        except Exception:  # noqa: BLE001 - no i18n: one language anyway
            self.module = None
            return
        self.module, self.build = i18n, i18n.build

        def skip(config, dirty=False):  # type: ignore[no-untyped-def]
            # The language's folder exists, as after a real build (plugins write into it).
            locale = getattr(config.plugins.get("i18n"), "current_language", None)
            if locale:
                os.makedirs(os.path.join(config.site_dir, str(locale)), exist_ok=True)

        i18n.build = skip

    def __exit__(self, *exc) -> None:
        if self.module is not None:
            self.module.build = self.build


def _folder_state(folder: Path) -> tuple:
    state = []
    for dirpath, _, names in os.walk(folder):
        for name in names:
            try:
                stat = os.stat(os.path.join(dirpath, name))
            except OSError:
                continue
            state.append((dirpath, name, stat.st_mtime_ns, stat.st_size))
    return tuple(sorted(state))


class Preview:
    """``csr-kit serve``: rebuild on every save, keep serving the last good build on errors."""

    def __init__(self, config_file: Path, host: str, port: int, verbose: bool = False):
        self.config_file = config_file
        self.host, self.port = host, port
        self.verbose = verbose
        self.folder = Path(tempfile.mkdtemp(prefix="csr-kit-preview-"))
        self.current = self.folder / "current"  # a link to the last good build
        self.count = 0
        self.banner = b""
        self.url = ""
        self.data_dir = config_file.resolve().parent / "data"
        self.data_state: tuple = ()
        self.server = None  # the LiveReloadServer, once it runs

    def _swap(self, target: Path) -> None:
        import shutil

        previous = self.current.resolve() if self.current.is_symlink() else None
        link = self.folder / f"link-{self.count}"
        os.symlink(target, link)
        os.replace(link, self.current)
        if previous is not None and previous != target.resolve():
            shutil.rmtree(previous, ignore_errors=True)

    def _show(self) -> None:
        """Let the browsers reload now (MkDocs' server would wait for the end of build())."""
        server = self.server
        if server is None:
            return
        with server._epoch_cond:
            server._wanted_epoch = server._visible_epoch = max(
                server._wanted_epoch, server._visible_epoch + 1, round(time.monotonic() * 1000))
            server._epoch_cond.notify_all()

    def _other_languages(self, project: Project) -> list[str]:
        """The folders of the scripts built after the source one (mkdocs-static-i18n)."""
        options = project.plugin_options("i18n") or {}
        languages = options.get("languages") if isinstance(options, dict) else None
        if not isinstance(languages, list):
            return []
        return [str(lang.get("locale")) for lang in languages
                if isinstance(lang, dict) and lang.get("locale") and not lang.get("default")
                and lang.get("build", True) is not False]

    def _carry_over(self, others: list[str], target: Path) -> bool:
        """Give a source-script-only build the other scripts' pages of the last good build."""
        import shutil

        if not self.current.is_symlink():
            return False
        previous = self.current.resolve()
        for folder in others:
            old = previous / folder
            if not old.is_dir():
                return False
            shutil.rmtree(target / folder, ignore_errors=True)

            def link(source: str, destination: str) -> None:
                try:
                    os.link(source, destination)  # instant; builds never edit files in place
                except OSError:
                    shutil.copy2(source, destination)

            shutil.copytree(old, target / folder, copy_function=link)
        return True

    def _report(self, problems: list[Problem], printed: set[str]) -> None:
        fresh = [p for p in problems if str(p) not in printed]
        if fresh:
            print(format_problems(fresh))
        printed.update(str(p) for p in fresh)

    def build(self) -> bool:
        """One rebuild; prints what it found. Never raises for the author's mistakes.

        The source script is built first and shown at once, with the other
        scripts' pages of the last good build; then everything is built again
        and shown, so the Simplified pages follow a moment later.
        """
        import shutil

        started = time.monotonic()
        self.count += 1
        data_state = _folder_state(self.data_dir)
        if data_state != self.data_state:
            _SEARCH_ENTRIES.clear()
            self.data_state = data_state
        static = static_checks(self.config_file)
        printed: set[str] = set()
        stamp = lambda: time.strftime("%H:%M:%S")  # noqa: E731
        if static.blocking:
            self._report(static.problems, printed)
            return self._failed(static.problems)
        others = self._other_languages(static.project)
        first_only = bool(others) and self.current.is_symlink()
        if first_only:
            target = self.folder / f"build-{self.count}-source"
            with _source_script_only():
                built = run_mkdocs(static.project, target, strict=False, pdf=False,
                                   verbose=self.verbose, serve_url=self.url)
            problems = merge(static.problems, built.problems)
            if not (built.ok and (target / "index.html").is_file()):
                shutil.rmtree(target, ignore_errors=True)
                self._report(problems, printed)
                return self._failed(problems)
            if self._carry_over(others, target):
                self._swap(target)
                self.banner = _banner(problems, False)
                self._report(problems, printed)
                print(f"[{stamp()}] Preview updated in {time.monotonic() - started:.1f} s: "
                      f"{self.url} (the {', '.join(others)} pages follow)", flush=True)
                self._show()
            else:
                shutil.rmtree(target, ignore_errors=True)
                first_only = False
        target = self.folder / f"build-{self.count}"
        built = run_mkdocs(static.project, target, strict=False, pdf=False,
                           verbose=self.verbose, serve_url=self.url)
        problems = merge(static.problems, built.problems)
        if not (built.ok and (target / "index.html").is_file()):
            shutil.rmtree(target, ignore_errors=True)
            self._report(problems, printed)
            return self._failed(problems, partly=first_only)
        self._swap(target)
        self.banner = _banner(problems, False)
        self._report(problems, printed)
        scripts = f"the {', '.join(others)} pages " if first_only else ""
        print(f"[{stamp()}] Preview updated{' (' + scripts.strip() + ')' if scripts else ''} "
              f"in {time.monotonic() - started:.1f} s: {self.url}"
              + (" — fix the problems above before publishing" if problems else ""), flush=True)
        if first_only:
            self._show()
        return True

    def _failed(self, problems: list[Problem], partly: bool = False) -> bool:
        stamp = time.strftime("%H:%M:%S")
        if partly:
            print(f"[{stamp}] The other scripts' pages were NOT updated. Fix the problems "
                  "above and save again.", flush=True)
        else:
            print(f"[{stamp}] The preview was NOT updated: the browser shows the last good "
                  "version. Fix the problems above and save again; the preview updates "
                  "by itself.", flush=True)
        self.banner = _banner(problems, True)
        return False

    def run(self) -> int:
        import shutil
        from urllib.parse import urlsplit

        from mkdocs.livereload import LiveReloadServer, _serve_url

        from .checks import load_project

        os.environ["CSR_KIT_PDF"] = "off"  # the PDF is for the release, not for every edit
        project, problems = load_project(self.config_file)
        if project.config is None:
            print(format_problems(problems))
            print("The preview cannot start without a readable mkdocs.yml.")
            return 1
        _reuse_compiled_templates()
        _reuse_search_entries()
        _reuse_theme_file_list()
        mount_path = urlsplit(str(project.config.get("site_url") or "/")).path or "/"
        self.url = _serve_url(self.host, self.port, mount_path)
        preview = self

        class Server(LiveReloadServer):
            def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
                content = super()._inject_js_into_html(content, epoch)
                if preview.banner and b"</body>" in content:
                    at = content.rindex(b"</body>")
                    content = content[:at] + preview.banner + content[at:]
                return content

        server = Server(builder=self.build, host=self.host, port=self.port,
                        root=str(self.current), mount_path=mount_path)
        self.server = server

        def error_page(code: int) -> Optional[bytes]:
            page = self.current / "404.html"
            if code == 404 and page.is_file():
                return server._inject_js_into_html(page.read_bytes(), server._visible_epoch)
            text = (b"<!doctype html><html><head><meta charset='utf-8'><title>csr-kit preview"
                    b"</title></head><body><h1>The preview could not be built yet</h1>"
                    b"<p>See the list below, or the terminal where csr-kit serve runs.</p>"
                    b"</body></html>")
            return server._inject_js_into_html(text, server._visible_epoch)

        server.error_handler = error_page
        observer = _write_observer()
        if observer is not None:
            server.observer = observer
        watched = [project.docs_dir, self.config_file.resolve(), project.root / "data"]
        theme = project.config.get("theme")
        if isinstance(theme, dict) and theme.get("custom_dir"):
            watched.append(project.root / str(theme["custom_dir"]))
        for path in watched:
            if path.exists():
                server.watch(str(path))
        try:
            try:
                server.server_bind()
                server.server_activate()
            except OSError as err:
                print(f"The preview cannot use {self.host}:{self.port} ({err.strerror or err}) "
                      "— stop the other preview, or choose another port, e.g. "
                      f"csr-kit serve -a {self.host}:{self.port + 1}")
                return 1
            server.server_bind = server.server_activate = lambda: None  # type: ignore
            print(f"Building the preview of {project.shown(self.config_file)}…", flush=True)
            self.build()
            print(f"Serving the preview on {self.url} — press Ctrl+C to stop. "
                  "Every save rebuilds it (without the PDF).", flush=True)
            try:
                server.serve()
            except KeyboardInterrupt:
                print("\nPreview stopped.")
            finally:
                server.shutdown()
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
        return 0


# --- commands ---------------------------------------------------------------------------


def cmd_check(args: argparse.Namespace) -> int:
    outcome = check(args.config_file, build=not args.quick, verbose=args.verbose)
    if outcome.failed:
        _print_outcome(outcome, "check")
        return 1
    print("No problems found." + (" (Quick check: the pages were not test-built.)"
                                  if args.quick else ""))
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
    if static.problems:
        _print_outcome(Outcome(static.problems, False), "build")
        print("Nothing was published.")
        return 1
    project = static.project
    site = _site_dir(project, args.site_dir)
    what = "both scripts" + ("" if args.no_pdf else " and the PDFs")
    print(f"Building {what} in a temporary folder…", flush=True)
    result: dict[str, Outcome] = {}

    def build_into(staging: Path) -> None:
        outcome = run_mkdocs(project, staging, strict=True, pdf=not args.no_pdf,
                             verbose=args.verbose)
        result["outcome"] = outcome
        if outcome.failed:
            raise _BuildFailed()
        if not (staging / "index.html").is_file():
            outcome.ok = False
            outcome.problems.append(Problem(project.config_shown, None,
                                            "the build made no home page (index.html)",
                                            "add docs/index.md"))
            raise _BuildFailed()

    protect = [project.docs_dir, project.root / "data", project.config_file,
               project.root / "overrides", project.root / "plugins"]
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
    print(f"Published {what} to {_shown_dir(project, site)}.")
    return 0


class _BuildFailed(Exception):
    pass


def _shown_dir(project: Project, path: Path) -> str:
    return project.shown(path) + "/"


def cmd_serve(args: argparse.Namespace) -> int:
    try:
        host, port = _parse_address(args.dev_addr)
    except ValueError:
        print(f"'{args.dev_addr}' is not an address — write it as 127.0.0.1:8000")
        return 2
    return Preview(Path(args.config_file), host, port, verbose=args.verbose).run()


def cmd_rollover(args: argparse.Namespace) -> int:
    from . import rollover

    return rollover.run(Path(args.config_file), to=args.to, dry_run=args.dry_run)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="csr-kit", description="Check, build, preview and roll over a csr-kit report.",
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
