"""Where a report's data files live: each option declared once, with its default.

The plugins' configurations inherit the options of the files they read, so a
file's option has one name and one default wherever it appears, and
``csr-kit check`` and ``csr-kit rollover`` take their defaults from here too
(:func:`defaults`) instead of repeating them.
"""

from __future__ import annotations

from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class ReportFile(Config):
    # The report's facts: organisation, title, year, period, contact (data/report.yml).
    report = c.Type(str, default="data/report.yml")


class GlossaryFile(Config):
    # The glossary: terms in both scripts, English, definitions ('' for none in csr-convert).
    glossary = c.Type(str, default="data/glossary.yml")


class KpiFiles(Config):
    kpis = c.Type(str, default="data/kpis.yml")
    charts = c.Type(str, default="data/charts.yml")


class FrameworkFiles(Config):
    # One <framework>.yml per enabled framework, and the declared omissions.
    definitions = c.Type(str, default="data/frameworks")
    omissions = c.Type(str, default="data/omissions.yml")


class TranslationFiles(Config):
    # Which version of each source section every translation follows (machine-written
    # by `csr-kit translation mark`).
    status = c.Type(str, default="data/translations.yml")


def defaults(config_class: type[Config]) -> dict[str, Any]:
    """Every option of a plugin's configuration class with its default value."""
    return {name: option.default for name, option in config_class._schema
            if not isinstance(option, c.Deprecated)}
