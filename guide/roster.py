"""Roster CSV -> Candidates: a packet for every good row, a located problem for every bad one.

The contract is the "Rosters" section of the ladder format. Where it leaves a
choice open, this reader decides:

- Encoding: UTF-8, with or without a byte order mark. Anything else (cp1252,
  UTF-16 with or without a byte order mark) is refused at the line and column
  of the first byte that is not UTF-8, never guessed at.
- Delimiter: an Excel `sep=X` first line names it (and is skipped); otherwise
  it is the most frequent of `,` `;` and tab in the header line (`,` on a tie).
- Every problem names the line where its row starts (a quoted cell may span
  several lines).
- Quotes are parsed strictly, and a space after a separator is skipped. A
  quote left open to the end of the file, text after a closing quote, or a cell
  longer than MAX_CELL_CHARS (nearly always a quote left open, swallowing the
  rows after it) is reported at the line where its row starts, and reading
  stops there: the rows after it cannot be told apart. Rows before it are kept.
- Headers are trimmed and compared without case, with spaces, hyphens, dots
  and underscores read as `_` ("Target level" is `target_level`), and the
  names HR systems export are understood (ALIASES: "Employee Name", "Proposed
  Level"). Any other column is kept, under its header as written (trimmed,
  runs of spaces as one), in each Candidate's `extra`, for layouts to use; the
  reader notes them once. Empty header cells at the end of the line are
  ignored, and so are empty cells under them. A column given twice (also as
  two of its names) or a missing required column refuses the whole file; when
  a line below holds the required columns, the message says to delete the
  title lines above it.
- Blank lines and rows of empty cells are skipped. Cells are trimmed and put in
  Unicode NFC form. A row with fewer cells than the header, or with non-empty
  cells past it, is refused whole.
- Line breaks (CRLF, CR, LF, Excel's in-cell break VT U+000B, and the Unicode
  line and paragraph separators U+2028 and U+2029) are kept, as "\\n", in
  manager, cycle, department and other columns; in the ONE_LINE columns they
  are an error. Other C0 controls, DEL, the C1 controls U+0080-U+009F (the
  trace of text decoded with the wrong code page), U+FFFE and U+FFFF are an
  error in every cell, extra columns' too: Word files cannot hold most of them,
  and PDFs show them as boxes.
- Every problem with a row names the person (or, without a name, the
  employee id), and each column by its header as written.
- Levels match by id, title, short name or code, ignoring case and runs of
  spaces, tried in that order. A code or short name that several levels share
  is refused with their ids, unless (for current_level) only one of them leads
  to the target. The target must be a level some level's `next` holds.
  Without current_level the candidate comes from the one level that leads to
  the target; where several do, current_level must say which.
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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, NoReturn

from guide.csvfile import (
    LINE_END,
    MAX_CELL_CHARS,
    csv_problem,
    field_limit,
    header_line,
    not_utf8,
    open_text,
)
from guide.errors import ContentError, Location
from guide.ladder import Ladder, Level

COLUMNS = {
    "name": True,
    "target_level": True,
    "current_level": False,
    "manager": False,
    "cycle": False,
    "employee_id": False,
    "department": False,
    "skip_level_manager": False,
    "hr_partner": False,
}
"""Each roster column: name -> required."""

ALIASES = {
    "name": ("employee_name", "full_name", "employee_full_name", "candidate", "candidate_name", "worker",
             "worker_name"),
    "target_level": ("proposed_level", "new_level", "target", "promotion_level", "promoted_to", "promote_to",
                     "proposed_job_level", "new_job_level"),
    "current_level": ("level", "job_level", "current_job_level"),
    "manager": ("manager_name", "reports_to", "supervisor", "supervisor_name", "line_manager"),
    "cycle": ("review_cycle", "promotion_cycle", "review_period"),
    "employee_id": ("employee_number", "employee_no", "employee_#", "emp_id", "worker_id", "staff_id"),
    "department": ("dept", "department_name"),
    "skip_level_manager": ("skip_level", "skip_manager", "second_level_manager", "managers_manager"),
    "hr_partner": ("hrbp", "hr_business_partner", "hr_partner_name", "hr_contact", "people_partner"),
}  # fmt: skip
"""Other names of each column, as HR systems (Workday, BambooHR, HiBob) and spreadsheets head them."""

ONE_LINE = ("name", "employee_id", "target_level", "current_level")
"""Columns whose cells may not hold a line break."""

MAX_SLUG_CHARS = 60
MAX_TITLE_LINES = 10
"""How far below a header that lacks required columns to look for the real header."""
MAX_SHOWN_NAME = 40

_COLUMN_OF_KEY = {key: column for column, aliases in ALIASES.items() for key in (column, *aliases)}
_BREAK = re.compile(r"\r\n|[\r\n\x0b\u2028\u2029]")
_CONTROL = re.compile("[\x00-\x08\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_HEADER_SEPARATORS = re.compile(r"[\s._-]+")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_TRANSLITERATION = str.maketrans(
    {"ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L",
     "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "TH", "ı": "i"}
)  # fmt: skip
"""Latin letters that NFKD does not split into an ASCII letter and an accent."""


class ExtraColumns(dict[str, str]):
    """The cells of a row under the columns guide does not know, by header: read-only, hashable.

    A dict, so layouts read it as plain data (`candidate.extra["Start date"]`,
    `candidate.extra.get("Email", "")`); the methods that would change it raise
    TypeError, and as methods of this class (not of dict) the layout sandbox
    does not let layouts call them at all.
    """

    def _read_only(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("a roster row's extra columns cannot be changed")

    __setitem__ = __delitem__ = __ior__ = _read_only
    clear = pop = popitem = setdefault = update = _read_only

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(frozenset(self.items()))

    def __reduce__(self) -> tuple[type[ExtraColumns], tuple[dict[str, str]]]:
        """Rebuild from a plain dict when copied or pickled, never item by item through __setitem__."""
        return type(self), (dict(self),)


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
    extra: ExtraColumns = field(default_factory=ExtraColumns)
    skip_level_manager: str = ""
    hr_partner: str = ""


@dataclass(frozen=True)
class Roster:
    """What a roster file gave: the good rows, a problem for each bad one, and notes on the file."""

    candidates: list[Candidate]
    problems: list[Location]
    notes: list[Location]


def load_roster(path: Path, ladder: Ladder) -> Roster:
    """Return a Candidate for each good row of the roster at `path`, a problem for each bad row, and notes.

    The notes (columns kept for layouts) are for the person running guide, not
    problems. Raises ContentError when the file as a whole is no roster:
    unreadable, not UTF-8, empty, without rows, or with a header that is wrong.
    """
    reader = RosterReader(path, ladder)
    try:
        with field_limit(MAX_CELL_CHARS), open_text(path) as file:
            reader.read(file)
    except UnicodeDecodeError:
        raise ContentError([not_utf8(path)]) from None
    return Roster(reader.candidates, reader.problems, reader.notes)


def read_roster(path: Path, ladder: Ladder) -> tuple[list[Candidate], list[Location]]:
    """Return the good rows and the problems of the roster at `path`, as `load_roster`, without its notes."""
    roster = load_roster(path, ladder)
    return roster.candidates, roster.problems


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
        self.notes: list[Location] = []
        self.columns: tuple[str, ...] = ()
        """Each column: a name of COLUMNS, or the header as written of a column kept in `extra`."""
        self.headers: dict[str, str] = {}
        """The header as written of each column of COLUMNS the roster has."""
        self.delimiter = ","
        self._person = ""
        self._ids: dict[str, int] = {}
        self._stems: dict[str, int] = {}

    def fail(self, line: int, message: str) -> None:
        """Add a problem at `line`, after the name of the person whose row is being read."""
        self.problems.append(
            Location(self.path, line, None, f"{self._person}: {message}" if self._person else message)
        )

    def shown(self, column: str) -> str:
        """Return `column` as the roster heads it ('Proposed Level'), or its own name if absent."""
        return self.headers.get(column, column)

    def read(self, file: IO[str]) -> None:
        """Read the header and every row of `file`."""
        header, self.delimiter, skipped = header_line(self.path, file)
        rows = csv.reader(
            itertools.chain([header], file), delimiter=self.delimiter, strict=True, skipinitialspace=True
        )
        self.columns = self._columns(rows, skipped)
        count = 0
        for line, cells in self._records(rows, skipped):
            count += 1
            self._row(line, cells)
        if not count and not self.problems:
            raise ContentError([Location(self.path, None, None, "the roster has a header but no rows")])

    def _columns(self, rows: Iterator[list[str]], skipped: int) -> tuple[str, ...]:
        """Return the columns of the header row; raise ContentError if any is wrong."""
        line = skipped + 1
        try:
            cells = next(rows)
        except csv.Error as error:
            raise ContentError([Location(self.path, line, None, csv_problem(error))]) from None
        headers = [_header_text(cell) for cell in cells]
        while headers and not headers[-1]:
            headers.pop()
        columns = [_COLUMN_OF_KEY.get(_header_key(header), header) for header in headers]
        problems = _header_problems(headers, columns)
        if problems:
            header_below = _header_line_below(rows, skipped) if _missing(columns) else None
            if header_below:
                problems = [
                    f"the header is on line {header_below}, not here: delete the title lines above it"
                ]
            raise ContentError([Location(self.path, line, None, message) for message in problems])
        self.headers = {
            column: header for column, header in zip(columns, headers, strict=True) if column in COLUMNS
        }
        self._note_extra_columns(line, [column for column in columns if column not in COLUMNS])
        return tuple(columns)

    def _note_extra_columns(self, line: int, extra: list[str]) -> None:
        if not extra:
            return
        absent = [column for column in COLUMNS if column not in self.headers]
        shown = ", ".join(f"'{header}'{_nearest_column_hint(header, absent)}" for header in extra)
        message = f"kept for layouts as candidate.extra (the shipped packet does not show them): {shown}"
        self.notes.append(Location(self.path, line, None, message))

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
        self._person = self._person_of(cells)
        try:
            self._read_row(line, cells)
        finally:
            self._person = ""

    def _read_row(self, line: int, cells: list[str]) -> None:
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

    def _person_of(self, cells: list[str]) -> str:
        """Return who the row is about, for its messages: the name, else the employee id, else ""."""
        by_column = dict(zip(self.columns, cells, strict=False))
        name = _shown_text(by_column.get("name", ""))
        employee_id = _shown_text(by_column.get("employee_id", ""))
        return name or (f"{self.shown('employee_id')} {employee_id}" if employee_id else "")

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
                return self.shown(column)
        return None

    def _looks_like_row(self, text: str) -> bool:
        """Return whether `text` has as many delimiters as a row, and a level among its pieces."""
        pieces = text.split(self.delimiter)
        return len(pieces) >= max(2, len(self.columns)) and any(self.levels.matches(p) for p in pieces)

    def _cell(self, line: int, column: str, raw: str) -> str:
        """Return the cell's text, trimmed, in NFC form; report characters it may not hold."""
        control = _CONTROL.search(raw)
        if control:
            self.fail(line, f"control character U+{ord(control.group()):04X} in '{self.shown(column)}'")
        text = raw.strip()
        if column in ONE_LINE and _BREAK.search(text):
            self.fail(line, f"'{self.shown(column)}' holds a line break: it must be one line")
        return unicodedata.normalize("NFC", _BREAK.sub("\n", text))

    def _candidate(self, line: int, values: dict[str, str]) -> Candidate | None:
        name = values["name"]
        if not name:
            self.fail(line, f"'{self.shown('name')}' is empty")
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
            extra=ExtraColumns((column, text) for column, text in values.items() if column not in COLUMNS),
            skip_level_manager=values.get("skip_level_manager", ""),
            hr_partner=values.get("hr_partner", ""),
        )

    def _target(self, line: int, text: str) -> Level | None:
        target = self._level(line, "target_level", text)
        if target and not self.ladder.promoted_from(target.id):
            shown = f"{self.shown('target_level')} '{target.id}' ({target.title})"
            self.fail(line, f"{shown} is not a promotion target: no level leads to it")
            return None
        return target

    def _current(self, line: int, target: Level, text: str) -> Level | None:
        sources = self.ladder.promoted_from(target.id)
        if not text and len(sources) > 1:
            shown = ", ".join(f"'{level.id}'" for level in sources)
            column = self.shown("current_level")
            self.fail(line, f"several levels lead to '{target.id}' ({shown}): say which in '{column}'")
            return None
        if not text:
            return sources[0]
        current = self._level(line, "current_level", text, among=sources)
        if current and current.id not in {level.id for level in sources}:
            shown = " or ".join(f"'{level.id}'" for level in sources)
            message = f"{self.shown('current_level')} '{current.id}' does not lead to '{target.id}'"
            self.fail(line, f"{message}: promotions into {target.title} come from {shown}")
            return None
        return current

    def _level(self, line: int, column: str, text: str, among: Iterable[Level] = ()) -> Level | None:
        """Return the one level `text` names; where it names several, the one of them in `among`."""
        if not text:
            self.fail(line, f"'{self.shown(column)}' is empty")
            return None
        levels = self.levels.matches(text)
        narrowed = [level for level in levels if level in among]
        if len(narrowed) == 1:
            return narrowed[0]
        if len(levels) > 1:
            shown = ", ".join(f"'{level.id}' ({level.title})" for level in levels)
            self.fail(
                line, f"{self.shown(column)} '{text}' could be any of {shown}: give the level's id or title"
            )
            return None
        if not levels:
            self.fail(line, f"unknown {self.shown(column)} '{text}'{self.levels.hint(text)}")
            return None
        return levels[0]

    def _stem(self, line: int, source: str, target: Level | None, from_id: bool) -> str | None:
        """Return the row's file stem, made from `source` (employee_id or name), if no other row has it."""
        if from_id and self._repeated_id(line, source):
            return None
        if not (source and target):
            return None
        stem = f"{file_slug(source)}-{target.id}"
        first = self._stems.setdefault(stem, line)
        if first != line:
            column = self.shown("employee_id")
            hint = "" if from_id else f": give the rows an {column} to tell them apart"
            self.fail(line, f"writes the same file as line {first} ('{stem}'){hint}")
            return None
        return stem

    def _repeated_id(self, line: int, employee_id: str) -> bool:
        first = self._ids.setdefault(employee_id.casefold(), line)
        if first != line:
            self.fail(line, f"{self.shown('employee_id')} '{employee_id}' is already on line {first}")
        return first != line


class _LevelIndex:
    """Finds levels by id, title, short name or code, ignoring case and runs of spaces."""

    def __init__(self, ladder: Ladder) -> None:
        self.ids = [level.id for level in ladder.levels]
        self._kinds: list[dict[str, list[Level]]] = []
        for attribute in ("id", "title", "short", "code"):
            kind: dict[str, list[Level]] = {}
            for level in ladder.levels:
                if getattr(level, attribute):
                    kind.setdefault(_level_key(getattr(level, attribute)), []).append(level)
            self._kinds.append(kind)

    def matches(self, text: str) -> list[Level]:
        """Return the levels whose id, title, short name or code `text` is, trying them in that order."""
        key = _level_key(text)
        return next((kind[key] for kind in self._kinds if key in kind), [])

    def hint(self, text: str) -> str:
        """Return ": did you mean ...?" for the nearest level, or the list of level ids."""
        keys = {key: levels[0] for kind in reversed(self._kinds) for key, levels in kind.items()}
        close = difflib.get_close_matches(_level_key(text), list(keys), n=1, cutoff=0.6)
        if close:
            level = keys[close[0]]
            return f": did you mean '{level.id}' ({level.title})?"
        return f" (levels: {', '.join(self.ids)})"


def _level_key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _header_text(cell: str) -> str:
    """Return a header cell as a column's name in `extra`: trimmed, in NFC, runs of spaces as one."""
    return unicodedata.normalize("NFC", " ".join(cell.split()))


def _header_key(header: str) -> str:
    """Return `header` as compared with the names of COLUMNS and ALIASES: "Employee-ID" is `employee_id`."""
    return _HEADER_SEPARATORS.sub("_", header.casefold()).strip("_")


def _shown_text(cell: str) -> str:
    """Return a cell as a message may show it: one line, no control characters, not too long."""
    text = " ".join(_CONTROL.sub("", _BREAK.sub(" ", cell)).split())
    return text if len(text) <= MAX_SHOWN_NAME else text[: MAX_SHOWN_NAME - 1] + "…"


def _missing(columns: list[str]) -> list[str]:
    return [column for column, required in COLUMNS.items() if required and column not in columns]


def _header_problems(headers: list[str], columns: list[str]) -> list[str]:
    """Return what is wrong with the header: empty and repeated columns, and missing required ones."""
    problems = []
    seen: dict[str, int] = {}
    for number, (header, column) in enumerate(zip(headers, columns, strict=True), 1):
        first = seen.setdefault(column, number)
        if not header:
            problems.append(f"column {number} has no header")
        elif first != number:
            problems.append(_repeated_column(column, first, number, headers))
    extra = [
        header for header, column in zip(headers, columns, strict=True) if column not in COLUMNS and header
    ]
    for column in _missing(columns):
        problems.append(f"missing required column '{column}'{_nearest_header_hint(column, extra)}")
    return problems


def _repeated_column(column: str, first: int, number: int, headers: list[str]) -> str:
    """Return the message for `column` headed twice, naming both headers when they differ."""
    message = f"column '{column}' appears twice: columns {first} and {number}"
    earlier, later = headers[first - 1], headers[number - 1]
    if _header_key(earlier) == _header_key(later):
        return message
    return f"{message} ('{earlier}' and '{later}' both mean '{column}'): delete one or rename it"


def _nearest_header_hint(column: str, headers: list[str]) -> str:
    """Return " (is 'nmae' it? ...)" for the header nearest to the missing `column`, or ""."""
    keys = {_header_key(header): header for header in headers}
    close = difflib.get_close_matches(column, list(keys), n=1, cutoff=0.6)
    return f" (is '{keys[close[0]]}' it? then head it '{column}')" if close else ""


def _nearest_column_hint(header: str, columns: list[str]) -> str:
    """Return " (did you mean 'manager'?)" for the column among `columns` nearest to `header`, or ""."""
    names = {name: column for column in columns for name in (column, *ALIASES[column])}
    close = difflib.get_close_matches(_header_key(header), list(names), n=1, cutoff=0.8)
    return f" (did you mean '{names[close[0]]}'?)" if close else ""


def _header_line_below(rows: Iterator[list[str]], skipped: int) -> int | None:
    """Return the line of a row below, within MAX_TITLE_LINES, that holds every required column."""
    try:
        for cells in itertools.islice(rows, MAX_TITLE_LINES):
            columns = [_COLUMN_OF_KEY.get(_header_key(_header_text(cell)), "") for cell in cells]
            if not _missing(columns):
                return skipped + rows.line_num  # type: ignore[attr-defined]
    except csv.Error:
        pass  # no header below that can be read: the header's own problems say enough
    return None
