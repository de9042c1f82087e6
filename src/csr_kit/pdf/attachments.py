"""The files embedded in the PDF: the KPI data (as published on the site) and the glossary.

An archive keeps the figures behind the report with the report itself
(PDF/A-3 allows any file format as an embedded file).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

from ..glossary import Glossary
from ..text import script_of
from .render import Attachment

DESCRIPTIONS = {
    "zh-Hant": {"csv": "全部關鍵績效指標數據（CSV）", "json": "全部關鍵績效指標數據（JSON）",
                "glossary": "詞彙表：繁體、簡體及英文（CSV）"},
    "zh-Hans": {"csv": "全部关键绩效指标数据（CSV）", "json": "全部关键绩效指标数据（JSON）",
                "glossary": "词汇表：简体、繁体及英文（CSV）"},
    "en": {"csv": "All key performance indicator data (CSV)",
           "json": "All key performance indicator data (JSON)",
           "glossary": "Glossary: English, Traditional and Simplified Chinese (CSV)"},
}
GLOSSARY_HEADER = {
    "zh-Hant": ["詞彙", "簡體", "英文", "英文縮寫", "釋義"],
    "zh-Hans": ["词汇", "繁体", "英文", "英文缩写", "释义"],
    "en": ["English", "Abbreviation", "Traditional Chinese", "Simplified Chinese",
           "Definition"],
}


def glossary_csv(glossary: Glossary, script: str, convert: Callable[[str], str] | None) -> bytes:
    """The glossary as CSV, the edition's language first; definitions in its language.

    ``convert`` turns source-script text (the definitions) into the edition's script,
    or is None when the edition is the source script (or English, whose definitions
    are the glossary's ``definition_en``).
    """
    script = script_of(script)
    other = "zh-Hans" if script == "zh-Hant" else "zh-Hant"
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(GLOSSARY_HEADER[script])
    for term in sorted(glossary.terms, key=lambda t: t.en.lower()):
        if script == "en":
            writer.writerow([term.en, term.abbr or "", term.zh_Hant, term.zh_Hans,
                             term.definition_en or ""])
            continue
        definition = term.definition or ""
        writer.writerow([term.form(script), term.form(other), term.en, term.abbr or "",
                         convert(definition) if convert and definition else definition])
    # A byte-order mark lets spreadsheet programs read the CSV as UTF-8 (as the KPI CSV).
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def collect(downloads: Path, script: str, glossary_data: bytes | None) -> tuple[Attachment, ...]:
    """The KPI CSV and JSON exactly as the site publishes them, and the glossary."""
    words = DESCRIPTIONS[script_of(script)]
    files = []
    for name, kind in (("kpi-data.csv", "csv"), ("kpi-data.json", "json")):
        path = downloads / name
        if path.is_file():
            files.append(Attachment(name, path.read_bytes(), words[kind], "Data"))
    if glossary_data is not None:
        # An ASCII name: the PDF's legacy file-name field (/F) cannot hold Chinese.
        files.append(Attachment("glossary.csv", glossary_data, words["glossary"], "Supplement"))
    return tuple(files)
