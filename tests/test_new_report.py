"""Issue 17: `csr-kit new` writes a report that builds and passes `csr-kit check` at once,
for each source script (Traditional HK, Simplified, Traditional TW)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from csr_kit import cli
from csr_kit.new import NewReport, NewReportError, create, plan
from test_fixture_build import visible_text

CSR_KIT = str(Path(sys.executable).parent / "csr-kit")
ROOT = Path(__file__).resolve().parent.parent

CASES = {
    "zh-Hant-HK": ("香港示例協會", "zh-Hant", "HK", "持份者"),
    "zh-Hans": ("示例环保科技有限公司", "zh-Hans", "HK", "利益相关方"),
    "zh-Hant-TW": ("臺灣示例基金會", "zh-Hant", "TW", "利害關係人"),
}


def run(folder: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([CSR_KIT, *args], cwd=folder, capture_output=True, text=True,
                          timeout=600)


@pytest.mark.parametrize("source", list(CASES))
def test_new_report_checks_and_builds_in_each_source_script(tmp_path, source):
    organisation, script, region, stakeholder = CASES[source]
    folder = tmp_path / "report"
    made = run(tmp_path, "new", str(folder), "--no-input", "--organisation", organisation,
               "--year", "2025", "--source", source, "--frameworks", "gri,hkex,iso26000,sdg",
               "--file-stem", "demo-csr")
    assert made.returncode == 0, made.stdout + made.stderr
    for name in ("mkdocs.yml", "data/kpis.yml", "data/glossary.yml", "data/report.yml",
                 "data/charts.yml", "data/omissions.yml", "docs/index.md", "docs/people.md",
                 "docs/environment.md", "docs/appendix/gri-index.md", "README.md",
                 ".gitignore", ".github/workflows/publish.yml", "Makefile",
                 "requirements.txt", "data/frameworks/sdg.yml"):
        assert (folder / name).is_file(), name
    settings = yaml.safe_load((folder / "mkdocs.yml").read_text(encoding="utf-8")
                              .replace("!!python/object/apply:pymdownx.slugs.slugify", ""))
    convert = next(p["csr-convert"] for p in settings["plugins"]
                   if isinstance(p, dict) and "csr-convert" in p)
    assert convert["source"] == script
    assert convert.get("region", "HK") == region

    checked = run(folder, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "No problems found." in checked.stdout

    built = run(folder, "build", "--no-pdf")
    assert built.returncode == 0, built.stdout + built.stderr
    site = folder / "site"
    other = "zh-Hans" if script == "zh-Hant" else "zh-Hant"
    html = (site / "index.html").read_text(encoding="utf-8")
    assert f'<html lang="{script}' in html
    home = visible_text(html)
    assert organisation in home and stakeholder in home
    assert (site / other / "index.html").is_file()
    # Every directive the example pages use came out as content, none left as {{…}}.
    for page in site.rglob("index.html"):
        assert "{{" not in visible_text(page.read_text(encoding="utf-8")), page
    people = (site / "people" / "index.html").read_text(encoding="utf-8")
    assert "<svg" in people and "120" in people  # the chart and the staff figure
    assert (site / "downloads").is_dir()  # the performance data's CSV/JSON downloads


def test_new_report_without_frameworks_still_checks(tmp_path):
    folder = tmp_path / "plain"
    create(folder, NewReport("香港示例協會", "2025 年度可持續發展報告", 2025, frameworks=[]))
    assert not list((folder / "docs" / "appendix").glob("*-index.md"))
    checked = run(folder, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_english_edition_is_refused_with_a_reason(tmp_path, capsys):
    code = cli.main(["new", str(tmp_path / "r"), "--no-input", "--organisation", "示例",
                     "--year", "2025", "--english"])
    out = capsys.readouterr().out
    assert code == 2
    assert "English edition is not supported yet" in out and "Nothing was written." in out
    assert not (tmp_path / "r").exists()


def test_bad_choices_are_one_line_each_and_nothing_is_written(tmp_path):
    with pytest.raises(NewReportError) as err:
        plan(NewReport("", "", 20, source="zh-CN", frameworks=["gri", "esg"], file_stem="A B"))
    lines = str(err.value).splitlines()
    assert len(lines) == 6 and all(" — " in line for line in lines)


def test_a_folder_with_files_is_never_overwritten(tmp_path):
    (tmp_path / "keep.md").write_text("mine", encoding="utf-8")
    with pytest.raises(NewReportError, match="not empty"):
        create(tmp_path, NewReport("香港示例協會", "報告", 2025))
    assert (tmp_path / "keep.md").read_text(encoding="utf-8") == "mine"


def test_requirements_pin_this_kit_version(tmp_path):
    from importlib import metadata

    files = plan(NewReport("香港示例協會", "報告", 2025))
    assert f"csr-kit=={metadata.version('csr-kit')}" in files["requirements.txt"]


def test_copies_in_the_templates_match_the_sample():
    # The templates carry their own copies (the wheel has no data/ or docs/ folder).
    templates = ROOT / "plugins" / "csr_kit" / "templates" / "new"
    for path in (templates / "frameworks").glob("*.yml"):
        assert path.read_bytes() == (ROOT / "data" / "frameworks" / path.name).read_bytes()
