"""The bundled fonts, registered with reportlab once per process.

DejaVu Sans draws Latin, Greek, Cyrillic, Arabic, Hebrew and most symbols; any
character it lacks is drawn, run by run, in WenQuanYi Micro Hei (Chinese,
Japanese, Korean). Right-to-left runs arrive in visual order (see `bidi.py`).
"""

from __future__ import annotations

import functools
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONTS_DIRECTORY = Path(__file__).resolve().parents[2] / "fonts"

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
ITALIC = "DejaVuSans-Oblique"
BOLD_ITALIC = "DejaVuSans-BoldOblique"
FALLBACK = "WenQuanYiMicroHei"
FALLBACK_FILE = "WenQuanYiMicroHei.ttc"

FORM_FONT = "Helvetica"
"""AcroForm appearance streams accept only the standard 14 fonts."""


@functools.cache
def register_fonts() -> str:
    """Embed the four DejaVu Sans faces and tie them into one family; return the family name.

    The family lets `<b>` and `<i>` in paragraph markup pick the bold and italic faces
    (without it they silently fall back to the regular face).
    """
    for face in (REGULAR, BOLD, ITALIC, BOLD_ITALIC):
        pdfmetrics.registerFont(TTFont(face, str(FONTS_DIRECTORY / f"{face}.ttf")))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC)
    pdfmetrics.registerFont(TTFont(FALLBACK, str(FONTS_DIRECTORY / FALLBACK_FILE), subfontIndex=0))
    pdfmetrics.registerFontFamily(
        FALLBACK, normal=FALLBACK, bold=FALLBACK, italic=FALLBACK, boldItalic=FALLBACK
    )
    return REGULAR


def text_width(text: str, font_name: str, font_size: float) -> float:
    """Return the width in points of `text` set in `font_name` at `font_size`."""
    return pdfmetrics.stringWidth(text, font_name, font_size)


@functools.cache
def _glyphs(font_name: str) -> frozenset[int]:
    register_fonts()
    return frozenset(pdfmetrics.getFont(font_name).face.charToGlyph)


def font_runs(text: str) -> list[tuple[str, str]]:
    """Return `text` cut into (font name, run) pieces: DejaVu Sans wherever it has the glyph.

    A character neither font has stays with DejaVu Sans (`unsupported_characters` finds those).
    """
    runs: list[tuple[str, str]] = []
    for character in text:
        font = FALLBACK if _needs_fallback(character) else REGULAR
        if runs and runs[-1][0] == font:
            runs[-1] = (font, runs[-1][1] + character)
        else:
            runs.append((font, character))
    return runs


def _needs_fallback(character: str) -> bool:
    code = ord(character)
    return code not in _glyphs(REGULAR) and code in _glyphs(FALLBACK)


def unsupported_characters(text: str) -> list[str]:
    """Return the distinct characters of `text` that no bundled font can draw, sorted."""
    if text.isascii():  # DejaVu Sans draws every printable ASCII character
        return sorted(
            {character for character in text if not character.isprintable() and character not in "\n\t"}
        )
    glyphs = _all_glyphs()
    return sorted(
        {character for character in set(text) if character not in "\n\t" and ord(character) not in glyphs}
    )


@functools.cache
def _all_glyphs() -> frozenset[int]:
    return _glyphs(REGULAR) | _glyphs(FALLBACK)
