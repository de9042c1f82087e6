"""Issue 17: KPI figures from Excel — the workbook as a data file (errors name the sheet and
cell), `csr-kit kpi export` and `csr-kit kpi import` with a diff and restatements."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, strategies as st

from csr_kit import cli
from csr_kit.kpi import model
from csr_kit.kpi.spreadsheet import column_letter
from csr_kit.new import NewReport, create


@pytest.fixture
def report(tmp_path) -> Path:
    folder = tmp_path / "report"
    create(folder, NewReport("香港示例協會", "2025 年度可持續發展報告", 2025))
    return folder


def kit(capsys, folder: Path, *args: str) -> tuple[int, str]:
    code = cli.main(["-f", str(folder / "mkdocs.yml"), *args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def edit(path: Path, **cells) -> None:
    book = openpyxl.load_workbook(path)
    for ref, value in cells.items():
        book["KPIs"][ref] = value
    book.save(path)


def test_export_then_import_unchanged_is_a_no_op(report, capsys):
    before = (report / "data" / "kpis.yml").read_text(encoding="utf-8")
    code, out = kit(capsys, report, "kpi", "export", str(report / "data" / "kpis.xlsx"))
    assert code == 0, out
    sheet = openpyxl.load_workbook(report / "data" / "kpis.xlsx")["KPIs"]
    assert [c.value for c in sheet[1]][:8] == ["id", "group", "unit", "scope", "label zh-Hant",
                                               "label zh-Hans", "label en", "2025"]
    code, out = kit(capsys, report, "kpi", "import", str(report / "data" / "kpis.xlsx"))
    assert code == 0 and "No figures changed." in out
    assert (report / "data" / "kpis.yml").read_text(encoding="utf-8") == before


def test_import_shows_the_diff_and_rewrites_only_changed_lines(report, capsys):
    xlsx = report / "data" / "kpis.xlsx"
    kit(capsys, report, "kpi", "export", str(xlsx))
    before = (report / "data" / "kpis.yml").read_text(encoding="utf-8").splitlines()
    edit(xlsx, H2=125)  # staff.total, 2025
    code, out = kit(capsys, report, "kpi", "import", str(xlsx))
    assert code == 0, out
    assert "staff.total 2025: 120 → 125" in out
    after = (report / "data" / "kpis.yml").read_text(encoding="utf-8").splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=False) if a != b]
    assert len(before) == len(after) and len(changed) == 1
    assert '"2025": 125' in changed[0][1]


def test_restated_figure_needs_a_note(report, capsys):
    xlsx = report / "data" / "kpis.xlsx"
    yml = report / "data" / "kpis.yml"
    kit(capsys, report, "kpi", "export", str(xlsx))
    before = yml.read_text(encoding="utf-8")
    edit(xlsx, I3=44.0)  # staff.female_pct, 2024: last year's published figure
    code, out = kit(capsys, report, "kpi", "import", str(xlsx))
    assert code == 1 and "RESTATED" in out and "Nothing was imported." in out
    assert re.search(r"data/kpis\.xlsx!KPIs!I3: the 2024 figure of 'staff\.female_pct' "
                     r"changed from 45\.5 to 44.* — explain why in the note", out)
    assert yml.read_text(encoding="utf-8") == before
    edit(xlsx, K3="2024 年數字按新的統計方法重列。")
    code, out = kit(capsys, report, "kpi", "import", str(xlsx))
    assert code == 0, out
    text = yml.read_text(encoding="utf-8")
    assert '"2024": 44' in text and "按新的統計方法重列" in text
    code, out = kit(capsys, report, "check", "--quick")
    assert code == 0, out


def workbook_as_the_data_file(report: Path, capsys) -> Path:
    """The report's KPI data moved into a workbook, which mkdocs.yml names instead."""
    xlsx = report / "data" / "kpis.xlsx"
    kit(capsys, report, "kpi", "export", str(xlsx))
    config = report / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  - csr-kpi\n", "  - csr-kpi:\n      kpis: data/kpis.xlsx\n"), encoding="utf-8")
    (report / "data" / "kpis.yml").unlink()
    return xlsx


def test_workbook_as_the_data_file_builds_and_names_cells(report, capsys):
    xlsx = workbook_as_the_data_file(report, capsys)
    code, out = kit(capsys, report, "check")
    assert code == 0, out
    edit(xlsx, H4="53,3", C5="hours")
    code, out = kit(capsys, report, "check", "--quick")
    assert code == 1
    assert ("data/kpis.xlsx!KPIs!H4: '53,3' is not a number — write digits only, without "
            "units, commas or spaces (e.g. 1234.5)") in out


def test_unknown_unit_in_a_workbook_names_its_cell(report, capsys):
    xlsx = report / "data" / "kpis.xlsx"
    kit(capsys, report, "kpi", "export", str(xlsx))
    edit(xlsx, C5="hours")
    with pytest.raises(Exception) as err:
        model.load(xlsx, "data/kpis.xlsx")
    assert "data/kpis.xlsx!KPIs!C5: 'hours' is not a known unit — did you mean 'hour'?" in \
        str(err.value)


def test_csv_round_trip(report, capsys):
    csv_file = report / "kpis.csv"
    code, out = kit(capsys, report, "kpi", "export", str(csv_file))
    assert code == 0, out
    text = csv_file.read_text(encoding="utf-8-sig")
    row = "staff.total,people,person,group,員工總數,,Total employees,"
    csv_file.write_text(text.replace(row + "120", row + "130"), encoding="utf-8")
    code, out = kit(capsys, report, "kpi", "import", "--dry-run", str(csv_file))
    assert code == 0 and "staff.total 2025: 120 → 130" in out and "Dry run" in out


def test_a_csv_is_not_a_data_file(report, capsys):
    csv_file = report / "data" / "kpis.csv"
    kit(capsys, report, "kpi", "export", str(csv_file))
    with pytest.raises(Exception, match="a CSV file holds only the KPI rows"):
        model.load(csv_file, "data/kpis.csv")


@given(st.integers(min_value=1, max_value=18278))
def test_column_letters_count_like_excel(index):
    letters = column_letter(index)
    assert letters.isalpha() and letters.isupper()
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - 64
    assert number == index


def test_cross_checks_apply_to_a_workbook_too(report, capsys):
    """The report's year against the KPI periods: checked whether the data is YAML or Excel."""
    workbook_as_the_data_file(report, capsys)
    facts = report / "data" / "report.yml"
    facts.write_text(facts.read_text(encoding="utf-8").replace("year: 2025", "year: 2026"),
                     encoding="utf-8")
    code, out = kit(capsys, report, "check", "--quick")
    assert code == 1
    assert re.search(r"data/kpis\.xlsx!\w+!\w+\d+: the current KPI period '2025' is not the "
                     r"report's year 2026", out), out
