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


# --- a Simplified-source report (issue 17): its own script's columns first --------------


@pytest.fixture
def hans_report(tmp_path) -> Path:
    folder = tmp_path / "hans"
    create(folder, NewReport("示例环保科技有限公司", "2025 年度可持续发展报告", 2025,
                             source="zh-Hans"))
    return folder


def cell_of(path: Path, kpi_id: str, column: str) -> str:
    """The cell of a KPI's row under a column heading (e.g. '2024', 'note zh-Hans')."""
    sheet = openpyxl.load_workbook(path)["KPIs"]
    header = [c.value for c in sheet[1]]
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == kpi_id)
    return f"{column_letter(header.index(column) + 1)}{row}"


def test_simplified_report_exports_its_own_script_first(hans_report, capsys):
    xlsx = hans_report / "data" / "kpis.xlsx"
    code, out = kit(capsys, hans_report, "kpi", "export", str(xlsx))
    assert code == 0, out
    book = openpyxl.load_workbook(xlsx)
    assert [c.value for c in book["KPIs"][1]][:8] == [
        "id", "group", "unit", "scope", "label zh-Hans", "label zh-Hant", "label en", "2025"]
    assert [c.value for c in book["Units"][1]][:5] == ["key", "kind", "zh-Hans", "zh-Hant", "en"]
    assert [c.value for c in book["Groups"][1]] == ["key", "zh-Hans", "zh-Hant", "en"]
    assert book["KPIs"]["E2"].value == "员工总数"
    code, out = kit(capsys, hans_report, "kpi", "import", str(xlsx))
    assert code == 0 and "No figures changed." in out, out


def test_simplified_report_fill_in_and_import(hans_report, capsys):
    xlsx = hans_report / "data" / "kpis.xlsx"
    kit(capsys, hans_report, "kpi", "export", str(xlsx))
    edit(xlsx, **{cell_of(xlsx, "staff.total", "2025"): 126})
    code, out = kit(capsys, hans_report, "kpi", "import", str(xlsx))
    assert code == 0 and "staff.total 2025: 120 → 126" in out, out
    assert '"2025": 126' in (hans_report / "data" / "kpis.yml").read_text(encoding="utf-8")
    code, out = kit(capsys, hans_report, "check", "--quick")
    assert code == 0, out


def test_simplified_report_restated_figure_needs_a_note(hans_report, capsys):
    xlsx = hans_report / "data" / "kpis.xlsx"
    yml = hans_report / "data" / "kpis.yml"
    kit(capsys, hans_report, "kpi", "export", str(xlsx))
    figure = cell_of(xlsx, "staff.female_pct", "2024")
    edit(xlsx, **{figure: 44.0})
    code, out = kit(capsys, hans_report, "kpi", "import", str(xlsx))
    assert code == 1 and "RESTATED" in out and "Nothing was imported." in out
    assert f"data/kpis.xlsx!KPIs!{figure}: the 2024 figure of 'staff.female_pct'" in out
    note = cell_of(xlsx, "staff.female_pct", "note zh-Hans")
    edit(xlsx, **{note: "2024 年数字按新的统计方法重列。"})
    code, out = kit(capsys, hans_report, "kpi", "import", str(xlsx))
    assert code == 0, out
    text = yml.read_text(encoding="utf-8")
    assert '"2024": 44' in text and "按新的统计方法重列" in text
    code, out = kit(capsys, hans_report, "check", "--quick")
    assert code == 0, out


# --- after a roll-over: the sheet collects the new year's figures -------------------------


@pytest.mark.parametrize("source", ["zh-Hant-HK", "zh-Hans"])
def test_rollover_then_export_fill_in_and_import(tmp_path, capsys, source):
    folder = tmp_path / "report"
    names = {"zh-Hant-HK": ("示例機構", "2025 年度報告"), "zh-Hans": ("示例机构", "2025 年度报告")}
    create(folder, NewReport(*names[source], 2025, source=source))
    code, out = kit(capsys, folder, "rollover")
    assert code == 0, out
    xlsx = folder / "data" / "kpis.xlsx"
    code, out = kit(capsys, folder, "kpi", "export", str(xlsx))
    assert code == 0, out
    assert "no 2026 figure yet" in out
    sheet = openpyxl.load_workbook(xlsx)["KPIs"]
    header = [c.value for c in sheet[1]]
    assert header[7:9] == ["2026", "2025"]
    ids = [sheet.cell(r, 1).value for r in range(2, sheet.max_row + 1)]
    assert all(sheet.cell(r, 8).value is None for r in range(2, sheet.max_row + 1))
    # Last year's figures again (a plausible year; parts still add up to their totals).
    figures = {kpi_id: sheet.cell(r, 9).value for r, kpi_id in enumerate(ids, start=2)}
    edit(xlsx, **{cell_of(xlsx, kpi_id, "2026"): value for kpi_id, value in figures.items()})
    code, out = kit(capsys, folder, "kpi", "import", str(xlsx))
    assert code == 0, out
    assert "+ staff.total 2026: 120" in out
    code, out = kit(capsys, folder, "check", "--quick")
    assert code == 0, out


# --- restatements caught by `csr-kit check`, however the figure was changed ---------------


def rolled_over_and_filled_in(folder: Path, capsys, *, create_report: bool = True) -> None:
    """A report after `csr-kit rollover` (which records the published figures) with the new
    year's figures imported."""
    if create_report:
        create(folder, NewReport("香港示例協會", "2025 年度可持續發展報告", 2025))
    code, out = kit(capsys, folder, "rollover")
    assert code == 0 and "data/published-figures.yml: the 2025 figures as published" in out
    xlsx = folder / "new-year.xlsx"
    kit(capsys, folder, "kpi", "export", str(xlsx))
    sheet = openpyxl.load_workbook(xlsx)["KPIs"]
    edit(xlsx, **{f"H{r}": sheet.cell(r, 9).value for r in range(2, sheet.max_row + 1)})
    code, out = kit(capsys, folder, "kpi", "import", str(xlsx))
    assert code == 0, out
    xlsx.unlink()


def test_check_flags_an_earlier_year_edited_in_the_yaml(tmp_path, capsys):
    folder = tmp_path / "report"
    rolled_over_and_filled_in(folder, capsys)
    record = (folder / "data" / "published-figures.yml").read_text(encoding="utf-8")
    assert 'report: "2025"' in record and 'staff.total: {"2025": 120, "2024": 112}' in record
    code, out = kit(capsys, folder, "check", "--quick")
    assert code == 0, out
    yml = folder / "data" / "kpis.yml"
    text = yml.read_text(encoding="utf-8")
    yml.write_text(text.replace('"2025": 120,', '"2025": 118,', 1), encoding="utf-8")
    code, out = kit(capsys, folder, "check", "--quick")
    assert code == 1
    line = next(n for n, t in enumerate(yml.read_text(encoding="utf-8").splitlines(), 1)
                if '"2025": 118' in t)
    assert (f"data/kpis.yml:{line}: the 2025 figure of 'staff.total' is 118, but the 2025 "
            "report published 120 (data/published-figures.yml): a restatement — explain why "
            "in a note: of this KPI") in out
    # The current year's figure may change freely; a note explains a restatement.
    note = "    note: {zh-Hant: 2025 年數字按新的統計方法重列。}\n"
    yml.write_text(yml.read_text(encoding="utf-8").replace(
        "    unit: person\n", "    unit: person\n" + note, 1), encoding="utf-8")
    code, out = kit(capsys, folder, "check", "--quick")
    assert code == 0, out


def test_check_flags_an_earlier_year_edited_in_the_workbook_data_file(tmp_path, capsys):
    folder = tmp_path / "report"
    rolled_over_and_filled_in(folder, capsys)
    xlsx = workbook_as_the_data_file(folder, capsys)
    code, out = kit(capsys, folder, "check", "--quick")
    assert code == 0, out
    cell = cell_of(xlsx, "staff.female_pct", "2024")
    edit(xlsx, **{cell: 44.0})
    code, out = kit(capsys, folder, "check", "--quick")
    assert code == 1
    assert (f"data/kpis.xlsx!KPIs!{cell}: the 2024 figure of 'staff.female_pct' is 44, but "
            "the 2025 report published 45.5") in out


def test_import_writes_no_record_of_published_figures(report, capsys):
    """Only `csr-kit rollover` records published figures: a new report's first import
    (its figures are the template's samples) records nothing, so typing the real earlier
    figures later is no restatement."""
    xlsx = report / "data" / "kpis.xlsx"
    kit(capsys, report, "kpi", "export", str(xlsx))
    edit(xlsx, H2=125)
    code, out = kit(capsys, report, "kpi", "import", str(xlsx))
    assert code == 0 and "published-figures" not in out, out
    assert not (report / "data" / "published-figures.yml").exists()
    yml = report / "data" / "kpis.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace('"2024": 112', '"2024": 110', 1),
                   encoding="utf-8")
    code, out = kit(capsys, report, "check", "--quick")
    assert code == 0 and "restatement" not in out, out


def kpi_block(yml: Path, kpi_id: str) -> tuple[str, str]:
    """The data file's text and the lines of one KPI (from its id to the next)."""
    text = yml.read_text(encoding="utf-8")
    start = text.index(f"- id: {kpi_id}\n")
    end = text.find("- id: ", start + 1)
    return text, text[start:end if end > 0 else len(text)]


def test_a_note_kept_from_last_year_does_not_explain_a_restatement(tmp_path, capsys):
    """The record keeps each KPI's note as published: a restatement needs a new one."""
    folder = tmp_path / "report"
    create(folder, NewReport("香港示例協會", "2025 年度可持續發展報告", 2025))
    yml = folder / "data" / "kpis.yml"
    text, block = kpi_block(yml, "staff.total")
    published_note = "    note: {zh-Hant: 員工人數包括兼職員工。}\n"
    yml.write_text(text.replace(block, block.replace(
        "    unit: person\n", "    unit: person\n" + published_note, 1)), encoding="utf-8")
    rolled_over_and_filled_in(folder, capsys, create_report=False)
    record = (folder / "data" / "published-figures.yml").read_text(encoding="utf-8")
    assert 'staff.total: {"zh-Hant": "員工人數包括兼職員工。"}' in record
    code, out = kit(capsys, folder, "check", "--quick")
    assert code == 0, out
    # The 2025 figure changes; the note is still the one published with it.
    text, block = kpi_block(yml, "staff.total")
    yml.write_text(text.replace(block, block.replace('"2025": 120', '"2025": 118', 1)),
                   encoding="utf-8")
    code, out = kit(capsys, folder, "check", "--quick")
    assert code == 1
    assert ("the 2025 figure of 'staff.total' is 118, but the 2025 report published 120 "
            "(data/published-figures.yml): a restatement (the note published with it "
            "explains nothing new)") in out, out
    # A new note explains it.
    yml.write_text(yml.read_text(encoding="utf-8").replace(
        published_note, "    note: {zh-Hant: 2025 年數字按新的統計方法重列。}\n", 1),
        encoding="utf-8")
    code, out = kit(capsys, folder, "check", "--quick")
    assert code == 0, out


def test_import_applies_the_same_rule_as_check(tmp_path, capsys):
    """kpi import asks for a note that differs from the published one, as check does."""
    folder = tmp_path / "report"
    create(folder, NewReport("香港示例協會", "2025 年度可持續發展報告", 2025))
    yml = folder / "data" / "kpis.yml"
    text, block = kpi_block(yml, "staff.female_pct")
    yml.write_text(text.replace(block, block.replace(
        "    values:", "    note: {zh-Hant: 按全職員工計算。}\n    values:", 1)), encoding="utf-8")
    rolled_over_and_filled_in(folder, capsys, create_report=False)
    xlsx = folder / "data" / "kpis.xlsx"
    kit(capsys, folder, "kpi", "export", str(xlsx))
    edit(xlsx, **{cell_of(xlsx, "staff.female_pct", "2025"): 44.0})
    code, out = kit(capsys, folder, "kpi", "import", str(xlsx))
    assert code == 1 and "RESTATED" in out and "Nothing was imported." in out, out
    assert "(the note published with it explains nothing new)" in out, out
    edit(xlsx, **{cell_of(xlsx, "staff.female_pct", "note zh-Hant"): "2025 年數字已重列。"})
    code, out = kit(capsys, folder, "kpi", "import", str(xlsx))
    assert code == 0, out
    code, out = kit(capsys, folder, "check", "--quick")
    assert code == 0, out


def test_a_record_without_notes_reads_as_no_notes_published(tmp_path, capsys):
    """Records written before notes were kept: any note then explains a restatement."""
    folder = tmp_path / "report"
    rolled_over_and_filled_in(folder, capsys)
    record = folder / "data" / "published-figures.yml"
    text = record.read_text(encoding="utf-8")
    record.write_text(text[:text.index("notes:")], encoding="utf-8")
    yml = folder / "data" / "kpis.yml"
    text, block = kpi_block(yml, "staff.total")
    yml.write_text(text.replace(block, block.replace('"2025": 120', '"2025": 118', 1)),
                   encoding="utf-8")
    code, out = kit(capsys, folder, "check", "--quick")
    assert code == 1 and "the 2025 figure of 'staff.total' is 118" in out, out
    text, block = kpi_block(yml, "staff.total")
    yml.write_text(text.replace(block, block.replace(
        "    unit: person\n", "    unit: person\n    note: {zh-Hant: 已重列。}\n", 1)),
        encoding="utf-8")
    code, out = kit(capsys, folder, "check", "--quick")
    assert code == 0, out
