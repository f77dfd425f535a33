"""The .docx / .dotx package: file properties, the template content type, reproducible bytes.

python-docx stamps zip entries with the time of saving, so two saves differ
(PITFALLS D7); the zip is rewritten here with fixed timestamps, in python-docx's
part order but with the main part last, which makes the same document give the
same bytes. Filled copies of a file then share every byte before the main part
(see `with_main_part`). A template differs from a document only in the content
type of its main part (PITFALLS 2.4).
"""

from __future__ import annotations

import datetime
import functools
import io
import os
import zipfile

from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE
from lxml import etree

from guide.model import Metadata

DOCUMENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
TEMPLATE_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
CONTENT_TYPES = "[Content_Types].xml"
MAIN_PART = "/word/document.xml"
MAIN_ENTRY = MAIN_PART.lstrip("/")

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


def set_properties(document: DocxDocument, meta: Metadata) -> None:
    """Fill the file properties from `meta`, with fixed dates, and drop the template's thumbnail.

    Title, subject (the kind of document), author (the organization) and comments (the subtitle).
    """
    properties = document.core_properties
    properties.title = _property(meta.title)
    properties.subject = _property(meta.kind)
    properties.author = properties.last_modified_by = _property(meta.organization)
    properties.comments = _property(meta.subtitle)
    properties.keywords = ""
    properties.category = ""
    properties.revision = 1
    properties.created = properties.modified = file_time()
    _drop_thumbnail(document)


PROPERTY_CHARS = 255
"""The longest text a file property may hold (python-docx refuses more, as Word does)."""


def _property(text: str) -> str:
    """Return `text` cut to fit a file property, with an ellipsis where it was cut."""
    return text if len(text) <= PROPERTY_CHARS else text[: PROPERTY_CHARS - 1] + "…"


def package_bytes(document: DocxDocument, *, template: bool) -> bytes:
    """Return `document` saved as a zip with fixed timestamps; a .dotx if `template`."""
    saved = io.BytesIO()
    document.save(saved)
    source = zipfile.ZipFile(saved)
    parts = {name: source.read(name) for name in source.namelist()}
    if template:
        parts[CONTENT_TYPES] = _as_template(parts[CONTENT_TYPES])
    main = parts.pop(MAIN_ENTRY)
    return _appended(_zipped(parts), main)


@functools.lru_cache(maxsize=32)
def main_part(data: bytes) -> bytes:
    """Return the main part (`word/document.xml`) of the Word file `data` (read once per file)."""
    return zipfile.ZipFile(io.BytesIO(data)).read(MAIN_ENTRY)


def with_main_part(data: bytes, main: bytes) -> bytes:
    """Return the Word file `data` with `main` as its main part: the bytes `package_bytes` gives."""
    return _appended(_without_main_part(data), main)


@functools.lru_cache(maxsize=32)
def _without_main_part(data: bytes) -> bytes:
    """Return the zip of every part of `data` but the main one (computed once per file)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    return _zipped({name: source.read(name) for name in source.namelist() if name != MAIN_ENTRY})


def _zipped(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name, content in parts.items():
            target.writestr(_fixed_entry(name), content)
    return buffer.getvalue()


def _appended(package: bytes, main: bytes) -> bytes:
    """Return the zip `package` with the main part added as its last entry."""
    buffer = io.BytesIO(package)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as target:
        target.writestr(_fixed_entry(MAIN_ENTRY), main)
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


def _drop_thumbnail(document: DocxDocument) -> None:
    """Remove python-docx's template thumbnail, a picture of some other document."""
    relationships = document.part.package.rels
    for key, relationship in list(relationships.items()):
        if relationship.reltype == RELATIONSHIP_TYPE.THUMBNAIL:
            del relationships[key]
