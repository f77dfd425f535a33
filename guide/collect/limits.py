"""Bounds on what a returned file may make guide read: files come from anyone, and some are hostile.

A file over `MAX_FILE_BYTES`, a zip part that inflates past `MAX_PART_BYTES` or more
than `MAX_RATIO` times its packed size, XML with a document type (where entities and
their bombs live), and forms with more fields than any guide writes are refused with
a `Refused` that says why.
"""

from __future__ import annotations

import zlib

from lxml import etree

MAX_FILE_BYTES = 64 << 20
"""A filled packet is well under a megabyte; a scan pasted into one stays under this."""

MAX_PART_BYTES = 32 << 20
"""The most one part of a Word file (or one PDF metadata stream) may inflate to."""

MAX_RATIO = 200
"""Packed XML shrinks 5-20 times; a zip bomb thousands of times."""

MAX_PARTS = 2_000
"""Entries of a Word file: guide writes about twenty."""

MAX_FIELDS = 20_000
"""Fields or controls of one form: a 40-level packet holds a few hundred."""

MAX_DEPTH = 32
"""How deep a PDF's field tree may nest: guide's is flat."""

MAX_VALUE_CHARS = 200_000
"""The longest answer kept whole; a longer one is cut, and said to be."""


class Refused(Exception):
    """A file that is not read, and why (a message for `file: message`)."""


def parse_xml(data: bytes, what: str) -> etree._Element:
    """Return the root of the XML `data` (`what` names it in messages): no document type, no network."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise Refused(f"{what} declares a document type, which forms guide wrote never do: not read")
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as error:
        raise Refused(f"{what} is not well-formed XML ({error.msg})") from None


_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True
)


def inflated(raw: bytes, what: str) -> bytes:
    """Return the zlib stream `raw` inflated, refusing more than MAX_PART_BYTES or MAX_RATIO times `raw`."""
    limit = min(MAX_PART_BYTES, max(len(raw), 1024) * MAX_RATIO)
    inflater = zlib.decompressobj()
    try:
        data = inflater.decompress(raw, limit)
    except zlib.error as error:
        raise Refused(f"{what} is damaged ({error})") from None
    if inflater.unconsumed_tail:
        raise Refused(f"{what} inflates to more than {limit:,} bytes: not read")
    return data
