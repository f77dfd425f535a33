"""Dense promotion graphs: the work of a layout grows with its boxes and arrows, not their product.

Work is counted as function calls made while laying out (`work_count`), never timed; a
count past its budget stops the layout at once, so a slow layout fails fast.
"""

from __future__ import annotations

import itertools

import pytest
from test_diagram_layout import assert_no_arrow_runs_through_another_box
from work_count import calls

from guide.diagram import Box, DiagramLayout, label_text, layout
from guide.diagram.layout import LEFT_OUT_SIZE, MAX_ARROWS_PER_BOX
from guide.model import Diagram, DiagramEdge, DiagramNode

WIDTH = 481.9
PAGE = 717.2
"""The text area of an A4 page with the default theme's margins."""


def dense(levels: int, fan_out: int) -> Diagram:
    """`levels` boxes in a chain of ranks, each with an arrow to each of the next `fan_out`."""
    nodes = tuple(DiagramNode(f"l{index}", f"Level {index}", f"L{index}") for index in range(levels))
    edges = tuple(
        DiagramEdge(f"l{index}", f"l{target}")
        for index in range(levels)
        for target in range(index + 1, min(levels, index + 1 + fan_out))
    )
    return Diagram("Dense.", nodes, edges)


def size(diagram: Diagram) -> int:
    return len(diagram.nodes) + len(diagram.edges)


def box_of(drawing: DiagramLayout, node_id: str) -> Box:
    return next(box for box in drawing.boxes if box.node.id == node_id)


def measure(text: str, size: float, bold: bool) -> float:
    return len(text) * size * (0.62 if bold else 0.56)


# --- work ----------------------------------------------------------------------------------


def test_200_levels_each_promoted_to_the_next_50_lay_out_in_work_linear_in_boxes_and_arrows():
    diagram = dense(200, 50)
    budget = 60 * size(diagram)
    assert calls(lambda: layout(diagram, WIDTH, PAGE), budget) <= budget


def test_work_grows_no_faster_than_the_graph_when_it_doubles():
    small, large = dense(60, 15), dense(120, 30)
    assert size(large) / size(small) > 3.5  # twice the levels, each with twice the promotions
    small_work = calls(lambda: layout(small, WIDTH, PAGE), 200 * size(small))
    large_work = calls(lambda: layout(large, WIDTH, PAGE), 5 * small_work)
    assert large_work <= small_work * size(large) / size(small)


# --- the bound on arrows -------------------------------------------------------------------


def test_at_most_a_few_arrows_leave_or_reach_a_box_and_the_rest_are_counted_beneath():
    diagram = dense(40, 12)
    drawing = layout(diagram, WIDTH, PAGE)
    for end in ("source", "target"):
        per_box = [
            len(list(group))
            for _, group in itertools.groupby(sorted(getattr(a, end) for a in drawing.arrows))
        ]
        assert max(per_box) == MAX_ARROWS_PER_BOX
    (note,) = [label for label in drawing.labels if label.kind == "note"]
    left_out = len(diagram.edges) - len(drawing.arrows)
    assert note.text.startswith(f"+ {left_out:,} more promotions, not drawn: Level 0 to Level 7, Level 8")
    assert note.baseline < min(box.y for box in drawing.boxes) - LEFT_OUT_SIZE * 0.5
    assert note.baseline > 0 and drawing.height <= PAGE
    line = label_text(note, measure)
    assert line.size == LEFT_OUT_SIZE and measure(line.text, line.size, False) <= note.width
    assert line.text.endswith("…")


def test_the_arrows_drawn_are_the_first_of_each_box_in_the_order_given():
    drawing = layout(dense(40, 12), WIDTH, PAGE)
    first = [(arrow.source, arrow.target) for arrow in drawing.arrows if arrow.source == "l0"]
    assert first == [("l0", f"l{target}") for target in range(1, MAX_ARROWS_PER_BOX + 1)]


def test_a_diagram_within_the_bound_has_every_arrow_and_no_note():
    diagram = dense(30, MAX_ARROWS_PER_BOX)
    drawing = layout(diagram, WIDTH, PAGE)
    assert len(drawing.arrows) == len(diagram.edges)
    assert all(label.kind != "note" for label in drawing.labels)
    assert min(box.y for box in drawing.boxes) == 0


# --- still correct -------------------------------------------------------------------------


@pytest.mark.parametrize("diagram", [dense(30, MAX_ARROWS_PER_BOX), dense(40, 12), dense(12, 11)])
def test_dense_arrows_never_run_through_another_box(diagram):
    drawing = layout(diagram, WIDTH, PAGE)
    assert drawing.arrows
    for arrow in drawing.arrows:
        source, target = box_of(drawing, arrow.source), box_of(drawing, arrow.target)
        assert arrow.points[0] == pytest.approx((source.centre, source.top))
        assert arrow.points[-1] == pytest.approx((target.centre, target.y))
    assert_no_arrow_runs_through_another_box(drawing)


def test_arrows_skipping_ranks_go_round_the_boxes_between():
    drawing = layout(dense(12, 4), WIDTH, PAGE)
    skipping = [arrow for arrow in drawing.arrows if arrow.target != f"l{int(arrow.source[1:]) + 1}"]
    assert skipping and all(len(arrow.points) == 6 for arrow in skipping)
