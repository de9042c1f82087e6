"""The report's own facts (organisation, title, year, period), from data/report.yml."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from .datafile import load_model
from .text import Labels


class Period(BaseModel):
    model_config = ConfigDict(extra="forbid")
    start: datetime.date
    end: datetime.date


class Contact(BaseModel):
    """How readers reach the organisation (site footer, PDF back page)."""

    model_config = ConfigDict(extra="forbid")
    email: str | None = None
    phone: str | None = None
    address: Labels | None = None
    # Where readers send feedback on the report (a web address or mailto:).
    feedback: str | None = None


class Report(BaseModel):
    model_config = ConfigDict(extra="forbid")
    organisation: Labels
    title: Labels
    year: int
    period: Period
    gri_statement: Literal["in-accordance", "with-reference"] = "with-reference"
    logo: str | None = None  # a file in docs/, e.g. images/logo.svg
    file_stem: str = "report"
    website: str | None = None  # the published report's address
    copyright: Labels | None = None  # e.g. © 2022 香港品質保證局
    contact: Contact | None = None

    @property
    def period_text(self) -> tuple[str, str]:
        return self.period.start.isoformat(), self.period.end.isoformat()


def load_report(path: str | Path, shown_as: str) -> Report:
    report, _ = load_model(Report, path, shown_as)
    return report
