"""What the writers draw from a DiagramLayout: arrow shafts and heads, and text fitted into boxes.

Each writer passes its own font `Measure`, so both break lines the same way.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable

from guide.diagram.layout import (
    COLOURS,
    ELLIPSIS,
    LABEL_LOOKS,
    LEADING,
    MINIMUM_SIZE,
    SHRINK_STEP,
    Arrow,
    Box,
    Label,
    Measure,
    Point,
    TextLine,
)


def shaft(arrow: Arrow) -> tuple[Point, ...]:
    """Return the arrow's line, stopped where its head begins so the stroke does not blunt the tip."""
    *rest, tip = arrow.points
    return (*rest, _back(rest[-1], tip, arrow.head))


def arrowhead(arrow: Arrow) -> tuple[Point, Point, Point]:
    """Return the triangle to fill at the arrow's last point: the tip, then the two back corners."""
    before, tip = arrow.points[-2], arrow.points[-1]
    base, length = _back(before, tip, arrow.head), math.dist(before, tip) or 1.0
    dx, dy = (
        (tip[1] - before[1]) / length * arrow.head * 0.45,
        (before[0] - tip[0]) / length * arrow.head * 0.45,
    )
    return tip, (base[0] + dx, base[1] + dy), (base[0] - dx, base[1] - dy)


def _back(before: Point, tip: Point, distance: float) -> Point:
    """Return the point `distance` back from `tip` towards `before` (at most as far as `before`)."""
    length = math.dist(before, tip) or 1.0
    step = min(distance, length) / length
    return tip[0] - (tip[0] - before[0]) * step, tip[1] - (tip[1] - before[1]) * step


def box_text(box: Box, measure: Measure) -> tuple[TextLine, ...]:
    """Return the box's label (bold, wrapped, shrunk to fit) and its note below it, centred together."""
    _fill, _border, label_colour, note_colour = COLOURS[box.kind]
    inner = box.width - 2 * box.padding
    note_room = LEADING * box.note_size if box.node.note else 0.0
    room = box.height - 2 * box.padding - note_room
    size, lines = fit(box.node.label, inner, room, box.label_size, True, measure)
    text = [(line, size, True, label_colour) for line in lines]
    if box.node.note:
        note_size, notes = fit(box.node.note, inner, note_room, box.note_size, False, measure)
        text.append((notes[0], note_size, False, note_colour))
    top = box.y + (box.height + sum(LEADING * size for _, size, _, _ in text)) / 2
    placed = []
    for line, size, bold, colour in text:
        baseline = top - LEADING * size / 2 - size * 0.36
        placed.append(TextLine(line, box.centre, baseline, size, bold, colour, "centre"))
        top -= LEADING * size
    return tuple(placed)


def label_text(label: Label, measure: Measure) -> TextLine:
    """Return the label on one line, shrunk (or at worst shortened) to its width."""
    colour, bold = LABEL_LOOKS[label.kind]
    size, lines = fit(label.text, label.width, LEADING * label.size, label.size, bold, measure)
    return TextLine(lines[0], label.x, label.baseline, size, bold, colour, label.align)


def fit(
    text: str, width: float, height: float, size: float, bold: bool, measure: Measure
) -> tuple[float, list[str]]:
    """Return a font size and the lines of `text` that fit `width` x `height`, wrapped at spaces.

    The size shrinks a step at a time down to MINIMUM_SIZE (or `size`, if smaller);
    at the smallest, a word too long is broken and a last line that is cut short
    ends in an ellipsis.
    """
    smallest = min(size, MINIMUM_SIZE)
    while True:
        rows = max(1, math.floor(height / (LEADING * size) + 1e-6))
        at_size = functools.partial(_measure_at, measure, size, bold)
        lines = _wrap(text, width, at_size, break_words=size <= smallest)
        if len(lines) <= rows and all(at_size(line) <= width for line in lines):
            return size, lines
        if size <= smallest:
            return size, _shorten(lines, rows, width, at_size)
        size = max(size - SHRINK_STEP, smallest)


def _measure_at(measure: Measure, size: float, bold: bool, text: str) -> float:
    return measure(text, size, bold)


def _wrap(text: str, width: float, measure: Callable[[str], float], break_words: bool) -> list[str]:
    """Return `text` in lines at most `width` wide, filled greedily; long words broken if `break_words`."""
    lines: list[str] = []
    for word in text.split():
        for piece in _pieces(word, width, measure) if break_words else [word]:
            if lines and measure(f"{lines[-1]} {piece}") <= width:
                lines[-1] = f"{lines[-1]} {piece}"
            else:
                lines.append(piece)
    return lines or [""]


def _pieces(word: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """Return `word` broken between characters into pieces at most `width` wide (one character at least)."""
    pieces = [""]
    for character in word:
        if pieces[-1] and measure(pieces[-1] + character) > width:
            pieces.append("")
        pieces[-1] += character
    return pieces


def _shorten(lines: list[str], rows: int, width: float, measure: Callable[[str], float]) -> list[str]:
    """Return the first `rows` lines, the last ending in an ellipsis when text was left out."""
    if len(lines) <= rows:
        return lines
    kept, last = lines[: rows - 1], lines[rows - 1]
    while last and measure(last + ELLIPSIS) > width:
        last = last[:-1]
    return [*kept, last.rstrip() + ELLIPSIS]
