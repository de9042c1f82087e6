"""Reader-site helpers over HTML and the search index (no MkDocs imports)."""

from __future__ import annotations

import json
import posixpath
import re
from typing import Callable
from urllib.parse import unquote, urlsplit

_IMG = re.compile(r"<img\b([^>]*)>", re.I)
_ALT = re.compile(r"\balt\s*=\s*(\"([^\"]*)\"|'([^']*)')", re.I)
_SRC = re.compile(r"\bsrc\s*=\s*(\"([^\"]*)\"|'([^']*)')", re.I)
# Material's configuration block; its keys come out in sorted order, so "base" is not first.
_CONFIG_BASE = re.compile(r'(<script id="__config" type="application/json">\{[^<]*?"base":\s*")([^"]*)(")')


def images_without_alt(html: str) -> list[str]:
    """The src of every <img> with no alt text or an empty one."""
    missing = []
    for m in _IMG.finditer(html):
        attrs = m.group(1)
        alt = _ALT.search(attrs)
        text = (alt.group(2) if alt and alt.group(2) is not None else
                alt.group(3) if alt else None)
        if not (text or "").strip():
            src = _SRC.search(attrs)
            missing.append((src.group(2) or src.group(3)) if src else "?")
    return missing


def split_search_index(index: dict, prefixes: list[str]) -> dict[str, dict]:
    """One search index per language folder, so readers only get results in their script.

    ``prefixes`` are the non-default languages' folders (e.g. ``["zh-Hans"]``);
    their entries move to their own index, with locations relative to it.
    """
    result: dict[str, dict] = {"": {**index, "docs": []}}
    for prefix in prefixes:
        result[prefix] = {**index, "docs": []}
    for doc in index.get("docs", []):
        location = doc.get("location", "")
        for prefix in prefixes:
            if location == prefix or location.startswith(prefix + "/"):
                result[prefix]["docs"].append(
                    {**doc, "location": location[len(prefix):].lstrip("/")})
                break
        else:
            result[""]["docs"].append(doc)
    return result


def point_search_at(html: str, folder: str) -> str:
    """Make Material's scripts of a page in ``folder`` use that folder's search index.

    Material fetches ``<base>/search/search_index.json`` and resolves result
    locations against the same base, so moving the base into the language
    folder scopes both to that language.
    """
    def one(m: re.Match[str]) -> str:
        # A trailing slash: Material resolves "search/…" against this as a URL.
        base = m.group(2).rstrip("/") or "."
        return m.group(1) + f"{base}/{folder}/" + m.group(3)

    return _CONFIG_BASE.sub(one, html, count=1)


def dump_index(index: dict) -> str:
    return json.dumps(index, ensure_ascii=False, separators=(",", ":"))


_HREFLANG_LINK = re.compile(r'\s*<link rel="alternate" href="[^"]*" hreflang="[^"]*">')


def drop_hreflang_links(html: str) -> str:
    r"""Remove the head's hreflang <link> elements (kept in the sitemap instead).

    Only the <head> is searched: the leading ``\s*`` would rescan every run of
    white space in the body (Material's navigation is full of indentation).
    """
    head, end, body = html.partition("</head>")
    return _HREFLANG_LINK.sub("", head) + end + body


_URL_ATTRIBUTE = re.compile(
    r"""(<[A-Za-z][\w-]*\b[^>]*?\s(?:src|href|poster)\s*=\s*)(["'])([^"']*)\2""", re.I)


def rebase_shared_files(page_html: str, page_url: str, folder: str,
                        is_shared_file: Callable[[str], bool]) -> str:
    """Relative URLs in a language folder's page that point at files kept at the site root.

    A raw HTML ``<img src="../images/x.svg">`` is written for the default
    language's page (``x/``); MkDocs does not rewrite raw HTML, so in
    ``zh-Hans/x/`` it would point into ``zh-Hans/images/``, where nothing is.
    Such a URL is pointed at the shared file; every other URL stays as written.
    """
    base = page_url if page_url.endswith("/") else posixpath.dirname(page_url) + "/"

    def one(m: re.Match[str]) -> str:
        url = m.group(3)
        parts = urlsplit(url)
        if not url or parts.scheme or parts.netloc or url.startswith(("/", "#")):
            return m.group(0)
        resolved = posixpath.normpath(posixpath.join(base, unquote(parts.path)))
        if not resolved.startswith(folder + "/"):
            return m.group(0)
        shared = resolved[len(folder) + 1:]
        if not is_shared_file(shared):
            return m.group(0)
        new = posixpath.relpath(shared, base.rstrip("/") or ".")
        new += ("?" + parts.query if parts.query else "") + ("#" + parts.fragment
                                                             if parts.fragment else "")
        return f"{m.group(1)}{m.group(2)}{new}{m.group(2)}"

    return _URL_ATTRIBUTE.sub(one, page_html)
