"""Diagram -> DiagramLayout (`layout.py`), and what writers draw from it (`drawing.py`)."""

from guide.diagram.drawing import arrowhead, box_text, fit, label_text, shaft
from guide.diagram.layout import (
    COLOURS,
    LINE_COLOUR,
    MINIMUM_SIZE,
    Arrow,
    Box,
    DiagramLayout,
    Guide,
    Label,
    Point,
    TextLine,
    layout,
    node_ranks,
)

__all__ = [
    "COLOURS",
    "LINE_COLOUR",
    "MINIMUM_SIZE",
    "Arrow",
    "Box",
    "DiagramLayout",
    "Guide",
    "Label",
    "Point",
    "TextLine",
    "arrowhead",
    "box_text",
    "fit",
    "label_text",
    "layout",
    "node_ranks",
    "shaft",
]
