"""The page side: templates with the theme's size and margins, running header and footer,
and the outline and contents entries collected as headings are drawn."""

from __future__ import annotations

from typing import BinaryIO

from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph

from guide.model import Metadata
from guide.theme import Theme
from guide.writers.pdf import fonts
from guide.writers.pdf.blocks import CONTENTS_LEVELS, HeadingEntry
from guide.writers.pdf.canvas import PageCountCanvas
from guide.writers.pdf.fonts import text_width
from guide.writers.pdf.inline import plain_markup
from guide.writers.pdf.styles import Styles

CREATOR = "guide"
LOGO_HEIGHT = 20 * mm
ELLIPSIS = "…"


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
            initialFontName=fonts.register_fonts(),  # text objects open in it: not Helvetica
        )
        self.meta = meta
        self.styles = styles
        self.logo = theme.logo
        self.outline_level = -1
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

    def beforeDocument(self) -> None:
        """Start each layout pass with an empty outline."""
        self.outline_level = -1

    def afterFlowable(self, flowable: Flowable) -> None:
        """Record a drawn heading in the table of contents and the outline."""
        entry: HeadingEntry | None = getattr(flowable, "entry", None)
        if entry is None:
            return
        if entry.level <= CONTENTS_LEVELS:
            # The contents parses entry text as markup again: escape it (and name fallback fonts) again.
            self.notify("TOCEntry", (entry.level - 1, plain_markup(entry.text), self.page, entry.key))
        if entry.key is not None:
            self._add_outline_entry(entry)

    def _add_outline_entry(self, entry: HeadingEntry) -> None:
        """Nest the entry under the previous one; a skipped level is nested one step only."""
        level = min(entry.level - 1, self.outline_level + 1)
        self.canv.addOutlineEntry(entry.text, entry.key, level=level, closed=False)
        self.outline_level = level

    def _draw_cover(self, canvas: PageCountCanvas, document: BaseDocTemplate) -> None:
        """Draw the cover's band in the primary colour; a cover has no header or footer."""
        width, height = self.pagesize
        band = self.topMargin * 0.55
        canvas.saveState()
        canvas.setFillColor(self.styles.palette.primary)
        canvas.rect(0, height - band, width, band, stroke=0, fill=1)
        canvas.setFillColor(self.styles.palette.accent)
        canvas.rect(0, height - band - band * 0.12, width, band * 0.12, stroke=0, fill=1)
        if self.logo is not None:
            self._draw_logo(canvas, top=height - band * 1.12 - self.styles.metrics.base * 3)
        canvas.restoreState()

    def _draw_logo(self, canvas: PageCountCanvas, top: float) -> None:
        """Draw the theme's logo at the left margin below the band, at most 20 mm high."""
        image = ImageReader(str(self.logo))
        image_width, image_height = image.getSize()
        scale = min(LOGO_HEIGHT / image_height, self.width * 0.5 / image_width)
        width, height = image_width * scale, image_height * scale
        canvas.drawImage(image, self.leftMargin, top - height, width, height, mask="auto")

    def _draw_furniture(self, canvas: PageCountCanvas, document: BaseDocTemplate) -> None:
        """Draw the running header and the footer of a body page."""
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
        kind_width = text_width(self.meta.kind, style.fontName, style.fontSize)
        room = self.width - kind_width - self.styles.metrics.base * 2
        self._draw_line(canvas, self.meta.title, left, baseline, room)
        self._draw_line(canvas, self.meta.kind, right - kind_width - 1, baseline, kind_width + 1)

    def _draw_footer(self, canvas: PageCountCanvas) -> None:
        style = self.styles.furniture
        left, right = self.leftMargin, self.leftMargin + self.width
        baseline = self.bottomMargin - style.fontSize * 2.4
        edition = " · ".join(part for part in (self.meta.organization, self.meta.version) if part)
        self._draw_line(canvas, edition, left, baseline, self.width * 0.7)
        canvas.draw_page_of_pages(right, baseline, style.fontName, style.fontSize, style.textColor)

    def _draw_line(
        self, canvas: PageCountCanvas, text: str, left: float, baseline: float, room: float
    ) -> None:
        """Draw one line of furniture text from `left` on `baseline`, shortened to fit `room`.

        A paragraph, not drawString, so that fallback fonts and right-to-left runs are drawn right.
        """
        style = self.styles.furniture
        paragraph = Paragraph(plain_markup(self._fitted(text, room)), style)
        _, height = paragraph.wrap(room + style.fontSize, style.leading * 3)
        paragraph.drawOn(canvas, left, baseline - (height - style.fontSize))

    def _fitted(self, text: str, room: float) -> str:
        """Return `text` shortened with an ellipsis so it fits in `room` points of furniture."""
        style = self.styles.furniture
        text = " ".join(text.split())
        if text_width(text, style.fontName, style.fontSize) <= room:
            return text
        while text and text_width(text + ELLIPSIS, style.fontName, style.fontSize) > room:
            text = text[:-1]
        return text.rstrip() + ELLIPSIS
