"""The page a translated edition shows for a page nobody has translated yet.

Never the Chinese text under an English heading: a short page in the edition's
language that says so and links to the page in each Chinese edition.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass

import yaml

from ..convert import markup
from ..mdsource import body_start

# Per language of a translated edition (its primary subtag: en, en-GB → en).
TEXT = {
    "en": {
        "untranslated": "This page has not been translated into English yet.",
        "read": "Read it in Chinese:",
        "title": "Not yet translated",
    },
}
# How each Chinese edition is named in a link to it (in its own script).
EDITION_NAMES = {"zh-Hant": "繁體中文", "zh-Hans": "简体中文"}


LANGUAGE_NAMES = {"en": "English"}  # a translated language, named in English for authors


def language_name(language: str) -> str:
    """'English' for en and en-GB; the code itself for a language the kit has no name for."""
    return LANGUAGE_NAMES.get(language.split("-")[0].lower(), language)


def text_for(language: str) -> dict[str, str] | None:
    """The notice's words in a translated language (None when the kit has none)."""
    return TEXT.get(language.split("-")[0].lower())


@dataclass(frozen=True)
class Edition:
    """A Chinese edition of the page: where it is (relative to the notice) and its script."""

    href: str
    language: str
    script: str


def source_title(text: str, source_script: str) -> tuple[str | None, int]:
    """The title a source page gives itself (front matter ``title``, else its first H1).

    Returns the title (markup resolved to the source script) and its file line (1 when
    the page has no title).
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    start = body_start(text)
    front = re.match(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", text[:start], re.S)
    if front:
        try:
            data = yaml.safe_load(front.group(1))
        except yaml.YAMLError:
            data = None
        title = data.get("title") if isinstance(data, dict) else None
        if isinstance(title, str) and title.strip():
            line = next((n for n, row in enumerate(text.split("\n"), 1)
                         if row.startswith("title:")), 1)
            return markup.convert_plain(title.strip(), source_script, None), line
    first_line = text[:start].count("\n") + 1
    for n, row in enumerate(text[start:].split("\n")):
        heading = re.match(r"^ {0,3}#[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$", row)
        if heading:
            words = re.sub(r"[ \t]*\{[^{}]*\}[ \t]*$", "", heading.group(1)).strip()
            return markup.convert_plain(words, source_script, None), first_line + n
    return None, 1


def markdown(title: str, language: str, editions: Sequence[Edition]) -> str:
    """The notice page's Markdown: its title, kept out of search, and links to each edition."""
    words = text_for(language)
    assert words is not None  # the plugin refuses a language the kit has no words for
    links = " · ".join(
        f'<a href="{html.escape(e.href, quote=True)}" hreflang="{e.language}" '
        f'lang="{e.language}">{EDITION_NAMES.get(e.script, e.language)}</a>'
        for e in editions)
    # JSON strings are YAML strings: any title is safe in the front matter.
    return (f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\nsearch:\n  exclude: true\n"
            f"---\n\n# {html.escape(title, quote=False)}\n\n"
            f'<p class="csr-untranslated">{words["untranslated"]} {words["read"]} {links}</p>\n')


def relative_href(from_url: str, to_url: str) -> str:
    """A link from the page at site URL ``from_url`` to the one at ``to_url``.

    A folder URL ('people/', or '' for the home page) keeps its slash ('../../', not
    '../..', which a browser reading the site from disk cannot open).
    """
    here = from_url.rstrip("/") if from_url.endswith("/") else posixpath.dirname(from_url)
    href = posixpath.relpath(to_url or ".", here or ".")
    if (not to_url or to_url.endswith("/")) and not href.endswith("/"):
        href += "/"
    return href
