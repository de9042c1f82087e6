"""Text given per script in data files, and the scripts a site publishes."""

from __future__ import annotations

import html

from pydantic import BaseModel, ConfigDict, Field

from .convert.html import protect

SCRIPT_OF_LOCALE = {
    "zh-hant": "zh-Hant", "zh-hk": "zh-Hant", "zh-mo": "zh-Hant", "zh-tw": "zh-Hant",
    "zh-hant-hk": "zh-Hant", "zh-hant-tw": "zh-Hant",
    "zh-hans": "zh-Hans", "zh-cn": "zh-Hans", "zh-sg": "zh-Hans", "zh-hans-cn": "zh-Hans",
    "zh": "zh-Hans",
}


def script_of(locale: str) -> str:
    """'zh-Hant' or 'zh-Hans' for a locale code; other languages map to themselves."""
    return SCRIPT_OF_LOCALE.get(locale.lower(), locale)


def is_chinese(locale: str) -> bool:
    """Whether a locale is one of the Chinese scripts (the others are translated languages)."""
    return script_of(locale) in ("zh-Hant", "zh-Hans")


class Labels(BaseModel):
    """A short text in each script (and optionally English)."""

    model_config = ConfigDict(populate_by_name=True, extra="forbid", frozen=True)

    zh_Hant: str | None = Field(None, alias="zh-Hant")
    zh_Hans: str | None = Field(None, alias="zh-Hans")
    en: str | None = None

    def get(self, script: str) -> str | None:
        script = script_of(script)
        if script == "zh-Hant":
            return self.zh_Hant
        if script == "zh-Hans":
            return self.zh_Hans
        if script == "en":
            return self.en
        return None

    def text(self, script: str, source_script: str) -> str:
        """Plain text for ``script``: its own label, else the source script's one."""
        return self.get(script) or self.get(source_script) or self.en or ""

    def html(self, script: str, source_script: str) -> str:
        """Escaped HTML for ``script``.

        A label written for a target script is protected from conversion; a
        missing one falls back to the source text, which the page conversion
        then turns into the target script.
        """
        own = self.get(script)
        if own and script_of(script) != script_of(source_script):
            return protect(html.escape(own))
        return html.escape(self.text(script, source_script))


def ui(strings: dict[str, str], script: str) -> str:
    """A fixed interface string given for both scripts (protected from conversion)."""
    script = script_of(script)
    return protect(html.escape(strings.get(script) or strings["zh-Hant"]))
