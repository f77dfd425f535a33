"""Right-to-left documents in Word: every paragraph, table and section set to run right to left.

Word mirrors what runs right to left by itself: a `w:bidi` paragraph starts at the
right margin with its bullet or number there and its tab stops measured from the
right; a `w:bidiVisual` table puts its first column on the right; a `w:bidi`
section mirrors its page. The writer lays the document out as for any language,
then marks it all here, headers and footers too.
"""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from lxml import etree

from guide.writers.word.elements import PARAGRAPH_PROPERTIES, TABLE_PROPERTIES, element, insert_in_order

SECTION_PROPERTIES = (
    "w:headerReference", "w:footerReference", "w:footnotePr", "w:endnotePr", "w:type", "w:pgSz",
    "w:pgMar", "w:paperSrc", "w:pgBorders", "w:lnNumType", "w:pgNumType", "w:cols", "w:formProt",
    "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection", "w:bidi", "w:rtlGutter", "w:docGrid",
    "w:printerSettings", "w:sectPrChange",
)  # fmt: skip
"""The children of `w:sectPr`, in the schema's order."""


def lay_out_right_to_left(word: DocxDocument) -> None:
    """Make every paragraph, table and section of `word`, its headers and footers too, run right to left."""
    body = word.element.body
    for root in (body, *_header_and_footer_roots(word)):
        for paragraph in root.iter(qn("w:p")):
            insert_in_order(paragraph.get_or_add_pPr(), element("w:bidi"), PARAGRAPH_PROPERTIES)
        for table in root.iter(qn("w:tblPr")):
            insert_in_order(table, element("w:bidiVisual"), TABLE_PROPERTIES)
    for section in body.iter(qn("w:sectPr")):
        insert_in_order(section, element("w:bidi"), SECTION_PROPERTIES)


def _header_and_footer_roots(word: DocxDocument) -> list[etree._Element]:
    roots = []
    for section in word.sections:
        for part in (section.header, section.footer, section.first_page_header, section.first_page_footer):
            if not part.is_linked_to_previous:
                roots.append(part._element)  # noqa: SLF001 - the header's XML has no API
    return roots
