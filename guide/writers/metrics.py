"""How wide text is, read from the font files themselves: one measure for every writer.

Each character is measured in the font that draws it (`guide.glyphs` decides: the
theme's face, then its fallbacks and the bundled fonts), by its advance width in
that font's `hmtx` table. Neither reportlab nor Word kerns by default, so the sum
of the advances is the width the text takes on a line.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from guide import glyphs
from guide.theme import FontFiles


@dataclass(frozen=True)
class FontMeasure:
    """Widths of text in points, in the faces of `files` at `size` points."""

    files: FontFiles
    size: float

    def width(self, text: str, bold: bool = False, italic: bool = False) -> float:
        """Return the width of `text` on one line, in the face `bold` and `italic` pick."""
        face = self._face(bold, italic)
        total = 0.0
        for path, run in glyphs.font_runs(text, self.files.chain):
            drawn_in = face if path == self.files.regular else path  # fallbacks have one face
            total += sum(advance(drawn_in, character) for character in run)
        return total * self.size

    def _face(self, bold: bool, italic: bool) -> Path:
        if bold and italic:
            return self.files.bold_italic
        if bold:
            return self.files.bold
        return self.files.italic if italic else self.files.regular


def advance(face: Path, character: str) -> float:
    """Return the advance width of `character` in the font file `face`, in ems (0 if it has no glyph)."""
    return _advances(face).get(ord(character), 0.0)


@functools.cache
def _advances(face: Path) -> dict[int, float]:
    """Return every code point's advance width in `face`, in ems (read once per file and process)."""
    from fontTools.ttLib import TTFont

    font = TTFont(face, fontNumber=0, lazy=True)
    metrics = font["hmtx"]
    units = font["head"].unitsPerEm
    return {code: metrics[glyph][0] / units for code, glyph in (font.getBestCmap() or {}).items()}
