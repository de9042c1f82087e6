"""The report's own facts (organisation, title, year, period), from data/report.yml."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict

from .datafile import load_model
from .text import Labels


class Period(BaseModel):
    model_config = ConfigDict(extra="forbid")
    start: datetime.date
    end: datetime.date


class Report(BaseModel):
    model_config = ConfigDict(extra="forbid")
    organisation: Labels
    title: Labels
    year: int
    period: Period
    gri_statement: Literal["in-accordance", "with-reference"] = "with-reference"
    logo: Optional[str] = None
    file_stem: str = "report"

    @property
    def period_text(self) -> tuple[str, str]:
        return self.period.start.isoformat(), self.period.end.isoformat()


def load_report(path: str | Path, shown_as: str) -> Report:
    report, _ = load_model(Report, path, shown_as)
    return report
