"""A reference document's look, as Pandoc's `--reference-doc` takes it: its styles win, ours fill in.

Every style the reference defines replaces ours of the same name (keeping our style
id, which the document's paragraphs name), or is added; its document defaults
replace ours; its theme part (theme fonts and colours) replaces the template's.
The reference's numbering is not copied, so a style it numbers loses that numbering,
except List Bullet, which keeps our bullets.

The reference is read with bounds (see `reference_problem`): its size, its number of
parts, and the real unpacked size of each part taken from it, counted while it is
unpacked, since a zip's headers can say a part is small while it unpacks to gigabytes.
Each part taken is parsed without entities and written again without its DOCTYPE
(the Open Packaging Conventions forbid DTDs), so nothing of the reference but its
styles and theme reaches a Word file.
"""

from __future__ import annotations

import copy
import functools
import io
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from lxml import etree

from guide.inputs import read_bounded
from guide.writers.word.elements import PARAGRAPH_PROPERTIES, STYLE_CHILDREN, element, insert_in_order

STYLES_ENTRY = "word/styles.xml"
THEME_ENTRY = "word/theme/theme1.xml"
CONTENT_TYPES_ENTRY = "[Content_Types].xml"
MAX_REFERENCE_BYTES = 20_000_000
"""A reference document larger than this is refused (one that embeds its fonts is a few megabytes)."""
MAX_PART_BYTES = 20_000_000
"""The most a part taken from the reference (styles, theme) may unpack to (real ones are under 1 MB)."""
MAX_PARTS = 10_000
"""The most parts (zip members) a reference may have: a Word document has a few dozen."""
READ_CHUNK = 65_536
"""How much of a part is unpacked at a time, so that no more than the limit is ever held."""
ZIP_ERRORS = (zipfile.BadZipFile, EOFError, zlib.error)
"""What zipfile raises for a damaged zip, once encryption and unknown compression are refused."""
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


def reference_problem(path: Path) -> str | None:
    """Return why the file at `path` cannot be a reference Word document, or None if it can.

    The theme reports the message at its `word_reference` line.
    """
    try:
        _reference_parts(path)
    except ValueError as error:  # UnreadableInput too: "is larger than 20,000,000 bytes"
        return str(error)
    return None


@dataclass(frozen=True)
class _ReferenceParts:
    styles: etree._Element
    theme: bytes | None


def _reference_styles(path: Path) -> etree._Element:
    """Return the styles part of the reference at `path` (the theme checked that it reads)."""
    return _reference_parts(path).styles


def _reference_theme(path: Path) -> bytes | None:
    """Return the theme part of the reference at `path`, without DOCTYPE, or None if it has none."""
    return _reference_parts(path).theme


@functools.cache
def _reference_parts(path: Path) -> _ReferenceParts:
    """Return the parts taken from the reference Word document at `path`; raise ValueError saying why not."""
    data = read_bounded(path, MAX_REFERENCE_BYTES)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = set(package.namelist())
            if CONTENT_TYPES_ENTRY not in names or STYLES_ENTRY not in names:
                raise ValueError("is not a Word document (.docx or .dotx) with styles")
            if len(names) > MAX_PARTS:
                raise ValueError(f"has {len(names):,} parts, more than a Word document has ({MAX_PARTS:,})")
            taken = {name: _unpacked(package, name) for name in (STYLES_ENTRY, THEME_ENTRY) if name in names}
    except ZIP_ERRORS:
        raise ValueError("is not a Word document (.docx or .dotx)") from None
    styles = _standalone_part(STYLES_ENTRY, taken[STYLES_ENTRY], "styles")
    theme = taken.get(THEME_ENTRY)
    if theme is None:
        return _ReferenceParts(styles, None)
    return _ReferenceParts(styles, _serialized(_standalone_part(THEME_ENTRY, theme, "theme")))


def _unpacked(package: zipfile.ZipFile, name: str) -> bytes:
    """Return the part `name` of `package` unpacked, a chunk at a time; raise ValueError past the limit."""
    entry = package.getinfo(name)
    if entry.flag_bits & 0x1:
        raise ValueError("is encrypted: save it again from Word without a password")
    if entry.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise ValueError(f"stores its part {name} packed in a way Word does not use: save it again from Word")
    too_large = f"has a part {name} larger than {MAX_PART_BYTES:,} bytes unpacked (real ones are under 1 MB)"
    if entry.file_size > MAX_PART_BYTES:
        raise ValueError(too_large)
    chunks, size = [], 0
    with package.open(entry) as member:
        while chunk := member.read(READ_CHUNK):
            size += len(chunk)
            if size > MAX_PART_BYTES:
                raise ValueError(too_large)
            chunks.append(chunk)
    return b"".join(chunks)


def _standalone_part(name: str, data: bytes, root_name: str) -> etree._Element:
    """Return the XML part `name` parsed from `data` as it reads without its DOCTYPE; raise ValueError if not.

    Entities are not resolved and no DTD is loaded; a part whose content uses an entity
    its DOCTYPE declares cannot stand without it, so it is refused.
    """
    parser = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise ValueError(f"has a damaged part {name}: {error}") from None
    try:
        root = etree.fromstring(_serialized(root), parser)
    except etree.XMLSyntaxError:
        raise ValueError(
            f"has a part {name} that uses entities of a DOCTYPE, which Word documents may not hold:"
            " save it again from Word"
        ) from None
    if etree.QName(root).localname != root_name:
        raise ValueError(f"has a damaged {root_name} part")
    return root


def _serialized(root: etree._Element) -> bytes:
    """Return the part `root` as bytes, without any DOCTYPE (serializing an element leaves it out)."""
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
