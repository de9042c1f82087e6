"""csr-pdf: one print-quality PDF per edition, made from the same build.

Each language's build collects its pages in navigation order, assembles them
into one document (``csr_kit.pdf.assemble``) and hands it to a WeasyPrint worker
process while the next language builds; every page of that language's site gets a
download link.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import posixpath
import shutil
import time
from concurrent.futures import ProcessPoolExecutor
from importlib import metadata
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from ...pdf import assemble, attachments, render
from ...report import Report
from ..common import Reporter
from ..context import begin, building_other_languages
from .config import PdfConfig

log = logging.getLogger("mkdocs.plugins.csr_kit.pdf")

UI = {
    "zh-Hant": {"toc": "目錄", "download": "下載 PDF 版", "cover": "封面", "back": "聯絡我們",
                "website": "網上版", "email": "電郵", "phone": "電話", "address": "地址",
                "feedback": "意見", "separator": "｜"},
    "zh-Hans": {"toc": "目录", "download": "下载 PDF 版", "cover": "封面", "back": "联系我们",
                "website": "网络版", "email": "电子邮箱", "phone": "电话", "address": "地址",
                "feedback": "意见反馈", "separator": "｜"},
    "en": {"toc": "Contents", "download": "Download PDF", "cover": "Cover", "back": "Contact us",
           "website": "Website", "email": "Email", "phone": "Phone", "address": "Address",
           "feedback": "Feedback", "separator": " | "},
}
# A translated edition's line under its contents naming the pages it has no translation of.
UNTRANSLATED = {"en": "Not yet translated (see the Chinese editions): "}
ICON = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" aria-hidden="true">'
        '<path d="M5 20h14v-2H5m14-9h-4V3H9v6H5l7 7 7-7Z"/></svg>')


class PdfPlugin(BasePlugin[PdfConfig]):
    def __init__(self) -> None:
        self.reporter = Reporter(log)
        self.serving = False
        self.nav: Navigation | None = None
        self.all_pages: list[Page] = []  # the navigation's pages before any were left out
        self.docs_dir = ""
        self.report: Report | None = None
        # Per language: path, pages, bytes, seconds, and whether a cached PDF was reused.
        self.editions: dict[str, dict] = {}
        self.pool: ProcessPoolExecutor | None = None  # render workers, for one build

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Live preview rebuilds on every save: the PDF is for the release, so it is off
        # under `mkdocs serve` too (not only `csr-kit serve`), unless asked for.
        self.serving = command == "serve"

    @property
    def active(self) -> bool:
        if self.serving and not self.config.in_preview:
            return False
        return self.config.enabled and os.environ.get("CSR_KIT_PDF", "on").lower() != "off"

    @property
    def facts(self) -> Report:
        """The report's facts (csr-pdf requires the file: report_data stops the build if not)."""
        assert self.report is not None
        return self.report

    def pdf_path(self) -> str:
        """The PDF's path from the site root, e.g. 'zh-Hans/downloads/report-2021-zh-Hans.pdf'."""
        name = self.config.file.format(stem=self.facts.file_stem, year=self.facts.year,
                                       lang=self.ctx.language)
        return self.ctx.prefix + name

    def pdf_lang(self) -> str:
        """The document's language tag: glyph forms for Chinese, hyphenation for English."""
        script = self.ctx.script
        if script == "zh-Hant":
            return f"zh-Hant-{self.config.region}"
        if script == "en" and self.ctx.language == "en":
            return self.config.english_variant
        return self.ctx.language if self.ctx.is_translated else script

    def fonts(self, script: str) -> list[str]:
        """The font families of an edition, by its script."""
        by_script = {"zh-Hant": self.config.fonts_hant, "zh-Hans": self.config.fonts_hans,
                     "en": self.config.fonts_en}
        return list(by_script[script])

    # --- events --------------------------------------------------------------------------

    @event_priority(-105)  # after mkdocs-static-i18n (-100) has chosen the language
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.reporter.reset()
        self.nav = None
        self.ctx = begin(config)
        if self.ctx.is_source_build:
            self.editions = {}
        self.report = self.ctx.build.report_data(config).report
        if self.active:
            self.ctx.pdf_file = self.pdf_path()
        return config

    # After i18n (-100) and the conversion (-110) made the navigation, before
    # csr-translation (-115) leaves a translated edition's untranslated pages out of it.
    @event_priority(-112)
    def _keep_all_pages(self, nav: Navigation, *, config: MkDocsConfig, files) -> Navigation:
        self.all_pages, self.docs_dir = list(nav.pages), config.docs_dir
        return nav

    @event_priority(-120)  # after i18n and the conversion have settled the navigation
    def _keep_nav(self, nav: Navigation, *, config: MkDocsConfig, files) -> Navigation:
        self.nav = nav
        return nav

    on_nav = CombinedEvent(_keep_all_pages, _keep_nav)

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        """A download link in the header of every page."""
        if not self.active:
            return output
        here = posixpath.dirname(page.url.rstrip("/") + "/x") if page.url else ""
        href = posixpath.relpath(self.pdf_path(), here or ".")
        label = UI[self.ctx.script]["download"]
        link = (f'<a href="{href}" class="md-header__button md-icon csr-pdf-link" download '
                f'title="{label}" aria-label="{label}">{ICON}</a>')
        marker = '<label class="md-header__button md-icon" for="__search">'
        return output.replace(marker, link + marker, 1)

    # After csr-kpi has written this language's data downloads (attached to the PDF),
    # before mkdocs-static-i18n (-100) starts the next language's build.
    @event_priority(-10)
    def _start_pdf(self, *, config: MkDocsConfig) -> None:
        """Assemble this language's document and start rendering it in a worker process.

        Rendering is the slow part (WeasyPrint lays out every page); a worker lets
        it run while the next language builds, and two editions render at once.
        """
        if not self.active or self.nav is None:
            return
        try:
            render.check_available()
        except render.PdfUnavailable as err:
            self._unavailable(err)
            return
        document = self.document(config, self.ctx.script)
        target = Path(config.site_dir) / self.pdf_path()
        files = self.embedded_files(config)
        key = render.digest(document + metadata.version("weasyprint") + self.config.standard
                            + "".join(a.name + a.data.hex() for a in files))
        edition = {"path": str(target), "lang": self.pdf_lang(), "document": document,
                   "key": key, "started": time.perf_counter()}
        self.editions[self.ctx.language] = edition
        cached = self._cache(config) / f"{key}.pdf"
        if cached.exists() and cached.with_suffix(".json").exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(cached, target)
            edition.update(pages=int(json.loads(cached.with_suffix(".json").read_text())["pages"]),
                           reused=True)
            return
        base_url = str(Path(config.site_dir)) + "/"
        if self.pool is None:
            # Forked, so workers start at once with the modules loaded; two (this machine
            # has two cores), so editions render while the next language builds.  Shut
            # down when the build ends (_finish_pdfs, on_build_error).
            self.pool = ProcessPoolExecutor(max_workers=2,
                                            mp_context=multiprocessing.get_context("fork"))
        edition["job"] = self.pool.submit(
            render.render, document, base_url, target, self.config.standard, files,
            assemble.chapter_key(0), UI[self.ctx.script]["cover"])

    @event_priority(-200)  # after mkdocs-static-i18n has built every language
    def _finish_pdfs(self, *, config: MkDocsConfig) -> None:
        if building_other_languages(config):
            return  # a language build inside the i18n loop: the last one waits for all
        unavailable = None
        for edition in self.editions.values():
            job = edition.pop("job", None)
            if job is None:
                continue
            try:
                edition["pages"] = job.result()
            except render.PdfUnavailable as err:
                unavailable = err
                continue
            edition.update(seconds=time.perf_counter() - edition["started"], reused=False)
            self._store(config, edition)
        for language, edition in self.editions.items():
            if "pages" in edition:
                edition["bytes"] = Path(edition["path"]).stat().st_size
                log.info(f"PDF edition ({language}): {edition['pages']} pages"
                         + (" (unchanged, reused)" if edition.get("reused") else ""))
        self._close_pool()
        if unavailable is not None:
            self._unavailable(unavailable)

    def _close_pool(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    def _unavailable(self, error: Exception) -> None:
        message = (f"The PDF edition was not made: WeasyPrint cannot run here ({error}). "
                   "Install the system packages with `make setup` (Pango, HarfBuzz, fonts).")
        if self.config.required:
            raise PluginError(message)
        log.warning(message)

    on_post_build = CombinedEvent(_start_pdf, _finish_pdfs)

    def on_build_error(self, *, error: Exception) -> None:
        for edition in self.editions.values():
            job = edition.pop("job", None)
            if job is not None:
                job.cancel()
        self._close_pool()

    # --- the document ----------------------------------------------------------------------

    def document(self, config: MkDocsConfig, script: str) -> str:
        ctx = self.ctx

        def text(labels) -> str:
            own = labels.get(script)
            if own:
                return own
            return ctx.convert_text(labels.text(script, ctx.source_script))

        assert self.nav is not None  # _start_pdf runs only once on_nav has kept it
        # A translated edition's "not yet translated" notices are no chapters of it:
        # one line under the contents names them.
        chapters = [assemble.Chapter(page.url, page.title or "", page.content or "")
                    for page in self.nav.pages if page.content is not None
                    and not (ctx.is_translated and ctx.source_uri(page) in ctx.untranslated)]
        title = text(self.facts.title)
        organisation = text(self.facts.organisation)
        ui = UI[script]
        cover = assemble.Cover(organisation, title, str(self.facts.year), self.facts.logo or "")
        css = render.stylesheet(self.fonts(script), f"{organisation}{ui['separator']}{title}",
                                self.fonts("zh-Hant"), self.fonts("zh-Hans"))
        own = ctx.build.path(self.config.stylesheet) if self.config.stylesheet else None
        if own is not None and own.is_file():
            css += "\n" + own.read_text(encoding="utf-8")
        if ctx.is_translated:
            description = self.facts.description_in(script, ctx.source_script) or ""
        else:
            # The converted edition's metadata in its own script (csr-convert restores
            # the source text in the configuration once a language's build ends).
            description = ctx.convert_text(config.site_description or "")
        left_out = None
        if ctx.is_translated:
            left_out = assemble.Untranslated(UNTRANSLATED[script], self.untranslated_titles())
        return assemble.assemble(
            chapters, cover, self.pdf_lang(), css, ui["toc"], title,
            {"author": organisation, "description": description,
             "generator": "csr-kit", "keywords": "CSR, ESG"},
            self.back_page(script, text), left_out)

    def untranslated_titles(self) -> list[tuple[str, str | None]]:
        """The pages this translated edition has no translation of, in navigation order:
        their titles in its language (mkdocs.yml's nav_translations), else in the
        source's, marked with the source's language."""
        from ...translation.notice import source_title

        ctx = self.ctx
        titles: list[tuple[str, str | None]] = []
        for page in self.all_pages:
            uri = ctx.source_uri(page)
            path = os.path.join(self.docs_dir, uri)
            if uri not in ctx.untranslated or not os.path.isfile(path):
                continue
            source = source_title(ctx.build.read(path), ctx.source_script)[0] or uri
            english = ctx.nav_translations.get(source)
            titles.append((english, None) if english else (source, ctx.default_language))
        return titles

    def back_page(self, script: str, text) -> assemble.BackPage:
        """The website and the organisation's contact details, from data/report.yml."""
        ui = UI[script]
        contact = self.facts.contact
        lines = [(ui["website"], self.facts.website or "")]
        if contact is not None:
            feedback = contact.feedback or ""
            lines += [(ui["email"], contact.email or ""), (ui["phone"], contact.phone or ""),
                      (ui["address"], text(contact.address) if contact.address else ""),
                      # A mailto: feedback address repeats the e-mail line.
                      (ui["feedback"], "" if feedback == f"mailto:{contact.email}" else feedback)]
        copyright_ = text(self.facts.copyright) if self.facts.copyright else ""
        return assemble.BackPage(ui["back"], lines, copyright_)

    def embedded_files(self, config: MkDocsConfig) -> tuple[render.Attachment, ...]:
        """The site's KPI downloads and the glossary, embedded in the PDF."""
        if not self.config.attach_data:
            return ()
        ctx = self.ctx
        downloads = Path(config.site_dir) / ctx.prefix / (ctx.downloads_dir or "downloads")
        glossary = ctx.build.report_data(config).glossary
        glossary_data = None
        if glossary is not None and glossary.terms:
            glossary_data = attachments.glossary_csv(glossary, ctx.script, ctx.text_converter)
        return attachments.collect(downloads, ctx.script, glossary_data)

    def _cache(self, config: MkDocsConfig) -> Path:
        return self.ctx.build.path(self.config.cache_dir)

    def _store(self, config: MkDocsConfig, edition: dict) -> None:
        """Keep the PDF under its document's hash, so an unchanged report is not re-rendered."""
        cache = self._cache(config)
        try:
            cache.mkdir(parents=True, exist_ok=True)
            cached = cache / f"{edition['key']}.pdf"
            shutil.copyfile(edition["path"], cached)
            cached.with_suffix(".json").write_text(json.dumps({"pages": edition["pages"]}))
            for old in sorted(cache.glob("*.pdf"), key=os.path.getmtime)[:-8]:
                old.unlink(missing_ok=True)
                old.with_suffix(".json").unlink(missing_ok=True)
        except OSError:
            pass  # the cache is an optimisation only
