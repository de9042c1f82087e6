"""Reading authors' YAML data files with line numbers, and validating them.

PyYAML parses; pydantic (the schema library) validates.  Both report
positions in their own terms, so this module keeps a map from each value's
location (``("kpis", 3, "unit")``) to its line in the file and turns every
complaint into a :class:`~csr_kit.errors.Problem` an author can act on.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar, cast

import yaml
from pydantic import BaseModel, ValidationError

from .errors import Problem, SourceError, SourceErrors

Location = tuple[Any, ...]
Model = TypeVar("Model", bound=BaseModel)


def _describe_os_error(shown: str, err: OSError) -> SourceError:
    if isinstance(err, IsADirectoryError):
        return SourceError(shown, None, "this is a folder, not a file",
                           "put the data in a file of that name (and move the folder elsewhere)",
                           "file")
    if isinstance(err, FileNotFoundError):
        return SourceError(shown, None, "the file is missing",
                           "create it, or check the file name in mkdocs.yml", "file")
    if isinstance(err, PermissionError):
        return SourceError(shown, None, "the file cannot be opened (no permission to read it)",
                           "check the file's permissions", "file")
    return SourceError(shown, None, f"the file cannot be read ({err.strerror or err})",
                       "check that the file exists and is a normal file", "file")


def decode_text(raw: bytes, shown: str) -> str:
    """Bytes of an author's text file as text: UTF-8 only, with plain explanations otherwise."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if raw.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise SourceError(shown, 1, "the file is saved as UTF-32, not UTF-8",
                          "save it again as 'UTF-8' in your editor", "encoding")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SourceError(shown, 1, "the file is saved as UTF-16, not UTF-8",
                          "save it again as 'UTF-8' in your editor", "encoding")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        guess = "perhaps Big5 or GBK"
        for codec, name in (("big5", "Big5"), ("gbk", "GBK")):
            try:
                raw.decode(codec)
            except UnicodeDecodeError:
                continue
            guess = f"it looks like {name}"
            break
        raise SourceError(shown, line, f"the file is not saved as UTF-8 ({guess})",
                          "open it in your editor and save it again as 'UTF-8'",
                          "encoding") from None
    if "\x00" in text:
        # UTF-16 without a byte-order mark decodes as UTF-8 with a NUL every other byte.
        line = text[: text.index("\x00")].count("\n") + 1
        raise SourceError(shown, line, "the file contains NUL characters (perhaps saved as "
                          "UTF-16 without a byte-order mark)",
                          "save it again as 'UTF-8' in your editor", "encoding")
    return text


def read_text(path: str | Path, shown_as: str | None = None) -> str:
    """Read a UTF-8 text file; a byte-order mark is dropped, other encodings are explained."""
    shown = shown_as or str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as err:
        raise _describe_os_error(shown, err) from None
    return decode_text(raw, shown)


# libyaml (the C parser) is many times faster; the pure-Python one words errors better.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Tree:
    """Plain Python values built from a YAML node tree, with a line for every location."""

    def __init__(self, path: str):
        self.path = path
        self.lines: dict[Location, int] = {}
        self.problems: list[Problem] = []
        self._constructor = yaml.SafeLoader("")
        self._open: set[int] = set()  # collections being built (an alias cycle would loop)

    def build(self, node: yaml.Node, loc: Location) -> Any:
        self.lines[loc] = node.start_mark.line + 1
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
            if id(node) in self._open:
                self.problems.append(Problem(self.path, node.start_mark.line + 1,
                                             "an alias (*name) here refers to the block that "
                                             "contains it", "write the values out in full",
                                             category="syntax"))
                return None
            self._open.add(id(node))
            try:
                return self._build_collection(node, loc)
            finally:
                self._open.discard(id(node))
        return self._build_scalar(node, loc)

    def _build_collection(self, node: yaml.Node, loc: Location) -> Any:
        if isinstance(node, yaml.MappingNode):
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    self.problems.append(Problem(self.path, key_node.start_mark.line + 1,
                                                 "YAML merge keys (<<) are not supported",
                                                 "write the values out in full", category="syntax"))
                    continue
                key = self.build(key_node, loc + ("<key>",))
                if isinstance(key, (list, dict)) or key is None:
                    self.problems.append(Problem(self.path, key_node.start_mark.line + 1,
                                                 "a key is missing or is not a plain word",
                                                 "write 'name: value', with a plain word "
                                                 "before the colon", category="syntax"))
                    continue
                if key in result:
                    first = self.lines.get(loc + (key,))
                    self.problems.append(Problem(
                        self.path, key_node.start_mark.line + 1,
                        f"'{key}' appears twice in the same block",
                        f"keep one of the two (the first is on line {first})", category="syntax"))
                    continue
                result[key] = self.build(value_node, loc + (key,))
                # The key's own line is the one an author looks at.
                self.lines[loc + (key,)] = key_node.start_mark.line + 1
            return result
        return [self.build(item, loc + (i,)) for i, item in enumerate(node.value)]

    def _build_scalar(self, node: yaml.Node, loc: Location) -> Any:
        if node.tag.startswith("!") or node.tag.startswith("tag:yaml.org,2002:python/"):
            self.problems.append(Problem(self.path, node.start_mark.line + 1,
                                         f"'{node.tag}' tags are not allowed in data files",
                                         "remove the tag (the word starting with '!')",
                                         category="syntax"))
            return None
        try:
            return self._constructor.construct_object(node, deep=True)
        except (yaml.constructor.ConstructorError, ValueError, OverflowError) as err:
            detail = getattr(err, "problem", None) or str(err)
            if node.tag == "tag:yaml.org,2002:timestamp":
                self.problems.append(Problem(self.path, node.start_mark.line + 1,
                                             f"'{node.value}' is not a valid date ({detail})",
                                             "write dates as YYYY-MM-DD, e.g. 2021-12-31",
                                             category="syntax"))
                return None
            self.problems.append(Problem(self.path, node.start_mark.line + 1,
                                         f"this value cannot be read ({detail})",
                                         "write it as plain text or a number, or put it in "
                                         "quotes", category="syntax"))
            return None


def _yaml_problem(path: str, err: yaml.YAMLError, text: str = "") -> Problem:
    mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
    line = mark.line + 1 if mark else None
    detail = getattr(err, "problem", None) or str(err)
    source_lines = text.splitlines()
    def leading_tab(number: int) -> bool:
        if not 1 <= number <= len(source_lines):
            return False
        content = source_lines[number - 1]
        return "\t" in content[: len(content) - len(content.lstrip())]

    near = [n for n in (line, line + 1, line - 1) if n and leading_tab(n)] if line else []
    if near or "\\t" in detail or "tab" in detail.lower():
        return Problem(path, near[0] if near else line, "a tab character is used for indentation",
                       "indent with spaces only (two per level)", category="syntax")
    if "mapping values are not allowed" in detail:
        return Problem(path, line, "a colon (:) inside a value confuses the YAML layout",
                       "put the whole value in quotes, e.g. note: \"…: …\"", category="syntax")
    if "found unexpected end of stream" in detail or "found unexpected end of file" in detail:
        opening = getattr(err, "context_mark", None)
        return Problem(path, opening.line + 1 if opening else line,
                       "a quote or bracket opened here is never closed",
                       "add the closing quote (\" or ') or bracket (} or ])", category="syntax")
    if "while scanning a quoted scalar" in str(getattr(err, "context", "")):
        opening = getattr(err, "context_mark", None)
        return Problem(path, opening.line + 1 if opening else line,
                       "a quote opened here is not closed properly",
                       "add the closing quote, or write \\\" for a quote inside the text",
                       category="syntax")
    if "expected ',' or '}'" in detail or "expected ',' or ']'" in detail:
        opening = getattr(err, "context_mark", None)
        return Problem(path, opening.line + 1 if opening else line,
                       "a {…} or […] list is not closed or has a stray character",
                       "check the brackets and put text containing a comma or colon in quotes",
                       category="syntax")
    if "expected <block end>" in detail or "did not find expected" in detail:
        return Problem(path, line, "the indentation or a list item here is out of line",
                       "line items up with their neighbours using spaces; "
                       "list items start with '- '", category="syntax")
    if "found undefined alias" in detail or "found unhashable key" in detail:
        return Problem(path, line, f"YAML cannot read this line ({detail})",
                       "remove the '*' or '&' or quote the value", category="syntax")
    if "found character" in detail and "cannot start any token" in detail:
        return Problem(path, line, f"YAML cannot read this line ({detail})",
                       "put the value in quotes (characters such as @ ` % at the start of a "
                       "value need them)", category="syntax")
    return Problem(path, line, f"YAML cannot read this line ({detail})",
                   "check the quotes, colons and indentation around it", category="syntax")


# Full-width punctuation a Chinese input method types where YAML needs ASCII.
_WIDE_NAMES = {
    "：": ("full-width colon", "an ASCII colon ':' followed by a space"),
    "，": ("full-width comma", "an ASCII comma ','"),
    "、": ("Chinese enumeration comma", "an ASCII comma ','"),
    "；": ("full-width semicolon", "an ASCII comma ','"),
    "　": ("full-width space", "ASCII spaces"),
    "｛": ("full-width brace", "an ASCII brace '{'"),
    "｝": ("full-width brace", "an ASCII brace '}'"),
    "［": ("full-width bracket", "an ASCII bracket '['"),
    "］": ("full-width bracket", "an ASCII bracket ']'"),
    "“": ("curly quote", "a straight quote '\"'"), "”": ("curly quote", "a straight quote '\"'"),
    "‘": ("curly quote", "a straight quote \"'\""), "’": ("curly quote", "a straight quote \"'\""),
    "「": ("corner bracket", "a straight quote '\"'"),
    "」": ("corner bracket", "a straight quote '\"'"),
}
_KEY_THEN_WIDE = re.compile(r"^([ 　]*(?:-[ 　]+)?)([A-Za-z_][\w.-]*)[ 　]*([：　])")
_INDENT_WIDE = re.compile(r"^[ ]*(?:-[ ]*)?　")
_VALUE_OPENER = re.compile(r"(?:^|[:：][ 　]+|-[ 　]+|[{\[,][ 　]*)([｛［“‘「])")
_ASCII_WORD = re.compile(r"[A-Za-z0-9_.:\-]")
_NEXT_KEY = re.compile(r"[ 　]*(?:[A-Za-z_][\w-]*|\"[^\"]*\"|'[^']*')[ 　]*:")


def full_width_problems(text: str, shown_as: str, first_line: int = 1) -> list[Problem]:
    """Full-width punctuation where YAML needs ASCII, each named with its line and column.

    Only places where the character changes the layout count: after a key, in the
    indentation, between the items of a [...] or {...} list, opening a value.  Full-width
    punctuation inside Chinese text is left alone.
    """
    problems = []

    def report(number: int, column: int, char: str, context: str) -> None:
        what, fix = _WIDE_NAMES[char]
        problems.append(Problem(shown_as, number, f"a {what} '{char}' at column {column} "
                                f"{context}", f"type {fix} instead (switch the input method "
                                "to half-width)", category="syntax"))

    for number, line in enumerate(text.split("\n"), first_line):
        if line.lstrip().startswith("#"):
            continue
        if m := _KEY_THEN_WIDE.match(line):
            char = m.group(3)
            rest = line[m.end():]
            # A full-width space after a key matters only when no ASCII colon follows it.
            if char == "：" or (rest and ":" not in rest):
                report(number, m.start(3) + 1, char, f"after '{m.group(2)}' (YAML reads "
                       "'name: value' only with an ASCII colon)")
                continue
        if m := _INDENT_WIDE.match(line):
            report(number, m.end(), "　", "in the indentation")
            continue
        opened: list[str] = []  # the [ and { this line has open
        quote = None
        quoted: set[int] = set()  # 0-based positions inside an ASCII-quoted string
        for column, char in enumerate(line, 1):
            if quote:
                if char == quote:
                    quote = None
                else:
                    quoted.add(column - 1)
                continue
            if char in "\"'" and (column == 1 or line[column - 2] in " 　:[{,"):
                quote = char
            elif char == "#" and (column == 1 or line[column - 2] == " "):
                break
            elif char in "[{":
                opened.append(char)
            elif char in "]}" and opened:
                opened.pop()
            elif char in "，、；" and opened:
                before = line[:column - 1].rstrip(" 　")[-1:]
                after = line[column:]
                # In [a，b] both sides are codes or ids; in {a: x，b: y} a key follows.
                between_ids = opened[-1] == "[" and _ASCII_WORD.match(before or " ") and \
                    _ASCII_WORD.match(after.lstrip(" 　")[:1] or " ")
                if between_ids or _NEXT_KEY.match(after):
                    report(number, column, char, "between the items of a [...] or {...} list")
                    break
        else:
            for m in _VALUE_OPENER.finditer(line):
                char = m.group(1)
                start = m.start(1)
                if start in quoted:  # the author's punctuation inside a quoted string
                    continue
                closing = {"｛": "｝", "［": "］", "“": "”", "‘": "’", "「": "」"}[char]
                inner = line[start + 1:line.find(closing, start + 1)] \
                    if closing in line[start + 1:] else line[start + 1:]
                before = line[:start]
                in_flow = before.count("{") + before.count("[") > \
                    before.count("}") + before.count("]")
                # What the quotes were meant to protect: ': ' and ' #' anywhere, ',' in {…}.
                breaks = r",|:(?:\s|$)| #" if in_flow else r":(?:\s|$)| #"
                if char in "｛［" or re.search(breaks, inner):
                    report(number, start + 1, char, "where a value starts (YAML does not "
                           "treat it as a bracket or a quote)")
                    break
    return problems


def load_yaml(text: str, shown_as: str) -> tuple[Any, dict[Location, int]]:
    """Parse YAML text; returns the data and the line of every location."""
    wide = full_width_problems(text, shown_as)
    if wide:
        # The real cause: YAML would complain somewhere else, or read a wrong value.
        raise SourceErrors(wide)
    try:
        node = yaml.compose(text, Loader=_FAST_LOADER)
    except yaml.YAMLError as fast_err:
        # Parse again with the pure-Python parser: its messages are more precise.
        try:
            node = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError as err:
            raise SourceErrors([_yaml_problem(shown_as, err, text)]) from None
        except Exception:  # noqa: BLE001 - reported with the fast parser's message
            raise SourceErrors([_yaml_problem(shown_as, fast_err, text)]) from None
    except ValueError as err:  # e.g. characters YAML refuses
        raise SourceErrors([Problem(shown_as, None, f"YAML cannot read the file ({err})",
                                    "check the file for unusual characters", category="syntax")]
                           ) from None
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


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "…"


def _plain_message(error: Mapping[str, Any]) -> tuple[str, str]:
    kind = error["type"]
    loc = tuple(error["loc"])
    field = next((str(p) for p in reversed(loc) if isinstance(p, str)), "value")
    given = _short(error.get("input"))
    ctx = error.get("ctx", {}) or {}
    if not loc and kind in ("dict_type", "model_type", "model_attributes_type"):
        return ("the file should be made of 'name: value' lines, not a list or a single value",
                "compare it with the example in the README, or restore it from the last "
                "good copy")
    if kind == "missing":
        return f"'{field}' is missing", f"add '{field}:' to this entry"
    if kind == "extra_forbidden":
        if not re.fullmatch(r"[A-Za-z_][\w-]*", field):
            # `{zh-Hant: 甲, 乙}`: the comma ended the text, and 乙 became a field.
            return (f"'{field}' is read as a field name: an ASCII comma before it ends the "
                    "text inside {…}", "put the whole text in straight quotes, e.g. "
                    "zh-Hant: \"甲, 乙\", or use a Chinese comma (，)")
        return f"'{field}' is not a known field", "check its spelling or remove it"
    if kind in ("float_parsing", "float_type", "int_parsing", "int_type", "decimal_parsing",
                "int_from_float", "finite_number"):
        return (f"'{given}' is not a number",
                "write digits only, without units, commas or spaces (e.g. 1234.5)")
    if kind in ("string_type",):
        return f"'{field}' should be text", "put the value in quotes"
    if kind in ("list_type", "tuple_type"):
        return f"'{field}' should be a list", "write it as [a, b] or as lines starting with '- '"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"'{field}' should be a block of 'key: value' lines", "indent its lines under it"
    if kind in ("bool_type", "bool_parsing"):
        return f"'{field}' should be true or false", "write true or false"
    if kind in ("date_type", "date_parsing", "date_from_datetime_parsing", "datetime_parsing"):
        return f"'{given}' is not a date", "write dates as YYYY-MM-DD, e.g. 2021-12-31"
    if kind == "literal_error" or kind == "enum":
        expected = ctx.get("expected", "")
        return f"'{given}' is not allowed for '{field}'", f"use one of {expected}"
    if kind == "string_pattern_mismatch":
        return (f"'{given}' is not a valid {field}",
                "use only lower-case letters a–z, digits and '.', '_' or '-', starting "
                "with a letter")
    if kind in ("too_short", "string_too_short"):
        return f"'{field}' is empty", "fill it in, or remove the entry"
    if kind in ("too_long", "string_too_long"):
        return f"'{field}' is too long", error.get("msg", "shorten it")
    if kind in ("greater_than_equal", "greater_than"):
        return (f"'{given}' is too small for '{field}'",
                f"use a value of at least {ctx.get('ge', ctx.get('gt', ''))}")
    if kind in ("less_than_equal", "less_than"):
        return (f"'{given}' is too large for '{field}'",
                f"use a value of at most {ctx.get('le', ctx.get('lt', ''))}")
    if kind == "value_error":
        message = str(ctx.get("error", error.get("msg", "")))
        if " — " in message:
            what, how = message.split(" — ", 1)
            return what, how
        return message, ""
    return f"'{field}' has a value that cannot be used ('{given}': {error.get('msg', '')})", \
        "check it against the README's example"


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


# Parsed and validated files, keyed by path, size and modification time: the live
# preview rebuilds every few seconds and the framework definitions rarely change.
_CacheKey = tuple[type[BaseModel], str, str, int, int]
_CACHE: dict[_CacheKey, tuple[BaseModel, dict[Location, int]]] = {}
_CACHE_SIZE = 64


def _cache_key(model: type[BaseModel], path: str | Path, shown_as: str) -> _CacheKey | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (model, os.path.abspath(path), shown_as, stat.st_mtime_ns, stat.st_size)


def load_model(model: type[Model], path: str | Path, shown_as: str,
               context: dict[str, Any] | None = None) -> tuple[Model, dict[Location, int]]:
    """Read, parse and validate one data file (errors are raised as SourceErrors)."""
    key = _cache_key(model, path, shown_as) if context is None else None
    if key is not None and key in _CACHE:
        cached, lines = _CACHE[key]
        found = cast(Model, cached)  # the key holds the model class it was validated with
        frozen = found.model_config.get("frozen", False)
        return (found if frozen else found.model_copy(deep=True)), dict(lines)
    text = read_text(path, shown_as)
    if not text.strip():
        raise SourceErrors([Problem(shown_as, 1, "the file is empty",
                                    "add the data, or delete the file")])
    data, lines = load_yaml(text, shown_as)
    result = validate(model, data, lines, shown_as, context)
    if key is not None:
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        frozen = result.model_config.get("frozen", False)
        _CACHE[key] = (result if frozen else result.model_copy(deep=True), dict(lines))
    return result, lines
