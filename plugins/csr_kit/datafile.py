"""Reading authors' YAML data files with line numbers, and validating them.

PyYAML parses; pydantic (the schema library) validates.  Both report
positions in their own terms, so this module keeps a map from each value's
location (``("kpis", 3, "unit")``) to its line in the file and turns every
complaint into a :class:`~csr_kit.errors.Problem` an author can act on.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from .errors import Problem, SourceError, SourceErrors

Location = tuple[Any, ...]
Model = TypeVar("Model", bound=BaseModel)


def read_text(path: str | Path, shown_as: str | None = None) -> str:
    """Read a UTF-8 text file; a byte-order mark is dropped, other encodings are explained."""
    shown = shown_as or str(path)
    raw = Path(path).read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SourceError(shown, 1, "the file is saved as UTF-16, not UTF-8",
                          "save it again as 'UTF-8' in your editor", "encoding")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise SourceError(shown, line, "the file is not saved as UTF-8 (perhaps Big5 or GBK)",
                          "save it again as 'UTF-8' in your editor", "encoding") from None


class _Tree:
    """Plain Python values built from a YAML node tree, with a line for every location."""

    def __init__(self, path: str):
        self.path = path
        self.lines: dict[Location, int] = {}
        self.problems: list[Problem] = []

    def build(self, node: yaml.Node, loc: Location) -> Any:
        self.lines[loc] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    self.problems.append(Problem(self.path, key_node.start_mark.line + 1,
                                                 "YAML merge keys (<<) are not supported",
                                                 "write the values out in full"))
                    continue
                key = self.build(key_node, loc + ("<key>",))
                if isinstance(key, (list, dict)):
                    self.problems.append(Problem(self.path, key_node.start_mark.line + 1,
                                                 "a key cannot be a list or a mapping",
                                                 "use a plain word as the key"))
                    continue
                if key in result:
                    first = self.lines.get(loc + (key,))
                    self.problems.append(Problem(
                        self.path, key_node.start_mark.line + 1,
                        f"'{key}' appears twice in the same block",
                        f"keep one of the two (the first is on line {first})"))
                    continue
                self.lines[loc + (key,)] = key_node.start_mark.line + 1
                result[key] = self.build(value_node, loc + (key,))
                # The key's own line is the one an author looks at.
                self.lines[loc + (key,)] = key_node.start_mark.line + 1
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, loc + (i,)) for i, item in enumerate(node.value)]
        constructor = yaml.SafeLoader(" ")
        try:
            return constructor.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as err:
            self.problems.append(Problem(self.path, node.start_mark.line + 1,
                                         f"this value cannot be read ({err.problem})",
                                         "write it as plain text or a number"))
            return None


def _yaml_problem(path: str, err: yaml.YAMLError) -> Problem:
    mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
    line = mark.line + 1 if mark else None
    detail = getattr(err, "problem", None) or str(err)
    if "\\t" in detail or "tab" in detail.lower():
        return Problem(path, line, "a tab character is used for indentation",
                       "indent with spaces only (two per level)", category="syntax")
    if "mapping values are not allowed" in detail:
        return Problem(path, line, "a colon (:) inside a value confuses the YAML layout",
                       "put the whole value in quotes, e.g. note: \"…: …\"", category="syntax")
    if "expected <block end>" in detail or "did not find expected" in detail:
        return Problem(path, line, "the indentation or a list item here is out of line",
                       "line items up with their neighbours using spaces; "
                       "list items start with '- '", category="syntax")
    if "found undefined alias" in detail or "found unhashable key" in detail:
        return Problem(path, line, f"YAML cannot read this line ({detail})",
                       "remove the '*' or '&' or quote the value", category="syntax")
    return Problem(path, line, f"YAML cannot read this line ({detail})",
                   "check the quotes, colons and indentation around it", category="syntax")


def load_yaml(text: str, shown_as: str) -> tuple[Any, dict[Location, int]]:
    """Parse YAML text; returns the data and the line of every location."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as err:
        raise SourceErrors([_yaml_problem(shown_as, err)]) from None
    tree = _Tree(shown_as)
    data = tree.build(node, ()) if node is not None else None
    if tree.problems:
        raise SourceErrors(tree.problems)
    return data, tree.lines


def line_of(lines: dict[Location, int], loc: Location) -> int | None:
    """The line of the nearest located ancestor of ``loc``."""
    loc = tuple(loc)
    while loc:
        if loc in lines:
            return lines[loc]
        loc = loc[:-1]
    return lines.get(())


def _plain_message(error: dict[str, Any]) -> tuple[str, str]:
    kind = error["type"]
    field = next((str(p) for p in reversed(error["loc"]) if isinstance(p, str)), "value")
    given = error.get("input")
    if kind == "missing":
        return f"'{field}' is missing", f"add '{field}:' to this entry"
    if kind == "extra_forbidden":
        return f"'{field}' is not a known field", "check its spelling or remove it"
    if kind in ("float_parsing", "float_type", "int_parsing", "int_type", "decimal_parsing"):
        return (f"'{given}' is not a number",
                "write digits only, without units, commas or spaces (e.g. 1234.5)")
    if kind in ("string_type",):
        return f"'{field}' should be text", "put the value in quotes"
    if kind in ("list_type",):
        return f"'{field}' should be a list", "write it as [a, b] or as lines starting with '- '"
    if kind in ("dict_type", "model_type"):
        return f"'{field}' should be a block of 'key: value' lines", "indent its lines under it"
    if kind in ("bool_type", "bool_parsing"):
        return f"'{field}' should be true or false", "write true or false"
    if kind == "literal_error" or kind == "enum":
        expected = error.get("ctx", {}).get("expected", "")
        return f"'{given}' is not allowed for '{field}'", f"use one of {expected}"
    if kind == "string_pattern_mismatch":
        return f"'{given}' is not a valid {field}", error.get("msg", "")
    if kind == "value_error":
        message = str(error.get("ctx", {}).get("error", error.get("msg", "")))
        if " — " in message:
            what, how = message.split(" — ", 1)
            return what, how
        return message, ""
    return f"'{field}': {error.get('msg', 'invalid value')}", ""


def validate(model: type[Model], data: Any, lines: dict[Location, int], shown_as: str,
             context: dict[str, Any] | None = None) -> Model:
    """Validate parsed YAML against a pydantic model; problems carry file and line."""
    if data is None:
        raise SourceErrors([Problem(shown_as, 1, "the file is empty",
                                    "add the data, or delete the file")])
    try:
        return model.model_validate(data, context=context)
    except ValidationError as err:
        problems = []
        for error in err.errors():
            loc = tuple(error["loc"])
            message, hint = _plain_message(error)
            problems.append(Problem(shown_as, line_of(lines, loc), message, hint))
        raise SourceErrors(sorted(problems, key=lambda p: p.line or 0)) from None


def load_model(model: type[Model], path: str | Path, shown_as: str,
               context: dict[str, Any] | None = None) -> tuple[Model, dict[Location, int]]:
    text = read_text(path, shown_as)
    if not text.strip():
        raise SourceErrors([Problem(shown_as, 1, "the file is empty",
                                    "add the data, or delete the file")])
    data, lines = load_yaml(text, shown_as)
    return validate(model, data, lines, shown_as, context), lines
