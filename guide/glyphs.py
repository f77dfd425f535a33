"""Which bundled font draws each character: the one place that knows the fonts' coverage.

Writers that draw text themselves (the PDF writer, the picture of the ladder in
Word) draw it run by run: DejaVu Sans wherever it has the glyph, else WenQuanYi
Micro Hei (Chinese, Japanese, Korean), else Symbola (emoji and symbols).
Characters that only steer layout (bidirectional controls, joiners, variation
selectors, the soft hyphen) are not drawn: they have done their work by then.
Coverage is read from the fonts' character maps with fontTools, once per process,
so checking a ladder never loads a writer.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

FONTS_DIRECTORY = Path(__file__).resolve().parent / "fonts"

REGULAR = "DejaVuSans"
FALLBACK = "WenQuanYiMicroHei"
SYMBOLS = "Symbola"
FACES = (REGULAR, FALLBACK, SYMBOLS)
"""The faces that draw text, in the order they are asked for a character."""

FILES = {REGULAR: "DejaVuSans.ttf", FALLBACK: "WenQuanYiMicroHei.ttc", SYMBOLS: "Symbola.ttf"}
"""The file of each face (the WenQuanYi collection's first font is the one used)."""

INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f"
    "\u3164\ufe00-\ufe0f\ufeff\uffa0\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)
"""Unicode's default-ignorable characters: kept in the text, never drawn."""


def font_runs(text: str) -> list[tuple[str, str]]:
    """Return the drawn characters of `text` in (face, run) pieces, each in the first face that has it.

    A character no face has stays with DejaVu Sans (`unsupported_characters` finds those).
    """
    runs: list[tuple[str, str]] = []
    for character in INVISIBLE.sub("", text):
        face = _face_for(character)
        if runs and runs[-1][0] == face:
            runs[-1] = (face, runs[-1][1] + character)
        else:
            runs.append((face, character))
    return runs


def unsupported_characters(text: str) -> list[str]:
    """Return the distinct characters of `text` that no bundled font can draw, sorted."""
    drawn = set(INVISIBLE.sub("", text)) - {"\n", "\t"}
    if text.isascii():  # DejaVu Sans draws every printable ASCII character
        return sorted(character for character in drawn if not character.isprintable())
    for face in FACES:  # the larger fonts' maps are read only for what DejaVu Sans lacks
        drawn = {character for character in drawn if ord(character) not in coverage(face)}
        if not drawn:
            return []
    return sorted(drawn)


@functools.cache
def coverage(face: str) -> frozenset[int]:
    """Return the code points `face` has a glyph for."""
    from fontTools.ttLib import TTFont

    font = TTFont(FONTS_DIRECTORY / FILES[face], fontNumber=0, lazy=True)
    return frozenset(font.getBestCmap())


@functools.lru_cache(maxsize=4096)
def _face_for(character: str) -> str:
    code = ord(character)
    if code < 0x20:  # a line break or tab: no face draws it, and the larger maps need not be read
        return REGULAR
    return next((face for face in FACES if code in coverage(face)), REGULAR)
