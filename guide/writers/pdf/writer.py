"""write_pdf: a Document and a Theme in, the bytes of a PDF out."""

from __future__ import annotations

import io
from collections.abc import Iterable

from reportlab.platypus import Flowable, Spacer

from guide.model import Document, form_fields, without_values
from guide.theme import Theme
from guide.writers.pdf.blocks import BlockRenderer
from guide.writers.pdf.canvas import canvas_maker
from guide.writers.pdf.fill import fill_pdf
from guide.writers.pdf.pages import GuideDocTemplate
from guide.writers.pdf.styles import build_styles


def write_pdf(document: Document, theme: Theme, typed: Iterable[str] = ()) -> bytes:
    """Return `document` drawn as a PDF in the look of `theme` (see `draw_pdf`)."""
    return draw_pdf(document, theme, typed)[0]


def draw_pdf(document: Document, theme: Theme, typed: Iterable[str] = ()) -> tuple[bytes, int]:
    """Return `document` drawn as a PDF in the look of `theme`, and its number of pages.

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
    drawn, pages = _drawn(without_values(document), theme, [*typed, *(field.value for field in fields)])
    return fill_pdf(drawn, fields, theme, document.meta), pages


def _drawn(document: Document, theme: Theme, typed: Iterable[str] = ()) -> tuple[bytes, int]:
    """Return `document` drawn with empty fields and its page count; its form font holds all of `typed`."""
    styles = build_styles(theme)
    story = _story(document, BlockRenderer(styles, document.meta.language))
    output = io.BytesIO()
    template = GuideDocTemplate(output, document.meta, theme, styles)
    template.lay_out(story, canvas_maker(document, theme, typed))
    return output.getvalue(), template.page


def _story(document: Document, renderer: BlockRenderer) -> list[Flowable]:
    """Return the flowables of `document`; an empty document still gets one page."""
    return renderer.blocks(document.blocks) or [Spacer(0, 0)]
