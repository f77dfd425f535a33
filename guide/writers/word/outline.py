"""The document's headings, worked out before writing: bookmark names and contents entries.

Links may point forward, and the table of contents lists headings that come
after it, so both need every heading before the first block is written.
Bookmark names are derived from anchors deterministically: the same document
always gives the same names. The page each entry shows comes from outside (the
PDF twin's layout: see `guide.writers.pdf.pagination`): only a layout engine knows it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace

from guide.model import Document, Heading, one_line, plain_text, walk

BOOKMARK_LENGTH = 40
"""Word's longest bookmark name."""

CONTENTS_DEPTH = 2
"""Headings of levels 1 to this one are listed in the table of contents."""


@dataclass(frozen=True)
class ContentsEntry:
    """One line of the table of contents: a heading's level, text, bookmark and page (None: unknown)."""

    level: int
    text: str
    bookmark: str
    page: int | None = None


@dataclass(frozen=True)
class Outline:
    """The anchor-to-bookmark map, every heading's bookmark (in reading order), the contents."""

    bookmarks: dict[str, str]
    heading_bookmarks: tuple[str | None, ...]
    entries: tuple[ContentsEntry, ...]

    @property
    def paged(self) -> bool:
        """Whether every contents entry knows its page (False when there are none)."""
        return bool(self.entries) and all(entry.page is not None for entry in self.entries)


def outline_of(document: Document, pages: Sequence[int] = ()) -> Outline:
    """Return the outline of `document` (whose anchors are unique and links resolve: the model checks).

    `pages`, if given, holds the page of each heading of levels 1 to CONTENTS_DEPTH in
    reading order (one per contents entry), as `pdf.pagination.contents_pages` returns them.
    """
    headings = [block for block in walk(document.blocks) if isinstance(block, Heading)]
    bookmarks = _bookmark_names(document.anchors())
    names = tuple(_heading_bookmark(heading, index, bookmarks) for index, heading in enumerate(headings))
    entries = tuple(
        ContentsEntry(heading.level, one_line(plain_text(heading.spans)), name)
        for heading, name in zip(headings, names, strict=True)
        if heading.level <= CONTENTS_DEPTH and name is not None
    )
    return Outline(bookmarks, names, _with_pages(entries, pages))


def _with_pages(entries: tuple[ContentsEntry, ...], pages: Sequence[int]) -> tuple[ContentsEntry, ...]:
    """Return `entries` each with its page from `pages`, or as they are when `pages` is empty."""
    if not pages:
        return entries
    if len(pages) != len(entries):
        raise ValueError(f"{len(pages)} pages given for {len(entries)} contents entries")
    return tuple(replace(entry, page=page) for entry, page in zip(entries, pages, strict=True))


def bookmark_name(anchor: str, taken: set[str]) -> str:
    """Return a Word bookmark name for `anchor` that is not in `taken` (compared ignoring case).

    Word bookmark names hold ASCII letters, digits and underscores, start with a
    letter and have at most 40 characters.
    """
    ascii_text = unicodedata.normalize("NFKD", anchor).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^A-Za-z0-9]+", "_", ascii_text).strip("_")
    if not stem[:1].isalpha():
        stem = f"h_{stem}".rstrip("_")
    name = stem[:BOOKMARK_LENGTH]
    number = 2
    while name.lower() in taken:
        suffix = f"_{number}"
        name = stem[: BOOKMARK_LENGTH - len(suffix)] + suffix
        number += 1
    return name


def _bookmark_names(anchors: list[str]) -> dict[str, str]:
    """Return a bookmark name for each of `anchors`, unique within the document."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for anchor in anchors:
        names[anchor] = bookmark_name(anchor, taken)
        taken.add(names[anchor].lower())
    return names


def _heading_bookmark(heading: Heading, index: int, bookmarks: dict[str, str]) -> str | None:
    """Return the bookmark around `heading`: its anchor's, a hidden one for the contents, or None."""
    if heading.anchor:
        return bookmarks[heading.anchor]
    if heading.level <= CONTENTS_DEPTH:
        return f"_Toc{index + 1:08d}"
    return None
