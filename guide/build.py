"""The pipeline, top to bottom: load ladders -> render layouts -> parse markup -> write files.

Everything is loaded, rendered and checked before the first file is written, so
a mistake in any ladder or layout leaves every existing output untouched.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from guide import markup
from guide.content import load_ladder
from guide.csvfile import MAX_CSV_BYTES
from guide.errors import ContentError, LayoutError, Location
from guide.files import write_atomic
from guide.glyphs import DEFAULT_CHAIN, Chain, unsupported_characters
from guide.inputs import UnreadableInput, read_bounded
from guide.ladder import Ladder
from guide.model import Document, FormField, Metadata, drawn_texts, filled_fields
from guide.render import Layouts
from guide.theme import DEFAULT_THEME, Theme, load_theme
from guide.workers import Promise, Workers
from guide.yamlfile import MAX_FILE_BYTES

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

    @functools.cached_property
    def theme(self) -> Theme:
        """The project's `layouts/theme.yaml` merged over the shipped theme, read once."""
        own = self.root / "layouts" / "theme.yaml"
        return load_theme(own if own.exists() else DEFAULT_THEME)  # a folder or pipe there: a message

    def ladder_paths(self) -> list[Path]:
        """Return every ladder file in `data/`, sorted by name.

        Every name ending in .yaml or .yml is kept, a folder, a pipe or a device among
        them: reading it then says what it is (see `guide.inputs`), rather than a
        ladder being left out without a word.
        """
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
    """A rendered document, the files to write it to, and the values its fields are filled with.

    `document`'s own fields are empty: it is drawn once however many outputs share it.
    """

    document: Document
    files: tuple[Path, ...]
    values: tuple[FormField, ...] = ()


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
    return _parsed(layouts, piece.layout, layouts.render(piece.layout, piece.context))


def _parsed(layouts: Layouts, layout: str, text: str) -> Document:
    try:
        return markup.parse_document(text)
    except markup.MarkupError as error:
        filename, source = layouts.source(layout)
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
        check_pdf_glyphs({ladder.source: ladder.texts() for ladder in ladders}, project.theme.fonts.chain)
    pieces = [(ladder, piece) for ladder in ladders for piece in plan(ladder, products, formats)]
    return render_pieces(project, pieces, out_dir)


def prepare_roster(
    project: Project, ladder: Ladder, roster: Path, candidates: list[Candidate], out_dir: Path,
    formats: tuple[str, ...],
) -> list[Output]:  # fmt: skip
    """Render a filled packet for every candidate of the roster, writing nothing.

    Each row's layout is rendered, but only its field values are new: the rest is
    parsed once for all the rows that share it (see `_Forms`). For PDFs, the row's
    own columns are checked against the fonts first, then every value a field holds
    (an extra column a layout fills a field with included).
    """
    chain = project.theme.fonts.chain
    if "pdf" in formats:
        columns = (t for c in candidates for t in (c.name, c.manager, c.cycle, c.employee_id, c.department))
        check_pdf_glyphs({ladder.source: ladder.texts(), roster: columns}, chain)
    pieces = [(ladder, piece) for piece in plan_roster(ladder, candidates, formats)]
    outputs = render_pieces(project, pieces, out_dir)
    if "pdf" in formats:  # an extra column a layout fills a field with
        check_pdf_glyphs({roster: (field.value for output in outputs for field in output.values)}, chain)
    return outputs


def plan_roster(ladder: Ladder, candidates: list[Candidate], formats: tuple[str, ...]) -> Iterator[Piece]:
    """Yield one packet per candidate, its fields filled from the roster row."""
    for candidate in candidates:
        context = {"ladder": ladder, "target": candidate.target, "sources": (candidate.current,),
                   "candidate": candidate}  # fmt: skip
        yield Piece("packet.xml.j2", context, f"roster/{candidate.stem}", formats)


def render_pieces(project: Project, pieces: list[tuple[Ladder, Piece]], out_dir: Path) -> list[Output]:
    """Return every piece rendered: its document with empty fields, its files, its values."""
    forms = _Forms(project.layouts, project.theme.fonts.chain)
    outputs = []
    for ladder, piece in pieces:
        document, values = forms.split(piece)
        files = tuple(out_dir / ladder.id / f"{piece.stem}.{extension}" for extension in piece.formats)
        outputs.append(Output(document, files, values))
    return outputs


class _Forms:
    """Rendered documents split into their empty form, parsed once per distinct form, and values.

    Documents that differ only in field values (a roster's packets for one level)
    share one form, and so are drawn once and filled per row.
    """

    def __init__(self, layouts: Layouts, chain: Chain) -> None:
        self.layouts = layouts
        self.chain = chain
        self.documents: dict[markup.Blank, Document] = {}

    def split(self, piece: Piece) -> tuple[Document, tuple[FormField, ...]]:
        """Return `piece`'s document with empty fields, and its fields that hold a value."""
        text = self.layouts.render(piece.layout, piece.context)
        try:
            blank, values = markup.split_values(text)
        except markup.MarkupError:
            _parsed(self.layouts, piece.layout, text)  # raises the located error
            raise
        if blank not in self.documents:
            self.documents[blank] = _parsed(self.layouts, piece.layout, blank.text())
            if "pdf" in piece.formats:
                self._check_glyphs(piece.layout, self.documents[blank])
        document = self.documents[blank]
        try:
            return document, filled_fields(document, values)
        except ValueError as error:
            filename, source = self.layouts.source(piece.layout)
            raise markup.located(markup.MarkupError(str(error), "field"), filename, source) from None

    def _check_glyphs(self, layout: str, document: Document) -> None:
        """Raise LayoutError if `document` holds text no PDF font has: written by the layout itself.

        The ladder's and the roster's texts were checked before rendering, each at its place.
        """
        text = "".join(drawn_texts(document))
        unsupported = set(unsupported_characters(text, self.chain))
        if unsupported:
            filename, source = self.layouts.source(layout)
            line = next(
                (n for n, written in enumerate(source.splitlines(), 1) if unsupported & set(written)), None
            )
            where = f"{filename}:{line}" if line else filename
            in_order = "".join(dict.fromkeys(character for character in text if character in unsupported))
            raise LayoutError(f"{where}: {_unprintable(in_order)}")


def check_pdf_glyphs(texts: dict[Path, Iterable[str]], chain: Chain = DEFAULT_CHAIN) -> None:
    """Raise ContentError at each place in an input file that holds a character no font of `chain` has."""
    problems: list[Location] = []
    for path, file_texts in texts.items():
        unsupported = set(unsupported_characters("".join(file_texts), chain))
        if unsupported:
            problems.extend(_places_of(path, unsupported))
    if problems:
        raise ContentError(problems)


MAX_TEXT_INPUT_BYTES = max(MAX_FILE_BYTES, MAX_CSV_BYTES)
"""The largest ladder or roster read: `_places_of` reads either again, bounded as it was the first time."""


def _places_of(path: Path, characters: set[str]) -> Iterator[Location]:
    """Yield the place of every run of `characters` in the file at `path`.

    A character written as an escape (`"\\u0915"` in YAML) is not in the file as
    such: it is reported for the file as a whole, never left out.
    """
    runs = re.compile("[" + "".join(re.escape(c) for c in sorted(characters)) + "]+")
    try:
        text = read_bounded(path, MAX_TEXT_INPUT_BYTES).decode("utf-8-sig")
    except UnreadableInput as error:  # replaced since it was first read
        raise ContentError([Location(path, None, None, str(error))]) from None
    for number, line in enumerate(text.splitlines(), 1):
        for run in runs.finditer(line):
            yield Location(path, number, run.start() + 1, _unprintable(run.group()))
    for character in sorted(characters - set(text)):
        yield Location(path, None, None, _unprintable(character) + " (written as an escape)")


def _unprintable(run: str) -> str:
    codes = " ".join(f"U+{ord(c):04X}" for c in dict.fromkeys(run))
    return f"PDFs cannot show '{run}' ({codes}): none of the fonts guide embeds has it"


def write(outputs: list[Output], theme: Theme, jobs: int = 1) -> Iterator[Path]:
    """Write every file of `outputs`, yielding each path once it is in place.

    Each document is drawn once per kind of file, with its fields empty; the files
    of outputs with values are copies of that drawing with the values filled in. With
    `jobs` above 1, drawing, filling and writing run in that many processes, when
    there is enough work to repay starting them; paths come in the order of `outputs`.
    """
    groups: dict[tuple[int, str], tuple[Document, str, list[Filling]]] = {}
    for output in outputs:
        for path in output.files:
            key = (id(output.document), path.suffix)  # outputs of a roster share the document itself
            groups.setdefault(key, (output.document, path.suffix, []))[2].append((path, output.values))
    with Workers(jobs if len(groups) + len(outputs) // FILL_BATCH >= PARALLEL_FROM else 1) as workers:
        drawings = [
            workers.run(_draw, document, suffix, theme, _typed(fillings))
            for document, suffix, fillings in groups.values()
        ]
        batches: list[Promise[list[Path]]] = []
        for drawing, (document, suffix, fillings) in zip(drawings, groups.values(), strict=True):
            data = drawing.result()
            for start in range(0, len(fillings), FILL_BATCH):
                batches.append(
                    workers.run(
                        _fill_and_write,
                        data,
                        suffix,
                        theme,
                        document.meta,
                        fillings[start : start + FILL_BATCH],
                    )
                )
            while batches and batches[0].done():
                yield from batches.pop(0).result()
        for batch in batches:
            yield from batch.result()


Filling = tuple[Path, tuple[FormField, ...]]
"""A file to write, and the values to fill into its document's drawing (none: the drawing as is)."""

PARALLEL_FROM = 12
"""Less work than this many drawings and batches is done in one process: starting workers costs more."""

FILL_BATCH = 32
"""Files filled and written by one task: few enough to spread a roster over the workers."""


def _typed(fillings: list[Filling]) -> tuple[str]:
    """Return the distinct characters of every value to be filled into a drawing, as one text.

    A roster's packets for a level share one drawing, so its form font holds every row's
    characters: each row's values then survive a viewer redrawing its fields.
    """
    return ("".join(sorted({c for _, values in fillings for field in values for c in field.value})),)


def _draw(document: Document, suffix: str, theme: Theme, typed: tuple[str, ...]) -> bytes:
    """Draw `document` with empty fields; a PDF's form font also holds every character of `typed`."""
    if suffix == ".pdf":
        from guide.writers.pdf import write_pdf

        return write_pdf(document, theme, typed)
    from guide.writers.pdf.pagination import contents_pages
    from guide.writers.word import write_docx

    # the Word contents shows the pages of the PDF twin, which has the same pages and breaks
    pages = contents_pages(document, theme)
    return write_docx(document, theme, template=suffix == ".dotx", contents_pages=pages)


def _fill_and_write(
    data: bytes, suffix: str, theme: Theme, meta: Metadata, fillings: list[Filling]
) -> list[Path]:
    """Write each file of `fillings`: the drawing `data` of a document described by `meta`, filled in."""
    for path, values in fillings:
        write_atomic(path, _filler(suffix, theme, meta)(data, list(values)) if values else data)
    return [path for path, _ in fillings]


def _filler(suffix: str, theme: Theme, meta: Metadata) -> Callable[[bytes, list[FormField]], bytes]:
    """Return what fills values into a file of that ending drawn with empty fields, in `theme`'s fonts."""
    if suffix == ".pdf":
        from guide.writers.pdf import fill_pdf

        return lambda data, values: fill_pdf(data, values, theme, meta)
    from guide.writers.word import fill_docx

    return lambda data, values: fill_docx(data, values, meta)


def _refuse_shared_ids(ladders: list[Ladder], problems: list[Location]) -> None:
    first: dict[str, Path] = {}
    for ladder in ladders:
        if ladder.id in first:
            message = f"ladder id '{ladder.id}' is also used by {first[ladder.id]}: outputs would collide"
            problems.append(Location(ladder.source, None, None, message))
        first.setdefault(ladder.id, ladder.source)
