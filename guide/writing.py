"""The write step: rendered documents drawn once per kind of file, filled per output, written in place.

`FILE_KINDS` says, for each kind of file, what draws a document with empty fields
and what fills values into that drawing. A roster's packets for one level share one
document, so they are drawn once and filled row by row; with several jobs, drawing,
filling and writing run in worker processes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from guide.errors import GuideError
from guide.files import write_atomic
from guide.model import Document, FormField, Metadata, has_contents, walk
from guide.theme import Theme
from guide.workers import Promise, Workers

T = TypeVar("T")


@dataclass(frozen=True)
class Output:
    """A rendered document, the files to write it to, and the values its fields are filled with.

    `document`'s own fields are empty: it is drawn once however many outputs share it.
    """

    document: Document
    files: tuple[Path, ...]
    values: tuple[FormField, ...] = ()


@dataclass(frozen=True)
class Drawing:
    """A document drawn with empty fields: the file's bytes, and its page count where the writer knows it."""

    data: bytes
    pages: int | None = None
    contents_pages: tuple[int, ...] = ()
    """The page each heading its contents list starts on, where the writer lays pages out (PDFs)."""


@dataclass(frozen=True)
class Written:
    """A file in place: its path, and its page count where its writer knew it (PDFs)."""

    path: Path
    pages: int | None


Draw = Callable[[Document, Theme, str, "tuple[int, ...] | None"], Drawing]
"""What draws a document with empty fields: a PDF's form font also holds the characters of the text
given; a Word file's contents show the pages given, its PDF twin's, or lays the twin out for them."""
Fill = Callable[[bytes, list[FormField], Theme, Metadata], bytes]


def _draw_pdf(document: Document, theme: Theme, typed: str, _pages: tuple[int, ...] | None) -> Drawing:
    from guide.writers.pdf import draw_pdf

    drawn = draw_pdf(document, theme, (typed,))
    return Drawing(drawn.data, drawn.pages, drawn.contents_pages)


def _draw_word(document: Document, theme: Theme, _typed: str, pages: tuple[int, ...] | None) -> Drawing:
    from guide.writers.pdf.pagination import contents_pages
    from guide.writers.word import write_docx

    # the Word contents shows the pages of the PDF twin, which has the same pages and breaks
    shown = contents_pages(document, theme) if pages is None else pages
    return Drawing(write_docx(document, theme, contents_pages=shown))


def _as_template(data: bytes) -> bytes:
    from guide.writers.word.package import as_template

    return as_template(data)


def _fill_pdf(data: bytes, values: list[FormField], theme: Theme, meta: Metadata) -> bytes:
    from guide.writers.pdf import fill_pdf

    return fill_pdf(data, values, theme, meta)


def _fill_word(data: bytes, values: list[FormField], _theme: Theme, meta: Metadata) -> bytes:
    from guide.writers.word import fill_docx

    return fill_docx(data, values, meta)


@dataclass(frozen=True)
class FileKind:
    """What draws a document into one kind of file, and what fills values into that drawing.

    Kinds drawn alike share one drawing (`drawn_as`), which `made` turns into the kind's own.
    """

    draw: Draw
    fill: Fill
    drawn_as: str
    made: Callable[[bytes], bytes] | None = None


FILE_KINDS: dict[str, FileKind] = {
    ".pdf": FileKind(_draw_pdf, _fill_pdf, ".pdf"),
    ".docx": FileKind(_draw_word, _fill_word, ".docx"),
    ".dotx": FileKind(_draw_word, _fill_word, ".docx", _as_template),  # a .docx typed as a template
}
"""Each kind of file guide writes, by its ending. Writers are imported when first drawn with."""


PARALLEL_FROM = 12
"""Less work than this many drawings and batches is done in one process: starting workers costs more."""

BLOCKS_PER_DRAWING = 300
"""About a handbook's blocks: a drawing of a few tenths of a second. A document of many times this
many (a committee pack of a thousand candidates) counts as that many drawings of work."""

FILL_BATCH = 32
"""Files filled and written by one task: few enough to spread a roster over the workers."""

Filling = tuple[Path, tuple[FormField, ...]]
"""A file to write, and the values to fill into its document's drawing (none: the drawing as is)."""


def write(outputs: list[Output], theme: Theme, jobs: int = 1) -> Iterator[Written]:
    """Write every file of `outputs`, yielding each once it is in place, in the order of `outputs`.

    Each document is drawn once per kind of file, with its fields empty; the files
    of outputs with values are copies of that drawing with the values filled in. With
    `jobs` above 1, drawing, filling and writing run in that many processes, when
    there is enough work to repay starting them. Raises GuideError for a file that
    cannot be written (a read-only folder, a full disk).
    """
    return reporting_errors(_written(outputs, theme, jobs))


def reporting_errors(written: Iterator[T]) -> Iterator[T]:
    """Yield what `written` yields; raise GuideError for a file it cannot write (read-only, a full disk)."""
    try:
        yield from written
    except OSError as error:
        where = error.filename or "output"
        raise GuideError(f"{where}: cannot write: {error.strerror or error}") from None


def _written(outputs: list[Output], theme: Theme, jobs: int) -> Iterator[Written]:
    groups: dict[Key, Group] = {}
    for output in outputs:
        for path in output.files:
            drawn_as = FILE_KINDS[path.suffix].drawn_as
            key = (id(output.document), drawn_as)  # outputs of a roster share the document itself
            groups.setdefault(key, (output.document, drawn_as, []))[2].append((path, output.values))
    work = sum(1 + _blocks(document) // BLOCKS_PER_DRAWING for document, _, _ in groups.values())
    with Workers(jobs if work + len(outputs) // FILL_BATCH >= PARALLEL_FROM else 1) as workers:
        drawings = _Drawings(workers, groups, theme)
        batches: list[tuple[Promise[list[Path]], int | None]] = []
        for key, (document, _, fillings) in groups.items():
            drawing = drawings.result(key)
            for start in range(0, len(fillings), FILL_BATCH):
                part = fillings[start : start + FILL_BATCH]
                promised = workers.run(_fill_and_write, drawing.data, theme, document.meta, part)
                batches.append((promised, drawing.pages))
            while batches and batches[0][0].done():
                yield from _each_written(*batches.pop(0))
        for batch in batches:
            yield from _each_written(*batch)


def _blocks(document: Document) -> int:
    return sum(1 for _ in walk(document.blocks))


Key = tuple[int, str]
"""A drawing: its document's identity, and the kind of file it is drawn as."""

Group = tuple[Document, str, list["Filling"]]
"""A drawing's document and kind, and the files made from it."""


class _Drawings:
    """Every group's drawing, started at once; a Word file whose contents show its PDF twin's pages
    is started once the twin is drawn, so that the document is laid out once."""

    def __init__(self, workers: Workers, groups: dict[Key, Group], theme: Theme) -> None:
        self.workers, self.groups, self.theme = workers, groups, theme
        self.waiting = {key for key, (document, kind, _) in groups.items() if self._twin_of(key) in groups
                        and kind == ".docx" and has_contents(document)}  # fmt: skip
        self.started = {key: self._start(key, None) for key in groups if key not in self.waiting}

    def result(self, key: Key) -> Drawing:
        """Return the drawing of `key`, once done; start the Word files whose twins are done by then."""
        if key in self.waiting:
            self._start_waiting(key)
        drawing = self.started[key].result()
        for waiting in [k for k in self.waiting if self.started[self._twin_of(k)].done()]:
            self._start_waiting(waiting)
        return drawing

    def _start_waiting(self, key: Key) -> None:
        self.waiting.remove(key)
        self.started[key] = self._start(key, self.started[self._twin_of(key)].result().contents_pages)

    def _start(self, key: Key, pages: tuple[int, ...] | None) -> Promise[Drawing]:
        document, kind, fillings = self.groups[key]
        return self.workers.run(_draw, document, kind, self.theme, _typed(fillings), pages)

    @staticmethod
    def _twin_of(key: Key) -> Key:
        return key[0], ".pdf"


def _each_written(batch: Promise[list[Path]], pages: int | None) -> Iterator[Written]:
    for path in batch.result():
        yield Written(path, pages)


def _typed(fillings: list[Filling]) -> str:
    """Return the distinct characters of every value to be filled into a drawing, as one text.

    A roster's packets for a level share one drawing, so its form font holds every row's
    characters: each row's values then survive a viewer redrawing its fields.
    """
    return "".join(sorted({c for _, values in fillings for field in values for c in field.value}))


def _draw(document: Document, kind: str, theme: Theme, typed: str, pages: tuple[int, ...] | None) -> Drawing:
    """Draw `document` with empty fields as a file of `kind` (see `Draw`)."""
    return FILE_KINDS[kind].draw(document, theme, typed, pages)


def _fill_and_write(data: bytes, theme: Theme, meta: Metadata, fillings: list[Filling]) -> list[Path]:
    """Write each file of `fillings`: the drawing `data` of a document described by `meta`, filled in."""
    for path, values in fillings:
        kind = FILE_KINDS[path.suffix]
        made = data if kind.made is None else kind.made(data)
        write_atomic(path, kind.fill(made, list(values), theme, meta) if values else made)
    return [path for path, _ in fillings]
