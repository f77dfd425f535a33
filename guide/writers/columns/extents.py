"""How wide the content of a table cell wants to be, measured in a writer's fonts and geometry."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Protocol, assert_never

from guide.model import (
    LINE_BREAK,
    Block,
    BulletList,
    Cell,
    CheckItem,
    Diagram,
    FormField,
    Heading,
    Inline,
    PageBreak,
    Paragraph,
    SignatureLine,
    Span,
    Table,
    TableOfContents,
)
from guide.writers.columns.breaks import (
    DEFAULT_LANGUAGE,
    Break,
    Kind,
    allowed_breaks,
    hyphenation_points,
    pieces,
    url_start,
)

FLOOR_EMS = 6.0
"""The narrowest a column gets, in ems, for a word that hyphenation can break (about 11 letters)."""

FIELD_EMS = (6.0, 14.0)
"""The least and the natural width, in ems, of a form field, signature line or picture in a cell."""

SAFETY = 1.02
"""Text is taken this much wider than measured, so that rounding in a writer never breaks a word."""


class Measure(Protocol):
    """Widths of text at a writer's body size, in points; a value (hashable), so words' widths are kept."""

    def width(self, text: str, bold: bool = False, italic: bool = False) -> float:
        """Return the width of `text` on one line in the face `bold` and `italic` pick."""
        ...

    def __hash__(self) -> int: ...


@dataclass(frozen=True)
class Geometry:
    """What a writer puts around the text of a cell, in points.

    `padding` is the room each side of a cell's text; `indent` the room before the
    text of a list item or checkbox; `em` the body font size.
    """

    padding: float
    indent: float
    em: float

    @property
    def floor(self) -> float:
        """Return the narrowest text width a hyphenated word may be given."""
        return FLOOR_EMS * self.em


@dataclass(frozen=True)
class Extent:
    """How wide the content of a cell, or of a column, wants to be, in points, padding left out."""

    minimum: float = 0.0
    """The widest piece no allowed point breaks: its longest word, or URL part."""
    floor: float = 0.0
    """The least it takes with the words wider than the floor hyphenated; at most `minimum`."""
    least: float = 0.0
    """The least it takes with every word hyphenated wherever the dictionary allows; at most `floor`."""
    natural: float = 0.0
    """Its longest line, unbroken."""

    def widest(self, other: Extent) -> Extent:
        """Return the extent that holds both this one and `other`, one above the other in a column."""
        return Extent(
            max(self.minimum, other.minimum),
            max(self.floor, other.floor),
            max(self.least, other.least),
            max(self.natural, other.natural),
        )

    def beside(self, other: Extent) -> Extent:
        """Return the extent of this one and `other` side by side on a line."""
        return Extent(
            self.minimum + other.minimum,
            self.floor + other.floor,
            self.least + other.least,
            self.natural + other.natural,
        )

    def scaled(self, factor: float) -> Extent:
        """Return this extent with every width `factor` times as wide."""
        return Extent(self.minimum * factor, self.floor * factor, self.least * factor, self.natural * factor)

    def indented(self, indent: float) -> Extent:
        """Return this extent with `indent` points of room before the text."""
        return self.beside(Extent(indent, indent, indent, indent))


@dataclass(frozen=True)
class Sizer:
    """Measures cells with `measure` in a writer's `geometry`, hyphenating in `language` if `hyphenate`.

    Without `hyphenate`, every extent's floor and least width are its minimum, and no
    dictionary is read (some take seconds to load).
    """

    measure: Measure
    geometry: Geometry
    language: str = DEFAULT_LANGUAGE
    hyphenate: bool = True

    def cell_extent(self, cell: Cell) -> Extent:
        """Return how wide `cell`'s blocks want to be: as wide as the widest of them."""
        extent = Extent()
        for block in cell.blocks:
            extent = extent.widest(self.block_extent(block))
        return extent

    def header_extent(self, cell: Cell) -> Extent:
        """Return how wide header `cell` wants to be: its text is bold."""
        return replace(self, measure=_Bold(self.measure)).cell_extent(cell)

    def block_extent(self, block: Block) -> Extent:
        """Return how wide one `block` in a cell wants to be."""
        least, natural = (ems * self.geometry.em for ems in FIELD_EMS)
        field = Extent(least, least, least, natural)
        match block:
            case Paragraph(spans=spans):
                return self.inline_extent(spans)
            case BulletList(items=items):
                return _widest(self.inline_extent(item) for item in items).indented(self.geometry.indent)
            case CheckItem(spans=spans, evidence=evidence):
                text = self.inline_extent(spans).indented(self.geometry.indent)
                return text.widest(field) if evidence else text
            case FormField(label=label, show_label=shown):
                return self.inline_extent((Span(label, bold=True),)).widest(field) if shown else field
            case SignatureLine(label=label):
                return self.inline_extent((Span(label),)).widest(field)
            case Table():
                return self.nested_extent(block)
            case Diagram():
                return field
            case Heading() | TableOfContents() | PageBreak():
                return Extent()  # cannot sit in a cell (see model.cell_problem)
            case _:
                assert_never(block)

    def nested_extent(self, table: Table) -> Extent:
        """Return how wide a table inside a cell wants to be: its columns side by side, with their padding."""
        extent = Extent()
        for column in self.column_extents(table):
            extent = extent.beside(column.indented(2 * self.geometry.padding))
        return extent

    def cell_extents(self, table: Table) -> list[list[Extent]]:
        """Return the extent of every cell of `table`, header rows first, row by row."""
        header = [[self.header_extent(cell) for cell in row] for row in table.header]
        return header + [[self.cell_extent(cell) for cell in row] for row in table.rows]

    def column_extents(self, table: Table) -> list[Extent]:
        """Return the extent of each column of `table`: what its widest cells want."""
        return column_extents(self.cell_extents(table), len(table.widths))

    def inline_extent(self, spans: Inline) -> Extent:
        """Return how wide a run of text wants to be: its widest words and its longest line."""
        extent, natural, line = Extent(), 0.0, 0.0
        for span in spans:
            for index, text in enumerate(span.text.split(LINE_BREAK)):
                if index:
                    natural, line = max(natural, line), 0.0
                line += self.measure.width(text, span.bold, span.italic)
                for word in text.split():
                    extent = extent.widest(self.word_extent(word, span.bold, span.italic))
        return replace(extent, natural=max(natural, line)).scaled(SAFETY)

    def word_extent(self, word: str, bold: bool = False, italic: bool = False) -> Extent:
        """Return how wide `word` wants to be: its widest piece, whole or hyphenated (no natural width)."""
        language = self.language if self.hyphenate else None
        return _word_extent(word, self.measure, bold, italic, self.geometry.floor, language)


@functools.lru_cache(maxsize=65536)
def _word_extent(
    word: str, measure: Measure, bold: bool, italic: bool, floor: float, language: str | None
) -> Extent:
    def width(text: str) -> float:
        return measure.width(text, bold, italic)

    extent = Extent()
    url = url_start(word) < len(word)  # a URL breaks at its punctuation only
    for piece in pieces(word, allowed_breaks(word, hyphenate=False)):
        whole = width(piece)
        hyphenated = whole if url or language is None else _hyphenated_width(piece, width, language)
        floored = whole if whole <= floor else max(floor, hyphenated)
        extent = extent.widest(Extent(whole, floored, hyphenated))
    return extent


def _hyphenated_width(piece: str, width: Callable[[str], float], language: str) -> float:
    """Return the widest line `piece` makes when broken at every hyphenation point, hyphens drawn."""
    points = hyphenation_points(piece, language)
    syllables = pieces(piece, [Break(point, Kind.HYPHENATION) for point in points])
    hyphen = width("-")
    return max(
        width(syllable) + (hyphen if index < len(points) else 0) for index, syllable in enumerate(syllables)
    )


def _widest(extents: Iterable[Extent]) -> Extent:
    extent = Extent()
    for other in extents:
        extent = extent.widest(other)
    return extent


def column_extents(cell_extents: Sequence[Sequence[Extent]], columns: int) -> list[Extent]:
    """Return the extent of each of `columns` columns from the extents of their cells, row by row."""
    return [_widest(row[column] for row in cell_extents) for column in range(columns)]


@dataclass(frozen=True)
class _Bold:
    """A measure of bold text: header cells are bold throughout."""

    measure: Measure

    def width(self, text: str, bold: bool = False, italic: bool = False) -> float:
        return self.measure.width(text, True, italic)
