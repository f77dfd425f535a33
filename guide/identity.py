"""What each file guide writes says it is: its ladder, the ladder's version and content, its product
and level, for a tool that collects filled forms to read back (and to tell old forms from new).

PDFs carry it in their XMP metadata (namespace `NAMESPACE`, prefix `guide`), Word files as
custom properties (`guide.ladder`, `guide.product`...): places the programs forms are filled in
keep when they save.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from guide.ladder import Ladder

NAMESPACE = "urn:guide:identity:1"
"""The XMP namespace of guide's own properties."""

Identity = tuple[tuple[str, str], ...]
"""Property name and value pairs, in a fixed order."""


def identity_of(ladder: Ladder, product: str, level: str = "") -> Identity:
    """Return what a file of `product` ("handbook", "checklist", "packet") of `ladder` says it is."""
    pairs = (("ladder", ladder.id), ("ladder_version", ladder.version), ("ladder_hash", content_hash(ladder)),
             ("product", product), ("level", level))  # fmt: skip
    return tuple((name, value) for name, value in pairs if value)


def content_hash(ladder: Ladder) -> str:
    """Return a digest of what `ladder` says (its JSON export), whatever its file's comments or layout.

    Worked out once per ladder: every file of a build, and every row of a roster, asks for it.
    """
    from guide.export import ladder_json  # the build's, not the writers'

    known = _HASHES.get(id(ladder))
    if known is None or known[0] is not ladder:
        known = _HASHES[id(ladder)] = (ladder, hashlib.sha256(ladder_json(ladder)).hexdigest()[:16])
    return known[1]


_HASHES: dict[int, tuple[Ladder, str]] = {}
"""Each ladder's digest, by the ladder object (kept, so that its id stays its own)."""
