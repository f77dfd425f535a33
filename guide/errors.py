"""The one error family users see. Anything else that escapes is a bug, with its traceback."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol


class _Marked(Protocol):
    line: int
    col: int


@dataclass(frozen=True)
class Location:
    """A problem at a place in an input file, printed as `file:line:col: message`."""

    path: Path
    line: int | None
    col: int | None
    message: str

    @classmethod
    def at(cls, path: Path, node: _Marked | None, message: str) -> Location:
        """Return a problem at `node`'s line and column (or at the file when `node` is None)."""
        if node is None:
            return cls(path, None, None, message)
        return cls(path, node.line, node.col, message)

    def __str__(self) -> str:
        where = str(self.path)
        if self.line is not None:
            where += f":{self.line}"
            if self.col is not None:
                where += f":{self.col}"
        return f"{where}: {self.message}"


_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
"""Characters a terminal acts on rather than shows: controls (an escape sequence can clear
the screen or retitle the window), line breaks, and the marks that reorder text on screen."""


def printable(text: str) -> str:
    """Return `text` with every character a terminal would act on shown as an escape (`\\x1b`)."""
    return _UNPRINTABLE.sub(lambda match: match.group().encode("unicode_escape").decode("ascii"), text)


class GuideError(Exception):
    """A mistake in the user's input; the CLI prints it and exits with status 1."""

    def lines(self) -> list[str]:
        """Return the message as the lines to print on stderr, each safe to print on a terminal."""
        return [printable(line) for line in str(self).splitlines()]


class ContentError(GuideError):
    """Every problem found in one input file (ladder, theme or roster)."""

    def __init__(self, problems: list[Location]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.line or 0, p.col or 0))
        super().__init__("\n".join(str(p) for p in self.problems))

    def lines(self) -> list[str]:
        """Return a line per problem: a line break inside a quoted value is shown, not obeyed."""
        return [printable(str(problem)) for problem in self.problems]


class LayoutError(GuideError):
    """A mistake in a layout: `template:line: message`."""


def unknown_name_message(message: str, name: str, known: Iterable[str], listing: str) -> str:
    """Return `message` with the name of `known` nearest to `name` ("did you mean"), or all of them.

    `unknown_name_message("unknown key 'sumary' in level 'pm'", "sumary", keys, "known keys")`
    gives "unknown key 'sumary' in level 'pm': did you mean 'summary'?".
    """
    names = list(known)
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    if close:
        return f"{message}: did you mean '{close[0]}'?"
    return f"{message} ({listing}: {', '.join(names)})"
