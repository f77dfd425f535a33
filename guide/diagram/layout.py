"""Diagram -> DiagramLayout: where every box, arrow and label goes, in points, for both writers.

Pure geometry, origin at the bottom left. A node's rank is the length of the
longest chain of arrows leading to it; rank 0 stands at the bottom and arrows
point up. Nodes with a column stand in it (columns side by side, in order, named
at the top); the others are shared and centred across the whole width, and a
dashed guide line marks where the columns begin. Sizes scale with the number of
rows so the drawing keeps to `max_height`. The writers only draw: the text of
boxes and labels comes from `box_text` and `label_text`, fitted with the writer's
own font `Measure`, and colours are named theme colours.

At most MAX_ARROWS_PER_BOX arrows leave or reach one box, taken in the order
of the diagram's edges: beyond that a drawing is a tangle, and routing every
arrow of a ladder whose levels each lead to dozens would take minutes. The
edges left out are counted and named, as far as they fit, on a line beneath
the drawing. Arrows are routed with a `BoxIndex`, built once per layout, so the
work grows with the boxes and arrows drawn, not with their product.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from guide.diagram.boxindex import BoxIndex
from guide.model import Diagram, DiagramEdge, DiagramNode, Words

Point = tuple[float, float]
Kind = Literal["shared", "column"]
Align = Literal["left", "centre", "right"]
Segments = dict[str, tuple[float, float]]
Measure = Callable[[str, float, bool], float]
"""The width in points of a text at a font size, bold or not."""

IDEAL_SIZE = 9.0
"""The label font size when there is room; every length scales with it."""
MINIMUM_SIZE = 6.5
LEADING, NOTE_RATIO, HEADING_RATIO = 1.2, 0.8, 1.05
MAXIMUM_BOX_WIDTH = 180.0
SPLIT_BAND = 1.6
"""Extra room, in label sizes, for the guide line and its label where the columns begin."""
SHRINK_STEP = 0.5
ELLIPSIS = "…"
MAX_ARROWS_PER_BOX = 6
"""The most arrows drawn out of one box, and into one box; the rest are listed beneath."""
LEFT_OUT_SIZE = MINIMUM_SIZE
"""The font size of the line beneath the drawing that lists the arrows left out."""
LEFT_OUT_BAND = LEFT_OUT_SIZE * 2.0
"""The room kept for that line below the lowest boxes."""
LEFT_OUT_LISTED = 400
"""Characters of left-out arrows named on that line at most; it is cut to its width anyway."""

COLOURS: dict[Kind, tuple[str, str, str, str]] = {
    "shared": ("primary", "primary", "paper", "paper"),
    "column": ("shade", "primary", "text", "muted"),
}
"""Box kind -> theme colours of its fill, border, label and note ("paper" is white)."""
LINE_COLOUR = "muted"
LABEL_LOOKS = {"heading": ("primary", True), "guide": ("muted", False), "note": ("muted", False)}
"""Label kind -> theme colour and boldness."""


@dataclass(frozen=True)
class Box:
    """One node's rounded box, `kind` "shared" (full width) or "column"; sizes of its text."""

    node: DiagramNode
    kind: Kind
    x: float
    y: float
    width: float
    height: float
    label_size: float
    note_size: float
    padding: float

    @property
    def centre(self) -> float:
        return self.x + self.width / 2

    @property
    def top(self) -> float:
        return self.y + self.height

    @property
    def right(self) -> float:
        return self.x + self.width


@dataclass(frozen=True)
class Arrow:
    """A polyline from the top of the `source` box to the bottom of the `target`; a `head` long tip."""

    source: str
    target: str
    points: tuple[Point, ...]
    head: float


@dataclass(frozen=True)
class Label:
    """A line of text: `x` is its left, centre or right (by `align`); at most `width` wide."""

    text: str
    x: float
    baseline: float
    size: float
    width: float
    align: Align
    kind: Literal["heading", "guide", "note"]


@dataclass(frozen=True)
class Guide:
    """A thin dashed line; `dash` is the length drawn, then the length left out."""

    start: Point
    end: Point
    dash: tuple[float, float]


@dataclass(frozen=True)
class DiagramLayout:
    """The whole drawing, `width` x `height`; `line_width` for box borders and arrows."""

    width: float
    height: float
    boxes: tuple[Box, ...]
    arrows: tuple[Arrow, ...]
    labels: tuple[Label, ...]
    guides: tuple[Guide, ...]
    line_width: float = 0.75


@dataclass(frozen=True)
class TextLine:
    """One line of fitted text, ready to draw; `colour` names a theme colour."""

    text: str
    x: float
    baseline: float
    size: float
    bold: bool
    colour: str
    align: Align


@dataclass(frozen=True)
class _Stage:
    """A density: lines of label in a box, and gap and padding in label sizes."""

    lines: int
    gap: float
    padding: float


STAGES = (_Stage(2, 2.0, 0.45), _Stage(2, 1.4, 0.35), _Stage(1, 1.4, 0.3), _Stage(1, 1.0, 0.25))
"""Tried in turn until the label size stays legible; the last one is used regardless."""


@dataclass(frozen=True)
class _Metrics:
    size: float
    stage: _Stage
    notes: bool

    @property
    def box_height(self) -> float:
        note = LEADING * NOTE_RATIO if self.notes else 0.0
        return self.size * (2 * self.stage.padding + LEADING * self.stage.lines + note)

    @property
    def gap(self) -> float:
        return self.size * self.stage.gap

    @property
    def heading_band(self) -> float:
        return self.size * (HEADING_RATIO * LEADING + 0.9)


@dataclass(frozen=True)
class _Row:
    kind: Kind
    nodes: tuple[DiagramNode, ...]


def node_ranks(diagram: Diagram) -> dict[str, int]:
    """Return each node id's rank, the longest chain of arrows leading to it; ValueError on a cycle."""
    successors: dict[str, list[str]] = {node.id: [] for node in diagram.nodes}
    waiting = dict.fromkeys(successors, 0)
    for edge in diagram.edges:
        successors[edge.source].append(edge.target)
        waiting[edge.target] += 1
    ranks = dict.fromkeys(successors, 0)
    ready = deque(node for node, count in waiting.items() if count == 0)
    while ready:
        current = ready.popleft()
        for target in successors[current]:
            ranks[target] = max(ranks[target], ranks[current] + 1)
            waiting[target] -= 1
            if waiting[target] == 0:
                ready.append(target)
    assert not any(waiting.values()), "model.Diagram refuses arrows that go round in a cycle"
    return ranks


def layout(
    diagram: Diagram,
    width: float,
    max_height: float,
    split_label: str = Words.tracks_split,
    right_to_left: bool = False,
) -> DiagramLayout:
    """Return the drawing of `diagram`, `width` wide and at most `max_height` tall (see the module).

    `split_label` marks where its tracks part, in the document's language. Right to left,
    the drawing is mirrored: the first track at the right, the labels at the right.
    """
    drawing = _layout(diagram, width, max_height, split_label)
    return mirrored(drawing) if right_to_left else drawing


def mirrored(drawing: DiagramLayout) -> DiagramLayout:
    """Return `drawing` mirrored left to right; its text reads as before."""
    right = drawing.width

    def point(at: Point) -> Point:
        return right - at[0], at[1]

    flipped: dict[Align, Align] = {"left": "right", "right": "left", "centre": "centre"}
    return dataclasses.replace(
        drawing,
        boxes=tuple(dataclasses.replace(box, x=right - box.x - box.width) for box in drawing.boxes),
        arrows=tuple(dataclasses.replace(a, points=tuple(map(point, a.points))) for a in drawing.arrows),
        labels=tuple(
            dataclasses.replace(label, x=right - label.x, align=flipped[label.align])
            for label in drawing.labels
        ),
        guides=tuple(
            dataclasses.replace(guide, start=point(guide.start), end=point(guide.end))
            for guide in drawing.guides
        ),
    )


def _layout(diagram: Diagram, width: float, max_height: float, split_label: str) -> DiagramLayout:
    columned = any(node.column for node in diagram.nodes)
    rows = _rows(diagram, node_ranks(diagram), columned)
    split = next((index for index, row in enumerate(rows) if row.kind == "column"), 0)
    notes = any(node.note for node in diagram.nodes)
    drawn, left_out = drawn_edges(diagram.edges)
    band = LEFT_OUT_BAND if left_out else 0.0
    metrics = _metrics(len(rows), split > 0, columned, notes, max_height - band)
    segments = _segments(diagram, width, metrics.size) if columned else {"": (0.0, width)}
    boxes = _place(rows, segments, diagram, metrics, split, band)
    height = max((box.top for box in boxes), default=0.0) + (metrics.heading_band if columned else 0.0)
    arrows = _arrows(drawn, boxes, metrics, width)
    labels = _headings(diagram, segments, height, metrics.size * HEADING_RATIO) if columned else ()
    if left_out:
        labels += (_left_out_label(left_out, diagram, width),)
    guides: tuple[Guide, ...] = ()
    if split:
        first = next(box for box in boxes if box.node == rows[split].nodes[0])
        line_y = first.y - SPLIT_BAND * metrics.size - metrics.gap / 2
        guides = (Guide((0.0, line_y), (width, line_y), (metrics.size * 0.4, metrics.size * 0.3)),)
        labels += (_split_label(split_label, line_y, arrows, width, metrics.size),)
    return DiagramLayout(width, height, boxes, arrows, labels, guides, max(0.4, metrics.size / 12))


def drawn_edges(edges: tuple[DiagramEdge, ...]) -> tuple[list[DiagramEdge], list[DiagramEdge]]:
    """Return the edges drawn as arrows, and those left out: an edge is drawn while fewer than
    MAX_ARROWS_PER_BOX arrows leave its source and reach its target, in the order of `edges`."""
    leaving: Counter[str] = Counter()
    reaching: Counter[str] = Counter()
    drawn, left_out = [], []
    for edge in edges:
        if leaving[edge.source] < MAX_ARROWS_PER_BOX and reaching[edge.target] < MAX_ARROWS_PER_BOX:
            leaving[edge.source] += 1
            reaching[edge.target] += 1
            drawn.append(edge)
        else:
            left_out.append(edge)
    return drawn, left_out


def _rows(diagram: Diagram, ranks: dict[str, int], columned: bool) -> list[_Row]:
    """Return the rows bottom up: by rank, and within a rank the shared nodes below the column ones."""
    rows: dict[tuple[int, bool], list[DiagramNode]] = {}
    for node in diagram.nodes:
        rows.setdefault((ranks[node.id], columned and bool(node.column)), []).append(node)
    return [_Row("column" if key[1] else "shared", tuple(rows[key])) for key in sorted(rows)]


def _metrics(rows: int, split: bool, headings: bool, notes: bool, max_height: float) -> _Metrics:
    """Return the sizes of the first stage whose label size stays legible in `max_height`."""
    for stage in STAGES:
        unit = _Metrics(1.0, stage, notes)
        per_size = rows * unit.box_height + max(rows - 1, 0) * unit.gap
        per_size += (SPLIT_BAND if split else 0.0) + (unit.heading_band if headings else 0.0)
        size = min(IDEAL_SIZE, max(max_height, 0.0) / per_size) if per_size else IDEAL_SIZE
        if size >= MINIMUM_SIZE:
            break
    return _Metrics(size, stage, notes)


def _segments(diagram: Diagram, width: float, size: float) -> Segments:
    """Return column id -> (left, right), side by side in order; "" (shared) spans the full width."""
    gap = max(8.0, size * 1.2)
    column_width = (width - gap * (len(diagram.columns) - 1)) / len(diagram.columns)
    segments = {"": (0.0, width)}
    for index, column in enumerate(diagram.columns):
        segments[column.id] = (index * (column_width + gap), index * (column_width + gap) + column_width)
    return segments


def _box_width(rows: list[_Row], segments: Segments, metrics: _Metrics) -> float:
    """Return the one width of every box: the narrowest slot of any row less a gap, within a cap.

    Boxes with room for one line of label only may be wider, so that long labels still fit.
    """
    slots = [MAXIMUM_BOX_WIDTH * (2 / metrics.stage.lines) ** 0.7 + metrics.size]
    for row in rows:
        for column, nodes in itertools.groupby(sorted(node.column for node in row.nodes)):
            left, right = segments[column]
            slots.append((right - left) / len(list(nodes)))
    return max(min(slots) - max(6.0, metrics.size), 1.0)


def _place(
    rows: list[_Row], segments: Segments, diagram: Diagram, metrics: _Metrics, split: int, bottom: float
) -> tuple[Box, ...]:
    """Return the boxes row by row from `bottom` up, each row's spread evenly across its column.

    Within a column, nodes stand in the order of their parents' mean position, which
    keeps arrows from crossing where it can.
    """
    width, size = _box_width(rows, segments, metrics), metrics.size
    parents: dict[str, list[str]] = {node.id: [] for node in diagram.nodes}
    for edge in diagram.edges:
        parents[edge.target].append(edge.source)
    centres: dict[str, float] = {}
    boxes: list[Box] = []
    for index, row in enumerate(rows):
        bottom += SPLIT_BAND * size if split and index == split else 0.0
        by_column: dict[str, list[DiagramNode]] = {}
        for node in row.nodes:
            by_column.setdefault(node.column, []).append(node)
        for column, unordered in by_column.items():
            nodes = sorted(unordered, key=lambda n: _mean(parents[n.id], centres))
            left, right = segments[column]
            for place, node in enumerate(nodes):
                centres[node.id] = left + (right - left) / len(nodes) * (place + 0.5)
                x, padding = centres[node.id] - width / 2, size * metrics.stage.padding
                boxes.append(
                    Box(
                        node, row.kind, x, bottom, width, metrics.box_height, size, size * NOTE_RATIO, padding
                    )
                )
        bottom += metrics.box_height + metrics.gap
    return tuple(boxes)


def _mean(parents: list[str], centres: dict[str, float]) -> float:
    placed = [centres[parent] for parent in parents if parent in centres]
    return sum(placed) / len(placed) if placed else 0.0


def _arrows(
    edges: list[DiagramEdge], boxes: tuple[Box, ...], metrics: _Metrics, width: float
) -> tuple[Arrow, ...]:
    """Return the arrow of each edge, routed around the boxes with one index of them."""
    index = BoxIndex(boxes)
    by_id = {box.node.id: box for box in boxes}
    return tuple(_arrow(by_id[edge.source], by_id[edge.target], index, metrics, width) for edge in edges)


def _arrow(source: Box, target: Box, index: BoxIndex, metrics: _Metrics, width: float) -> Arrow:
    """Return the arrow between two boxes: straight, or up, across and up, around any box in the way.

    Every box but the two ends may be in the way; the ends never are, as the arrow
    runs from the top of one to the bottom of the other, so the index holds them all.
    """
    start, end = (source.centre, source.top), (target.centre, target.y)
    low, high = source.top + metrics.gap / 2, target.y - metrics.gap / 2
    routes = [_bent(start, end, high), _bent(start, end, low)]
    if between := index.extent(low, high):
        leftmost, rightmost = between
        lanes = (rightmost + metrics.gap / 2, leftmost - metrics.gap / 2)
        routes += [
            (start, (start[0], low), (x, low), (x, high), (end[0], high), end) for x in lanes if 0 < x < width
        ]
    clear = next((route for route in routes if not index.blocks(route)), routes[0])
    return Arrow(source.node.id, target.node.id, clear, min(metrics.size * 0.55, metrics.gap * 0.4))


def _bent(start: Point, end: Point, y: float) -> tuple[Point, ...]:
    """Return a straight line from `start` up to `end`, or one going up to `y`, across, and up."""
    if math.isclose(start[0], end[0], abs_tol=0.01):
        return (start, end)
    return (start, (start[0], y), (end[0], y), end)


def _headings(diagram: Diagram, segments: Segments, height: float, size: float) -> tuple[Label, ...]:
    """Return each column's name, centred above it at the top."""
    labels = []
    for column in diagram.columns:
        left, right = segments[column.id]
        labels.append(
            Label(
                column.name, (left + right) / 2, height - size * 0.95, size, right - left, "centre", "heading"
            )
        )
    return tuple(labels)


def _split_label(text: str, line_y: float, arrows: tuple[Arrow, ...], width: float, size: float) -> Label:
    """Return the guide line's label, just above it on the side with more room beside the arrows."""
    crossing = [
        x
        for arrow in arrows
        for (x, y1), (_, y2) in itertools.pairwise(arrow.points)
        if min(y1, y2) < line_y < max(y1, y2)
    ] or [width]
    left_room, right_room = min(crossing) - size, width - max(crossing) - size
    label_size = max(size * NOTE_RATIO, min(MINIMUM_SIZE, size))
    baseline = line_y + label_size * 0.45
    if left_room >= right_room:
        return Label(text, 0.0, baseline, label_size, max(left_room, 0.0), "left", "guide")
    return Label(text, width, baseline, label_size, max(right_room, 0.0), "right", "guide")


def _left_out_label(left_out: list[DiagramEdge], diagram: Diagram, width: float) -> Label:
    """Return the line beneath the drawing: how many arrows are left out, then which, as far as it goes."""
    labels = {node.id: node.label for node in diagram.nodes}
    targets: dict[str, list[str]] = {}
    for edge in left_out:
        targets.setdefault(edge.source, []).append(labels[edge.target])
    listing = ""
    for source, named in targets.items():
        listing += f"{'; ' if listing else ''}{labels[source]} to {', '.join(named)}"
        if len(listing) > LEFT_OUT_LISTED:
            listing = listing[:LEFT_OUT_LISTED] + ELLIPSIS
            break
    text = f"+ {len(left_out):,} more promotions, not drawn: {listing}"
    return Label(text, 0.0, LEFT_OUT_SIZE * 0.5, LEFT_OUT_SIZE, width, "left", "note")
