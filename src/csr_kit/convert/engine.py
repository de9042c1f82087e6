"""An OpenCC converter extended with the report glossary's phrase rules.

OpenCC's built-in configurations convert characters and a few common phrases;
Hong Kong wording such as 持份者 is in none of its dictionaries, so the
glossary's pairs are added as a text dictionary.  Two snags shape this code
(see RESEARCH.md): a custom configuration cannot find the wheel's built-in
``.ocd2`` files by name, so their absolute paths are written in; and a phrase
rule must be in the segmentation dictionary *and* the first conversion step,
with identity entries in later steps so they leave its output alone.
"""

from __future__ import annotations

import functools
import json
import os
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import opencc

OPENCC_SHARE = Path(os.path.dirname(opencc.__file__)) / "clib" / "share" / "opencc"

# Which script each OpenCC configuration reads and writes.
CONFIG_SCRIPTS: dict[str, tuple[str, str]] = {
    "hk2s": ("zh-Hant", "zh-Hans"), "t2s": ("zh-Hant", "zh-Hans"),
    "tw2s": ("zh-Hant", "zh-Hans"), "tw2sp": ("zh-Hant", "zh-Hans"),
    "s2hk": ("zh-Hans", "zh-Hant"), "s2t": ("zh-Hans", "zh-Hant"),
    "s2tw": ("zh-Hans", "zh-Hant"), "s2twp": ("zh-Hans", "zh-Hant"),
}
# The OpenCC configuration for a report's source script and the region of its
# Traditional edition (Hong Kong or Taiwan forms and wording).
CONFIG_FOR_SOURCE: dict[tuple[str, str], str] = {
    ("zh-Hant", "HK"): "hk2s", ("zh-Hant", "TW"): "tw2sp",
    ("zh-Hans", "HK"): "s2hk", ("zh-Hans", "TW"): "s2twp",
}
_DOUBLE_QUOTED = re.compile(r"“([^“”]*)”")
_SINGLE_QUOTED = re.compile(r"‘([^‘’]*)’")
_HAN = re.compile(r"[\u3400-\u9fff]")
_TO_CURLY = str.maketrans({"「": "“", "」": "”", "『": "‘", "』": "’"})


def corner_quotes(text: str) -> str:
    """Curly quotes around Chinese text as Hong Kong and Taiwan write them: 「…」 and 『…』.

    Quotes around Latin text only (an English title, an apostrophe) stay as they are.
    """
    if "“" not in text and "‘" not in text:
        return text
    text = _SINGLE_QUOTED.sub(lambda m: f"『{m.group(1)}』" if _HAN.search(m.group(1))
                              else m.group(0), text)
    return _DOUBLE_QUOTED.sub(lambda m: f"「{m.group(1)}」" if _HAN.search(m.group(1))
                              else m.group(0), text)


def curly_quotes(text: str) -> str:
    """Corner quotes as mainland text writes them: 「…」 → “…”, 『…』 → ‘…’."""
    return text.translate(_TO_CURLY)


def _absolute(node: Any) -> Any:
    """Copy of an OpenCC config fragment with dictionary files made absolute."""
    if isinstance(node, dict):
        out = {k: _absolute(v) for k, v in node.items()}
        if out.get("type") in ("ocd2", "text") and "file" in out and not os.path.isabs(out["file"]):
            out["file"] = str(OPENCC_SHARE / out["file"])
        return out
    if isinstance(node, list):
        return [_absolute(v) for v in node]
    return node


def _with_first(dictionary: dict[str, Any], first: dict[str, Any]) -> dict[str, Any]:
    """A dictionary group that tries ``first`` before ``dictionary``."""
    return {"type": "group", "match_policy": "short_circuit", "dicts": [first, dictionary]}


def _write_dictionary(folder: Path, name: str, pairs: Mapping[str, str]) -> dict[str, Any]:
    path = folder / name
    path.write_text("".join(f"{k}\t{v}\n" for k, v in sorted(pairs.items())), encoding="utf-8")
    return {"type": "text", "file": str(path)}


def phrase_config(config_name: str, phrases: Mapping[str, str], folder: Path) -> Path:
    """Write an OpenCC JSON config: ``config_name`` plus ``phrases`` (source → target)."""
    base = json.loads((OPENCC_SHARE / f"{config_name}.json").read_text(encoding="utf-8"))
    config = _absolute(base)
    phrases = {k: v for k, v in phrases.items() if k}
    if phrases:
        rules = _write_dictionary(folder, "phrases.txt", phrases)
        # Identity entries keep later steps from re-converting the rule's output.
        keep = _write_dictionary(folder, "keep.txt", {v: v for v in phrases.values() if v})
        config["segmentation"]["dict"] = _with_first(config["segmentation"]["dict"], rules)
        chain = config["conversion_chain"]
        chain[0]["dict"] = _with_first(chain[0]["dict"], rules)
        for step in chain[1:]:
            step["dict"] = _with_first(step["dict"], keep)
    config["name"] = f"{config_name} + report glossary"
    path = folder / "config.json"
    path.write_text(json.dumps(config, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


class Converter:
    """Converts text from one script to the other; built once per configuration."""

    def __init__(self, config_name: str = "hk2s", phrases: Mapping[str, str] | None = None,
                 quotes: bool = False):
        if config_name not in CONFIG_SCRIPTS:
            raise ValueError(f"unknown OpenCC configuration '{config_name}'; "
                             f"use one of {', '.join(sorted(CONFIG_SCRIPTS))}")
        self.config_name = config_name
        self.source_script, self.target_script = CONFIG_SCRIPTS[config_name]
        self.phrases = dict(phrases or {})
        # Quotation marks as the target region writes them (「」 in Hong Kong and
        # Taiwan, “” on the mainland), when the report asks for it.
        self._quotes = None if not quotes else (
            corner_quotes if self.target_script == "zh-Hant" else curly_quotes)
        self._folder = tempfile.TemporaryDirectory(prefix="csr-opencc-")
        config_path = phrase_config(config_name, self.phrases, Path(self._folder.name))
        # Tofu-risk dictionaries give rare extension characters many fonts lack.
        self._opencc = opencc.OpenCC(str(config_path), include_tofu_risk_dictionaries=False)

    def convert(self, text: str) -> str:
        if not text:
            return text
        converted = self._opencc.convert(text)
        return self._quotes(converted) if self._quotes else converted


@functools.lru_cache(maxsize=8)
def _cached(config_name: str, phrases_key: tuple[tuple[str, str], ...], quotes: bool
            ) -> Converter:
    return Converter(config_name, dict(phrases_key), quotes)


def get_converter(config_name: str, phrases: Mapping[str, str] | None = None,
                  quotes: bool = False) -> Converter:
    """A shared converter: building one costs a dictionary load, so do it once per process."""
    return _cached(config_name, tuple(sorted((phrases or {}).items())), quotes)


@functools.lru_cache(maxsize=4)
def changed_characters(config_name: str) -> re.Pattern[str]:
    """A pattern for the characters ``config_name`` changes on their own (e.g. for t2hk:
    溫 戶 說 …), so text without any of them can skip a conversion pass."""
    chars = [chr(c) for c in range(0x3400, 0xA000)]
    converted = plain(config_name).convert("\n".join(chars)).split("\n")
    changed = "".join(c for c, t in zip(chars, converted, strict=True) if t != c)
    return re.compile(f"[{re.escape(changed)}]" if changed else r"(?!)")


@functools.lru_cache(maxsize=4)
def plain(config_name: str) -> Any:
    """OpenCC's own configuration without glossary rules (for checks and lints)."""
    return opencc.OpenCC(config_name, include_tofu_risk_dictionaries=False)

