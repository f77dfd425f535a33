"""Model blocks -> platypus flowables: one `match` case per node type.

Every piece of text becomes escaped markup in a named style (see `inline.py` and
`styles.py`); headings carry what the page template needs for the outline and
the table of contents.
"""

from __future__ import annotations

import functools
from ast import literal_eval
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar, assert_never

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, PageBreakIfNotEmpty, Spacer, TableStyle
from reportlab.platypus import PageBreak as ReportlabPageBreak
from reportlab.platypus.tableofcontents import TableOfContents as ReportlabContents

from guide.model import (
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
    Table,
    TableOfContents,
    Words,
    leading_headings,
    plain_text,
    sections,
)
from guide.scripts import TITLE_ROLES, keep_last_words
from guide.writers.columns import DEFAULT_LANGUAGE, Fitter, Marking, Sizer
from guide.writers.pdf.canvas import PageCountCanvas
from guide.writers.pdf.checkitems import CheckItemFlowable
from guide.writers.pdf.diagram import DiagramFlowable
from guide.writers.pdf.direction import mirrored
from guide.writers.pdf.fields import FieldBox, LabelledField, SignatureFlowable
from guide.writers.pdf.inline import (
    anchor_key,
    destination_markup,
    inline_markup,
    plain_markup,
    single_line,
)
from guide.writers.pdf.sections import SHORT_SECTION_SHARE, KeptSection
from guide.writers.pdf.styles import Styles
from guide.writers.pdf.tables import TypefaceMeasure, embedded_cell_font, pdf_geometry, table_flowables
from guide.writers.pdf.tagged import ContentsEntry, ListItem, TaggedParagraph
from guide.writers.pdf.tagging import structure_of

B = TypeVar("B", Paragraph, BulletList, CheckItem, Heading)

CONTENTS_LEVELS = 2
"""Headings down to this level are listed in the table of contents."""


@dataclass(frozen=True)
class HeadingEntry:
    """What the outline and the table of contents need to know about a drawn heading."""

    level: int
    text: str
    key: str | None


def contents_table_style(font_name: str) -> TableStyle:
    """Return reportlab's own contents table style, with the embedded `font_name` instead of Helvetica."""
    return TableStyle(
        [embedded_cell_font(font_name), ("VALIGN", (0, 0), (-1, -1), "TOP"),
         ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]
    )  # fmt: skip


LEADER = " . "
"""One step of the dotted leader: a dot with a space each side."""


ContentsLine = tuple[int, str, str | None]
"""A line of the table of contents: its level (0 for the top), its text as markup, its link key."""


@dataclass(frozen=True)
class _EntryEnd:
    """Where an entry's text ended when it was drawn, for its leader and page number drawn at save."""

    index: int
    text_end: float
    baseline: float
    key: str | None


class LeaderedContents(ReportlabContents):
    """reportlab's table of contents, laid out once, its leader dots on one grid, its numbers flush right.

    Its lines are known before the document is laid out (`expect`), so the contents
    take their full height in the first and only layout pass. The page numbers are
    known only once the body is drawn: each entry draws its leader and number as two
    form XObjects, defined when the canvas saves (`define_ends`).

    reportlab counts each entry's dots back from the start of its own page number, in
    the entry's own font, so dots of bold entries and of entries with wider numbers do
    not line up. Here every entry's dots are drawn in the `leader` style, on steps
    counted back from one point: the left edge of a column as wide as the widest page
    number. The numbers end at the right edge of the frame.
    """

    def __init__(self, styles: Styles) -> None:
        super().__init__(
            levelStyles=list(styles.toc_levels),
            dotsMinLevel=0,
            tableStyle=contents_table_style(styles.typeface.regular),
        )
        self.leader = styles.toc_leader
        self.right_to_left = styles.right_to_left
        """Right to left, the page numbers are at the left and each entry's text ends at its left."""
        self.ends: list[_EntryEnd] = []
        self.width = 0.0

    def expect(self, lines: list[ContentsLine]) -> None:
        """Lay out with these `lines`, the headings the body will list, in order.

        Each stands in reportlab's entries with its place where its page goes: that
        number comes back in each entry's `drawTOCEntryEnd` label.
        """
        self._lastEntries = [(level, text, index, key) for index, (level, text, key) in enumerate(lines)]

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        """Lay the entries out as reportlab does, then end them with `draw_entry_end` instead."""
        size = super().wrap(availWidth, availHeight)
        for row in self._table._cellvalues:  # type: ignore[attr-defined]  # the entries reportlab made
            for cell in row:
                for entry in cell if isinstance(cell, tuple | list) else (cell,):
                    ContentsEntry.tag(entry)
        self.width = availWidth
        canvas = self.canv
        assert isinstance(canvas, PageCountCanvas), "the writer builds with canvasmaker=PageCountCanvas"
        canvas.setNamedCB("drawTOCEntryEnd", self.draw_entry_end)  # what reportlab's entries call
        if self.define_ends not in canvas.at_save:
            canvas.at_save.append(self.define_ends)
        return size

    def draw_entry_end(self, canvas: Canvas, _kind: str | None, label: str) -> None:
        """Leave room for an entry's dots and page number, drawn at save once its page is known.

        `label` is what reportlab wrote into the entry: "index,level,key".
        """
        index, _level, key_text = label.split(",")
        where = canvas._curr_tx_info  # type: ignore[attr-defined]  # noqa: SLF001 - where the entry's text ended
        end = _EntryEnd(int(index), where["cur_x"], where["cur_y"], literal_eval(key_text))
        style = self.getLevelStyle(int(_level))

        def finish(canvas: Canvas) -> None:  # after the entry's text, which reportlab draws last
            assert isinstance(canvas, PageCountCanvas), "the writer builds with canvasmaker=PageCountCanvas"
            with structure_of(canvas).aside(canvas):
                canvas.leave_room(f"leader{end.index}")
            canvas.leave_room(f"page{end.index}")
            if end.key:
                left, right = (0.0, end.text_end) if self.right_to_left else (end.text_end, self.width)
                box = (left, end.baseline, right, end.baseline + style.leading)
                canvas.linkRect("", end.key, box, relative=1)

        assert isinstance(canvas, PageCountCanvas), "the writer builds with canvasmaker=PageCountCanvas"
        self.ends.append(end)
        canvas.deferred.append(finish)

    def define_ends(self, canvas: Canvas) -> None:
        """Draw every entry's leader and page number, from the pages its headings were drawn on."""
        assert isinstance(canvas, PageCountCanvas), "the writer builds with canvasmaker=PageCountCanvas"
        entries = self._entries  # type: ignore[attr-defined]  # what the headings drawn told reportlab
        drawn = [(level, text, key) for level, text, _page, key in entries]
        expected = [(level, text, key) for level, text, _index, key in self._lastEntries]
        assert drawn == expected, "the headings drawn are the ones the contents were laid out with"
        pages = [(level, str(page)) for level, _text, page, _key in entries]
        numbers = max((self._width(text, self.getLevelStyle(level)) for level, text in pages), default=0.0)
        gap = stringWidth(" ", self.leader.fontName, self.leader.fontSize)
        leader_end = self.width - numbers - gap
        step = stringWidth(LEADER, self.leader.fontName, self.leader.fontSize)
        drawings = {}
        for end in self.ends:
            level, number = pages[end.index]
            style = self.getLevelStyle(level)
            if self.right_to_left:  # from the number's column at the left to the text's start
                steps = max(0, int((end.text_end - numbers - gap) / step))
                dots = (numbers + gap, end.baseline, LEADER * steps, self.leader)
                place = (0.0, end.baseline, number, style)
            else:
                steps = max(0, int((leader_end - end.text_end) / step))
                dots = (leader_end - steps * step, end.baseline, LEADER * steps, self.leader)
                place = (self.width - self._width(number, style), end.baseline, number, style)
            drawings[f"leader{end.index}"] = functools.partial(self._draw_text, *dots)
            drawings[f"page{end.index}"] = functools.partial(self._draw_text, *place)
        canvas.fill_rooms(drawings)

    @staticmethod
    def _width(text: str, style: ParagraphStyle) -> float:
        return stringWidth(text, style.fontName, style.fontSize)

    @staticmethod
    def _draw_text(x: float, baseline: float, text: str, style: ParagraphStyle, canvas: Canvas) -> None:
        line = canvas.beginText(x, baseline)
        line.setFont(style.fontName, style.fontSize)
        line.setFillColor(style.textColor)
        line.textLine(text)
        canvas.drawText(line)


class HeadingParagraph(TaggedParagraph):
    """A heading's paragraph (`H1`-`H3`), carrying its `entry` for the page template's afterFlowable."""

    entry: HeadingEntry | None = None


@dataclass(frozen=True)
class BlockRenderer:
    """Turns blocks into flowables in the named `styles`; `in_cell` in cells, `in_header` in header rows.

    Words too wide for their line are hyphenated by the dictionary of `language`.
    """

    styles: Styles
    language: str = DEFAULT_LANGUAGE
    words: Words = Words()
    """The writer's own words, in the document's language."""
    in_header: bool = False
    in_cell: bool = False

    @functools.cached_property
    def _fitter(self) -> Fitter:
        measure = TypefaceMeasure(self.styles.typeface, self.styles.metrics.base)
        return Fitter(Sizer(measure, pdf_geometry(self.styles), self.language), Marking.LINES)

    def _fitted(self, block: B, style: ParagraphStyle, bold: bool = False) -> B:
        """Return `block` with line breaks marked in words wider than the page (a URL, a compound).

        reportlab would cut such a word at any letter; it breaks where the columns'
        rules allow instead (see `guide.writers.columns`). In a cell the table fits its
        columns' words itself. `style` gives the text's size: the room is measured in
        the base size the fitter measures with.
        """
        if self.in_cell:
            return block
        metrics = self.styles.metrics
        room = (metrics.text_width - style.leftIndent) * metrics.base / style.fontSize
        return self._fitter.block(block, room, bold)

    def blocks(self, blocks: tuple[Block, ...]) -> list[Flowable]:
        """Return the flowables for `blocks`, in order.

        Each run of headings and the blocks up to the next run is one `KeptSection`,
        after a page break when its first heading asks for a new page.
        """
        flowables: list[Flowable] = []
        for part in sections(blocks):
            headings = leading_headings(part)
            body = self._flowables(part[len(headings) :])
            if not headings:
                flowables += body
                continue
            if headings[0].new_page:
                flowables.append(PageBreakIfNotEmpty())
            short = self.styles.metrics.text_height * SHORT_SECTION_SHARE
            flowables.append(KeptSection(self._flowables(headings), body, short))
        return flowables

    def _flowables(self, blocks: Sequence[Block]) -> list[Flowable]:
        return [flowable for block in blocks for flowable in self.block(block)]

    def block(self, block: Block) -> list[Flowable]:
        """Return the flowables that draw one `block`."""
        match block:
            case Heading(level=level):
                return self.heading(self._fitted(block, self.styles.heading(level), bold=True))
            case Paragraph(role=role):
                return [self.paragraph(self._fitted(block, self.styles.paragraph(role)).spans, role)]
            case BulletList():
                return self.bullet_list(self._fitted(block, self.styles.paragraph("body")).items)
            case Table():
                table = mirrored(block) if self.styles.right_to_left else block
                return table_flowables(table, self.styles, self.cell, self.language)
            case CheckItem():
                return [self.check_item(self._fitted(block, self.styles.paragraph("body")))]
            case FormField():
                return [self.form_field(block)]
            case SignatureLine(label=label, date=date):
                label_paragraph = TaggedParagraph(
                    plain_markup(label, self.styles.typeface), self.styles.label
                )
                return [SignatureFlowable(label_paragraph, self.styles, self.words, date)]
            case Diagram():
                return [DiagramFlowable(block, self.styles, self.words.tracks_split)]
            case TableOfContents(title=title):
                return self.contents(title)
            case PageBreak():
                return [ReportlabPageBreak()]
            case _:
                assert_never(block)

    def cell(self, cell: Cell, header: bool) -> list[Flowable]:
        """Return the flowables for a table `cell`; `header` cells get the header look.

        The gap a list leaves below itself is left out at the cell's end, where the
        cell's padding is: it would make the row taller, and split it for nothing.
        """
        flowables = BlockRenderer(
            self.styles, self.language, self.words, in_header=header, in_cell=True
        ).blocks(cell.blocks)
        while flowables and isinstance(flowables[-1], Spacer):
            flowables.pop()
        return flowables

    def paragraph(self, spans: Inline, role: str) -> TaggedParagraph:
        """Return a paragraph in the style named by `role` (in a header cell, the header look)."""
        style = self.styles.paragraph(role)
        text = keep_last_words(spans) if role in TITLE_ROLES else spans
        look = self.styles.header_cell if self.in_header else style
        return TaggedParagraph(self._markup(text), look, role="H1" if role == "title" else "P")

    def heading(self, heading: Heading) -> list[Flowable]:
        """Return a heading's paragraph, a link destination when it has an anchor."""
        style = self.styles.heading(heading.level)
        markup = destination_markup(heading.anchor) + self._markup(keep_last_words(heading.spans))
        paragraph = HeadingParagraph(markup, style, role=f"H{heading.level}")
        key = None if heading.anchor is None else anchor_key(heading.anchor)
        paragraph.entry = HeadingEntry(heading.level, single_line(plain_text(heading.spans)), key)
        return [paragraph]

    def bullet_list(self, items: tuple[Inline, ...]) -> list[Flowable]:
        """Return one bulleted paragraph per item (the items of one `L`), then the gap after the list."""
        style = self.styles.header_bullet if self.in_header else self.styles.bullet
        group = object()
        bullets: list[Flowable] = [
            ListItem(self._markup(item), style, bulletText="•", group=group) for item in items
        ]
        return [*bullets, Spacer(0, self.styles.metrics.block_gap / 2)]

    def check_item(self, item: CheckItem) -> Flowable:
        """Return a checkbox beside the item text, with an evidence field when asked for."""
        text = TaggedParagraph(self._markup(item.spans), self.styles.paragraph("body"))
        return CheckItemFlowable(item, text, self.styles, self.words)

    def form_field(self, field: FormField) -> LabelledField:
        """Return the field's label above its box (and a printed list of any choices)."""
        parts: list[Flowable] = [FieldBox(field, self.styles, self.words)]
        if field.show_label:
            parts.insert(
                0, TaggedParagraph(plain_markup(field.label, self.styles.typeface), self.styles.label)
            )
        if field.kind == "choice":
            hint = plain_markup(self.words.choices(field.choices), self.styles.typeface)
            parts.append(TaggedParagraph(hint, self.styles.caption))
        return LabelledField(parts, self.styles)

    def contents(self, title: str) -> list[Flowable]:
        """Return the contents title and a table of contents filled in by multiBuild."""
        return [
            TaggedParagraph(plain_markup(title, self.styles.typeface), self.styles.toc_title, role="H1"),
            LeaderedContents(self.styles),
        ]

    def _markup(self, spans: Inline) -> str:
        return inline_markup(spans, self.styles.palette.primary_hex, self.styles.typeface)
