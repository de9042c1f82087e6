"""Reading built pages in tests: links, ids, resources and the text a reader sees."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

RESOURCE_ATTRS = {("link", "href"), ("script", "src"), ("img", "src"), ("source", "src"),
                  ("iframe", "src"), ("video", "src"), ("audio", "src"), ("embed", "src"),
                  ("object", "data"), ("image", "href")}
NOT_LOADED_RELS = {"canonical", "alternate", "sitemap"}
SKIP_TEXT = {"script", "style", "code", "pre", "svg"}


class Page(HTMLParser):
    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.resources: list[str] = []
        self.lang = None
        self.text_parts: list[str] = []
        self._skip: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and "name" in a:
            self.ids.add(a["name"])
        if tag == "a" and a.get("href") is not None:
            self.links.append(a["href"])
        for element, attr in RESOURCE_ATTRS:
            if tag == element and a.get(attr):
                if tag == "link" and set((a.get("rel") or "").split()) & NOT_LOADED_RELS:
                    continue
                self.resources.append(a[attr])
        void = tag in ("img", "br", "hr", "meta", "link", "input", "source", "wbr")
        if void:
            return
        skip = (tag in SKIP_TEXT or "data-noconvert" in a
                or (a.get("lang") or "").startswith("zh-Hant")
                or (tag == "a" and "hreflang" in a) or tag == "title" and False)
        if skip or self._skip:
            self._skip.append(tag)

    def handle_endtag(self, tag):
        if self._skip and tag in self._skip:
            while self._skip and self._skip.pop() != tag:
                pass

    def handle_data(self, data):
        if not self._skip:
            self.text_parts.append(data)

    @property
    def text(self) -> str:
        return " ".join(self.text_parts)


def parse(path: Path) -> Page:
    return Page(path.read_text(encoding="utf-8"))


def resolve(site: Path, page_file: Path, href: str) -> tuple[Path | None, str]:
    """The file a relative link points to, and its #fragment."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None, ""
    if not parts.path:
        return page_file, unquote(parts.fragment)
    base = site if parts.path.startswith("/") else page_file.parent
    target = (base / unquote(parts.path).lstrip("/")).resolve()
    if target.is_dir() or href.split("#")[0].endswith("/"):
        target = target / "index.html"
    return target, unquote(parts.fragment)
