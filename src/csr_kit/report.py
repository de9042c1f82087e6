"""The report's own facts (organisation, title, year, period), from data/report.yml."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from .datafile import load_model
from .text import Labels, is_chinese


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
    # The site's name and description per language (<title>, the header, search
    # engines, the PDF's metadata); mkdocs.yml's site_name/site_description stand for
    # a Chinese script without its own. An English edition's name defaults to the
    # English organisation and title.
    site_name: Labels | None = None
    description: Labels | None = None

    def site_name_in(self, script: str, source_script: str,
                     convert: Callable[[str], str] | None = None) -> str | None:
        """The site's name in ``script``, or None where mkdocs.yml's stands.

        A Chinese script without its own name gets the source script's, through
        ``convert`` (the edition's conversion); a translated language its own, else
        its organisation and title.
        """
        own = self._own(self.site_name, script, source_script, convert)
        if own is not None or is_chinese(script):
            return own
        return f"{self.organisation.text(script, source_script)} " \
               f"{self.title.text(script, source_script)}"

    def description_in(self, script: str, source_script: str,
                       convert: Callable[[str], str] | None = None) -> str | None:
        """The site's description in ``script``, or None where mkdocs.yml's stands.

        A translated language without one has none: never the Chinese text
        (the data check asks for it when the edition is built).
        """
        own = self._own(self.description, script, source_script, convert)
        return "" if own is None and not is_chinese(script) else own

    @staticmethod
    def _own(labels: Labels | None, script: str, source_script: str,
             convert: Callable[[str], str] | None) -> str | None:
        if labels is None:
            return None
        own = labels.get(script)
        if own or not is_chinese(script):
            return own or None
        source = labels.get(source_script)
        return (convert(source) if convert else source) if source else None

    @property
    def period_text(self) -> tuple[str, str]:
        return self.period.start.isoformat(), self.period.end.isoformat()


def load_report(path: str | Path, shown_as: str) -> Report:
    report, _ = load_model(Report, path, shown_as)
    return report
