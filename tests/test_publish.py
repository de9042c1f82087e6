"""Safe publishing: `csr-kit build` replaces site/ only after a complete build, and never
touches the sources."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from csr_kit import cli
from csr_kit.publish import PublishError, build_then_swap


def tree_hash(*paths: Path) -> str:
    digest = hashlib.sha256()
    for root in paths:
        files = [root] if root.is_file() else sorted(root.rglob("*"))
        for path in files:
            digest.update(str(path).encode())
            if path.is_file():
                digest.update(path.read_bytes())
    return digest.hexdigest()


def sources(project) -> list[Path]:
    return [project.path / "docs", project.path / "data", project.path / "mkdocs.yml"]


def build(project, capsys, *extra: str) -> tuple[int, str]:
    code = cli.main(["-f", str(project.path / "mkdocs.yml"), "build", "--no-pdf", *extra])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def leftovers(project) -> list[str]:
    return sorted(p.name for p in project.path.iterdir() if p.name.startswith(".site-"))


# --- through the command ------------------------------------------------------------------


def test_a_failed_build_leaves_the_published_site_intact(project, capsys):
    code, output = build(project, capsys)
    assert code == 0, output
    site = project.path / "site"
    assert (site / "index.html").is_file() and (site / "zh-Hans" / "index.html").is_file()
    published = tree_hash(site)

    project.replace("docs/page.md", "-{持份者}- 保留", "-{持份者 保留")
    code, output = build(project, capsys)
    assert code == 1
    assert "docs/page.md:10: '-{' is not closed on this line" in output
    assert "Nothing was published: site/ still holds the last good build" in output
    assert tree_hash(site) == published
    assert leftovers(project) == []


def test_a_failure_after_pages_were_written_publishes_nothing(project, capsys, monkeypatch):
    """The Simplified build fails at its very end, after the Traditional site was written."""
    from mkdocs.exceptions import PluginError

    from csr_kit.mkdocs.context import language_build
    from csr_kit.mkdocs.kpi.plugin import KpiPlugin

    assert build(project, capsys)[0] == 0
    published = tree_hash(project.path / "site")
    original = KpiPlugin.on_post_build

    def fail_late(self, *, config):
        if language_build(config).language == "zh-Hans":
            assert (Path(config.site_dir) / "index.html").exists()  # half-built
            raise PluginError("data/kpis.yml: simulated failure at the end — nothing to fix")
        return original(self, config=config)

    monkeypatch.setattr(KpiPlugin, "on_post_build", fail_late)
    project.replace("docs/index.md", "員工人數為", "員工總人數為")
    code, output = build(project, capsys)
    assert code == 1, output
    assert "simulated failure" in output
    assert tree_hash(project.path / "site") == published
    assert leftovers(project) == []


def test_a_pdf_failure_publishes_nothing(project, capsys, monkeypatch):
    """The PDFs are part of the build: if one cannot be made, nothing is published."""
    from csr_kit.pdf import render

    assert build(project, capsys)[0] == 0
    published = tree_hash(project.path / "site")

    def unavailable():
        raise render.PdfUnavailable("simulated: no fonts")

    monkeypatch.setattr(render, "check_available", unavailable)
    code = cli.main(["-f", str(project.path / "mkdocs.yml"), "build"])  # with the PDFs
    output = capsys.readouterr().out
    assert code == 1, output
    assert "PDF" in output and "simulated: no fonts" in output
    assert "Nothing was published" in output
    assert tree_hash(project.path / "site") == published


def test_a_successful_build_replaces_the_whole_site(project, capsys):
    assert build(project, capsys)[0] == 0
    stale = project.path / "site" / "old-page" / "index.html"
    stale.parent.mkdir()
    stale.write_text("left over from last year", encoding="utf-8")
    project.replace("docs/index.md", "員工人數為", "員工總人數為")
    code, output = build(project, capsys)
    assert code == 0, output
    assert "Published every edition to site/." in output
    assert not stale.exists()
    assert "員工總人數為" in (project.path / "site" / "index.html").read_text(encoding="utf-8")
    assert leftovers(project) == []


def test_sources_are_never_modified(project, capsys):
    before = tree_hash(*sources(project))
    assert build(project, capsys)[0] == 0
    assert cli.main(["-f", str(project.path / "mkdocs.yml"), "check"]) == 0
    assert cli.main(["-f", str(project.path / "mkdocs.yml"), "rollover", "--dry-run"]) == 0
    capsys.readouterr()
    assert tree_hash(*sources(project)) == before

    # Failing builds and checks, with mistakes in a page and in a data file.
    project.replace("docs/page.md", "培訓時數", "培训时数")
    project.replace("data/kpis.yml", "    assured: true", "    assured: perhaps")
    broken = tree_hash(*sources(project))
    assert build(project, capsys)[0] == 1
    assert cli.main(["-f", str(project.path / "mkdocs.yml"), "check"]) == 1
    project.replace("data/kpis.yml", "    assured: perhaps", "    assured: true")
    broken = tree_hash(*sources(project))
    assert build(project, capsys)[0] == 1  # now the page fails, in the build itself
    capsys.readouterr()
    assert tree_hash(*sources(project)) == broken


def test_the_build_fails_on_what_the_check_reports(project, capsys):
    """A header MkDocs would silently show as text fails the check and the build alike."""
    project.replace("docs/page.md", "title: 第二頁", "title: \"第二頁")
    check = cli.main(["-f", str(project.path / "mkdocs.yml"), "check"])
    check_output = capsys.readouterr().out
    code, output = build(project, capsys)
    assert check == 1 and code == 1
    line = "docs/page.md:2: the page header cannot be read"
    assert line in check_output and line in output
    assert not (project.path / "site").exists()


def test_the_site_folder_may_not_hold_the_sources(project, capsys):
    before = tree_hash(*sources(project))
    for target in ("docs", ".", "data/site"):
        code, output = build(project, capsys, "-d", str(project.path / target))
        assert code == 1, target
        assert "overlaps the report's own files" in output
    assert tree_hash(*sources(project)) == before


def test_a_folder_that_is_not_a_built_site_is_not_replaced(project, capsys):
    notes = project.path / "site" / "notes.txt"
    notes.parent.mkdir()
    notes.write_text("my notes", encoding="utf-8")
    code, output = build(project, capsys)
    assert code == 1
    assert "does not look like a built site" in output
    assert notes.read_text(encoding="utf-8") == "my notes"


# --- the swap itself ----------------------------------------------------------------------


def test_swap_keeps_the_old_site_when_the_build_raises(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("old", encoding="utf-8")

    def half_build(staging: Path) -> None:
        (staging / "index.html").write_text("new, half", encoding="utf-8")
        raise KeyboardInterrupt  # an author pressing Ctrl+C mid-build

    with pytest.raises(KeyboardInterrupt):
        build_then_swap(site, half_build)
    assert (site / "index.html").read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_swap_publishes_a_complete_build(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("old", encoding="utf-8")
    build_then_swap(site, lambda staging: (staging / "index.html").write_text("new"))
    assert (site / "index.html").read_text(encoding="utf-8") == "new"
    assert os.stat(site).st_mode & 0o755 == 0o755  # readable by a web server
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_swap_refuses_overlapping_folders(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    with pytest.raises(PublishError):
        build_then_swap(tmp_path, lambda staging: None, protect=[docs])
    with pytest.raises(PublishError):
        build_then_swap(docs / "site", lambda staging: None, protect=[docs])
    assert docs.is_dir()
