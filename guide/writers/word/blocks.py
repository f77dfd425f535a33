"""Blocks of the document model become Word paragraphs, tables and content controls.

One `match` case per node type, ending in `assert_never`, so a new node type
is a type error here until it is written. Every block goes into a container:
the document body or a table cell (both have `add_paragraph` and `add_table`).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from typing import Any, assert_never

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Length, Pt

from guide.model import (
    DEFAULT_LANGUAGE,
    Block,
    BulletList,
    CheckItem,
    Diagram,
    FormField,
    Heading,
    HeadingLevels,
    PageBreak,
    Paragraph,
    SignatureLine,
    Table,
    TableOfContents,
    Words,
    sections,
    walk,
    written_right_to_left,
)
from guide.scripts import TITLE_ROLES, keep_last_words
from guide.theme import Theme
from guide.writers.word import styles
from guide.writers.word.contents import add_contents
from guide.writers.word.controls import add_checkbox, add_evidence, add_field_control, control_title
from guide.writers.word.diagram import add_diagram
from guide.writers.word.elements import PARAGRAPH_PROPERTIES, add_styled, element, insert_in_order, set_style
from guide.writers.word.inline import add_bookmark, add_spans
from guide.writers.word.outline import Outline
from guide.writers.word.tables import (
    Container,
    add_table,
    estimated_lines,
    finish_cell,
    fit_table,
    inner_width,
    is_short,
    keep_on_one_page,
    keep_together,
    keep_with_next_row,
    mark_header,
    rule_below,
    set_min_height,
)

SIGNATURE_COLUMNS = (0.58, 0.06, 0.36)
"""Signature line, gap, date line."""


class BlockWriter:
    """Writes the blocks of one document, numbering its bookmarks and controls (`w:id`) from 1."""

    def __init__(
        self, theme: Theme, outline: Outline, language: str = DEFAULT_LANGUAGE, words: Words | None = None
    ) -> None:
        self.theme = theme
        self.outline = outline
        self.language = language
        """The document's language: its runs say it, and words too wide are hyphenated by its dictionary."""
        self.words = words or Words()
        """The writer's own words (captions, hints), in the document's language."""
        self.ids: Iterator[int] = itertools.count(1)
        self.heading_bookmarks = iter(outline.heading_bookmarks)
        self.headings = HeadingLevels()
        self.titles: set[str] = set()
        """The titles the document's controls have so far: each is unique."""

    def add_blocks(
        self, container: Container, blocks: tuple[Block, ...], width: Length, body_style: str
    ) -> None:
        """Append `blocks` to `container`, `width` wide; body paragraphs get `body_style`.

        A short section (its headings and what follows them, estimated at no more than
        a third of a page) is kept on one page, as the PDF keeps it: its last lines
        would otherwise open the next page alone.
        """
        for section in sections(blocks):
            element = _element(container)
            start = _content_length(element)
            for block in section:
                self.add_block(container, block, width, body_style)
            if self._is_short(section, width):
                keep_with_following(element[start : _content_length(element)])

    def _is_short(self, section: tuple[Block, ...], width: Length) -> bool:
        """Return whether `section` is estimated short enough to keep on one page.

        A sign-off and what leads to it (a notes box) may take half a page: a signature
        alone on the last page, its heading on the page before, reads as a mistake.
        """
        size = self.theme.font_size.points
        _, height = self.theme.page_points
        room = height - self.theme.margins.top.points - self.theme.margins.bottom.points
        lines = estimated_lines(section, per_line=width.pt / (size / 2))
        signs_off = any(isinstance(block, Table) and _is_sign_off(block) for block in section)
        return lines * size * LINE_HEIGHT <= room * (
            SIGN_OFF_SECTION_SHARE if signs_off else SHORT_SECTION_SHARE
        )

    def add_block(self, container: Container, block: Block, width: Length, body_style: str) -> None:
        """Append one `block` to `container` (see `add_blocks`)."""
        match block:
            case Heading():
                self._heading(container, block)
            case Paragraph():
                self._paragraph(container, block, body_style)
            case BulletList():
                self._bullets(container, block)
            case Table():
                self._table(container, block, width)
            case CheckItem():
                self._check_item(container, block)
            case FormField():
                self._form_field(container, block, width)
            case SignatureLine():
                self._signature(container, block, width)
            case Diagram():
                add_diagram(
                    container, block, width, self.theme, self.words, written_right_to_left(self.language)
                )
            case TableOfContents():
                add_contents(container, block, self.outline.entries)
            case PageBreak():
                add_styled(container, styles.PAGE_BREAK).add_run().add_break(WD_BREAK.PAGE)
            case _:
                assert_never(block)

    def _heading(self, container: Container, heading: Heading) -> None:
        """A Heading 1-3 paragraph, with a bookmark when it is linked to or listed in the contents.

        A heading more than one level below the one before it (a question under a chapter)
        keeps its look but is one level down in the outline that screen readers and
        Word's navigation read: levels never skip.
        """
        paragraph = add_styled(container, styles.HEADINGS[heading.level])
        level = self.headings.level(heading.level)
        if level != heading.level:
            outline_level = element("w:outlineLvl", w_val=level - 1)
            insert_in_order(paragraph._p.get_or_add_pPr(), outline_level, PARAGRAPH_PROPERTIES)
        if heading.new_page:
            paragraph.paragraph_format.page_break_before = True
        add_spans(paragraph, keep_last_words(heading.spans), self.outline, self.language)
        bookmark = next(self.heading_bookmarks)
        if bookmark:
            add_bookmark(paragraph, bookmark, self.ids)

    def _paragraph(self, container: Container, paragraph: Paragraph, body_style: str) -> None:
        """A paragraph in the style of its role."""
        written = add_styled(container, styles.style_for_role(paragraph.role, body_style))
        spans = keep_last_words(paragraph.spans) if paragraph.role in TITLE_ROLES else paragraph.spans
        add_spans(written, spans, self.outline, self.language)

    def _bullets(self, container: Container, bullets: BulletList) -> None:
        """One List Bullet paragraph per item."""
        for item in bullets.items:
            add_spans(add_styled(container, styles.LIST_BULLET), item, self.outline, self.language)

    def _table(self, container: Container, table: Table, width: Length) -> None:
        """A table in the Guide Table style: header rows repeat and are shaded, short rows hold together.

        Header rows keep with the first body row; a sign-off table (no header row,
        signature lines in its cells) is never split.
        """
        widths, table = fit_table(table, width, self.theme, self.language)
        rows = (*table.header, *table.rows)
        written = add_table(container, widths, len(rows), width, styles.TABLE)
        for index, (cells, row) in enumerate(zip(rows, written.rows, strict=True)):
            is_header = index < len(table.header)
            body_style = styles.TABLE_HEADING if is_header else styles.TABLE_TEXT
            for cell, written_cell in zip(cells, row.cells, strict=True):
                first_paragraph = written_cell.paragraphs[0]._p
                self.add_blocks(written_cell, cell.blocks, inner_width(written_cell), body_style)
                finish_cell(written_cell, first_paragraph, styles.CLOSING)
            if is_header:
                mark_header(row, self.theme.colors.primary)
                keep_with_next_row(row)  # the last with the first body row: never alone at a page's foot
            elif is_short(cells, [inner_width(cell) for cell in row.cells], self.theme.font_size.points):
                keep_together(row)
        if _is_sign_off(table):
            keep_on_one_page(written)

    def _check_item(self, container: Container, item: CheckItem) -> None:
        """A checkbox, a tab and the item's text in one paragraph; below it an evidence field if asked for."""
        paragraph = add_styled(container, styles.CHECK_ITEM)
        add_checkbox(paragraph, item, self._title(item.accessible_name), self.ids)
        paragraph.add_run("\t")
        add_spans(paragraph, item.spans, self.outline, self.language)
        if item.evidence_name:
            paragraph.paragraph_format.keep_with_next = True  # the item and its evidence line
            evidence = add_styled(container, styles.EVIDENCE)
            add_evidence(evidence, item.evidence_name, self._title(item.evidence_label), self.ids)

    def _form_field(self, container: Container, field: FormField, width: Length) -> None:
        """The field's label (if shown), then its control: on a rule, or in a box for multi-line text."""
        if field.show_label:
            add_styled(container, styles.FIELD_LABEL, field.label)
        if field.kind == "multiline":
            box = add_table(container, (1.0,), 1, width, styles.TABLE)
            set_min_height(box.rows[0], self.theme.font_size.points * field.box_height)
            paragraph = box.cell(0, 0).paragraphs[0]
            set_style(paragraph, styles.FIELD_BOX)
        else:
            paragraph = add_styled(container, styles.FIELD_VALUE)
        add_field_control(paragraph, field, self._title(field.label), self.ids, self.language, self.words)
        hint = {"date": self.words.date_hint, "choice": self.words.choices(field.choices)}.get(field.kind)
        if hint:  # on paper the control is a bare line: say what it takes, as the PDF does
            paragraph.paragraph_format.space_after = Pt(0)
            paragraph.paragraph_format.keep_with_next = True
            add_styled(container, styles.FIELD_HINT, hint)

    def _signature(self, container: Container, signature: SignatureLine, width: Length) -> None:
        """The signer's role, then a line to sign on and a line for the date, captioned below."""
        add_styled(container, styles.FIELD_LABEL, signature.label)
        table = add_table(container, SIGNATURE_COLUMNS, 2, width, None)
        lines, captions = table.rows
        set_min_height(lines, 3 * self.theme.font_size.points)
        for row, style in ((lines, styles.SIGNATURE_SPACE), (captions, styles.SIGNATURE_CAPTION)):
            keep_together(row)
            for cell in row.cells:
                set_style(cell.paragraphs[0], style)
        if signature.date is not None:  # the date signed, typed on its line
            date = signature.date
            cell = lines.cells[2]
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM  # typed on the line
            title = self._title(date.label)
            add_field_control(cell.paragraphs[0], date, title, self.ids, self.language, self.words)
        for column, caption in ((0, self.words.signature), (2, self.words.date)):
            rule_below(lines.cells[column], self.theme.colors.text)
            captions.cells[column].paragraphs[0].add_run(caption)

    def _title(self, name: str) -> str:
        """Return the title of the next control, whose accessible name is `name`."""
        return control_title(name, self.titles)


SHORT_SECTION_SHARE = 1 / 3
"""A section no taller than this share of a page is kept on one page (as in the PDF)."""

SIGN_OFF_SECTION_SHARE = 1 / 2
"""A section with a sign-off no taller than this share of a page is kept on one page."""

LINE_HEIGHT = 1.5
"""A line's height in font sizes, with the space between paragraphs, for estimating a section's height."""


def _element(container: Container) -> Any:
    """Return the XML element that holds `container`'s paragraphs: the document's body, or a cell."""
    holder: Any = getattr(container, "_body", container)
    return holder._element


def _content_length(element: Any) -> int:
    """Return how many children of `element` are content: the body's section properties come last."""
    return len(element) - (len(element) > 0 and element[-1].tag == qn("w:sectPr"))


def keep_with_following(elements: Sequence[Any]) -> None:
    """Keep each paragraph and table of `elements` but the last on the page of what follows it.

    A table keeps with what follows when every paragraph in it does.
    """
    for block in elements[:-1]:
        paragraphs = [block] if block.tag == qn("w:p") else block.iter(qn("w:p"))
        for paragraph in paragraphs:
            paragraph.get_or_add_pPr().keepNext_val = True


def _is_sign_off(table: Table) -> bool:
    """Return True if `table` is a sign-off: no header row, and signature lines in its cells."""
    cells = (cell for row in table.rows for cell in row)
    return not table.header and any(
        isinstance(block, SignatureLine) for cell in cells for block in walk(cell.blocks)
    )
