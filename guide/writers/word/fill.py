"""Filled copies of a Word file: set the values of its content controls and say whose copy it is.

Writing a document whose fields hold values, and filling those values into the
file written for the same document with empty fields, give the same bytes; a
roster's packets are therefore written once per level and filled per row.
Besides the controls, a copy whose person field is filled gets that person in
its title (core properties) and in its running header from page 2 on (see
`page`): each part is rewritten as drawing it with the values would write it.

The main part is cut once, per file, into the text between its controls and the
controls themselves; a filled copy rewrites only the controls that get a value
(each read inside an element declaring the part's namespaces, so it is written
back exactly as it would be in place) and joins the pieces.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from docx.oxml.ns import qn
from lxml import etree

from guide.model import (
    FormField,
    Metadata,
    personal_identity,
    personal_line,
    personal_title,
)
from guide.writers.word.controls import fill_control
from guide.writers.word.package import (
    CORE_ENTRY,
    CUSTOM_ENTRY,
    HEADER_ENTRIES,
    MAIN_ENTRY,
    custom_properties,
    personal_parts,
    retitled,
    with_parts,
)
from guide.writers.word.page import has_personal_slot, with_personal_line

CONTROL_EDGE = re.compile(rb"<w:sdt>|</w:sdt>")
"""Where a content control opens or closes in the main part as python-docx writes it."""


@dataclass(frozen=True)
class _Controls:
    """A main part cut at its outermost content controls."""

    between: tuple[bytes, ...]
    """The text before, between and after the controls: one more than there are controls."""
    controls: tuple[tuple[str, bytes], ...]
    """Each control's tag and its text."""
    wrapper: tuple[bytes, bytes]
    """An element's start and end tags that declare the part's namespaces, to read a control in."""


def fill_docx(data: bytes, fields: Iterable[FormField], meta: Metadata | None = None) -> bytes:
    """Return the Word file `data` with each control tagged as one of `fields` holding that field's value.

    `data` was written for a document with empty fields. With that document's `meta`,
    a copy whose person field (`meta.person_field`) is among `fields` is titled and
    headed for its person, as in the PDF; without it, only the controls change.
    """
    filled = [field for field in fields if field.value]
    parts = personal_parts(data)
    meta_or_plain = meta if meta is not None else Metadata(title="")
    by_tag = {field.name: field for field in filled}
    changed = {MAIN_ENTRY: _filled_main(parts[MAIN_ENTRY], by_tag, meta_or_plain)}
    line = personal_line(meta, filled) if meta is not None else ""
    if line:
        assert meta is not None, "a personal line comes from the metadata"
        changed[CORE_ENTRY] = retitled(parts[CORE_ENTRY], personal_title(meta, filled))
        if CUSTOM_ENTRY in parts:  # the identity guide gave the file, and now whose it is
            changed[CUSTOM_ENTRY] = custom_properties(personal_identity(meta, filled))
        for name, part in parts.items():
            if HEADER_ENTRIES.fullmatch(name) and has_personal_slot(part):
                changed[name] = with_personal_line(part, line)
    return with_parts(data, changed)


def _filled_main(main: bytes, by_tag: dict[str, FormField], meta: Metadata) -> bytes:
    """Return the main part `main` with each control tagged as a key of `by_tag` holding its value."""
    parts = _controls_of(main)
    pieces = [parts.between[0]]
    for (tag, control), after in zip(parts.controls, parts.between[1:], strict=True):
        pieces.append(_filled(control, by_tag[tag], parts.wrapper, meta) if tag in by_tag else control)
        pieces.append(after)
    return b"".join(pieces)


def _filled(control: bytes, field: FormField, wrapper: tuple[bytes, bytes], meta: Metadata) -> bytes:
    """Return the text of `control` holding `field`'s value."""
    start, end = wrapper
    holder = etree.fromstring(start + control + end)
    fill_control(holder[0], field, meta.language, meta.words)
    text = etree.tostring(holder, encoding="UTF-8")
    return text[text.index(b">", text.index(b"<w:wrapper")) + 1 : text.rindex(b"</w:wrapper>")]


@functools.lru_cache(maxsize=32)
def _controls_of(main: bytes) -> _Controls:
    """Cut `main` at its outermost controls (computed once per file)."""
    root = etree.fromstring(main)
    tags = [_tag_of(control) for control in root.iter(qn("w:sdt")) if _is_outermost(control)]
    between: list[bytes] = []
    controls: list[tuple[str, bytes]] = []
    depth, cut = 0, 0
    for edge in CONTROL_EDGE.finditer(main):
        opening = edge.group() == b"<w:sdt>"
        if opening and depth == 0:
            between.append(main[cut : edge.start()])
            cut = edge.start()
        depth += 1 if opening else -1
        if not opening and depth == 0:
            controls.append((tags[len(controls)], main[cut : edge.end()]))
            cut = edge.end()
    between.append(main[cut:])
    declarations = b" ".join(b'xmlns:%s="%s"' % (p.encode(), u.encode()) for p, u in root.nsmap.items() if p)
    return _Controls(tuple(between), tuple(controls), (b"<w:wrapper " + declarations + b">", b"</w:wrapper>"))


def _tag_of(control: etree._Element) -> str:
    tag = control.find(f"{qn('w:sdtPr')}/{qn('w:tag')}")
    return tag.get(qn("w:val"), "") if tag is not None else ""


def _is_outermost(control: etree._Element) -> bool:
    return not any(ancestor.tag == qn("w:sdt") for ancestor in control.iterancestors())
