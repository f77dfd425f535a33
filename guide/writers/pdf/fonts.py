"""The bundled DejaVu Sans faces, registered with reportlab once per process."""

from __future__ import annotations

import functools
import unicodedata
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONTS_DIRECTORY = Path(__file__).resolve().parents[2] / "fonts"

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
ITALIC = "DejaVuSans-Oblique"
BOLD_ITALIC = "DejaVuSans-BoldOblique"

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
    return REGULAR


def text_width(text: str, font_name: str, font_size: float) -> float:
    """Return the width in points of `text` set in `font_name` at `font_size`."""
    return pdfmetrics.stringWidth(text, font_name, font_size)


RIGHT_TO_LEFT = frozenset({"R", "AL"})
"""Bidirectional classes of right-to-left letters, which reportlab would draw unshaped, reversed."""


def unsupported_characters(text: str) -> list[str]:
    """Return the distinct characters of `text` the writer cannot draw correctly, sorted.

    That is characters missing from DejaVu Sans (drawn as empty boxes otherwise) and
    right-to-left letters (DejaVu has Arabic and Hebrew, but reportlab would set them
    left to right without shaping).
    """
    register_fonts()
    glyphs = pdfmetrics.getFont(REGULAR).face.charToGlyph
    unsupported = {
        character
        for character in text
        if character not in "\n\t"
        and (ord(character) not in glyphs or unicodedata.bidirectional(character) in RIGHT_TO_LEFT)
    }
    return sorted(unsupported)
