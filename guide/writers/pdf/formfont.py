"""The font a PDF form names for typed text: one embedded font with every script the form may need.

A form field's `/DA` names one font of the form's `/DR`, and every viewer that
draws a value itself (pdf.js on save, poppler and Acrobat when `/NeedAppearances`
asks them to, pypdf's fill) draws all of it in that one font. So that no script
is lost, the form's font is the theme's font chain flattened into one TrueType
font: each character in the first font of the chain that has it (as on the
pages), for what people type (TYPING_RANGES: Latin, Greek, Cyrillic, Hebrew and
Arabic in full, and common signs; COMMON_CJK when the form's texts use Chinese,
Japanese or Korean) and every other character of the document and its values
(the ladder's and the roster's texts).

It is embedded whole as a CID font (Type0, Identity-H: two-byte glyph numbers),
with a ToUnicode map of every glyph, from which viewers encode what is typed.
The typing ranges cost about 60 KB a file, the common Chinese and Japanese
characters about 380 KB more (see "Fonts" in docs/themes.md).
"""

from __future__ import annotations

import functools
import io
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from guide import glyphs
from guide.glyphs import Chain
from guide.inputs import read_bounded
from guide.theme import MAX_FONT_BYTES
from guide.writers.pdf.fonts import unicode_cmap

if TYPE_CHECKING:  # fontTools' subsetter takes a tenth of a second to import: only forms need it
    from fontTools.ttLib import TTFont

TYPING_RANGES = (
    (0x0020, 0x007E),  # Basic Latin
    (0x00A0, 0x024F),  # Latin-1 Supplement, Latin Extended-A and -B
    (0x0370, 0x03FF),  # Greek
    (0x0400, 0x04FF),  # Cyrillic
    (0x0590, 0x05FF),  # Hebrew
    (0x0600, 0x06FF),  # Arabic
    (0x1E00, 0x1EFF),  # Latin Extended Additional (Vietnamese)
    (0x2010, 0x2027),  # dashes, quotes, bullets, ellipsis
    (0x2030, 0x205E),  # per mille, primes, guillemets
    (0x20A0, 0x20C0),  # currency signs
    (0x2100, 0x2122),  # letterlike symbols: numero, trade mark
    (0x2190, 0x2199),  # arrows
    (0x2212, 0x2212),  # minus
    (0x2260, 0x2265),  # not equal, less and greater or equal
    (0xFB50, 0xFDFF),  # Arabic presentation forms: the shapes of joined letters, which
    (0xFE70, 0xFEFC),  # tools that draw Arabic themselves (pypdf, guide's own fill) use
)
"""What anyone may type into a field, whatever the ladder holds."""


def _decoded(codec: str, first: int, last: int) -> str:
    """Return the characters a double-byte `codec` gives for lead bytes `first` to `last` (94 each)."""
    return "".join(bytes([lead, trail]).decode(codec, "ignore") for lead in range(first, last + 1)
                   for trail in range(0xA1, 0xFF))  # fmt: skip


COMMON_CJK = {
    "han": lambda: (
        _decoded("gb2312", 0xB0, 0xD7)  # the 3,755 most common Chinese characters
        + "".join(
            chr(code) for code in (*range(0x3000, 0x3040), *range(0x3040, 0x3100), *range(0xFF01, 0xFF5F))
        )
    ),
    "hangul": lambda: _decoded("euc_kr", 0xB0, 0xC8),  # the 2,350 most common Korean syllables
}
"""What people type in Chinese, Japanese and Korean: added when a ladder or roster uses the script,
so a name nobody has yet typed can still be (about 370 KB; see docs/themes.md)."""

UNITS = 1000
"""PDF glyph space: widths and metrics are given in thousandths of the font size."""

KEPT_TABLES = ("head", "hhea", "maxp", "OS/2", "hmtx", "cmap", "loca", "glyf", "name", "post")
"""What a PDF viewer reads of an embedded TrueType font; the rest (hinting, layout) is dropped."""


@dataclass(frozen=True)
class FormFont:
    """An embedded form font's parts, ready to be written as PDF objects."""

    program: bytes
    """The TrueType file, compressed (FlateDecode)."""
    program_length: int
    glyph_of: dict[str, int]
    """The glyph number that draws each character."""
    widths: str
    """The `/W` array's content: the advance of every glyph."""
    to_unicode: bytes
    """The ToUnicode CMap, compressed."""
    bbox: tuple[int, int, int, int]
    ascent: int
    descent: int
    cap_height: int


def form_font(chain: Chain, texts: Iterable[str] = ()) -> FormFont:
    """Return the form font of `chain` for typing in any of TYPING_RANGES and every character of `texts`."""
    extra = {character for text in texts for character in text if ord(character) >= 0x20}
    scripts = frozenset(script for script in COMMON_CJK if any(_is(script, c) for c in extra))
    extra -= _typing_characters()
    for script in scripts:
        extra -= _common(script)
    return _form_font(chain, scripts, frozenset(extra))


def _is(script: str, character: str) -> bool:
    """Return whether `character` is written in `script` (as COMMON_CJK names them)."""
    code = ord(character)
    if script == "hangul":
        return 0xAC00 <= code <= 0xD7A3 or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F
    return 0x3040 <= code <= 0x30FF or 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF


@functools.cache
def _common(script: str) -> frozenset[str]:
    return frozenset(COMMON_CJK[script]())


@functools.cache
def _typing_characters() -> frozenset[str]:
    return frozenset(chr(code) for first, last in TYPING_RANGES for code in range(first, last + 1))


@functools.lru_cache(maxsize=16)
def _form_font(chain: Chain, scripts: frozenset[str], extra: frozenset[str]) -> FormFont:
    # typing needs no font after DejaVu Sans: a rare sign there would cost a second font
    typing = chain[: chain.index(glyphs.DEJAVU_SANS) + 1]
    by_face: dict[Path, set[int]] = {}
    everything = extra.union(*(_common(script) for script in scripts))
    for characters, faces in ((_typing_characters(), typing), (everything, chain)):
        for face, run in glyphs.font_runs("".join(sorted(characters)), faces):
            covered = glyphs.coverage(face)
            by_face.setdefault(face, set()).update(ord(c) for c in run if ord(c) in covered)
    fonts = [_subset(face, codes) for face, codes in by_face.items() if codes]
    from fontTools.ttLib.scaleUpem import scale_upem

    units = fonts[0]["head"].unitsPerEm
    for font in fonts[1:]:
        if font["head"].unitsPerEm != units:
            scale_upem(font, units)
    return _parts(fonts[0] if len(fonts) == 1 else _merged(fonts))


def _subset(face: Path, codes: set[int]) -> TTFont:
    """Return the font file `face` cut down to the characters `codes`."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    data = io.BytesIO(read_bounded(face, MAX_FONT_BYTES))  # the theme checked its size: it may have changed
    font = TTFont(data, fontNumber=0, lazy=True, recalcTimestamp=False)
    options = subset.Options()
    options.layout_features = []
    options.hinting = False
    options.notdef_outline = True
    options.name_IDs = [1, 2, 4, 6]
    options.glyph_names = False
    options.drop_tables += ["FFTM"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codes)
    subsetter.subset(font)
    for tag in list(font.keys()):
        if tag not in KEPT_TABLES and tag != "GlyphOrder":
            del font[tag]
    return font


def _merged(fonts: list[TTFont]) -> TTFont:
    """Return `fonts` as one font: the first font's glyphs, then each other font's."""
    from fontTools.merge import Merger

    files = []
    for font in fonts:
        font.recalcTimestamp = False
        data = io.BytesIO()
        font.save(data)
        data.seek(0)
        files.append(data)
    merged = Merger().merge(files)
    merged["head"].created = merged["head"].modified = fonts[0]["head"].modified  # not the hour of the build
    return merged


def _parts(font: TTFont) -> FormFont:
    font["post"].formatType = 3.0  # no glyph names: viewers map glyphs by number here
    font.recalcTimestamp = False  # the same font, byte for byte, in every build
    data = io.BytesIO()
    font.save(data)
    program = data.getvalue()
    order = font.getGlyphOrder()
    number = {name: index for index, name in enumerate(order)}
    cmap = font.getBestCmap()
    glyph_of = {chr(code): number[name] for code, name in cmap.items()}
    metrics = font["hmtx"].metrics
    head, os2 = font["head"], font["OS/2"]
    scale = UNITS / head.unitsPerEm

    def units(value: float) -> int:
        return round(value * scale)

    return FormFont(
        program=zlib.compress(program),
        program_length=len(program),
        glyph_of=glyph_of,
        widths="0 [" + " ".join(str(units(metrics[name][0])) for name in order) + "]",
        to_unicode=zlib.compress(_to_unicode(glyph_of).encode("ascii")),
        bbox=(units(head.xMin), units(head.yMin), units(head.xMax), units(head.yMax)),
        ascent=units(os2.sTypoAscender),
        descent=units(os2.sTypoDescender),
        cap_height=units(getattr(os2, "sCapHeight", 0) or os2.sTypoAscender * 0.7),
    )


def _to_unicode(glyph_of: dict[str, int]) -> str:
    """Return a CMap from two-byte glyph numbers to the characters they draw (the first, where several do)."""
    character_of: dict[int, str] = {}
    for character, glyph in sorted(glyph_of.items()):
        character_of.setdefault(glyph, character)
    return unicode_cmap("Adobe-Identity-UCS", sorted(character_of.items()), code_bytes=2)
