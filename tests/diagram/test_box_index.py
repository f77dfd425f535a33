"""The box index answers as a look at every box would, for boxes in rows and lines up or across."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass

import pytest

from guide.diagram.boxindex import BoxIndex

Point = tuple[float, float]


@dataclass(frozen=True)
class Rectangle:
    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def top(self) -> float:
        return self.y + self.height


def rows_of_boxes(generator: random.Random, rows: int) -> list[Rectangle]:
    """Rows stacked with gaps, each with a few boxes side by side, as a layout places them."""
    boxes, bottom, height = [], 0.0, 20.0
    for _ in range(rows):
        count = generator.randint(1, 5)
        slot = 480 / count
        boxes += [
            Rectangle(slot * place + generator.uniform(0, 10), bottom, slot * 0.7, height)
            for place in range(count)
        ]
        bottom += height + generator.uniform(4, 30)
    return boxes


def crosses(points: tuple[Point, ...], box: Rectangle) -> bool:
    """The check of every box that the index replaces."""
    return any(
        max(x1, x2) > box.x + 0.01
        and min(x1, x2) < box.right - 0.01
        and max(y1, y2) > box.y + 0.01
        and min(y1, y2) < box.top - 0.01
        for (x1, y1), (x2, y2) in itertools.pairwise(points)
    )


def random_line(generator: random.Random, height: float, boxes: list[Rectangle]) -> tuple[Point, ...]:
    """A line up, across and up; its corners often on the edges of boxes, where rounding matters."""
    edges_x = [value for box in boxes for value in (box.x, box.right)] + [generator.uniform(0, 480)]
    edges_y = [value for box in boxes for value in (box.y, box.top)] + [generator.uniform(0, height)]
    x1, x2 = generator.choice(edges_x), generator.choice(edges_x)
    y1 = generator.choice(edges_y) + generator.uniform(-0.02, 0.02)
    y2 = y1 + generator.choice([0.0, generator.uniform(0, 30), generator.uniform(0, height)])
    return ((x1, y1), (x1, (y1 + y2) / 2), (x2, (y1 + y2) / 2), (x2, y2))


@pytest.mark.parametrize("seed", range(20))
def test_a_line_is_blocked_exactly_when_it_runs_through_some_box(seed):
    generator = random.Random(seed)
    boxes = rows_of_boxes(generator, generator.randint(1, 40))
    index, height = BoxIndex(boxes), max(box.top for box in boxes)
    for _ in range(200):
        line = random_line(generator, height, boxes)
        assert index.blocks(line) == any(crosses(line, box) for box in boxes), line


@pytest.mark.parametrize("seed", range(20))
def test_the_extent_of_the_boxes_between_two_heights_is_that_of_every_box_there(seed):
    generator = random.Random(seed)
    boxes = rows_of_boxes(generator, generator.randint(1, 40))
    index, height = BoxIndex(boxes), max(box.top for box in boxes)
    for _ in range(200):
        low, high = sorted(generator.uniform(-5, height + 5) for _ in range(2))
        between = [box for box in boxes if low < box.top and box.y < high]
        expected = (min(box.x for box in between), max(box.right for box in between)) if between else None
        assert index.extent(low, high) == expected


def test_an_empty_drawing_blocks_nothing():
    index = BoxIndex([])
    assert not index.blocks(((0, 0), (0, 100))) and index.extent(0, 100) is None
