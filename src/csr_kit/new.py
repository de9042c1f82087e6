"""Start a new organisation's report: ``csr-kit new <folder>``.

Writes a complete report repository (settings, data, example pages using every
directive, a README for the communications team, ``.gitignore``, CI workflow) from the
templates in ``templates/new/``, in the script the organisation writes in. The result
builds and passes ``csr-kit check`` as it is.

With an English edition (``--english``), the report also has the English language and
csr-translation in mkdocs.yml, an English home page (``docs/index.en.md``; the other
pages are "not yet translated" notices under English titles), English in every data
label, and the translation record marking the home page as following its source.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata, resources
from pathlib import Path
from typing import Any

import jinja2
import opencc
from pymdownx import slugs

from .translation import notice, sections, status

# A source choice: (source script, region of the Traditional edition).
SOURCES = {
    "zh-Hant-HK": ("zh-Hant", "HK"),
    "zh-Hans": ("zh-Hans", "HK"),
    "zh-Hant-TW": ("zh-Hant", "TW"),
}
FRAMEWORKS = ("gri", "hkex", "iso26000", "sdg")
_SCRIPT_NAMES = {
    ("zh-Hant", "HK"): ("Traditional Chinese (Hong Kong)", "繁體中文"),
    ("zh-Hant", "TW"): ("Traditional Chinese (Taiwan)", "繁體中文"),
    ("zh-Hans", "HK"): ("Simplified Chinese", "简体中文"),
}
# Index page titles: Traditional, Simplified, English.
_INDEX_TITLES = {
    "gri": ("GRI 內容索引", "GRI 内容索引", "GRI content index"),
    "hkex": ("香港交易所環境、社會及管治報告守則索引", "香港交易所环境、社会及管治报告守则索引",
             "HKEX ESG Reporting Code index"),
    "iso26000": ("ISO 26000 社會責任指引索引", "ISO 26000 社会责任指南索引",
                 "ISO 26000 social responsibility index"),
    "sdg": ("聯合國可持續發展目標索引", "联合国可持续发展目标索引",
            "UN Sustainable Development Goals index"),
}
# English titles of the example pages the English edition does not translate: its
# navigation and "not yet translated" notices show them (nav_translations in mkdocs.yml).
_ENGLISH_TITLES = {"docs/people.md": "People", "docs/environment.md": "Environment",
                   "docs/appendix/performance-data.md": "Performance data",
                   "docs/glossary.md": "Glossary"}
_ENGLISH_APPENDIX = "Appendices"
# The heading ids mkdocs.yml's toc gives (templates/new/common/mkdocs.yml: slugify with
# case: lower): the sections the translation record is kept by.
_HEADING_ID = slugs.slugify(case="lower")
# The example KPIs' framework codes (only the enabled frameworks' codes are written).
_KPI_CODES = {
    "staff_total": ("gri:2-7", "hkex:B1.1", "sdg:8"),
    "staff_gender": ("gri:405-1", "hkex:B1.1", "sdg:5"),
    "training": ("gri:404-1", "hkex:B3.2", "iso26000:6.4.7", "sdg:4"),
    "electricity": ("gri:302-1", "hkex:A2.1", "sdg:7"),
    "ghg": ("gri:305-2", "hkex:A1.2", "iso26000:6.5.5", "sdg:13"),
}
# Stored without their leading dot: the wheel's package data leaves hidden files out.
_HIDDEN = {"gitignore": ".gitignore",
           "github/workflows/publish.yml": ".github/workflows/publish.yml"}
_FILE_STEM = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class NewReportError(Exception):
    """A choice that cannot make a report; the message says what to do."""


class KitInstallationError(Exception):
    """csr-kit itself is incomplete (a file it ships is missing): no mistake of the author's;
    the message says how to repair the installation."""


@dataclass
class NewReport:
    organisation: str
    title: str
    year: int
    source: str = "zh-Hant-HK"  # a key of SOURCES
    frameworks: list[str] = field(default_factory=lambda: ["gri", "hkex"])
    english: bool = False
    organisation_en: str = ""
    title_en: str = ""
    file_stem: str = "report"

    def problems(self) -> list[str]:
        found = []
        if not self.organisation.strip():
            found.append("the organisation's name is empty — give it with --organisation")
        if not self.title.strip():
            found.append("the report's title is empty — give it with --title")
        if not 1990 <= self.year <= 2100:
            found.append(f"'{self.year}' is not a report year — give the year, e.g. --year 2025")
        if self.source not in SOURCES:
            found.append(f"'{self.source}' is not a source script — use one of "
                         f"{', '.join(SOURCES)}")
        unknown = [f for f in self.frameworks if f not in FRAMEWORKS]
        if unknown:
            found.append(f"unknown framework(s) {', '.join(unknown)} — choose from "
                         f"{', '.join(FRAMEWORKS)}")
        if not _FILE_STEM.match(self.file_stem):
            found.append(f"'{self.file_stem}' cannot be a file name — use lower-case letters, "
                         "digits and '-' (e.g. acme-csr)")
        if self.english and not self.organisation_en.strip():
            found.append("the English edition needs the organisation's English name — give it "
                         "with --organisation-en, e.g. --organisation-en \"Example Association\"")
        if self.english and not self.title_en.strip():
            found.append("the English edition needs the report's English title — give it with "
                         "--title-en, e.g. --title-en \"Sustainability Report 2025\"")
        return found


def kit_version() -> str:
    return metadata.version("csr-kit")


def _converter(source: str, region: str) -> Callable[[str], str]:
    """The other script's text from the source script's (names, titles in data files)."""
    config = {("zh-Hant", "HK"): "hk2s", ("zh-Hant", "TW"): "tw2sp",
              ("zh-Hans", "HK"): "s2hk"}[(source, region)]
    return opencc.OpenCC(config).convert


def _context(report: NewReport) -> dict[str, Any]:
    source, region = SOURCES[report.source]
    other = "zh-Hans" if source == "zh-Hant" else "zh-Hant"
    convert = _converter(source, region)
    enabled = [f for f in FRAMEWORKS if f in report.frameworks]
    other_key = (other, region if other == "zh-Hant" else "HK")
    hant_first = source == "zh-Hant"

    def codes(*tags: str) -> list[str]:
        return [t for t in tags if t.split(":", 1)[0] in enabled]

    def addresses(*tags: str) -> str:
        chosen = codes(*tags)
        return "{{addresses " + " ".join(chosen) + "}}" if chosen else ""

    def header_addresses(*tags: str) -> str:
        chosen = codes(*tags)
        return f"addresses: [{', '.join(chosen)}]" if chosen else ""

    return {
        "org": report.organisation.strip(), "org_other": convert(report.organisation.strip()),
        "title": report.title.strip(), "title_other": convert(report.title.strip()),
        "org_en": report.organisation_en.strip(), "title_en": report.title_en.strip(),
        "year": report.year, "prev": report.year - 1, "prev2": report.year - 2,
        "source": source, "other": other, "region": region,
        "source_name": _SCRIPT_NAMES[(source, region)][0],
        "other_name": _SCRIPT_NAMES[other_key][0],
        "source_label": _SCRIPT_NAMES[(source, region)][1],
        "other_label": _SCRIPT_NAMES[other_key][1],
        "appendix": "附錄" if hant_first else "附录",
        "appendix_other": "附录" if hant_first else "附錄",
        "stakeholder": "利害關係人" if region == "TW" else "持份者",
        "frameworks": enabled, "file_stem": report.file_stem, "kit_version": kit_version(),
        "kpi_codes": {k: "[" + ", ".join(codes(*v)) + "]" for k, v in _KPI_CODES.items()},
        "addresses": addresses, "header_addresses": header_addresses,
        "english": report.english,
    }


def _environment() -> jinja2.Environment:
    # Square-bracket delimiters: the pages themselves are full of {{…}} directives.
    env = jinja2.Environment(variable_start_string="[[", variable_end_string="]]",
                             block_start_string="[%", block_end_string="%]",
                             comment_start_string="[#", comment_end_string="#]",
                             keep_trailing_newline=True, undefined=jinja2.StrictUndefined,
                             autoescape=False)
    # A JSON string is a YAML string: any text (': ', quotes) is safe as a YAML value.
    env.filters["yaml_string"] = lambda text: json.dumps(str(text), ensure_ascii=False)
    return env


def _templates() -> Path:
    return Path(str(resources.files("csr_kit") / "templates" / "new"))


def plan(report: NewReport) -> dict[str, str]:
    """Every file of the new report: its path in the folder and its text."""
    problems = report.problems()
    if problems:
        raise NewReportError("\n".join(problems))
    context = _context(report)
    env = _environment()
    root = _templates()
    script_folder = root / ("hant" if context["source"] == "zh-Hant" else "hans")
    files: dict[str, str] = {}

    def render(path: Path, **extra: Any) -> str:
        text = path.read_text(encoding="utf-8")
        return env.from_string(text).render(**context, **extra)

    for path in sorted(script_folder.rglob("*")):
        relative = path.relative_to(script_folder).as_posix()
        if not path.is_file() or relative == "docs/appendix/framework-index.md":
            continue
        if relative.endswith(".en.md") and not report.english:
            continue
        files[relative] = render(path)
    index_page = script_folder / "docs" / "appendix" / "framework-index.md"
    english_titles = dict(_ENGLISH_TITLES)
    for fid in context["frameworks"]:
        title = _INDEX_TITLES[fid][0 if context["source"] == "zh-Hant" else 1]
        files[f"docs/appendix/{fid}-index.md"] = render(index_page, fw=fid, fw_title=title)
        english_titles[f"docs/appendix/{fid}-index.md"] = _INDEX_TITLES[fid][2]
        files[f"data/frameworks/{fid}.yml"] = (root / "frameworks" / f"{fid}.yml").read_text(
            encoding="utf-8")
    nav_en = _untranslated_titles(files, english_titles, context) if report.english else {}
    common = root / "common"
    for path in sorted(common.rglob("*")):
        if path.is_file():
            relative = path.relative_to(common).as_posix()
            files[_HIDDEN.get(relative, relative)] = render(path, nav_en=nav_en)
    if report.english:
        files["data/translations.yml"] = _translation_record(files, context["source"])
    files["wheels/.gitkeep"] = ""
    files.update(guide_pages())
    return files


def guide_pages(folder: Path | None = None) -> dict[str, str]:
    """The author's guide (shipped in the package), for the report's ``guide/`` folder:
    outside ``docs/``, so it is for the team and never published.

    In the source tree ``src/csr_kit/guide`` is a symbolic link to the top-level
    ``guide/``. A checkout without symbolic links (Windows, ``core.symlinks=false``) holds
    a small file with the link's target instead: that target is followed. Anything else
    without pages is a broken installation, never a report without a guide.
    """
    folder = folder or Path(str(resources.files("csr_kit") / "guide"))
    if folder.is_file() and folder.stat().st_size < 256:
        target = folder.parent / folder.read_text(encoding="utf-8", errors="replace").strip()
        folder = target if target.is_dir() else folder
    pages = sorted(folder.glob("*.md")) if folder.is_dir() else []
    if not pages:
        raise KitInstallationError(
            f"this csr-kit installation has no author's guide ({folder} is not a folder of "
            "*.md pages) — a problem with how csr-kit was installed, not with your report: "
            "install csr-kit again from its wheel; in a Git checkout of csr-kit, "
            "src/csr_kit/guide must be the link to guide/ (on Windows: git config "
            "core.symlinks true, with Developer Mode on, then check the files out again)")
    return {f"guide/{page.name}": page.read_text(encoding="utf-8") for page in pages}


def _untranslated_titles(files: dict[str, str], english_titles: dict[str, str],
                         context: dict[str, Any]) -> dict[str, str]:
    """nav_translations of the English edition: each page it does not translate, by the
    title the page gives itself (as csr-translation looks it up), and the appendix section."""
    titles = {}
    for page, english in english_titles.items():
        if f"{page[:-3]}.en.md" in files:
            continue
        title, _ = notice.source_title(files[page], context["source"])
        assert title, f"the template page {page} has no title"
        titles[title] = english
    titles[context["appendix"]] = _ENGLISH_APPENDIX
    return titles


def _translation_record(files: dict[str, str], source_script: str) -> str:
    """data/translations.yml: every English page marked as following its source as written."""
    record: status.Record = {}
    for name in sorted(files):
        if not (name.startswith("docs/") and name.endswith(".en.md")):
            continue
        page = name[len("docs/"):-len(".en.md")] + ".md"
        source = sections.sections(files[f"docs/{page}"], f"docs/{page}",
                                   lambda text: _HEADING_ID(text, "-"), source_script)
        record, _ = status.mark(record, "en", page, source)
    return status.dump_record(record)


def create(folder: Path, report: NewReport) -> list[str]:
    """Write the new report into ``folder`` (which must be missing or empty)."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise NewReportError(f"{folder} already exists and is not empty — choose a new "
                             "folder name (nothing was written)")
    files = plan(report)
    created = not folder.exists()
    try:
        for relative, text in files.items():
            target = folder / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    except OSError as err:
        if created:
            shutil.rmtree(folder, ignore_errors=True)
        raise NewReportError(f"{folder}: cannot write the report ({err.strerror or err}) — "
                             "check the folder's permissions and free space") from None
    return sorted(files)
