"""What must never reach a reader: markup published as text, and requests leaving the site.

The built page is read after every plugin ran, so whatever slipped past the
checks of the sources (a directive in a place no plugin expands, conversion
markup the converter did not see, an image hot-linked from another server) is
found in what readers would get: the visible text, the title, the menu, the
table of contents, attributes readers see (alt, title).  No MkDocs imports.
"""

from __future__ import annotations

import html as htmllib
import re
from dataclasses import dataclass

# Elements whose content readers do not see as prose, or see as code on purpose.
_HIDDEN = re.compile(r"<(pre|code|script|style|textarea|template|kbd|samp)\b[^>]*>.*?</\1\s*>"
                     r"|<!--.*?-->", re.S | re.I)
_TAG = re.compile(r"<[^>]*>", re.S)
_SEEN_ATTR = re.compile(r"""\s(?:alt|title|aria-label|placeholder)\s*=\s*"([^"]*)\"""", re.I)
# Directive and conversion markup: {{, ｛｛, a directive name in single braces, -{ and }-.
_MARKUP = re.compile(r"\{\{|\}\}|[｛｝]|-\{|\}-(?![\w-])|\{(?:kpi|chart|addresses|"
                     r"framework-index|glossary)\b")

# Attributes through which a browser fetches something by itself (links are not).
_FETCHING = re.compile(
    r"<(img|script|iframe|frame|source|video|audio|track|embed|object|input|link)\b([^>]*)>",
    re.I | re.S)
_URL_ATTR = re.compile(
    r"""\s(src|srcset|data|poster|href)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
_REL = re.compile(r"""\srel\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
_CSS_URL = re.compile(r"""url\(\s*['"]?((?:https?:)?//[^'")\s]+)""", re.I)
# Link relations that make the browser load the address (not canonical, alternate…).
_LOADING_RELS = {"stylesheet", "icon", "shortcut", "apple-touch-icon", "preload",
                 "modulepreload", "prefetch", "manifest", "preconnect", "dns-prefetch"}


@dataclass(frozen=True)
class Leak:
    text: str      # the markup as readers would see it, with a little context
    markup: str    # the markup itself ({{, -{ …)
    where: str     # "text", "title" (the browser tab), "alt/title attribute"


def _context(text: str, start: int, end: int) -> str:
    snippet = " ".join(text[max(0, start - 12):end + 24].split())
    return snippet if len(snippet) <= 48 else snippet[:47] + "…"


# A directive expanded inside what Markdown then took as a code block (an indented
# paragraph whose block extension is not enabled): readers see the generated HTML.
_GENERATED_AS_CODE = re.compile(r"&lt;(?:span|div|figure)\b[^\n]*?class=(?:&quot;|\")csr-[\w-]+"
                                r"(?:&quot;|\")[^\n]*?data-(?:kpi|chart)=(?:&quot;|\")([^\"&]+)")


# The site navigation in Material's page layout: the same titles on every page, and
# most of a large site's page.  It holds no scripts or code, so a brace in its raw HTML
# is the only sign of markup in it; only then is it read like the rest of the page.
_SITE_NAV = ('<div class="md-sidebar md-sidebar--primary"',
             '<div class="md-sidebar md-sidebar--secondary"')


def _without_clean_site_nav(page_html: str) -> str:
    start = page_html.find(_SITE_NAV[0])
    end = page_html.find(_SITE_NAV[1], start) if start >= 0 else -1
    if end < 0 or any(page_html.find(brace, start, end) >= 0 for brace in "{}｛｝"):
        return page_html  # every kind of markup has a brace
    return page_html[:start] + page_html[end:]


def markup_leaks(page_html: str) -> list[Leak]:
    """Directive or conversion markup left in what readers see of a built page."""
    found: list[Leak] = []
    page_html = _without_clean_site_nav(page_html)
    for m in _GENERATED_AS_CODE.finditer(page_html):
        found.append(Leak(m.group(1), "{{", "code block"))
    title = re.search(r"<title>(.*?)</title>", page_html, re.S | re.I)
    if title:
        text = htmllib.unescape(title.group(1))
        for m in _MARKUP.finditer(text):
            found.append(Leak(_context(text, m.start(), m.end()), m.group(0), "title"))
            break
    body = _HIDDEN.sub(" ", page_html[title.end():] if title else page_html)
    for m in _SEEN_ATTR.finditer(body):
        value = htmllib.unescape(m.group(1))
        for hit in _MARKUP.finditer(value):
            found.append(Leak(_context(value, hit.start(), hit.end()), hit.group(0),
                              "alt/title attribute"))
            break
    text = htmllib.unescape(_TAG.sub(" ", body))
    for m in _MARKUP.finditer(text):
        found.append(Leak(_context(text, m.start(), m.end()), m.group(0), "text"))
    return list(dict.fromkeys(found))


def is_external(url: str) -> bool:
    url = url.strip().lower()
    return url.startswith(("http://", "https://", "//", "ftp://"))


def _without_site_nav(page_html: str) -> str:
    """The page without its navigation, which holds links only (its logo is the header's)."""
    start = page_html.find(_SITE_NAV[0])
    end = page_html.find(_SITE_NAV[1], start) if start >= 0 else -1
    return page_html if end < 0 else page_html[:start] + page_html[end:]


def external_resources(page_html: str) -> list[str]:
    """Addresses outside the site that the browser would load with this page."""
    found = []
    body = re.sub(r"<!--.*?-->", " ", _without_site_nav(page_html), flags=re.S)
    for m in _FETCHING.finditer(body):
        tag, attrs = m.group(1).lower(), m.group(2)
        if tag == "link":
            rel = _REL.search(attrs)
            rels = set(((next(g for g in rel.groups() if g is not None)) if rel else "")
                       .lower().split())
            if not rels & _LOADING_RELS:
                continue
        for a in _URL_ATTR.finditer(attrs):
            name = a.group(1).lower()
            if name == "href" and tag != "link":
                continue
            value = next(g for g in a.groups()[1:] if g is not None)
            urls = [part.strip().split()[0] for part in value.split(",") if part.strip()] \
                if name == "srcset" else [value]
            found += [u for u in urls if is_external(u)]
    for m in _CSS_URL.finditer(body):
        found.append(m.group(1))
    return list(dict.fromkeys(found))


def line_containing(text: str, needles: list[str]) -> int | None:
    """The first line of ``text`` holding one of ``needles`` (tried in order)."""
    lines = text.split("\n")
    for needle in needles:
        needle = needle.strip()
        if not needle:
            continue
        for number, line in enumerate(lines, 1):
            if needle in line:
                return number
    return None
