"""The wording rules of one conversion, in the order they win.

The kit's vocabulary gives the regional wording every report needs; the
report's glossary overrides it; protected names override both (a name is
converted character by character only).  Longer words win over shorter ones
whatever their origin, because OpenCC segments by longest match: that is what
keeps a ``keep`` entry (质量管理体系) or a name from being cut by a shorter rule.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from ..text import script_of
from ..vocabulary import Pack


def wording_rules(source_script: str, pack: Pack | None, glossary_rules: Mapping[str, str],
                  names: Iterable[str], character: Callable[[str], str]
                  ) -> tuple[dict[str, str], dict[str, str]]:
    """(source word → result, source word → origin) for a converter.

    ``character`` is OpenCC's plain conversion for the direction; the origin is
    ``vocabulary:<domain>``, ``glossary`` or ``name``.
    """
    source = script_of(source_script)
    target = "zh-Hans" if source == "zh-Hant" else "zh-Hant"
    rules: dict[str, str] = {}
    origins: dict[str, str] = {}
    for word, (result, entry) in (pack.applied(target) if pack is not None else {}).items():
        rules[word] = result
        origins[word] = f"vocabulary:{entry.domain}"
    rules.update(glossary_rules)
    origins.update({word: "glossary" for word in glossary_rules})
    for name in names:
        if name and name not in glossary_rules:
            rules[name] = character(name)
            origins[name] = "name"
    return rules, origins
