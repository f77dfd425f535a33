"""What a document must satisfy before it is drawn, beyond what the model itself guarantees."""

from __future__ import annotations

from collections.abc import Iterator

from guide.glyphs import Chain, unsupported_characters
from guide.model import Document, FormField, SignatureLine, TableOfContents, inlines, plain_text, walk


def check_document(document: Document, chain: Chain) -> None:
    """Raise ValueError when a character of `document` is one no font of `chain` can draw.

    Form names, anchors and links are checked by the model when the document is made.
    """
    for text in _drawn_texts(document):
        unsupported = unsupported_characters(text, chain)
        if unsupported:
            listed = ", ".join(f"{character!r} (U+{ord(character):04X})" for character in unsupported)
            raise ValueError(f"the PDF fonts cannot draw {listed} in {text!r}")


def _drawn_texts(document: Document) -> Iterator[str]:
    """Yield every text the writer draws in its own fonts (field values are the viewer's)."""
    meta = document.meta
    yield from (meta.title, meta.subtitle, meta.organization, meta.version, meta.kind)
    for inline in inlines(document.blocks):
        yield plain_text(inline)
    for block in walk(document.blocks):
        match block:
            case FormField(label=label, choices=choices):
                yield label
                yield from choices
            case SignatureLine(label=label) | TableOfContents(title=label):
                yield label
