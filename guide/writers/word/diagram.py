"""The diagram in Word: the DiagramLayout as an SVG picture, with a PNG of it for readers without SVG.

Word 2016 and later draw the SVG (`asvg:svgBlip`, as for an SVG logo), so the diagram
prints as sharp as the PDF's; older Word, LibreOffice and Google Docs draw the PNG
the picture also holds, drawn from the same SVG by resvg at FALLBACK_DOTS_PER_INCH.
Text is written as the outlines of its glyphs in the theme's fonts (read with
fontTools), so the SVG needs no font on the reader's machine and looks the same in
every reader. The picture's alt text is the diagram's description. Nothing depends
on time or place: the same diagram gives the same bytes.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Mapping
from pathlib import Path
from typing import assert_never

from docx.shared import Length, Pt
from fontTools.pens.svgPathPen import SVGPathPen
from fontTools.pens.transformPen import TransformPen
from fontTools.ttLib import TTFont
from lxml import etree
from PIL import Image

from guide import diagram as geometry
from guide.glyphs import font_runs
from guide.model import Diagram, Words
from guide.scripts import visual_order
from guide.theme import FontFiles, Theme
from guide.writers.word import styles
from guide.writers.word.elements import add_styled
from guide.writers.word.logo import add_svg, without_wrap_distance
from guide.writers.word.tables import Container

FALLBACK_DOTS_PER_INCH = 300
"""The resolution of the PNG drawn for readers that do not draw SVG: print resolution."""
PAPER = "#FFFFFF"
PAGE_SHARE = 0.85
"""The most of the page's text height the picture takes, leaving room for the line it sits on."""
SVG = "http://www.w3.org/2000/svg"
PIXELS_PER_POINT = 96 / 72


def add_diagram(
    container: Container, diagram: Diagram, width: Length, theme: Theme, words: Words, right_to_left: bool
) -> None:
    """Append `diagram` to `container` as a picture `width` wide (at most), described by its alt text."""
    _page_width, page_height = theme.page_points
    text_height = page_height - theme.margins.top.points - theme.margins.bottom.points
    drawing = geometry.layout(diagram, width.pt, text_height * PAGE_SHARE, words.tracks_split, right_to_left)
    svg = render_svg(drawing, colours(theme), theme.fonts)
    run = add_styled(container, styles.DIAGRAM).add_run()
    png = io.BytesIO(render_png(svg, drawing))
    picture = run.add_picture(png, width=Pt(drawing.width), height=Pt(drawing.height))
    add_svg(run, picture, svg)
    without_wrap_distance(picture)
    properties = picture._inline.docPr  # noqa: SLF001 - alt text has no API
    properties.set("descr", diagram.description)
    properties.set("title", words.diagram)


def colours(theme: Theme) -> dict[str, str]:
    """Return the theme's colours by name, with "paper" (white) beside them."""
    named = theme.colors
    return {name: getattr(named, name) for name in type(named).__dataclass_fields__} | {"paper": PAPER}


def render_svg(drawing: geometry.DiagramLayout, palette: Mapping[str, str], font_files: FontFiles) -> bytes:
    """Return `drawing` as SVG, one unit a point, in `palette`'s colours and the fonts `font_files`."""
    canvas = _SvgCanvas(drawing, palette, font_files)
    canvas.draw()
    return etree.tostring(canvas.root, xml_declaration=True, encoding="UTF-8")


def render_png(svg: bytes, drawing: geometry.DiagramLayout) -> bytes:
    """Return the `svg` of `drawing` as an opaque PNG at FALLBACK_DOTS_PER_INCH, its resolution recorded."""
    import resvg_py

    scale = FALLBACK_DOTS_PER_INCH / 72
    size = (max(1, round(drawing.width * scale)), max(1, round(drawing.height * scale)))
    drawn = resvg_py.svg_to_bytes(
        svg_string=svg.decode("utf-8"), width=size[0], height=size[1], skip_system_fonts=True
    )
    with Image.open(io.BytesIO(bytes(drawn))) as image:  # resvg writes no resolution and keeps alpha
        output = io.BytesIO()
        dots = (FALLBACK_DOTS_PER_INCH, FALLBACK_DOTS_PER_INCH)
        # on white: a pixel the drawing leaves transparent (a rounded-up edge) would turn black
        paper = Image.new("RGBA", image.size, "white")
        opaque = Image.alpha_composite(paper, image.convert("RGBA")).convert("RGB")
        opaque.save(output, format="PNG", dpi=dots)
    return output.getvalue()


def _number(value: float) -> str:
    """Return `value` to a hundredth of a point, without trailing zeros."""
    return f"{value:.2f}".rstrip("0").rstrip(".") or "0"


class _SvgCanvas:
    """An SVG document the size of `drawing`, drawn with the y axis flipped (the layout's runs upwards)."""

    def __init__(
        self, drawing: geometry.DiagramLayout, palette: Mapping[str, str], font_files: FontFiles
    ) -> None:
        self.drawing = drawing
        self.palette = palette
        self.font_files = font_files
        width, height = _number(drawing.width), _number(drawing.height)
        # Its size in CSS pixels, 96 to the inch (resvg takes no points); its units are points.
        shown_width, shown_height = (
            _number(side * PIXELS_PER_POINT) for side in (drawing.width, drawing.height)
        )
        shown = f'width="{shown_width}" height="{shown_height}"'
        self.root = etree.fromstring(f'<svg xmlns="{SVG}" {shown} viewBox="0 0 {width} {height}"/>')
        self._add("rect", width=width, height=height, fill=PAPER)

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

    def measure(self, text: str, size: float, bold: bool) -> float:
        """Return the width of `text` in points, in the faces the diagram draws it in."""
        return _measure(text, size, bold, font_files=self.font_files)

    def _add(self, tag: str, **attributes: str) -> None:
        etree.SubElement(self.root, f"{{{SVG}}}{tag}", attributes)

    def _points(self, points: list[geometry.Point]) -> str:
        """Return `points` (from the bottom left) as an SVG points list (from the top left)."""
        return " ".join(f"{_number(x)},{_number(self.drawing.height - y)}" for x, y in points)

    def _stroke(self, colour: str, share: float = 1.0) -> dict[str, str]:
        """Return the attributes of a line in the palette's `colour`, `share` of the diagram's line width."""
        return {"stroke": self.palette[colour], "stroke-width": _number(self.drawing.line_width * share)}

    def _guide(self, guide: geometry.Guide) -> None:
        drawn, left_out = guide.dash
        line = self._stroke(geometry.LINE_COLOUR, 0.7) | {"stroke-dasharray": f"{drawn:.2f} {left_out:.2f}"}
        self._add("polyline", points=self._points([guide.start, guide.end]), fill="none", **line)

    def _arrow(self, arrow: geometry.Arrow) -> None:
        line = self._stroke(geometry.LINE_COLOUR)
        self._add("polyline", points=self._points(list(geometry.shaft(arrow))), fill="none", **line)
        head = self._points(list(geometry.arrowhead(arrow)))
        self._add("polygon", points=head, fill=self.palette[geometry.LINE_COLOUR])

    def _box(self, box: geometry.Box) -> None:
        """Draw the rounded box in its kind's colours, then its label and note."""
        fill, border, _label, _note = geometry.COLOURS[box.kind]
        radius = _number(min(box.height, box.width) * 0.18)
        place = {"x": _number(box.x), "y": _number(self.drawing.height - box.top)}
        size = {"width": _number(box.width), "height": _number(box.height)}
        self._add(
            "rect", **place, **size, rx=radius, ry=radius, fill=self.palette[fill], **self._stroke(border)
        )
        for line in geometry.box_text(box, self.measure):
            self._text(line)

    def _text(self, line: geometry.TextLine) -> None:
        """Draw `line` as one path of glyph outlines, run by run, each run in the face that has its glyphs."""
        runs = [
            (_drawn_face(face, line.bold, self.font_files), run)
            for face, run in _runs(line.text, self.font_files)
        ]
        width = sum(_advance(face, run) for face, run in runs) * line.size
        match line.align:
            case "left":
                x = line.x
            case "centre":
                x = line.x - width / 2
            case "right":
                x = line.x - width
            case _:
                assert_never(line.align)
        outline = []
        for face, run in runs:
            commands, advance = _outline(face, run, line.size, x, self.drawing.height - line.baseline)
            outline.append(commands)
            x += advance
        self._add("path", d=" ".join(part for part in outline if part), fill=self.palette[line.colour])


def _runs(text: str, font_files: FontFiles) -> list[tuple[Path, str]]:
    """Return `text` in visual order, in (font file, run) pieces."""
    return font_runs(visual_order(text), font_files.chain)


def _drawn_face(face: Path, bold: bool, font_files: FontFiles) -> Path:
    """Return the file a run found in `face` is drawn in: the theme's bold face for bold regular text."""
    return font_files.bold if bold and face == font_files.regular else face


@functools.cache
def _font(path: Path) -> TTFont:
    """Return the font file at `path` (a collection's first font), read once."""
    return TTFont(str(path), fontNumber=0, lazy=True)


@functools.lru_cache(maxsize=4096)
def _advance(face: Path, run: str) -> float:
    """Return the width of `run` in `face` at a size of one point (the sum of its glyphs' advances)."""
    font = _font(face)
    cmap, metrics = font.getBestCmap(), font["hmtx"]
    units = sum(metrics[cmap.get(ord(character), ".notdef")][0] for character in run)
    return units / font["head"].unitsPerEm


def _outline(face: Path, run: str, size: float, x: float, baseline: float) -> tuple[str, float]:
    """Return the SVG path commands drawing `run` in `face` at `size` from (`x`, `baseline`), and its width.

    `baseline` is measured down from the top, as SVG does.
    """
    font = _font(face)
    glyphs, cmap, metrics = font.getGlyphSet(), font.getBestCmap(), font["hmtx"]
    scale = size / font["head"].unitsPerEm
    pen = SVGPathPen(glyphs, ntos=_number)
    start = x
    for character in run:
        name = cmap.get(ord(character), ".notdef")
        glyphs[name].draw(TransformPen(pen, (scale, 0, 0, -scale, x, baseline)))
        x += metrics[name][0] * scale
    return pen.getCommands(), x - start


def _measure(text: str, size: float, bold: bool, *, font_files: FontFiles) -> float:
    """Return the width of `text` in points, in the faces the diagram draws it in."""
    return (
        sum(_advance(_drawn_face(face, bold, font_files), run) for face, run in _runs(text, font_files))
        * size
    )
