"""csr-site: what readers of each edition need from the published site.

mkdocs-static-i18n writes one ``404.html`` (the last language's) and one
merged search index; this plugin gives each language its own of both, and
checks that every image has alt text.  It gives each edition its site name and
description (data/report.yml) and the chrome in its language, and keeps an
edition's "not yet translated" notices out of the sitemap and search engines.
"""

from __future__ import annotations

import gzip
import json
import logging
import os
import re
import shutil
import urllib.request
from copy import deepcopy
from importlib import metadata, resources
from urllib.parse import urlsplit

from jinja2 import TemplateNotFound
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from ... import external
from ...convert.engine import plain
from ...errors import Problem
from ...glossary import Glossary
from ...report import Report
from ...search import ScriptAwareSegmenter, add_words
from ...site import (
    add_skip_link,
    chrome,
    chrome_text,
    drop_from_sitemap,
    drop_hreflang_links,
    dump_index,
    fix_query_segmentation,
    images_without_alt,
    link_downloads,
    mark_english_text,
    mark_not_for_indexing,
    mark_switcher_languages,
    name_search_dialog,
    permalink_title,
    point_search_at,
    query_segmentation_fixed,
    rebase_shared_files,
    search_config,
    split_search_index,
)
from ...text import is_chinese
from ..common import Reporter
from ..context import (
    begin,
    building_other_languages,
    language_alternates,
    language_build,
    show_alternates,
    shown_alternates,
)
from .config import SiteConfig

log = logging.getLogger("mkdocs.plugins.csr_kit.site")

SCRIPT_URI = "assets/csr-site.js"
# The kit's stylesheet for reports (palette, cards, tables, charts). It comes before
# a report's own extra_css, which can override any of it.
STYLE_URI = "assets/csr-kit.css"
# The Material release whose search module csr-site's segmentation wrapper is tested with.
MATERIAL_SEARCH_TESTED = "9.8."


class SitePlugin(BasePlugin[SiteConfig]):
    def __init__(self) -> None:
        self.reporter = Reporter(log)
        self._default_404: str | None = None
        self._taught: Glossary | None = None
        self.report: Report | None = None
        # What this language's build changed in the configuration and in the toc
        # extension's (permalink_title), restored after it.
        self._saved: dict[str, object] = {}
        self._saved_toc: dict[str, object] | None = None  # None: left as it was
        # Per translated language: its folder's search configuration (Material's
        # partial for that language), and the addresses of its "not yet translated"
        # notices (kept out of the sitemap).
        self._search_configs: dict[str, dict] = {}
        self._notices: set[str] = set()

    @event_priority(100)  # before Material's search plugin reads the language partial
    def _add_templates(self, config: MkDocsConfig) -> MkDocsConfig:
        # Material has no zh-Hans language partial, and its zh-Hant one is not Hong Kong
        # wording.  Ours go after the project's overrides (which may still replace
        # them) and before the theme's own templates.
        templates = str(resources.files("csr_kit.mkdocs.site").joinpath("templates"))
        if templates not in config.theme.dirs:
            custom = config.theme.custom_dir
            at = 1 if custom and config.theme.dirs and \
                os.path.samefile(config.theme.dirs[0], custom) else 0
            config.theme.dirs.insert(at, templates)
        return config

    @event_priority(-120)  # after csr-glossary has read the glossary
    def _configure(self, config: MkDocsConfig) -> MkDocsConfig:
        self.reporter.reset()
        self.ctx = begin(config)
        self.ctx.allowed_external = tuple(self.config.allow_external)
        self._fetch_failures: dict[str, str] = {}
        if self.config.chinese_search:
            self._improve_chinese_search(config)
        if SCRIPT_URI not in [str(s) for s in config.extra_javascript]:
            config.extra_javascript.append(SCRIPT_URI)
        if STYLE_URI not in [str(s) for s in config.extra_css]:
            config.extra_css.insert(0, STYLE_URI)
        self.report = self.ctx.build.report_data(config).report
        if self.ctx.is_source_build:
            self._search_configs, self._notices = {}, set()
        self._edition_config(config)
        return config

    def _edition_config(self, config: MkDocsConfig) -> None:
        """This edition's site name and description (data/report.yml) and heading-link
        title, restored after its build (the next language starts from mkdocs.yml's)."""
        ctx = self.ctx
        self._saved, self._saved_toc = {}, None
        if self.report is not None:
            convert = ctx.text_converter
            for key, value in (
                    ("site_name",
                     self.report.site_name_in(ctx.script, ctx.source_script, convert)),
                    ("site_description",
                     self.report.description_in(ctx.script, ctx.source_script, convert))):
                if value is not None:
                    self._saved[key] = config[key]
                    config[key] = value
        toc = config.mdx_configs.get("toc")
        if isinstance(toc, dict) and toc.get("permalink"):
            title = permalink_title(str(toc.get("permalink_title", "Permanent link")),
                                    ctx.script)
            if title is not None:
                self._saved_toc = {key: toc[key] for key in ("permalink_title",) if key in toc}
                toc["permalink_title"] = title
        if ctx.is_translated:
            translate = self._material_words(config)
            if translate is not None:
                self._search_configs[ctx.language] = search_config(translate)

    @staticmethod
    def _material_words(config: MkDocsConfig):
        """Look a key up in the theme's language partial for this build (Material's
        search plugin reads its defaults the same way), or None for another theme."""
        env = config.theme.get_env()
        try:
            template = env.get_template("partials/language.html", None, {"config": config})
        except TemplateNotFound:  # a theme without Material's language partials
            return None
        # The partial's `t` macro, which Jinja's module type does not declare.
        return lambda key: str(template.module.t(key))  # type: ignore[attr-defined]

    @event_priority(-50)  # after csr-pdf (-10), before i18n (-100) builds the next language
    def _restore_config(self, *, config: MkDocsConfig) -> None:
        for key, value in self._saved.items():
            config[key] = value
        toc = config.mdx_configs.get("toc")
        if isinstance(toc, dict) and self._saved_toc is not None:
            toc.pop("permalink_title", None)
            toc.update(self._saved_toc)
        self._saved, self._saved_toc = {}, None
        self.reporter.stop_if_errors("the built pages")  # an allowed file not downloaded

    def _chrome(self, config: MkDocsConfig) -> dict:
        """The footer's, home page's and 404 page's facts for this language's build."""
        ctx = language_build(config)
        folder = ctx.prefix
        facts = chrome(self.report, ctx.script, folder, ctx.pdf_file, ctx.source_script,
                       ctx.downloads_dir or "downloads")
        facts["root"] = urlsplit(config.site_url or "/").path.rstrip("/") + "/"
        facts["others"] = [] if folder else [
            lang for lang in ctx.languages if lang != ctx.default_language]
        return facts

    def _improve_chinese_search(self, config: MkDocsConfig) -> None:
        """Segment Traditional text for search through its Simplified form.

        HACK (the plugin's only one): Material's search calls its module-level
        ``jieba.cut`` and offers no hook for the text it segments; the name is
        replaced, once per process, by a wrapper that segments via Simplified.
        Guarded by Material's version: with any other release the search keeps
        Material's own segmentation (and a debug message says so).
        """
        try:
            from material.plugins.search import plugin as material_search
        except ImportError:
            return
        version = metadata.version("mkdocs-material")
        jieba = getattr(material_search, "jieba", None)
        if jieba is None or not version.startswith(MATERIAL_SEARCH_TESTED):
            log.debug("csr-site: Material %s's search is left as it is (segmentation via "
                      "Simplified is tested with %s)", version, MATERIAL_SEARCH_TESTED)
            return
        if not isinstance(jieba, ScriptAwareSegmenter):
            jieba = ScriptAwareSegmenter(jieba, plain("hk2s").convert)
            material_search.jieba = jieba
        glossary = self.ctx.build.report_data(config).glossary
        if glossary is not self._taught:  # teach the segmenter the glossary's terms
            add_words(jieba, [word for term in glossary.terms
                              for word in (term.zh_Hant, term.zh_Hans, *term.variants)])
            self._taught = glossary

    on_config = CombinedEvent(_add_templates, _configure)

    @event_priority(-110)  # after mkdocs-static-i18n sorted the files (it needs real sources)
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """The reader-side script and stylesheet ship with the plugin, not with each report."""
        for uri, name in ((SCRIPT_URI, "csr-site.js"), (STYLE_URI, "csr-kit.css")):
            if files.get_file_from_path(uri) is None:
                shipped = resources.files("csr_kit.mkdocs.site").joinpath(name)
                files.append(File.generated(config, uri,
                                            content=shipped.read_text(encoding="utf-8")))
        return files

    @event_priority(-30)
    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files) -> str:
        ctx = language_build(config)
        if "csr:" in html:
            facts = self._chrome(config)
            html = link_downloads(html, page.url, {
                "pdf": facts["pdf"], "csv": facts["csv"], "json": facts["json"]},
                {kind: facts["text"]["no_" + kind] for kind in ("pdf", "csv", "json")})
        # Before shared files are rebased: the message names the path the author wrote.
        if self.config.require_alt and ctx.reports(page):
            page_model = ctx.page_model(page)
            for src in images_without_alt(html):
                name = os.path.basename(src)
                line = page_model.first_line_with(name) if page_model else None
                if page_model and line:  # the path as the author wrote it, not as MkDocs made it
                    written = re.search(r"[(\"'\s]([^()\"'\s]*" + re.escape(name) + ")",
                                        page_model.file_text.splitlines()[line - 1])
                    src = written.group(1) if written else src
                self.reporter.report([Problem(
                    page_model.path if page_model else page.file.src_uri, line,
                    f"the image '{src}' has no alt text",
                    "describe it in the brackets: ![what the image shows](file.svg)",
                    category="accessibility")])
        if not ctx.is_source_build:
            docs = config.docs_dir
            html = rebase_shared_files(html, page.url, ctx.language,
                                       lambda path: os.path.isfile(os.path.join(docs, path)))
        if is_chinese(ctx.script):
            # In the content, once: the page and csr-pdf's chapters both read it.
            html = mark_english_text(html)
        return html

    def on_template_context(self, context, *, template_name: str, config: MkDocsConfig):
        """A 404 page is served at any address: its language links go to each home page."""
        context["csr"] = self._chrome(config)
        alternates = language_alternates(config)
        if template_name == "404.html" and alternates:
            root = urlsplit(config.site_url or "/").path.rstrip("/")
            # i18n's links already hold the site's folder when site_url has one.
            show_alternates(config, [
                {**alt, "link": alt["link"] if alt["link"].startswith(root + "/")
                 else root + alt["link"]} for alt in deepcopy(alternates)])
        return context

    def on_post_template(self, output: str, *, template_name: str, config: MkDocsConfig) -> str:
        """Give each language its own 404 page (i18n would leave only the last one)."""
        if template_name != "404.html":
            return output
        ctx = language_build(config)
        output = name_search_dialog(output, chrome_text(ctx.script)["search"])
        output = mark_switcher_languages(output, ctx.language)
        output = add_skip_link(output, "csr-not-found", chrome_text(ctx.script)["skip"])
        # Material's links to the home page (logo, navigation) come out as "<root>." here.
        root = urlsplit(config.site_url or "/").path.rstrip("/") + "/"
        output = output.replace(f'href="{root}."', f'href="{root}"')
        if ctx.is_source_build:
            self._default_404 = output
            return output
        folder = os.path.join(config.site_dir, ctx.language)
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "404.html"), "w", encoding="utf-8") as handle:
            handle.write(output)
        return self._default_404 if self._default_404 is not None else output

    @event_priority(-200)  # after mkdocs-static-i18n merged every language's search entries
    def _finish_site(self, *, config: MkDocsConfig) -> None:
        ctx = language_build(config)
        if building_other_languages(config):
            return  # a language build inside the i18n loop: the last one finishes the site
        if self.config.split_search and len(ctx.languages) > 1:
            self._split_search(config)
        self._drop_notices_from_sitemap(config)
        if self.config.chinese_search:
            self._fix_query_segmentation(config)

    on_post_build = CombinedEvent(_restore_config, _finish_site)

    def _drop_notices_from_sitemap(self, config: MkDocsConfig) -> None:
        """A "not yet translated" notice is no page of its edition for search engines:
        neither a sitemap entry nor another page's hreflang alternate."""
        if not self._notices:
            return
        for folder in ["", *language_build(config).languages]:
            path = os.path.join(config.site_dir, folder, "sitemap.xml")
            if not os.path.isfile(path):
                continue
            with open(path, encoding="utf-8") as handle:
                sitemap = drop_from_sitemap(handle.read(), self._notices)
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(sitemap)
            # The compressed copy beside it, with the build's timestamp as MkDocs wrote it.
            packed_path = path + ".gz"
            stamp = None
            if os.path.isfile(packed_path):
                with gzip.GzipFile(packed_path) as old:
                    old.read()
                    stamp = old.mtime
            with open(packed_path, "wb") as raw, gzip.GzipFile(
                    fileobj=raw, filename=packed_path, mode="wb", mtime=stamp) as packed:
                packed.write(sitemap.encode("utf-8"))

    def _fix_query_segmentation(self, config: MkDocsConfig) -> None:
        folder = os.path.join(config.site_dir, "assets", "javascripts", "workers")
        if not os.path.isdir(folder):
            return
        for name in os.listdir(folder):
            if not (name.startswith("search.") and name.endswith(".min.js")):
                continue
            path = os.path.join(folder, name)
            with open(path, encoding="utf-8") as handle:
                worker = handle.read()
            fixed = fix_query_segmentation(worker)
            if fixed is None:
                if not query_segmentation_fixed(worker):
                    log.warning("Material's search worker changed: Chinese phrase queries are "
                                "segmented by Material alone (csr-site could not apply its fix)")
                continue
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(fixed)

    def _split_search(self, config: MkDocsConfig) -> None:
        path = os.path.join(config.site_dir, "search", "search_index.json")
        if not os.path.exists(path):
            return
        with open(path, encoding="utf-8") as handle:
            index = json.load(handle)
        ctx = language_build(config)
        others = [lang for lang in ctx.languages if lang != ctx.default_language]
        # Material fetches "<base>/sitemap.xml"; each language folder is a base.
        for name in ("sitemap.xml", "sitemap.xml.gz"):
            source = os.path.join(config.site_dir, name)
            for folder in others:
                if os.path.exists(source):
                    os.makedirs(os.path.join(config.site_dir, folder), exist_ok=True)
                    shutil.copyfile(source, os.path.join(config.site_dir, folder, name))
        for folder, part in split_search_index(index, others, self._search_configs).items():
            target = os.path.join(config.site_dir, folder, "search", "search_index.json")
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "w", encoding="utf-8") as handle:
                handle.write(dump_index(part))

    @event_priority(0)  # after mkdocs-static-i18n (50) set this page's alternates
    def on_page_context(self, context, *, page: Page, config: MkDocsConfig, nav):
        """Language links relative to the site, so it works in any folder of any host.

        The i18n plugin gives a home page's alternates as root-absolute paths
        ('/', '/zh-Hans/', or '/report/zh-Hans/' under site_url https://x.org/report/),
        which break when the site is not served at the root of its host; MkDocs' url
        filter makes site-relative paths page-relative.
        """
        root = urlsplit(config.site_url or "/").path.rstrip("/") + "/"

        def site_relative(link: str) -> str:
            if link.startswith(root):
                return link[len(root):] or "./"
            return link.lstrip("/") or "./"

        show_alternates(config, [
            {**alt, "link": site_relative(alt["link"])}
            if str(alt.get("link", "")).startswith("/") else alt
            for alt in shown_alternates(config)])
        context["csr"] = self._chrome(config)
        return context

    def _copies_of_allowed_files(self, output: str, page: Page, config: MkDocsConfig) -> str:
        """Other sites' files the report allows: published as copies, never hot-linked."""
        def fetch(url: str) -> bool:
            if url in self._fetch_failures:
                return False
            cached = self.ctx.build.path(self.config.external_cache) / external.local_name(url)
            if not cached.exists():
                try:
                    with urllib.request.urlopen(url, timeout=20) as response:  # noqa: S310
                        data = response.read()
                except (OSError, ValueError) as err:  # URLError and timeouts are OSErrors
                    self._fetch_failures[url] = str(getattr(err, "reason", err))
                    return False
                cached.parent.mkdir(parents=True, exist_ok=True)
                cached.write_bytes(data)
            target = os.path.join(config.site_dir, external.FOLDER, cached.name)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copyfile(cached, target)
            return True

        output, failed = external.localise(output, page.url, self.config.allow_external, fetch)
        page_model = self.ctx.page_model(page)
        for url in failed:
            line = page_model.first_line_with(url) if page_model else None
            self.reporter.report([Problem(
                page_model.path if page_model else page.file.src_uri, line,
                f"'{url}' is allowed under allow_external (csr-site), but it could not be "
                f"downloaded ({self._fetch_failures.get(url, 'no answer')}), so readers "
                "would load it from the other site",
                "check the address and the network, or save the file into docs/ and point "
                "to it with a relative path", category="leaks")])
        return output

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        # Material reads every <link rel="alternate"> as a language root and fetches
        # "<link>/sitemap.xml" from it: per-page links (which the i18n plugin makes)
        # cause a failed request on every page.  The per-page hreflang alternates are
        # in sitemap.xml instead, a method search engines accept as equivalent.
        output = drop_hreflang_links(output)
        ctx = language_build(config)
        if self.config.allow_external:
            output = self._copies_of_allowed_files(output, page, config)
        output = name_search_dialog(output, chrome_text(ctx.script)["search"])
        output = mark_switcher_languages(output, ctx.language)
        if ctx.is_translated and ctx.source_uri(page) in ctx.untranslated:
            output = mark_not_for_indexing(output)
            self._notices.add(page.canonical_url or page.abs_url or page.url)
        if self.config.split_search and not ctx.is_source_build:
            return point_search_at(output, ctx.language)
        return output
