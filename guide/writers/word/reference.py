"""A reference document's look, as Pandoc's `--reference-doc` takes it: its styles win, ours fill in.

Every style the reference defines replaces ours of the same name, compared as Word
compares names (ignoring case), or is added; its document defaults replace ours; its
theme part (theme fonts and colours) replaces the template's. A style that replaces
ours keeps our id and name (see `_StyleMerge`). The reference's numbering is not
copied, so a style it numbers loses that numbering, except List Bullet, which keeps
our bullets; Header, Footer and the contents levels keep our tab stops.

`reference_problem` runs the very merge a build runs, on a blank document, so a
reference the merge cannot take is a theme message before any file is written.

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
import itertools
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import docx
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
KEPT_TABS = ("header", "footer", "toc 1", "toc 2")
"""Styles whose tab stops are kept whatever the reference says: their text tabs to the right margin."""


def apply_reference_styles(styles: BaseOxmlElement, path: Path) -> None:
    """Put the style definitions of the reference document at `path` into our `styles` element."""
    reference = _reference_styles(path)
    defaults = reference.find(qn("w:docDefaults"))
    ours = styles.find(qn("w:docDefaults"))
    if defaults is not None and ours is not None:
        ours.addprevious(copy.deepcopy(defaults))
        styles.remove(ours)
    _StyleMerge(styles).merge(reference.findall(qn("w:style")))


class _StyleMerge:
    """Merges a reference's styles into ours, by name as Word compares them (ignoring case).

    A style that replaces ours keeps our id and our name: the document's paragraphs
    name it by id, and python-docx finds a built-in style by Word's own spelling of its
    name ("heading 1", which Pandoc and LibreOffice write as "Heading 1"). Of several
    reference styles sharing a name (LibreOffice writes both "Caption" and "caption"),
    the first is taken and the others stand for it. A reference style of another type
    than ours of the same name is left out: our writer uses ours as its type.
    """

    def __init__(self, styles: BaseOxmlElement) -> None:
        self.styles = styles
        self.by_name = {_name(style): style for style in styles.iterchildren(qn("w:style"))}
        self.taken = {style.get(qn("w:styleId"), "") for style in styles.iterchildren(qn("w:style"))}
        self.defaults = {style.get(qn("w:type")) for style in self.by_name.values() if _is_default(style)}
        self.merged: dict[str, etree._Element] = {}
        """Each style taken from the reference, by its name."""
        self.renamed: dict[str, str] = {}
        """The reference's style ids that became another id here."""

    def merge(self, reference: list[etree._Element]) -> None:
        """Replace or add each style of `reference`, then point their links at the ids they now have."""
        for style in reference:
            self._take(style)
        for style in self.merged.values():
            self._relink(style)

    def _take(self, style: etree._Element) -> None:
        name, style_id = _name(style), style.get(qn("w:styleId"), "")
        earlier, mine = self.merged.get(name), self.by_name.get(name)
        if earlier is not None:
            self.renamed[style_id] = earlier.get(qn("w:styleId"), "")
        elif mine is None:
            self._add(copy.deepcopy(style), name, style_id)
        elif mine.get(qn("w:type")) == style.get(qn("w:type")):
            self._replace(copy.deepcopy(style), mine, name, style_id)
        else:  # left out: links to it are dropped
            self.renamed[style_id] = ""

    def _replace(self, theirs: etree._Element, mine: etree._Element, name: str, style_id: str) -> None:
        """Put `theirs` in the place of `mine`, with our id, name and default mark."""
        ours = mine.get(qn("w:styleId"), style_id)
        self.renamed[style_id] = ours
        theirs.set(qn("w:styleId"), ours)
        _set_default(theirs, _is_default(mine))
        for old in theirs.findall(qn("w:name")):
            theirs.remove(old)
        our_name = mine.find(qn("w:name"))
        if our_name is not None:
            insert_in_order(theirs, copy.deepcopy(our_name), STYLE_CHILDREN)
        _keep_numbering(theirs, mine)
        _keep_tabs(theirs, mine)
        mine.addprevious(theirs)
        self.styles.remove(mine)
        self.merged[name] = theirs

    def _add(self, theirs: etree._Element, name: str, style_id: str) -> None:
        """Append `theirs`, under an id of its own; ours stays the default style of its type."""
        free = _free_id(style_id, self.taken)
        self.taken.add(free)
        self.renamed[style_id] = free
        theirs.set(qn("w:styleId"), free)
        if theirs.get(qn("w:type")) in self.defaults:
            _set_default(theirs, False)
        _keep_numbering(theirs, None)
        self.styles.append(theirs)
        self.merged[name] = theirs

    def _relink(self, style: etree._Element) -> None:
        """Point the links of `style` at the ids their targets have now; drop links to no style."""
        for link in LINKS:
            for child in style.findall(qn(link)):
                target = child.get(qn("w:val"), "")
                target = self.renamed.get(target, target)
                if target in self.taken:
                    child.set(qn("w:val"), target)
                else:
                    style.remove(child)


def _free_id(style_id: str, taken: set[str]) -> str:
    """Return `style_id`, or if a style here has it already, the first free `style_id`ReferenceN."""
    numbered = (f"{style_id}Reference{number}" for number in itertools.count(2))
    candidates = itertools.chain([style_id, f"{style_id}Reference"], numbered)
    return next(candidate for candidate in candidates if candidate not in taken)


def _is_default(style: etree._Element) -> bool:
    return style.get(qn("w:default")) in ("1", "true", "on")


def _set_default(style: etree._Element, default: bool) -> None:
    if default:
        style.set(qn("w:default"), "1")
    else:
        style.attrib.pop(qn("w:default"), "")


def _keep_numbering(theirs: etree._Element, mine: etree._Element | None) -> None:
    """Drop the reference's numbering from `theirs` (its numbering part is not copied); keep our bullets."""
    for properties in theirs.findall(qn("w:pPr")):
        for numbering in properties.findall(qn("w:numPr")):
            properties.remove(numbering)
    ours = mine.find(f"{qn('w:pPr')}/{qn('w:numPr')}") if mine is not None else None
    if ours is not None and _name(theirs) == KEPT_NUMBERING:
        insert_in_order(_paragraph_properties(theirs), copy.deepcopy(ours), PARAGRAPH_PROPERTIES)


def _keep_tabs(theirs: etree._Element, mine: etree._Element) -> None:
    """Give `theirs` our tab stops if it is a style whose text tabs to the right margin.

    A reference's tab stops suit its own page (Word's Header has a centre tab, then a
    right one at 6 inches): our header text would stop at the centre, short of the margin.
    """
    if _name(theirs) not in KEPT_TABS:
        return
    properties = _paragraph_properties(theirs)
    for tabs in properties.findall(qn("w:tabs")):
        properties.remove(tabs)
    ours = mine.find(f"{qn('w:pPr')}/{qn('w:tabs')}")
    if ours is not None:
        insert_in_order(properties, copy.deepcopy(ours), PARAGRAPH_PROPERTIES)


def _paragraph_properties(style: etree._Element) -> etree._Element:
    """Return the paragraph properties of `style`, added if it has none."""
    found = style.find(qn("w:pPr"))
    if found is not None:
        return found
    properties = element("w:pPr")
    insert_in_order(style, properties, STYLE_CHILDREN)
    return properties


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

    The reference is read and merged into a blank document's styles exactly as a build
    merges it, so whatever would stop the build is found here. The theme reports the
    message at its `word_reference` line.
    """
    try:
        _reference_parts(path)
    except ValueError as error:  # UnreadableInput too: "is larger than 20,000,000 bytes"
        return str(error)
    return _merge_problem(path)


def _merge_problem(path: Path) -> str | None:
    """Return why the styles of the reference at `path` cannot be merged into a blank document's, or None.

    A merge of a foreign file's XML can fail in ways no list of exceptions foresees; any
    failure is a trait of this file, so it is a message about the file, not a traceback.
    """
    blank = docx.Document().styles
    names = [style.name for style in blank if style.name is not None]
    try:
        apply_reference_styles(blank.element, path)
    except Exception as error:  # any failure at all: see above
        return f"has styles guide cannot merge ({type(error).__name__}: {error}): save it again from Word"
    lost = [name for name in names if name not in blank]
    if lost:
        return f"hides the styles {', '.join(lost)} once merged: save it again from Word"
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
