"""The diagram flowable: a DiagramLayout drawn as vector graphics in the theme's colours.

The geometry comes from `guide.diagram`; this module only draws it: rounded
boxes, arrows with filled heads, column headings and the dashed guide line, with
text in the faces of the theme (see `fonts.Typeface`).
"""

from __future__ import annotations

from typing import assert_never

from reportlab.lib.colors import Color
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from guide import diagram as geometry
from guide.model import Diagram
from guide.scripts import visual_order
from guide.writers.pdf import fonts
from guide.writers.pdf.styles import Styles
from guide.writers.pdf.tagging import structure_of


class DiagramFlowable(Flowable):
    """A `diagram` as wide as the frame, kept whole on one page (never split).

    It is laid out to fit a whole page; when the rest of the current page is too
    short for it, it asks for the next page instead of shrinking.
    """

    def __init__(self, diagram: Diagram, styles: Styles, split_label: str) -> None:
        super().__init__()
        self.diagram = diagram
        self.styles = styles
        self.split_label = split_label
        self.drawing: geometry.DiagramLayout | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        """Return the size of the diagram laid out at `availWidth`, at most a page tall."""
        # Flowable._doctemplateAttr is reportlab's, missing from its stubs
        page_height: float = self._doctemplateAttr("height") or availHeight  # type: ignore[attr-defined]
        self.drawing = geometry.layout(
            self.diagram, availWidth, page_height, self.split_label, self.styles.right_to_left
        )
        self.width, self.height = self.drawing.width, self.drawing.height
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        """Return no parts: a diagram is never split, it moves to the next page whole."""
        return []

    def getSpaceBefore(self) -> float:
        """Return the gap above the diagram."""
        return self.styles.metrics.block_gap

    def getSpaceAfter(self) -> float:
        """Return the gap below the diagram."""
        return self.styles.metrics.block_gap * 1.5

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
        """Draw the diagram as one `Figure`, described by the diagram's description."""
        structure = structure_of(canvas)
        with structure.element("Figure", alt=self.diagram.description), structure.content(canvas):
            super().drawOn(canvas, x, y, _sW)  # type: ignore[call-arg]  # reportlab has it, its stubs not

    def draw(self) -> None:
        """Draw the guide lines, the arrows, the boxes and all the text."""
        assert self.drawing is not None, "wrap() lays the diagram out before draw()"
        canvas: Canvas = self.canv
        canvas.saveState()
        canvas.setLineWidth(self.drawing.line_width)
        for guide in self.drawing.guides:
            self._draw_guide(guide)
        for arrow in self.drawing.arrows:
            self._draw_arrow(arrow)
        for box in self.drawing.boxes:
            self._draw_box(box)
        for label in self.drawing.labels:
            self._draw_text(geometry.label_text(label, self._measure))
        canvas.restoreState()

    def _colour(self, name: str) -> Color:
        return getattr(self.styles.palette, name)

    def _draw_guide(self, guide: geometry.Guide) -> None:
        assert self.drawing is not None, "wrap() lays the diagram out before draw()"
        canvas: Canvas = self.canv
        canvas.saveState()
        canvas.setStrokeColor(self._colour(geometry.LINE_COLOUR))
        canvas.setLineWidth(self.drawing.line_width * 0.7)
        canvas.setDash(*guide.dash)
        canvas.line(*guide.start, *guide.end)
        canvas.restoreState()

    def _draw_arrow(self, arrow: geometry.Arrow) -> None:
        """Draw the arrow's line, then its filled head at the last point."""
        canvas: Canvas = self.canv
        colour = self._colour(geometry.LINE_COLOUR)
        canvas.setStrokeColor(colour)
        canvas.setFillColor(colour)
        first, *rest = geometry.shaft(arrow)
        line = canvas.beginPath()
        line.moveTo(*first)
        for point in rest:
            line.lineTo(*point)
        canvas.drawPath(line, stroke=1, fill=0)
        tip, *corners = geometry.arrowhead(arrow)
        head = canvas.beginPath()
        head.moveTo(*tip)
        for point in corners:
            head.lineTo(*point)
        head.close()
        canvas.drawPath(head, stroke=0, fill=1)

    def _draw_box(self, box: geometry.Box) -> None:
        """Draw the rounded box in its kind's colours, then its label and note."""
        canvas: Canvas = self.canv
        fill, border, _label, _note = geometry.COLOURS[box.kind]
        canvas.setFillColor(self._colour(fill))
        canvas.setStrokeColor(self._colour(border))
        radius = min(box.height, box.width) * 0.18
        canvas.roundRect(box.x, box.y, box.width, box.height, radius, stroke=1, fill=1)
        for line in geometry.box_text(box, self._measure):
            self._draw_text(line)

    def _draw_text(self, line: geometry.TextLine) -> None:
        """Draw one line run by run: right-to-left runs in visual order, each run in a font that has it."""
        canvas: Canvas = self.canv
        canvas.setFillColor(self._colour(line.colour))
        runs = self._runs(line.text, line.bold)
        width = sum(fonts.text_width(run, face, line.size) for face, run in runs)
        match line.align:
            case "left":
                x = line.x
            case "centre":
                x = line.x - width / 2
            case "right":
                x = line.x - width
            case _:
                assert_never(line.align)
        for face, run in runs:
            canvas.setFont(face, line.size)
            canvas.drawString(x, line.baseline, run)
            x += fonts.text_width(run, face, line.size)

    def _runs(self, text: str, bold: bool) -> list[tuple[str, str]]:
        """Return (font name, run) pieces of `text` as drawn: its regular or bold face, or a fallback."""
        typeface = self.styles.typeface
        main = typeface.bold if bold else typeface.regular
        return [
            (main if font == typeface.regular else font, run)
            for font, run in typeface.runs(visual_order(text))
        ]

    def _measure(self, text: str, size: float, bold: bool) -> float:
        """Return the width of `text` in the faces the diagram draws it in."""
        return sum(fonts.text_width(run, face, size) for face, run in self._runs(text, bold))
