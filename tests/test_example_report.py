"""Issue 12: the second example report, written in Simplified Chinese with mainland
wording and published in Traditional Chinese (Hong Kong), built as a user builds it."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import build_site
from csr_kit.convert.review import wrong_script_characters
from htmltools import parse
from test_fixture_build import visible_text

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "mainland-report"


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    folder = tmp_path_factory.mktemp("example")
    result = build_site(EXAMPLE, folder / "site")
    assert result.ok, "\n".join(result.problems) + result.error
    return result


def test_simplified_pages_are_the_main_edition(example):
    assert '<html lang="zh-Hans"' in example.page("index.html")
    assert '<html lang="zh-Hant"' in example.page("zh-Hant/index.html")
    assert "可持续发展报告" in visible_text(example.page("index.html"))


def test_traditional_edition_has_hong_kong_wording_and_characters(example):
    simplified_only = wrong_script_characters("zh-Hant")
    stray = []
    for path in sorted((example.site / "zh-Hant").rglob("index.html")):
        text = parse(path).text
        stray += [f"{path}: {c}" for c in set(text) if c in simplified_only]
    assert not stray, stray[:20]
    home = visible_text(example.page("zh-Hant/index.html"))
    assert "持份者" in home and "短訊、電郵" in home
    # Corner quotes in the Hong Kong edition.
    assert "「公司」" in home


def test_one_to_many_characters_are_the_right_ones(example):
    """OpenCC alone writes 并为 as 併為 (merge into) and 冲厕 as 衝廁: the pack's keep
    rows give 並為 (and … for) and 沖廁 (flush); 合并为 keeps its 併."""
    pages = {name: visible_text(example.page(f"zh-Hant/{name}/index.html"))
             for name in ("employees", "governance", "environment")}
    for name, text in pages.items():
        assert "併為" not in text and "衝廁" not in text, name
    assert "並為一線檢測人員" in pages["employees"] and "並為員工" in pages["governance"]
    assert "用於沖廁" in pages["environment"]


def test_names_and_markup_keep_their_wording(example):
    home = visible_text(example.page("zh-Hant/index.html"))
    # The testing centre's name keeps 質量 while 质量 elsewhere becomes 品質.
    assert "澄川質量檢測中心" in home
    governance = visible_text(example.page("zh-Hant/governance/index.html"))
    assert "《質量管理體系 要求》" in governance and "澄川检测" in governance


def test_review_report_is_in_traditional(example):
    review = example.page("zh-Hant/conversion-review.html")
    assert '<html lang="zh-Hant">' in review and "轉換審閱報告" in review
    assert "docs/index.md" in review


def test_check_accepts_simplified_labels_and_prints_the_review_counts(tmp_path):
    import shutil
    import subprocess
    import sys

    report = tmp_path / "report"
    shutil.copytree(EXAMPLE, report, ignore=shutil.ignore_patterns("site"))
    cli = Path(sys.executable).with_name("csr-kit")
    done = subprocess.run([str(cli), "check"], cwd=report, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No problems found." in done.stdout
    assert "Conversion review:" in done.stdout and "zh-Hant/conversion-review.html" in done.stdout
    # A Traditional label in the Simplified source's data is an error with its line.
    kpis = report / "data" / "kpis.yml"
    text = kpis.read_text(encoding="utf-8")
    first = text.index("zh-Hans: ", text.index("kpis:"))
    end = text.index("\n", first)
    label = text[first + 9:end].split(",")[0].strip("}{ ")
    traditional = label.replace("员", "員").replace("数", "數").replace("会", "會")
    assert traditional != label, label
    kpis.write_text(text[:first + 9] + traditional + text[first + 9 + len(label):],
                    encoding="utf-8")
    done = subprocess.run([str(cli), "check", "--quick"], cwd=report, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 1
    line = text[:first].count("\n") + 1
    assert f"data/kpis.yml:{line}:" in done.stdout and "Traditional character(s)" in done.stdout
