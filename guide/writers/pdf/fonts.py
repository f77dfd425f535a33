"""The bundled fonts, registered with reportlab once per process.

DejaVu Sans draws Latin, Greek, Cyrillic, Arabic, Hebrew and most symbols; a
character it lacks is drawn, run by run, in WenQuanYi Micro Hei (Chinese,
Japanese, Korean) or Symbola (emoji). `guide.glyphs` decides which; right-to-left
runs arrive in visual order (see `guide.scripts`).
"""

from __future__ import annotations

import functools

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont

from guide.glyphs import FALLBACK, FILES, FONTS_DIRECTORY, REGULAR, SYMBOLS, unsupported_characters
from guide.glyphs import font_runs as _font_runs

BOLD = "DejaVuSans-Bold"
ITALIC = "DejaVuSans-Oblique"
BOLD_ITALIC = "DejaVuSans-BoldOblique"

FORM_FONT = "Helvetica"
"""AcroForm appearance streams accept only the standard 14 fonts."""

__all__ = ["BOLD", "BOLD_ITALIC", "FALLBACK", "ITALIC", "REGULAR", "SYMBOLS", "unsupported_characters"]


BFCHAR_BLOCK = 100
"""The most entries one `beginbfchar` block may hold (PDF 32000-1, 9.10.3)."""


def to_unicode_cmap(font_name: str, codes: list[int]) -> str:
    """Return the ToUnicode CMap of a subset font whose code i draws the character codes[i].

    reportlab writes a character beyond U+FFFF as five hex digits (`<1F680>`), which readers
    reject, so an emoji could not be copied or searched; here it is UTF-16, as the format asks.
    """
    entries = [
        f"<{code:02X}> <{chr(value).encode('utf-16-be').hex().upper()}>" for code, value in enumerate(codes)
    ]
    blocks = []
    for start in range(0, len(entries), BFCHAR_BLOCK):
        chunk = entries[start : start + BFCHAR_BLOCK]
        blocks += [f"{len(chunk)} beginbfchar", *chunk, "endbfchar"]
    return "\n".join([
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
        f"/CIDSystemInfo << /Registry ({font_name}) /Ordering ({font_name}) /Supplement 0 >> def",
        f"/CMapName /{font_name} def", "/CMapType 2 def",
        "1 begincodespacerange", f"<00> <{len(codes) - 1:02X}>", "endcodespacerange",
        *blocks,
        "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end",
    ])  # fmt: skip


@functools.cache
def register_fonts() -> str:
    """Embed the four DejaVu Sans faces and tie them into one family; return the family name.

    The family lets `<b>` and `<i>` in paragraph markup pick the bold and italic faces
    (without it they silently fall back to the regular face). The fallbacks are embedded
    when `font_runs` first meets a character for them; their one face stands in for bold
    and italic too.
    """
    ttfonts.makeToUnicodeCMap = to_unicode_cmap  # reportlab's own breaks emoji (see to_unicode_cmap)
    for face in (REGULAR, BOLD, ITALIC, BOLD_ITALIC):
        pdfmetrics.registerFont(TTFont(face, str(FONTS_DIRECTORY / f"{face}.ttf")))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC)
    return REGULAR


@functools.cache
def _register_fallback(face: str) -> None:
    """Embed a fallback face (WenQuanYi, Symbola), the first time a text needs it: they are large."""
    pdfmetrics.registerFont(TTFont(face, str(FONTS_DIRECTORY / FILES[face]), subfontIndex=0))
    pdfmetrics.registerFontFamily(face, normal=face, bold=face, italic=face, boldItalic=face)


def font_runs(text: str) -> list[tuple[str, str]]:
    """Return `text` cut into (registered font name, run) pieces, as `guide.glyphs.font_runs` does."""
    register_fonts()
    runs = _font_runs(text)
    for face in {face for face, _ in runs} - {REGULAR}:
        _register_fallback(face)
    return runs


def text_width(text: str, font_name: str, font_size: float) -> float:
    """Return the width in points of `text` set in `font_name` at `font_size`."""
    return pdfmetrics.stringWidth(text, font_name, font_size)
