"""The .docx / .dotx package: file properties, the template content type, reproducible bytes.

python-docx stamps zip entries with the time of saving, so two saves differ
(PITFALLS D7); the zip is rewritten here with fixed timestamps, in python-docx's
part order but with the parts a filled copy changes last (the core properties,
which hold its title, the headers, one of which names its person, and the main
part, last of all), which makes the same document give the same bytes. Filled
copies of a file then share every byte before those parts (see `with_parts`).
A template differs from a document only in the content type of its main part
(PITFALLS 2.4).

The extended properties (docProps/app.xml) are written here too: python-docx's
template says "Microsoft Macintosh Word", one page and no words; a file of guide's
names guide as its application, its organization as the company, and no counts
(only a layout engine knows the pages, and Word counts again when it saves).
"""

from __future__ import annotations

import datetime
import functools
import io
import os
import re
import zipfile

from docx.document import Document as DocxDocument
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.oxml import serialize_part_xml
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.coreprops import CT_CoreProperties
from lxml import etree

from guide.model import Metadata

DOCUMENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
TEMPLATE_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
CONTENT_TYPES = "[Content_Types].xml"
MAIN_PART = "/word/document.xml"
MAIN_ENTRY = MAIN_PART.lstrip("/")
CORE_ENTRY = "docProps/core.xml"
CUSTOM_ENTRY = "docProps/custom.xml"
APP_PART = "/docProps/app.xml"
HEADER_ENTRIES = re.compile(r"word/header\d+\.xml")

APPLICATION = "guide"
EXTENDED_PROPERTIES = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"

FIXED_TIME = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
"""Created and modified date of every file unless SOURCE_DATE_EPOCH says otherwise (as in PDFs):
a build date would break reproducibility."""

EARLIEST_ZIP_TIME = datetime.datetime(1980, 1, 1, tzinfo=datetime.UTC)
"""The earliest timestamp a zip entry can hold."""
LATEST_ZIP_TIME = datetime.datetime(2107, 12, 31, 23, 59, 59, tzinfo=datetime.UTC)
"""The latest timestamp a zip entry can hold: its year is stored as 0 to 127 after 1980."""


def file_time() -> datetime.datetime:
    """Return the date files carry: SOURCE_DATE_EPOCH when set (the reproducible-builds convention).

    The command line refuses a SOURCE_DATE_EPOCH that is not a whole number of seconds
    from EARLIEST_ZIP_TIME to LATEST_ZIP_TIME, before anything is written.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC) if epoch else FIXED_TIME


def set_properties(
    document: DocxDocument, meta: Metadata, title: str, identity: tuple[tuple[str, str], ...] = ()
) -> None:
    """Fill the file properties from `meta`, with fixed dates, and drop the template's thumbnail.

    `title` (the document's title, or a filled copy's: see `model.personal_title`), subject
    (the kind of document), author (the organization) and comments (the subtitle); the
    extended properties name guide and the organization.
    """
    properties = document.core_properties
    properties.title = _property(title)
    properties.subject = _property(meta.kind)
    properties.author = properties.last_modified_by = _property(meta.organization)
    properties.comments = _property(meta.subtitle)
    properties.keywords = ""
    properties.category = ""
    properties.revision = 1
    properties.created = properties.modified = file_time()
    for element in properties._element:  # noqa: SLF001 - python-docx has no API for this
        if element.text == "":
            # written <x/> as a copy reads it: `retitled` then gives the bytes drawing gives
            element.text = None
    _drop_thumbnail(document)
    _set_extended_properties(document, meta)
    if identity:
        _add_custom_properties(document, identity)


def retitled(core: bytes, title: str) -> bytes:
    """Return the core properties part `core` with `title`, as `set_properties` would write it."""
    root = parse_xml(core)
    assert isinstance(root, CT_CoreProperties), "a core properties part python-docx wrote"
    root.title_text = _property(title)
    return serialize_part_xml(root)


PROPERTY_CHARS = 255
"""The longest text a file property may hold (python-docx refuses more, as Word does)."""


def _property(text: str) -> str:
    """Return `text` cut to fit a file property, with an ellipsis where it was cut."""
    return text if len(text) <= PROPERTY_CHARS else text[: PROPERTY_CHARS - 1] + "…"


def package_bytes(document: DocxDocument, *, template: bool) -> bytes:
    """Return `document` saved as a zip with fixed timestamps; a .dotx if `template`."""
    saved = io.BytesIO()
    document.save(saved)
    return _packaged(saved, template=template)


def as_template(data: bytes) -> bytes:
    """Return the .docx `data` as a .dotx: the same file as `package_bytes` writes for a template."""
    return _packaged(io.BytesIO(data), template=True)


def _packaged(saved: io.BytesIO, *, template: bool) -> bytes:
    source = zipfile.ZipFile(saved)
    parts = {name: source.read(name) for name in source.namelist()}
    if template:
        parts[CONTENT_TYPES] = _as_template(parts[CONTENT_TYPES])
    shared = {name: content for name, content in parts.items() if not _is_personal(name)}
    personal = {name: content for name, content in parts.items() if _is_personal(name)}
    return _appended(_zipped(shared), personal)


@functools.lru_cache(maxsize=32)
def personal_parts(data: bytes) -> dict[str, bytes]:
    """Return the parts of the Word file `data` a filled copy may change, by entry name (read once per file).

    The core properties (`CORE_ENTRY`), the headers and the main part (`MAIN_ENTRY`).
    The dictionary is shared: do not change it.
    """
    source = zipfile.ZipFile(io.BytesIO(data))
    return {name: source.read(name) for name in source.namelist() if _is_personal(name)}


def with_parts(data: bytes, changed: dict[str, bytes]) -> bytes:
    """Return the Word file `data` with the `changed` parts of `personal_parts`, as `package_bytes` writes."""
    return _appended(_without_personal_parts(data), {**personal_parts(data), **changed})


@functools.lru_cache(maxsize=32)
def _without_personal_parts(data: bytes) -> bytes:
    """Return the zip of every part of `data` but those a filled copy may change (computed once per file)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    return _zipped({name: source.read(name) for name in source.namelist() if not _is_personal(name)})


def _is_personal(name: str) -> bool:
    return name in (CORE_ENTRY, CUSTOM_ENTRY, MAIN_ENTRY) or HEADER_ENTRIES.fullmatch(name) is not None


def _personal_order(name: str) -> tuple[int, str]:
    """Sort key of the parts a filled copy may change: core properties, headers by name, main part."""
    return (0 if name in (CORE_ENTRY, CUSTOM_ENTRY) else 2 if name == MAIN_ENTRY else 1, name)


def _zipped(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name, content in parts.items():
            target.writestr(_fixed_entry(name), content)
    return buffer.getvalue()


def _appended(package: bytes, parts: dict[str, bytes]) -> bytes:
    """Return the zip `package` with `parts` added at its end, in `_personal_order`."""
    buffer = io.BytesIO(package)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as target:
        for name in sorted(parts, key=_personal_order):
            target.writestr(_fixed_entry(name), parts[name])
    return buffer.getvalue()


def _fixed_entry(name: str) -> zipfile.ZipInfo:
    """Return zip entry information for `name` with a fixed time, compression and mode."""
    entry = zipfile.ZipInfo(name, date_time=_zip_time(file_time()).timetuple()[:6])
    entry.compress_type = zipfile.ZIP_DEFLATED
    entry.external_attr = 0o644 << 16
    return entry


def _zip_time(time: datetime.datetime) -> datetime.datetime:
    """Return `time` moved into the years a zip entry can hold (zipfile raises outside them)."""
    return min(max(time, EARLIEST_ZIP_TIME), LATEST_ZIP_TIME)


def _as_template(content_types: bytes) -> bytes:
    """Return `[Content_Types].xml` with the main part typed as a template (.dotx)."""
    root = etree.fromstring(content_types)
    namespace = root.nsmap[None]
    for override in root.iter(f"{{{namespace}}}Override"):
        if override.get("PartName") == MAIN_PART:
            override.set("ContentType", TEMPLATE_TYPE)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _set_extended_properties(document: DocxDocument, meta: Metadata) -> None:
    """Replace python-docx's template extended properties by guide's (see the module's docstring)."""
    root = etree.fromstring(f'<Properties xmlns="{EXTENDED_PROPERTIES}"/>')  # its namespace the default one
    etree.SubElement(root, f"{{{EXTENDED_PROPERTIES}}}Application").text = APPLICATION
    if meta.organization:
        etree.SubElement(root, f"{{{EXTENDED_PROPERTIES}}}Company").text = _property(meta.organization)
    blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    (part,) = [part for part in document.part.package.iter_parts() if part.partname == APP_PART]
    part._blob = blob  # noqa: SLF001 - python-docx keeps app.xml as a plain part with no API to set it


CUSTOM_PART = "/" + CUSTOM_ENTRY
CUSTOM_PROPERTIES = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VARIANT_TYPES = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
CUSTOM_PROPERTY_ID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
PROPERTY_PREFIX = "guide."
"""What starts the name of each of guide's custom properties: `guide.ladder`, `guide.product`..."""
"""The format id every custom document property carries (ECMA-376 Part 1, 22.3.2.2)."""


def _add_custom_properties(document: DocxDocument, identity: tuple[tuple[str, str], ...]) -> None:
    """Give the file custom properties saying what file it is: `guide.ladder`, `guide.product`...

    python-docx has no API for them: the part is made here and related to the package.
    """
    package = document.part.package
    blob = custom_properties(identity)
    part = Part(PackURI(CUSTOM_PART), CONTENT_TYPE.OFC_CUSTOM_PROPERTIES, blob, package)
    package.relate_to(part, RELATIONSHIP_TYPE.CUSTOM_PROPERTIES)


def custom_properties(identity: tuple[tuple[str, str], ...]) -> bytes:
    """Return the custom properties part holding `identity`, each pair as a text property `guide.<name>`."""
    root = etree.fromstring(f'<Properties xmlns="{CUSTOM_PROPERTIES}" xmlns:vt="{VARIANT_TYPES}"/>')
    for number, (name, value) in enumerate(identity, 2):  # ids start at 2
        attributes = {"fmtid": CUSTOM_PROPERTY_ID, "pid": str(number), "name": f"{PROPERTY_PREFIX}{name}"}
        item = etree.SubElement(root, f"{{{CUSTOM_PROPERTIES}}}property", attributes)
        etree.SubElement(item, f"{{{VARIANT_TYPES}}}lpwstr").text = _property(value)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _drop_thumbnail(document: DocxDocument) -> None:
    """Remove python-docx's template thumbnail, a picture of some other document."""
    relationships = document.part.package.rels
    for key, relationship in list(relationships.items()):
        if relationship.reltype == RELATIONSHIP_TYPE.THUMBNAIL:
            del relationships[key]
