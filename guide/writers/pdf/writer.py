"""write_pdf: a Document and a Theme in, the bytes of a PDF out."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Iterable
from dataclasses import dataclass

from reportlab.platypus import Flowable, Spacer

from guide.model import Document, form_fields, without_values
from guide.theme import Theme
from guide.writers.pdf.blocks import BlockRenderer
from guide.writers.pdf.canvas import canvas_maker
from guide.writers.pdf.fill import fill_pdf
from guide.writers.pdf.pages import GuideDocTemplate
from guide.writers.pdf.styles import build_styles


@dataclass(frozen=True)
class PdfDrawing:
    """A PDF's bytes, its number of pages, and the page of each heading its contents list."""

    data: bytes
    pages: int
    contents_pages: tuple[int, ...]


def write_pdf(document: Document, theme: Theme, typed: Iterable[str] = ()) -> bytes:
    """Return `document` drawn as a PDF in the look of `theme` (see `draw_pdf`)."""
    return draw_pdf(document, theme, typed).data


def draw_pdf(document: Document, theme: Theme, typed: Iterable[str] = ()) -> PdfDrawing:
    """Return `document` drawn as a PDF in the look of `theme`, with its pages and its headings' pages.

    The form's font has every character of the document and of `typed`: values that
    will be filled into the drawing later (a roster's), so that viewers can redraw them.

    Pure: nothing is written to disk, and the same inputs give the same bytes.
    Raises ValueError for a character the theme's fonts cannot draw (the build refuses
    those first, with their place in the ladder). The model has already checked every
    other rule a document must meet (see `guide.model`).
    The form is drawn blank and its values filled in after (see `fill`), as a roster's
    packets are.
    """
    fields = form_fields(document)
    drawn = drawn_blank(without_values(document), theme, [*typed, *(field.value for field in fields)])
    return dataclasses.replace(drawn, data=fill_pdf(drawn.data, fields, theme, document.meta))


def drawn_blank(document: Document, theme: Theme, typed: Iterable[str] = ()) -> PdfDrawing:
    """Return `document`, whose fields are empty, drawn; its form font holds every character of `typed`."""
    styles = build_styles(theme, document.meta.language)
    story = _story(document, BlockRenderer(styles, document.meta.language, document.meta.words))
    output = io.BytesIO()
    template = GuideDocTemplate(output, document.meta, theme, styles)
    template.lay_out(story, canvas_maker(document, theme, typed))
    return PdfDrawing(output.getvalue(), template.page, tuple(template.listed_pages))


def _story(document: Document, renderer: BlockRenderer) -> list[Flowable]:
    """Return the flowables of `document`; an empty document still gets one page."""
    return renderer.blocks(document.blocks) or [Spacer(0, 0)]
