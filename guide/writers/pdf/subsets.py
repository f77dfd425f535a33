"""Embedded font subsets for text added to a finished PDF: codes for the text, then the font objects.

A filled form's values are drawn in the same bundled fonts as its pages. Each face
gets subsets of at most 256 characters, coded 0, 1, 2... in order of first use; the
font programs come from reportlab's TrueType subsetter, as on the pages.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import FF_NONSYMBOLIC, FF_SYMBOLIC, makeToUnicodeCMap

SUBSET_SIZE = 256
"""A simple font's codes are one byte."""


@dataclass
class Subsets:
    """The characters each face has drawn so far, in subsets of one-byte codes."""

    faces: dict[str, list[list[str]]] = field(default_factory=dict)

    def encode(self, face: str, text: str) -> Iterator[tuple[str, bytes]]:
        """Yield (resource name, codes) pieces that draw `text` in `face`, adding its new characters."""
        subsets = self.faces.setdefault(face, [])
        piece: tuple[int, bytearray] | None = None
        for character in text:
            number, code = self._code(subsets, character)
            if piece is None or piece[0] != number:
                if piece is not None:
                    yield self.resource_name(face, piece[0]), bytes(piece[1])
                piece = (number, bytearray())
            piece[1].append(code)
        if piece is not None:
            yield self.resource_name(face, piece[0]), bytes(piece[1])

    @staticmethod
    def _code(subsets: list[list[str]], character: str) -> tuple[int, int]:
        for number, subset in enumerate(subsets):
            if character in subset:
                return number, subset.index(character)
        if not subsets or len(subsets[-1]) == SUBSET_SIZE:
            subsets.append([])
        subsets[-1].append(character)
        return len(subsets) - 1, len(subsets[-1]) - 1

    def resource_name(self, face: str, number: int) -> str:
        """Return the name under which subset `number` of `face` is listed in a resource dictionary."""
        return f"G{list(self.faces).index(face)}s{number}"

    def write_objects(self, add: Callable[[bytes], int]) -> dict[str, int]:
        """Add every subset's font objects with `add` (which returns an object number).

        Returns the object number of each font under its resource name.
        """
        fonts = {}
        for face, subsets in self.faces.items():
            for number, subset in enumerate(subsets):
                fonts[self.resource_name(face, number)] = _add_font(add, face, [ord(c) for c in subset])
        return fonts


def _add_font(add: Callable[[bytes], int], face_name: str, codes: list[int]) -> int:
    """Add a TrueType subset of `face_name` for the characters `codes` (code i draws codes[i])."""
    face = pdfmetrics.getFont(face_name).face
    tag = _subset_tag(face_name, codes)
    base_name = tag + face.name.decode("latin-1") + face.subfontNameX.decode("latin-1")
    program = face.makeSubset(codes)
    program_number = add(stream(b"/Length1 %d" % len(program), program))
    flags = (face.flags & ~FF_NONSYMBOLIC) | FF_SYMBOLIC
    box = " ".join(str(value) for value in face.bbox)
    descriptor = add(
        f"<< /Type /FontDescriptor /FontName /{base_name} /Flags {flags} /FontBBox [{box}]"
        f" /Ascent {face.ascent} /Descent {face.descent} /CapHeight {face.capHeight}"
        f" /ItalicAngle {face.italicAngle} /StemV {face.stemV} /MissingWidth {face.defaultWidth}"
        f" /FontFile2 {program_number} 0 R >>".encode("ascii")
    )
    to_unicode = add(stream(b"", makeToUnicodeCMap(base_name, codes).encode("ascii")))
    widths = " ".join(str(face.getCharWidth(code)) for code in codes)
    return add(
        f"<< /Type /Font /Subtype /TrueType /BaseFont /{base_name} /FirstChar 0 /LastChar {len(codes) - 1}"
        f" /Widths [{widths}] /FontDescriptor {descriptor} 0 R /ToUnicode {to_unicode} 0 R >>".encode("ascii")
    )


def _subset_tag(face_name: str, codes: list[int]) -> str:
    """Return the six capital letters and '+' that mark a subset's name, derived from its content."""
    digest = hashlib.sha256(f"{face_name}:{codes}".encode()).digest()
    return "".join(chr(ord("A") + byte % 26) for byte in digest[:6]) + "+"


def stream(entries: bytes, content: bytes) -> bytes:
    """Return a compressed stream object's body, with extra dictionary `entries`."""
    packed = zlib.compress(content)
    head = b"<< /Filter /FlateDecode /Length %d %s >>" % (len(packed), entries)
    return head + b"\nstream\n" + packed + b"\nendstream"
