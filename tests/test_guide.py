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


def blocks(page: Path) -> list[tuple[str, dict[str, str], str]]:
    found = []
    for language, info, body in FENCE.findall(page.read_text(encoding="utf-8")):
        words = shlex.split(info)
        options = dict(w.split("=", 1) if "=" in w else (w, "") for w in words)
        if "file" in options or "run" in options:
            found.append((language, options, body))
    return found


def apply(report: Path, options: dict[str, str], body: str) -> None:
    target = report / options["file"]
    text = target.read_text(encoding="utf-8") if target.exists() else ""
    mode = options.get("mode", "append")
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


def shell(folder: Path, script: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": BIN + os.pathsep + os.environ["PATH"]}
    return subprocess.run(["bash", "-euc", script], cwd=folder, env=env, capture_output=True,
                          text=True, timeout=600)


PAGES = sorted(p for p in GUIDE.glob("*.md") if p.name != "README.md")


def test_every_task_has_a_page_with_checked_examples():
    names = {p.stem for p in PAGES}
    assert {"start-a-report", "write-a-page", "add-a-figure", "tag-a-section",
            "keep-a-phrase", "hand-written-page", "publish", "roll-over",
            "errors-and-warnings"} <= names
    for page in PAGES:
        assert blocks(page), f"{page.name} has no checked example"
        assert f"({page.name})" in (GUIDE / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_guide_examples_build(tmp_path, page):
    found = blocks(page)
    starts_fresh = any("csr-kit new" in body for _, o, body in found if "run" in o)
    report = tmp_path / "report"
    if starts_fresh:
        report.mkdir()
    else:
        create(report, NewReport("香港示例協會", "2025 年度可持續發展報告", 2025,
                                 frameworks=["gri", "hkex"]))
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
    if starts_fresh or any("expect" in o for _, o, _ in found if "run" in o):
        return
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
    for _, options, body in blocks(GUIDE / "errors-and-warnings.md"):
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
