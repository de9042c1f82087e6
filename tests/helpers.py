"""Small helpers shared by the unit tests of data files."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf.generic import IndirectObject

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


def pdf_structure(reader) -> list:
    """Every element of the structure tree, depth first."""
    root = reader.trailer["/Root"]["/StructTreeRoot"]
    found, stack = [], [root]
    while stack:
        node = stack.pop()
        if isinstance(node, IndirectObject):
            node = node.get_object()
        if not hasattr(node, "get"):
            continue
        if node.get("/Type") == "/StructElem":
            found.append(node)
        kids = node.get("/K")
        if kids is None:
            continue
        kids = kids.get_object() if isinstance(kids, IndirectObject) else kids
        stack.extend(kids if isinstance(kids, list) else [kids])
    return found
