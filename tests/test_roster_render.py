"""A roster's packets are rendered once per level where the layout only prints the rows' values,
and row by row where it does more: both ways give every row the packet its own render gives."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from conftest import SHIPPED_LADDER
from guide import build, documents
from guide.model import form_fields, without_values
from guide.render import SHIPPED_LAYOUTS, Layouts
from guide.roster import read_roster
from guide.traced import Traced, stand_in
from guide.writing import Output

ROWS = [
    ("name", "target_level", "manager", "cycle", "employee_id", "department"),
    *(
        (name, target, manager, "2026 H2", f"E-{number}", department)
        for number, (name, target, manager, department) in enumerate(
            [
                ("Ana Lima", "pm", "Sam Okafor", "Payments"),
                ("Zoë Ødegård", "pm", "Dana Lee", ""),
                ("Seán O'Brien & <Co>", "pm", "Sam Okafor", "Growth"),
                ("王芳", "senior-pm", 'Dana "DL" Lee', "Platform"),
                ("محمد علي", "senior-pm", "שרה לוי", ""),
                ("Ana Lima", "staff-pm", "Priya Raman", "Payments"),
                ("Élise  Martin", "staff-pm", "Sam Okafor", "Growth"),
                ("Kwame Mensah", "director", "Priya Raman", "Platform"),
            ]
        )
    ),
]
SHIPPED_PACKET = (SHIPPED_LAYOUTS / "packet.xml.j2").read_text(encoding="utf-8")
NOTE = '<p role="note">'


@pytest.fixture(scope="module")
def ladder():
    return build.load_ladders([SHIPPED_LADDER])[0]


@pytest.fixture(scope="module")
def roster(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("roster") / "roster.csv"
    with path.open("w", newline="", encoding="utf-8") as file:
        csv.writer(file).writerows(ROWS)
    return path


def project_with_packet(tmp_path: Path, change: str = "") -> build.Project:
    """Return a project whose packet layout is the shipped one with `change` printed after its note."""
    (tmp_path / "layouts").mkdir()
    text = SHIPPED_PACKET.replace(NOTE, change + NOTE, 1)
    (tmp_path / "layouts" / "packet.xml.j2").write_text(text, encoding="utf-8")
    return build.Project(tmp_path)


def rendered(project: build.Project, ladder, roster: Path, monkeypatch) -> tuple[list[Output], int]:
    """Return the roster's packets as `guide packets` prepares them, and how many renders that took."""
    renders = []
    original = Layouts.render
    monkeypatch.setattr(Layouts, "render", lambda self, *args: renders.append(args) or original(self, *args))
    candidates, problems = read_roster(roster, ladder)
    assert not problems
    chain = project.theme.fonts.chain
    outputs = documents.render_roster(
        project.layouts, chain, ladder, candidates, Path("out"), ("docx", "pdf")
    )
    monkeypatch.undo()
    return outputs, len(renders)


def assert_each_row_as_its_own_render(
    project: build.Project, ladder, roster: Path, outputs: list[Output]
) -> None:
    """Assert each output is the document and values the row's own render of its whole layout gives."""
    candidates, _ = read_roster(roster, ladder)
    assert len(outputs) == len(candidates)
    for candidate, output in zip(candidates, outputs, strict=True):
        own = documents.render(project.layouts, documents.packet_piece(ladder, candidate, ("pdf",)))
        assert output.document == without_values(own)
        assert {f.name: f.value for f in output.values} == {f.name: f.value for f in form_fields(own)}
        assert output.files[0].stem == candidate.stem


def test_the_shipped_packet_is_rendered_once_per_kind_of_row(ladder, roster, tmp_path, monkeypatch) -> None:
    project = project_with_packet(tmp_path)
    outputs, renders = rendered(project, ladder, roster, monkeypatch)
    candidates, _ = read_roster(roster, ladder)
    kinds = {documents.StandIns(candidate).shape for candidate in candidates}
    assert renders == len(kinds) < len(candidates)
    assert_each_row_as_its_own_render(project, ladder, roster, outputs)
    assert len({id(output.document) for output in outputs}) <= len(kinds)


@pytest.mark.parametrize(
    "change",
    [
        "<p>{{ candidate.name }}</p>",  # a value printed outside a field
        "<p>{{ candidate.name | upper }}</p>",
        '<p>{{ "long" if candidate.name | length > 12 else "short" }}</p>',
        '<p>{{ "Ana" if candidate.name == "Ana Lima" else "other" }}</p>',
        '<p>{{ "yes" if candidate.manager in ["Sam Okafor", "Priya Raman"] else "no" }}</p>',
        "<p>{{ candidate.name[:1] }}</p>",
        "<p>{{ candidate.line + 1 }}</p>",
        '<p>{{ "set" if candidate.employee_id.startswith("E") else "unset" }}</p>',
        '<p>{{ "odd" if candidate.name is in "Ana Lima" else "even" }}</p>',
    ],
    ids=["printed", "filter", "length", "compared", "in-list", "sliced", "sum", "method", "test"],
)
def test_a_layout_that_does_more_than_print_is_rendered_row_by_row(
    change: str, ladder, roster, tmp_path, monkeypatch
) -> None:
    project = project_with_packet(tmp_path, change)
    outputs, renders = rendered(project, ladder, roster, monkeypatch)
    candidates, _ = read_roster(roster, ladder)
    assert renders >= len(candidates)  # one render per row, after each kind's try with stand-ins
    assert_each_row_as_its_own_render(project, ladder, roster, outputs)


def test_values_joined_into_a_field_and_empty_values_share_renders(
    ladder, roster, tmp_path, monkeypatch
) -> None:
    change = (
        '<field name="who" label="Who" value="{{ candidate.name ~ " (" ~ candidate.employee_id ~ ")" }}"/>'
        "{% if candidate.department %}<p>In a department</p>{% endif %}"
    )
    project = project_with_packet(tmp_path, change)
    outputs, renders = rendered(project, ladder, roster, monkeypatch)
    candidates, _ = read_roster(roster, ladder)
    assert renders < len(candidates)
    assert_each_row_as_its_own_render(project, ladder, roster, outputs)
    with_department = [o for c, o in zip(candidates, outputs, strict=True) if c.department]
    without = [o for c, o in zip(candidates, outputs, strict=True) if not c.department]
    assert with_department and without  # the fixture has both, and each got its own paragraph or none
    assert {f.value for o in outputs for f in o.values if f.name == "who"} == {
        f"{c.name} ({c.employee_id})" for c in candidates
    }


@pytest.mark.parametrize(
    "use",
    [lambda v: v.upper(), len, str, hash, lambda v: v == "x", lambda v: "x" in v, lambda v: v[0],
     lambda v: v + "x", lambda v: "x" + v, lambda v: v * 2, lambda v: f"{v:>3}", list],
)  # fmt: skip
def test_a_stand_in_notes_every_use_of_its_text(use) -> None:
    value = stand_in(3)
    assert not value.used
    use(value)
    assert value.used


def test_printing_a_stand_in_is_not_a_use() -> None:
    layouts = Layouts()
    value = stand_in(1)
    template = layouts.environment.from_string('<p a="{{ v }}">{{ v }} {{ "x" ~ v }}</p>')
    text = template.render(v=value)
    assert isinstance(value, Traced) and not value.used
    shown = value.printed()
    assert text == f'<p a="{shown}">{shown} x{shown}</p>'
