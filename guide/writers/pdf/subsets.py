"""Embedded font subsets for text added to a finished PDF: codes for the text, then the font objects.

A filled form's values are drawn in the same fonts as its pages (the theme's). Each face
has one subset of the printable ASCII characters, the same in every file and so
built once per process, and subsets of at most 256 other characters, coded in order
of first use. The font programs come from reportlab's TrueType subsetter, as on the
pages.
"""

from __future__ import annotations

import functools
import hashlib
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import cast

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import FF_NONSYMBOLIC, FF_SYMBOLIC, TTFont

from guide.writers.pdf.fonts import to_unicode_cmap

SUBSET_SIZE = 256
"""A simple font's codes are one byte."""

ASCII = tuple(chr(code) for code in range(32, 127))
"""Subset 0 of every face: the printable ASCII characters, the code of each its place here."""


@dataclass
class Subsets:
    """The characters each face has drawn so far, in subsets of one-byte codes."""

    faces: dict[str, list[list[str]]] = field(default_factory=dict)
    used: set[tuple[str, int]] = field(default_factory=set)

    def encode(self, face: str, text: str) -> Iterator[tuple[str, bytes]]:
        """Yield (resource name, codes) pieces that draw `text` in `face`, adding its new characters."""
        subsets = self.faces.setdefault(face, [list(ASCII)])
        piece: tuple[int, bytearray] | None = None
        for character in text:
            number, code = self._code(subsets, character)
            self.used.add((face, number))
            if piece is None or piece[0] != number:
                if piece is not None:
                    yield self.resource_name(face, piece[0]), bytes(piece[1])
                piece = (number, bytearray())
            piece[1].append(code)
        if piece is not None:
            yield self.resource_name(face, piece[0]), bytes(piece[1])

    @staticmethod
    def _code(subsets: list[list[str]], character: str) -> tuple[int, int]:
        if " " <= character <= "~":
            return 0, ord(character) - ord(" ")
        for number, subset in enumerate(subsets[1:], 1):
            if character in subset:
                return number, subset.index(character)
        if len(subsets) == 1 or len(subsets[-1]) == SUBSET_SIZE:
            subsets.append([])
        subsets[-1].append(character)
        return len(subsets) - 1, len(subsets[-1]) - 1

    def resource_name(self, face: str, number: int) -> str:
        """Return the name under which subset `number` of `face` is listed in a resource dictionary."""
        return f"G{list(self.faces).index(face)}s{number}"

    def write_objects(self, add: Callable[[bytes], int]) -> dict[str, int]:
        """Add the font objects of every subset used with `add` (which returns an object number).

        Returns the object number of each font under its resource name.
        """
        fonts = {}
        for face, subsets in self.faces.items():
            for number, subset in enumerate(subsets):
                if (face, number) in self.used:
                    parts = _font_parts(face, tuple(ord(c) for c in subset))
                    fonts[self.resource_name(face, number)] = parts.add_to(add)
        return fonts


@dataclass(frozen=True)
class _FontParts:
    """The objects of one subset font, object numbers aside."""

    program: bytes
    descriptor: str
    to_unicode: bytes
    font: str

    def add_to(self, add: Callable[[bytes], int]) -> int:
        """Add the objects, linked to each other; return the font's object number."""
        program = add(self.program)
        descriptor = add(self.descriptor.format(program=program).encode("ascii"))
        to_unicode = add(self.to_unicode)
        return add(self.font.format(descriptor=descriptor, to_unicode=to_unicode).encode("ascii"))


@functools.lru_cache(maxsize=64)
def _font_parts(face_name: str, codes: tuple[int, ...]) -> _FontParts:
    """Return a TrueType subset of `face_name` for the characters `codes` (code i draws codes[i])."""
    # getFont returns the font as registered (a TTFont for every embedded face); its stub says Font
    face = cast(TTFont, pdfmetrics.getFont(face_name)).face
    tag = subset_tag(f"{face_name}:{codes}".encode())
    base_name = tag + face.name.decode("latin-1") + face.subfontNameX.decode("latin-1")
    program = face.makeSubset(list(codes))
    flags = (face.flags & ~FF_NONSYMBOLIC) | FF_SYMBOLIC
    box = " ".join(str(value) for value in face.bbox)
    widths = " ".join(str(face.getCharWidth(code)) for code in codes)
    return _FontParts(
        program=stream(b"/Length1 %d" % len(program), program),
        descriptor=(
            f"<< /Type /FontDescriptor /FontName /{base_name} /Flags {flags} /FontBBox [{box}]"
            f" /Ascent {face.ascent} /Descent {face.descent} /CapHeight {face.capHeight}"
            f" /ItalicAngle {face.italicAngle} /StemV {face.stemV} /MissingWidth {face.defaultWidth}"
            " /FontFile2 {program} 0 R >>"
        ),
        to_unicode=stream(b"", to_unicode_cmap(base_name, list(codes)).encode("ascii")),
        font=(
            f"<< /Type /Font /Subtype /TrueType /BaseFont /{base_name} /FirstChar 0"
            f" /LastChar {len(codes) - 1} /Widths [{widths}]"
            " /FontDescriptor {descriptor} 0 R /ToUnicode {to_unicode} 0 R >>"
        ),
    )


def subset_tag(content: bytes) -> str:
    """Return the six capital letters and '+' that mark a subset font's name, derived from its `content`."""
    digest = hashlib.sha256(content).digest()
    return "".join(chr(ord("A") + byte % 26) for byte in digest[:6]) + "+"


def stream(entries: bytes, content: bytes) -> bytes:
    """Return a compressed stream object's body, with extra dictionary `entries`."""
    packed = zlib.compress(content)
    head = b"<< /Filter /FlateDecode /Length %d %s >>" % (len(packed), entries)
    return head + b"\nstream\n" + packed + b"\nendstream"
