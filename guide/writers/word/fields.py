"""Word fields (PAGE, NUMPAGES, TOC) as complex fields, and the update-on-open setting.

A complex field is a run of runs: `fldChar begin`, the instruction in
`w:instrText`, `fldChar separate`, the current result, `fldChar end`. The
result is what a reader shows until the field is updated, so it is always
filled with something sensible.
"""

from __future__ import annotations

from docx.document import Document as DocxDocument
from lxml import etree

from guide.writers.word.elements import (
    SETTINGS_AFTER_UPDATE_FIELDS,
    element,
    insert_in_order,
    text_element,
)

CONTENTS_INSTRUCTION = ' TOC \\o "1-2" \\h \\z '
"""Levels 1-2 by outline level, as hyperlinks, page numbers hidden on the web, outline levels used."""


def field_start(instruction: str, *, dirty: bool = False) -> list[etree._Element]:
    """Return the runs that open a field with `instruction`, up to where its result starts.

    `dirty` asks Word to update the field when the document opens.
    """
    marks = {"w_dirty": "true"} if dirty else {}
    begin = element("w:fldChar", w_fldCharType="begin", **marks)
    return [_run(begin), _run(text_element("w:instrText", instruction)), _separate()]


def field_end() -> etree._Element:
    """Return the run that closes a field."""
    return _run(element("w:fldChar", w_fldCharType="end"))


def field(instruction: str, result: str) -> list[etree._Element]:
    """Return the runs of a whole field: `instruction` with `result` shown until updated."""
    return [*field_start(instruction), result_run(result), field_end()]


def page_number() -> list[etree._Element]:
    """Return the runs of a PAGE field (the current page number)."""
    return field(" PAGE ", "1")


def page_count() -> list[etree._Element]:
    """Return the runs of a NUMPAGES field (the number of pages)."""
    return field(" NUMPAGES ", "1")


def result_run(text: str) -> etree._Element:
    """Return a plain run showing `text`."""
    return _run(text_element("w:t", text))


def update_fields_on_open(document: DocxDocument) -> None:
    """Set `w:updateFields` in settings.xml so Word offers to update fields (the TOC) on open."""
    update = element("w:updateFields", w_val="true")
    insert_in_order(document.settings.element, update, ("w:updateFields", *SETTINGS_AFTER_UPDATE_FIELDS))


def _separate() -> etree._Element:
    """Return the run between a field's instruction and its result."""
    return _run(element("w:fldChar", w_fldCharType="separate"))


def _run(content: etree._Element) -> etree._Element:
    """Return a `w:r` holding `content`."""
    run = element("w:r")
    run.append(content)
    return run
