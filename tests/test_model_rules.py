"""The model keeps its own rules: a document that breaks one is never made, so no writer meets it.

Each `model_*` project under tests/fixtures/projects breaks one rule in its layout;
tests/end_to_end/test_layout_errors.py checks what `guide validate` says of each.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from conftest import FIXTURES
from guide.model import (
    PARAGRAPH_ROLES,
    Cell,
    Diagram,
    DiagramEdge,
    DiagramNode,
    Heading,
    PageBreak,
    Paragraph,
    Span,
    Table,
    TableOfContents,
)
from guide.writers.word.styles import ROLE_STYLES

REFUSED = sorted((FIXTURES / "projects").glob("model_*"))
MINIMAL = FIXTURES / "ladders" / "valid" / "minimal.yaml"


def text_cell(text: str) -> Cell:
    return Cell((Paragraph((Span(text),)),))


@pytest.mark.parametrize("project", REFUSED, ids=lambda p: p.name)
def test_a_refused_layout_builds_nothing(project: Path, tmp_path: Path, run_guide) -> None:
    out = tmp_path / "out"
    result = run_guide("build", MINIMAL, "-o", out, cwd=project)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("layouts/handbook.xml.j2:")
    assert not out.exists()


def test_every_role_has_a_word_style() -> None:
    assert set(ROLE_STYLES) == set(PARAGRAPH_ROLES)


def test_an_unknown_role_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown paragraph role 'notice': use body, lead"):
        Paragraph((Span("x"),), role="notice")


@pytest.mark.parametrize(
    "widths", [(1, -1), (0, 0), (1, 0), (math.nan, 1), (math.inf, 1), (1e308, 1e308), (-math.inf,)]
)
def test_widths_must_be_positive_and_finite(widths: tuple[float, ...]) -> None:
    with pytest.raises(ValueError, match="widths must be numbers above 0 and at most 10,000"):
        Table(header=(), rows=(tuple(text_cell("x") for _ in widths),), widths=widths)


def test_a_table_has_a_column() -> None:
    with pytest.raises(ValueError, match="at least one column"):
        Table(header=(), rows=((),), widths=())


def test_a_table_has_a_row() -> None:
    with pytest.raises(ValueError, match="at least one row"):
        Table(header=(), rows=(), widths=(1, 2))


@pytest.mark.parametrize(
    ("block", "name"),
    [
        (Heading(2, (Span("x"),)), "a heading"),
        (TableOfContents(), "a table of contents"),
        (PageBreak(), "a page break"),
    ],
)
def test_a_cell_refuses_what_belongs_to_the_page(
    block: Heading | TableOfContents | PageBreak, name: str
) -> None:
    with pytest.raises(ValueError, match=f"^{name} cannot sit inside a table cell"):
        Cell((Paragraph((Span("x"),)), block))


@pytest.mark.parametrize(
    ("edges", "cycle"),
    [((("a", "a"),), "a"), ((("a", "b"), ("b", "c"), ("c", "b")), "b, c")],
)
def test_a_diagram_with_a_cycle_is_refused(edges: tuple[tuple[str, str], ...], cycle: str) -> None:
    nodes = tuple(DiagramNode(name, name.upper()) for name in "abc")
    with pytest.raises(ValueError, match=f"go round in a cycle through {cycle}$"):
        Diagram("Loop.", nodes, tuple(DiagramEdge(source, target) for source, target in edges))
