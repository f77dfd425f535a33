"""The diagram geometry: ranks bottom up, columns, the split line, sizes, arrows and fitted text."""

from __future__ import annotations

import itertools

import pytest

from guide.diagram import (
    MINIMUM_SIZE,
    Box,
    DiagramLayout,
    arrowhead,
    box_text,
    fit,
    label_text,
    layout,
    node_ranks,
)
from guide.model import Diagram, DiagramColumn, DiagramEdge, DiagramNode, Words

WIDTH = 481.9
PAGE = 717.2
"""The text area of an A4 page with the default theme's margins."""


def measure(text: str, size: float, bold: bool) -> float:
    """A stand-in for a font: every character is about as wide as DejaVu Sans's average."""
    return len(text) * size * (0.62 if bold else 0.56)


def chain(count: int, label: str = "Level") -> Diagram:
    nodes = tuple(DiagramNode(f"n{index}", f"{label} {index}", f"L{index}") for index in range(count))
    edges = tuple(DiagramEdge(f"n{index}", f"n{index + 1}") for index in range(count - 1))
    return Diagram("A chain.", nodes, edges)


def tracks(count: int = 3) -> Diagram:
    """Two shared levels, then `count` tracks of three levels each, all starting from the second level."""
    columns = tuple(DiagramColumn(f"t{track}", f"Track {track}") for track in range(count))
    nodes = [DiagramNode("junior", "Junior", "L1"), DiagramNode("middle", "Middle", "L2")]
    edges = [DiagramEdge("junior", "middle")]
    for column in columns:
        ids = [f"{column.id}-{step}" for step in range(3)]
        nodes += [
            DiagramNode(node_id, f"{column.name} step {step}", "", column.id)
            for step, node_id in enumerate(ids)
        ]
        edges += [DiagramEdge(source, target) for source, target in itertools.pairwise(["middle", *ids])]
    return Diagram("Tracks.", tuple(nodes), tuple(edges), columns)


def branching() -> Diagram:
    """No tracks: one level leads to two, which both lead to the top; plus a promotion skipping a level."""
    nodes = tuple(DiagramNode(name, name.title()) for name in ("base", "left", "right", "top"))
    edges = (("base", "left"), ("base", "right"), ("left", "top"), ("right", "top"), ("base", "top"))
    return Diagram("Branching.", nodes, tuple(DiagramEdge(*edge) for edge in edges))


def box_of(drawing: DiagramLayout, node_id: str) -> Box:
    return next(box for box in drawing.boxes if box.node.id == node_id)


def overlap(first: Box, second: Box) -> bool:
    return first.x < second.right and second.x < first.right and first.y < second.top and second.y < first.top


DIAGRAMS = {
    "one": chain(1),
    "three": chain(3),
    "ten": chain(10),
    "fifteen": chain(15),
    "thirty": chain(30),
    "two tracks": tracks(2),
    "three tracks": tracks(3),
    "branching": branching(),
}


# --- ranks ---------------------------------------------------------------------------------


def test_rank_is_the_longest_chain_of_arrows_leading_to_a_node():
    assert node_ranks(branching()) == {"base": 0, "left": 1, "right": 1, "top": 2}


def test_the_most_junior_stands_at_the_bottom_and_arrows_point_up():
    drawing = layout(chain(5), WIDTH, PAGE)
    heights = [box_of(drawing, f"n{index}").y for index in range(5)]
    assert heights == sorted(heights) and heights[0] == 0
    assert all(arrow.points[-1][1] > arrow.points[0][1] for arrow in drawing.arrows)


def test_a_cycle_is_a_value_error():
    nodes = (DiagramNode("a", "A"), DiagramNode("b", "B"), DiagramNode("c", "C"))
    edges = (DiagramEdge("a", "b"), DiagramEdge("b", "c"), DiagramEdge("c", "b"))
    with pytest.raises(ValueError, match="cycle"):
        layout(Diagram("Loop.", nodes, edges), WIDTH, PAGE)


# --- columns and the split -----------------------------------------------------------------


def test_shared_nodes_are_centred_across_the_width_and_below_the_split():
    drawing = layout(tracks(), WIDTH, PAGE)
    shared = [box for box in drawing.boxes if box.kind == "shared"]
    columned = [box for box in drawing.boxes if box.kind == "column"]
    assert [box.node.id for box in shared] == ["junior", "middle"]
    assert all(box.centre == pytest.approx(WIDTH / 2) for box in shared)
    (guide,) = drawing.guides
    line_y = guide.start[1]
    assert guide.start[1] == guide.end[1] and guide.start[0] == 0 and guide.end[0] == pytest.approx(WIDTH)
    assert max(box.top for box in shared) < line_y < min(box.y for box in columned)
    (split,) = [label for label in drawing.labels if label.kind == "guide"]
    assert split.text == Words.tracks_split and split.baseline > line_y


def test_column_nodes_stand_inside_their_columns_in_order_under_their_headings():
    drawing = layout(tracks(3), WIDTH, PAGE)
    headings = [label for label in drawing.labels if label.kind == "heading"]
    assert [label.text for label in headings] == ["Track 0", "Track 1", "Track 2"]
    assert [label.x for label in headings] == sorted(label.x for label in headings)
    top = max(box.top for box in drawing.boxes)
    for index, heading in enumerate(headings):
        left, right = heading.x - heading.width / 2, heading.x + heading.width / 2
        assert top < heading.baseline < drawing.height
        for box in drawing.boxes:
            if box.node.column == f"t{index}":
                assert left <= box.x and box.right <= right and box.kind == "column"


def test_a_chain_has_no_columns_no_guide_and_is_all_shared():
    drawing = layout(chain(4), WIDTH, PAGE)
    assert drawing.guides == () and drawing.labels == ()
    assert {box.kind for box in drawing.boxes} == {"shared"}


def test_nodes_of_one_rank_and_column_stand_side_by_side():
    drawing = layout(branching(), WIDTH, PAGE)
    left, right = box_of(drawing, "left"), box_of(drawing, "right")
    assert left.y == right.y and left.right < right.x


# --- sizes ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", DIAGRAMS)
def test_everything_stays_inside_the_drawing_and_no_two_boxes_overlap(name):
    drawing = layout(DIAGRAMS[name], WIDTH, PAGE)
    assert drawing.width == WIDTH and 0 < drawing.height <= PAGE
    for box in drawing.boxes:
        assert box.x >= 0 and box.right <= WIDTH and box.y >= 0 and box.top <= drawing.height
    for first, second in itertools.combinations(drawing.boxes, 2):
        assert not overlap(first, second), (first.node.id, second.node.id)
    points = [point for arrow in drawing.arrows for point in arrow.points]
    points += [point for guide in drawing.guides for point in (guide.start, guide.end)]
    assert all(0 <= x <= WIDTH and 0 <= y <= drawing.height for x, y in points)
    for label in drawing.labels:
        assert 0 <= label.baseline <= drawing.height and label.width <= WIDTH


@pytest.mark.parametrize("levels", [3, 10, 15, 30])
@pytest.mark.parametrize("max_height", [PAGE, PAGE * 0.6])
def test_the_height_never_exceeds_the_maximum(levels, max_height):
    assert layout(chain(levels), WIDTH, max_height).height <= max_height + 1e-6


@pytest.mark.parametrize("levels", [3, 10, 15, 30])
def test_labels_stay_legible_on_a_page(levels):
    drawing = layout(chain(levels), WIDTH, PAGE)
    assert {box.label_size for box in drawing.boxes} == {drawing.boxes[0].label_size}
    assert drawing.boxes[0].label_size >= (MINIMUM_SIZE if levels <= 15 else MINIMUM_SIZE - 0.25)


def test_few_levels_get_the_full_size_and_many_levels_a_smaller_one():
    few, many = layout(chain(3), WIDTH, PAGE), layout(chain(15), WIDTH, PAGE)
    assert few.boxes[0].label_size > many.boxes[0].label_size
    assert few.height < many.height


def test_a_tiny_space_still_gives_a_drawing():
    drawing = layout(chain(30), 50, 40)
    assert drawing.height <= 40 and len(drawing.boxes) == 30


# --- arrows --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", DIAGRAMS)
def test_arrows_run_from_the_source_top_centre_to_the_target_bottom_centre(name):
    drawing = layout(DIAGRAMS[name], WIDTH, PAGE)
    for arrow in drawing.arrows:
        source, target = box_of(drawing, arrow.source), box_of(drawing, arrow.target)
        assert arrow.points[0] == pytest.approx((source.centre, source.top))
        assert arrow.points[-1] == pytest.approx((target.centre, target.y))
        assert arrowhead(arrow)[0] == arrow.points[-1]
        for (x1, y1), (x2, y2) in itertools.pairwise(arrow.points):
            assert x1 == pytest.approx(x2) or y1 == pytest.approx(y2), "segments are straight up or across"


def assert_no_arrow_runs_through_another_box(drawing) -> None:
    for arrow in drawing.arrows:
        for box in drawing.boxes:
            if box.node.id in (arrow.source, arrow.target):
                continue
            for (x1, y1), (x2, y2) in itertools.pairwise(arrow.points):
                inside_x = max(x1, x2) > box.x + 0.1 and min(x1, x2) < box.right - 0.1
                inside_y = max(y1, y2) > box.y + 0.1 and min(y1, y2) < box.top - 0.1
                assert not (inside_x and inside_y), (arrow.source, arrow.target, box.node.id)


@pytest.mark.parametrize("name", DIAGRAMS)
def test_arrows_never_run_through_another_box(name):
    assert_no_arrow_runs_through_another_box(layout(DIAGRAMS[name], WIDTH, PAGE))


def test_an_arrow_into_another_column_goes_up_across_and_up():
    drawing = layout(tracks(3), WIDTH, PAGE)
    bent = next(arrow for arrow in drawing.arrows if arrow.target == "t0-0")
    assert len(bent.points) == 4
    straight = next(arrow for arrow in drawing.arrows if arrow.target == "t0-1")
    assert len(straight.points) == 2


# --- text ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", DIAGRAMS)
def test_box_text_fits_inside_its_box(name):
    drawing = layout(DIAGRAMS[name], WIDTH, PAGE)
    for box in drawing.boxes:
        lines = box_text(box, measure)
        assert " ".join(line.text for line in lines if line.bold) == box.node.label
        for line in lines:
            assert measure(line.text, line.size, line.bold) <= box.width - 2 * box.padding + 1e-6
            assert box.y < line.baseline < box.top - line.size * 0.7


def test_a_long_label_wraps_then_shrinks_and_at_worst_is_shortened():
    size, lines = fit("Distinguished Product Manager", 100, 30, 9, True, measure)
    assert size == 9 and lines == ["Distinguished", "Product Manager"]
    size, lines = fit("Extraordinarily", 70, 30, 9, True, measure)
    assert size < 9 and lines == ["Extraordinarily"]
    size, lines = fit("Supercalifragilistic expialidocious word", 40, 8, 9, True, measure)
    assert size == MINIMUM_SIZE and len(lines) == 1 and lines[0].endswith("…")


def test_a_heading_label_shrinks_to_its_column():
    drawing = layout(tracks(3), 200, PAGE)
    for label in drawing.labels:
        line = label_text(label, measure)
        assert measure(line.text, line.size, line.bold) <= label.width + 1e-6


def test_the_same_diagram_gives_the_same_layout():
    assert layout(tracks(), WIDTH, PAGE) == layout(tracks(), WIDTH, PAGE)
