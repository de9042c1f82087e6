"""The `csr-kit` command: check output, plain errors, the live preview and the roll-over."""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import yaml

from csr_kit import cli, rollover, runner

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "minisite"
CSR_KIT = str(Path(sys.executable).parent / "csr-kit")


def tree_hash(*folders: Path) -> str:
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*")):
            digest.update(str(path.relative_to(folder.parent)).encode())
            if path.is_file():
                digest.update(path.read_bytes())
    return digest.hexdigest()


def run_main(capsys, *args: str) -> tuple[int, str]:
    code = cli.main(list(args))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


# --- csr-kit check -----------------------------------------------------------------------


def test_check_passes_on_the_fixture_and_writes_nothing(project, capsys):
    before = tree_hash(project.path)
    code, output = run_main(capsys, "-f", str(project.path / "mkdocs.yml"), "check")
    assert code == 0, output
    assert "No problems found." in output
    assert tree_hash(project.path) == before  # no site/, no cache, no edits


def test_check_groups_problems_by_file_and_counts_them(project, capsys):
    project.replace("docs/page.md", "-{持份者}- 保留", "-{持份者 保留")
    project.replace("docs/page.md", "{{kpi training.hours}}", "{{kpi training.hour}}")
    project.replace("docs/index.md", "{{kpi staff.total}}", "{{kpi staff.totl}}")
    code, output = run_main(capsys, "-f", str(project.path / "mkdocs.yml"), "check")
    assert code == 1
    assert "docs/index.md — 1 problem\ndocs/index.md:8: unknown KPI id 'staff.totl'" in output
    assert re.search(r"^docs/page\.md — 2 problems$", output, re.M)
    page = output.index("docs/page.md — 2 problems")
    assert output.index("docs/page.md:10:", page) < output.index("docs/page.md:15:", page)
    assert "3 problems in 2 files." in output


def test_the_plugins_problems_reach_check_as_they_made_them(project):
    """No log text parsed back: each problem keeps its category, hint and severity."""
    project.replace("docs/page.md", "-{持份者}- 保留", "-{持份者 保留")
    project.replace("docs/index.md", "{{kpi staff.total}}", "{{kpi staff.totl}}")
    outcome = runner.check(project.path / "mkdocs.yml")
    found = {(p.path, p.line): p for p in outcome.problems}
    kpi, markup = found[("docs/index.md", 8)], found[("docs/page.md", 10)]
    assert (kpi.category, kpi.severity, kpi.hint) == ("kpi", "error",
                                                      "did you mean 'staff.total'?")
    assert (markup.category, markup.severity) == ("markup", "error")


def test_data_problems_of_several_files_are_all_reported(project, capsys):
    """One broken file does not hide the problems of another."""
    project.replace("data/kpis.yml", "    unit: person", "    unit: people")
    project.replace("data/omissions.yml", "reason: confidentiality", "reason: secret")
    project.replace("data/report.yml", "year: 2021", "year: twenty")
    code, output = run_main(capsys, "-f", str(project.path / "mkdocs.yml"), "check")
    assert code == 1
    for where in ("data/kpis.yml:14:", "data/omissions.yml:3:", "data/report.yml:3:"):
        assert where in output
    assert "3 problems in 3 files." in output


def test_kpi_framework_codes_are_checked(project, capsys):
    project.replace("data/kpis.yml", "    assured: true", "    assured: true\n"
                    "    frameworks: [gri:2-7, gri:2-77, hkx:B1]")
    code, output = run_main(capsys, "-f", str(project.path / "mkdocs.yml"), "--debug", "check",
                            "--quick")
    assert code == 1
    assert "data/kpis.yml:18: '2-77' is not a code of gri" in output
    assert "data/kpis.yml:18: 'hkx' in 'hkx:B1' is not an enabled framework" in output
    assert "'2-7' is not" not in output


def test_quick_check_needs_no_build(project, capsys, monkeypatch):
    def no_build(*args, **kwargs):
        raise AssertionError("the quick check must not build")

    monkeypatch.setattr(runner, "run_mkdocs", no_build)
    code, output = run_main(capsys, "-f", str(project.path / "mkdocs.yml"), "check", "--quick")
    assert code == 0 and "Quick check" in output


def test_the_sample_report_passes_the_quick_check(capsys):
    """Headers, menu, links and data of the real sample report (the full check runs in CI)."""
    root = Path(__file__).resolve().parent.parent
    code, output = run_main(capsys, "-f", str(root / "mkdocs.yml"), "check", "--quick")
    assert code == 0, output


def test_a_bug_in_csr_kit_is_one_plain_line(project, capsys, monkeypatch):
    def broken(*args, **kwargs):
        raise KeyError("oops")

    monkeypatch.setattr(cli, "check", broken)
    code, output = run_main(capsys, "-f", str(project.path / "mkdocs.yml"), "check")
    assert code == 70
    assert "Traceback" not in output
    assert output.strip().startswith("csr-kit stopped unexpectedly (KeyError: 'oops')")
    assert "--debug" in output


def test_console_script_in_a_report_folder(project):
    """The installed `csr-kit` command, run from the report folder as authors do."""
    project.replace("docs/index.md", "{{kpi staff.total}}", "{{kpi staff.totl}}")
    result = subprocess.run([CSR_KIT, "check"], cwd=project.path, capture_output=True,
                            text=True, timeout=300)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "docs/index.md:8: unknown KPI id 'staff.totl' — did you mean 'staff.total'" in output
    assert "Traceback" not in output
    # jieba's and MkDocs' chatter stays out of an author's way.
    assert "Building prefix dict" not in output and "INFO" not in output


def test_console_script_outside_a_report_folder(tmp_path):
    result = subprocess.run([CSR_KIT, "check"], cwd=tmp_path, capture_output=True, text=True,
                            timeout=120)
    output = result.stdout + result.stderr
    assert result.returncode == 1
    assert output.startswith("mkdocs.yml — 1 problem\nmkdocs.yml: there is no mkdocs.yml in")
    assert "Traceback" not in output


# --- csr-kit rollover --------------------------------------------------------------------


def test_rollover_starts_next_year_and_keeps_this_years_figures(project, capsys):
    kpis_before = project.read("data/kpis.yml")
    report_before = project.read("data/report.yml")
    docs_before = tree_hash(project.path / "docs")
    code, output = run_main(capsys, "-f", str(project.path / "mkdocs.yml"), "rollover")
    assert code == 0, output

    kpis = project.read("data/kpis.yml")
    # Only the period line changed: comments, order and figures stay.
    assert kpis == kpis_before.replace('periods: {current: "2021", previous: "2020"}',
                                       'periods: {current: "2022", previous: "2021"}')
    report = project.read("data/report.yml")
    assert report == report_before.replace("year: 2021", "year: 2022").replace(
        "period: {start: 2021-01-01, end: 2021-12-31}",
        "period: {start: 2022-01-01, end: 2022-12-31}")
    assert tree_hash(project.path / "docs") == docs_before
    # A backup of what was changed.
    backup = project.path / "backups" / "rollover-2021-to-2022" / "data"
    assert (backup / "kpis.yml").read_text(encoding="utf-8") == kpis_before
    assert (backup / "report.yml").read_text(encoding="utf-8") == report_before
    # The checklist: every KPI without a 2022 figure, with its line; omissions to review.
    for line, kpi in ((16, "staff.total"), (23, "training.hours"), (29, "staff.female_pct"),
                      (35, "staff.male_pct")):
        assert f"data/kpis.yml:{line}: KPI '{kpi}' has no figure for 2022 yet" in output
    assert "data/omissions.yml:2: gri 2-21 is omitted (confidentiality)" in output
    assert "backups/rollover-2021-to-2022/" in output


def test_rollover_checklist_lists_pages_mentioning_the_old_year(project, capsys):
    project.write("docs/page.md", project.read("docs/page.md") +
                  "\n2021 年，我們完成了培訓。\n\n```\n2021 in code is not listed\n```\n")
    code, output = run_main(capsys, "-f", str(project.path / "mkdocs.yml"), "rollover",
                            "--dry-run")
    assert code == 0, output
    assert "docs/page.md:17: mentions 2021: 2021 年，我們完成了培訓。" in output
    assert "in code is not listed" not in output
    assert "mkdocs.yml" not in output.split("Checklist", 1)[1]  # the fixture's names no year


def test_rollover_dry_run_changes_nothing(project, capsys):
    before = tree_hash(project.path)
    code, output = run_main(capsys, "-f", str(project.path / "mkdocs.yml"), "rollover",
                            "--dry-run")
    assert code == 0 and "Would change" in output
    assert tree_hash(project.path) == before


def test_rollover_refuses_to_run_twice(project, capsys):
    assert run_main(capsys, "-f", str(project.path / "mkdocs.yml"), "rollover")[0] == 0
    after_first = tree_hash(project.path)
    code, output = run_main(capsys, "-f", str(project.path / "mkdocs.yml"), "rollover")
    assert code == 1
    assert "already rolled over to 2022" in output and "nothing was changed" in output
    assert tree_hash(project.path) == after_first


def test_rollover_refuses_when_the_backup_exists(project, capsys):
    (project.path / "backups" / "rollover-2021-to-2022").mkdir(parents=True)
    before = tree_hash(project.path / "data")
    code, output = run_main(capsys, "-f", str(project.path / "mkdocs.yml"), "rollover")
    assert code == 1 and "this roll-over was done before" in output
    assert tree_hash(project.path / "data") == before


def test_rollover_refuses_broken_data(project, capsys):
    project.replace("data/kpis.yml", "    unit: person", "\tunit: person")
    before = tree_hash(project.path / "data")
    code, output = run_main(capsys, "-f", str(project.path / "mkdocs.yml"), "rollover")
    assert code == 1
    assert "data/kpis.yml:14: a tab character" in output and "did not run" in output
    assert tree_hash(project.path / "data") == before


def test_rollover_block_style_periods_and_fiscal_years(project, capsys):
    project.replace("data/kpis.yml", 'periods: {current: "2021", previous: "2020"}',
                    "# The reporting periods\nperiods:\n  current: '2021/22'  # this year")
    project.replace("data/kpis.yml", '"2021":', '"2021/22":')
    project.replace("data/kpis.yml", '"2020": 1200', '"2020/21": 1200')
    code, output = run_main(capsys, "-f", str(project.path / "mkdocs.yml"), "rollover")
    assert code == 0, output
    text = project.read("data/kpis.yml")
    assert text.startswith("# The reporting periods\nperiods:\n  current: '2022/23'  # this "
                           "year\n  previous: '2021/22'\nunits:")
    data = yaml.safe_load(text)
    assert data["kpis"][0]["values"] == {"2021/22": 1234, "2020/21": 1200}
    assert "data/kpis.yml:19: KPI 'staff.total' has no figure for 2022/23 yet" in output


def test_next_period_names():
    assert rollover.next_period("2021") == "2022"
    assert rollover.next_period("2021/22") == "2022/23"
    assert rollover.next_period("FY2021") == "FY2022"
    assert rollover.next_period("2099-00") is None or rollover.next_period("2099-00") == "2100-01"
    assert rollover.next_period("last year") is None


# --- csr-kit serve -----------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, OSError):
        return 0, ""


def _wait(condition, what: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def test_serve_prints_errors_keeps_running_and_recovers(project):
    port = _free_port()
    url = f"http://127.0.0.1:{port}/page/"
    log_path = project.path.parent / "serve.log"
    env = {**os.environ, "CSR_KIT_PDF": "on"}  # serve turns the PDF off by itself
    with open(log_path, "w", encoding="utf-8") as log:
        process = subprocess.Popen([CSR_KIT, "serve", "-a", f"127.0.0.1:{port}"],
                                   cwd=project.path, stdout=log, stderr=subprocess.STDOUT,
                                   env=env, start_new_session=True)
    output = lambda: log_path.read_text(encoding="utf-8")  # noqa: E731
    try:
        _wait(lambda: _get(url)[0] == 200, "the first preview")
        status, page = _get(url)
        assert "培訓時數" in page
        assert "csr-pdf-link" not in page  # no PDF in the preview
        assert _get(f"http://127.0.0.1:{port}/downloads/report-2021-zh-Hant.pdf")[0] == 404

        # A broken edit: the error is printed with its file and line, the server stays up
        # and keeps showing the last good page, with the problem listed on it.
        project.replace("docs/page.md", "-{持份者}- 保留", "-{持份者 保留")
        _wait(lambda: "NOT updated" in output(), "the error to be printed")
        assert "docs/page.md:10: '-{' is not closed on this line" in output()
        assert process.poll() is None
        status, page = _get(url)
        assert status == 200 and "培訓時數" in page
        assert 'id="csr-kit-problems"' in page and "docs/page.md:10:" in page

        # Fixed: the new text is served.
        project.replace("docs/page.md", "-{持份者 保留", "-{持份者}- 保留 修好了")
        _wait(lambda: "修好了" in _get(url)[1], "the fixed page")
        assert 'id="csr-kit-problems"' not in _get(url)[1]
        # A data file counts too: the preview watches data/.
        project.replace("data/kpis.yml", '"2021": 5678.25', '"2021": 4321')
        _wait(lambda: "4,321" in _get(url)[1] or "4321" in _get(url)[1], "the new figure")
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert process.returncode == 0, output()
    assert "Traceback" not in output()
    assert "Preview stopped." in output()


def test_serve_starts_even_when_the_report_is_broken(project):
    """A mistake present at start-up is shown; the preview appears once it is fixed."""
    project.replace("data/kpis.yml", "    unit: person", "\tunit: person")
    port = _free_port()
    log_path = project.path.parent / "serve.log"
    with open(log_path, "w", encoding="utf-8") as log:
        process = subprocess.Popen([CSR_KIT, "serve", "-a", f"127.0.0.1:{port}"],
                                   cwd=project.path, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    output = lambda: log_path.read_text(encoding="utf-8")  # noqa: E731
    try:
        _wait(lambda: "Serving the preview" in output(), "the server")
        assert "data/kpis.yml:14: a tab character is used for indentation" in output()
        status, page = _get(f"http://127.0.0.1:{port}/")
        assert "data/kpis.yml:14:" in page  # the problem is shown in the browser too
        project.replace("data/kpis.yml", "\tunit: person", "    unit: person")
        _wait(lambda: _get(f"http://127.0.0.1:{port}/")[0] == 200, "the repaired preview")
    finally:
        process.terminate()  # as a service manager would stop it
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert process.returncode == 0 and "Preview stopped." in output()
    assert "Traceback" not in output()


def test_serve_reports_a_busy_port(project):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run([CSR_KIT, "serve", "-a", f"127.0.0.1:{port}"], cwd=project.path,
                                capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "choose another port" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


# Run in a process of its own: the preview's caches live as long as the process.
PREVIEW_REBUILDS = r'''
import json, shutil, subprocess, sys
from pathlib import Path
from csr_kit.checks import load_project
from csr_kit.preview import Preview

root, out = Path(sys.argv[1]), Path(sys.argv[2])
steps = json.loads(Path(sys.argv[3]).read_text(encoding="utf-8"))
FRESH = (
    "import sys\n"
    "from pathlib import Path\n"
    "from csr_kit.checks import load_project\n"
    "from csr_kit.runner import run_mkdocs\n"
    "project, _ = load_project(Path(sys.argv[1]) / 'mkdocs.yml')\n"
    "assert run_mkdocs(project, Path(sys.argv[2]), strict=False, pdf=False,\n"
    "                  serve_url=sys.argv[3]).ok\n")


def differences(a, b):
    names = {p.relative_to(a) for p in a.rglob("*") if p.is_file()}
    names |= {p.relative_to(b) for p in b.rglob("*") if p.is_file()}
    return sorted(str(n) for n in names if not ((a / n).is_file() and (b / n).is_file()
                                               and (a / n).read_bytes() == (b / n).read_bytes()))


preview = Preview(root / "mkdocs.yml", "127.0.0.1", 8000)
project, _ = load_project(root / "mkdocs.yml")
preview.open(project)
try:
    assert preview.build()
    for number, edits in enumerate(steps):
        for relative, old, new in edits:
            path = root / relative
            text = path.read_text(encoding="utf-8")
            assert old in text, (relative, old)
            path.write_text(text.replace(old, new), encoding="utf-8")
        assert preview.build()
        rebuilt = out / f"rebuilt-{number}"
        shutil.copytree(preview.current.resolve(), rebuilt)
        fresh = out / f"fresh-{number}"
        subprocess.run([sys.executable, "-c", FRESH, str(root), str(fresh), preview.url],
                       check=True)
        print("DIFF", number, differences(rebuilt, fresh))
    # The caches were in use (with another Material version the search one is not).
    print("CACHED", bool(preview.support.templates.store),
          bool(preview.support.search_entries.current))
finally:
    preview.close()
'''


def _search_texts(index: Path) -> str:
    entries = json.loads(index.read_text(encoding="utf-8"))["docs"]
    return "\n".join(e["title"] + " " + e["text"] for e in entries).replace("\u200b", "")


def test_a_rebuilt_preview_equals_a_fresh_build(project, tmp_path):
    """The preview's caches are never stale: rebuilt after edits, it is a fresh build.

    The preview builds; a page's text and title are edited and it rebuilds in the same
    process (templates and search entries cached); then a glossary term is added, which
    changes how the words of unchanged pages are split for search, and it rebuilds
    again.  After each edit every output file (the pages in both scripts, the search
    indexes) equals, byte for byte, a fresh build of the edited report in a new process.
    """
    steps = [
        [("docs/page.md", "title: 第二頁", "title: 第二頁修訂"),
         ("docs/page.md", "# 第二頁", "# 第二頁修訂\n\n這段落談及環境管理。")],
        [("data/glossary.yml", "terms:\n", "terms:\n  - zh-Hant: 管治架構\n"
          "    zh-Hans: 管治架构\n    en: governance structure\n")],
    ]
    (tmp_path / "steps.json").write_text(json.dumps(steps, ensure_ascii=False), "utf-8")
    script = tmp_path / "rebuilds.py"
    script.write_text(PREVIEW_REBUILDS, encoding="utf-8")
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, str(script), str(project.path), str(out),
                             str(tmp_path / "steps.json")],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "DIFF 0 []" in result.stdout and "DIFF 1 []" in result.stdout, result.stdout
    assert "CACHED True True" in result.stdout, result.stdout
    # The edit shows: the new text and title in both scripts, on the page and in search.
    rebuilt = out / "rebuilt-0"
    assert "這段落談及環境管理" in (rebuilt / "page" / "index.html").read_text("utf-8")
    assert "这段落谈及环境管理" in (rebuilt / "zh-Hans" / "page" / "index.html").read_text("utf-8")
    assert "第二頁修訂" in _search_texts(rebuilt / "search" / "search_index.json")
    assert "第二页修订" in _search_texts(rebuilt / "zh-Hans" / "search" / "search_index.json")


# --- errors and warnings (issue 17): labelled, and what a strict build says ---------------


def _new_report(tmp_path: Path) -> Path:
    from csr_kit.new import NewReport, create

    folder = tmp_path / "report"
    create(folder, NewReport("香港示例協會", "2025 年度可持續發展報告", 2025))
    return folder


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_check_labels_each_problem_as_error_or_warning(tmp_path, capsys):
    folder = _new_report(tmp_path)
    glossary = folder / "data" / "glossary.yml"
    glossary.write_text(glossary.read_text(encoding="utf-8").replace(
        "    variants: []", "    variants: [持分者]", 1), encoding="utf-8")
    _append(folder / "docs" / "people.md", "\n我們定期與持分者溝通。\n\n{{kpi staff.totl}}\n")
    code, output = run_main(capsys, "-f", str(folder / "mkdocs.yml"), "check")
    assert code == 1
    variant = next(line for line in output.splitlines() if "'持分者' is a variant" in line)
    kpi = next(line for line in output.splitlines() if "staff.totl" in line)
    assert variant.startswith("docs/people.md:") and variant.endswith("[warning]"), output
    assert kpi.startswith("docs/people.md:") and kpi.endswith("[error]"), output
    assert "Of these: 1 error (stop publishing); 1 warning (fixable later" in output


def test_labels_and_the_draft_hint_are_asked_for_not_implied_by_the_noun():
    """format_problems labels lines only when told to, and names `--allow-warnings` only
    for a check or build (not for a preview's rebuild or a roll-over's checklist)."""
    from csr_kit.errors import Problem
    problems = [Problem("docs/a.md", 3, "a warning", "fix it", "warning"),
                Problem("docs/a.md", 5, "an error", "fix it")]
    plain = runner.format_problems(problems)
    assert "[error]" not in plain and "Of these" not in plain and "--allow-warnings" not in plain
    preview = runner.format_problems(problems, labelled=True)
    assert "[warning]" in preview and "[error]" in preview
    assert "1 warning (fixable later)." in preview and "--allow-warnings" not in preview
    checked = runner.format_problems(problems, labelled=True, draft_hint=True)
    assert "`csr-kit build --allow-warnings` publishes a draft" in checked
    items = runner.format_problems(problems, noun="item")
    assert "2 items in 1 file." in items and "[warning]" not in items


def test_a_build_stopped_only_by_warnings_says_how_to_publish_a_draft(tmp_path, capsys):
    folder = _new_report(tmp_path)
    _append(folder / "docs" / "people.md", "\n見[環境](environment.md#沒有這節)。\n")
    config = folder / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("strict: true",
                                                                 "strict: false"),
                      encoding="utf-8")
    code, output = run_main(capsys, "-f", str(config), "build", "--no-pdf")
    assert code == 1 and not (folder / "site").exists(), output
    assert "[warning]" in output and "[error]" not in output
    assert "Only warnings stopped this build: `csr-kit build --allow-warnings`" in output
    assert "`strict: false` in mkdocs.yml applies to a plain `mkdocs build` only" in output
    code, output = run_main(capsys, "-f", str(config), "build", "--no-pdf", "--allow-warnings")
    assert code == 0, output
    assert "points to a section (#…) that does not exist" in output
    assert (folder / "site" / "index.html").is_file()
