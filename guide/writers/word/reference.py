"""A reference document's look, as Pandoc's `--reference-doc` takes it: its styles win, ours fill in.

Every style the reference defines replaces ours of the same name (keeping our style
id, which the document's paragraphs name), or is added; its document defaults
replace ours; its theme part (theme fonts and colours) replaces the template's.
The reference's numbering is not copied, so a style it numbers loses that numbering,
except List Bullet, which keeps our bullets.
"""

from __future__ import annotations

import copy
import functools
import zipfile
from pathlib import Path

from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from lxml import etree

from guide.writers.word.elements import PARAGRAPH_PROPERTIES, STYLE_CHILDREN, element, insert_in_order

STYLES_ENTRY = "word/styles.xml"
THEME_ENTRY = "word/theme/theme1.xml"
LINKS = ("w:basedOn", "w:next", "w:link")
"""Children of a style that name another style by its id."""

KEPT_NUMBERING = "list bullet"
"""The style whose numbering (our bullets) is kept whatever the reference says."""


def apply_reference_styles(styles: BaseOxmlElement, path: Path) -> None:
    """Put the style definitions of the reference document at `path` into our `styles` element."""
    reference = _reference_styles(path)
    defaults = reference.find(qn("w:docDefaults"))
    ours = styles.find(qn("w:docDefaults"))
    if defaults is not None and ours is not None:
        ours.addprevious(copy.deepcopy(defaults))
        styles.remove(ours)
    renamed = _merge_styles(styles, reference.findall(qn("w:style")))
    for style in styles.iterchildren(qn("w:style")):
        for link in LINKS:
            for child in style.findall(qn(link)):
                target = child.get(qn("w:val"), "")
                child.set(qn("w:val"), renamed.get(target, target))


def _merge_styles(styles: BaseOxmlElement, reference: list[etree._Element]) -> dict[str, str]:
    """Replace or add each `reference` style; return the reference's style ids that became ours."""
    by_name = {_name(style): style for style in styles.iterchildren(qn("w:style"))}
    taken = {style.get(qn("w:styleId")) for style in by_name.values()}
    renamed: dict[str, str] = {}
    for style in reference:
        theirs = copy.deepcopy(style)
        style_id = theirs.get(qn("w:styleId"), "")
        mine = by_name.get(_name(theirs))
        if mine is not None:
            renamed[style_id] = mine.get(qn("w:styleId"), style_id)
            _keep_numbering(theirs, mine)
            mine.addprevious(theirs)
            styles.remove(mine)
        else:
            if style_id in taken:  # the same id for a style of another name: keep both apart
                renamed[style_id] = style_id + "Reference"
            _keep_numbering(theirs, None)
            styles.append(theirs)
        theirs.set(qn("w:styleId"), renamed.get(style_id, style_id))
    return renamed


def _keep_numbering(theirs: etree._Element, mine: etree._Element | None) -> None:
    """Drop the reference's numbering from `theirs` (its numbering part is not copied); keep our bullets."""
    for properties in theirs.findall(qn("w:pPr")):
        for numbering in properties.findall(qn("w:numPr")):
            properties.remove(numbering)
    ours = mine.find(f"{qn('w:pPr')}/{qn('w:numPr')}") if mine is not None else None
    if ours is not None and _name(theirs) == KEPT_NUMBERING:
        found = theirs.find(qn("w:pPr"))
        properties = found if found is not None else element("w:pPr")
        if found is None:
            insert_in_order(theirs, properties, STYLE_CHILDREN)
        insert_in_order(properties, copy.deepcopy(ours), PARAGRAPH_PROPERTIES)


def _name(style: etree._Element) -> str:
    name = style.find(qn("w:name"))
    return (name.get(qn("w:val"), "") if name is not None else style.get(qn("w:styleId"), "")).lower()


def apply_reference_theme(document: DocxDocument, path: Path) -> None:
    """Give `document` the theme part (theme fonts and colours) of the reference at `path`, if it has one."""
    theme = _reference_theme(path)
    if theme is None:
        return
    part = document.part.part_related_by(RELATIONSHIP_TYPE.THEME)
    part._blob = theme  # noqa: SLF001 - python-docx keeps a theme as a plain part with no API to set it


@functools.cache
def _reference_styles(path: Path) -> etree._Element:
    """Return the styles part of the reference at `path` (the theme checked that it reads)."""
    with zipfile.ZipFile(path) as package:
        data = package.read(STYLES_ENTRY)
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))


@functools.cache
def _reference_theme(path: Path) -> bytes | None:
    with zipfile.ZipFile(path) as package:
        if THEME_ENTRY not in package.namelist():
            return None
        return package.read(THEME_ENTRY)  # the theme checked that it reads
