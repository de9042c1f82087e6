"""Files from other sites that a report allows: copied into the site, never hot-linked.

Readers' browsers must not fetch anything from outside the published site (many readers
are on mainland networks).  A report may still use a file published elsewhere (a
partner's logo, an embedded chart) by allowing its address in mkdocs.yml: the build
then downloads it once, keeps it in the site's ``assets/external/`` folder, and points
the page at that copy.  No MkDocs imports: the fetching is given as a function.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections.abc import Callable, Sequence
from urllib.parse import urlsplit

from .leaks import is_external

FOLDER = "assets/external"
# The attributes through which a browser loads a file by itself (as leaks.py reads them).
_TAG = re.compile(r"<(img|script|iframe|source|video|audio|track|embed|link)\b([^>]*)>",
                  re.I | re.S)
_LOADING_LINK = re.compile(r"""\srel\s*=\s*["']?[^"'>]*\b(?:stylesheet|icon|preload)\b""", re.I)
_ATTR = re.compile(r"""(\s(?:src|poster|href)\s*=\s*)(["'])([^"']*)\2""", re.I)


def allowed(url: str, prefixes: Sequence[str]) -> bool:
    return any(url.startswith(prefix) for prefix in prefixes if prefix)


def local_name(url: str) -> str:
    """The copy's file name: a digest of the address, and the address's own extension."""
    path = urlsplit(url).path
    extension = posixpath.splitext(path)[1].lower()
    if not re.fullmatch(r"\.[a-z0-9]{1,5}", extension):
        extension = ""
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:16] + extension


def localise(page_html: str, page_url: str, prefixes: Sequence[str],
             fetch: Callable[[str], bool]) -> tuple[str, list[str]]:
    """The page with allowed files pointed at their copies, and the addresses not fetched.

    ``fetch(url)`` stores the file as ``assets/external/<local_name(url)>`` in the site
    and says whether it could.  ``page_url`` is the page's URL in the site ('people/').
    """
    failed: list[str] = []
    depth = posixpath.dirname(page_url.rstrip("/") + "/x") if page_url else ""

    def attribute(m: re.Match[str]) -> str:
        url = m.group(3).strip()
        if not is_external(url) or not allowed(url, prefixes):
            return m.group(0)
        if not fetch(url):
            failed.append(url)
            return m.group(0)
        copy = posixpath.relpath(f"{FOLDER}/{local_name(url)}", depth or ".")
        return f"{m.group(1)}{m.group(2)}{copy}{m.group(2)}"

    def tag(m: re.Match[str]) -> str:
        if m.group(1).lower() == "link" and not _LOADING_LINK.search(m.group(2)):
            return m.group(0)  # canonical, alternate…: an address, not a file to load
        return f"<{m.group(1)}{_ATTR.sub(attribute, m.group(2))}>"

    return _TAG.sub(tag, page_html), list(dict.fromkeys(failed))
