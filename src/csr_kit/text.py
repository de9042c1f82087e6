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
    """'zh-Hant' or 'zh-Hans' for a Chinese locale code, 'en' for any English one
    (en-GB, en-HK); other languages map to themselves."""
    code = locale.lower()
    if code == "en" or code.startswith("en-"):
        return "en"
    return SCRIPT_OF_LOCALE.get(code, locale)


def is_chinese(locale: str) -> bool:
    """Whether a locale is one of the Chinese scripts (the others are translated languages)."""
    return script_of(locale) in ("zh-Hant", "zh-Hans")


class MissingLabel(LookupError):
    """A text asked for in a translated language (English) that the data does not give.

    ``report_model.missing_translations`` reports every such gap with its file and
    line before a page is built, so this is raised only by a bug in csr-kit.
    """


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
        """Plain text for ``script``.

        A Chinese script without its own label gets the source script's (the
        conversion turns it into the target script); a translated language gets
        its own label or :class:`MissingLabel`, never Chinese text.
        """
        own = self.get(script)
        if own:
            return own
        if not (self.zh_Hant or self.zh_Hans or self.en):
            return ""  # no text in any language (a unit shown as a symbol, e.g. %)
        if not is_chinese(script):
            raise MissingLabel(f"no {script_of(script)} text in the label {self!r}")
        return self.get(source_script) or self.en or ""

    def html(self, script: str, source_script: str) -> str:
        """Escaped HTML for ``script``.

        A label written for a target script is protected from conversion; a
        missing one falls back to the source text, which the page conversion
        then turns into the target script (in Chinese only, see :meth:`text`).
        """
        own = self.get(script)
        if own and script_of(script) != script_of(source_script):
            return protect(html.escape(own))
        return html.escape(self.text(script, source_script))


def ui(strings: dict[str, str], script: str) -> str:
    """A fixed interface string in the page's language (protected from conversion).

    Every table gives zh-Hant, zh-Hans and en (a unit test holds them to it), so
    a missing language is a KeyError, never another language's text.
    """
    return protect(html.escape(strings[script_of(script)]))


def ui_text(strings: dict[str, str], script: str) -> str:
    """A fixed interface string as plain text (a download file, an SVG, an attribute)."""
    return strings[script_of(script)]


# Punctuation that differs between the Chinese scripts and English.
COLON = {"zh-Hant": "：", "zh-Hans": "：", "en": ": "}
OPEN_PAREN = {"zh-Hant": "（", "zh-Hans": "（", "en": "("}
CLOSE_PAREN = {"zh-Hant": "）", "zh-Hans": "）", "en": ")"}
