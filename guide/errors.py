"""The one error family users see. Anything else that escapes is a bug, with its traceback."""

from __future__ import annotations

import difflib
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


class GuideError(Exception):
    """A mistake in the user's input; the CLI prints it and exits with status 1."""

    def lines(self) -> list[str]:
        """Return the message as the lines to print on stderr."""
        return str(self).splitlines()


class ContentError(GuideError):
    """Every problem found in one input file (ladder, theme or roster)."""

    def __init__(self, problems: list[Location]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.line or 0, p.col or 0))
        super().__init__("\n".join(str(p) for p in self.problems))


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
