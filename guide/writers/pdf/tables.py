"""Model tables -> reportlab Tables: paragraph cells, columns sized from their content, repeated headers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Spacer, TableStyle
from reportlab.platypus import Table as ReportlabTable

from guide.model import Cell, Table
from guide.writers.columns import DEFAULT_LANGUAGE, Fitter, Geometry, Marking, Sizer, table_widths
from guide.writers.pdf.fields import LabelledField
from guide.writers.pdf.fonts import Typeface
from guide.writers.pdf.styles import Styles
from guide.writers.pdf.tagged import TableTagger

CHUNK_ROWS = 500
"""Body rows per reportlab Table: one Table's layout time grows with the square of its rows."""

MOST_LEFT_EMPTY = 0.5
"""The largest share of a page a table leaves empty by moving a row, or itself, to the next page."""

CellRenderer = Callable[[Cell, bool], list[Flowable]]
"""Turns a cell into flowables; the flag is True for header cells."""


def table_flowables(
    table: Table, styles: Styles, render_cell: CellRenderer, language: str = DEFAULT_LANGUAGE
) -> list[Flowable]:
    """Return `table` as reportlab Tables of at most CHUNK_ROWS body rows, each repeating the header.

    `render_cell` turns each cell into flowables, so a cell's text is always a Paragraph
    and wraps inside its column. The columns are sized from their content when the
    table learns its width (see `guide.writers.columns`), the same for every part, and
    words too wide for their column break where `language` allows.
    """
    sizer = Sizer(TypefaceMeasure(styles.typeface, styles.metrics.base), pdf_geometry(styles), language)
    columns = Columns(table, Fitter(sizer, Marking.LINES), render_cell)
    header = [[render_cell(cell, True) for cell in row] for row in table.header]
    rows = [[render_cell(cell, False) for cell in row] for row in table.rows]
    widths = relative_widths(table.widths)
    tables: list[Flowable] = []
    for start in range(0, max(len(rows), 1), CHUNK_ROWS):
        part = Part(columns, [*table.header, *table.rows[start : start + CHUNK_ROWS]], len(table.header))
        tables.append(_reportlab_table(header, rows[start : start + CHUNK_ROWS], widths, styles, part))
    return [*tables, Spacer(0, styles.metrics.block_gap)]


def relative_widths(widths: Sequence[float]) -> list[str]:
    """Return `widths` as percentages of the available width, which reportlab resolves in wrap.

    The model's widths are positive and finite, and their sum too (see `model.Table`).
    """
    total = sum(widths)
    return [f"{width * 100 / total:.6f}%" for width in widths]


def pdf_geometry(styles: Styles) -> Geometry:
    """Return what the PDF's table cells put around their text (see `columns.Geometry`)."""
    metrics = styles.metrics
    indent = max(styles.bullet.leftIndent, metrics.checkbox + metrics.gutter)
    return Geometry(padding=cell_padding(styles), indent=indent, em=metrics.base)


@dataclass(frozen=True)
class TypefaceMeasure:
    """Widths of text in `typeface` at `size` points, as reportlab draws it (see `columns.Measure`)."""

    typeface: Typeface
    size: float

    def width(self, text: str, bold: bool = False, italic: bool = False) -> float:
        """Return the width of `text` on one line, each run in the font that draws it."""
        face = self._face(bold, italic)
        return sum(
            stringWidth(run, face if font == self.typeface.regular else font, self.size)
            for font, run in self.typeface.runs(text)
        )

    def _face(self, bold: bool, italic: bool) -> str:
        if bold and italic:
            return self.typeface.bold_italic
        if bold:
            return self.typeface.bold
        return self.typeface.italic if italic else self.typeface.regular


@dataclass
class Columns:
    """What a table's parts share to size their columns once they learn their width."""

    table: Table
    fitter: Fitter
    render_cell: CellRenderer
    sized: dict[float, list[float]] = field(default_factory=dict)

    def widths(self, available: float) -> list[float]:
        """Return the columns' widths, in points, for a table `available` points wide, once for all parts."""
        if available not in self.sized:
            self.sized[available] = table_widths(self.fitter.sizer, self.table, available)
        return self.sized[available]


@dataclass
class Part:
    """The model cells of one reportlab Table (header rows first) and how its columns are sized."""

    columns: Columns
    cells: list[tuple[Cell, ...]]
    header_rows: int
    sized_for: float | None = field(default=None)


def _reportlab_table(
    header: list[list[list[Flowable]]],
    rows: list[list[list[Flowable]]],
    widths: list[str],
    styles: Styles,
    part: Part,
) -> ReportlabTable:
    table = _RowKeepingTable(
        [*header, *rows],
        styles.metrics.text_height,
        cell_padding(styles),
        colWidths=widths,
        repeatRows=len(header),
        splitInRow=1,
        style=_table_style(len(header), styles),
        hAlign="LEFT",
        renderCB=TableTagger(),
    )
    table.part = part
    return table


class _RowKeepingTable(ReportlabTable):
    """A Table that moves a row to the next page whole rather than cut it, where it can.

    reportlab splits between rows where it can, but otherwise cuts the first row that
    crosses the page end, even one that fits whole on the next page: a sign-off row's
    name field then sits on one page and its signature alone on the next. Here a row
    is cut only when it is too tall for a page, or when moving it on would leave more
    of this page empty than MOST_LEFT_EMPTY allows (a tall row under its heading).
    A table without a header row moves on whole, on the same terms: its rows belong
    together (a grid of fields, a sign-off), and a part on the next page would have
    no header to say what it is.
    """

    # reportlab's own members, which its type stubs leave out
    _rowHeights: list[float]
    _height: float
    _calc: Callable[[float, float], None]
    _splitRows: Callable[..., list[Flowable]]
    _getFirstPossibleSplitRowPosition: Callable[[float], int]
    _argW: list[float | str | None]

    _cellvalues: list[list[Any]]

    def __init__(
        self, data: list[list[list[Flowable]]], text_height: float = 0, padding: float = 0, **options: Any
    ) -> None:
        super().__init__(data, **options)
        self.text_height = text_height  # reportlab makes the parts of a split without it: see `split`
        self.padding = padding
        self.part: Part | None = None  # the parts of a split keep the widths they were given

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._size_columns(availWidth)
        self._fit_padding(availWidth)
        return super().wrap(availWidth, availHeight)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        """Return the parts of the table for `availHeight`, or [] to move it to the next page whole."""
        self._size_columns(availWidth)
        self._fit_padding(availWidth)
        self._calc(availWidth, availHeight)
        if not self._header_rows() and self._height <= self.text_height and self._may_leave(availHeight):
            return []
        parts = self._parts(availHeight)
        for part in parts:
            if isinstance(part, _RowKeepingTable):
                part.text_height, part.padding = self.text_height, self.padding
        return parts

    def _parts(self, available: float) -> list[Flowable]:
        """Return the table split between rows where the row at the page end may move, else inside it."""
        row = self._getFirstPossibleSplitRowPosition(available)
        used = sum(self._rowHeights[:row]) if row > self._header_rows() else 0  # the header alone moves on
        if self._fits_a_page(row) and self._may_leave(available - used):
            return self._splitRows(available, doInRowSplit=0)
        parts = self._splitRows(available, doInRowSplit=1)
        if len(parts) == 2 and _starts_with_empty_row(parts[1]):
            return [parts[0], *self._rows_after(row)]
        return parts or self._splitRows(available, doInRowSplit=0)

    def _rows_after(self, row: int) -> list[Flowable]:
        """Return the rows after `row` as a table of their own (with the header), or [] if there are none.

        reportlab cuts a row whose content all fits, when only its padding does not,
        leaving an empty strip under a repeated header on the next page: its first
        part is the whole row.
        """
        if row + 1 >= len(self._rowHeights):
            return []
        return self._splitRows(sum(self._rowHeights[: row + 1]), doInRowSplit=0)[1:]

    def _splitCell(self, value: Any, style: Any, oldHeight: float, newHeight: float, width: float) -> Any:
        """Split one cell of a row that continues on the next page; a multi-line field continues too.

        reportlab leaves a field's box, which fits, on the row's first page, and the
        rest of the row would run on beside an empty column: the answer's box
        continues beside the text instead, as a field of its own (see `FieldBox.continued`).
        """
        # reportlab leaves room for the top padding only, and splits the cell's flowables at the
        # column's whole width: the first part, drawn narrower, ran over the page's end
        inner = width - style.leftPadding - style.rightPadding
        parts = super()._splitCell(value, style, oldHeight, newHeight - style.bottomPadding, inner)  # type: ignore[misc]
        if parts and not parts[1] and isinstance(parts[0], tuple):
            continued = [box for box in (_continued(flowable) for flowable in parts[0]) if box is not None]
            return parts[0], tuple(continued)
        return parts

    def _may_leave(self, empty: float) -> bool:
        """Return whether moving on may leave `empty` points of this page empty."""
        return empty <= self.text_height * MOST_LEFT_EMPTY

    def _size_columns(self, available: float) -> None:
        """Size the columns from their content for a table `available` points wide, once.

        Cells with a word too wide for its column are drawn again with the word's
        line breaks marked (see `columns.Fitter`).
        """
        part = self.part
        if part is None or part.sized_for is not None:
            return
        widths = part.columns.widths(available)
        self._argW = list(widths)
        fitter, render_cell = part.columns.fitter, part.columns.render_cell
        for row, cells in enumerate(part.cells):
            header = row < part.header_rows
            for column, (cell, width) in enumerate(zip(cells, widths, strict=True)):
                fitted = fitter.cell(cell, width, header)
                if fitted is not cell:
                    self._cellvalues[row][column] = render_cell(fitted, header)
        part.sized_for = available

    def _fit_padding(self, available: float) -> None:
        """Narrow the padding of columns too narrow for it, so that every cell keeps room for text.

        With the full padding on both sides, a column narrower than about 9 pt (a
        comparison of fifty levels, a nested table in a narrow cell) has no room
        left, and reportlab fails with "negative availWidth".
        """
        for column, width in enumerate(self._argW):
            if isinstance(width, str):
                width = float(width.rstrip("%")) / 100 * available
            padding = min(self.padding, (width or 0) * MAX_PADDING_SHARE)
            if width and padding < self.padding:
                self.setStyle(
                    [(side, (column, 0), (column, -1), padding) for side in ("LEFTPADDING", "RIGHTPADDING")]
                )

    def _header_rows(self) -> int:
        return self.repeatRows if isinstance(self.repeatRows, int) else 0

    def _fits_a_page(self, row: int) -> bool:
        """Return whether the header rows and row `row` fit together on an empty page."""
        header_rows = self._header_rows()
        row = min(max(row, header_rows), len(self._rowHeights) - 1)
        return sum(self._rowHeights[:header_rows]) + self._rowHeights[row] <= self.text_height


def _starts_with_empty_row(table: Flowable) -> bool:
    """Return whether the first body row of `table`, a part of a split one, has nothing in it."""
    if not isinstance(table, _RowKeepingTable):
        return False
    header_rows = table._header_rows()
    rows = table._cellvalues[header_rows : header_rows + 1]
    return bool(rows) and all(not cell for cell in rows[0])


def _continued(flowable: Flowable) -> Flowable | None:
    """Return what continues `flowable` beside a row's text on the next page: a field's box, or nothing."""
    return flowable.continued() if isinstance(flowable, LabelledField) else None


def embedded_cell_font(font_name: str) -> tuple[str, tuple[int, int], tuple[int, int], str]:
    """Return the table command that sets every cell's font to `font_name`.

    Cells hold paragraphs, but reportlab still sets each cell's font: make it an embedded one.
    """
    return ("FONT", (0, 0), (-1, -1), font_name)


def cell_padding(styles: Styles) -> float:
    """Return the room left and right of a cell's text, in points, where the column has it."""
    return styles.metrics.base * 0.45


MAX_PADDING_SHARE = 0.15
"""The most of a column's width its padding may take on each side."""


def _table_style(header_rows: int, styles: Styles) -> TableStyle:
    palette, metrics = styles.palette, styles.metrics
    padding = cell_padding(styles)
    commands: list[tuple] = [
        embedded_cell_font(styles.typeface.regular),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), padding),
        ("RIGHTPADDING", (0, 0), (-1, -1), padding),
        ("TOPPADDING", (0, 0), (-1, -1), padding * 0.8),
        ("BOTTOMPADDING", (0, 0), (-1, -1), padding),
        ("BOX", (0, 0), (-1, -1), metrics.rule_width, palette.rule),
        ("INNERGRID", (0, 0), (-1, -1), metrics.rule_width / 2, palette.rule),
        ("ROWBACKGROUNDS", (0, header_rows), (-1, -1), [palette.paper, palette.shade]),
    ]
    if header_rows:
        last_header = header_rows - 1
        commands += [
            ("BACKGROUND", (0, 0), (-1, last_header), palette.primary),
            ("LINEBELOW", (0, last_header), (-1, last_header), metrics.rule_width, palette.primary),
        ]
    return TableStyle(commands)
