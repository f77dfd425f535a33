"""A form's text is read-only; only its controls can be changed, each in a range anyone may edit.

settings.xml turns read-only protection on, with no password (it guards against slips,
not people: Word's Restrict Editing pane turns it off), and every content control sits
in a `w:permStart`/`w:permEnd` range open to everyone.

Why not Word's "filling in forms" protection (`w:edit="forms"`), made for this? Word
lets content controls be filled under it, but LibreOffice (7.4, as checked) maps it to
"Protect form", which locks content controls too: a form nobody could fill there. Read-only
protection is honoured by both: Word locks the text and lets each range (each control)
be edited; LibreOffice opens the file read-only and offers "Edit Document", after which
everything can be edited. Either way the file converts, prints and fills as before.
"""

from __future__ import annotations

from collections.abc import Iterator

from docx.document import Document as DocxDocument
from lxml import etree

from guide.writers.word.elements import (
    SETTINGS_AFTER_DOCUMENT_PROTECTION,
    SETTINGS_AFTER_UPDATE_FIELDS,
    element,
    insert_in_order,
)


def protect_all_but_ranges(document: DocxDocument) -> None:
    """Make `document` read-only but for its editable ranges (see `editable_range`), with no password."""
    protection = element("w:documentProtection", w_edit="readOnly", w_enforcement=1)
    order = ("w:documentProtection", *SETTINGS_AFTER_DOCUMENT_PROTECTION, *SETTINGS_AFTER_UPDATE_FIELDS)
    insert_in_order(document.settings.element, protection, order)


def editable_range(ids: Iterator[int]) -> tuple[etree._Element, etree._Element]:
    """Return the start and end marks of a range everyone may edit, numbered from `ids`."""
    number = next(ids)
    return element("w:permStart", w_id=number, w_edGrp="everyone"), element("w:permEnd", w_id=number)
