"""The plan and render steps: which documents a ladder makes, and each rendered from its layout.

`plan` says which pieces a ladder's products are: a layout, its context and where
its files go. `Renderer` renders pieces into documents with empty fields, parsed
once for all the pieces that share one (a roster's packets for a level), and the
values their fields are filled with.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from guide import markup
from guide.errors import LayoutError
from guide.glyphs import Chain, unsupported_characters
from guide.identity import Identity, identity_of
from guide.ladder import Ladder
from guide.model import Document, FormField, drawn_texts, filled_fields
from guide.printable import unprintable
from guide.render import Layouts, printed
from guide.roster import Candidate, ExtraColumns
from guide.traced import CLOSE, OPEN, STAND_IN, Traced, stand_in
from guide.writing import Output

PACKET_LAYOUT = "packet.xml.j2"
COMMITTEE_LAYOUT = "committee.xml.j2"


@dataclass(frozen=True)
class Piece:
    """One document to write: the layout that makes it and where its files go."""

    layout: str
    context: dict[str, Any]
    stem: str
    formats: tuple[str, ...]
    identity: Identity = ()
    """What the files say they are (see `guide.identity`)."""

    @property
    def language(self) -> str:
        """The language the layout prints its words in: its ladder's."""
        ladder: Ladder = self.context["ladder"]
        return ladder.language


def plan(ladder: Ladder, products: tuple[str, ...], formats: tuple[str, ...]) -> Iterator[Piece]:
    """Yield the pieces of `products` for `ladder`, in `formats` (docx brings the .dotx packets)."""
    word = ("docx",) if "docx" in formats else ()
    pdf = ("pdf",) if "pdf" in formats else ()
    if "handbook" in products:
        yield Piece(
            "handbook.xml.j2", {"ladder": ladder}, "handbook", pdf + word, identity_of(ladder, "handbook")
        )
    if "checklists" in products:
        for level in ladder.levels:
            context = {"ladder": ladder, "target": level, "sources": ladder.promoted_from(level.id)}
            identity = identity_of(ladder, "checklist", level.id)
            yield Piece("checklist.xml.j2", context, f"checklists/{level.id}", pdf + word, identity)
    if "packets" in products:
        for level in ladder.promotion_targets():
            context = {
                "ladder": ladder,
                "target": level,
                "sources": ladder.promoted_from(level.id),
                "candidate": None,
            }
            formats = pdf + word + ("dotx",) * bool(word)
            yield Piece(
                PACKET_LAYOUT,
                context,
                f"packets/{level.id}",
                formats,
                identity_of(ladder, "packet", level.id),
            )


def committee_piece(ladder: Ladder, cases: tuple[Any, ...], formats: tuple[str, ...]) -> Piece:
    """Return the piece of the committee pack for `ladder`'s collected `cases` (see `guide.collect`)."""
    context = {"ladder": ladder, "cases": cases}
    return Piece(COMMITTEE_LAYOUT, context, "committee/committee", formats, identity_of(ladder, "committee"))


def render(layouts: Layouts, piece: Piece) -> Document:
    """Return the document that `piece`'s layout makes; raise LayoutError at the layout's line."""
    text = layouts.render(piece.layout, piece.context, piece.language)
    parsed = _parsed(layouts, piece.layout, functools.partial(markup.parse_document, text))
    return _named(parsed, piece, layouts)


def _named(document: Document, piece: Piece, layouts: Layouts) -> Document:
    """Return `document` saying what file `piece` is (see `guide.identity`), with the writers' words
    in its language."""
    words = layouts.catalogs.language(document.meta.language).words
    meta = dataclasses.replace(document.meta, identity=piece.identity, words=words)
    return dataclasses.replace(document, meta=meta)


def _parsed(layouts: Layouts, layout: str, parse: Callable[[], Document]) -> Document:
    """Return what `parse` returns, a MarkupError raised as a LayoutError at the line of `layout`."""
    try:
        return parse()
    except markup.MarkupError as error:
        filename, source = layouts.source(layout)
        raise markup.located(error, filename, source) from None


def packet_piece(ladder: Ladder, candidate: Candidate, formats: tuple[str, ...]) -> Piece:
    """Return the piece that renders `candidate`'s packet, its fields filled from the roster row."""
    context = {"ladder": ladder, "target": candidate.target, "sources": (candidate.current,),
               "candidate": candidate}  # fmt: skip
    identity = identity_of(ladder, "packet", candidate.target.id)
    return Piece(PACKET_LAYOUT, context, "", formats, identity)  # written where the candidate's stem says


def render_pieces(
    layouts: Layouts, chain: Chain, pieces: list[tuple[Ladder, Piece]], out_dir: Path
) -> list[Output]:
    """Return every piece rendered: its document with empty fields, its files, its values."""
    renderer = Renderer(layouts, chain)
    outputs = []
    for ladder, piece in pieces:
        document, values = renderer.split(piece)
        files = tuple(out_dir / ladder.id / f"{piece.stem}.{extension}" for extension in piece.formats)
        outputs.append(Output(document, files, values))
    return outputs


def render_roster(
    layouts: Layouts, chain: Chain, ladder: Ladder, candidates: list[Candidate], out_dir: Path,
    formats: tuple[str, ...],
) -> list[Output]:  # fmt: skip
    """Return every candidate's packet rendered, in roster order (see `Renderer.roster`)."""
    return [
        Output(document, tuple(out_dir / ladder.id / f"roster/{candidate.stem}.{f}" for f in formats), values)
        for candidate, document, values in Renderer(layouts, chain).roster(ladder, candidates, formats)
    ]


class Renderer:
    """Rendered documents split into their empty form, parsed once per distinct form, and values.

    Documents that differ only in field values (a roster's packets for one level)
    share one form, and so are drawn once and filled per row.
    """

    def __init__(self, layouts: Layouts, chain: Chain) -> None:
        self.layouts = layouts
        self.chain = chain
        self.parsed: dict[markup.Blank, Document] = {}
        self.documents: dict[tuple[markup.Blank, Identity], Document] = {}

    def split(self, piece: Piece) -> tuple[Document, tuple[FormField, ...]]:
        """Return `piece`'s document with empty fields, and its fields that hold a value."""
        text = self.layouts.render(piece.layout, piece.context, piece.language)
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
            blank, values = markup.split_values(
                self.layouts.render(piece.layout, piece.context, piece.language)
            )
        except (LayoutError, markup.MarkupError):
            return None
        if stand_ins.used() or not stand_ins.only_in(values) or OPEN in blank.text():
            return None
        return self._document(piece, blank), values

    def _document(self, piece: Piece, blank: markup.Blank) -> Document:
        """Return the document of `blank`, saying what `piece` is; parsed and checked once per `blank`."""
        if (blank, piece.identity) not in self.documents:
            parsed = self.parsed.get(blank)
            if parsed is None:
                parsed = self.parsed[blank] = _parsed(self.layouts, piece.layout, blank.document)
                if "pdf" in piece.formats:
                    self._check_glyphs(piece.layout, parsed)
            self.documents[blank, piece.identity] = _named(parsed, piece, self.layouts)
        return self.documents[blank, piece.identity]

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
            raise LayoutError(f"{where}: {unprintable(in_order)}")


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
