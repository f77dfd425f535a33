"""Model blocks -> platypus flowables: one `match` case per node type.

Every piece of text becomes escaped markup in a named style (see `inline.py` and
`styles.py`); headings carry what the page template needs for the outline and
the table of contents.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import assert_never

from reportlab.platypus import Flowable, PageBreakIfNotEmpty, Spacer, TableStyle
from reportlab.platypus import PageBreak as ReportlabPageBreak
from reportlab.platypus import Paragraph as ReportlabParagraph
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
    plain_text,
)
from guide.writers.pdf.checkitems import CheckItemFlowable
from guide.writers.pdf.diagram import DiagramFlowable
from guide.writers.pdf.fields import FieldBox, LabelledField, SignatureFlowable
from guide.writers.pdf.inline import (
    anchor_key,
    destination_markup,
    inline_markup,
    plain_markup,
    single_line,
)
from guide.writers.pdf.sections import SHORT_SECTION_SHARE, KeptSection, leading_headings, sections
from guide.writers.pdf.styles import Styles
from guide.writers.pdf.tables import embedded_cell_font, table_flowables

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


class HeadingParagraph(ReportlabParagraph):
    """A heading's paragraph, carrying its `entry` for the page template's afterFlowable."""

    entry: HeadingEntry | None = None


@dataclass(frozen=True)
class BlockRenderer:
    """Turns blocks into flowables in the named `styles`; `in_header` for header-row cells."""

    styles: Styles
    in_header: bool = False

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
            case Heading():
                return self.heading(block)
            case Paragraph(spans=spans, role=role):
                return [self.paragraph(spans, role)]
            case BulletList(items=items):
                return self.bullet_list(items)
            case Table():
                return table_flowables(block, self.styles, self.cell)
            case CheckItem():
                return [self.check_item(block)]
            case FormField():
                return [self.form_field(block)]
            case SignatureLine(label=label):
                label_paragraph = ReportlabParagraph(
                    plain_markup(label, self.styles.typeface), self.styles.label
                )
                return [SignatureFlowable(label_paragraph, self.styles)]
            case Diagram():
                return [DiagramFlowable(block, self.styles)]
            case TableOfContents(title=title):
                return self.contents(title)
            case PageBreak():
                return [ReportlabPageBreak()]
            case _:
                assert_never(block)

    def cell(self, cell: Cell, header: bool) -> list[Flowable]:
        """Return the flowables for a table `cell`; `header` cells get the header look."""
        return BlockRenderer(self.styles, in_header=header).blocks(cell.blocks)

    def paragraph(self, spans: Inline, role: str) -> ReportlabParagraph:
        """Return a paragraph in the style named by `role` (in a header cell, the header look)."""
        style = self.styles.paragraph(role)
        return ReportlabParagraph(self._markup(spans), self.styles.header_cell if self.in_header else style)

    def heading(self, heading: Heading) -> list[Flowable]:
        """Return a heading's paragraph, a link destination when it has an anchor."""
        style = self.styles.heading(heading.level)
        markup = destination_markup(heading.anchor) + self._markup(heading.spans)
        paragraph = HeadingParagraph(markup, style)
        key = None if heading.anchor is None else anchor_key(heading.anchor)
        paragraph.entry = HeadingEntry(heading.level, single_line(plain_text(heading.spans)), key)
        return [paragraph]

    def bullet_list(self, items: tuple[Inline, ...]) -> list[Flowable]:
        """Return one bulleted paragraph per item, then the gap after the list."""
        style = self.styles.header_bullet if self.in_header else self.styles.bullet
        bullets: list[Flowable] = [
            ReportlabParagraph(self._markup(item), style, bulletText="•") for item in items
        ]
        return [*bullets, Spacer(0, self.styles.metrics.block_gap / 2)]

    def check_item(self, item: CheckItem) -> Flowable:
        """Return a checkbox beside the item text, with an evidence field when asked for."""
        text = ReportlabParagraph(self._markup(item.spans), self.styles.paragraph("body"))
        return CheckItemFlowable(item, text, self.styles)

    def form_field(self, field: FormField) -> LabelledField:
        """Return the field's label above its box (and a printed list of any choices)."""
        parts: list[Flowable] = [FieldBox(field, self.styles)]
        if field.show_label:
            parts.insert(
                0, ReportlabParagraph(plain_markup(field.label, self.styles.typeface), self.styles.label)
            )
        if field.kind == "choice":
            choices = "One of: " + " · ".join(field.choices)
            parts.append(ReportlabParagraph(plain_markup(choices, self.styles.typeface), self.styles.caption))
        return LabelledField(parts, self.styles)

    def contents(self, title: str) -> list[Flowable]:
        """Return the contents title and a reportlab TableOfContents filled in by multiBuild."""
        contents = ReportlabContents(
            levelStyles=list(self.styles.toc_levels),
            dotsMinLevel=0,
            tableStyle=contents_table_style(self.styles.typeface.regular),
        )
        return [
            ReportlabParagraph(plain_markup(title, self.styles.typeface), self.styles.toc_title),
            contents,
        ]

    def _markup(self, spans: Inline) -> str:
        return inline_markup(spans, self.styles.palette.primary_hex, self.styles.typeface)
