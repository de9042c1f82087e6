"""The build context: what every csr-kit plugin knows about the build under way.

The plugins share one :class:`Build` per ``mkdocs build`` (all languages) and one
:class:`LanguageBuild` per language that mkdocs-static-i18n builds.  A plugin asks
for them with :func:`language_build` and reads what it needs from the object:

- the language being built, the default (source) language, every built language,
  the script pages are written in and the one that is generated, the folder prefix
  of this language's site (``""``, ``"zh-Hans/"`` or ``"en/"``);
- the page model of each page (:meth:`LanguageBuild.page`): the file is read once
  per build and parsed once per language;
- what another plugin made for this build: the PDF's path, the KPI downloads' folder,
  and the report's data, loaded and checked once (:meth:`Build.report_data`);
- conversion for text and HTML that a plugin adds after csr-convert converted the
  page (:meth:`LanguageBuild.convert_text`, :meth:`LanguageBuild.convert_fragment`),
  which csr-convert provides (:meth:`LanguageBuild.provide_conversion`).

This module is the one place that reads mkdocs-static-i18n's state and another
csr plugin's options; the plugins never read each other's attributes.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

from .. import report_model
from ..page import PageModel
from ..text import is_chinese, script_of
from .common import Reporter

TextConverter = Callable[[str], str]
FragmentConverter = Callable[[str, Page], str]

_BUILD_KEY = "csr_kit_build"  # where the Build hangs on the MkDocs configuration
# Report models by (project, data files, their modification times and sizes): the one
# cache that outlives a build, because the live preview rebuilds in the same process.
_MODELS: dict[tuple[Any, ...], report_model.ReportModel] = {}
log = logging.getLogger("mkdocs.plugins.csr_kit.data")


# --- mkdocs-static-i18n ------------------------------------------------------------------
# Read here only.  Its plugin object keeps the language under way (`current_language`,
# set in its on_config at priority -100) and whether it is inside its loop over the
# other languages (`building`); its configuration lists the languages.

def _i18n(config: MkDocsConfig) -> Any:
    return config.plugins.get("i18n")


def _nav_translations(config: MkDocsConfig, language: str) -> dict[str, str]:
    i18n = _i18n(config)
    if i18n is None:
        return {}
    for lang in i18n.config.languages:
        if lang.locale == language:
            return dict(lang.nav_translations or {})
    return {}


def _built_locales(config: MkDocsConfig) -> list[str]:
    i18n = _i18n(config)
    if i18n is None:
        return []
    return [lang.locale for lang in i18n.config.languages if lang.build is not False]


def _default_locale(config: MkDocsConfig) -> str | None:
    i18n = _i18n(config)
    if i18n is None:
        return None
    for lang in i18n.config.languages:
        if lang.default:
            return lang.locale
    return None


def _current_locale(config: MkDocsConfig) -> str | None:
    return getattr(_i18n(config), "current_language", None)


def building_other_languages(config: MkDocsConfig) -> bool:
    """Whether mkdocs-static-i18n is inside its loop over the non-default languages."""
    return bool(getattr(_i18n(config), "building", False))


def language_alternates(config: MkDocsConfig) -> list[dict[str, Any]]:
    """The language switcher's entries mkdocs-static-i18n made for this build."""
    return list(getattr(_i18n(config), "extra_alternate", None) or [])


def shown_alternates(config: MkDocsConfig) -> list[dict[str, Any]]:
    """The switcher's entries the next template will show (those of the page being built)."""
    return list(getattr(config.extra, "alternate", None) or [])


def show_alternates(config: MkDocsConfig, alternates: list[dict[str, Any]]) -> None:
    """Replace the switcher's entries for the next template.

    mkdocs-static-i18n keeps them as an attribute of ``extra`` (not a key), which
    Material's templates read first.
    """
    setattr(config.extra, "alternate", alternates)  # noqa: B010 - an attribute, see above


def source_language_first(config: MkDocsConfig, script: str) -> tuple[str, str] | None | bool:
    """Make the language written in ``script`` the i18n default and the first built.

    Run before mkdocs-static-i18n's on_config (priority -100), in the first build
    only.  mkdocs-static-i18n builds the other languages in list order, skipping
    only the one it has just built: a default that is not first is built twice.
    Returns (new default, old default) when the default moved, False when nothing
    had to change, and None when no built language is in ``script``.
    """
    i18n = _i18n(config)
    if i18n is None or _current_locale(config) is not None:
        return False  # not using i18n, or a later language's build
    langs = [lang for lang in i18n.config.languages if lang.build is not False]
    source = next((lang for lang in langs if script_of(lang.locale) == script), None)
    if source is None:
        return None
    moved: tuple[str, str] | bool = False
    if not source.default:
        moved = (source.locale, _default_locale(config) or "")
        for lang in i18n.config.languages:
            lang.default = lang is source
    if i18n.config.languages[0] is not source:
        i18n.config.languages.remove(source)
        i18n.config.languages.insert(0, source)
    return moved


# --- the build -----------------------------------------------------------------------------

@dataclass
class LanguageBuild:
    """One language's build: its language, scripts, site folder and page models."""

    language: str
    default_language: str
    languages: list[str]  # every language built, the default first
    source_script: str  # the script the pages are written in
    generated_language: str | None  # the Chinese language whose pages csr-convert generates
    build: Build
    # Offered by the plugins that make them, for the others to link to or attach:
    pdf_file: str | None = None  # this language's PDF from the site root (csr-pdf)
    downloads_dir: str | None = None  # folder of the KPI downloads in each site (csr-kpi)
    # Prefixes of other sites' files the report allows (csr-site publishes copies of them).
    allowed_external: tuple[str, ...] = ()
    # Source pages this translated edition shows as "not yet translated" (csr-translation),
    # by their src_uri in the source edition (people.md).
    untranslated: set[str] = field(default_factory=set)
    # The i18n language's nav_translations (Chinese title → this language's title).
    nav_translations: dict[str, str] = field(default_factory=dict)
    pages_started: bool = False
    _pages: dict[str, PageModel] = field(default_factory=dict)
    _text_converter: TextConverter | None = None
    _fragment_converter: FragmentConverter | None = None

    @property
    def script(self) -> str:
        """The script of the language being built (zh-Hant or zh-Hans)."""
        return script_of(self.language)

    @property
    def chinese_languages(self) -> list[str]:
        """The built languages in a Chinese script: the source one and the generated one."""
        return [lang for lang in self.languages if is_chinese(lang)]

    @property
    def translated_languages(self) -> list[str]:
        """The built languages written by translators (English): neither source nor generated."""
        return [lang for lang in self.languages if not is_chinese(lang)]

    @property
    def is_translated(self) -> bool:
        """Whether this build is of a translated language (its pages are written by hand)."""
        return not is_chinese(self.language)

    def reports(self, page: Page) -> bool:
        """Whether this build reports the problems of the page's file.

        A file's problems are reported once, in the build of the language it is
        written in: a source page in the source build, ``page.en.md`` in the
        English build, a hand-written ``page.zh-Hans.md`` in the Simplified one.
        """
        return self.page_language(page) == self.language

    @property
    def is_source_build(self) -> bool:
        """The default (source) language's build: data and rule problems are reported in it
        once (a page's own problems: see :meth:`reports`)."""
        return self.language == self.default_language

    @property
    def generates(self) -> bool:
        """Whether this build publishes pages converted from the source script."""
        return self.language == self.generated_language

    @property
    def prefix(self) -> str:
        """This language's folder in the site: '' for the default language, else 'zh-Hans/'."""
        return "" if self.language == self.default_language else self.language + "/"

    def page_language(self, page: Page) -> str:
        """The language a page's file is written in (a fallback page is the default's)."""
        return getattr(page.file, "localization", None) or self.default_language

    def converts(self, page: Page) -> bool:
        """A page is converted when it is shown in the generated language but not written in it."""
        return self.generates and self.page_language(page) != self.language

    # --- pages --------------------------------------------------------------------------

    def page(self, page: Page, markdown: str) -> PageModel:
        """The page's model in this language's build, made once from its file.

        ``markdown`` is what the calling plugin received: when another plugin
        changed the page since the model last gave its text, the model is made
        again from that text so nothing it did is lost.
        """
        self.pages_started = True
        key = page.file.src_uri
        model = self._pages.get(key)
        if model is None or model.text() != markdown:
            path = page.file.abs_src_path
            earlier = self.build.parsed.get((path or key, markdown))
            if earlier is not None:  # the same Markdown, read in an earlier language's build
                model = earlier.again()
            else:
                file_text = self.build.read(path) if path and os.path.exists(path) else markdown
                model = PageModel.read(markdown, file_text, self.build.shown(path)
                                       if path else page.file.src_uri)
                self.build.parsed[(path or key, markdown)] = model
            self._pages[key] = model
        return model

    def page_model(self, page: Page) -> PageModel | None:
        """The model made while the page's Markdown was read (None for generated pages)."""
        return self._pages.get(page.file.src_uri)

    def source_uri(self, page: Page) -> str:
        """The page's file as the source edition names it: 'people.en.md' → 'people.md'."""
        uri = page.file.src_uri
        for language in self.languages:
            suffix = f".{language}.md"
            if uri.endswith(suffix):
                return uri[: -len(suffix)] + ".md"
        return uri

    # --- conversion -----------------------------------------------------------------------

    def provide_conversion(self, text: TextConverter, fragment: FragmentConverter) -> None:
        """csr-convert's converters for this build (other plugins call convert_*)."""
        self._text_converter, self._fragment_converter = text, fragment

    @property
    def text_converter(self) -> TextConverter | None:
        """Converts text the data gives in the source script only, in a generated build."""
        return self._text_converter if self.generates else None

    def convert_text(self, text: str) -> str:
        convert = self.text_converter
        return convert(text) if convert else text

    def convert_fragment(self, html: str, page: Page) -> str:
        """HTML a plugin adds after the page's conversion, shown as the page's text is."""
        return self._fragment_converter(html, page) if self._fragment_converter else html


class Build:
    """Everything one ``mkdocs build`` shares across its languages: files read once."""

    def __init__(self, config: MkDocsConfig) -> None:
        self.project_dir = Path(os.path.dirname(os.path.abspath(
            config.config_file_path or "mkdocs.yml")))
        self._texts: dict[str, str] = {}
        # Page models as first read, by (file, Markdown): later languages start from them.
        self.parsed: dict[tuple[str, str], PageModel] = {}
        self._model: report_model.ReportModel | None = None
        self.current: LanguageBuild | None = None
        self.languages: dict[str, LanguageBuild] = {}  # each language's build, as it is made

    def report_data(self, config: MkDocsConfig) -> report_model.ReportModel:
        """The report's data (every file the enabled plugins read), loaded once per build.

        Its problems are reported here, once; errors stop the build before any page
        is read.
        """
        if self._model is None:
            self._model = self._load_model(config)
            reporter = Reporter(log)
            reporter.report(self._model.problems)
            reporter.stop_if_errors("the report's data files")
        return self._model

    def _load_model(self, config: MkDocsConfig) -> report_model.ReportModel:
        def options(name: str) -> dict[str, Any] | None:
            plugin = config.plugins.get(name)
            return dict(plugin.config) if plugin is not None else None

        default = _default_locale(config) or str(config.theme.get("language") or "zh-Hant")
        translated = tuple(lang for lang in _built_locales(config) if not is_chinese(lang))
        files = report_model.data_files(options, _source_script(config, default), translated)
        paths = [files.report, files.glossary, files.kpis, files.charts, files.omissions,
                 *(f"{files.frameworks}/{fid}.yml" for fid in files.enabled_frameworks)]
        stamps = tuple(_stamp(self.project_dir / p) if p else None for p in paths)
        key = (str(self.project_dir), files, stamps)
        if key not in _MODELS:
            if len(_MODELS) > 8:
                _MODELS.clear()
            _MODELS[key] = report_model.load(self.project_dir, files)
        return _MODELS[key]

    def read(self, path: str | os.PathLike[str]) -> str:
        """A source file's text, read once per build."""
        key = os.path.abspath(path)
        if key not in self._texts:
            self._texts[key] = Path(key).read_text(encoding="utf-8-sig")
        return self._texts[key]

    def path(self, relative: str) -> Path:
        """A path given in mkdocs.yml, relative to the project folder."""
        return (self.project_dir / relative).resolve()

    def shown(self, path: str | os.PathLike[str]) -> str:
        """A path as authors see it: relative to the project folder."""
        try:
            return Path(path).resolve().relative_to(self.project_dir).as_posix()
        except ValueError:
            return str(path)


def begin(config: MkDocsConfig) -> LanguageBuild:
    """The context of a language build, from a plugin's ``on_config``.

    Call it at a priority below -100 (after mkdocs-static-i18n has chosen the
    language).  The first call of a build makes the context; a call after pages
    were read means the same configuration is being built again, from scratch.
    """
    build: Build | None = config.get(_BUILD_KEY)
    language = _current_locale(config) or _default_locale(config) or \
        str(config.theme.get("language") or "zh-Hant")
    current = build.current if build is not None else None
    if build is None or (current is not None and current.pages_started
                         and not building_other_languages(config)):
        build = Build(config)
        config[_BUILD_KEY] = build
        current = None
    if current is None or current.language != language or current.pages_started:
        current = build.current = _language_build(config, build, language)
        build.languages[language] = current
    return current


def language_build(config: MkDocsConfig) -> LanguageBuild:
    """The context of the language build under way, from any event after ``on_config``."""
    build: Build | None = config.get(_BUILD_KEY)
    if build is None or build.current is None:
        return begin(config)
    return build.current


def _language_build(config: MkDocsConfig, build: Build, language: str) -> LanguageBuild:
    default = _default_locale(config) or language
    languages = _built_locales(config) or [language]
    source = _source_script(config, default)
    generated = None
    if "csr-convert" in config.plugins:
        # The other Chinese script's language, wherever the list puts it (English may come first).
        generated = next((lang for lang in languages
                          if is_chinese(lang) and script_of(lang) != source), None)
    return LanguageBuild(language, default, languages, source, generated, build,
                         nav_translations=_nav_translations(config, language))


def heading_slugify(config: MkDocsConfig) -> Callable[[str], str]:
    """How the site makes heading ids: the toc extension's slugify and separator.

    Ids the plugins give headings (tagged sections, per-script markup) are made the
    same way as every other heading's, so links look alike across the site.
    """
    from markdown.extensions.toc import slugify as markdown_slugify  # Python-Markdown's default

    toc = config.mdx_configs.get("toc", {}) or {}
    slugify: Callable[[str, str], str] = toc.get("slugify") or markdown_slugify
    separator: str = toc.get("separator", "-")
    return lambda text: slugify(text, separator)


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


def _source_script(config: MkDocsConfig, default: str) -> str:
    """The script the pages are written in: csr-convert's ``source``, else the default's."""
    convert = config.plugins.get("csr-convert")
    if convert is not None:
        return str(convert.config.source)
    return script_of(default)
