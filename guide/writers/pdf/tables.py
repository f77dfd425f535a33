"""Model tables -> reportlab Tables: paragraph cells, relative widths, repeated headers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from reportlab.platypus import Flowable, Spacer, TableStyle
from reportlab.platypus import Table as ReportlabTable

from guide.model import Cell, Table
from guide.writers.pdf.styles import Styles

CHUNK_ROWS = 500
"""Body rows per reportlab Table: one Table's layout time grows with the square of its rows."""

MOST_LEFT_EMPTY = 0.5
"""The largest share of a page a table leaves empty by moving a row, or itself, to the next page."""

CellRenderer = Callable[[Cell, bool], list[Flowable]]
"""Turns a cell into flowables; the flag is True for header cells."""


def table_flowables(table: Table, styles: Styles, render_cell: CellRenderer) -> list[Flowable]:
    """Return `table` as reportlab Tables of at most CHUNK_ROWS body rows, each repeating the header.

    `render_cell` turns each cell into flowables, so a cell's text is always a Paragraph
    and wraps inside its column.
    """
    header = [[render_cell(cell, True) for cell in row] for row in table.header]
    rows = [[render_cell(cell, False) for cell in row] for row in table.rows]
    widths = relative_widths(table.widths)
    chunks = [rows[start : start + CHUNK_ROWS] for start in range(0, len(rows), CHUNK_ROWS)]
    tables: list[Flowable] = [_reportlab_table(header, chunk, widths, styles) for chunk in chunks or [[]]]
    return [*tables, Spacer(0, styles.metrics.block_gap)]


def relative_widths(widths: Sequence[float]) -> list[str]:
    """Return `widths` as percentages of the available width, which reportlab resolves in wrap.

    The model's widths are positive and finite, and their sum too (see `model.Table`).
    """
    total = sum(widths)
    return [f"{width * 100 / total:.6f}%" for width in widths]


def _reportlab_table(
    header: list[list[list[Flowable]]],
    rows: list[list[list[Flowable]]],
    widths: list[str],
    styles: Styles,
) -> ReportlabTable:
    return _RowKeepingTable(
        [*header, *rows],
        styles.metrics.text_height,
        cell_padding(styles),
        colWidths=widths,
        repeatRows=len(header),
        splitInRow=1,
        style=_table_style(len(header), styles),
        hAlign="LEFT",
    )


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

    def __init__(
        self, data: list[list[list[Flowable]]], text_height: float = 0, padding: float = 0, **options: Any
    ) -> None:
        super().__init__(data, **options)
        self.text_height = text_height  # reportlab makes the parts of a split without it: see `split`
        self.padding = padding

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._fit_padding(availWidth)
        return super().wrap(availWidth, availHeight)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        """Return the parts of the table for `availHeight`, or [] to move it to the next page whole."""
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
        return self._splitRows(available, doInRowSplit=1) or self._splitRows(available, doInRowSplit=0)

    def _may_leave(self, empty: float) -> bool:
        """Return whether moving on may leave `empty` points of this page empty."""
        return empty <= self.text_height * MOST_LEFT_EMPTY

    def _fit_padding(self, available: float) -> None:
        """Narrow the padding of columns too narrow for it, so that every cell keeps room for text.

        With the full padding on both sides, a column narrower than about 9 pt (a
        comparison of fifty levels, a nested table in a narrow cell) has no room
        left, and reportlab fails with "negative availWidth".
        """
        for column, width in enumerate(self._argW):
            share = float(width.rstrip("%")) / 100 if isinstance(width, str) else 0
            padding = min(self.padding, share * available * MAX_PADDING_SHARE)
            if share and padding < self.padding:
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
