"""Which font draws each character: the one place that knows the fonts' coverage.

Writers that draw text themselves (the PDF writer, the picture of the ladder in
Word) draw it run by run, each run in the first font of a chain that has its
glyphs: the theme's regular font, the theme's fallbacks, then the bundled DejaVu
Sans, WenQuanYi Micro Hei (Chinese, Japanese, Korean) and Symbola (emoji and
symbols). A font is named by its file. Characters that only steer layout
(bidirectional controls, joiners, variation selectors, the soft hyphen) are not
drawn: they have done their work by then. Coverage is read from the fonts'
character maps with fontTools, once per file and process, so checking a ladder
never loads a writer.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

FONTS_DIRECTORY = Path(__file__).resolve().parent / "fonts"

DEJAVU_SANS = FONTS_DIRECTORY / "DejaVuSans.ttf"
DEJAVU_FACES = tuple(
    FONTS_DIRECTORY / f"DejaVuSans{suffix}.ttf" for suffix in ("", "-Bold", "-Oblique", "-BoldOblique")
)
"""The bundled default faces: regular, bold, italic, bold italic."""

BUNDLED_FALLBACKS = (FONTS_DIRECTORY / "WenQuanYiMicroHei.ttc", FONTS_DIRECTORY / "Symbola.ttf")
"""Asked after every other font (the WenQuanYi collection's first font is the one used)."""

Chain = tuple[Path, ...]
"""Font files in the order they are asked for a character; the first is the text's own font."""

DEFAULT_CHAIN: Chain = (DEJAVU_SANS, *BUNDLED_FALLBACKS)

INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f"
    "\u3164\ufe00-\ufe0f\ufeff\uffa0\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)
"""Unicode's default-ignorable characters: kept in the text, never drawn."""


def chain_of(regular: Path, fallbacks: tuple[Path, ...] = ()) -> Chain:
    """Return the chain that starts with `regular`, then `fallbacks`, then the bundled fonts.

    DejaVu Sans stays in every chain, so every printable ASCII character can be drawn.
    """
    return tuple(dict.fromkeys((regular, *fallbacks, DEJAVU_SANS, *BUNDLED_FALLBACKS)))


def font_runs(text: str, chain: Chain = DEFAULT_CHAIN) -> list[tuple[Path, str]]:
    """Return the drawn characters of `text` in (font file, run) pieces, each in the first font that has it.

    A character no font of `chain` has stays with the first (`unsupported_characters` finds those).
    """
    if text.isascii() and set(text) <= _first_face_ascii(chain):  # most texts: one run, no lookups
        return [(chain[0], text)] if text else []
    faces = _faces(chain)
    runs: list[tuple[int, list[str]]] = []
    for character in INVISIBLE.sub("", text):
        face = faces.get(character)
        if face is None:
            face = faces[character] = _face_for(character, chain)
        if runs and runs[-1][0] == face:
            runs[-1][1].append(character)
        else:
            runs.append((face, [character]))
    return [(chain[face], "".join(characters)) for face, characters in runs]


def unsupported_characters(text: str, chain: Chain = DEFAULT_CHAIN) -> list[str]:
    """Return the distinct characters of `text` that no font of `chain` can draw, sorted."""
    drawn = set(INVISIBLE.sub("", text)) - {"\n", "\t"}
    if text.isascii():  # DejaVu Sans, in every chain, draws every printable ASCII character
        return sorted(character for character in drawn if not character.isprintable())
    for face in chain:  # the larger fonts' maps are read only for what the first ones lack
        drawn = {character for character in drawn if ord(character) not in coverage(face)}
        if not drawn:
            return []
    return sorted(drawn)


@functools.cache
def coverage(face: Path) -> frozenset[int]:
    """Return the code points the font file `face` has a glyph for."""
    from fontTools.ttLib import TTFont

    font = TTFont(face, fontNumber=0, lazy=True)
    return frozenset(font.getBestCmap() or {})


@functools.cache
def _faces(chain: Chain) -> dict[str, int]:
    """Return the place in `chain` of the font that draws each character met so far (filled as they come)."""
    return {}


@functools.cache
def _first_face_ascii(chain: Chain) -> frozenset[str]:
    """Return the ASCII characters the first font of `chain` draws, and the controls no font draws."""
    first = coverage(chain[0])
    return frozenset(chr(code) for code in range(128) if code < 0x20 or code in first)


def _face_for(character: str, chain: Chain) -> int:
    code = ord(character)
    if code < 0x20:  # a line break or tab: no font draws it, and the larger maps need not be read
        return 0
    return next((place for place, face in enumerate(chain) if code in coverage(face)), 0)
