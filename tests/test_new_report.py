"""Issue 17: `csr-kit new` writes a report that builds and passes `csr-kit check` at once,
for each source script (Traditional HK, Simplified, Traditional TW), with or without an
English edition (issue 15)."""

from __future__ import annotations

import io
import re
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

CJK = re.compile(r"[\u2e80-\u9fff\uff00-\uffef]")
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
    assert "csr-translation" not in settings["plugins"]  # no English edition unless asked
    assert not list(folder.rglob("*.en.md")) and not (folder / "data/translations.yml").exists()

    checked = run(folder, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "No problems found." in checked.stdout
    other = "zh-Hans" if script == "zh-Hant" else "zh-Hant"
    # No site is kept by a check: it says where the conversion review can be read.
    assert (f"read {other}/conversion-review.html in the preview (`csr-kit serve`) or, after "
            f"`csr-kit build`, in site/{other}/conversion-review.html") in checked.stdout

    built = run(folder, "build", "--no-pdf")
    assert built.returncode == 0, built.stdout + built.stderr
    assert f"read site/{other}/conversion-review.html before the final release" in built.stdout
    site = folder / "site"
    html = (site / "index.html").read_text(encoding="utf-8")
    assert f'<html lang="{script}' in html
    home = visible_text(html)
    assert organisation in home and stakeholder in home
    assert (site / other / "index.html").is_file()
    # The home page's pictures (<svg role="img">) are described in each edition's script.
    from csr_kit.convert.review import wrong_script_characters

    pictures = re.findall(r'<svg class="csr-picture"[^>]*aria-label="([^"]*)"',
                          (site / other / "index.html").read_text(encoding="utf-8"))
    assert len(pictures) == 3
    assert not set("".join(pictures)) & wrong_script_characters(other), pictures
    # Every directive the example pages use came out as content, none left as {{…}}.
    for page in site.rglob("index.html"):
        assert "{{" not in visible_text(page.read_text(encoding="utf-8")), page
    people = (site / "people" / "index.html").read_text(encoding="utf-8")
    assert "<svg" in people and "120" in people  # the chart and the staff figure
    assert (site / "downloads").is_dir()  # the performance data's CSV/JSON downloads


def chinese_outside_marked_elements(html: str) -> set[str]:
    """Words with Chinese characters a reader sees outside elements marked lang="zh-…"."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r'<(\w+)[^>]*\blang="zh-[^"]*"[^>]*>.*?</\1>', " ", html, flags=re.S)
    return {word for word in re.sub(r"<[^>]+>", " ", html).split() if CJK.search(word)}


@pytest.mark.parametrize("source", list(CASES))
def test_new_report_with_an_english_edition_checks_and_builds(tmp_path, source):
    organisation, script, _, _ = CASES[source]
    folder = tmp_path / "report"
    made = run(tmp_path, "new", str(folder), "--no-input", "--organisation", organisation,
               "--year", "2025", "--source", source, "--frameworks", "gri,hkex,iso26000,sdg",
               "--english", "--organisation-en", "Example Association",
               "--title-en", "Sustainability Report 2025")
    assert made.returncode == 0, made.stdout + made.stderr
    assert (folder / "docs/index.en.md").is_file()
    assert "csr-kit translation mark" in (folder / "README.md").read_text(encoding="utf-8")

    checked = run(folder, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "No problems found." in checked.stdout
    status = run(folder, "translation", "status")
    assert status.returncode == 0, status.stdout + status.stderr
    assert re.search(r"^docs/index\.en\.md +en +8 +0 +0$", status.stdout, re.M), status.stdout
    assert "Every translated section follows its source as it is now." in status.stdout

    built = run(folder, "build", "--no-pdf")  # mkdocs.yml has strict: true
    assert built.returncode == 0, built.stdout + built.stderr
    site = folder / "site"
    home = (site / "en" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in home
    text = visible_text(home)
    assert "Example Association" in text and "Highlights of the year" in text
    # The figures, in English, from the same data as the Chinese editions.
    assert "24.5 hours" in text and "410,000 kWh" in text and "436,000 kWh" in text
    assert "Total employees" in text and "persons" in text
    assert not chinese_outside_marked_elements(home)
    assert (site / "index.html").is_file() and (site / ("zh-Hans" if script == "zh-Hant"
                                                        else "zh-Hant") / "index.html").is_file()
    # A page nobody has translated yet: a notice under its English title, linking to the
    # Chinese editions, never the Chinese text.
    people = (site / "en" / "people" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<h1 id="people">People<', people)
    text = visible_text(people)
    assert "This page has not been translated into English yet." in text
    assert "120" not in text and "平等" not in text  # nothing of the Chinese page
    notice = people[people.index('class="csr-untranslated"'):]
    links = dict(re.findall(r'<a href="([^"]+)" hreflang="(zh-Han[st])"', notice)[:2])
    assert sorted(links.values()) == ["zh-Hans", "zh-Hant"]
    for href in links:  # each Chinese edition's people page
        chinese = (site / "en" / "people" / href / "index.html").resolve()
        assert "平等" in visible_text(chinese.read_text(encoding="utf-8")), href
    assert not chinese_outside_marked_elements(people)
    for page in (site / "en").rglob("index.html"):
        assert "{{" not in visible_text(page.read_text(encoding="utf-8")), page


def test_english_home_page_keeps_the_chinese_section_ids(tmp_path):
    # The translation record is made by the kit's own mark, from the sections of the
    # Chinese home page: every one of them has an English twin with its id.
    files = plan(NewReport("香港示例協會", "報告", 2025, english=True,
                           organisation_en="Example Association", title_en="Report 2025"))
    record = yaml.safe_load(files["data/translations.yml"])
    ids = set(re.findall(r"\{#([^}]+)\}", files["docs/index.en.md"]))
    # Besides the front matter (_meta) and the title (H1 "報告"), each section of the
    # Chinese page is translated under its own id.
    assert set(record["en"]["index.md"]) == ids | {"_meta", "報告"}
    assert len(ids) == 6
    assert "{{addresses" not in files["docs/index.en.md"]
    settings = files["mkdocs.yml"]
    assert "- csr-translation" in settings and "        - locale: en\n" in settings
    for chinese, english in (("員工", "People"), ("附錄", "Appendices"),
                             ("GRI 內容索引", "GRI content index")):
        assert f"            {chinese}: {english}\n" in settings


def test_new_report_without_frameworks_still_checks(tmp_path):
    folder = tmp_path / "plain"
    create(folder, NewReport("香港示例協會", "2025 年度可持續發展報告", 2025, frameworks=[]))
    assert not list((folder / "docs" / "appendix").glob("*-index.md"))
    checked = run(folder, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_english_edition_asks_for_the_english_names(tmp_path, capsys):
    code = cli.main(["new", str(tmp_path / "r"), "--no-input", "--organisation", "示例",
                     "--year", "2025", "--english"])
    out = capsys.readouterr().out
    assert code == 2
    assert "--organisation-en" in out and "--title-en" in out and "Nothing was written." in out
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
    copies = sorted((ROOT / "src" / "csr_kit" / "templates" / "new" / "frameworks").glob("*.yml"))
    assert [p.name for p in copies] == ["gri.yml", "hkex.yml", "iso26000.yml", "sdg.yml"]
    for path in copies:
        assert path.read_bytes() == (ROOT / "data" / "frameworks" / path.name).read_bytes(), \
            path.name


class _Terminal(io.StringIO):
    """Answers typed in a terminal: csr-kit new asks only when stdin is one."""

    def isatty(self) -> bool:
        return True


def test_new_asks_for_each_choice_and_asks_again_after_a_wrong_answer(tmp_path, capsys,
                                                                      monkeypatch):
    answers = ["示例环保科技有限公司",  # organisation
               "zh-CN", "zh-Hans",      # source script: a wrong answer, then a right one
               "25", "2025",            # year
               "",                      # title: the default
               "gri,esg", "gri,sdg",    # frameworks
               "maybe", "n"]            # English edition
    monkeypatch.setattr("sys.stdin", _Terminal("\n".join(answers) + "\n"))
    folder = tmp_path / "asked"
    code = cli.main(["new", str(folder)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "'zh-CN' is not one of zh-Hant-HK, zh-Hans, zh-Hant-TW — try again." in out
    assert "'25' is not a report year (e.g. 2025) — try again." in out
    assert "unknown framework(s) esg" in out and "answer y or n — try again." in out
    settings = (folder / "mkdocs.yml").read_text(encoding="utf-8")
    assert "source: zh-Hans" in settings and "enabled: [gri, sdg]" in settings
    assert "2025 年度可持续发展报告" in (folder / "data" / "report.yml").read_text(encoding="utf-8")
    assert not list(folder.rglob("*.en.md"))


def test_new_stops_plainly_when_the_answers_run_out(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", _Terminal(""))
    code = cli.main(["new", str(tmp_path / "r")])
    out = capsys.readouterr().out
    assert code == 2 and "the organisation's name is empty" in out
    assert not (tmp_path / "r").exists()


def test_a_missing_guide_is_an_installation_problem_not_an_empty_guide(tmp_path, capsys,
                                                                       monkeypatch):
    """Without its guide pages (a checkout that could not make the src/csr_kit/guide link),
    `csr-kit new` says the kit is broken instead of writing a report without a guide."""
    from csr_kit import new

    with pytest.raises(new.KitInstallationError, match="not with your report"):
        new.guide_pages(tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(new.KitInstallationError, match="core.symlinks"):
        new.guide_pages(tmp_path / "empty")
    # A checkout without symbolic links writes the link as a file holding its target.
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "start.md").write_text("# Start\n", encoding="utf-8")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "guide").write_text("../pages", encoding="utf-8")
    assert new.guide_pages(tmp_path / "src" / "guide") == {"guide/start.md": "# Start\n"}
    real = new.guide_pages
    monkeypatch.setattr(new, "guide_pages", lambda: real(tmp_path / "empty"))
    code = cli.main(["new", str(tmp_path / "r"), "--no-input", "--organisation", "示例",
                     "--title", "2025 年度報告", "--year", "2025"])
    out = capsys.readouterr().out
    assert code == 1 and "csr-kit installation has no author's guide" in out, out
    assert "stopped unexpectedly" not in out and "Nothing was written." in out
    assert not (tmp_path / "r").exists()


def test_new_report_carries_the_authors_guide_unpublished(tmp_path):
    folder = tmp_path / "report"
    create(folder, NewReport("示例环保科技有限公司", "2025 年度可持续发展报告", 2025,
                             source="zh-Hans"))
    guide = sorted(p.name for p in (folder / "guide").glob("*.md"))
    assert guide == sorted(p.name for p in (ROOT / "guide").glob("*.md"))
    readme = (folder / "README.md").read_text(encoding="utf-8")
    for target in re.findall(r"\]\((guide/[^)]+)\)", readme):
        assert (folder / target).is_file(), target
    assert "http://127.0.0.1:8000/report/" in readme  # the preview's address: site_url's path
    settings = (folder / "mkdocs.yml").read_text(encoding="utf-8")
    assert "colours: edit this file" not in settings
    assert "site_description: 示例环保科技有限公司 2025 年度可持续发展报告" in settings
    checked = run(folder, "build", "--no-pdf")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert not list((folder / "site").rglob("*roll-over*"))  # the guide is not published
