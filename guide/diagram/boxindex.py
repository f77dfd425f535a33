"""An index of a diagram's boxes by row, so that routing an arrow looks at a few summaries, not every box.

The boxes of a layout stand in rows: every box of a row has the same bottom and
height, and rows are stacked with a gap between them, so sorted by bottom they
are also sorted by top. A segment tree over the rows keeps, for each run of rows
it covers, the boxes' left edges in order with the farthest right edge reached
so far, and the leftmost and rightmost edge of all. Asking whether a line runs
through any box of the rows it spans then takes a binary search in a handful
of nodes, however many boxes and arrows the diagram has.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

Point = tuple[float, float]

TOLERANCE = 0.01
"""A line must reach this far into a box to count as running through it (touching is allowed)."""


class Rectangle(Protocol):
    """What the index reads of a box: its left `x`, bottom `y`, `right` and `top`."""

    @property
    def x(self) -> float: ...
    @property
    def y(self) -> float: ...
    @property
    def right(self) -> float: ...
    @property
    def top(self) -> float: ...


@dataclass(frozen=True)
class _Summary:
    """The boxes of a run of rows: `lefts` (each left edge plus the tolerance) in order, `reach[i]`
    the farthest right edge (less the tolerance) among the first i + 1 of them, and the extremes."""

    lefts: tuple[float, ...]
    reach: tuple[float, ...]
    leftmost: float
    rightmost: float

    @classmethod
    def of(cls, edges: Iterable[tuple[float, float]]) -> _Summary:
        """Return the summary of boxes given as (left, right) pairs."""
        ordered = sorted(edges)
        lefts = tuple(left + TOLERANCE for left, _right in ordered)
        reach = tuple(itertools.accumulate((right - TOLERANCE for _left, right in ordered), max))
        return cls(lefts, reach, ordered[0][0], max(right for _left, right in ordered))


class BoxIndex:
    """The boxes of a layout by row, for the two questions arrows ask (see the module)."""

    def __init__(self, boxes: Sequence[Rectangle]) -> None:
        rows = _rows(boxes)
        self._bottoms = [row[0].y for row in rows]
        self._tops = [max(box.top for box in row) for row in rows]
        # Where a line enters a row, computed as a check of each box would compute it
        # (bottom + tolerance, top - tolerance), so that the answers agree to the last bit
        self._entered_above = [bottom + TOLERANCE for bottom in self._bottoms]
        self._entered_below = [top - TOLERANCE for top in self._tops]
        self._size = len(rows)
        self._nodes = _segment_tree([[(box.x, box.right) for box in row] for row in rows])

    def extent(self, low: float, high: float) -> tuple[float, float] | None:
        """Return the leftmost and rightmost edge of the boxes whose top is above `low` and
        bottom below `high`, or None when there are none."""
        first = bisect.bisect_right(self._tops, low)
        last = bisect.bisect_left(self._bottoms, high)
        summaries = list(self._covering(first, last))
        if not summaries:
            return None
        return min(s.leftmost for s in summaries), max(s.rightmost for s in summaries)

    def blocks(self, points: tuple[Point, ...]) -> bool:
        """Return whether a (horizontal or vertical) segment of the line `points` runs through a box."""
        return any(self._blocks_segment(start, end) for start, end in itertools.pairwise(points))

    def _blocks_segment(self, start: Point, end: Point) -> bool:
        (x1, y1), (x2, y2) = start, end
        low_x, high_x = min(x1, x2), max(x1, x2)
        first = bisect.bisect_right(self._entered_below, min(y1, y2))
        last = bisect.bisect_left(self._entered_above, max(y1, y2))
        for summary in self._covering(first, last):
            reached = bisect.bisect_left(summary.lefts, high_x)
            if reached and summary.reach[reached - 1] > low_x:
                return True
        return False

    def _covering(self, first: int, last: int) -> Iterator[_Summary]:
        """Yield the summaries of the tree's nodes that together cover rows `first` to `last` - 1."""
        first, last = first + self._size, last + self._size
        while first < last:
            if first % 2:
                yield from self._summary(first)
                first += 1
            if last % 2:
                last -= 1
                yield from self._summary(last)
            first, last = first // 2, last // 2

    def _summary(self, node: int) -> Iterator[_Summary]:
        summary = self._nodes[node]
        if summary is not None:
            yield summary


def _rows(boxes: Sequence[Rectangle]) -> list[list[Rectangle]]:
    """Return the boxes grouped by bottom edge, lowest row first."""
    rows: dict[float, list[Rectangle]] = {}
    for box in boxes:
        rows.setdefault(box.y, []).append(box)
    return [rows[bottom] for bottom in sorted(rows)]


def _segment_tree(leaves: list[list[tuple[float, float]]]) -> list[_Summary | None]:
    """Return the summaries of a segment tree over `leaves`, each the (left, right) edges of a row.

    Leaf i is node len(leaves) + i, and node n covers nodes 2n and 2n + 1; node 0 is
    unused. Summaries combine in any order, so any number of leaves works.
    """
    edges: list[list[tuple[float, float]]] = [[] for _ in leaves] + leaves
    for node in range(len(leaves) - 1, 0, -1):
        edges[node] = edges[2 * node] + edges[2 * node + 1]
    return [_Summary.of(pairs) if pairs else None for pairs in edges]
