"""Table geometry and row/cell properties: widths, header rows, unsplittable rows, rules.

Widths are fixed (`tblLayout fixed`), in twips, computed from the cells' content
as the PDF computes them (`fit_table`, see `guide.writers.columns`), so Word and
LibreOffice lay the table out the same and it never runs past the margin. Words
too wide for their column carry soft hyphens and zero-width spaces where they
may break. What goes in the cells is the business of `blocks.py`.
"""

from __future__ import annotations

import itertools
import math
from typing import Protocol, assert_never

from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.oxml.ns import qn
from docx.oxml.text.paragraph import CT_P
from docx.shared import Length, Pt, RGBColor, Twips
from docx.table import Table as DocxTable
from docx.table import _Cell, _Row
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run
from lxml import etree

from guide.model import (
    Block,
    BulletList,
    Cell,
    CheckItem,
    Diagram,
    FormField,
    Heading,
    PageBreak,
    Paragraph,
    SignatureLine,
    Table,
    TableOfContents,
    plain_text,
)
from guide.theme import Theme
from guide.writers.columns import (
    DEFAULT_LANGUAGE,
    SOFT_HYPHEN,
    Fitter,
    Geometry,
    Marking,
    Sizer,
    table_widths,
)
from guide.writers.metrics import FontMeasure
from guide.writers.word.elements import (
    CELL_PROPERTIES,
    ROW_PROPERTIES,
    TABLE_PROPERTIES,
    add_styled,
    borders,
    element,
    insert_in_order,
    set_table_style,
    shading,
)


class Container(Protocol):
    """Where blocks go: the python-docx document or a table cell."""

    def add_paragraph(self, text: str = "", style: str | None = None) -> DocxParagraph: ...

    def add_table(self, rows: int, cols: int) -> DocxTable: ...


CELL_MARGIN = 108
"""Left and right cell margin in twips (Word's default, and the table style's)."""

TEXT_INDENT_EMS = 2.0
"""The room before a check item's text, in ems (the Check Item style's), more than a bullet's 18 pt."""

SHORT_ROW_LINES = 12
"""A body row estimated at no more lines than this may not break across pages."""


def add_table(
    container: Container, widths: tuple[float, ...], rows: int, available: Length, style: str | None
) -> DocxTable:
    """Append a table of `rows` rows to `container` (the document or a cell) and return it.

    The columns share `available` in the proportions of `widths`.
    """
    nested = isinstance(container, _Cell)
    if nested:
        table = container.add_table(rows, len(widths))
    else:  # Document.add_table searches the whole body for its width: quadratic in a long document
        table = container._body.add_table(rows, len(widths), available)  # type: ignore[attr-defined]
    if nested:
        _remove_trailing_paragraph(table)
    if style is not None:
        set_table_style(table, style)
    table.autofit = False
    columns = column_twips(widths, available.twips)
    _set_table_width(table, sum(columns), indent=0 if nested else CELL_MARGIN)
    for column, twips in zip(table.columns, columns, strict=True):
        column.width = Twips(twips)
    for row in table.rows:
        for cell, twips in zip(row.cells, columns, strict=True):
            cell.width = Twips(twips)
    return table


def fit_table(
    table: Table, available: Length, theme: Theme, language: str = DEFAULT_LANGUAGE
) -> tuple[tuple[float, ...], Table]:
    """Return the widths of `table`'s columns in twips, for a table `available` wide, and the table to write.

    The widths come from the cells' content and the layout's widths as the PDF's do
    (see `guide.writers.columns`); the table returned has soft hyphens and zero-width
    spaces in the words too wide for their column, where those words may break.
    """
    sizer = Sizer(FontMeasure(theme.fonts, theme.font_size.points), word_geometry(theme), language)
    twips = column_twips(tuple(table_widths(sizer, table, available.pt)), available.twips)
    fitted = Fitter(sizer, Marking.CHOICES).table(table, [Twips(width).pt for width in twips])
    return tuple(float(width) for width in twips), fitted


def word_geometry(theme: Theme) -> Geometry:
    """Return what Word's table cells put around their text (see `columns.Geometry`)."""
    base = theme.font_size.points
    return Geometry(padding=Twips(CELL_MARGIN).pt, indent=TEXT_INDENT_EMS * base, em=base)


def column_twips(widths: tuple[float, ...], total: int) -> list[int]:
    """Return `total` twips split in the proportions of `widths`; the parts add up to `total`.

    Each column's edge is rounded, not its width, so no column is more than a twip off.
    The model's widths are positive and finite, and their sum too (see `model.Table`).
    """
    scale = sum(widths)
    edges = [0, *(round(total * edge / scale) for edge in itertools.accumulate(widths))]
    return [end - start for start, end in itertools.pairwise(edges)]


def inner_width(cell: _Cell) -> Length:
    """Return the width of the text in `cell`: its width less the left and right margins."""
    return Twips(max(cell.width.twips - 2 * CELL_MARGIN, CELL_MARGIN))


def mark_header(row: _Row, fill: str) -> None:
    """Make `row` a header row, repeated on every page, shaded with `fill` ("#RRGGBB"), its text white.

    Every run is made white, not only those of the Table Heading style, so that a list
    or a link in a header cell stays readable on the fill. A header row is not also
    marked `cantSplit`: LibreOffice 7.4 then loses the body rows when the table starts
    at the foot of a page.
    """
    insert_in_order(row._tr.get_or_add_trPr(), element("w:tblHeader"), ROW_PROPERTIES)
    for cell in row.cells:
        insert_in_order(cell._tc.get_or_add_tcPr(), shading(fill), CELL_PROPERTIES)
        for run in cell._tc.xpath(".//w:r"):
            Run(run, cell).font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)


def keep_together(row: _Row) -> None:
    """Forbid a page break inside `row`."""
    insert_in_order(row._tr.get_or_add_trPr(), element("w:cantSplit"), ROW_PROPERTIES)


def keep_on_one_page(table: DocxTable) -> None:
    """Keep `table` on one page: no row breaks, and each row but the last keeps with the next.

    A row keeps with the next when its paragraphs do (Word's rule; LibreOffice follows it
    in Word files).
    """
    rows = list(table.rows)
    for row in rows:
        keep_together(row)
    for row in rows[:-1]:
        keep_with_next_row(row)


def keep_with_next_row(row: _Row) -> None:
    """Keep `row` on the page of the row after it: mark every paragraph in it, nested ones too."""
    for cell in row.cells:
        for paragraph in cell._tc.xpath(".//w:p"):
            DocxParagraph(paragraph, cell).paragraph_format.keep_with_next = True


def set_min_height(row: _Row, points: float) -> None:
    """Make `row` at least `points` tall (it grows with its content)."""
    row.height = Pt(points)
    row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST


def rule_below(cell: _Cell, color: str) -> None:
    """Draw a line in `color` along the bottom of `cell` (a line to sign on)."""
    insert_in_order(
        cell._tc.get_or_add_tcPr(), borders("w:tcBorders", ("w:bottom",), color, width=6), CELL_PROPERTIES
    )


def finish_cell(cell: _Cell, first_paragraph: CT_P, closing_style: str) -> None:
    """Tidy `cell` after its blocks are written.

    Remove `first_paragraph` (the empty one every new cell starts with) if the
    blocks added content. End the cell with a paragraph, as Word requires: an
    empty one in the (tiny) `closing_style` if the cell ends with a table. Make
    the soft hyphens in its text Word's own (see `fit_table`).
    """
    content = [child for child in cell._tc if child.tag != qn("w:tcPr")]
    if len(content) > 1:
        cell._tc.remove(first_paragraph)
    if content[-1].tag == qn("w:tbl"):
        add_styled(cell, closing_style)
    for text in cell._tc.xpath(".//w:t"):
        if SOFT_HYPHEN in (text.text or ""):
            _mark_soft_hyphens(text)


def _mark_soft_hyphens(text: etree._Element) -> None:
    """Turn each soft hyphen in the run text `text` into a `w:softHyphen` beside the text around it.

    Word shows a soft hyphen character in `w:t` as a hyphen, always; `w:softHyphen`
    is its own optional hyphen (LibreOffice reads it too).
    """
    first, *rest = (text.text or "").split(SOFT_HYPHEN)
    text.text = first
    text.set(qn("xml:space"), "preserve")
    after = text
    for part in rest:
        hyphen, following = element("w:softHyphen"), element("w:t")
        following.text = part
        following.set(qn("xml:space"), "preserve")
        after.addnext(hyphen)
        hyphen.addnext(following)
        after = following


def _set_table_width(table: DocxTable, twips: int, *, indent: int) -> None:
    """Set the table's preferred width and its indent, both in twips.

    In Word 2010 compatibility mode (the template's) a top-level table's border
    sits `indent` less its cell margin from the page margin, so an indent of one
    cell margin puts it on the margin; a nested table's border sits `indent` from
    the text of its cell, so it needs none. LibreOffice follows Word in both.
    """
    properties = table._tbl.tblPr
    insert_in_order(properties, element("w:tblW", w_w=twips, w_type="dxa"), TABLE_PROPERTIES)
    insert_in_order(properties, element("w:tblInd", w_w=indent, w_type="dxa"), TABLE_PROPERTIES)


def _remove_trailing_paragraph(table: DocxTable) -> None:
    """Remove the empty paragraph python-docx puts after a table added to a cell."""
    follower, parent = table._tbl.getnext(), table._tbl.getparent()
    if follower is not None and parent is not None and follower.tag == qn("w:p"):
        parent.remove(follower)


def is_short(row: tuple[Cell, ...], widths: list[Length], font_points: float) -> bool:
    """Return True if every cell of `row` is estimated to fit in `SHORT_ROW_LINES` lines.

    `widths` are the cells' text widths; a character is taken as half the font size wide.
    """
    return all(
        estimated_lines(cell.blocks, max(width.pt / (font_points / 2), 1.0)) <= SHORT_ROW_LINES
        for cell, width in zip(row, widths, strict=True)
    )


def estimated_lines(blocks: tuple[Block, ...], per_line: float) -> float:
    """Return roughly how many lines `blocks` take with `per_line` characters to a line."""
    return sum(_block_lines(block, per_line) for block in blocks)


def _block_lines(block: Block, per_line: float) -> float:
    """Return roughly how many lines `block` takes with `per_line` characters to a line."""
    match block:
        case Heading(spans=spans) | Paragraph(spans=spans):
            return math.ceil(max(len(plain_text(spans)), 1) / per_line)
        case CheckItem(spans=spans, evidence=evidence):
            return math.ceil(max(len(plain_text(spans)), 1) / per_line) + 2 * evidence
        case BulletList(items=items):
            return sum(math.ceil(max(len(plain_text(item)), 1) / per_line) for item in items)
        case FormField(kind=kind):
            return 6 if kind == "multiline" else 3
        case SignatureLine():
            return 5
        case Table(header=header, rows=rows):
            columns = len((header or rows)[0])
            return sum(
                max(estimated_lines(cell.blocks, per_line / columns) for cell in row)
                for row in (*header, *rows)
            )
        case Diagram() | TableOfContents() | PageBreak():
            return math.inf
        case _:
            assert_never(block)
