"""Issue 17: every example of the author's guide (guide/*.md) is applied to a freshly
started report and checked with a real build (`csr-kit check`), commands included."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from csr_kit.new import NewReport, create

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "guide"
BIN = str(Path(sys.executable).parent)
FENCE = re.compile(r"^```(\w+)([^\n]*)\n(.*?)^```$", re.M | re.S)


CJK = re.compile(r"[\u3400-\u9fff]")
# The reports the examples are applied to: one per source script.
REPORTS = {
    "zh-Hant": NewReport("香港示例協會", "2025 年度可持續發展報告", 2025,
                         frameworks=["gri", "hkex"]),
    "zh-Hans": NewReport("示例环保科技有限公司", "2025 年度可持续发展报告", 2025,
                         source="zh-Hans", frameworks=["gri", "hkex"]),
}


def blocks(page: Path, script: str = "zh-Hant") -> list[tuple[str, dict[str, str], str]]:
    """The page's checked examples for a report written in ``script``: a block marked
    ``script=zh-Hans`` (or ``zh-Hant``) is that script's version of the example before it."""
    found = []
    for language, info, body in FENCE.findall(page.read_text(encoding="utf-8")):
        words = shlex.split(info)
        options = dict(w.split("=", 1) if "=" in w else (w, "") for w in words)
        if ("file" in options or "run" in options) and options.get("script", script) == script:
            found.append((language, options, body))
    return found


def apply(report: Path, options: dict[str, str], body: str) -> None:
    target = report / options["file"]
    mode = options.get("mode", "append")
    if mode == "cells":
        fill_cells(target, body)
        return
    text = target.read_text(encoding="utf-8") if target.exists() else ""
    if mode == "replace":
        text = body
    elif mode == "append":
        text = text.rstrip("\n") + "\n" + body
    elif mode == "insert-after":
        anchor = options["anchor"] + "\n"
        assert anchor in text, f"{options['anchor']!r} not in {options['file']}"
        text = text.replace(anchor, anchor + body, 1)
    elif mode == "replace-text":
        assert options["old"] in text, f"{options['old']!r} not in {options['file']}"
        text = text.replace(options["old"], options["new"], int(options.get("count", "1")))
    else:
        raise AssertionError(f"unknown mode {mode}")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def fill_cells(workbook: Path, table: str) -> None:
    """A department filling in a workbook's KPIs sheet: the table's first column is the
    KPI id, the others are headed like the sheet's columns (e.g. a year)."""
    import openpyxl

    rows = [[cell.strip() for cell in line.strip().strip("|").split("|")]
            for line in table.strip().splitlines() if not set(line) <= set("|- ")]
    header, rows = rows[0], rows[1:]
    book = openpyxl.load_workbook(workbook)
    sheet = book["KPIs"]
    columns = [c.value for c in sheet[1]]
    ids = {sheet.cell(r, 1).value: r for r in range(2, sheet.max_row + 1)}
    for row in rows:
        for name, value in zip(header[1:], row[1:], strict=True):
            number = float(value)
            sheet.cell(ids[row[0]], columns.index(name) + 1,
                       int(number) if number.is_integer() and "." not in value else number)
    book.save(workbook)


def shell(folder: Path, script: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": BIN + os.pathsep + os.environ["PATH"]}
    return subprocess.run(["bash", "-euc", script], cwd=folder, env=env, capture_output=True,
                          text=True, timeout=600)


PAGES = sorted(p for p in GUIDE.glob("*.md") if p.name != "README.md")


def test_every_task_has_a_page_with_checked_examples():
    names = {p.stem for p in PAGES}
    assert {"start-a-report", "write-a-page", "add-a-figure", "tag-a-section",
            "keep-a-phrase", "conversion-review", "hand-written-page", "publish", "roll-over",
            "errors-and-warnings"} <= names
    for page in PAGES:
        assert blocks(page), f"{page.name} has no checked example"
        assert f"({page.name})" in (GUIDE / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("script", list(REPORTS))
@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_guide_examples_build(tmp_path, page, script):
    found = blocks(page, script)
    for _, options, body in found:
        # Chinese text is written in one script: each such example has both versions.
        assert "script" in options or not CJK.search(body + " ".join(options.values())), \
            f"{page.name}: give this example a script= and its other script's version:\n{body}"
    starts_fresh = any("csr-kit new" in body for _, o, body in found if "run" in o)
    report = tmp_path / "report"
    if starts_fresh:
        report.mkdir()
    else:
        create(report, REPORTS[script])
    expected = []
    for _, options, body in found:
        if "run" in options:
            done = shell(report, body)
            if "expect" in options:  # a command shown failing on purpose, with its message
                assert options["expect"] in done.stdout + done.stderr, done.stdout
                expected.append(options["expect"])
                continue
            assert done.returncode == 0, f"{page.name}:\n{body}\n{done.stdout}{done.stderr}"
        else:
            apply(report, options, body)
            if "expect" in options:
                expected.append(options["expect"])
    if starts_fresh or "run" in found[-1][1]:
        return  # the page's own last command was the check
    checked = shell(report, "csr-kit check")
    output = checked.stdout + checked.stderr
    if expected:
        for text in expected:
            assert text in output, output
    else:
        assert checked.returncode == 0, f"{page.name}:\n{output}"


def test_warnings_publish_only_when_allowed(tmp_path):
    report = tmp_path / "report"
    create(report, NewReport("香港示例協會", "2025 年度可持續發展報告", 2025))
    for _, options, body in blocks(GUIDE / "errors-and-warnings.md", "zh-Hant"):
        apply(report, options, body)
    strict = shell(report, "csr-kit build --no-pdf")
    assert strict.returncode == 1 and "Nothing was published" in strict.stdout
    assert not (report / "site").exists()
    allowed = shell(report, "csr-kit build --no-pdf --allow-warnings")
    assert allowed.returncode == 0, allowed.stdout + allowed.stderr
    assert "1 warning in 1 file." in allowed.stdout and (report / "site" / "index.html").exists()
    # An error still stops the build that allows warnings.
    apply(report, {"file": "docs/people.md", "mode": "append"}, "\n{{kpi staff.totl}}\n")
    refused = shell(report, "csr-kit build --no-pdf --allow-warnings")
    assert refused.returncode == 1 and "unknown KPI id 'staff.totl'" in refused.stdout
