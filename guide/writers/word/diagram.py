"""The diagram in Word: the DiagramLayout drawn to a PNG with Pillow, inserted as an inline picture.

Word has no drawing language python-docx can write, so the nearest honest
equivalent is a picture at print resolution, with the diagram's description as
its alt text. It is drawn at twice the resolution and scaled down, which smooths
the edges, and saved without any timestamp: the same diagram gives the same bytes.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Mapping
from pathlib import Path
from typing import assert_never

from docx.shared import Length, Pt
from PIL import Image, ImageDraw, ImageFont

from guide import diagram as geometry
from guide.glyphs import font_runs
from guide.model import Diagram
from guide.scripts import visual_order
from guide.theme import FontFiles, Theme
from guide.writers.word import styles
from guide.writers.word.elements import add_styled
from guide.writers.word.tables import Container

DOTS_PER_INCH = 200
SUPERSAMPLING = 2
"""Draw this many times larger, then scale down: Pillow draws shapes without smoothing."""
PAPER = "#FFFFFF"
PAGE_SHARE = 0.85
"""The most of the page's text height the picture takes, leaving room for the line it sits on."""


def add_diagram(container: Container, diagram: Diagram, width: Length, theme: Theme) -> None:
    """Append `diagram` to `container` as a picture `width` wide (at most), described by its alt text."""
    _page_width, page_height = theme.page_points
    text_height = page_height - theme.margins.top.points - theme.margins.bottom.points
    drawing = geometry.layout(diagram, width.pt, text_height * PAGE_SHARE)
    picture = render_png(drawing, colours(theme), theme.fonts)
    run = add_styled(container, styles.DIAGRAM).add_run()
    shape = run.add_picture(io.BytesIO(picture), width=Pt(drawing.width), height=Pt(drawing.height))
    properties = shape._inline.docPr
    properties.set("descr", diagram.description)
    properties.set("title", "Diagram")


def colours(theme: Theme) -> dict[str, str]:
    """Return the theme's colours by name, with "paper" (white) beside them."""
    named = theme.colors
    return {name: getattr(named, name) for name in type(named).__dataclass_fields__} | {"paper": PAPER}


def render_png(drawing: geometry.DiagramLayout, palette: Mapping[str, str], font_files: FontFiles) -> bytes:
    """Return `drawing` as PNG bytes at DOTS_PER_INCH, in `palette`'s colours and the fonts `font_files`."""
    canvas = _Canvas(drawing, palette, DOTS_PER_INCH * SUPERSAMPLING / 72, font_files)
    canvas.draw()
    final_size = (_pixels(drawing.width, DOTS_PER_INCH / 72), _pixels(drawing.height, DOTS_PER_INCH / 72))
    image = canvas.image.resize(final_size, Image.Resampling.LANCZOS)
    output = io.BytesIO()
    image.save(output, format="PNG", dpi=(DOTS_PER_INCH, DOTS_PER_INCH))
    return output.getvalue()


def _pixels(points: float, scale: float) -> int:
    return max(1, round(points * scale))


class _Canvas:
    """A white image the size of `drawing` at `scale` pixels per point, drawn with the y axis flipped."""

    def __init__(
        self, drawing: geometry.DiagramLayout, palette: Mapping[str, str], scale: float, font_files: FontFiles
    ) -> None:
        self.drawing = drawing
        self.font_files = font_files
        self.measure = functools.partial(_measure, font_files=font_files)
        self.palette = palette
        self.scale = scale
        size = (_pixels(drawing.width, scale), _pixels(drawing.height, scale))
        self.image = Image.new("RGB", size, PAPER)
        self.pen = ImageDraw.Draw(self.image)

    def draw(self) -> None:
        """Draw the guide lines, the arrows, the boxes and all the text, in that order."""
        for guide in self.drawing.guides:
            self._guide(guide)
        for arrow in self.drawing.arrows:
            self._arrow(arrow)
        for box in self.drawing.boxes:
            self._box(box)
        for label in self.drawing.labels:
            self._text(geometry.label_text(label, self.measure))

    def _point(self, point: geometry.Point) -> tuple[float, float]:
        """Return the pixel position of a point given in points from the bottom left."""
        x, y = point
        return x * self.scale, (self.drawing.height - y) * self.scale

    def _line_width(self, share: float = 1.0) -> int:
        return max(1, round(self.drawing.line_width * share * self.scale))

    def _guide(self, guide: geometry.Guide) -> None:
        """Draw the dashed line as short strokes (Pillow has no dash pattern)."""
        (x, y), (last, _) = guide.start, guide.end
        drawn, left_out = guide.dash
        colour, width = self.palette[geometry.LINE_COLOUR], self._line_width(0.7)
        while x < last:
            end = min(x + drawn, last)
            self.pen.line([self._point((x, y)), self._point((end, y))], fill=colour, width=width)
            x = end + left_out

    def _arrow(self, arrow: geometry.Arrow) -> None:
        colour = self.palette[geometry.LINE_COLOUR]
        self.pen.line([self._point(p) for p in geometry.shaft(arrow)], fill=colour, width=self._line_width())
        self.pen.polygon([self._point(p) for p in geometry.arrowhead(arrow)], fill=colour)

    def _box(self, box: geometry.Box) -> None:
        fill, border, _label, _note = geometry.COLOURS[box.kind]
        left, top = self._point((box.x, box.top))
        right, bottom = self._point((box.right, box.y))
        radius = min(box.height, box.width) * 0.18 * self.scale
        outline = self.palette[border]
        self.pen.rounded_rectangle(
            (left, top, right, bottom),
            radius,
            fill=self.palette[fill],
            outline=outline,
            width=self._line_width(),
        )
        for line in geometry.box_text(box, self.measure):
            self._text(line)

    def _text(self, line: geometry.TextLine) -> None:
        """Draw `line` run by run, each run in the face that has its glyphs."""
        pixels = round(line.size * self.scale, 2)
        files = self.font_files
        runs = [
            (_font(_drawn_face(face, line.bold, files), pixels), run)
            for face, run in font_runs(visual_order(line.text), files.chain)
        ]
        width = sum(font.getlength(run) for font, run in runs)
        x, y = self._point((line.x, line.baseline))
        match line.align:
            case "left":
                pass
            case "centre":
                x -= width / 2
            case "right":
                x -= width
            case _:
                assert_never(line.align)
        for font, run in runs:
            self.pen.text((x, y), run, fill=self.palette[line.colour], font=font, anchor="ls")
            x += font.getlength(run)


def _drawn_face(face: Path, bold: bool, font_files: FontFiles) -> Path:
    """Return the file a run found in `face` is drawn in: the theme's bold face for bold regular text."""
    return font_files.bold if bold and face == font_files.regular else face


@functools.cache
def _font(path: Path, pixels: float) -> ImageFont.FreeTypeFont:
    """Return the font file at `path` at `pixels` pixels to the em (a collection's first font)."""
    # The basic layout engine on every machine: text arrives in visual order already (raqm,
    # where installed, would reorder it a second time) and the same input gives the same PNG.
    basic = ImageFont.Layout.BASIC
    return ImageFont.truetype(str(path), pixels, index=0, layout_engine=basic)


def _measure(text: str, size: float, bold: bool, *, font_files: FontFiles) -> float:
    """Return the width of `text` in points, measured at a large size so rounding does not matter."""
    runs = font_runs(visual_order(text), font_files.chain)
    widths = (_font(_drawn_face(face, bold, font_files), 100.0).getlength(run) for face, run in runs)
    return sum(widths) * size / 100.0
