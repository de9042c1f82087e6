"""Shared fixtures: real MkDocs builds of the sample report and of small fixture sites."""

from __future__ import annotations

import logging
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
os.environ.setdefault("CSR_KIT_PDF", "off")

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "minisite"


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@dataclass
class BuildResult:
    ok: bool
    site: Path
    messages: list[str] = field(default_factory=list)
    error: str = ""

    @property
    def problems(self) -> list[str]:
        return [m for m in self.messages if m.startswith(("ERROR", "WARNING"))]

    def page(self, path: str) -> str:
        return (self.site / path).read_text(encoding="utf-8")


def build_site(project: Path, site_dir: Path, strict: bool = True, pdf: bool = False,
               pdf_cache: Path | None = None) -> BuildResult:
    """A real MkDocs build, in-process, capturing what it logs."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    collector = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collector)
    old_level = logger.level
    logger.setLevel(logging.INFO)
    cwd = os.getcwd()
    os.chdir(project)
    ok, error = True, ""
    previous_pdf = os.environ.get("CSR_KIT_PDF")
    os.environ["CSR_KIT_PDF"] = "on" if pdf else "off"
    try:
        config = load_config(str(project / "mkdocs.yml"), site_dir=str(site_dir), strict=strict)
        if pdf_cache is not None and "csr-pdf" in config.plugins:
            config.plugins["csr-pdf"].config.cache_dir = str(pdf_cache)
        build(config)
    except (Abort, ConfigurationError) as err:
        ok, error = False, str(err)
    finally:
        os.environ["CSR_KIT_PDF"] = previous_pdf or "off"
        os.chdir(cwd)
        logger.removeHandler(collector)
        logger.setLevel(old_level)
    messages = [f"{r.levelname}: {r.getMessage()}" for r in collector.records]
    return BuildResult(ok, site_dir, messages, error)


class Project:
    """A copy of the fixture report in a temporary folder, editable per test."""

    def __init__(self, path: Path):
        self.path = path

    def write(self, relative: str, text: str) -> None:
        target = self.path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")

    def read(self, relative: str) -> str:
        return (self.path / relative).read_text(encoding="utf-8")

    def replace(self, relative: str, old: str, new: str) -> None:
        text = self.read(relative)
        assert old in text, f"{old!r} not in {relative}"
        self.write(relative, text.replace(old, new))

    def build(self, strict: bool = True, pdf: bool = False) -> BuildResult:
        site = self.path / "site"
        if site.exists():
            shutil.rmtree(site)
        return build_site(self.path, site, strict, pdf, self.path / ".pdf-cache")


@pytest.fixture
def project(tmp_path: Path) -> Project:
    target = tmp_path / "report"
    shutil.copytree(FIXTURE, target)
    return Project(target)


EN_OVERLAY = Path(__file__).resolve().parent / "fixtures" / "en-overlay"


def add_english(project: Project, before_simplified: bool = False) -> Project:
    """The fixture report with an English edition: i18n language en and csr-translation."""
    english = ("        - locale: en\n          name: English\n"
               "          nav_translations: {第二頁: Second page}\n")
    if before_simplified:
        project.replace("mkdocs.yml", "        - locale: zh-Hans\n",
                        english + "        - locale: zh-Hans\n")
    else:
        project.replace("mkdocs.yml", "          name: 简体中文\n",
                        "          name: 简体中文\n" + english)
    project.replace("mkdocs.yml", "  - csr-convert\n", "  - csr-convert\n  - csr-translation\n")
    shutil.copytree(EN_OVERLAY, project.path, dirs_exist_ok=True)
    return project


@pytest.fixture
def project_en(project: Project) -> Project:
    """The fixture report with a third, English edition (docs/index.en.md translated)."""
    return add_english(project)


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> BuildResult:
    """The sample report built once for the whole session, PDFs included."""
    folder = tmp_path_factory.mktemp("sample")
    result = build_site(ROOT, folder / "site", pdf=True, pdf_cache=folder / "pdf-cache")
    assert result.ok, "\n".join(result.problems) + result.error
    return result
