"""The page model: one page of one language build, read once and changed in one place.

A page file is read once per build.  Its Markdown body is positioned in the file
(``SourceText``: line map and code ranges from one markdown-it parse) and its
``{{…}}`` directives are found once.  Each capability then *contributes* to the
page instead of rewriting it: replacements of spans of the body as written
(a directive by its HTML, conversion markup by one script's text), insertions,
and annotations other capabilities read (the explicit id conversion gives a
heading).  :meth:`PageModel.text` applies every contribution to the body as
written, so positions and ``file:line`` in messages always refer to the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .convert import markup
from .directives import Directive, find
from .errors import Problem
from .mdsource import SourceText, body_start, replace_spans


@dataclass
class PageModel:
    """One page file as written, and the replacements the capabilities make in it."""

    source: SourceText  # the Markdown body as MkDocs read it, positioned in its file
    file_text: str  # the whole file, front matter included
    directives: list[Directive] = field(default_factory=list)
    # File line of a heading → the explicit id a capability gave it (in every script).
    heading_ids: dict[int, str] = field(default_factory=dict)
    _edits: list[tuple[int, int, str]] = field(default_factory=list)
    _text: str | None = None  # the body with every edit applied, once computed
    _markup: tuple[list[markup.Markup], list[Problem]] | None = None

    @classmethod
    def read(cls, body: str, file_text: str, shown_path: str) -> PageModel:
        """The model of a page whose file holds ``file_text`` and whose body is ``body``.

        ``body`` is the Markdown MkDocs gives the plugins (front matter removed);
        its first line's number in the file comes from the file itself.
        """
        normalised = file_text.replace("\r\n", "\n").replace("\r", "\n")
        first_line = normalised[:body_start(normalised)].count("\n") + 1
        stripped, tail = normalised.rstrip(), body.rstrip()
        if tail and stripped.endswith(tail):  # the body as the file has it (trailing lines differ)
            first_line = stripped[: len(stripped) - len(tail)].count("\n") + 1
        source = SourceText(body, shown_path, first_line)
        return cls(source, file_text, find(source))

    def again(self) -> PageModel:
        """A model of the same page as written, with no contributions yet.

        The other languages' builds of a page start from the same Markdown: they
        share its line map, code ranges, directives and markup (never changed
        once made) instead of parsing it again.
        """
        return PageModel(self.source, self.file_text, self.directives, _markup=self._markup)

    @property
    def path(self) -> str:
        return self.source.path

    @property
    def markup(self) -> tuple[list[markup.Markup], list[Problem]]:
        """The page's -{…}- conversion markup, and a problem for each malformed one."""
        if self._markup is None:
            self._markup = markup.scan(self.source)
        return self._markup

    def directives_named(self, names: set[str]) -> list[Directive]:
        return [d for d in self.directives if d.name in names]

    def replace(self, start: int, end: int, new: str) -> None:
        """Replace the body's ``[start, end)`` as written by ``new`` (spans never overlap)."""
        self._edits.append((start, end, new))
        self._text = None

    def insert(self, at: int, new: str) -> None:
        self.replace(at, at, new)

    def text(self) -> str:
        """The body with every contribution so far applied."""
        if self._text is None:
            self._text = replace_spans(self.source.text, self._edits)
        return self._text

    def front_matter_line(self, key: str) -> int | None:
        """The file line of a front-matter key (for messages about it)."""
        fenced = self.file_text.startswith("---")
        for number, line in enumerate(self.file_text.splitlines(), 1):
            if line.startswith(f"{key}:"):
                return number
            # The header ends at its closing '---' (or, unfenced, at the first blank
            # line): a 'title:' line further down is the page's text.
            if (fenced and number > 1 and line.strip() == "---") or \
                    (not fenced and not line.strip()):
                break
        return None

    def first_line_with(self, needle: str) -> int | None:
        """The first file line that holds ``needle`` (for problems found in the HTML)."""
        for number, line in enumerate(self.file_text.splitlines(), 1):
            if needle in line:
                return number
        return None
