"""Reading CSV files as Excel and Google Sheets write them: encoding, delimiter, errors.

Only what any such file needs; what the columns mean is the caller's business.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING

from guide.errors import ContentError, Location
from guide.inputs import UnreadableInput, open_regular, read_bounded

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

DELIMITERS = ",;\t"
MAX_CSV_BYTES = 50_000_000
"""CSV files larger than this are refused before they are read: a roster of 100,000 people is
about 20 MB, so a larger file is some other file by mistake, and every good row is kept in memory."""
MAX_CELL_CHARS = 10_000
"""Cells longer than this are refused: nearly always a quote left open, swallowing the rows after it."""
_SEP_LINE = re.compile(r'^"?sep=(.)"?[,;\t]*$', re.IGNORECASE)
LINE_END = re.compile(r"\r\n|\r|\n")


def header_line(path: Path, file: IO[str]) -> tuple[str, str, int]:
    """Return the header line, its delimiter and the number of lines before it (blank or `sep=`)."""
    skipped, line = _first_filled_line(file, 0)
    match = _SEP_LINE.match(line.rstrip("\r\n"))
    if match:
        if match.group(1) not in DELIMITERS:
            message = f"'{line.strip()}' names a separator guide does not read: use ',', ';' or tab"
            raise ContentError([Location(path, skipped + 1, None, message)])
        skipped, line = _first_filled_line(file, skipped + 1)
    if not line:
        raise ContentError([Location(path, None, None, "file is empty")])
    if "\x00" in line:
        message = "the header holds NUL characters, as UTF-16 text does; save the file as CSV UTF-8"
        raise ContentError([Location(path, skipped + 1, None, message)])
    return line, match.group(1) if match else _delimiter(line), skipped


def _first_filled_line(file: IO[str], skipped: int) -> tuple[int, str]:
    """Return the next line that is not blank ("" at the end) and how many lines came before it."""
    line = file.readline()
    while line and not line.strip():
        skipped += 1
        line = file.readline()
    return skipped, line


def _delimiter(header: str) -> str:
    """Return the delimiter used most in `header`, ',' when none is (csv.Sniffer fails on valid files)."""
    counts = {delimiter: header.count(delimiter) for delimiter in DELIMITERS}
    best = max(counts, key=counts.__getitem__)
    return best if counts[best] else ","


def csv_problem(error: csv.Error) -> str:
    """Return what a csv.Error means for the person who wrote the file."""
    text = str(error)
    if text == "unexpected end of data":
        return "a quote opened in this row is never closed, so the rest of the file was read as one cell"
    if text.startswith("field larger than field limit"):
        reason = f"a cell is longer than {MAX_CELL_CHARS:,} characters, or a quote is never closed"
    elif "expected after" in text:
        reason = 'a quoted cell has text after its closing quote (write a quote inside a cell as "")'
    else:
        reason = f"not readable as CSV ({text})"
    return f"{reason}; the rest of the file was not read"


def not_utf8(path: Path) -> Location:
    """Return the place of the first byte of `path` that is not UTF-8."""
    raw = _read_bytes(path)
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        message = f"not UTF-8 (byte 0x{raw[0]:02x}) but UTF-16, as Excel's 'Unicode Text' writes it"
        message += "; save the file as CSV UTF-8"
        return Location(path, 1, 1, message)
    if _looks_like_utf16(raw):
        message = "not UTF-8 but UTF-16 without a byte order mark (a NUL byte beside every letter)"
        return Location(path, 1, 1, message + "; save the file as CSV UTF-8")
    start = _first_bad_byte(raw)
    lines = LINE_END.split(raw[:start].decode("utf-8-sig"))
    message = f"not UTF-8 (byte 0x{raw[start]:02x}); save the file as CSV UTF-8"
    return Location(path, len(lines), len(lines[-1]) + 1, message)


def _looks_like_utf16(raw: bytes) -> bool:
    """Return whether most bytes at even or at odd places in the start of `raw` are NUL, as in UTF-16.

    UTF-16 of Latin text holds a NUL beside every ASCII letter; no UTF-8 or
    Windows-1252 text does.
    """
    sample = raw[:4096]
    return len(sample) >= 4 and any(half.count(0) * 2 > len(half) for half in (sample[0::2], sample[1::2]))


def _first_bad_byte(raw: bytes) -> int:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return error.start
    raise AssertionError("the file decoded as UTF-8 after all")


def _read_bytes(path: Path) -> bytes:
    try:
        return read_bounded(path, MAX_CSV_BYTES)
    except UnreadableInput as error:
        raise ContentError([Location(path, None, None, str(error))]) from None


def open_text(path: Path) -> IO[str]:
    """Return the CSV file at `path` to read as text, line by line: UTF-8, a BOM dropped, line ends kept.

    Raise ContentError unless it is a regular file of at most MAX_CSV_BYTES: a device
    (`/dev/urandom`), a named pipe or a folder is refused before it is opened, so it
    can neither fill the memory nor keep guide waiting. The file is read as a stream,
    never held whole; reading raises UnicodeDecodeError at a byte that is not UTF-8
    (see `not_utf8`), and ContentError should the file grow past the limit meanwhile.
    """
    try:
        handle = open_regular(path, MAX_CSV_BYTES)
    except UnreadableInput as error:
        raise ContentError([Location(path, None, None, str(error))]) from None
    stream = io.BufferedReader(_Bounded(io.FileIO(handle), path, MAX_CSV_BYTES))
    return io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")


class _Bounded(io.RawIOBase):
    """A file read no further than `limit` bytes: reading past them raises ContentError."""

    def __init__(self, file: io.FileIO, path: Path, limit: int) -> None:
        super().__init__()
        self.file, self.path, self.limit, self.done = file, path, limit, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        count = self.file.readinto(buffer) or 0
        self.done += count
        if self.done > self.limit:
            raise ContentError([Location(self.path, None, None, f"is larger than {self.limit:,} bytes")])
        return count

    def close(self) -> None:
        self.file.close()
        super().close()


@contextmanager
def field_limit(limit: int) -> Iterator[None]:
    """Set csv.field_size_limit (one value for the whole process) to `limit` while reading."""
    previous = csv.field_size_limit(limit)
    try:
        yield
    finally:
        csv.field_size_limit(previous)
