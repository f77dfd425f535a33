"""Marks in the text of cells (and pages) where the words too wide for their column break."""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import Enum
from typing import TypeVar, cast

from guide.model import (
    LINE_BREAK,
    Block,
    BulletList,
    Cell,
    CheckItem,
    Heading,
    Inline,
    Paragraph,
    Span,
    Table,
)
from guide.writers.columns.breaks import (
    TOLERANCE,
    Break,
    Kind,
    allowed_breaks,
    fitted_breaks,
    url_start,
)
from guide.writers.columns.extents import SAFETY, Measure, Sizer

SOFT_HYPHEN = "\u00ad"
ZERO_WIDTH_SPACE = "\u200b"


class Marking(Enum):
    """How a writer is told where a word too wide for its column breaks."""

    LINES = "lines"
    """Forced line breaks where the lines end, a hyphen drawn at a dictionary point."""
    CHOICES = "choices"
    """Soft hyphens at every dictionary point and zero-width spaces after URL punctuation:
    the writer's layout engine picks the points it needs."""


B = TypeVar("B", bound=Block)

WORDS = re.compile(r"(\s+)")
MARKS = re.compile(f"[{SOFT_HYPHEN}{ZERO_WIDTH_SPACE}{LINE_BREAK}]")
"""What fitting puts into a word."""


@dataclass(frozen=True)
class Fitter:
    """Marks the breaks of words too wide for their column, measured as `sizer` measures them."""

    sizer: Sizer
    marking: Marking

    def table(self, table: Table, widths: Sequence[float]) -> Table:
        """Return `table` with every cell fitted to its column of `widths` (padding included)."""
        header = tuple(self._row(row, widths, True) for row in table.header)
        return replace(table, header=header, rows=tuple(self._row(row, widths, False) for row in table.rows))

    def _row(self, row: tuple[Cell, ...], widths: Sequence[float], header: bool) -> tuple[Cell, ...]:
        return tuple(self.cell(cell, width, header) for cell, width in zip(row, widths, strict=True))

    def cell(self, cell: Cell, width: float, header: bool) -> Cell:
        """Return `cell` with the breaks its words need in a column `width` points wide (padding included).

        Only text a writer wraps in the cell's width is fitted: paragraphs, list items and
        check items. A cell whose words all fit comes back as it is.
        """
        room = width - 2 * self.sizer.geometry.padding
        blocks = tuple(self._block(block, room, header) for block in cell.blocks)
        return cell if blocks == cell.blocks else Cell(blocks)

    def block(self, block: B, room: float, bold: bool = False) -> B:
        """Return `block` with the breaks its words need in lines `room` points wide.

        Headings, paragraphs, list items and check items are fitted (list and check
        items within their indent); other blocks come back as they are.
        """
        return cast(B, self._block(block, room, bold))

    def _block(self, block: Block, room: float, header: bool) -> Block:
        indent = self.sizer.geometry.indent
        match block:
            case Paragraph(spans=spans) | Heading(spans=spans):
                return replace(block, spans=self._spans(spans, room, header))
            case BulletList(items=items):
                return BulletList(tuple(self._spans(item, room - indent, header) for item in items))
            case CheckItem(spans=spans):
                return replace(block, spans=self._spans(spans, room - indent, header))
        return block

    def _spans(self, spans: Inline, room: float, header: bool) -> Inline:
        return tuple(replace(span, text=self._text(span, room, header)) for span in spans)

    def _text(self, span: Span, room: float, header: bool) -> str:
        bold = span.bold or header
        parts = WORDS.split(span.text)  # words at even places, the spaces between them at odd ones
        for index in range(0, len(parts), 2):
            if MARKS.search(parts[index]):
                continue  # fitted already, in a cell: fitting text twice changes nothing
            if _width(parts[index], self.sizer.measure, bold, span.italic) * SAFETY > room + TOLERANCE:
                parts[index] = self._word(parts[index], room, bold, span.italic)
        return "".join(parts)

    def _word(self, word: str, room: float, bold: bool, italic: bool) -> str:
        """Return `word` with the marks that let it break into lines `room` points wide."""
        measure, language = self.sizer.measure, self.sizer.language
        advances = [measure.width(character, bold, italic) * SAFETY for character in word]
        hyphen = measure.width("-", bold, italic) * SAFETY
        if self.marking is Marking.LINES:
            marks = {
                point.offset: _line_end(point)
                for point in fitted_breaks(word, advances, room, hyphen, language)
            }
        else:
            points = allowed_breaks(word, language) + _last_resort(word, advances, room, language)
            marks = {point.offset: _choice(point) for point in points}
        return "".join(marks.get(offset, "") + character for offset, character in enumerate(word))


@functools.lru_cache(maxsize=65536)
def _width(word: str, measure: Measure, bold: bool, italic: bool) -> float:
    """Return the width of `word` as `measure` gives it (words recur: each is measured once)."""
    return measure.width(word, bold, italic)


def _line_end(point: Break) -> str:
    return ("-" if point.kind is Kind.HYPHENATION else "") + LINE_BREAK


def _choice(point: Break) -> str:
    if point.kind is Kind.HYPHENATION:
        return SOFT_HYPHEN
    return ZERO_WIDTH_SPACE if point.kind in (Kind.PUNCTUATION, Kind.LAST_RESORT) else ""


def _last_resort(word: str, advances: Sequence[float], room: float, language: str) -> list[Break]:
    """Return breaks between the letters of any piece of `word` still wider than `room`.

    They are hyphenations, but in a URL, where a hyphen does not belong, last resorts.
    """
    url = url_start(word)
    offsets = [0, *(point.offset for point in allowed_breaks(word, language)), len(word)]
    extra = []
    for start, end in itertools.pairwise(offsets):
        if sum(advances[start:end]) > room + TOLERANCE:
            extra += [
                Break(offset, Kind.LAST_RESORT if offset > url else Kind.HYPHENATION)
                for offset in range(start + 1, end)
                if word[offset - 1].isalnum() and word[offset].isalnum()
            ]
    return extra
