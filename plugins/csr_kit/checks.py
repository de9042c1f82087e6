"""Checks of the data files on their own, for ``csr-kit check``.

Each file is read independently so that one broken file does not hide the
problems of another; the page-level checks then run in a strict build.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from .errors import Problem, SourceError, SourceErrors


def _plugin_options(project: Path, name: str) -> dict:
    try:
        text = (project / "mkdocs.yml").read_text(encoding="utf-8")
        config = yaml.load(text, Loader=_Lenient)
    except (OSError, yaml.YAMLError):
        return {}
    for entry in (config or {}).get("plugins") or []:
        if isinstance(entry, dict) and name in entry:
            return entry[name] or {}
        if entry == name:
            return {}
    return {}


class _Lenient(yaml.SafeLoader):
    """Reads mkdocs.yml without running its !!python tags."""


_Lenient.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
_Lenient.add_multi_constructor("!", lambda loader, suffix, node: None)


def check_data(project: Path) -> list[Problem]:
    from . import glossary
    from .frameworks import model as fw
    from .kpi import model as kpi
    from .report import load_report

    problems: list[Problem] = []

    def attempt(fn, *args):
        try:
            return fn(*args)
        except (SourceError, SourceErrors) as err:
            problems.extend([err.problem] if isinstance(err, SourceError) else err.problems)
            return None

    gloss = _plugin_options(project, "csr-glossary").get("glossary", "data/glossary.yml")
    if (project / gloss).exists():
        attempt(glossary.load, project / gloss, gloss)
    kpi_options = _plugin_options(project, "csr-kpi")
    kpis = kpi_options.get("kpis", "data/kpis.yml")
    charts = kpi_options.get("charts", "data/charts.yml")
    if (project / kpis).exists():
        loaded = attempt(kpi.load, project / kpis, kpis, "zh-Hant",
                         float(kpi_options.get("change_threshold", 20)))
        if loaded:
            data, warnings = loaded
            problems.extend(warnings)
            if (project / charts).exists():
                attempt(kpi.load_charts, project / charts, charts, data)
    fw_options = _plugin_options(project, "csr-frameworks")
    folder = fw_options.get("definitions", "data/frameworks")
    frameworks = {}
    for fid in fw_options.get("enabled", ["gri", "hkex", "iso26000", "sdg"]):
        path = project / folder / f"{fid}.yml"
        if path.exists():
            found = attempt(fw.load_framework, path, f"{folder}/{fid}.yml")
            if found:
                frameworks[fid] = found
    omissions = fw_options.get("omissions", "data/omissions.yml")
    if (project / omissions).exists():
        attempt(fw.load_omissions, project / omissions, omissions, frameworks)
    report = fw_options.get("report", "data/report.yml")
    if (project / report).exists():
        attempt(load_report, project / report, report)
    return problems
