"""Filled copies of a Word file: set the values of its content controls, nothing else.

Writing a document whose fields hold values, and filling those values into the
file written for the same document with empty fields, give the same bytes; a
roster's packets are therefore written once per level and filled per row.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable

from docx.opc.oxml import serialize_part_xml
from docx.oxml.ns import qn
from lxml import etree

from guide.model import FormField
from guide.writers.word.controls import fill_control
from guide.writers.word.package import replace_parts

DOCUMENT_PART = "word/document.xml"


def fill_docx(data: bytes, fields: Iterable[FormField]) -> bytes:
    """Return the Word file `data` with each control tagged as one of `fields` holding that field's value."""
    by_tag = {field.name: field for field in fields if field.value}
    source = zipfile.ZipFile(io.BytesIO(data))
    body = etree.fromstring(source.read(DOCUMENT_PART))
    for control in body.iter(qn("w:sdt")):
        tag = control.find(f"{qn('w:sdtPr')}/{qn('w:tag')}")
        field = by_tag.get(tag.get(qn("w:val"))) if tag is not None else None
        if field is not None:
            fill_control(control, field)
    return replace_parts(source, {DOCUMENT_PART: serialize_part_xml(body)})
