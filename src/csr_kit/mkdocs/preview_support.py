"""What the live preview adds to each of its builds: two caches that outlive a build.

``csr-kit serve`` rebuilds the whole site in one process on every save and passes
one :class:`PreviewSupport` object to every build (``run_mkdocs(...,
extra_plugins=...)`` puts it in ``config.plugins``; it is never listed in
mkdocs.yml and a normal build never has it).  It keeps, between rebuilds:

- **Material's compiled templates.**  MkDocs makes a new Jinja environment for each
  build; :meth:`PreviewSupport.on_env` gives it a bytecode cache (Jinja's own
  extension point), so a template is compiled once per process.  Jinja compares
  each template's source with the cached copy: an edited override is compiled
  again.
- **Each page's search-index entries** (the preview's one hack, see
  :class:`SearchEntries`).  Material's search plugin splits each page's HTML into
  sections and runs jieba (Chinese word splitting) over each, for both scripts, on
  every build: a third of a rebuild.  An edit changes one page.
"""

from __future__ import annotations

import logging
from importlib import metadata
from typing import Any

import jinja2
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority

log = logging.getLogger("mkdocs.plugins.csr_kit.preview")


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept in memory, for as long as the preview runs."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


# --- HACK (the preview's only one): Material's search index, guarded by its version -----
# Material offers no way to reuse a page's search entries between builds.  PreviewSupport
# hands its search plugin (``search_index``, made in the plugin's on_config) an index of
# a subclass of Material's SearchIndex whose add_entry_from_context reuses the entries of
# a page whose inputs are all unchanged.  This relies on Material's internals (the
# ``search_index`` attribute, ``SearchIndex(**config)``, ``add_entry_from_context(page)``
# appending to ``entries``), so it is done only with the Material version it was checked
# against; with any other version the preview indexes every page as usual (slower, the
# same result) and says so once at debug level (`csr-kit serve -v`).
MATERIAL_CHECKED = "9.8.1"
_skipped_noted = False


def _material_checked() -> bool:
    global _skipped_noted
    try:
        version = metadata.version("mkdocs-material")
    except metadata.PackageNotFoundError:
        version = None
    if version == MATERIAL_CHECKED:
        return True
    if not _skipped_noted:
        _skipped_noted = True
        log.debug("mkdocs-material %s is not %s, the version the preview's search-entry "
                  "cache was checked against: every page is indexed for search on each "
                  "rebuild (slower, the same result)", version, MATERIAL_CHECKED)
    return False


def _toc_key(items: Any) -> tuple[Any, ...]:
    return tuple((getattr(i, "id", None), getattr(i, "url", None), getattr(i, "title", None),
                  getattr(i, "level", None), _toc_key(getattr(i, "children", None) or []))
                 for i in items or [])


def _copy(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: (list(v) if isinstance(v, list) else v) for k, v in e.items()} for e in entries]


class SearchEntries:
    """Each page's search-index entries, by everything they are made from.

    The key holds the page's HTML, address, title, metadata and table of contents:
    Material's entries are a function of these and of jieba's dictionary.  The
    dictionary learns the glossary's words, so :meth:`forget` empties the cache when
    a file other than a page changes.  Entries not used by the last rebuild are
    dropped at the next, so the cache holds about one site's worth.
    """

    def __init__(self) -> None:
        self.current: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
        self.previous: dict[tuple[Any, ...], list[dict[str, Any]]] = {}

    def next_rebuild(self) -> None:
        self.previous, self.current = self.current, {}

    def forget(self) -> None:
        self.previous, self.current = {}, {}

    @staticmethod
    def key(page: Any) -> tuple[Any, ...] | None:
        try:
            key = (page.content, page.url, page.title, repr(page.meta), _toc_key(page.toc))
            hash(key)
        except Exception:  # noqa: BLE001 - anything unusual: index the page the usual way
            return None
        return key

    def get(self, key: tuple[Any, ...]) -> list[dict[str, Any]] | None:
        found = self.current.get(key)
        if found is None and key in self.previous:
            found = self.current[key] = self.previous.pop(key)
        return None if found is None else _copy(found)

    def put(self, key: tuple[Any, ...], entries: list[dict[str, Any]]) -> None:
        self.current[key] = _copy(entries)


def _caching_index(search_index: Any, cache: SearchEntries) -> Any:
    """A copy of Material's (empty) search index that reuses cached page entries."""
    original = type(search_index)

    class CachingSearchIndex(original):  # type: ignore[misc, valid-type]
        def add_entry_from_context(self, page: Any) -> None:
            key = cache.key(page)
            found = cache.get(key) if key is not None else None
            if found is not None:
                self.entries.extend(found)
                return
            before = len(self.entries)
            super().add_entry_from_context(page)
            if key is not None:
                cache.put(key, self.entries[before:])

    replacement = CachingSearchIndex(**search_index.config)
    replacement.entries.extend(search_index.entries)
    return replacement
# --- end of the hack ----------------------------------------------------------------------


class _NoOptions(Config):
    """The preview's plugin has no options (it is never listed in mkdocs.yml)."""


class PreviewSupport(BasePlugin[_NoOptions]):
    """The preview's caches, offered to each build through MkDocs' plugin events."""

    def __init__(self) -> None:
        super().__init__()
        self.templates = MemoryBytecodeCache()
        self.search_entries = SearchEntries()

    def next_rebuild(self, *, non_page_files_changed: bool) -> None:
        """Called by the preview before each rebuild."""
        if non_page_files_changed:
            self.search_entries.forget()
        else:
            self.search_entries.next_rebuild()

    @event_priority(-150)  # after Material's search plugin made its index (priority 0)
    def on_config(self, config: MkDocsConfig) -> None:
        search = config.plugins.get("material/search") or config.plugins.get("search")
        index = getattr(search, "search_index", None)
        if (index is None or not hasattr(index, "add_entry_from_context")
                or not isinstance(getattr(index, "entries", None), list)
                or not isinstance(getattr(index, "config", None), dict)
                or not _material_checked()):
            return
        search.search_index = _caching_index(index, self.search_entries)  # type: ignore[union-attr]

    def on_env(self, env: jinja2.Environment, *, config: MkDocsConfig, files: Any
               ) -> jinja2.Environment:
        env.bytecode_cache = self.templates
        return env
