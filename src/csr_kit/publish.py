"""Safe publishing: build into a staging folder, swap it in only when complete.

MkDocs empties ``site_dir`` before it builds, so a failed build would leave
readers a broken site.  Building elsewhere and renaming at the end means the
published folder is always either the old complete site or the new one.
The staging folder sits next to the published one (same disk), so the swap
is two renames, not a copy.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

STAGING_PREFIX = ".{name}-new-"
OLD_PREFIX = ".{name}-old-"
STALE_AFTER = 6 * 3600  # seconds: leftovers of a build that was killed


class PublishError(Exception):
    """The published folder cannot safely be replaced; nothing was changed."""


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
        return True
    except ValueError:
        return False


def check_target(site_dir: Path, protect: Iterable[Path] = ()) -> None:
    """Refuse to replace a folder that holds (or is inside) the report's sources."""
    site_dir = site_dir.resolve()
    for source in protect:
        source = Path(source).resolve()
        if site_dir == source or _inside(source, site_dir) or _inside(site_dir, source):
            raise PublishError(
                f"The site folder {site_dir} overlaps the report's own files ({source}); "
                "publishing there could delete them — set site_dir in mkdocs.yml to a folder "
                "of its own, such as site")
    if site_dir.exists() and not site_dir.is_dir():
        raise PublishError(f"{site_dir} is a file, not a folder — move it away, or set "
                           "site_dir in mkdocs.yml to another name")
    if site_dir.is_dir() and any(site_dir.iterdir()) and not (site_dir / "index.html").exists():
        raise PublishError(f"{site_dir} is not empty and does not look like a built site "
                           "(it has no index.html) — move its contents away, or set site_dir "
                           "in mkdocs.yml to another folder")


def _remove_stale(parent: Path, name: str) -> None:
    now = time.time()
    for prefix in (STAGING_PREFIX.format(name=name), OLD_PREFIX.format(name=name)):
        for leftover in parent.glob(prefix + "*"):
            try:
                if leftover.is_dir() and now - leftover.stat().st_mtime > STALE_AFTER:
                    shutil.rmtree(leftover, ignore_errors=True)
            except OSError:
                pass


def build_then_swap(site_dir: Path, build: Callable[[Path], object],
                    protect: Iterable[Path] = ()) -> None:
    """Run ``build(staging)``; on success replace ``site_dir`` with it, else keep the old site.

    ``build`` signals failure by raising; whatever it raised is re-raised after the
    staging folder is removed, and ``site_dir`` is untouched.
    """
    site_dir = Path(site_dir).resolve()
    check_target(site_dir, protect)
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale(site_dir.parent, site_dir.name)
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX.format(name=site_dir.name),
                                    dir=site_dir.parent))
    try:
        build(staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    old = None
    try:
        if site_dir.exists():
            old = Path(tempfile.mkdtemp(prefix=OLD_PREFIX.format(name=site_dir.name),
                                        dir=site_dir.parent))
            os.rmdir(old)
            os.rename(site_dir, old)
        os.rename(staging, site_dir)
    except BaseException:
        # Put the old site back if the new one could not take its place.
        if old is not None and old.exists() and not site_dir.exists():
            os.rename(old, site_dir)
        shutil.rmtree(staging, ignore_errors=True)
        raise
    os.chmod(site_dir, 0o755)  # mkdtemp made it private; web servers must read it
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
