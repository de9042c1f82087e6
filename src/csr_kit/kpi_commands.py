"""`csr-kit kpi export` and `csr-kit kpi import`: the KPI data of a report project as a
spreadsheet departments fill in, and back (the workbook format is kpi/spreadsheet.py)."""

from __future__ import annotations

from pathlib import Path

from .checks import load_project
from .datafile import load_yaml, read_text
from .errors import SourceError, SourceErrors
from .kpi import model, published
from .kpi.model import KPIData
from .kpi.spreadsheet import (
    apply_changes,
    diff,
    read_sheets,
    validate_workbook,
    workbook_data,
    write_spreadsheet,
)


def _kpi_options(config_file: Path) -> tuple[Path, str, float, str]:
    """The KPI data file (path, as shown), the change threshold and the source script."""
    project, _ = load_project(config_file)
    options = project.plugin_options("csr-kpi") or {}
    kpis = str(options.get("kpis") or "data/kpis.yml")
    return (project.root / kpis, kpis, float(options.get("change_threshold", 20) or 20),
            project.source_script())


def _load(path: Path, shown: str, threshold: float, script: str) -> KPIData:
    # Right after a roll-over the new year has no figures yet: that is what the
    # spreadsheet collects, so it is no reason to refuse.
    data, _ = model.load(path, shown, script, change_threshold=threshold,
                         missing_current_ok=True)
    return data


def export_command(config_file: Path, target: Path) -> int:
    path, shown, threshold, script = _kpi_options(config_file)
    try:
        data = _load(path, shown, threshold, script)
    except (SourceError, SourceErrors) as err:
        for p in err.problems if isinstance(err, SourceErrors) else [err.problem]:
            print(p)
        print("Fix the KPI data first; nothing was exported.")
        return 1
    if target.suffix.lower() not in (".xlsx", ".csv"):
        print(f"{target}: write a .xlsx or .csv file — e.g. csr-kit kpi export data/kpis.xlsx")
        return 2
    write_spreadsheet(data, target, script)
    empty = sum(1 for k in data.kpis if data.periods.current not in k.values)
    todo = (f" {empty} KPI(s) have no {data.periods.current} figure yet: their "
            f"{data.periods.current} cells are empty." if empty else "")
    print(f"Wrote {len(data.kpis)} KPIs to {target}.{todo} Departments fill in the figures; "
          f"then run `csr-kit kpi import {target}`.")
    return 0


def import_command(config_file: Path, source: Path, *, dry_run: bool = False) -> int:
    path, shown, threshold, script = _kpi_options(config_file)
    if path.suffix.lower() not in (".yml", ".yaml"):
        print(f"{shown} is itself a spreadsheet: edit it directly (import writes into a YAML "
              "data file)")
        return 2
    source_shown = str(source)
    record_shown = Path(shown).parent.joinpath(published.FILE_NAME).as_posix()
    try:
        current = _load(path, shown, threshold, script)
        # Only csr-kit rollover writes the record: import reads it, never writes it.
        record = published.load(published.path_for(path), record_shown)
        sheets = read_sheets(source, source_shown)
        rows, cells = workbook_data(sheets, source_shown, rows_only=True)
        # Each row is validated as a KPI of the current data (same schema).
        merged = current.model_dump(by_alias=True, exclude_none=True)
        merged["kpis"] = rows["kpis"]
        incoming = validate_workbook(KPIData, merged, cells, source_shown)
    except (SourceError, SourceErrors) as err:
        for p in err.problems if isinstance(err, SourceErrors) else [err.problem]:
            print(p)
        print("Nothing was imported.")
        return 1
    changes, problems = diff(current, incoming, cells, source_shown, record)
    for line in changes:
        print(line)
    if problems:
        for p in problems:
            print(p)
        print("Nothing was imported.")
        return 1
    if not changes:
        print("No figures changed.")
        return 0
    if dry_run:
        print("Dry run: nothing was written.")
        return 0
    text = read_text(path, shown)
    _, lines = load_yaml(text, shown)
    path.write_text(apply_changes(text, lines, current, incoming), encoding="utf-8")
    print(f"Updated {shown}. Run `csr-kit check` to check the figures.")
    return 0
