"""Live preview for ``csr-kit serve``: rebuild on save, show problems, never stop.

Each save rebuilds the whole site (every edition, no PDF) into a new folder, which is
served once it is complete; a broken edit keeps the last good pages on screen with
the problems in a strip at the bottom.  The server is MkDocs' live-reload server,
used through its public interface: the strip is added by a WSGI wrapper around its
application.  Between rebuilds the preview keeps what cannot have changed (compiled
templates, each page's search entries): see :mod:`csr_kit.mkdocs.preview_support`;
``tests/test_cli.py`` compares a rebuilt preview with a fresh build, byte for byte.
"""

from __future__ import annotations

import html
import os
import shutil
import signal
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mkdocs.livereload import LiveReloadServer

from .checks import Project, load_project, sort_key, static_checks
from .errors import Problem
from .mkdocs.preview_support import PreviewSupport
from .runner import format_problems, merge, run_mkdocs

PREVIEW_PLUGIN = "csr-kit-preview"  # the name of the preview's plugin in config.plugins


def parse_address(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    host = host.strip("[]") or "127.0.0.1"
    number = int(port)
    if not 0 <= number < 65536:
        raise ValueError(text)
    return host, number


def _write_observer() -> Any:
    """A file watcher that reports saves at once (MkDocs polls every half second).

    Only writes count: reading the pages during a build must not trigger the next one.
    """
    try:  # watchdog's inotify observer is optional: MkDocs' polling one works everywhere
        from watchdog import events
        from watchdog.observers import Observer
    except Exception:  # noqa: BLE001
        return None
    writes = [events.FileCreatedEvent, events.FileModifiedEvent, events.FileDeletedEvent,
              events.FileMovedEvent, events.FileClosedEvent, events.DirCreatedEvent,
              events.DirDeletedEvent, events.DirMovedEvent]

    class WriteObserver(Observer):  # type: ignore[misc, valid-type]
        def schedule(self, handler: Any, path: str, *, recursive: bool = False,
                     event_filter: Any = None, follow_symlink: bool = False) -> Any:
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
    if not problems and not failed:
        return b""
    title = ("The preview is NOT up to date: csr-kit could not build your last change."
             if failed else "The preview is up to date, but these must be fixed before "
             "publishing:")
    body = "\n".join(html.escape(str(p)) for p in sorted(problems, key=sort_key)[:50])
    colour = "#b71c1c" if failed else "#8a5a00"
    return (f'<pre id="csr-kit-problems" style="{_BANNER_STYLE.format(colour=colour)}">'
            f"<strong>{html.escape(title)}</strong>\n{body}</pre>").encode()


# The page served while no build has succeeded yet; it reloads itself once one has.
_NOT_BUILT_YET = (b"<!doctype html><html><head><meta charset='utf-8'><title>csr-kit preview"
                  b"</title></head><body><h1>The preview could not be built yet</h1>"
                  b"<p>See the list below, or the terminal where csr-kit serve runs.</p>"
                  b"<script>setInterval(function () { fetch(location.href, {cache: 'no-store'})"
                  b".then(function (r) { if (r.ok) location.reload(); }); }, 1000);</script>"
                  b"</body></html>")

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def with_banner(app: WsgiApp, banner: Callable[[], bytes]) -> WsgiApp:
    """A WSGI application: ``app``, with ``banner()`` added at the end of every HTML page."""

    def application(environ: dict[str, Any], start_response: Callable[..., Any]
                    ) -> Iterable[bytes]:
        answer: list[Any] = []

        def keep(status: str, headers: list[tuple[str, str]], exc_info: Any = None
                 ) -> Callable[[bytes], None]:
            answer[:] = [status, headers, exc_info]
            return lambda data: None  # MkDocs' server returns its body, never writes

        body = app(environ, keep)  # waits for a rebuild under way to end
        status, headers, exc_info = answer
        strip = banner()
        html_page = any(k.lower() == "content-type" and v.startswith("text/html")
                        for k, v in headers)
        if not strip or not html_page:
            start_response(status, headers, exc_info)
            return body
        try:
            content = b"".join(body)
        finally:
            if hasattr(body, "close"):
                body.close()
        at = content.rfind(b"</body>")
        content = content + strip if at < 0 else content[:at] + strip + content[at:]
        headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
        start_response(status, headers + [("Content-Length", str(len(content)))], exc_info)
        return [content]

    return application


def serve_url(host: str, port: int, site_url: str) -> str:
    """The preview's address: the host and port, and the path of the site's address."""
    path = urlsplit(site_url).path.strip("/")
    return f"http://{host}:{port}/{path + '/' if path else ''}"


def _stop_on_terminate() -> None:
    """Stop the preview tidily (temporary folder removed) when asked to terminate."""

    def stop(signum: int, frame: Any) -> None:
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


def _state(paths: list[Path]) -> tuple[Any, ...]:
    """Names, sizes and modification times of the files in ``paths`` (files or folders)."""
    state = []
    for path in paths:
        walked = os.walk(path) if path.is_dir() else [(str(path.parent), [], [path.name])]
        for dirpath, _, names in walked:
            for name in names:
                try:
                    stat = os.stat(os.path.join(dirpath, name))
                except OSError:
                    continue
                state.append((dirpath, name, stat.st_mtime_ns, stat.st_size))
    return tuple(sorted(state))


class _Server(LiveReloadServer):
    """MkDocs' live-reload server, bound before the first build: a busy port is reported
    at once (its serve() binds again: that second time does nothing)."""

    bound = False

    def server_bind(self) -> None:
        if not self.bound:
            super().server_bind()

    def server_activate(self) -> None:
        if not self.bound:
            super().server_activate()
            self.bound = True


class Preview:
    """``csr-kit serve``: rebuild on every save, keep serving the last good build on errors."""

    def __init__(self, config_file: Path, host: str, port: int, verbose: bool = False):
        self.config_file = config_file
        self.host, self.port = host, port
        self.verbose = verbose
        self.folder = Path(tempfile.gettempdir()) / "csr-kit-preview"  # made by open()
        self.current = self.folder / "current"  # a link to the folder being served
        self.count = 0
        self.banner = b""
        self.url = ""
        self.support = PreviewSupport()
        self.inputs_state: tuple[Any, ...] = ()

    def open(self, project: Project) -> None:
        """Make the preview's temporary folder and its address (before the first build)."""
        self.folder = Path(tempfile.mkdtemp(prefix="csr-kit-preview-"))
        self.current = self.folder / "current"
        self.url = serve_url(self.host, self.port,
                             str((project.config or {}).get("site_url") or "/"))

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def _swap(self, target: Path) -> None:
        previous = self.current.resolve() if self.current.is_symlink() else None
        link = self.folder / f"link-{self.count}"
        os.symlink(target, link)
        os.replace(link, self.current)
        if previous is not None and previous != target.resolve():
            shutil.rmtree(previous, ignore_errors=True)

    def _report(self, problems: list[Problem], printed: set[str]) -> None:
        fresh = [p for p in problems if str(p) not in printed]
        if fresh:
            print(format_problems(fresh, labelled=True))
        printed.update(str(p) for p in fresh)

    def _non_page_files_changed(self, project: Project) -> bool:
        """Whether a file other than a page changed since the last rebuild (data, settings)."""
        docs = project.docs_dir.resolve()
        state = _state([p for p in _watched(project, self.config_file) if p != docs])
        changed, self.inputs_state = state != self.inputs_state, state
        return changed

    def build(self) -> bool:
        """One rebuild; prints what it found. Never raises for the author's mistakes."""
        started = time.monotonic()
        self.count += 1
        static = static_checks(self.config_file)
        printed: set[str] = set()
        if static.blocking:
            self._report(static.problems, printed)
            return self._failed(static.problems)
        self.support.next_rebuild(
            non_page_files_changed=self._non_page_files_changed(static.project))
        target = self.folder / f"build-{self.count}"
        built = run_mkdocs(static.project, target, strict=False, pdf=False,
                           verbose=self.verbose, serve_url=self.url,
                           extra_plugins={PREVIEW_PLUGIN: self.support})
        problems = merge(static.problems, built.problems)
        if not (built.ok and (target / "index.html").is_file()):
            shutil.rmtree(target, ignore_errors=True)
            self._report(problems, printed)
            return self._failed(problems)
        self._swap(target)
        self.banner = _banner(problems, False)
        self._report(problems, printed)
        print(f"[{time.strftime('%H:%M:%S')}] Preview updated in "
              f"{time.monotonic() - started:.1f} s: {self.url}"
              + (" — fix the problems above before publishing" if problems else ""), flush=True)
        return True

    def rebuild(self) -> None:
        """What the server calls on every save."""
        self.build()

    def _failed(self, problems: list[Problem]) -> bool:
        print(f"[{time.strftime('%H:%M:%S')}] The preview was NOT updated: the browser shows "
              "the last good version. Fix the problems above and save again; the preview "
              "updates by itself.", flush=True)
        self.banner = _banner(problems, True)
        if not self.current.exists():  # nothing built yet: a page saying so, and why
            waiting = self.folder / f"not-built-{self.count}"
            waiting.mkdir()
            (waiting / "404.html").write_bytes(_NOT_BUILT_YET)
            self._swap(waiting)
        return False

    def _error_page(self, code: int) -> bytes | None:
        """The site's own 404 page (or the 'not built yet' page), as ``mkdocs serve`` does."""
        page = self.current / "404.html"
        return page.read_bytes() if code == 404 and page.is_file() else None

    def run(self) -> int:
        os.environ["CSR_KIT_PDF"] = "off"  # the PDF is for the release, not for every edit
        _stop_on_terminate()
        project, problems = load_project(self.config_file)
        if project.config is None:
            print(format_problems(problems, labelled=True))
            print("The preview cannot start without a readable mkdocs.yml.")
            return 1
        self.open(project)
        server = _Server(builder=self.rebuild, host=self.host, port=self.port,
                        root=str(self.current), mount_path=urlsplit(self.url).path)
        server.error_handler = self._error_page
        mkdocs_app = server.get_app()
        assert mkdocs_app is not None  # LiveReloadServer sets its application when made
        server.set_app(with_banner(mkdocs_app, lambda: self.banner))
        observer = _write_observer()
        if observer is not None:
            server.observer = observer  # MkDocs' own polls every half second
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
            print(f"Building the preview of {project.shown(self.config_file)}…", flush=True)
            self.build()
            print(f"Serving the preview on {self.url} — press Ctrl+C to stop. "
                  "Every save rebuilds it (without the PDF).", flush=True)
            try:
                server.serve()  # type: ignore[no-untyped-call]
            except KeyboardInterrupt:
                print("\nPreview stopped.")
            finally:
                server.shutdown()
        finally:
            self.close()
        return 0
