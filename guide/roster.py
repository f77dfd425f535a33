"""Roster CSV -> Candidates: a packet for every good row, a located problem for every bad one.

The contract is the "Rosters" section of the ladder format. Where it leaves a
choice open, this reader decides:

- Encoding: UTF-8, with or without a byte order mark. Anything else (cp1252,
  UTF-16) is refused at the line and column of the first byte that is not
  UTF-8, never guessed at.
- Delimiter: an Excel `sep=X` first line names it (and is skipped); otherwise
  it is the most frequent of `,` `;` and tab in the header line (`,` on a tie).
- Every problem names the line where its row starts (a quoted cell may span
  several lines).
- Quotes are parsed strictly, and a space after a separator is skipped. A
  quote left open to the end of the file, text after a closing quote, or a cell
  longer than MAX_CELL_CHARS (nearly always a quote left open, swallowing the
  rows after it) is reported at the line where its row starts, and reading
  stops there: the rows after it cannot be told apart. Rows before it are kept.
- Headers are trimmed and compared without case, with spaces and hyphens read
  as `_` ("Target level" is `target_level`). Empty header cells at the end of
  the line are ignored, and so are empty cells under them. An unknown,
  repeated or missing required column refuses the whole file.
- Blank lines and rows of empty cells are skipped. Cells are trimmed and put in
  Unicode NFC form. A row with fewer cells than the header, or with non-empty
  cells past it, is refused whole.
- Line breaks (CRLF, CR, LF, and Excel's in-cell break VT U+000B) are kept, as
  "\\n", in manager, cycle and department; in the ONE_LINE columns they are an
  error. Other C0 controls, DEL, the C1 controls U+0080-U+009F (the trace of
  text decoded with the wrong code page), U+FFFE and U+FFFF are an error in
  every cell: Word files cannot hold most of them, and PDFs show them as boxes.
- Levels match by id or title, ignoring case and runs of spaces. The target
  must be a level some level's `next` holds. Without current_level the
  candidate comes from the one level that leads to the target; where several
  do, current_level must say which.
- File stems are `<slug>-<target level id>`, the slug made from employee_id
  when there is one, else from the name (see `file_slug`). A stem holds only
  `a-z`, `0-9` and `-`, so never `/`, `\\` or a dot, and as it always ends in
  `-<level id>` it is never a Windows reserved name such as CON or NUL.
- Two rows with the same employee_id (ignoring case), or with the same stem,
  are an error for the later row, naming the earlier one's line, which is kept.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import itertools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from guide.csvfile import (
    LINE_END,
    MAX_CELL_CHARS,
    csv_problem,
    field_limit,
    header_line,
    not_utf8,
    open_text,
)
from guide.errors import ContentError, Location, unknown_name_message
from guide.ladder import Ladder, Level

COLUMNS = {
    "name": True,
    "target_level": True,
    "current_level": False,
    "manager": False,
    "cycle": False,
    "employee_id": False,
    "department": False,
}
"""Each roster column: name -> required."""

ONE_LINE = ("name", "employee_id", "target_level", "current_level")
"""Columns whose cells may not hold a line break."""


MAX_SLUG_CHARS = 60

_BREAK = re.compile(r"\r\n|[\r\n\x0b]")
_CONTROL = re.compile("[\x00-\x08\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_TRANSLITERATION = str.maketrans(
    {"ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L",
     "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "TH", "ı": "i"}
)  # fmt: skip
"""Latin letters that NFKD does not split into an ASCII letter and an accent."""


@dataclass(frozen=True)
class Candidate:
    """One good roster row: who is proposed for which level, and the file stem of their packet."""

    name: str
    target: Level
    current: Level
    manager: str
    cycle: str
    employee_id: str
    department: str
    line: int
    stem: str


def read_roster(path: Path, ladder: Ladder) -> tuple[list[Candidate], list[Location]]:
    """Return a Candidate for each good row of the roster at `path`, and a problem for each bad row.

    Raises ContentError when the file as a whole is no roster: unreadable, not
    UTF-8, empty, without rows, or with a header that is wrong.
    """
    reader = RosterReader(path, ladder)
    try:
        with field_limit(MAX_CELL_CHARS), open_text(path) as file:
            reader.read(file)
    except UnicodeDecodeError:
        raise ContentError([not_utf8(path)]) from None
    return reader.candidates, reader.problems


def file_slug(text: str) -> str:
    """Return `text` as ASCII letters and digits joined by single hyphens, at most MAX_SLUG_CHARS long.

    Accents are dropped ("Zoë" in NFC or NFD form is "zoe"). A longer slug is cut
    and ends in a hash of the whole `text`; text with no Latin letters or digits
    (张伟, "..") becomes `person-` and a hash.
    """
    latin = unicodedata.normalize("NFKD", text.translate(_TRANSLITERATION))
    slug = _NOT_SLUG.sub("-", latin.encode("ascii", "ignore").decode("ascii").lower()).strip("-")
    if len(slug) > MAX_SLUG_CHARS:
        return slug[: MAX_SLUG_CHARS - 9].rstrip("-") + "-" + _digest(text)
    return slug or "person-" + _digest(text)


def _digest(text: str) -> str:
    """Return the first 8 hex digits of the SHA-256 of `text` in NFC form."""
    return hashlib.sha256(unicodedata.normalize("NFC", text).encode("utf-8")).hexdigest()[:8]


class RosterReader:
    """Reads one roster, row by row, keeping the good rows and a problem for each bad one."""

    def __init__(self, path: Path, ladder: Ladder) -> None:
        self.path = path
        self.ladder = ladder
        self.levels = _LevelIndex(ladder)
        self.candidates: list[Candidate] = []
        self.problems: list[Location] = []
        self.columns: tuple[str, ...] = ()
        self.delimiter = ","
        self._ids: dict[str, int] = {}
        self._stems: dict[str, int] = {}

    def fail(self, line: int, message: str) -> None:
        self.problems.append(Location(self.path, line, None, message))

    def read(self, file: IO[str]) -> None:
        """Read the header and every row of `file`."""
        header, self.delimiter, skipped = header_line(self.path, file)
        rows = csv.reader(
            itertools.chain([header], file), delimiter=self.delimiter, strict=True, skipinitialspace=True
        )
        self.columns = self._columns(rows, skipped + 1)
        count = 0
        for line, cells in self._records(rows, skipped):
            count += 1
            self._row(line, cells)
        if not count and not self.problems:
            raise ContentError([Location(self.path, None, None, "the roster has a header but no rows")])

    def _columns(self, rows: Iterator[list[str]], line: int) -> tuple[str, ...]:
        """Return the column names of the header row; raise ContentError if any is wrong."""
        try:
            cells = next(rows)
        except csv.Error as error:
            raise ContentError([Location(self.path, line, None, csv_problem(error))]) from None
        names = [re.sub(r"[\s-]+", "_", cell.strip().casefold()) for cell in cells]
        while names and not names[-1]:
            names.pop()
        problems = _header_problems(names, cells)
        if problems:
            raise ContentError([Location(self.path, line, None, message) for message in problems])
        return tuple(names)

    def _records(self, rows: Iterator[list[str]], skipped: int) -> Iterator[tuple[int, list[str]]]:
        """Yield each non-blank row with the file line it starts on; stop at the first CSV error."""
        while True:
            line = skipped + rows.line_num + 1  # type: ignore[attr-defined]
            try:
                cells = next(rows)
            except StopIteration:
                return
            except csv.Error as error:
                self.fail(line, csv_problem(error))
                return
            if any(cell.strip() for cell in cells):
                yield line, cells

    def _row(self, line: int, cells: list[str]) -> None:
        if not self._whole(line, cells):
            return
        before = len(self.problems)
        values = {
            column: self._cell(line, column, cell)
            for column, cell in zip(self.columns, cells[: len(self.columns)], strict=True)
        }
        candidate = self._candidate(line, values)
        if candidate is not None and len(self.problems) == before:
            self.candidates.append(candidate)

    def _whole(self, line: int, cells: list[str]) -> bool:
        """Return whether the row has a cell for every column and no rows swallowed by a quote."""
        swallowing = self._swallowing_column(cells)
        if swallowing:
            self.fail(
                line, f"'{swallowing}' runs on over lines that look like rows: is a closing quote missing?"
            )
            return False
        shape = f"has {len(cells)} cells, but the header has {len(self.columns)} columns"
        if len(cells) < len(self.columns):
            self.fail(line, shape)
            return False
        if any(cell.strip() for cell in cells[len(self.columns) :]):
            shown = "tab" if self.delimiter == "\t" else f"'{self.delimiter}'"
            self.fail(line, f"{shape} (a value holding {shown} must be in quotes)")
            return False
        return True

    def _swallowing_column(self, cells: list[str]) -> str | None:
        """Return the column of a cell that holds lines looking like rows, taken in by an open quote."""
        for column, cell in zip(self.columns, cells, strict=False):
            if any(self._looks_like_row(text) for text in LINE_END.split(cell)[1:]):
                return column
        return None

    def _looks_like_row(self, text: str) -> bool:
        """Return whether `text` has as many delimiters as a row, and a level among its pieces."""
        pieces = text.split(self.delimiter)
        return len(pieces) >= max(2, len(self.columns)) and any(self.levels.find(p) for p in pieces)

    def _cell(self, line: int, column: str, raw: str) -> str:
        """Return the cell's text, trimmed, in NFC form; report characters it may not hold."""
        control = _CONTROL.search(raw)
        if control:
            self.fail(line, f"control character U+{ord(control.group()):04X} in '{column}'")
        text = raw.strip()
        if column in ONE_LINE and _BREAK.search(text):
            self.fail(line, f"'{column}' holds a line break: it must be one line")
        return unicodedata.normalize("NFC", _BREAK.sub("\n", text))

    def _candidate(self, line: int, values: dict[str, str]) -> Candidate | None:
        name = values["name"]
        if not name:
            self.fail(line, "'name' is empty")
        target = self._target(line, values["target_level"])
        current = self._current(line, target, values.get("current_level", "")) if target else None
        employee_id = values.get("employee_id", "")
        stem = self._stem(line, employee_id or name, target, bool(employee_id))
        if not (name and target and current and stem):
            return None
        return Candidate(
            name=name,
            target=target,
            current=current,
            manager=values.get("manager", ""),
            cycle=values.get("cycle", ""),
            employee_id=employee_id,
            department=values.get("department", ""),
            line=line,
            stem=stem,
        )

    def _target(self, line: int, text: str) -> Level | None:
        target = self._level(line, "target_level", text)
        if target and not self.ladder.promoted_from(target.id):
            shown = f"target_level '{target.id}' ({target.title})"
            self.fail(line, f"{shown} is not a promotion target: no level leads to it")
            return None
        return target

    def _current(self, line: int, target: Level, text: str) -> Level | None:
        sources = self.ladder.promoted_from(target.id)
        if not text and len(sources) > 1:
            shown = ", ".join(f"'{level.id}'" for level in sources)
            self.fail(line, f"several levels lead to '{target.id}' ({shown}): say which in 'current_level'")
            return None
        if not text:
            return sources[0]
        current = self._level(line, "current_level", text)
        if current and current.id not in {level.id for level in sources}:
            shown = " or ".join(f"'{level.id}'" for level in sources)
            message = f"current_level '{current.id}' does not lead to '{target.id}'"
            self.fail(line, f"{message}: promotions into {target.title} come from {shown}")
            return None
        return current

    def _level(self, line: int, column: str, text: str) -> Level | None:
        if not text:
            self.fail(line, f"'{column}' is empty")
            return None
        level = self.levels.find(text)
        if level is None:
            self.fail(line, f"unknown {column} '{text}'{self.levels.hint(text)}")
        return level

    def _stem(self, line: int, source: str, target: Level | None, from_id: bool) -> str | None:
        """Return the row's file stem, made from `source` (employee_id or name), if no other row has it."""
        if from_id and self._repeated_id(line, source):
            return None
        if not (source and target):
            return None
        stem = f"{file_slug(source)}-{target.id}"
        first = self._stems.setdefault(stem, line)
        if first != line:
            hint = "" if from_id else ": give the rows an employee_id to tell them apart"
            self.fail(line, f"writes the same file as line {first} ('{stem}'){hint}")
            return None
        return stem

    def _repeated_id(self, line: int, employee_id: str) -> bool:
        first = self._ids.setdefault(employee_id.casefold(), line)
        if first != line:
            self.fail(line, f"employee_id '{employee_id}' is already on line {first}")
        return first != line


class _LevelIndex:
    """Finds a level by id or title, ignoring case and runs of spaces."""

    def __init__(self, ladder: Ladder) -> None:
        self.ids = [level.id for level in ladder.levels]
        self._by_key: dict[str, Level] = {}
        for level in ladder.levels:
            self._by_key.setdefault(_level_key(level.id), level)
        for level in ladder.levels:
            self._by_key.setdefault(_level_key(level.title), level)

    def find(self, text: str) -> Level | None:
        return self._by_key.get(_level_key(text))

    def hint(self, text: str) -> str:
        """Return ": did you mean ...?" for the nearest level, or the list of level ids."""
        close = difflib.get_close_matches(_level_key(text), list(self._by_key), n=1, cutoff=0.6)
        if close:
            level = self._by_key[close[0]]
            return f": did you mean '{level.id}' ({level.title})?"
        return f" (levels: {', '.join(self.ids)})"


def _level_key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _header_problems(names: list[str], cells: list[str]) -> list[str]:
    """Return what is wrong with the header: empty, repeated, unknown and missing columns."""
    problems = []
    seen: dict[str, int] = {}
    for number, name in enumerate(names, 1):
        if not name:
            problems.append(f"column {number} has no header")
        elif name in seen:
            problems.append(f"column '{name}' appears twice: columns {seen[name]} and {number}")
        elif name not in COLUMNS:
            shown = cells[number - 1].strip()
            problems.append(unknown_name_message(f"unknown column '{shown}'", name, COLUMNS, "columns"))
        seen.setdefault(name, number)
    for column, required in COLUMNS.items():
        if required and column not in seen:
            problems.append(f"missing required column '{column}'")
    return problems
