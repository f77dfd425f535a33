"""What the command line tells its user: results, steps and errors by verbosity, colour, a closing summary.

Results (files written, `ok` lines) go to stdout, everything else to stderr, so that
`guide build | xargs ...` reads paths only. Colour is for terminals: never with
NO_COLOR set (https://no-color.org), always with FORCE_COLOR set, else only when the
stream is a terminal.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from guide.errors import printable

if TYPE_CHECKING:
    from guide.writing import Written

QUIET, NORMAL, VERBOSE = 0, 1, 2
"""Verbosity: errors only; results and, on a terminal, a summary; also every step with its time."""

RED, GREEN = "31", "32"

ERASE_LINE = "\x1b[2K\r"
"""Clears the terminal line the cursor is on, and goes back to its start."""


def wants_colour(stream: TextIO) -> bool:
    """Return True if text for `stream` should be coloured, as NO_COLOR, FORCE_COLOR and the stream say."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return stream.isatty()


def coloured(text: str, colour: str, stream: TextIO) -> str:
    """Return `text` in `colour` (an ANSI code) when `stream` wants colour, else `text` as it is."""
    return f"\x1b[{colour}m{text}\x1b[0m" if wants_colour(stream) else text


def process_started() -> float:
    """Return when this process started, as a `time.perf_counter()` reading.

    Where the system says (Linux, in /proc), that is the moment the process was
    made, so a summary's time takes in Python's start and the imports; elsewhere,
    the moment this module was imported.
    """
    try:
        stat = Path("/proc/self/stat").read_text("ascii")
        started_ticks = int(stat.rsplit(")", 1)[1].split()[19])  # field 22, after the name in brackets
        uptime = float(Path("/proc/uptime").read_text("ascii").split()[0])
        age = uptime - started_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return _IMPORTED
    return time.perf_counter() - max(age, 0.0)


_IMPORTED = time.perf_counter()


class Console:
    """Prints for one command at one verbosity (QUIET, NORMAL or VERBOSE), started at `started`.

    `started` is a `time.perf_counter()` reading, from which the summary's time runs
    (default: now).
    """

    def __init__(self, verbosity: int = NORMAL, started: float | None = None) -> None:
        self.verbosity = verbosity
        self.started = time.perf_counter() if started is None else started

    def result(self, text: str) -> None:
        """Print a result, such as the path of a file written, unless quiet."""
        if self.verbosity >= NORMAL:
            print(printable(text), file=sys.stdout)

    def ok(self, path: Path) -> None:
        """Print that the file at `path` is valid, unless quiet."""
        if self.verbosity >= NORMAL:
            print(f"{coloured('ok', GREEN, sys.stdout)} {printable(str(path))}", file=sys.stdout)

    def step(self, text: str) -> None:
        """Print what is being done, when verbose."""
        if self.verbosity >= VERBOSE:
            print(printable(text), file=sys.stderr)

    def note(self, text: str) -> None:
        """Print what the command is waiting for or doing now, unless quiet."""
        if self.verbosity >= NORMAL:
            print(printable(text), file=sys.stderr, flush=True)

    def error(self, text: str) -> None:
        """Print an error, whatever the verbosity."""
        print(coloured(printable(text), RED, sys.stderr), file=sys.stderr)

    @property
    def shows_summary(self) -> bool:
        """Return True if `summary` prints: on a terminal unless quiet, and always when verbose.

        Piped or captured, stderr holds errors only unless asked for more.
        """
        return self.verbosity >= VERBOSE or (self.verbosity >= NORMAL and sys.stderr.isatty())

    def summary(self, text: str) -> None:
        """Print the closing summary, if it `shows_summary`."""
        if self.shows_summary:
            print(coloured(text, GREEN, sys.stderr), file=sys.stderr)

    @property
    def shows_progress(self) -> bool:
        """Return True if a progress bar and the stage under way are drawn: on a terminal, unless quiet.

        Only when stdout is a terminal too: results that go to a file or a pipe
        are read by a program, and the person is not watching.
        """
        return self.verbosity >= NORMAL and sys.stdout.isatty() and sys.stderr.isatty()

    @contextlib.contextmanager
    def status(self, what: str) -> Iterator[None]:
        """Show `what` on stderr while the block runs, then erase it: where `shows_progress`, and not verbose.

        Verbose output says each stage on a line of its own instead.
        """
        shown = self.shows_progress and self.verbosity < VERBOSE
        if shown:
            sys.stderr.write(f"{printable(what)}\r")
            sys.stderr.flush()
        try:
            yield
        finally:
            if shown:
                sys.stderr.write(ERASE_LINE)
                sys.stderr.flush()

    @contextlib.contextmanager
    def stage(self, what: str) -> Iterator[None]:
        """Time the work done in the block, and print `what` with its time when verbose."""
        started = time.perf_counter()
        yield
        self.step(f"{what} in {time.perf_counter() - started:.2f} s")


class Tally:
    """The files a command wrote, the pages their writers counted (PDFs'), and the time from `started`."""

    def __init__(self, started: float | None = None) -> None:
        self.files = 0
        self.pages = 0
        self.started = time.perf_counter() if started is None else started

    def add(self, file: Written) -> None:
        """Count the file just written, and its pages where its writer counted them."""
        self.files += 1
        self.pages += file.pages or 0

    def summary(self) -> str:
        """Return the line that closes a run, as in "wrote 49 files (212 PDF pages) in 3.1 s"."""
        files = f"{self.files:,} file{'' if self.files == 1 else 's'}"
        pages = f" ({self.pages:,} PDF page{'' if self.pages == 1 else 's'})" if self.pages else ""
        return f"wrote {files}{pages} in {time.perf_counter() - self.started:.1f} s"
