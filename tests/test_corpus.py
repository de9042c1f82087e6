"""The corpus of broken inputs (tests/corpus/cases.yml) through `csr-kit check`.

Every case is a mistake applied to a fresh copy of the fixture report; the
check must fail, name the right file and line with a fix, and never show a
Python traceback.  The command runs in-process through its real entry point
(``csr_kit.cli.main``), so each case costs one check, not an interpreter start.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from csr_kit import cli

CORPUS = Path(__file__).resolve().parent / "corpus" / "cases.yml"
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "minisite"
CASES = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))


def apply_edit(root: Path, edit: dict) -> None:
    (kind, value), = edit.items()
    if kind == "replace":
        relative, old, new = value
        path = root / relative
        text = path.read_bytes().decode("utf-8-sig")
        bom = path.read_bytes().startswith(b"\xef\xbb\xbf")
        assert old in text, f"{old!r} is not in {relative}"
        path.write_bytes((b"\xef\xbb\xbf" if bom else b"") +
                         text.replace(old, new, 1).encode("utf-8"))
    elif kind == "write":
        relative, text = value
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_bytes(text.encode("utf-8"))
    elif kind == "append":
        relative, text = value
        with open(root / relative, "ab") as handle:
            handle.write(text.encode("utf-8"))
    elif kind == "delete":
        (root / value).unlink()
    elif kind == "folder":
        (root / value).unlink()
        (root / value).mkdir()
    elif kind == "encode":
        relative, encoding = value
        path = root / relative
        path.write_bytes(path.read_text(encoding="utf-8").encode(encoding))
    elif kind == "bom":
        path = root / value
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    else:  # pragma: no cover - a mistake in cases.yml
        raise AssertionError(f"unknown edit {kind}")


def assert_reported(case: dict, root: Path, output: str) -> None:
    """Each expected problem is reported at its file:line, saying what is wrong and the fix."""
    lines = output.splitlines()
    for path, line, words in case["expect"]:
        if isinstance(line, dict):
            line = line_of(root / path, line["line_of"])
        where = f"{path}:{line}: " if line is not None else f"{path}: "
        found = [text for text in lines if text.startswith(where)]
        assert found, f"{case['id']}: no problem reported at {where!r}\n{output}"
        matching = [text for text in found if words.lower() in text.lower()]
        assert matching, f"{case['id']}: {where!r} does not say {words!r}\n{output}"
        assert all(re.search(r": .+ — \S", text) for text in matching), matching


def line_of(path: Path, text: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} is not in {path}")


def test_corpus_is_large_and_distinct():
    ids = [case["id"] for case in CASES]
    assert len(ids) >= 30
    assert len(ids) == len(set(ids))
    edits = [repr(case["edits"]) for case in CASES]
    assert len(edits) == len(set(edits)), "two cases make the same mistake"
    for case in CASES:
        assert case.get("what") and case.get("expect"), case["id"]


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_broken_input_is_reported_with_file_and_line(case, tmp_path, capsys):
    root = tmp_path / "report"
    shutil.copytree(FIXTURE, root)
    for edit in case["edits"]:
        apply_edit(root, edit)

    code = cli.main(["-f", str(root / "mkdocs.yml"), "check"])
    captured = capsys.readouterr()
    output = captured.out + captured.err

    assert code != 0, f"{case['id']}: the check passed\n{output}"
    assert "Traceback" not in output
    assert "csr-kit stopped unexpectedly" not in output and "could not process" not in output, \
        output
    assert_reported(case, root, output)
    # The summary counts what was listed.
    assert re.search(r"^\d+ problems? in \d+ files?\.$", output, re.M), output
