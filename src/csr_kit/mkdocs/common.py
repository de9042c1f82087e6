"""What every csr-kit plugin needs from MkDocs: the language being built,
paths relative to the project, and one way to report authors' problems."""

from __future__ import annotations

import functools
import logging
import os
from pathlib import Path
from typing import Iterable, Optional

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page

from ..errors import Problem, SourceError, SourceErrors
from ..mdsource import SourceText, front_matter_lines
from ..text import script_of


def project_dir(config: MkDocsConfig) -> Path:
    return Path(os.path.dirname(os.path.abspath(config.config_file_path or "mkdocs.yml")))


def project_path(config: MkDocsConfig, relative: str) -> Path:
    return (project_dir(config) / relative).resolve()


def shown(config: MkDocsConfig, path: str | Path) -> str:
    """A path as authors see it: relative to the project folder."""
    try:
        return Path(path).resolve().relative_to(project_dir(config)).as_posix()
    except ValueError:
        return str(path)


def _i18n(config: MkDocsConfig):
    return config.plugins.get("i18n")


def build_language(config: MkDocsConfig) -> str:
    """The language of the build under way (mkdocs-static-i18n builds one per language)."""
    i18n = _i18n(config)
    if i18n is not None and getattr(i18n, "current_language", None):
        return i18n.current_language
    return str(config.theme.get("language") or "zh-Hant")


def default_language(config: MkDocsConfig) -> str:
    i18n = _i18n(config)
    if i18n is not None and getattr(i18n, "default_language", None):
        return i18n.default_language
    return build_language(config)


def languages(config: MkDocsConfig) -> list[str]:
    i18n = _i18n(config)
    if i18n is None:
        return [build_language(config)]
    return [lang.locale for lang in i18n.config.languages if lang.build is not False]


def is_source_build(config: MkDocsConfig) -> bool:
    """Problems in sources are reported once, in the default language's build."""
    return build_language(config) == default_language(config)


def build_script(config: MkDocsConfig) -> str:
    return script_of(build_language(config))


def page_language(page: Page, config: MkDocsConfig) -> str:
    """The language a page's file is written in (a fallback page is in the default language)."""
    return getattr(page.file, "localization", None) or default_language(config)


@functools.lru_cache(maxsize=2048)
def _read(path: str, mtime_ns: int, size: int) -> str:
    return Path(path).read_text(encoding="utf-8-sig")


def read_page_file(path: str) -> str:
    """A page file's text, read once while it is unchanged (several plugins need it)."""
    stat = os.stat(path)
    return _read(path, stat.st_mtime_ns, stat.st_size)


def page_source(page: Page, markdown: str, config: MkDocsConfig) -> SourceText:
    """The page's Markdown, positioned in its file so problems carry real line numbers."""
    path = shown(config, page.file.abs_src_path) if page.file.abs_src_path else page.file.src_uri
    offset = 0
    if page.file.abs_src_path and os.path.exists(page.file.abs_src_path):
        try:
            raw = read_page_file(page.file.abs_src_path)
            offset = front_matter_lines(raw, markdown)
        except UnicodeDecodeError:
            offset = 0
    return SourceText(markdown, path, offset + 1)


def front_matter_line(page: Page, key: str) -> Optional[int]:
    """The file line of a front-matter key (for messages about it)."""
    path = page.file.abs_src_path
    if not path or not os.path.exists(path):
        return None
    for number, line in enumerate(read_page_file(path).splitlines(), 1):
        if line.startswith(f"{key}:"):
            return number
        if number > 1 and line.strip() == "---":
            break
    return None


class Reporter:
    """Logs authors' problems as ``file:line: what — fix`` and stops the build on errors."""

    def __init__(self, logger: logging.Logger):
        self.log = logger
        self.errors = 0

    def reset(self) -> None:
        self.errors = 0

    def report(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            # The record carries the problem itself: the CLI lists it without parsing text.
            extra = {"csr_problem": problem}
            if problem.severity == "error":
                self.errors += 1
                self.log.error(str(problem), extra=extra)
            else:
                self.log.warning(str(problem), extra=extra)

    def capture(self, error: SourceError | SourceErrors) -> None:
        self.report([error.problem] if isinstance(error, SourceError) else error.problems)

    def stop_if_errors(self, what: str) -> None:
        if self.errors:
            count = self.errors
            self.errors = 0
            raise PluginError(f"{count} problem(s) in {what}; each is listed above with its "
                              "file and line.")
