"""KPI figures in a spreadsheet: the workbook layout, reading it with cell references,
and the ``csr-kit kpi export`` / ``csr-kit kpi import`` round trip with data/kpis.yml.

Layout (one header row per sheet; empty cells are left out):

- ``KPIs``: one row per KPI. Columns ``id``, ``group``, ``unit``, ``scope``,
  ``label zh-Hant``, ``label zh-Hans``, ``label en`` (export writes the report's source
  script first; columns are read by their heading, in any order), one column per period
  headed by the period's name (``2025``, ``2024`` …; the current period's column is
  there, empty, right after a roll-over), ``note …`` and ``source …`` per script,
  ``assured`` (TRUE/FALSE), ``frameworks`` (``gri:2-7, hkex:B1.1``), ``decimals``.
- ``Periods``: ``current`` and ``previous`` (row 2).
- ``Units``: ``key``, ``kind``, ``zh-Hant``, ``zh-Hans``, ``en``, ``decimals``, ``out_of``,
  ``chinese_units``.
- ``Scopes`` and ``Groups``: ``key``, ``zh-Hant``, ``zh-Hans``, ``en``.

A CSV file holds the ``KPIs`` sheet only: it is for the round trip, not a data file.
Problems name the sheet and cell: ``data/kpis.xlsx!KPIs!D14: … — fix``.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from ..datafile import Location, Model, _plain_message, read_text
from ..errors import Problem, SourceError, SourceErrors
from .published import Record as PublishedRecord, explained, note_text

if TYPE_CHECKING:
    from .model import KPIData

# A row's values by column name, each with its cell reference ('KPIs!D14').
Record = dict[str, tuple[Any, str]]
# The cell each location of the data holds (as a YAML file has line numbers).
Cells = dict[Location, str]

SCRIPTS = ("zh-Hant", "zh-Hans", "en")
TEXT_FIELDS = ("label", "note", "source")
KPI_FIXED = ("id", "group", "unit", "scope")
KPI_TAIL = ("assured", "frameworks", "decimals")
UNIT_COLUMNS = ("key", "kind", *SCRIPTS, "decimals", "out_of", "chinese_units")
LABEL_COLUMNS = ("key", *SCRIPTS)
_KNOWN = set(KPI_FIXED) | set(KPI_TAIL) | {f"{f} {s}" for f in TEXT_FIELDS for s in SCRIPTS}


def column_letter(index: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cell(sheet: str | None, row: int, column: int) -> str:
    ref = f"{column_letter(column)}{row}"
    return f"{sheet}!{ref}" if sheet else ref


class Sheet:
    """A sheet's header and rows, with a cell reference for every value."""

    def __init__(self, name: str | None, rows: list[list[Any]]):
        self.name = name  # None for a CSV file (its cells are written without a sheet name)
        self.header = [str(h).strip() if h is not None else "" for h in (rows[0] if rows else [])]
        self.rows = rows[1:]

    def records(self) -> list[tuple[int, Record]]:
        """(row number, {column name: (value, cell)}) for each row that is not empty."""
        found = []
        for offset, row in enumerate(self.rows, start=2):
            values: Record = {}
            for column, name in enumerate(self.header, start=1):
                value = row[column - 1] if column - 1 < len(row) else None
                if isinstance(value, str):
                    value = value.strip()
                if name and value not in (None, ""):
                    values[name] = (value, _cell(self.name, offset, column))
            if values:
                found.append((offset, values))
        return found


def read_sheets(path: Path, shown: str) -> dict[str, Sheet]:
    """The workbook's sheets (a CSV file is one sheet, 'KPIs')."""
    if path.suffix.lower() == ".csv":
        text = read_text(path, shown)
        return {"KPIs": Sheet(None, [_csv_value(row) for row in csv.reader(text.splitlines())])}
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise SourceError(shown, None, "the file is missing",
                          "create it with csr-kit kpi export, or check the name") from None
    except Exception as err:  # noqa: BLE001 - a damaged or wrong file, told plainly
        raise SourceError(shown, None, f"this is not an Excel workbook openpyxl can read "
                          f"({type(err).__name__})",
                          "save it again from Excel as 'Excel Workbook (.xlsx)'") from None
    try:
        return {ws.title: Sheet(ws.title, [list(r) for r in ws.iter_rows(values_only=True)])
                for ws in book.worksheets}
    finally:
        book.close()


def _csv_value(row: list[str]) -> list[Any]:
    values: list[Any] = []
    for text in row:
        try:
            number = float(text)
            values.append(int(number) if number.is_integer() and "." not in text else number)
        except ValueError:
            values.append(text)
    return values


def _text_labels(values: Record, field: str) -> dict[str, str] | None:
    labels = {s: str(values[f"{field} {s}"][0]) for s in SCRIPTS if f"{field} {s}" in values}
    return labels or None


def _bool(value: Any) -> Any:
    if isinstance(value, str) and value.strip().lower() in ("true", "yes", "1", "false", "no", "0"):
        return value.strip().lower() in ("true", "yes", "1")
    return value


def _period(header: str) -> str:
    text = header.strip()
    return text[:-2] if text.endswith(".0") else text


def workbook_data(sheets: dict[str, Sheet], shown: str, *, rows_only: bool = False
                  ) -> tuple[dict[str, Any], Cells]:
    """The KPI data as the YAML file would give it, and the cell of every location."""
    cells: Cells = {}
    problems: list[Problem] = []
    needed = ["KPIs"] if rows_only else ["KPIs", "Periods", "Units", "Scopes", "Groups"]
    for name in needed:
        if name not in sheets:
            problems.append(Problem(shown, None, f"the sheet '{name}' is missing",
                                    f"add a sheet named {name} (see the layout in the README), "
                                    "or start from csr-kit kpi export"))
    if problems:
        raise SourceErrors(problems)
    data: dict[str, Any] = {}
    kpi_sheet = sheets["KPIs"]
    for required in KPI_FIXED:
        if required not in kpi_sheet.header:
            problems.append(Problem(f"{shown}!{_cell(kpi_sheet.name, 1, 1)}", None,
                                    f"the KPIs sheet has no '{required}' column",
                                    f"add a column headed {required} in row 1"))
    if problems:
        raise SourceErrors(problems)
    periods = [h for h in kpi_sheet.header if h and h not in _KNOWN]
    kpis = []
    for i, (row, values) in enumerate(kpi_sheet.records()):
        item: dict[str, Any] = {}
        for name, (_value, cell) in values.items():
            cells[("kpis", i, name)] = cell
        cells[("kpis", i)] = _cell(kpi_sheet.name, row, 1)
        for name in KPI_FIXED:
            if name in values:
                item[name] = values[name][0] if name != "id" else str(values[name][0])
                cells[("kpis", i, name)] = values[name][1]
        for field in TEXT_FIELDS:
            labels = _text_labels(values, field)
            if labels is not None:
                item[field] = labels
                for script in SCRIPTS:
                    if f"{field} {script}" in values:
                        cells[("kpis", i, field, script)] = values[f"{field} {script}"][1]
        item["values"] = {}
        for header in periods:
            if header in values:
                period = _period(header)
                item["values"][period] = values[header][0]
                cells[("kpis", i, "values", period)] = values[header][1]
        if item["values"]:
            cells[("kpis", i, "values")] = next(iter(
                cells[("kpis", i, "values", p)] for p in item["values"]))
        if "assured" in values:
            item["assured"] = _bool(values["assured"][0])
        if "frameworks" in values:
            item["frameworks"] = [c.strip() for c in str(values["frameworks"][0]).split(",")
                                  if c.strip()]
            for j in range(len(item["frameworks"])):
                cells[("kpis", i, "frameworks", j)] = values["frameworks"][1]
        if "decimals" in values:
            item["decimals"] = values["decimals"][0]
        kpis.append(item)
    data["kpis"] = kpis
    if rows_only:
        return data, cells
    period_rows = sheets["Periods"].records()
    if period_rows:
        _, values = period_rows[0]
        data["periods"] = {k: str(_period(str(v))) for k, (v, _) in values.items()}
        for key, (_, cell) in values.items():
            cells[("periods", key)] = cell
    for sheet_name, key in (("Units", "units"), ("Scopes", "scopes"), ("Groups", "groups")):
        table: dict[str, Any] = {}
        for _row, values in sheets[sheet_name].records():
            if "key" not in values:
                continue
            name = str(values["key"][0])
            entry = {k: (_bool(v) if k == "chinese_units" else v)
                     for k, (v, _) in values.items() if k != "key"}
            table[name] = entry
            cells[(key, name)] = values["key"][1]
            for k, (_, cell) in values.items():
                cells[(key, name, k)] = cell
        data[key] = table
    return data, cells


def _cell_of(cells: Cells, loc: Location) -> str | None:
    loc = tuple(loc)
    while loc:
        if loc in cells:
            return cells[loc]
        loc = loc[:-1]
    return None


def at_cells(problems: list[Problem], shown: str) -> list[Problem]:
    """Problems whose 'line' is a cell reference, written as file!sheet!cell."""
    return [Problem(f"{shown}!{p.line}", None, p.message, p.hint, p.severity, p.category)
            if isinstance(p.line, str) else p for p in problems]


def validate_workbook(model: type[Model], data: dict[str, Any], cells: Cells,
                      shown: str) -> Model:
    try:
        return model.model_validate(data)
    except ValidationError as err:
        problems = []
        for error in err.errors():
            message, hint = _plain_message(error)
            cell = _cell_of(cells, tuple(error["loc"]))
            problems.append(Problem(f"{shown}!{cell}" if cell else shown, None, message, hint))
        raise SourceErrors(problems) from None


# --- the round trip with data/kpis.yml ----------------------------------------------------


def script_order(source_script: str = "zh-Hant") -> tuple[str, ...]:
    """The label columns' scripts, the report's source script first."""
    return (source_script, *(s for s in SCRIPTS if s != source_script))


def export_rows(data: KPIData, source_script: str = "zh-Hant"
                ) -> tuple[list[str], list[list[Any]]]:
    """The KPIs sheet: a column for every period, the current one too (empty right after
    a roll-over, for the departments to fill in)."""
    scripts = script_order(source_script)
    periods = sorted(set(data.all_periods()) | {data.periods.current}, reverse=True)
    header = [*KPI_FIXED, *(f"label {s}" for s in scripts), *periods,
              *(f"{f} {s}" for f in ("note", "source") for s in scripts), *KPI_TAIL]
    rows = []
    for kpi in data.kpis:
        row: list[Any] = [kpi.id, kpi.group, kpi.unit, kpi.scope]
        row += [kpi.label.get(s) for s in scripts]
        row += [_number(kpi.values.get(p)) for p in periods]
        for field in ("note", "source"):
            labels = getattr(kpi, field)
            row += [labels.get(s) if labels else None for s in scripts]
        row += [kpi.assured, ", ".join(kpi.frameworks) or None, kpi.decimals]
        rows.append(row)
    return header, rows


def _number(value: float | None) -> Any:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def write_spreadsheet(data: KPIData, target: Path, source_script: str = "zh-Hant") -> None:
    header, rows = export_rows(data, source_script)
    scripts = script_order(source_script)
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.suffix.lower() == ".csv":
        with target.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows([["" if v is None else v for v in row] for row in rows])
        return
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    sheet = book.worksheets[0]  # a new workbook has one sheet
    sheet.title = "KPIs"
    for name, table_header, table_rows in (
            ("KPIs", header, rows),
            ("Periods", ["current", "previous"], [[data.periods.current, data.periods.previous]]),
            ("Units", ["key", "kind", *scripts, *UNIT_COLUMNS[2 + len(SCRIPTS):]],
             [[k, u.kind, *(u.labels.get(s) for s in scripts), u.decimals, u.out_of,
               u.chinese_units] for k, u in data.units.items()]),
            ("Scopes", ["key", *scripts],
             [[k, *(v.get(s) for s in scripts)] for k, v in data.scopes.items()]),
            ("Groups", ["key", *scripts],
             [[k, *(v.get(s) for s in scripts)] for k, v in data.groups.items()])):
        ws = sheet if name == "KPIs" else book.create_sheet(name)
        ws.append(table_header)
        for row in table_rows:
            ws.append(row)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "B2"
    book.save(target)


def diff(current: KPIData, incoming: KPIData, cells: Cells, shown: str,
         record: PublishedRecord | None = None) -> tuple[list[str], list[Problem]]:
    """What the spreadsheet changes; restated earlier-year figures need a new note.

    ``record``: the published figures (kpi/published.py). A restated figure needs a note
    that differs from the one published with it — the rule ``csr-kit check`` applies
    (published.explained); with no record yet, from the note before the import.
    """
    changes: list[str] = []
    problems: list[Problem] = []
    now = current.periods.current
    for i, kpi in enumerate(incoming.kpis):
        before = current.get(kpi.id)
        if before is None:
            problems.append(Problem(f"{shown}!{_cell_of(cells, ('kpis', i, 'id'))}", None,
                                    f"'{kpi.id}' is not a KPI of the data file",
                                    "add new KPIs to the YAML data file first (id, unit, "
                                    "labels), then import their figures"))
            continue
        published_note = record.note(kpi.id) if record else note_text(before.note)
        for period in sorted(set(before.values) | set(kpi.values), reverse=True):
            old, new = before.values.get(period), kpi.values.get(period)
            if old == new:
                continue
            cell = _cell_of(cells, ("kpis", i, "values", period))
            if old is None:
                changes.append(f"  + {kpi.id} {period}: {_number(new)}")
            elif new is None:
                changes.append(f"  - {kpi.id} {period}: {_number(old)} (left empty in the "
                               "spreadsheet: kept)")
            elif period == now:
                changes.append(f"  ~ {kpi.id} {period}: {_number(old)} → {_number(new)}")
            elif record and record.figures.get(kpi.id, {}).get(period) == new:
                changes.append(f"  ~ {kpi.id} {period}: {_number(old)} → {_number(new)} "
                               f"(the figure the {record.report} report published)")
            else:
                changes.append(f"  ! {kpi.id} {period}: {_number(old)} → {_number(new)} "
                               "RESTATED (an earlier year's figure changed)")
                if not explained(kpi.note, published_note):
                    problems.append(Problem(
                        f"{shown}!{cell}", None,
                        f"the {period} figure of '{kpi.id}' changed from {_number(old)} to "
                        f"{_number(new)}, a restatement of last year's report"
                        + (" (the note published with it explains nothing new)"
                           if note_text(kpi.note) else ""),
                        "explain why in the note columns of this row (GRI 2-4 asks for the "
                        "reason), or restore the figure"))
        if kpi.note != before.note and kpi.note:
            changes.append(f"  ~ {kpi.id} note updated")
    return changes, problems


def apply_changes(text: str, lines: dict[Location, int], current: KPIData,
                  incoming: KPIData) -> str:
    """The YAML text with each changed KPI's values (and note) rewritten in place."""
    import json

    out = text.splitlines(keepends=True)
    edits: list[tuple[int, int, str]] = []  # (first line, last line, new text), 1-based
    for i, kpi in enumerate(current.kpis):
        new = incoming.get(kpi.id)
        if new is None:
            continue
        values = {**kpi.values, **new.values}
        for field, old_value, new_value in (("values", kpi.values, values),
                                            ("note", kpi.note, new.note)):
            if new_value == old_value or new_value is None:
                continue
            first = lines.get(("kpis", i, field))
            if first is None:
                # A note the KPI did not have: a new line after its values.
                anchor = max(n for loc, n in lines.items() if loc[:3] == ("kpis", i, "values"))
                first, last = anchor + 1, anchor
                indent_line = out[lines[("kpis", i, "values")] - 1]
            else:
                last = max(n for loc, n in lines.items() if loc[:3] == ("kpis", i, field))
                indent_line = out[first - 1]
            indent = indent_line[: len(indent_line) - len(indent_line.lstrip())]
            if field == "values":
                body = ", ".join(f'"{p}": {_number(v)}' for p, v in
                                 sorted(values.items(), reverse=True))
            else:
                labels = new_value.model_dump(exclude_none=True, by_alias=True) \
                    if hasattr(new_value, "model_dump") else dict(new_value)
                body = ", ".join(f"{k}: {json.dumps(v, ensure_ascii=False)}"
                                 for k, v in labels.items() if v)
            edits.append((first, last, f"{indent}{field}: {{{body}}}\n"))
    for first, last, replacement in sorted(edits, reverse=True):
        out[first - 1:last] = [replacement]
    return "".join(out)


def load_workbook_model(model: type[Model], path: Path, shown: str) -> tuple[Model, Cells]:
    """A KPI data file given as .xlsx: the model and the cell of every location."""
    if path.suffix.lower() == ".csv":
        raise SourceError(shown, None, "a CSV file holds only the KPI rows, not the units, "
                          "scopes and groups",
                          "use a .xlsx workbook (csr-kit kpi export data/kpis.xlsx), or keep "
                          "kpis.yml and bring the CSV in with csr-kit kpi import")
    data, cells = workbook_data(read_sheets(path, shown), shown)
    return validate_workbook(model, data, cells, shown), cells
