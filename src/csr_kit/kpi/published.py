"""The KPI figures as last published: ``published-figures.yml`` next to the KPI data file.

Only ``csr-kit rollover`` writes it: that is when a report's figures become the published
ones (the figures of the report being closed, and the KPIs' notes as they stood). A report
that was never rolled over has no record, so nothing counts as published yet.
``csr-kit check`` compares the earlier years' figures of the KPI data with it: a figure that
changed is a *restatement* and needs a note that says so — the KPI's ``note:`` must differ
from the note recorded with the published figures (GRI 2-4; a note kept from last year
explains nothing new). The same rule (:func:`explained`) applies however the figure was
changed: in ``kpis.yml``, in a workbook that is the data file, or by ``kpi import``.

Layout::

    report: "2025"          # the report these figures were published in
    figures:
      staff.total: {"2025": 120, "2024": 112}
    notes:                  # each KPI's note as published (per script); none: no note
      staff.total: {"zh-Hant": "…"}

A record without ``notes:`` (written by an earlier csr-kit) reads as one where no KPI had
a note.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..datafile import load_yaml, read_text
from ..errors import SourceError

FILE_NAME = "published-figures.yml"
# Published figures by KPI id, then period.
Figures = dict[str, dict[str, float]]
# Published notes by KPI id, then script ('zh-Hant', 'zh-Hans', 'en').
Notes = dict[str, dict[str, str]]


@dataclass(frozen=True)
class Record:
    """The published figures (and notes) of one report, as read from the record."""

    shown: str  # the record as shown in messages (data/published-figures.yml)
    report: str
    figures: Figures
    notes: Notes = field(default_factory=dict)

    def note(self, kpi_id: str) -> dict[str, str]:
        return self.notes.get(kpi_id, {})


def note_text(note: object) -> dict[str, str]:
    """A note as {script: text}, empty texts left out: a Labels, a mapping or None."""
    if note is None:
        return {}
    if hasattr(note, "model_dump"):
        note = note.model_dump(by_alias=True, exclude_none=True)
    if not isinstance(note, Mapping):
        return {}
    return {str(k): str(v).strip() for k, v in note.items()
            if v is not None and str(v).strip()}


def explained(note: object, published_note: Mapping[str, str]) -> bool:
    """Whether a KPI's note explains a restatement: it has a note, and it is not the note
    published with the figures (one rule for ``csr-kit check`` and ``csr-kit kpi import``)."""
    now = note_text(note)
    return bool(now) and now != dict(published_note)


def path_for(kpis: Path) -> Path:
    """The record of a KPI data file (data/kpis.yml → data/published-figures.yml)."""
    return kpis.parent / FILE_NAME


def load(path: Path, shown: str) -> Record | None:
    """The record, or None when there is none."""
    if not path.is_file():
        return None
    data, _ = load_yaml(read_text(path, shown), shown)
    figures = data.get("figures") if isinstance(data, dict) else None
    notes = (data.get("notes") if isinstance(data, dict) else None) or {}
    if not isinstance(figures, dict) or not all(
            isinstance(values, dict) and all(_number(v) for v in values.values())
            for values in figures.values()) or not isinstance(notes, dict) or not all(
            isinstance(texts, dict) and all(isinstance(t, str) for t in texts.values())
            for texts in notes.values()):
        raise SourceError(shown, None, "this is not a record of published figures "
                          "(figures: with a KPI id, then period: number; notes: with a "
                          "KPI id, then script: text)",
                          "it is written by csr-kit rollover: restore it from the "
                          "backups/ folder or from Git, or delete it")
    return Record(shown, str(data.get("report", "")),
                  {str(k): {str(p): float(v) for p, v in values.items()}
                   for k, values in figures.items()},
                  {str(k): note_text(texts) for k, texts in notes.items()})


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def dump(report: str, kpis: Iterable[tuple[str, Mapping[Any, Any], object]]) -> str:
    """The record's text: every KPI's figures and note as they are now
    (``kpis``: id, values by period, note)."""
    kpis = list(kpis)
    lines = [
        f"# The KPI figures as published in the {report} report. Written by csr-kit rollover;",
        "# do not edit it by hand. csr-kit check compares the earlier years' figures in the",
        "# KPI data with these: a changed figure is a restatement and needs a new note: in",
        "# the KPI (GRI 2-4) — one that differs from the note recorded here.",
        f"report: {json.dumps(str(report))}",
        "figures:",
    ]
    for kpi_id, values, _ in kpis:
        numbers = {str(p): v for p, v in values.items() if _number(v)}
        if numbers:
            body = ", ".join(f"{json.dumps(p)}: {_plain(v)}" for p, v in
                             sorted(numbers.items(), reverse=True))
            lines.append(f"  {kpi_id}: {{{body}}}")
    if lines[-1] == "figures:":
        lines[-1] = "figures: {}"
    notes = [(kpi_id, note_text(note)) for kpi_id, _, note in kpis]
    lines.append("notes:" if any(texts for _, texts in notes) else "notes: {}")
    for kpi_id, texts in notes:
        if texts:
            body = ", ".join(f"{json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}"
                             for k, v in texts.items())
            lines.append(f"  {kpi_id}: {{{body}}}")
    return "\n".join(lines) + "\n"


def _plain(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))
