"""Content controls (w:sdt): checkboxes, plain text, date pickers and drop-down lists.

Built as OOXML with `element()` (python-docx has no API for them), following
PITFALLS 2.3. Children of `w:sdtPr` follow the schema sequence (CT_SdtPr):
alias, tag, id, showingPlcHdr, then the control's type; Word's `w14:checkbox`
extension comes last. Every control has a title (`w:alias`, what screen readers
and Word's control border show: the model's accessible name, unique in the
document) and a tag (the model's form name). An empty control shows its
placeholder: no-break spaces in the "Placeholder Text" style, so that a blank
form prints an empty line or box, never a grey prompt. A prefilled one holds
its value and stays editable. Each control sits in a range anyone may edit
(see `protection`). `w:id`s come from the document's own counter, so the same
document always gets the same ids.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import assert_never

from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run
from lxml import etree

from guide.model import CheckItem, FormField, Words, shortened
from guide.scripts import regional_language
from guide.writers.word.elements import element, new_run_element, set_run_style
from guide.writers.word.languages import set_run_language
from guide.writers.word.protection import editable_range
from guide.writers.word.styles import CHECK_BOX, CHECK_BOX_FONT, PLACEHOLDER

CHECKED = "\u2612"
"""☒, shown in a ticked checkbox."""

UNCHECKED = "\u2610"
"""☐, shown in an empty checkbox."""

BLANK = "\u00a0" * 20
"""What an empty control shows: room to click into that prints as nothing (no-break
spaces keep their width where plain ones at a line's end would not)."""


TITLE_CHARS = 64
"""The longest title Word shows on a control; it cuts longer ones."""


def control_title(name: str, taken: set[str]) -> str:
    """Return `name` as a control's title: at most TITLE_CHARS long, and not in `taken`, which gets it.

    A longer name is cut with an ellipsis; two names cut to the same title are told
    apart by a number, as the model keeps accessible names apart.
    """
    title = shortened(name, TITLE_CHARS)
    number = 1
    while title in taken:
        number += 1
        suffix = f" ({number})"
        title = shortened(name, TITLE_CHARS - len(suffix)) + suffix
    taken.add(title)
    return title


def add_checkbox(paragraph: DocxParagraph, item: CheckItem, title: str, ids: Iterator[int]) -> None:
    """Append a clickable checkbox titled `title`, tagged `item.name`, ticked if `item.checked`."""
    box = element("w14:checkbox")
    box.append(element("w14:checked", w14_val=int(item.checked)))
    box.append(element("w14:checkedState", w14_val=f"{ord(CHECKED):04X}", w14_font=CHECK_BOX_FONT))
    box.append(element("w14:uncheckedState", w14_val=f"{ord(UNCHECKED):04X}", w14_font=CHECK_BOX_FONT))
    properties = _properties(tag=item.name, title=title, number=next(ids), showing_placeholder=False)
    properties.append(box)
    content = _append_control(paragraph, properties, ids)
    _add_text(paragraph, content, CHECKED if item.checked else UNCHECKED, CHECK_BOX)


def add_evidence(paragraph: DocxParagraph, name: str, title: str, ids: Iterator[int]) -> None:
    """Append an empty plain-text control for a check item's evidence, tagged `name`, titled `title`."""
    properties = _properties(tag=name, title=title, number=next(ids), showing_placeholder=True)
    properties.append(element("w:text"))
    content = _append_control(paragraph, properties, ids)
    _add_text(paragraph, content, BLANK, PLACEHOLDER)


def add_field_control(
    paragraph: DocxParagraph, field: FormField, title: str, ids: Iterator[int], language: str, words: Words
) -> None:
    """Append the control for `field` to `paragraph`: tagged `field.name`, titled `title`.

    A value's run says its language where it is East Asian or right-to-left (see `languages`);
    a date picker takes the language's pattern (`words.date_pattern`).
    """
    properties = _properties(
        tag=field.name, title=title, number=next(ids), showing_placeholder=not field.value
    )
    properties.append(_control_type(field, words, language))
    content = _append_control(paragraph, properties, ids)
    if field.value:
        set_run_language(_add_text(paragraph, content, field.value, None), field.value, language)
    else:
        _add_text(paragraph, content, BLANK, PLACEHOLDER)


def fill_control(control: etree._Element, field: FormField, language: str, words: Words) -> None:
    """Make the empty `control` written for `field` hold `field.value`, as `add_field_control` would."""
    properties = control.find(qn("w:sdtPr"))
    content = control.find(qn("w:sdtContent"))
    assert properties is not None and content is not None, "a control as add_field_control writes it"
    placeholder = properties.find(qn("w:showingPlcHdr"))
    if placeholder is not None:
        properties.remove(placeholder)
    properties.replace(properties[-1], _control_type(field, words, language))
    for child in list(content):
        content.remove(child)
    run_element = new_run_element()
    content.append(run_element)
    # setting a run's text needs no parent (its part); the type asks for one
    run = Run(run_element, None)  # type: ignore[arg-type]
    run.text = field.value
    set_run_language(run, field.value, language)


def _control_type(field: FormField, words: Words, language: str) -> etree._Element:
    """Return the element of `w:sdtPr` that makes the control plain text, rich text, a date or a list."""
    match field.kind:
        case "text":
            return element("w:text")
        case "multiline":
            return element("w:richText")  # long answers: paragraphs, lists and links allowed
        case "date":
            return _date_picker(field.value, words, language)
        case "choice":
            return _drop_down(field)
        case _:
            assert_never(field.kind)


def _date_picker(value: str, words: Words, language: str) -> etree._Element:
    """Return a `w:date` showing dates in the pattern of `language`, set to `value` if it is an ISO date."""
    attributes = {"w_fullDate": f"{value}T00:00:00Z"} if _is_iso_date(value) else {}
    picker = element("w:date", **attributes)
    picker.append(element("w:dateFormat", w_val=words.date_pattern))
    picker.append(element("w:lid", w_val=regional_language(language)))
    picker.append(element("w:storeMappedDataAs", w_val="dateTime"))
    picker.append(element("w:calendar", w_val="gregorian"))
    return picker


def _drop_down(field: FormField) -> etree._Element:
    """Return a `w:dropDownList` with one item per choice of `field` (the model checks its value)."""
    attributes = {"w_lastValue": field.value} if field.value else {}
    drop_down = element("w:dropDownList", **attributes)
    for choice in field.choices:
        drop_down.append(element("w:listItem", w_displayText=choice, w_value=choice))
    return drop_down


def _properties(*, tag: str, title: str, number: int, showing_placeholder: bool) -> etree._Element:
    """Return a `w:sdtPr` with its common children, in schema order."""
    properties = element("w:sdtPr")
    properties.append(element("w:alias", w_val=title))
    properties.append(element("w:tag", w_val=tag))
    properties.append(element("w:id", w_val=number))
    if showing_placeholder:
        properties.append(element("w:showingPlcHdr"))
    return properties


def _append_control(
    paragraph: DocxParagraph, properties: etree._Element, ids: Iterator[int]
) -> etree._Element:
    """Append a `w:sdt` with `properties` to `paragraph`, in an editable range; return its `w:sdtContent`."""
    control = element("w:sdt")
    control.append(properties)
    content = element("w:sdtContent")
    control.append(content)
    start, end = editable_range(ids)
    paragraph._p.extend([start, control, end])
    return content


def _add_text(paragraph: DocxParagraph, content: etree._Element, text: str, style: str | None) -> Run:
    """Append a run showing `text` in character style `style` to the control `content`; return it."""
    run_element = new_run_element()
    content.append(run_element)
    run = Run(run_element, paragraph)
    run.text = text
    if style:
        set_run_style(run, style)
    return run


def _is_iso_date(value: str) -> bool:
    """Return True if `value` is a date written yyyy-mm-dd."""
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10
