"""The pipeline, top to bottom: load ladders -> render layouts -> parse markup -> write files.

Everything is loaded, rendered and checked before the first file is written, so
a mistake in any ladder or layout leaves every existing output untouched.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from guide import markup
from guide.content import load_ladder
from guide.csvfile import MAX_CSV_BYTES
from guide.errors import ContentError, LayoutError, Location
from guide.files import write_atomic
from guide.glyphs import DEFAULT_CHAIN, Chain, unsupported_characters
from guide.inputs import UnreadableInput, read_bounded
from guide.ladder import Ladder
from guide.model import Document, FormField, Metadata, drawn_texts, filled_fields
from guide.render import Layouts, printed
from guide.roster import Candidate, ExtraColumns
from guide.theme import DEFAULT_THEME, Theme, load_theme
from guide.traced import CLOSE, OPEN, STAND_IN, Traced, stand_in
from guide.workers import Promise, Workers
from guide.yamlfile import MAX_FILE_BYTES

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
    return _parsed(
        layouts,
        piece.layout,
        functools.partial(markup.parse_document, layouts.render(piece.layout, piece.context)),
    )


def _parsed(layouts: Layouts, layout: str, parse: Callable[[], Document]) -> Document:
    """Return what `parse` returns, a MarkupError raised as a LayoutError at the line of `layout`."""
    try:
        return parse()
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

    The packets of one level are rendered once and filled per row where the layout
    only prints the row's values (see `_Forms.roster`). For PDFs, the row's own columns
    are checked against the fonts first, then every value a field holds (an extra
    column a layout fills a field with included).
    """
    chain = project.theme.fonts.chain
    if "pdf" in formats:
        columns = (t for c in candidates for t in (c.name, c.manager, c.cycle, c.employee_id, c.department))
        check_pdf_glyphs({ladder.source: ladder.texts(), roster: columns}, chain)
    outputs = [
        Output(document, tuple(out_dir / ladder.id / f"roster/{candidate.stem}.{f}" for f in formats), values)
        for candidate, document, values in _Forms(project.layouts, chain).roster(ladder, candidates, formats)
    ]
    if "pdf" in formats:  # an extra column a layout fills a field with
        check_pdf_glyphs({roster: (field.value for output in outputs for field in output.values)}, chain)
    return outputs


PACKET_LAYOUT = "packet.xml.j2"


def packet_piece(ladder: Ladder, candidate: Candidate, formats: tuple[str, ...]) -> Piece:
    """Return the piece that renders `candidate`'s packet, its fields filled from the roster row."""
    context = {"ladder": ladder, "target": candidate.target, "sources": (candidate.current,),
               "candidate": candidate}  # fmt: skip
    return Piece(PACKET_LAYOUT, context, "", formats)  # written where the candidate's stem says


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
            _parsed(self.layouts, piece.layout, functools.partial(markup.parse_document, text))  # located
            raise
        document = self._document(piece, blank)
        return document, self._filled(piece.layout, document, values)

    def roster(
        self, ladder: Ladder, candidates: list[Candidate], formats: tuple[str, ...]
    ) -> Iterator[tuple[Candidate, Document, tuple[FormField, ...]]]:
        """Yield each candidate with their packet's document and the values that fill it, in roster order.

        Rows alike in level, former level and which of their values are empty share
        one render with stand-ins for their values (`guide.traced`), where the layout
        does nothing with them but print them into fields; each row's values are then
        put in the stand-ins' places. Where it does more, each row is rendered.
        """
        shared: dict[tuple[object, ...], tuple[Document, dict[str, str]] | None] = {}
        for candidate in candidates:
            stand_ins = StandIns(candidate)
            if stand_ins.shape not in shared:
                shared[stand_ins.shape] = self._rendered_once(
                    packet_piece(ladder, stand_ins.candidate, formats), stand_ins
                )
            once = shared[stand_ins.shape]
            if once is None:
                yield candidate, *self.split(packet_piece(ladder, candidate, formats))
            else:
                document, values = once
                yield candidate, document, self._filled(PACKET_LAYOUT, document, stand_ins.filled(values))

    def _rendered_once(self, piece: Piece, stand_ins: StandIns) -> tuple[Document, dict[str, str]] | None:
        """Return the packet `piece` of `stand_ins` rendered, and its values holding them; or None.

        None where the render cannot be shared: the layout used a value but to print it, printed one
        outside a field, or failed: rendering the row itself says what is wrong.
        """
        try:
            blank, values = markup.split_values(self.layouts.render(piece.layout, piece.context))
        except (LayoutError, markup.MarkupError):
            return None
        if stand_ins.used() or not stand_ins.only_in(values) or OPEN in blank.text():
            return None
        return self._document(piece, blank), values

    def _document(self, piece: Piece, blank: markup.Blank) -> Document:
        """Return the document of `blank`, parsed and checked once for every piece that shares it."""
        if blank not in self.documents:
            self.documents[blank] = _parsed(self.layouts, piece.layout, blank.document)
            if "pdf" in piece.formats:
                self._check_glyphs(piece.layout, self.documents[blank])
        return self.documents[blank]

    def _filled(self, layout: str, document: Document, values: dict[str, str]) -> tuple[FormField, ...]:
        try:
            return filled_fields(document, values)
        except ValueError as error:
            filename, source = self.layouts.source(layout)
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


class StandIns:
    """A roster row's values, and the row with a stand-in in place of each (see `guide.traced`)."""

    TRACED = ("name", "manager", "cycle", "employee_id", "department", "skip_level_manager", "hr_partner",
              "line", "stem")  # fmt: skip

    def __init__(self, candidate: Candidate) -> None:
        extra = tuple(candidate.extra.items())
        self.values = [str(getattr(candidate, name)) for name in self.TRACED] + [value for _, value in extra]
        # an empty value stays empty: a layout may leave out what it would print (rows are grouped by it)
        stand_ins = [stand_in(number) if value else "" for number, value in enumerate(self.values)]
        self.traced = [value for value in stand_ins if isinstance(value, Traced)]
        named: dict[str, Any] = dict(zip(self.TRACED, stand_ins, strict=False))
        columns = ExtraColumns({key: stand_ins[len(self.TRACED) + n] for n, (key, _) in enumerate(extra)})
        self.candidate = dataclasses.replace(candidate, **named, extra=columns)
        self.shape = (candidate.target.id, candidate.current.id, tuple(key for key, _ in extra),
                      tuple(bool(value) for value in self.values))  # fmt: skip
        """What rows that may share a render have in common."""

    def used(self) -> bool:
        """Return True if the layout did anything with a stand-in but print it."""
        return any(value.used for value in self.traced)

    def only_in(self, values: dict[str, str]) -> bool:
        """Return True if `values` hold stand-ins whole, or no mark of one: none was cut or changed."""
        return not any(
            OPEN in text or CLOSE in text for text in (STAND_IN.sub("", v) for v in values.values())
        )

    def filled(self, values: dict[str, str]) -> dict[str, str]:
        """Return `values`, rendered with stand-ins, holding this row's values in their places."""
        return {name: STAND_IN.sub(self._value, text) for name, text in values.items()}

    def _value(self, stand_in: re.Match[str]) -> str:
        return markup.attribute_value(printed(self.values[int(stand_in[1])]))


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
