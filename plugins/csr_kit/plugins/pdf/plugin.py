"""csr-pdf: one print-quality PDF per script, made from the same build.

Each language's build collects its pages in navigation order, assembles them
into one document (``csr_kit.pdf.assemble``) and renders it in-process with
WeasyPrint; every page of that language's site gets a download link.
"""

from __future__ import annotations

import json
import logging
import os
import posixpath
import shutil
import time
from importlib import metadata
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from ...errors import SourceError, SourceErrors
from ...pdf import assemble, render
from ...report import load_report
from ...text import script_of
from ..common import Reporter, build_language, default_language, project_path
from .config import PdfConfig

log = logging.getLogger("mkdocs.plugins.csr_kit.pdf")

UI = {
    "zh-Hant": {"toc": "目錄", "download": "下載 PDF 版", "subtitle": "PDF 版"},
    "zh-Hans": {"toc": "目录", "download": "下载 PDF 版", "subtitle": "PDF 版"},
}
ICON = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" aria-hidden="true">'
        '<path d="M5 20h14v-2H5m14-9h-4V3H9v6H5l7 7 7-7Z"/></svg>')


class PdfPlugin(BasePlugin[PdfConfig]):
    def __init__(self) -> None:
        self.reporter = Reporter(log)
        self.nav: Navigation | None = None
        self.report = None
        self.last: dict[str, object] = {}  # what the last render made (for tests and benchmarks)

    @property
    def active(self) -> bool:
        return self.config.enabled and os.environ.get("CSR_KIT_PDF", "on").lower() != "off"

    def _language_prefix(self, config: MkDocsConfig) -> str:
        language = build_language(config)
        return "" if language == default_language(config) else language + "/"

    def pdf_path(self, config: MkDocsConfig) -> str:
        """The PDF's path from the site root, e.g. 'zh-Hans/downloads/report-2021-zh-Hans.pdf'."""
        name = self.config.file.format(stem=self.report.file_stem, year=self.report.year,
                                       lang=build_language(config))
        return self._language_prefix(config) + name

    def pdf_lang(self, config: MkDocsConfig) -> str:
        script = script_of(build_language(config))
        return f"zh-Hant-{self.config.region}" if script == "zh-Hant" else script

    # --- events --------------------------------------------------------------------------

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.reporter.reset()
        self.nav = None
        try:
            self.report = load_report(project_path(config, self.config.report), self.config.report)
        except (SourceError, SourceErrors) as err:
            self.reporter.capture(err)
            self.reporter.stop_if_errors("the report facts")
        return config

    @event_priority(-120)  # after i18n and the conversion have settled the navigation
    def on_nav(self, nav: Navigation, config: MkDocsConfig, files) -> Navigation:
        self.nav = nav
        return nav

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        """A download link in the header of every page."""
        if not self.active:
            return output
        here = posixpath.dirname(page.url.rstrip("/") + "/x") if page.url else ""
        href = posixpath.relpath(self.pdf_path(config), here or ".")
        label = UI.get(script_of(build_language(config)), UI["zh-Hant"])["download"]
        link = (f'<a href="{href}" class="md-header__button md-icon csr-pdf-link" download '
                f'title="{label}" aria-label="{label}">{ICON}</a>')
        marker = '<label class="md-header__button md-icon" for="__search">'
        return output.replace(marker, link + marker, 1)

    @event_priority(0)  # before mkdocs-static-i18n (-100) starts the next language's build
    def on_post_build(self, config: MkDocsConfig) -> None:
        if not self.active or self.nav is None:
            return
        script = script_of(build_language(config))
        document = self.document(config, script)
        target = Path(config.site_dir) / self.pdf_path(config)
        started = time.perf_counter()
        try:
            pages = self._render_cached(document, config, target)
        except render.PdfUnavailable as err:
            message = (f"The PDF edition was not made: WeasyPrint cannot run here ({err}). "
                       "Install the system packages with `make setup` (Pango, HarfBuzz, fonts).")
            if self.config.required:
                raise PluginError(message)
            log.warning(message)
            return
        self.last = {"path": str(target), "pages": pages, "bytes": target.stat().st_size,
                     "lang": self.pdf_lang(config), "document": document,
                     "seconds": time.perf_counter() - started}
        log.info(f"PDF edition: {self.pdf_path(config)} ({pages} pages)")

    # --- the document ----------------------------------------------------------------------

    def document(self, config: MkDocsConfig, script: str) -> str:
        convert = config.plugins.get("csr-convert")
        source_script = convert.source_script if convert else script

        def text(labels) -> str:
            own = labels.get(script)
            if own:
                return own
            fallback = labels.text(script, source_script)
            if convert and convert.active(config):
                return convert.convert_text(fallback)
            return fallback

        chapters = [assemble.Chapter(page.url, page.title or "", page.content or "")
                    for page in self.nav.pages if page.content is not None]
        title = text(self.report.title)
        organisation = text(self.report.organisation)
        ui = UI.get(script, UI["zh-Hant"])
        cover = assemble.Cover(organisation, title, str(self.report.year), ui["subtitle"],
                               self.report.logo or "")
        fonts = self.config.fonts_hant if script == "zh-Hant" else self.config.fonts_hans
        css = render.stylesheet(list(fonts), title)
        return assemble.assemble(
            chapters, cover, self.pdf_lang(config), css, ui["toc"], title,
            {"author": organisation, "description": config.site_description or "",
             "generator": "csr-kit", "keywords": "CSR, ESG"})

    def _render_cached(self, document: str, config: MkDocsConfig, target: Path) -> int:
        """Render, or copy the PDF rendered last time from the very same document."""
        key = render.digest(document + metadata.version("weasyprint"))
        cache = project_path(config, self.config.cache_dir)
        cached, info = cache / f"{key}.pdf", cache / f"{key}.json"
        if cached.exists() and info.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(cached, target)
            return int(json.loads(info.read_text())["pages"])
        base_url = str(Path(config.site_dir)) + "/"
        pages = render.render(document, base_url, target)
        try:
            cache.mkdir(parents=True, exist_ok=True)
            for old in sorted(cache.glob("*.pdf"), key=os.path.getmtime)[:-8]:
                old.unlink(missing_ok=True)
                old.with_suffix(".json").unlink(missing_ok=True)
            shutil.copyfile(target, cached)
            info.write_text(json.dumps({"pages": pages}))
        except OSError:
            pass  # the cache is an optimisation only
        return pages
