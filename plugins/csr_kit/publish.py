"""Safe publishing: build into a staging folder, swap it in only when complete.

MkDocs empties ``site_dir`` before it builds, so a failed build would leave
readers a broken site.  Building elsewhere and renaming at the end means the
published folder is always either the old complete site or the new one.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable


def build_then_swap(site_dir: Path, build: Callable[[Path], None]) -> None:
    """Run ``build(staging)``; on success replace ``site_dir`` with it, else keep the old site."""
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-new-", dir=site_dir.parent))
    try:
        build(staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    old = None
    if site_dir.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-old-", dir=site_dir.parent))
        os.rmdir(old)
        os.rename(site_dir, old)
    os.rename(staging, site_dir)
    os.chmod(site_dir, 0o755)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
