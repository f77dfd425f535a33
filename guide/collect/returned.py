"""A returned file as guide reads it: what it says it is, and the controls it holds, in order."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from guide.collect.limits import MAX_FILE_BYTES, MAX_VALUE_CHARS, Refused

ControlKind = Literal["text", "multiline", "date", "choice", "check"]

FORMATS = (".pdf", ".docx")
"""The files `collect` reads; .dotx and .docm are Word files too, but never a returned form."""


@dataclass(frozen=True)
class Control:
    """One field or content control of a returned file, as found in it.

    `name` is the field's name or the control's tag, `title` its tooltip or title:
    either may be gone after another program saved the file (LibreOffice drops tags).
    """

    name: str
    title: str
    kind: ControlKind
    value: str = ""
    checked: bool = False


@dataclass(frozen=True)
class Returned:
    """A file read: what it says it is (`guide.identity`'s names and values) and its controls."""

    path: Path
    identity: dict[str, str]
    controls: tuple[Control, ...]
    notes: tuple[str, ...] = ()
    """What was odd about reading it, though it was read (a damaged PDF that was repaired)."""


def read_returned(path: Path) -> Returned:
    """Return what the file at `path` holds; raise Refused for a file that cannot be read as a form."""
    from guide.collect import pdfform, wordform  # each reader's library only when its files come

    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise Refused(f"{size:,} bytes, more than the {MAX_FILE_BYTES >> 20} MB a returned form may be")
        with path.open("rb") as file:
            start = file.read(5)
    except OSError as error:
        raise Refused(f"cannot be read ({error.strerror or error})") from None
    if start.startswith(b"%PDF"):
        return _noting_cuts(pdfform.read_pdf(path))
    if start.startswith(b"PK"):
        return _noting_cuts(wordform.read_docx(path))
    raise Refused(f"neither a PDF nor a Word file{_named_as(path)}")


def _noting_cuts(returned: Returned) -> Returned:
    """Return `returned`, saying so if a reader cut an answer at MAX_VALUE_CHARS."""
    if not any(len(control.value) >= MAX_VALUE_CHARS for control in returned.controls):
        return returned
    note = f"an answer over {MAX_VALUE_CHARS:,} characters was cut there"
    return dataclasses.replace(returned, notes=(*returned.notes, note))


def _named_as(path: Path) -> str:
    return f", though named {path.suffix}" if path.suffix.lower() in FORMATS else ""
