"""The theme's logo on PDF pages: a PNG or JPEG as an image, an SVG as vectors.

An SVG logo is drawn once per file into a form XObject and placed from there on the
cover and in every running header, so a detailed logo does not weigh on each page.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from pathlib import Path

from reportlab.graphics import renderPDF
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from guide.inputs import read_bounded
from guide.pictures import open_picture
from guide.theme import MAX_LOGO_BYTES
from guide.writers.svg import read_drawing

FORM_NAME = "GuideLogo"


@dataclass(frozen=True)
class LogoPicture:
    """The logo file and what it holds (`png`, `jpeg` or `svg`)."""

    path: Path
    kind: str

    def size(self) -> tuple[float, float]:
        """Return the logo's own (width, height): points for an SVG, pixels for a picture."""
        if self.kind == "svg":
            drawing = read_drawing(self.path)
            return drawing.width, drawing.height
        width, height = self._picture().getSize()
        return float(width), float(height)

    def _picture(self) -> ImageReader:
        """Return the PNG or JPEG logo for reportlab, its bytes and pixels within the theme's bounds."""
        return ImageReader(io.BytesIO(_checked_picture(self.path)))

    def draw(self, canvas: Canvas, left: float, top: float, max_height: float, max_width: float) -> float:
        """Draw the logo from (`left`, `top`) down, as large as `max_width` x `max_height` allow.

        Return the width it takes.
        """
        own_width, own_height = self.size()
        scale = min(max_height / own_height, max_width / own_width)
        width, height = own_width * scale, own_height * scale
        if self.kind == "svg":
            self._draw_vectors(canvas, left, top - height, scale)
        else:
            canvas.drawImage(self._picture(), left, top - height, width, height, mask="auto")
        return width

    def _draw_vectors(self, canvas: Canvas, left: float, bottom: float, scale: float) -> None:
        if not canvas.hasForm(FORM_NAME):
            drawing = read_drawing(self.path)
            canvas.beginForm(FORM_NAME, lowerx=0, lowery=0, upperx=drawing.width, uppery=drawing.height)
            renderPDF.draw(drawing, canvas, 0, 0)
            canvas.endForm()
        canvas.saveState()
        canvas.translate(left, bottom)
        canvas.scale(scale, scale)
        canvas.doForm(FORM_NAME)
        canvas.restoreState()


@functools.cache
def _checked_picture(path: Path) -> bytes:
    """Return the bytes of the picture at `path`, read once per process, after checking its size again.

    The theme refused a larger file or picture when it was loaded; this check sees
    to it that a file changed since then is never decoded without a bound either
    (reportlab would hand it to Pillow whole).
    """
    data = read_bounded(path, MAX_LOGO_BYTES)
    open_picture(data).close()  # reads the header only; raises PictureTooLarge
    return data
