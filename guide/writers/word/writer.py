"""write_docx: the whole Word writer, top to bottom."""

from __future__ import annotations

import docx
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn

from guide.model import Document, TableOfContents, walk
from guide.theme import Theme
from guide.writers.word.blocks import BlockWriter
from guide.writers.word.fields import update_fields_on_open
from guide.writers.word.outline import outline_of
from guide.writers.word.package import package_bytes, set_properties
from guide.writers.word.page import set_up_page, text_width
from guide.writers.word.styles import CLOSING, NORMAL, set_up_styles


def write_docx(document: Document, theme: Theme, *, template: bool = False) -> bytes:
    """Return `document` as the bytes of a Word file drawn with `theme`.

    A .docx, or a .dotx (a template Word's File > New makes documents from) if
    `template`. The same arguments always give the same bytes. Raise ValueError
    for a paragraph role the theme lacks.
    """
    outline = outline_of(document)
    word = docx.Document()
    set_up_styles(word, theme)
    set_up_page(word, document.meta, theme)
    BlockWriter(theme, outline).add_blocks(word, document.blocks, text_width(theme), NORMAL)
    _end_with_paragraph(word)
    if any(isinstance(block, TableOfContents) for block in walk(document.blocks)):
        update_fields_on_open(word)
    set_properties(word, document.meta)
    return package_bytes(word, template=template)


def _end_with_paragraph(word: DocxDocument) -> None:
    """Add an empty paragraph if the body ends with a table: Word wants a paragraph last.

    It is tiny (the Closing Mark style) so that it never spills onto a page of its own.
    """
    body = word.element.body
    last = body[-2] if len(body) > 1 else None
    if last is not None and last.tag == qn("w:tbl"):
        word.add_paragraph(style=CLOSING)

