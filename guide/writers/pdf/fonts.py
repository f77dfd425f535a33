"""The theme's fonts and the bundled ones, registered with reportlab once per process and file.

A theme's four faces (DejaVu Sans unless it names its own) form one family, so
`<b>` and `<i>` in paragraph markup pick the right face. A character the regular
face lacks is drawn, run by run, in the first font of the theme's chain that has
it: the theme's fallbacks, then DejaVu Sans, WenQuanYi Micro Hei (Chinese,
Japanese, Korean) and Symbola (emoji). `guide.glyphs` decides which; right-to-left
runs arrive in visual order (see `guide.scripts`).
"""

from __future__ import annotations

import functools
import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont

from guide import glyphs
from guide.glyphs import DEJAVU_FACES, FONTS_DIRECTORY, Chain, unsupported_characters
from guide.inputs import read_bounded
from guide.scripts import reads_right_to_left, shaped_words
from guide.theme import MAX_FONT_BYTES, FontFiles

BUNDLED_NAMES = {path: path.stem for path in (*DEJAVU_FACES, *glyphs.BUNDLED_FALLBACKS)}
"""The bundled fonts keep their file names as reportlab names (and so in PDFs' font resources)."""

__all__ = ["FONTS_DIRECTORY", "Typeface", "register_typeface", "unsupported_characters"]


ELLIPSIS = "…"
RIGHT_TO_LEFT_MARK = "\u200f"
"""Keeps an ellipsis with the right-to-left text it follows."""

BFCHAR_BLOCK = 100
"""The most entries one `beginbfchar` block may hold (PDF 32000-1, 9.10.3)."""


def to_unicode_cmap(font_name: str, codes: list[int]) -> str:
    """Return the ToUnicode CMap of a subset font whose code i draws the character codes[i].

    reportlab writes a character beyond U+FFFF as five hex digits (`<1F680>`), which readers
    reject, so an emoji could not be copied or searched; here it is UTF-16, as the format asks.
    """
    return unicode_cmap(font_name, [(code, chr(value)) for code, value in enumerate(codes)], code_bytes=1)


def unicode_cmap(name: str, mapping: list[tuple[int, str]], code_bytes: int) -> str:
    """Return a ToUnicode CMap named `name` that maps each code of `code_bytes` bytes to its text (UTF-16)."""
    digits = 2 * code_bytes
    entries = [f"<{code:0{digits}X}> <{text.encode('utf-16-be').hex().upper()}>" for code, text in mapping]
    blocks = []
    for start in range(0, len(entries), BFCHAR_BLOCK):
        chunk = entries[start : start + BFCHAR_BLOCK]
        blocks += [f"{len(chunk)} beginbfchar", *chunk, "endbfchar"]
    # a simple font's codes end at its last; a CID font's span both bytes, as viewers expect
    end = max((code for code, _ in mapping), default=0) if code_bytes == 1 else 0xFFFF
    return "\n".join([
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
        f"/CIDSystemInfo << /Registry ({name}) /Ordering ({name}) /Supplement 0 >> def",
        f"/CMapName /{name} def", "/CMapType 2 def",
        "1 begincodespacerange", f"<{0:0{digits}X}> <{end:0{digits}X}>",
        "endcodespacerange", *blocks,
        "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end",
    ])  # fmt: skip


@dataclass(frozen=True)
class Typeface:
    """A theme's fonts as registered names: the family's four faces, and the chain for each character."""

    regular: str
    bold: str
    italic: str
    bold_italic: str
    chain: Chain
    right_to_left: bool = False
    """True for a right-to-left document: its text is written word by word as it is seen
    (see `pdf.direction`), not run by run into left-to-right lines."""

    def runs(self, text: str) -> list[tuple[str, str]]:
        """Return `text` cut into (registered font name, run) pieces, as `guide.glyphs.font_runs` does."""
        return [(face_name(path), run) for path, run in glyphs.font_runs(text, self.chain)]

    def width(self, text: str, size: float) -> float:
        """Return the width in points of `text` at `size`, each run in the font that draws it.

        Right-to-left words are measured joined, as they are drawn (see `scripts.shaped_words`).
        """
        drawn = shaped_words(text) if reads_right_to_left(text) else text
        return sum(text_width(run, face, size) for face, run in self.runs(drawn))

    def shortened(self, text: str, room: float, size: float) -> str:
        """Return `text` on one line, shortened with an ellipsis if it is wider than `room` at `size`.

        The ellipsis ends the text as it is read: for text that ends right to left, at its left.
        """
        text = " ".join(text.split())
        if self.width(text, size) <= room:
            return text
        while text and self.width(text + ELLIPSIS, size) > room:
            text = text[:-1]
        text = text.rstrip()
        strong = [unicodedata.bidirectional(character) for character in text if character.isalpha()]
        return text + (RIGHT_TO_LEFT_MARK if strong and strong[-1] in ("R", "AL") else "") + ELLIPSIS


DEFAULT_FONTS = FontFiles()


@functools.cache
def register_typeface(files: FontFiles = DEFAULT_FONTS) -> Typeface:
    """Embed the regular face of `files`, tie the four faces into one family and return their names.

    The family lets `<b>` and `<i>` in paragraph markup pick the bold and italic faces
    (without it they silently fall back to the regular face). The other faces and the
    fallbacks are read and embedded when a text first needs them (`_on_first_use`).
    """
    ttfonts.makeToUnicodeCMap = to_unicode_cmap  # type: ignore[assignment]  # reportlab's own breaks emoji (see to_unicode_cmap)
    pdfmetrics.findFontAndRegister = _on_first_use  # type: ignore[assignment]  # reportlab's look-up of unknown names
    regular = face_name(files.regular)
    bold, italic, bold_italic = (_named(path) for path in (files.bold, files.italic, files.bold_italic))
    pdfmetrics.registerFontFamily(regular, normal=regular, bold=bold, italic=italic, boldItalic=bold_italic)
    return Typeface(regular, bold, italic, bold_italic, files.chain)


@functools.cache
def face_name(path: Path) -> str:
    """Register the font file at `path` (the first font of a collection); return its reportlab name.

    A font that is only ever a fallback is its own family: its one face stands in for
    bold and italic. DejaVu Sans, in every chain, keeps its four faces.
    """
    name = _named(path)
    _WAITING.pop(name, None)
    pdfmetrics.registerFont(TTFont(name, _named_stream(path, _font_bytes(path)), subfontIndex=0))
    if path == glyphs.DEJAVU_SANS:
        bold, italic, bold_italic = (_named(face) for face in DEJAVU_FACES[1:])
        pdfmetrics.registerFontFamily(name, normal=name, bold=bold, italic=italic, boldItalic=bold_italic)
    elif path not in DEJAVU_FACES:
        pdfmetrics.registerFontFamily(name, normal=name, bold=name, italic=name, boldItalic=name)
    return name


_WAITING: dict[str, Path] = {}
"""Faces named in a family but not read yet, by reportlab name: read when a text first asks for one."""

_reportlab_find = pdfmetrics.findFontAndRegister


def _on_first_use(name: str) -> pdfmetrics.Font:
    """Register the waiting face `name` that reportlab asks for; other names, as reportlab looks them up."""
    if name in _WAITING:
        face_name(_WAITING[name])
        return pdfmetrics.getFont(name)
    return _reportlab_find(name)


@functools.cache
def _named(path: Path) -> str:
    """Return the reportlab name of the font file at `path`, reading only its name or its bytes' digest."""
    name = BUNDLED_NAMES.get(path) or _own_name(path, _font_bytes(path))
    _WAITING[name] = path  # until `face_name` reads it
    return name


def _font_bytes(path: Path) -> bytes:
    return read_bounded(path, MAX_FONT_BYTES)  # the theme refused a larger file: this one changed since


SUBSET_CODES = 256
"""reportlab subsets a font 256 characters at a time, as a PDF's simple fonts hold."""


def subset_problem(path: Path, data: bytes) -> str | None:
    """Return why the font `data` (the file at `path`) cannot be drawn in a PDF, or None if it can.

    The font is read by reportlab and subset for every character it maps, as pages and
    filled forms do with the characters they draw, but without registering it: a theme
    is checked before anything is built.
    """
    try:
        face = TTFont(_own_name(path, data), _named_stream(path, data), subfontIndex=0).face
        codes = sorted(face.charToGlyph)
        for start in range(0, len(codes), SUBSET_CODES):
            face.makeSubset(codes[start : start + SUBSET_CODES])
    except Exception as error:  # reportlab raises many kinds of error for a damaged font
        return f"cannot be embedded in a PDF ({error or type(error).__name__}): get a fresh copy of the font"
    return None


def _named_stream(path: Path, data: bytes) -> io.BytesIO:
    """Return `data` to read, named as the file at `path` (reportlab uses a stream's name as a file's)."""
    stream = io.BytesIO(data)
    stream.name = str(path)
    return stream


def _own_name(path: Path, data: bytes) -> str:
    """Return a reportlab name for a theme's font file at `path`: its name, and a digest of its bytes `data`.

    The digest keeps two different files of the same name apart, and the same file the same
    on every machine.
    """
    digest = hashlib.sha256(data).hexdigest()[:8]
    return re.sub(r"[^A-Za-z0-9-]", "", path.stem)[:40] + "-" + digest


def text_width(text: str, font_name: str, font_size: float) -> float:
    """Return the width in points of `text` set in `font_name` at `font_size`."""
    return pdfmetrics.stringWidth(text, font_name, font_size)
