"""Live preview for ``csr-kit serve``: rebuild on save, show problems, never stop.

The source script is rebuilt and shown first, then every language; a broken
edit keeps the last good pages on screen with the problem in a strip.  Between
rebuilds it reuses what cannot have changed (compiled templates, the theme's
file list, each page's search entries): see the ``_reuse_*`` functions, each
limited to this process and checked by a test that compares every output file
with a normal build.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Optional

from .checks import Project, sort_key, static_checks
from .cli import format_problems, merge, run_mkdocs
from .errors import Problem

def parse_address(text: str) -> tuple[str, int]:
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


def _stop_on_terminate() -> None:
    """Stop the preview tidily (temporary folder removed) when asked to terminate."""
    import signal

    def stop(signum, frame):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt

    try:
        signal.signal(signal.SIGTERM, stop)
        if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:  # started in the background
            signal.signal(signal.SIGINT, stop)
    except ValueError:  # not the main thread
        pass


def _watched(project: Project, config_file: Path) -> list[Path]:
    """What the preview watches: pages, mkdocs.yml, theme overrides and every data file."""
    paths = [project.docs_dir, config_file.resolve(), project.root / "data"]
    theme = (project.config or {}).get("theme")
    if isinstance(theme, dict) and theme.get("custom_dir"):
        paths.append(project.root / str(theme["custom_dir"]))
    for plugin in ("csr-glossary", "csr-kpi", "csr-frameworks", "csr-convert"):
        for key, value in (project.plugin_options(plugin) or {}).items():
            if isinstance(value, str) and key in ("glossary", "kpis", "charts", "definitions",
                                                  "omissions", "report"):
                path = (project.root / value).resolve()
                paths.append(path if path.is_dir() or path.parent == project.root.resolve()
                             else path.parent)
    found: list[Path] = []
    for path in paths:
        path = path.resolve()
        inside = any(path == f or f in path.parents for f in found)
        if path.exists() and not inside and path != project.root.resolve():
            found = [f for f in found if path not in f.parents] + [path]
    return found


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
        self.folder = Path(tempfile.gettempdir()) / "csr-kit-preview"  # made by run()
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
        _stop_on_terminate()
        project, problems = load_project(self.config_file)
        if project.config is None:
            print(format_problems(problems))
            print("The preview cannot start without a readable mkdocs.yml.")
            return 1
        self.folder = Path(tempfile.mkdtemp(prefix="csr-kit-preview-"))
        self.current = self.folder / "current"
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
        for path in _watched(project, self.config_file):
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


