"""write_docx: the whole Word writer, top to bottom."""

from __future__ import annotations

from collections.abc import Sequence

import docx
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.shared import Length, Mm, Pt

from guide.model import (
    Document,
    Metadata,
    drawn_texts,
    form_fields,
    has_contents,
    personal_identity,
    personal_line,
    personal_title,
)
from guide.theme import Theme
from guide.writers.labels import logo_alt
from guide.writers.word.blocks import BlockWriter
from guide.writers.word.direction import lay_out_right_to_left
from guide.writers.word.elements import add_styled
from guide.writers.word.fields import update_fields_on_open
from guide.writers.word.languages import set_document_languages, set_east_asian_font
from guide.writers.word.logo import add_logo
from guide.writers.word.outline import outline_of
from guide.writers.word.package import package_bytes, set_properties
from guide.writers.word.page import set_up_page, text_width
from guide.writers.word.protection import protect_all_but_ranges
from guide.writers.word.styles import CLOSING, NORMAL, set_up_styles


def write_docx(
    document: Document, theme: Theme, *, template: bool = False, contents_pages: Sequence[int] = ()
) -> bytes:
    """Return `document` as the bytes of a Word file drawn with `theme`.

    A .docx, or a .dotx (a template Word's File > New makes documents from) if
    `template`. The same arguments always give the same bytes. The model has
    already checked every rule a document must meet (see `guide.model`). A form
    (a document with fields or checkboxes) is protected: only its controls can
    be changed (see `protection`).

    The table of contents shows `contents_pages`: the page of each heading it
    lists, in reading order (`guide.writers.pdf.pagination.contents_pages` gives
    the PDF's). Without them it lists the headings without pages, and Word is asked
    to update it on open.
    """
    outline = outline_of(document, contents_pages)
    filled = form_fields(document)
    word = docx.Document()
    set_up_styles(word, theme)
    set_document_languages(word, document.meta.language, drawn_texts(document))
    east_asian_font = theme.east_asian_word_font(document.meta.language)
    if east_asian_font:
        set_east_asian_font(word, east_asian_font)
    set_up_page(word, document.meta, theme, personal_line(document.meta, filled))
    if document.meta.cover:
        _open_cover(word, document.meta, theme)
    BlockWriter(theme, outline, document.meta.language, document.meta.words).add_blocks(
        word, document.blocks, text_width(theme), NORMAL
    )
    _end_with_paragraph(word)
    if document.meta.right_to_left:
        lay_out_right_to_left(word)
    if outline.entries and not outline.paged and has_contents(document):
        update_fields_on_open(word)  # Word asks first: only for numbers nothing else could give
    if document.form_names():
        protect_all_but_ranges(word)
    meta = document.meta
    set_properties(word, meta, personal_title(meta, filled), personal_identity(meta, filled))
    return package_bytes(word, template=template)


COVER_SPACE = 0.18
"""The room left above the cover's title, as a share of the page's text height (as in the PDF)."""


def _open_cover(word: DocxDocument, meta: Metadata, theme: Theme) -> None:
    """Open the cover with the theme's logo, at most 20 mm high and half the text wide, then room."""
    if theme.logo is not None:
        logo_room = Length(text_width(theme) // 2)
        add_logo(word.add_paragraph().add_run(), theme.logo, Mm(20), logo_room, logo_alt(theme.logo, meta))
    _width, height = theme.page_points
    text_height = height - theme.margins.top.points - theme.margins.bottom.points
    space = add_styled(word, CLOSING).paragraph_format
    space.line_spacing = Pt(text_height * COVER_SPACE)  # an exact height: Word and LibreOffice agree


def _end_with_paragraph(word: DocxDocument) -> None:
    """Add an empty paragraph if the body ends with a table: Word wants a paragraph last.

    It is tiny (the Closing Mark style) so that it never spills onto a page of its own.
    """
    body = word.element.body
    last = body[-2] if len(body) > 1 else None
    if last is not None and last.tag == qn("w:tbl"):
        add_styled(word, CLOSING)
