"""Framework definitions (GRI, HKEX, ISO 26000, SDGs, the report's own indexes) and omissions."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..datafile import load_model, load_yaml, read_text, validate
from ..errors import Problem, SourceErrors, suggestion
from ..text import Labels

OmissionReason = Literal["not-applicable", "legal-prohibitions", "confidentiality",
                         "information-unavailable"]

REASON_TEXT = {
    "not-applicable": {"zh-Hant": "不適用", "zh-Hans": "不适用", "en": "Not applicable"},
    "legal-prohibitions": {"zh-Hant": "法律禁止", "zh-Hans": "法律禁止",
                           "en": "Legal prohibitions"},
    "confidentiality": {"zh-Hant": "保密限制", "zh-Hans": "保密限制",
                        "en": "Confidentiality constraints"},
    "information-unavailable": {"zh-Hant": "資料不可得或不完整", "zh-Hans": "信息不可得或不完整",
                                "en": "Information unavailable/incomplete"},
}


def _code_as_text(value: object) -> object:
    return str(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value


class Item(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str
    title: Labels
    omission_allowed: bool = True
    required: bool = False
    own_translation: bool = False
    description: Labels | None = None

    _as_text = field_validator("code", mode="before")(classmethod(lambda cls, v: _code_as_text(v)))


class Group(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str
    title: Labels
    items: list[Item] = Field(min_length=1)
    own_translation: bool = False

    _as_text = field_validator("code", mode="before")(classmethod(lambda cls, v: _code_as_text(v)))


class Framework(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    title: Labels
    publisher: Labels | None = None
    omission_reasons: list[OmissionReason] = []
    groups: list[Group] = Field(min_length=1)

    def items(self) -> list[tuple[Group, Item]]:
        return [(g, i) for g in self.groups for i in g.items]

    def item(self, code: str) -> Item | None:
        for _, item in self.items():
            if item.code == code:
                return item
        return None

    def codes(self) -> list[str]:
        """Item codes, and group codes that a page may address as a whole (e.g. ISO 26000 6.4)."""
        items = [i.code for _, i in self.items()]
        return items + [g.code for g in self.groups if g.code not in items]

    def group(self, code: str) -> Group | None:
        return next((g for g in self.groups if g.code == code), None)


class Omission(BaseModel):
    model_config = ConfigDict(extra="forbid")
    item: str
    reason: OmissionReason
    explanation: Labels

    _as_text = field_validator("item", mode="before")(classmethod(lambda cls, v: _code_as_text(v)))


class Omissions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    root: dict[str, list[Omission]] = {}


def load_framework(path: str | Path, shown_as: str) -> Framework:
    framework, lines = load_model(Framework, path, shown_as)
    problems = []
    seen: dict[str, int] = {}
    for gi, group in enumerate(framework.groups):
        for ii, item in enumerate(group.items):
            line = lines.get(("groups", gi, "items", ii, "code"))
            if item.code in seen:
                problems.append(Problem(shown_as, line, f"the code '{item.code}' appears twice",
                                        f"keep one (the first is on line {seen[item.code]})"))
            seen[item.code] = line or 0
    if Path(path).stem != framework.id:
        problems.append(Problem(shown_as, lines.get(("id",)),
                                f"the id '{framework.id}' differs from the file name",
                                f"rename the file to {framework.id}.yml or change the id"))
    if problems:
        raise SourceErrors(problems)
    return framework


def load_omissions(path: str | Path, shown_as: str,
                   frameworks: dict[str, Framework]) -> dict[str, dict[str, Omission]]:
    """Omissions per framework; each must name a known item that may be omitted."""

    text = read_text(path, shown_as)
    if not text.strip():
        return {}
    data, lines = load_yaml(text, shown_as)
    wrapped = validate(Omissions, {"root": data or {}},
                       {("root",) + k: v for k, v in lines.items()}, shown_as)
    problems = []
    result: dict[str, dict[str, Omission]] = {}
    for fid, omissions in wrapped.root.items():
        framework = frameworks.get(fid)
        if framework is None:
            problems.append(Problem(shown_as, lines.get((fid,)),
                                    f"'{fid}' is not an enabled framework",
                                    suggestion(fid, frameworks) or
                                    f"use one of: {', '.join(sorted(frameworks))}"))
            continue
        result[fid] = {}
        for i, om in enumerate(omissions):
            line = lines.get((fid, i, "item")) or lines.get((fid, i))
            item = framework.item(om.item)
            if item is None:
                problems.append(Problem(shown_as, line, f"'{om.item}' is not a code of {fid}",
                                        suggestion(om.item, framework.codes()) or
                                        f"see data/frameworks/{fid}.yml for the codes"))
            elif not item.omission_allowed:
                problems.append(Problem(shown_as, line,
                                        f"{fid} {om.item} may not be omitted",
                                        "report it in a page and tag that section with "
                                        f"{{{{addresses {fid}:{om.item}}}}}"))
            elif framework.omission_reasons and om.reason not in framework.omission_reasons:
                problems.append(Problem(shown_as, lines.get((fid, i, "reason")),
                                        f"'{om.reason}' is not an omission reason of {fid}",
                                        f"use one of: {', '.join(framework.omission_reasons)}"))
            elif om.item in result[fid]:
                problems.append(Problem(shown_as, line, f"{fid} {om.item} is omitted twice",
                                        "keep one entry"))
            else:
                result[fid][om.item] = om
    if problems:
        raise SourceErrors(problems)
    return result
