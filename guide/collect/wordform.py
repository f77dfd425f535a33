"""Reading a returned Word file: its content controls in document order, and what it says it is.

Word keeps each control's tag (its field's name) and title. LibreOffice 7.4 drops
every tag when it saves, the titles of rich-text, date and drop-down controls, and
moves a checkbox's title onto a control it wraps around the box and its text; the
controls themselves, their kinds and their order survive. Each control is read with
what is left of its name and title, and `answers` places it.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

from docx.oxml.ns import qn
from lxml import etree

from guide.collect.limits import MAX_PART_BYTES, MAX_PARTS, MAX_RATIO, MAX_VALUE_CHARS, Refused, parse_xml
from guide.collect.returned import Control, ControlKind, Returned
from guide.writers.word.package import CUSTOM_ENTRY, CUSTOM_PROPERTIES, MAIN_ENTRY, PROPERTY_PREFIX

KINDS: dict[str, ControlKind] = {
    qn("w:text"): "text",
    qn("w:richText"): "multiline",
    qn("w:date"): "date",
    qn("w:dropDownList"): "choice",
    qn("w:comboBox"): "choice",
    qn("w14:checkbox"): "check",
}
"""What each type element of `w:sdtPr` makes a control; a control with none is rich text."""

BLANK = " \u00a0\t\n"
"""What an empty control shows (see `guide.writers.word.controls.BLANK`), stripped from values."""


def read_docx(path: Path) -> Returned:
    """Return the controls of the Word file at `path` and what it says it is; raise Refused if not one."""
    try:
        with zipfile.ZipFile(path) as package:
            if len(package.infolist()) > MAX_PARTS:
                raise Refused(f"a zip of more than {MAX_PARTS:,} files: not a Word file guide wrote")
            names = set(package.namelist())
            if MAIN_ENTRY not in names:
                raise Refused("a zip file, but not a Word document (no word/document.xml)")
            main = parse_xml(_part(package, MAIN_ENTRY), MAIN_ENTRY)
            custom = parse_xml(_part(package, CUSTOM_ENTRY), CUSTOM_ENTRY) if CUSTOM_ENTRY in names else None
    except (zipfile.BadZipFile, EOFError, zipfile.LargeZipFile) as error:
        raise Refused(f"a damaged Word file: its zip cannot be read ({error})") from None
    except (NotImplementedError, RuntimeError) as error:  # an unknown compression, or encryption
        raise Refused(f"a Word file that cannot be unpacked ({error})") from None
    return Returned(path, _identity(custom) if custom is not None else {}, tuple(_controls(main)))


def _part(package: zipfile.ZipFile, name: str) -> bytes:
    """Return the part `name`, refusing one that inflates past the bounds (a zip bomb)."""
    info = package.getinfo(name)
    if info.file_size > MAX_PART_BYTES or info.file_size > max(info.compress_size, 1024) * MAX_RATIO:
        raise Refused(f"{name} inflates to {info.file_size:,} bytes from {info.compress_size:,}: not read")
    with package.open(info) as part:
        data = part.read(MAX_PART_BYTES + 1)  # the sizes in a zip's directory may lie
    if len(data) > MAX_PART_BYTES:
        raise Refused(f"{name} inflates to more than {MAX_PART_BYTES:,} bytes: not read")
    return data


def _identity(custom: etree._Element) -> dict[str, str]:
    identity = {}
    for prop in custom.iter(f"{{{CUSTOM_PROPERTIES}}}property"):
        name = prop.get("name", "")
        if name.startswith(PROPERTY_PREFIX):
            identity[name.removeprefix(PROPERTY_PREFIX)] = " ".join(
                "".join(map(str, prop.itertext())).split()
            )
    return identity


def _controls(main: etree._Element) -> Iterator[Control]:
    """Yield each control that holds a value, in document order.

    A control around other controls (LibreOffice's around a checkbox and its text) is
    not one: its title goes to the first control inside it that has none.
    """
    inherited = ""
    for sdt in main.iter(qn("w:sdt")):
        properties = sdt.find(qn("w:sdtPr"))
        title = _value(properties, "w:alias")
        if sdt.find(f"{qn('w:sdtContent')}//{qn('w:sdt')}") is not None:
            inherited = title or inherited
            continue
        yield _control(sdt, properties, title or inherited)
        inherited = ""


def _control(sdt: etree._Element, properties: etree._Element | None, title: str) -> Control:
    if properties is None:
        properties = etree.Element(qn("w:sdtPr"))
    kind: ControlKind = next((KINDS[child.tag] for child in properties if child.tag in KINDS), "multiline")
    name = _value(properties, "w:tag")
    if kind == "check":
        state = properties.find(f"{qn('w14:checkbox')}/{qn('w14:checked')}")
        checked = state is not None and state.get(qn("w14:val")) in ("1", "true")
        return Control(name, title, kind, checked=checked)
    text = _text(sdt)
    picker = properties.find(qn("w:date"))
    picked = picker.get(qn("w:fullDate"), "")[:10] if picker is not None else ""
    return Control(name, title, kind, picked if picked and text else text)  # the date itself, not its look


def _value(properties: etree._Element | None, tag: str) -> str:
    element = properties.find(qn(tag)) if properties is not None else None
    return element.get(qn("w:val"), "") if element is not None else ""


def _text(sdt: etree._Element) -> str:
    """Return the text a control holds: its paragraphs on lines of their own, tabs and breaks kept."""
    content = sdt.find(qn("w:sdtContent"))
    if content is None:
        return ""
    pieces: list[str] = []
    for element in content.iter(qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr"), qn("w:p")):
        if element.tag == qn("w:t"):
            pieces.append(element.text or "")
        elif element.tag == qn("w:tab"):
            pieces.append("\t")
        elif pieces:  # a break, or a paragraph after the first
            pieces.append("\n")
    return "".join(pieces).strip(BLANK)[:MAX_VALUE_CHARS]
