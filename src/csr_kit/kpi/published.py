"""The KPI figures as last published: ``published-figures.yml`` next to the KPI data file.

``csr-kit rollover`` writes it (the figures of the report being closed, as they were
published), and ``csr-kit kpi import`` writes it when a report has none yet (the figures as
they stood before the import). ``csr-kit check`` compares the earlier years' figures of the
KPI data with it: a figure that changed is a *restatement* and needs the KPI's ``note:``
(GRI 2-4), however it was changed — in ``kpis.yml``, in a workbook that is the data file, or
by ``kpi import``.

Layout::

    report: "2025"          # the report these figures were published in
    figures:
      staff.total: {"2025": 120, "2024": 112}
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..datafile import load_yaml, read_text
from ..errors import SourceError

FILE_NAME = "published-figures.yml"
# Published figures by KPI id, then period.
Figures = dict[str, dict[str, float]]


def path_for(kpis: Path) -> Path:
    """The record of a KPI data file (data/kpis.yml → data/published-figures.yml)."""
    return kpis.parent / FILE_NAME


def load(path: Path, shown: str) -> tuple[str, Figures] | None:
    """(report, figures) of the record, or None when there is none."""
    if not path.is_file():
        return None
    data, _ = load_yaml(read_text(path, shown), shown)
    figures = data.get("figures") if isinstance(data, dict) else None
    if not isinstance(figures, dict) or not all(
            isinstance(values, dict) and all(_number(v) for v in values.values())
            for values in figures.values()):
        raise SourceError(shown, None, "this is not a record of published figures "
                          "(figures: with a KPI id, then period: number)",
                          "it is written by csr-kit rollover: restore it from the "
                          "backups/ folder or from Git, or delete it")
    return (str(data.get("report", "")),
            {str(k): {str(p): float(v) for p, v in values.items()}
             for k, values in figures.items()})


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def dump(report: str, kpis: Iterable[tuple[str, Mapping[Any, Any]]]) -> str:
    """The record's text: every KPI's figures as they are now."""
    lines = [
        f"# The KPI figures as published in the {report} report. Written by csr-kit rollover",
        "# (or by csr-kit kpi import when there was no record yet); do not edit it by hand.",
        "# csr-kit check compares the earlier years' figures in the KPI data with these: a",
        "# changed figure is a restatement and needs a note: in the KPI (GRI 2-4).",
        f"report: {json.dumps(str(report))}",
        "figures:",
    ]
    for kpi_id, values in kpis:
        numbers = {str(p): v for p, v in values.items() if _number(v)}
        if numbers:
            body = ", ".join(f"{json.dumps(p)}: {_plain(v)}" for p, v in
                             sorted(numbers.items(), reverse=True))
            lines.append(f"  {kpi_id}: {{{body}}}")
    return "\n".join(lines) + "\n"


def _plain(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))
