"""Reading input files with a bound: regular files only, never more than a limit.

Every file a user names or commits (a ladder, a theme, a font, a logo, a roster, a
reference document) is read through `read_bounded`. A device (`/dev/zero`), a
named pipe or a directory is refused before a byte is read, and a file larger than
its limit is refused by its size, so no input can fill the memory or block for ever.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

_CHUNK = 1 << 20


class UnreadableInput(ValueError):
    """Why an input file cannot be read, in words to follow its name ("is a directory")."""


def read_bounded(path: Path, limit: int) -> bytes:
    """Return the bytes of the regular file at `path`; raise UnreadableInput if it is none or too large.

    The read stops one byte past `limit`, so a file that grows while it is read is
    refused too (see `open_regular`).
    """
    handle = open_regular(path, limit)
    with os.fdopen(handle, "rb") as file:
        try:
            data = _read_up_to(file, limit + 1)
        except OSError as error:
            raise UnreadableInput(_unreadable(error)) from None
    if len(data) > limit:
        raise UnreadableInput(f"is larger than {limit:,} bytes")
    return data


def open_regular(path: Path, limit: int) -> int:
    """Return a descriptor of the regular file at `path`, open for reading; raise UnreadableInput if not.

    The file is opened without blocking (a named pipe with no writer would wait for
    ever) and looked at before a byte is read: a device, a pipe, a folder or a file
    larger than `limit` is refused.
    """
    try:
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        raise UnreadableInput(_unreadable(error)) from None
    status = os.fstat(handle)
    problem = _not_a_file(status.st_mode) if not stat.S_ISREG(status.st_mode) else None
    if problem is None and status.st_size > limit:
        problem = f"is larger than {limit:,} bytes"
    if problem is not None:
        os.close(handle)
        raise UnreadableInput(problem)
    return handle


def _read_up_to(file: BinaryIO, most: int) -> bytes:
    """Return the bytes of `file` up to its end or `most` bytes, in chunks: no buffer of `most` is made."""
    chunks, size = [], 0
    while size < most and (chunk := file.read(min(_CHUNK, most - size))):
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def check_regular_file(path: Path) -> None:
    """Raise UnreadableInput unless `path` is a regular file (or a link to one) that exists."""
    try:
        mode = path.stat().st_mode
    except OSError as error:
        raise UnreadableInput(_unreadable(error)) from None
    if not stat.S_ISREG(mode):
        raise UnreadableInput(_not_a_file(mode))


def _not_a_file(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    if stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode):
        return "is a pipe or a socket, not a file"
    return "is a device, not a file"


def _unreadable(error: OSError) -> str:
    if isinstance(error, FileNotFoundError):
        return "does not exist"
    if isinstance(error, IsADirectoryError):
        return "is a folder, not a file"
    return f"cannot be read: {error.strerror}"
