"""The page side: templates with the theme's size and margins, running header and footer,
and the outline and contents entries collected as headings are drawn."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import BinaryIO, TypeGuard

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from guide.model import Metadata, Span, plain_text
from guide.scripts import keep_last_words
from guide.theme import Theme
from guide.writers.labels import logo_alt
from guide.writers.pdf.blocks import CONTENTS_LEVELS, ContentsLine, HeadingEntry, LeaderedContents
from guide.writers.pdf.canvas import PageCountCanvas
from guide.writers.pdf.inline import draw_text, plain_markup
from guide.writers.pdf.logo import LogoPicture
from guide.writers.pdf.sections import close_chapters, unpacked
from guide.writers.pdf.styles import Styles
from guide.writers.pdf.tagging import structure_of

CREATOR = "guide"
LOGO_HEIGHT = 20 * mm
HEADER_LOGO_HEIGHT = 2.2
"""The logo's height in the running header, in furniture font sizes (about two lines of it)."""
PERSON_LINE = "PersonLine"
"""The form XObject that names whose document it is in the running header of pages after the
first: the title in the blank form, the person once their values are filled in (see `fill`)."""


def _listed(entry: HeadingEntry | None) -> TypeGuard[HeadingEntry]:
    """Return True if `entry` is a heading the table of contents lists."""
    return entry is not None and entry.level <= CONTENTS_LEVELS


class GuideDocTemplate(BaseDocTemplate):
    """A document of body pages (after an optional cover) that records headings as it goes."""

    def __init__(self, output: BinaryIO, meta: Metadata, theme: Theme, styles: Styles) -> None:
        margins = theme.margins
        super().__init__(
            output,
            pagesize=theme.page_points,
            leftMargin=margins.left.points,
            rightMargin=margins.right.points,
            topMargin=margins.top.points,
            bottomMargin=margins.bottom.points,
            title=meta.title,
            author=meta.organization,
            subject=meta.kind,
            creator=CREATOR,
            invariant=1,
            initialFontName=styles.typeface.regular,  # text objects open in it: not Helvetica
        )
        self.meta = meta
        self.styles = styles
        self.logo = LogoPicture(theme.logo.path, theme.logo.kind) if theme.logo is not None else None
        self.logo_alt = logo_alt(theme.logo, meta) if theme.logo is not None else ""
        self.header_logo = self.logo if theme.logo is not None and theme.logo.header else None
        self.outline_level = -1
        self.listed_pages: list[int] = []
        """The page each heading the contents list was drawn on, in order."""
        self.addPageTemplates(self._page_templates())

    def _page_templates(self) -> list[PageTemplate]:
        body = PageTemplate("body", frames=[self._frame("body")], onPage=self._draw_furniture)
        if not self.meta.cover:
            return [body]
        cover_frame = self._frame("cover", top_padding=self.height * 0.22)
        cover = PageTemplate(
            "cover", frames=[cover_frame], onPage=self._draw_cover, autoNextPageTemplate="body"
        )
        return [cover, body]

    def _frame(self, name: str, top_padding: float = 0) -> Frame:
        return Frame(
            self.leftMargin,
            self.bottomMargin,
            self.width,
            self.height,
            id=name,
            leftPadding=0,
            rightPadding=0,
            topPadding=top_padding,
            bottomPadding=0,
        )

    def lay_out(self, story: list[Flowable], canvasmaker: Callable[..., Canvas]) -> None:
        """Lay `story` out and draw it, in one pass.

        Each section is told where its chapter ends, and each table of contents which
        headings it lists: the pages they fall on are drawn when the canvas saves.
        """
        story = close_chapters(story, self.height)
        flowables = list(unpacked(story))
        entries = (getattr(flowable, "entry", None) for flowable in flowables)
        listed = [self.contents_line(entry) for entry in entries if _listed(entry)]
        self._indexingFlowables = [f for f in flowables if isinstance(f, LeaderedContents)]
        for contents in self._indexingFlowables:
            contents.expect(listed)
        self.build(story, canvasmaker=canvasmaker)

    def contents_line(self, entry: HeadingEntry) -> ContentsLine:
        """Return the line of the contents that lists the heading `entry`.

        The contents parse its text as markup again: it is escaped (and fallback fonts
        named) again. A line that wraps ends in two words, as its heading does.
        """
        text = plain_text(keep_last_words((Span(entry.text),)))
        return entry.level - 1, plain_markup(text, self.styles.typeface), entry.key

    def afterFlowable(self, flowable: Flowable) -> None:
        """Record a drawn heading in the table of contents and the outline."""
        entry: HeadingEntry | None = getattr(flowable, "entry", None)
        if entry is None:
            return
        if _listed(entry):
            level, text, key = self.contents_line(entry)
            self.notify("TOCEntry", (level, text, self.page, key))
            self.listed_pages.append(self.page)
        if entry.key is not None:
            self._add_outline_entry(entry)

    def _add_outline_entry(self, entry: HeadingEntry) -> None:
        """Nest the entry under the previous one; a skipped level is nested one step only."""
        level = min(entry.level - 1, self.outline_level + 1)
        self.canv.addOutlineEntry(entry.text, entry.key, level=level, closed=False)
        self.canv.showOutline()  # the document opens with its outline shown
        self.outline_level = level

    def _draw_cover(self, canvas: Canvas, document: BaseDocTemplate) -> None:
        """Draw the cover's band in the primary colour; a cover has no header or footer."""
        width, height = self.pagesize
        band = self.topMargin * 0.55
        canvas.saveState()
        canvas.setFillColor(self.styles.palette.primary)
        canvas.rect(0, height - band, width, band, stroke=0, fill=1)
        canvas.setFillColor(self.styles.palette.accent)
        canvas.rect(0, height - band - band * 0.12, width, band * 0.12, stroke=0, fill=1)
        if self.logo is not None:
            top = height - band * 1.12 - self.styles.metrics.base * 3
            structure = structure_of(canvas)
            with structure.element("Figure", alt=self.logo_alt), structure.content(canvas):
                self.logo.draw(canvas, self.leftMargin, top, LOGO_HEIGHT, self.width * 0.5)
        canvas.restoreState()

    def _draw_furniture(self, canvas: Canvas, document: BaseDocTemplate) -> None:
        """Draw the running header and the footer of a body page."""
        assert isinstance(canvas, PageCountCanvas), "the writer builds with canvasmaker=PageCountCanvas"
        canvas.saveState()
        self._draw_header(canvas)
        self._draw_footer(canvas)
        canvas.restoreState()

    def _draw_header(self, canvas: PageCountCanvas) -> None:
        style = self.styles.furniture
        left, right = self.leftMargin, self.leftMargin + self.width
        rule_y = self.bottomMargin + self.height + style.fontSize * 0.9
        baseline = rule_y + style.fontSize * 0.6
        canvas.setStrokeColor(self.styles.palette.rule)
        canvas.setLineWidth(self.styles.metrics.rule_width)
        canvas.line(left, rule_y, right, rule_y)
        kind_width = self.styles.typeface.width(self.meta.kind, style.fontSize)
        logo_width = self._draw_header_logo(canvas, rule_y)
        room = self.width - logo_width - kind_width - self.styles.metrics.base * 2
        # the title after the logo, the kind at the other end; right to left, the title at the right
        mirrored = self.styles.right_to_left
        title_left = right - room if mirrored else left + logo_width
        kind_left = left + logo_width if mirrored else right - kind_width - 1
        if self.meta.person_field and canvas.getPageNumber() > 1:
            title = functools.partial(self._draw_line, text=self.meta.title, left=0, baseline=0, room=room)
            canvas.draw_form_slot(PERSON_LINE, title_left, baseline, room, style.fontSize, title)
        else:
            self._draw_line(canvas, self.meta.title, title_left, baseline, room)
        self._draw_line(canvas, self.meta.kind, kind_left, baseline, kind_width + 1)

    def _draw_header_logo(self, canvas: PageCountCanvas, rule_y: float) -> float:
        """Draw the logo small at the left of the running header; return the room it takes, gap included.

        It sits on the header's rule and never reaches higher than the top margin allows,
        nor wider than a quarter of the text.
        """
        if self.header_logo is None:
            return 0.0
        style = self.styles.furniture
        bottom = rule_y + style.fontSize * 0.3
        room_above = self.pagesize[1] - bottom - self.topMargin * 0.25
        height = min(style.fontSize * HEADER_LOGO_HEIGHT, room_above)
        if height <= 0:
            return 0.0
        width = self.header_logo.draw(canvas, self.leftMargin, bottom + height, height, self.width * 0.25)
        return width + self.styles.metrics.base

    def _draw_footer(self, canvas: PageCountCanvas) -> None:
        style = self.styles.furniture
        left, right = self.leftMargin, self.leftMargin + self.width
        baseline = self.bottomMargin - style.fontSize * 2.4
        edition = " · ".join(part for part in (self.meta.organization, self.meta.version) if part)
        mirrored = self.styles.right_to_left  # the edition at the right, the page number at the left
        self._draw_line(
            canvas, edition, right - self.width * 0.7 if mirrored else left, baseline, self.width * 0.7
        )
        page_line = functools.partial(self.meta.words.page_line, canvas.getPageNumber())
        draw = functools.partial(self._draw_from, style=style, ending=not mirrored)
        canvas.draw_page_of_pages(left if mirrored else right, baseline, page_line, draw, style.fontSize)

    def _draw_from(self, canvas: Canvas, text: str, style: ParagraphStyle, ending: bool) -> float:
        """Draw `text` in `style` on the origin's baseline, `ending` there or starting; return its width."""
        width = self.styles.typeface.width(text, style.fontSize)
        draw_text(canvas, text, style, self.styles.typeface, -width if ending else 0, 0)
        return width

    def _draw_line(self, canvas: Canvas, text: str, left: float, baseline: float, room: float) -> None:
        """Draw one line of furniture text from `left` on `baseline`, shortened to fit `room`.

        A paragraph, not drawString, so that fallback fonts and right-to-left runs are drawn right.
        """
        style, typeface = self.styles.furniture, self.styles.typeface
        shown = typeface.shortened(text, room, style.fontSize)
        if self.styles.right_to_left:  # ends at the right of its room
            left += room - typeface.width(shown, style.fontSize)
        draw_text(canvas, shown, style, typeface, left, baseline)
