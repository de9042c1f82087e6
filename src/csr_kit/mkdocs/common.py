"""How every csr-kit plugin reports authors' problems."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from mkdocs.exceptions import PluginError

from ..errors import Problem, SourceError, SourceErrors


class Reporter:
    """Logs authors' problems as ``file:line: what — fix`` and stops the build on errors."""

    def __init__(self, logger: logging.Logger):
        self.log = logger
        self.errors = 0

    def reset(self) -> None:
        self.errors = 0

    def report(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            # The record carries the problem itself: the CLI lists it without parsing text.
            extra = {"csr_problem": problem}
            if problem.severity == "error":
                self.errors += 1
                self.log.error(str(problem), extra=extra)
            else:
                self.log.warning(str(problem), extra=extra)

    def capture(self, error: SourceError | SourceErrors) -> None:
        self.report([error.problem] if isinstance(error, SourceError) else error.problems)

    def stop_if_errors(self, what: str) -> None:
        if self.errors:
            count = self.errors
            self.errors = 0
            raise PluginError(f"{count} problem(s) in {what}; each is listed above with its "
                              "file and line.")
