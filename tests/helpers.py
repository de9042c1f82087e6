"""Small helpers shared by the unit tests of data files."""

from __future__ import annotations

from pathlib import Path

import pytest

from csr_kit.errors import SourceErrors


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(call) -> list[str]:
    """The problems a loader reports, as the lines authors read."""
    with pytest.raises(SourceErrors) as err:
        call()
    return [str(p) for p in err.value.problems]
