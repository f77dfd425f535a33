"""The layout sandbox: plain data only, calls only of what a layout may call, no value beyond a bound.

The probes that reach through the command line (paths, widths, padding, doubling,
nesting) are fixture projects in `fixtures/projects/`, each with its message; these
tests look at the rules one by one, and with a small bound where the real one would
take long to reach.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import FIXTURES, SHIPPED_LADDER
from guide import sandbox
from guide.content import load_ladder
from guide.errors import LayoutError
from guide.render import Layouts


def render(tmp_path: Path, text: str, context: dict | None = None) -> str:
    (tmp_path / "layouts").mkdir(exist_ok=True)
    (tmp_path / "layouts" / "page.xml.j2").write_text(text, "utf-8")
    return Layouts(tmp_path / "layouts").render("page.xml.j2", context or {})


@pytest.fixture(scope="module")
def ladder():
    return load_ladder(SHIPPED_LADDER)


def test_a_path_reaches_layouts_as_its_text(tmp_path: Path, ladder) -> None:
    assert render(tmp_path, "{{ ladder.source }}", {"ladder": ladder}) == str(SHIPPED_LADDER)
    with pytest.raises(LayoutError, match="'str object' has no attribute 'read_text'"):
        render(tmp_path, "{{ ladder.source.read_text() }}", {"ladder": ladder})


def test_objects_other_than_plain_data_show_no_attributes(tmp_path: Path) -> None:
    with pytest.raises(LayoutError, match="page.xml.j2:1: .*'read_text' of 'PosixPath' object is unsafe"):
        render(tmp_path, "{{ p.read_text() }}", {"p": SHIPPED_LADDER})


def test_only_macros_helpers_and_methods_of_plain_values_are_called(tmp_path: Path) -> None:
    with pytest.raises(LayoutError, match="page.xml.j2:1: layouts cannot call 'getcwd'"):
        render(tmp_path, "{{ f() }}", {"f": os.getcwd})


def test_the_ladder_queries_and_jinja_helpers_can_be_called(tmp_path: Path, ladder) -> None:
    text = (
        "{% set ns = namespace(n=0) %}{% set comma = joiner(', ') %}{% macro m(x) %}[{{ x }}]{% endmacro %}"
        "{% for level in ladder.promoted_from('senior-pm') %}{{ comma() }}{{ m(level.id.upper()) }}"
        "{% set ns.n = ns.n + 1 %}{% endfor %} {{ ns.n }} {{ '{:>4}'.format(ladder.level('pm').code) }}"
    )
    assert render(tmp_path, text, {"ladder": ladder}) == "[PM] 1   L4"


def test_a_list_grown_item_by_item_stops_at_the_bound(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(sandbox, "MAX_VALUE_SIZE", 1000)
    text = "{% set items = [] %}{% for i in range(50) %}{% for j in range(50) %}{% do items.append(j) %}"
    text += "{% endfor %}{% endfor %}"
    with pytest.raises(LayoutError, match="page.xml.j2:1: the layout would make a value of 1,001 items"):
        render(tmp_path, text)


@pytest.mark.parametrize(
    "expression",
    ["'x' | center(2000)", "'ab' | replace('', 'x' * 600)", "(['x' * 600] * 2) | join", "'x' | indent(2000)",
     "('x' * 600) ~ ('x' * 600) ~ ('x' * 600)", "('x' * 600) + ('x' * 600)", "'{:>2000}'.format(1)",
     "'%2000s' % 1", "'%2000s' | format(1)", "'x'.rjust(2000)", "('\t' * 100).expandtabs(100)"],
)  # fmt: skip
def test_every_way_to_make_a_long_text_at_once_is_refused(
    tmp_path: Path, monkeypatch, expression: str
) -> None:
    monkeypatch.setattr(sandbox, "MAX_VALUE_SIZE", 1000)
    with pytest.raises(LayoutError, match="at most 1,000 are allowed"):
        render(tmp_path, "{{ " + expression + " }}")


def test_the_shipped_layouts_render_within_the_bounds_for_the_largest_valid_fixture() -> None:
    from guide.build import Project
    from guide.documents import plan, render_pieces

    largest = max((FIXTURES / "ladders" / "valid").glob("*.yaml"), key=lambda p: p.stat().st_size)
    pieces = [(load_ladder(largest), piece) for piece in plan(load_ladder(largest), ("handbook",), ("pdf",))]
    project = Project(FIXTURES)
    assert render_pieces(project.layouts, project.theme.fonts.chain, pieces, Path("out"))


def test_jinja_helpers_take_no_number_beyond_the_bound(tmp_path: Path) -> None:
    with pytest.raises(LayoutError, match="page.xml.j2:1: the layout would make a value of 1,000,000,000"):
        render(tmp_path, "{{ lipsum(n=1000000000) }}")


@pytest.mark.parametrize("probe", ["path_write", "path_delete", "path_read"])
def test_layouts_reaching_for_files_change_and_print_nothing(tmp_path: Path, run_guide, probe: str) -> None:
    ladder = tmp_path / "ladder.yaml"
    ladder.write_bytes((FIXTURES / "ladders" / "valid" / "minimal.yaml").read_bytes())
    result = run_guide("build", ladder, "-o", tmp_path / "out", cwd=FIXTURES / "projects" / probe)
    assert result.returncode == 1
    assert "has no attribute" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ladder.yaml"]


def test_a_layout_may_extend_another_and_call_its_blocks(tmp_path: Path) -> None:
    (tmp_path / "layouts").mkdir()
    base = '<document title="t">{% block body %}<p>base</p>{% endblock %}</document>'
    (tmp_path / "layouts" / "base.xml.j2").write_text(base, "utf-8")
    text = (
        '{% extends "base.xml.j2" %}{% block body %}{{ super() }}'
        "<p>{% block note %}note{% endblock %} {{ self.note() | upper }}</p>{% endblock %}"
    )
    assert render(tmp_path, text) == '<document title="t"><p>base</p><p>note NOTE</p></document>'
