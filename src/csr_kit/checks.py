"""Checks of a report's source files that need no MkDocs build, for ``csr-kit check``.

Each file is read on its own, so one broken file does not hide the problems
of another: mkdocs.yml (its YAML, the menu, the plugins, the script of its
titles), every data file against its schema, and every page's header (front
matter), images and links to other pages.  The checks that need the pages
rendered (KPI references, framework tags and rules, conversion markup,
wrong-script characters in pages, anchors) run afterwards in a strict build;
see :mod:`csr_kit.runner`.

Everything here is plain reading of files; of MkDocs only the csr plugins'
configuration classes are used, for their options' defaults.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import yaml

from . import report_model
from .convert import markup
from .convert.review import foreign_characters
from .datafile import Location, _Tree, _yaml_problem, decode_text, full_width_problems, read_text
from .errors import Problem, SourceError, close_matches, suggestion
from .mdsource import SourceText
from .mkdocs.convert.config import ConvertConfig
from .mkdocs.data_files import defaults
from .mkdocs.frameworks.config import FrameworksConfig
from .mkdocs.glossary.config import GlossaryConfig
from .mkdocs.kpi.config import KpiConfig
from .mkdocs.pdf.config import PdfConfig
from .mkdocs.site.config import SiteConfig
from .mkdocs.translation.config import TranslationConfig
from .report_model import BUG_HINT as BUG_HINT  # the CLI's hint for csr-kit's own bugs
from .text import is_chinese, script_of


# What the plugins read when mkdocs.yml does not say otherwise (see plugins/*/config.py).
def _plugin_defaults() -> dict[str, dict[str, Any]]:
    """Each csr plugin's options with their defaults, from its configuration class."""
    return {name: defaults(config) for name, config in (
        ("csr-convert", ConvertConfig), ("csr-glossary", GlossaryConfig),
        ("csr-kpi", KpiConfig), ("csr-frameworks", FrameworksConfig),
        ("csr-pdf", PdfConfig), ("csr-site", SiteConfig),
        ("csr-translation", TranslationConfig))}


DEFAULTS = _plugin_defaults()


# --- mkdocs.yml ------------------------------------------------------------------------


class _LenientTree(_Tree):
    """mkdocs.yml as plain values with lines; its special tags (!!python/…, !ENV) become None."""

    def build(self, node: yaml.Node, loc: Location) -> Any:
        if node.tag.startswith(("!", "tag:yaml.org,2002:python/")):
            self.lines[loc] = node.start_mark.line + 1
            return None
        return super().build(node, loc)


@dataclass
class Project:
    """A report folder as the checks see it."""

    root: Path
    config_file: Path
    config: dict[str, Any] | None = None  # mkdocs.yml's values (None if it cannot be read)
    lines: dict[Location, int] = field(default_factory=dict)
    config_shown: str = "mkdocs.yml"

    def _plugin_entries(self) -> list[tuple[str, Any, int | None]]:
        """(name, options, line) of each plugin; mkdocs.yml may list them or map them."""
        plugins = (self.config or {}).get("plugins")
        entries: list[tuple[str, Any, int | None]] = []
        if isinstance(plugins, dict):
            for name, options in plugins.items():
                entries.append((str(name), options, self.lines.get(("plugins", name))))
        elif isinstance(plugins, list):
            for i, entry in enumerate(plugins):
                line = self.lines.get(("plugins", i))
                if isinstance(entry, str):
                    entries.append((entry, None, line))
                elif isinstance(entry, dict):
                    for name, options in entry.items():
                        entries.append((str(name), options,
                                        self.lines.get(("plugins", i, name)) or line))
        return entries

    def plugin_options(self, name: str) -> dict[str, Any] | None:
        """The options of a plugin named in mkdocs.yml (None if it is not there)."""
        for entry, options, _ in self._plugin_entries():
            if entry == name:
                return {**DEFAULTS.get(name, {}), **(options if isinstance(options, dict) else {})}
        return None

    def source_script(self) -> str:
        """The script the pages are written in (csr-convert's ``source``)."""
        options = self.plugin_options("csr-convert") or {}
        source = options.get("source")
        return source if source in ("zh-Hant", "zh-Hans") else "zh-Hant"

    def plugin_names(self) -> list[tuple[str, int | None]]:
        return [(name, line) for name, _, line in self._plugin_entries()]

    @property
    def docs_dir(self) -> Path:
        value = (self.config or {}).get("docs_dir") or "docs"
        return self.root / str(value)

    def shown(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return str(path)


def load_project(config_file: str | Path) -> tuple[Project, list[Problem]]:
    """Read mkdocs.yml leniently (without running its tags), keeping each key's line."""
    path = Path(config_file)
    root = path.resolve().parent
    project = Project(root, path.resolve(), config_shown=path.name)
    shown = path.name
    if not path.exists():
        return project, [Problem(shown, None, f"there is no {shown} in {root}",
                                 "run csr-kit in the report's folder (the one that holds "
                                 "mkdocs.yml), or give the file with -f", category="config")]
    try:
        text = read_text(path, shown)
    except SourceError as err:
        return project, [err.problem]
    if not text.strip():
        return project, [Problem(shown, 1, "the file is empty",
                                 "restore mkdocs.yml from the last good copy", category="config")]
    wide = full_width_problems(text, shown)
    if wide:
        return project, [Problem(p.path, p.line, p.message, p.hint, category="config")
                         for p in wide]
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as err:
        return project, [_yaml_problem(shown, err, text)]
    tree = _LenientTree(shown)
    data = tree.build(node, ()) if node is not None else None
    if tree.problems:
        return project, tree.problems
    if not isinstance(data, dict):
        return project, [Problem(shown, 1, "mkdocs.yml should be made of 'name: value' lines",
                                 "restore it from the last good copy", category="config")]
    project.config, project.lines = data, tree.lines
    return project, []


def _installed_plugins() -> set[str]:
    from importlib.metadata import entry_points

    return {ep.name for ep in entry_points(group="mkdocs.plugins")}


def check_config(project: Project) -> list[Problem]:
    """The menu (nav), the docs folder and the plugin names in mkdocs.yml."""
    problems: list[Problem] = []
    config = project.config or {}
    shown = project.config_shown
    docs = project.docs_dir
    if not docs.is_dir():
        problems.append(Problem(shown, project.lines.get(("docs_dir",)),
                                f"the pages folder '{project.shown(docs)}' does not exist",
                                "create it, or fix docs_dir: in mkdocs.yml", category="config"))
    plugins = config.get("plugins")
    if plugins is not None and not isinstance(plugins, (list, dict)):
        problems.append(Problem(shown, project.lines.get(("plugins",)),
                                "'plugins' should be a list",
                                "write each plugin on its own line starting with '- '",
                                category="config"))
    else:
        installed = _installed_plugins()
        for name, line in project.plugin_names():
            if name not in installed:
                problems.append(Problem(shown, line, f"there is no plugin called '{name}'",
                                        suggestion(name, installed) or
                                        "check the spelling, or run make setup",
                                        category="config"))
    nav = config.get("nav")
    if nav is not None and docs.is_dir():
        problems += _check_nav(project, nav, ("nav",))
    problems += config_scripts(project)
    return problems


def config_scripts(project: Project) -> list[Problem]:
    """Titles in mkdocs.yml in the wrong script, as the pages' wrong-script check finds them.

    site_name, site_description and the menu's titles are written in the source
    script (csr-convert's ``source``) and converted for the other edition; an i18n
    language's own site_name, site_description and nav_translations are in that
    language's script.  ``-{…}-`` markup may hold either script.
    """
    if project.plugin_options("csr-convert") is None:
        return []
    config = project.config or {}
    source = project.source_script()
    found: list[tuple[Any, str, Location, str]] = []  # (text, script, where, what)
    for key in ("site_name", "site_description"):
        found.append((config.get(key), source, (key,), key))

    def nav_titles(items: Any, loc: Location) -> None:
        for i, item in enumerate(items if isinstance(items, list) else []):
            if isinstance(item, dict) and len(item) == 1:
                title, value = next(iter(item.items()))
                found.append((title, source, loc + (i, "<key>"), "the menu title"))
                nav_titles(value, loc + (i, title))

    nav_titles(config.get("nav"), ("nav",))
    plugins = config.get("plugins")
    for i, entry in enumerate(plugins if isinstance(plugins, list) else [plugins]):
        options = entry.get("i18n") if isinstance(entry, dict) else None
        here: Location = (("plugins", i, "i18n") if isinstance(plugins, list)
                          else ("plugins", "i18n"))
        languages = options.get("languages") if isinstance(options, dict) else None
        for j, language in enumerate(languages if isinstance(languages, list) else []):
            if not isinstance(language, dict):
                continue
            locale = str(language.get("locale") or "")
            script, at = script_of(locale), here + ("languages", j)
            for key in ("site_name", "site_description"):
                found.append((language.get(key), script, at + (key,),
                              f"the {locale} edition's {key}"))
            translations = language.get("nav_translations")
            for title, text in (translations.items() if isinstance(translations, dict) else []):
                where = at + ("nav_translations", title)  # key and value share the line
                found.append((title, source, where, "the menu title"))
                found.append((text, script, where, f"the {locale} edition's menu title"))
    problems: list[Problem] = []
    for text, script, loc, what in found:
        if not isinstance(text, str) or script not in ("zh-Hant", "zh-Hans"):
            continue
        shown = SourceText(text, project.config_shown, 1)
        marked, malformed = markup.scan(shown)
        if malformed:
            # Unclosed '-{' or a stray '}-': reported at the title's line, not as a crash.
            problems += [Problem(project.config_shown, project.lines.get(loc),
                                 f"{what} '{text}': {p.message}", p.hint, category="markup")
                         for p in malformed]
            continue
        kept = [(m.start, m.end) for m in marked]
        wrong = foreign_characters("".join(ch for k, ch in enumerate(text)
                                           if not any(a <= k < b for a, b in kept)), script)
        if wrong:
            other = "Simplified" if script == "zh-Hant" else "Traditional"
            problems.append(Problem(
                project.config_shown, project.lines.get(loc),
                f"{what} '{text}' has {other} character(s) {wrong} in a {script} "
                f"{'report' if script == source else 'edition'}",
                f"retype it in {script} characters"
                + (" (the other edition converts it)" if script == source else "")
                + ", or wrap a quotation in -{…}-", category="script"))
    return problems


def _check_nav(project: Project, items: Any, loc: Location) -> list[Problem]:
    problems: list[Problem] = []
    shown = project.config_shown
    line = project.lines.get(loc)
    if not isinstance(items, list):
        return [Problem(shown, line, "the menu (nav) should be a list of pages",
                        "write each entry on its own line starting with '- '", category="nav")]
    for i, item in enumerate(items):
        here = loc + (i,)
        if isinstance(item, dict) and len(item) == 1:
            title, value = next(iter(item.items()))
            if isinstance(value, list):
                problems += _check_nav(project, value, here + (title,))
                continue
            target, line = value, project.lines.get(here + (title,)) or project.lines.get(here)
        elif isinstance(item, str):
            target, line = item, project.lines.get(here)
        else:
            problems.append(Problem(shown, project.lines.get(here),
                                    "this menu entry is neither a page nor 'Title: page.md'",
                                    "write it as '- page.md' or '- Title: page.md'",
                                    category="nav"))
            continue
        if not isinstance(target, str) or not target.strip():
            problems.append(Problem(shown, line, "this menu entry names no page",
                                    "write the page's file name after the colon",
                                    category="nav"))
            continue
        if urlsplit(target).scheme or target.startswith("/"):
            continue  # a link to another site, left as it is
        path = project.docs_dir / unquote(target)
        if not path.is_file():
            pages = [project.shown(p)[len(project.shown(project.docs_dir)) + 1:]
                     for p in project.docs_dir.rglob("*.md")]
            problems.append(Problem(shown, line,
                                    f"the menu (nav) lists '{target}', which is not in "
                                    f"{project.shown(project.docs_dir)}/",
                                    suggestion(target, pages) or
                                    "fix the file name, or remove the entry", category="nav"))
    return problems


# --- data files ------------------------------------------------------------------------


def report_data(project: Project) -> report_model.ReportModel:
    """The report's data files, loaded and checked as a build loads them."""
    translated = tuple(sorted(lang for lang in _language_suffixes(project)
                              if lang != "None" and not is_chinese(lang)))
    files = report_model.data_files(project.plugin_options, project.source_script(), translated)
    return report_model.load(project.root, files,
                             lambda fid: (project.config_shown, _enabled_line(project, fid)))


def check_data(project: Project | Path) -> list[Problem]:
    """Every data file the enabled plugins read, each against its schema and the others."""
    if isinstance(project, Path):
        project, _ = load_project(project / "mkdocs.yml")
    return report_data(project).problems


def _enabled_line(project: Project, fid: str) -> int | None:
    plugins = (project.config or {}).get("plugins")
    places = ([(("plugins", i), e) for i, e in enumerate(plugins)] if isinstance(plugins, list)
              else [(("plugins",), plugins)] if isinstance(plugins, dict) else [])
    for loc, entry in places:
        if isinstance(entry, dict) and "csr-frameworks" in entry:
            options = entry["csr-frameworks"] or {}
            enabled = options.get("enabled") if isinstance(options, dict) else None
            if isinstance(enabled, list) and fid in enabled:
                return project.lines.get(loc + ("csr-frameworks", "enabled", enabled.index(fid)))
            return project.lines.get(loc + ("csr-frameworks",)) or project.lines.get(loc)
    return None


# --- pages -----------------------------------------------------------------------------

_FRONT_OPEN = re.compile(r"^-{3}[ \t]*$")
_FRONT_CLOSE = re.compile(r"^(?:-{3}|\.{3})[ \t]*$")
_MD_IMAGE = re.compile(r"!\[([^\]\n]*)\]\(\s*<?([^)\s>]*)>?(?:\s+[\"'][^\n]*?[\"'])?\s*\)")
_HTML_IMG = re.compile(r"<img\b[^>]*>", re.I)
_ALT_ATTR = re.compile(r"\balt\s*=\s*(\"([^\"]*)\"|'([^']*)'|([^\s>]+))", re.I)
_SRC_ATTR = re.compile(r"\bsrc\s*=\s*(\"([^\"]*)\"|'([^']*)'|([^\s>]+))", re.I)
_MD_LINK = re.compile(r"(?<!!)\[(?:[^\[\]\n]|\[[^\[\]\n]*\])*\]"
                      r"\(\s*<?([^)\s>]+)>?(?:\s+[\"'][^\n]*?[\"'])?\s*\)")


@dataclass
class PageHeader:
    meta: dict[str, Any]
    body_line: int  # file line where the Markdown after the header starts
    problems: list[Problem]
    lines: dict[str, int] = field(default_factory=dict)  # file line of each key


def read_front_matter(text: str, shown: str) -> PageHeader:
    """The page header as MkDocs reads it, with the problems MkDocs would silently ignore."""
    lines = text.split("\n")
    if not lines or not _FRONT_OPEN.match(lines[0].rstrip("\r")):
        return PageHeader({}, 1, [])
    for number, line in enumerate(lines[1:], 2):  # noqa: B007 - the closing line, used below
        if _FRONT_CLOSE.match(line.rstrip("\r")):
            break
    else:
        return PageHeader({}, 1, [Problem(
            shown, 1, "the page header that starts here with '---' is never closed",
            "add a line with only --- after the header's last line (e.g. after title: …)",
            category="front matter")])
    block = "\n".join(lines[1:number - 1])
    header = PageHeader({}, number + 1, [])
    if not block.strip():
        return header
    wide = full_width_problems(block, shown, first_line=2)
    if wide:
        header.problems += [Problem(p.path, p.line, p.message, p.hint, category="front matter")
                            for p in wide]
        return header
    try:
        node = yaml.compose(block, Loader=yaml.SafeLoader)
    except yaml.YAMLError as err:
        problem = _yaml_problem(shown, err, block)
        at_line = (problem.line or 0) + 1  # the header's YAML starts on the file's line 2
        header.problems.append(Problem(
            shown, at_line, f"the page header cannot be read ({problem.message}), so MkDocs would "
            "show it as text and ignore the title", problem.hint, category="front matter"))
        return header
    tree = _Tree(shown)
    data = tree.build(node, ()) if node is not None else None
    for p in tree.problems:
        header.problems.append(Problem(shown, (p.line or 0) + 1, p.message, p.hint,
                                       category="front matter"))
    if tree.problems:
        return header
    if not isinstance(data, dict):
        header.problems.append(Problem(shown, 2, "the page header should be 'name: value' lines",
                                       "write it as title: …, one setting per line",
                                       category="front matter"))
        return header
    header.meta = data
    header.lines = {k[0]: v + 1 for k, v in tree.lines.items() if len(k) == 1}
    return header


def check_page(path: Path, shown: str, docs_dir: Path) -> list[Problem]:
    """One page on its own: encoding, header and title, images' alt text, links to pages."""
    try:
        raw = path.read_bytes()
    except OSError as err:
        return [Problem(shown, None, f"the page cannot be read ({err.strerror or err})",
                        "check that it is a normal file", category="file")]
    try:
        text = decode_text(raw, shown)
    except SourceError as err:
        return [err.problem]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    header = read_front_matter(text, shown)
    problems = list(header.problems)
    if not header.problems:
        title = header.meta.get("title")
        if "title" not in header.meta:
            near = close_matches("title", [str(k) for k in header.meta])
            if near:
                problems.append(Problem(shown, header.lines.get(near[0]),
                                        f"the page has no title ('{near[0]}' is not 'title')",
                                        "write it exactly as title: …", category="front matter"))
            elif header.body_line > 1:
                problems.append(Problem(shown, 1, "the page has no title",
                                        "add a line 'title: …' to the page header",
                                        category="front matter"))
            else:
                problems.append(Problem(shown, 1, "the page has no header with its title",
                                        "start the page with three lines: ---, then "
                                        "title: …, then ---", category="front matter"))
        elif title is None or (isinstance(title, str) and not title.strip()):
            problems.append(Problem(shown, header.lines.get("title"),
                                    "the page title is empty",
                                    "write the title after 'title:'", category="front matter"))
        elif not isinstance(title, (str, int, float)):
            problems.append(Problem(shown, header.lines.get("title"),
                                    "the page title should be plain text",
                                    "write it on one line after 'title:', in quotes if it "
                                    "contains a colon", category="front matter"))
    problems += _check_body(text, shown, path, docs_dir, header.body_line)
    return problems


def _check_body(text: str, shown: str, path: Path, docs_dir: Path, body_line: int
                ) -> list[Problem]:

    lines = text.split("\n")
    body = "\n".join(lines[body_line - 1:])
    source = SourceText(body, shown, body_line)
    problems = []
    for m in source.prose_matches(_MD_IMAGE):
        if not m.group(1).strip():
            problems.append(image_without_alt(shown, source.line_at(m.start()), m.group(2)))
    for m in source.prose_matches(_HTML_IMG):
        alt = _ALT_ATTR.search(m.group(0))
        value = next((g for g in alt.groups()[1:] if g is not None), "") if alt else ""
        if not value.strip():
            src = _SRC_ATTR.search(m.group(0))
            name = next((g for g in src.groups()[1:] if g is not None), "?") if src else "?"
            problems.append(image_without_alt(shown, source.line_at(m.start()), name))
    problems += _resource_paths(source, shown)
    problems += duplicate_headings(source, shown)
    problems += table_rows(source, shown)
    for m in source.prose_matches(_MD_LINK):
        target = m.group(1)
        parts = urlsplit(target)
        if parts.scheme or parts.netloc or target.startswith(("/", "#")) or not parts.path:
            continue
        if not parts.path.lower().endswith(".md"):
            continue  # images, downloads and folder links are checked by the build
        resolved = (path.parent / unquote(parts.path)).resolve()
        if not resolved.is_file():
            problems.append(missing_link_target(shown, source.line_at(m.start()), target))
    return problems


# Where a page names a file or an address: Markdown images and links (a Windows path may
# hold spaces, so up to the closing parenthesis), and the HTML attributes browsers load.
_MD_TARGET = re.compile(r"(!?)\[(?:[^\[\]\n]|\[[^\[\]\n]*\])*\]\(\s*<?([^)\n>]*?)>?"
                        r"(?:\s+[\"'][^\n]*?[\"'])?\s*\)")
_MD_REFERENCE = re.compile(r"^ {0,3}\[[^\]\n]+\]:\s*<?(\S+?)>?(?:\s+[\"'(].*)?$", re.M)
_LOADING_TAG = re.compile(r"<(img|script|iframe|source|video|audio|embed|object|link)\b[^>]*>",
                          re.I)
_URL_ATTR = re.compile(r"\b(src|data|poster|href)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))", re.I)
_WINDOWS_PATH = re.compile(r"^(?:[A-Za-z]:[\\/]|\\\\|file:)|\\")
_EXTERNAL = re.compile(r"^(?:https?:)?//", re.I)


def _resource_paths(source: SourceText, shown: str) -> list[Problem]:
    """Paths that only work on the author's computer, and files loaded from other sites."""
    problems = []
    targets = []  # (offset, target, loaded by the browser itself)
    for m in source.prose_matches(_MD_TARGET):
        targets.append((m.start(), m.group(2).strip(), m.group(1) == "!"))
    for m in source.prose_matches(_MD_REFERENCE):
        targets.append((m.start(), m.group(1), False))
    for m in source.prose_matches(_LOADING_TAG):
        tag = m.group(1).lower()
        if tag == "link" and not re.search(r"rel\s*=\s*[\"']?[^>]*stylesheet", m.group(0), re.I):
            continue
        for a in _URL_ATTR.finditer(m.group(0)):
            if a.group(1).lower() == "href" and tag != "link":
                continue
            targets.append((m.start(), next(g for g in a.groups()[1:] if g is not None), True))
    for offset, target, loaded in targets:
        line = source.line_at(offset)
        if _WINDOWS_PATH.search(target):
            name = re.split(r"[\\/]", target.rstrip("\\/"))[-1] or "file"
            problems.append(Problem(
                shown, line, f"'{target}' is a path on a Windows computer (drive letter or "
                "backslashes), which does not work on the web",
                f"copy the file into the docs folder (e.g. docs/images/{name}) and write a "
                f"path relative to this page with forward slashes, e.g. images/{name}",
                category="links"))
        elif loaded and _EXTERNAL.match(target):
            problems.append(Problem(
                shown, line, f"'{target}' would be loaded from another site by every reader "
                "(a request outside the report; it may be blocked for mainland readers)",
                "download the file into the docs folder (e.g. docs/images/) and point to it "
                "with a relative path", category="links"))
    return problems


_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$", re.M)
_EXPLICIT_ID = re.compile(r"\{[^}]*#([^\s}]+)[^}]*\}\s*$")
_ATTR_LIST = re.compile(r"\{:?[^{}]*\}\s*$")


def duplicate_headings(source: SourceText, shown: str) -> list[Problem]:
    """Two headings of a page with one address: links and the contents go to the first."""
    problems = []
    seen: dict[str, tuple[int, str]] = {}
    for m in source.prose_matches(_HEADING):
        text = re.sub(r"\{\{[^{}]*\}\}", "", m.group(2)).strip()
        explicit = _EXPLICIT_ID.search(text)
        if explicit:
            key, label = "#" + explicit.group(1), f"the id '#{explicit.group(1)}'"
        else:
            words = " ".join(_ATTR_LIST.sub("", text).split()).lower()
            key, label = words, f"the heading '{words}'"
        if not key or key == "#":
            continue
        line = source.line_at(m.start())
        if key in seen:
            problems.append(Problem(
                shown, line, f"{label} is used twice on this page (first on line "
                f"{seen[key][0]}), so links to it and the contents go to the first one",
                "word the headings differently, or give this one its own id: "
                "## … {#another-id}", category="headings"))
        else:
            seen[key] = (line, label)
    return problems


_TABLE_RULE = re.compile(r"^ {0,3}\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def _cells(row: str) -> int:
    row = re.sub(r"`[^`]*`", "x", row.strip())  # a | inside code does not split cells
    row = row.replace("\\|", "x")
    if row.startswith("|"):
        row = row[1:]
    if row.endswith("|"):
        row = row[:-1]
    return row.count("|") + 1


def table_rows(source: SourceText, shown: str) -> list[Problem]:
    """A table row with fewer or more cells than the header: a figure shifts column."""
    problems = []
    lines = source.text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    i = 1
    while i < len(lines):
        if _TABLE_RULE.match(lines[i]) and "|" in lines[i - 1] and \
                not source.in_code(offsets[i]):
            columns = _cells(lines[i - 1])
            j = i + 1
            while j < len(lines) and "|" in lines[j] and lines[j].strip():
                found = _cells(lines[j])
                if found != columns:
                    problems.append(Problem(
                        shown, source.line_at(offsets[j]),
                        f"this table row has {found} cell{'s' if found != 1 else ''}, the "
                        f"header has {columns}", "add the missing cell (an empty one is "
                        "'| |') or remove the extra '|'; write a | inside a cell as \\|",
                        category="tables"))
                j += 1
            i = j
        else:
            i += 1
    return problems


def image_without_alt(shown: str, line: int | None, src: str) -> Problem:
    return Problem(shown, line, f"the image '{src}' has no alt text",
                   "describe it in the brackets: ![what the image shows](file.svg)",
                   category="accessibility")


def missing_link_target(shown: str, line: int | None, target: str) -> Problem:
    return Problem(shown, line, f"the link '{target}' points to a page that does not exist",
                   "fix the file name (links are relative to this page's folder)",
                   category="links")


def missing_anchor(shown: str, line: int | None, target: str) -> Problem:
    # A warning: the link still reaches the right page, and can be fixed later.
    return Problem(shown, line, f"the link '{target}' points to a section (#…) that does "
                   "not exist", "use the id of an existing heading, as shown in the address "
                   "bar when you click the heading's ¶ sign", severity="warning",
                   category="links")


def page_files(project: Project) -> list[Path]:
    docs = project.docs_dir
    if not docs.is_dir():
        return []
    found = []
    for dirpath, dirnames, filenames in os.walk(docs):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.lower().endswith(".md") and not name.startswith("."):
                found.append(Path(dirpath) / name)
    return found


# Results per page file, keyed by its size and modification time (the live preview
# checks every page on each save; most have not changed).
_PAGE_CACHE: dict[tuple[str, int, int, int], list[Problem]] = {}


def check_pages(project: Project) -> list[Problem]:
    problems: list[Problem] = []
    pages = page_files(project)
    tree = hash(tuple(pages))  # links to other pages: a page added or removed matters
    for path in pages:
        try:
            stat = path.stat()
        except OSError:
            stat = None
        key = (str(path), stat.st_mtime_ns, stat.st_size, tree) if stat else None
        if key is not None and key in _PAGE_CACHE:
            problems += _PAGE_CACHE[key]
            continue
        found = check_page(path, project.shown(path), project.docs_dir)
        if key is not None:
            if len(_PAGE_CACHE) > 2000:
                _PAGE_CACHE.clear()
            _PAGE_CACHE[key] = found
        problems += found
    return problems


# --- every file in docs/ accounted for -------------------------------------------------

# Names editors and file managers give copies and backups: 'people - 複本.md',
# 'people copy.md', 'people (1).md', 'people.md~', 'people.md.bak', '~$people.docx'.
_STRAY = re.compile(r"(複本|副本|拷貝|拷贝|\bcopy\b|\bkopie\b|\(\d+\)|~$|^~\$|\.bak$|\.orig$|"
                    r"\.tmp$|\.swp$|\.old$|\.backup$)", re.I)


def _nav_pages(nav: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(nav, list):
        for item in nav:
            if isinstance(item, str):
                found.add(item)
            elif isinstance(item, dict):
                for value in item.values():
                    found |= _nav_pages(value) if isinstance(value, list) else (
                        {value} if isinstance(value, str) else set())
    return found


def _language_suffixes(project: Project) -> set[str]:
    """'zh-Hans' and the like: pages 'x.zh-Hans.md' are another edition of 'x.md'."""
    options = project.plugin_options("i18n") or {}
    languages = options.get("languages") if isinstance(options, dict) else None
    return {str(entry.get("locale")) for entry in languages or [] if isinstance(entry, dict)}


def check_files(project: Project) -> list[Problem]:
    """Stray copies, pages left out of the menu, files nothing refers to (all published)."""
    docs = project.docs_dir
    if not docs.is_dir():
        return []
    problems: list[Problem] = []
    files = []
    for dirpath, dirnames, filenames in os.walk(docs):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        files += [Path(dirpath) / n for n in sorted(filenames) if not n.startswith(".")]
    relative = {f: f.relative_to(docs).as_posix() for f in files}
    suffixes = _language_suffixes(project)
    strays = set()
    for path, rel in relative.items():
        name = path.name
        if _STRAY.search(path.stem) or _STRAY.search(name):
            strays.add(path)
            problems.append(Problem(
                project.shown(path), None, f"'{rel}' looks like an editor's copy or backup, "
                "and would be published (and indexed) with the report",
                "move it out of the docs folder (or delete it) once you have kept what you "
                "need", severity="warning", category="files"))
    nav = (project.config or {}).get("nav")
    listed = {unquote(p) for p in _nav_pages(nav)} if isinstance(nav, list) else None
    pages = [p for p in files if p.suffix.lower() == ".md" and p not in strays]
    if listed is not None:
        for path in pages:
            rel = relative[path]
            parts = path.name.split(".")
            if len(parts) > 2 and parts[-2] in suffixes:
                continue  # another edition of a page: the menu lists the page itself
            if rel not in listed:
                problems.append(Problem(
                    project.shown(path), None, f"'{rel}' is not in the menu (nav) of "
                    f"{project.config_shown}, but would be published",
                    f"add it under nav: in {project.config_shown}, or move it out of the docs "
                    "folder", severity="warning", category="files"))
    problems += _unreferenced(project, files, relative, strays)
    return problems


def _unreferenced(project: Project, files: list[Path], relative: dict[Path, str],
                  strays: set[Path]) -> list[Problem]:
    """Images and downloads in docs/ that no page, setting or template refers to."""
    texts = []
    for path in [project.config_file, *(p for p in files if p.suffix.lower() in
                                        (".md", ".css", ".html", ".js"))]:
        try:
            texts.append(path.read_text(encoding="utf-8-sig", errors="replace"))
        except OSError:
            continue
    for folder in ("data", "overrides"):
        base = project.root / folder
        if base.is_dir():
            for path in base.rglob("*"):
                if path.is_file() and path.suffix.lower() in (".yml", ".yaml", ".html",
                                                               ".css", ".js"):
                    texts.append(path.read_text(encoding="utf-8-sig", errors="replace"))
    everything = "\n".join(texts)
    problems = []
    for path in files:
        if path.suffix.lower() in (".md",) or path in strays:
            continue
        if path.name in everything or unquote(path.name) in everything:
            continue
        problems.append(Problem(
            project.shown(path), None, f"nothing refers to '{relative[path]}', but it would "
            "be published", "use it in a page, or move it out of the docs folder",
            severity="warning", category="files"))
    return problems


# --- everything that needs no build ----------------------------------------------------


@dataclass
class StaticResult:
    project: Project
    problems: list[Problem]
    # Problems that stop a build from saying anything useful (unreadable config or data).
    blocking: bool


def static_checks(config_file: str | Path) -> StaticResult:
    project, problems = load_project(config_file)
    if project.config is None:
        return StaticResult(project, problems, True)
    problems += check_config(project)
    # A wrong setting stops MkDocs before any page is read; a menu entry does not.
    config_blocking = any(p.category == "config" for p in problems)
    data = check_data(project)
    pages = check_pages(project) + check_files(project)
    blocking = config_blocking or any(p.severity == "error" for p in data) or any(
        p.category in ("encoding", "file") for p in pages)
    return StaticResult(project, problems + data + pages, blocking)


def sort_key(problem: Problem) -> tuple[Any, ...]:
    return (problem.path, problem.line or 0, problem.message)

