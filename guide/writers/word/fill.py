"""Filled copies of a Word file: set the values of its content controls, nothing else.

Writing a document whose fields hold values, and filling those values into the
file written for the same document with empty fields, give the same bytes; a
roster's packets are therefore written once per level and filled per row.
"""

from __future__ import annotations

from collections.abc import Iterable

from docx.opc.oxml import serialize_part_xml
from docx.oxml.ns import qn
from lxml import etree

from guide.model import FormField
from guide.writers.word.controls import fill_control
from guide.writers.word.package import main_part, with_main_part


def fill_docx(data: bytes, fields: Iterable[FormField]) -> bytes:
    """Return the Word file `data` with each control tagged as one of `fields` holding that field's value."""
    by_tag = {field.name: field for field in fields if field.value}
    body = etree.fromstring(main_part(data))
    for control in body.iter(qn("w:sdt")):
        tag = control.find(f"{qn('w:sdtPr')}/{qn('w:tag')}")
        field = by_tag.get(tag.get(qn("w:val"))) if tag is not None else None
        if field is not None:
            fill_control(control, field)
    return with_main_part(data, serialize_part_xml(body))
