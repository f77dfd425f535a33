"""The pipeline, top to bottom: load ladders -> render layouts -> parse markup -> write files.

Everything is loaded, rendered and checked before the first file is written, so
a mistake in any ladder or layout leaves every existing output untouched.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from guide import markup
from guide.content import load_ladder
from guide.errors import ContentError, Location
from guide.files import write_atomic
from guide.ladder import Ladder
from guide.model import Document, FormField, form_fields, without_values
from guide.render import Layouts
from guide.theme import DEFAULT_THEME, Theme, load_theme

if TYPE_CHECKING:
    from guide.roster import Candidate

PRODUCTS = ("handbook", "checklists", "packets")
FORMATS = ("pdf", "docx")


@dataclass(frozen=True)
class Project:
    """A ladder project folder: ladders in `data/`, optional overrides in `layouts/`."""

    root: Path

    @property
    def layouts(self) -> Layouts:
        return Layouts(self.root / "layouts")

    def theme(self) -> Theme:
        own = self.root / "layouts" / "theme.yaml"
        return load_theme(own if own.is_file() else DEFAULT_THEME)

    def ladder_paths(self) -> list[Path]:
        """Return every ladder file in `data/`, sorted by name."""
        data = self.root / "data"
        return sorted(p for p in data.glob("*.y*ml") if p.suffix in (".yaml", ".yml"))


@dataclass(frozen=True)
class Piece:
    """One document to write: the layout that makes it and where its files go."""

    layout: str
    context: dict[str, Any]
    stem: str
    formats: tuple[str, ...]


@dataclass(frozen=True)
class Output:
    """A rendered document and the files to write it to."""

    document: Document
    files: tuple[Path, ...]


def load_ladders(paths: list[Path]) -> list[Ladder]:
    """Return the ladders in `paths`; raise one GuideError listing every problem of every file."""
    ladders, problems = [], []
    for path in paths:
        try:
            ladders.append(load_ladder(path))
        except ContentError as error:
            problems.extend(error.problems)
    _refuse_shared_ids(ladders, problems)
    if problems:
        raise ContentError(problems)
    return ladders


def plan(ladder: Ladder, products: tuple[str, ...], formats: tuple[str, ...]) -> Iterator[Piece]:
    """Yield the pieces of `products` for `ladder`, in `formats` (docx brings the .dotx packets)."""
    word = ("docx",) if "docx" in formats else ()
    pdf = ("pdf",) if "pdf" in formats else ()
    if "handbook" in products:
        yield Piece("handbook.xml.j2", {"ladder": ladder}, "handbook", pdf + word)
    if "checklists" in products:
        for level in ladder.levels:
            context = {"ladder": ladder, "target": level, "sources": ladder.promoted_from(level.id)}
            yield Piece("checklist.xml.j2", context, f"checklists/{level.id}", pdf + word)
    if "packets" in products:
        for level in ladder.promotion_targets():
            context = {
                "ladder": ladder,
                "target": level,
                "sources": ladder.promoted_from(level.id),
                "candidate": None,
            }
            yield Piece("packet.xml.j2", context, f"packets/{level.id}", pdf + word + ("dotx",) * bool(word))


def render(layouts: Layouts, piece: Piece) -> Document:
    """Return the document that `piece`'s layout makes; raise LayoutError at the layout's line."""
    text = layouts.render(piece.layout, piece.context)
    try:
        return markup.parse_document(text)
    except markup.MarkupError as error:
        filename, source = layouts.source(piece.layout)
        raise markup.located(error, filename, source) from None


def prepare(
    project: Project,
    ladders: list[Ladder],
    out_dir: Path,
    products: tuple[str, ...],
    formats: tuple[str, ...],
) -> list[Output]:
    """Render every document of every ladder, writing nothing."""
    if "pdf" in formats:
        check_pdf_glyphs({ladder.source: ladder.texts() for ladder in ladders})
    pieces = [(ladder, piece) for ladder in ladders for piece in plan(ladder, products, formats)]
    return render_pieces(project, pieces, out_dir)


def prepare_roster(
    project: Project, ladder: Ladder, roster: Path, candidates: list[Candidate], out_dir: Path,
    formats: tuple[str, ...],
) -> list[Output]:  # fmt: skip
    """Render a filled packet for every candidate of the roster, writing nothing."""
    if "pdf" in formats:
        filled = (
            text for c in candidates for text in (c.name, c.manager, c.cycle, c.employee_id, c.department)
        )
        check_pdf_glyphs({ladder.source: ladder.texts(), roster: filled})
    pieces = [(ladder, piece) for piece in plan_roster(ladder, candidates, formats)]
    return render_pieces(project, pieces, out_dir)


def plan_roster(ladder: Ladder, candidates: list[Candidate], formats: tuple[str, ...]) -> Iterator[Piece]:
    """Yield one packet per candidate, its fields filled from the roster row."""
    for candidate in candidates:
        context = {"ladder": ladder, "target": candidate.target, "sources": (candidate.current,),
                   "candidate": candidate}  # fmt: skip
        yield Piece("packet.xml.j2", context, f"roster/{candidate.stem}", formats)


def render_pieces(project: Project, pieces: list[tuple[Ladder, Piece]], out_dir: Path) -> list[Output]:
    """Return every piece rendered into a document, with the paths it is to be written to."""
    layouts = project.layouts
    outputs = []
    for ladder, piece in pieces:
        folder = out_dir / ladder.id
        files = tuple(folder / f"{piece.stem}.{extension}" for extension in piece.formats)
        outputs.append(Output(render(layouts, piece), files))
    return outputs


def check_pdf_glyphs(texts: dict[Path, Iterable[str]]) -> None:
    """Raise ContentError at each place in an input file that holds a character PDFs cannot show."""
    from guide.writers.pdf.fonts import unsupported_characters

    problems = []
    for path, file_texts in texts.items():
        unsupported = set(unsupported_characters("".join(file_texts)))
        if unsupported:
            problems.extend(_places_of(path, unsupported))
    if problems:
        raise ContentError(problems)


def _places_of(path: Path, characters: set[str]) -> Iterator[Location]:
    """Yield the place of every run of `characters` in the file at `path`."""
    runs = re.compile("[" + "".join(re.escape(c) for c in sorted(characters)) + "]+")
    text = path.read_bytes().decode("utf-8-sig")
    for number, line in enumerate(text.splitlines(), 1):
        for run in runs.finditer(line):
            codes = " ".join(f"U+{ord(c):04X}" for c in dict.fromkeys(run.group()))
            message = f"PDFs cannot show '{run.group()}' ({codes}): none of the fonts guide embeds has it"
            yield Location(path, number, run.start() + 1, message)


def write(outputs: list[Output], theme: Theme, jobs: int = 1) -> Iterator[Path]:
    """Write every file of `outputs`, in order, yielding each path once it is in place.

    With `jobs` above 1 the files are drawn in that many processes (the parent
    writes them), when there are enough files to repay starting the processes.
    """
    tasks = [(path, output.document) for output in outputs for path in output.files]
    if jobs > 1 and len(tasks) >= PARALLEL_FROM:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            contents = pool.map(_file_bytes, tasks, itertools.repeat(theme), chunksize=4)
            yield from _write_each(tasks, contents)
    else:
        yield from _write_each(tasks, (_file_bytes(task, theme) for task in tasks))


PARALLEL_FROM = 12
"""Fewer files than this are written in one process: starting workers would cost more."""


def _write_each(tasks: list[tuple[Path, Document]], contents: Iterable[bytes]) -> Iterator[Path]:
    for (path, _), data in zip(tasks, contents, strict=True):
        write_atomic(path, data)
        yield path


def _file_bytes(task: tuple[Path, Document], theme: Theme) -> bytes:
    """Return the bytes of one file: the document drawn by the writer its ending names.

    A document with filled fields is its empty twin, drawn once and kept, with the
    values filled in: a roster's packets cost one drawing per level, not per row.
    """
    path, document = task
    fields = form_fields(document)
    if not fields:
        return _writer(path.suffix)(document, theme)
    return _filler(path.suffix)(_empty_file(without_values(document), theme, path.suffix), fields)


@functools.lru_cache(maxsize=32)
def _empty_file(document: Document, theme: Theme, suffix: str) -> bytes:
    return _writer(suffix)(document, theme)


def _writer(suffix: str) -> Callable[[Document, Theme], bytes]:
    """Return the writer for a file ending; imported here, when a file of that kind is written."""
    if suffix == ".pdf":
        from guide.writers.pdf import write_pdf

        return write_pdf
    from guide.writers.word import write_docx

    if suffix == ".dotx":
        return lambda document, theme: write_docx(document, theme, template=True)
    return write_docx


def _filler(suffix: str) -> Callable[[bytes, list[FormField]], bytes]:
    """Return what fills values into a file of that ending drawn with empty fields."""
    if suffix == ".pdf":
        from guide.writers.pdf import fill_pdf

        return fill_pdf
    from guide.writers.word import fill_docx

    return fill_docx


def _refuse_shared_ids(ladders: list[Ladder], problems: list[Location]) -> None:
    first: dict[str, Path] = {}
    for ladder in ladders:
        if ladder.id in first:
            message = f"ladder id '{ladder.id}' is also used by {first[ladder.id]}: outputs would collide"
            problems.append(Location(ladder.source, None, None, message))
        first.setdefault(ladder.id, ladder.source)
