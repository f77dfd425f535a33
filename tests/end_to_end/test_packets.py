"""`guide packets`: one filled packet per roster row, values inside the fields, bad rows reported."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree
from pypdf import PdfReader

from conftest import FIXTURES, ROOT, SHIPPED_LADDER, assert_sound_pdf
from guide.render import SHIPPED_LAYOUTS
from test_roster import CLEAN

ROSTER = FIXTURES / "rosters" / "cycle_mixed.csv"
HR_EXPORT = FIXTURES / "rosters" / "hr_export.csv"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def filled(tmp_path_factory) -> tuple[Path, object]:
    import subprocess
    import sys

    out = tmp_path_factory.mktemp("roster")
    command = [sys.executable, "-m", "guide", "packets", "--roster", str(ROSTER), "-o", str(out)]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    return out / "product-management" / "roster", result


def controls(path: Path) -> dict[str, etree._Element]:
    document = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
    return {sdt.find(f"{W}sdtPr/{W}tag").get(f"{W}val"): sdt for sdt in document.iter(f"{W}sdt")}


def control_value(control: etree._Element) -> str:
    return "".join(text.text or "" for text in control.find(f"{W}sdtContent").iter(f"{W}t"))


def test_good_rows_are_written_and_bad_rows_reported(filled) -> None:
    folder, result = filled
    assert result.returncode == 1
    assert sorted(path.name for path in folder.iterdir()) == [
        "e-17-senior-pm.docx", "e-17-senior-pm.pdf", "e-19-staff-pm.docx", "e-19-staff-pm.pdf",
        "person-8ac9540b-pm.docx", "person-8ac9540b-pm.pdf",
    ]  # fmt: skip
    assert result.stderr.splitlines() == [
        f"{ROSTER}:5: 'name' is empty",
        f"{ROSTER}:6: No Such: unknown target_level 'chief-wizard' (levels: apm, pm, senior-pm, staff-pm, "
        "pm-manager, principal-pm, director, distinguished-pm, vp, cpo)",
        f"{ROSTER}:7: Zoë Again: employee_id 'E-17' is already on line 2",
    ]
    assert sorted(Path(line).name for line in result.stdout.splitlines()) == sorted(
        path.name for path in folder.iterdir()
    )


@pytest.mark.parametrize(
    ("stem", "values"),
    [
        ("e-17-senior-pm", {"candidate_name": "Zoë Ødegård", "employee_id": "E-17", "manager": "Dana Lee",
                            "current_level": "Product Manager (L4)", "department": "Payments"}),
        ("person-8ac9540b-pm", {"candidate_name": "王芳", "manager": "Lee; Dana", "cycle": "2026 H2"}),
        ("e-19-staff-pm", {"candidate_name": "محمد علي", "manager": "שרה לוי",
                           "current_level": "Senior Product Manager (L5)"}),
    ],
)  # fmt: skip
def test_values_sit_inside_the_word_controls_and_pdf_fields(filled, stem: str, values: dict) -> None:
    folder, _ = filled
    word = controls(folder / f"{stem}.docx")
    pdf = PdfReader(folder / f"{stem}.pdf").get_fields()
    for name, value in values.items():
        assert control_value(word[name]) == value
        assert word[name].find(f"{W}sdtPr/{W}showingPlcHdr") is None  # a value, still editable
        assert pdf[name]["/V"] == value
    assert word["case_summary"].find(f"{W}sdtPr/{W}showingPlcHdr") is not None  # the rest stays blank


def test_pdf_fields_show_names_in_any_script_in_the_embedded_fonts(filled) -> None:
    folder, _ = filled
    for stem, font in (("person-8ac9540b-pm", "WenQuanYiMicroHei"), ("e-19-staff-pm", "DejaVuSans")):
        page = PdfReader(folder / f"{stem}.pdf").pages[0]
        widget = next(a.get_object() for a in page["/Annots"] if a.get_object().get("/T") == "candidate_name")
        fonts = widget["/AP"]["/N"].get_object()["/Resources"]["/Font"].values()
        assert any(str(f.get_object()["/BaseFont"]).split("+")[-1].startswith(font) for f in fonts)


def test_a_filled_word_copy_is_the_same_file_the_writer_makes_for_the_values(build_ladder) -> None:
    from guide import build, documents
    from guide.roster import read_roster
    from guide.writers.word import fill_docx, write_docx

    ladder, _, _ = build_ladder(SHIPPED_LADDER)
    candidates, _ = read_roster(ROSTER, ladder)
    project = build.Project(ROOT)
    theme = project.theme
    for candidate in candidates:
        piece = documents.packet_piece(ladder, candidate, ("docx",))
        (output,) = documents.render_pieces(
            project.layouts, theme.fonts.chain, [(ladder, piece)], Path("out")
        )
        filled = fill_docx(write_docx(output.document, theme), output.values, output.document.meta)
        assert filled == write_docx(documents.render(project.layouts, piece), theme)


def write_roster(roster: Path, out: Path, jobs: int = 1) -> list[Path]:
    """Write the packets of `roster` in-process, as `guide packets` does; return the paths written."""
    from guide import build, documents, writing
    from guide.roster import read_roster
    from test_roster import ladder_for

    ladder = ladder_for(roster)
    candidates, problems = read_roster(roster, ladder)
    assert problems == []
    project = build.Project(ROOT)
    chain = project.theme.fonts.chain
    outputs = documents.render_roster(project.layouts, chain, ladder, candidates, out, ("docx", "pdf"))
    return [file.path for file in writing.write(outputs, project.theme, jobs)]


@pytest.mark.parametrize("roster", CLEAN, ids=lambda p: p.stem)
def test_every_row_of_a_clean_roster_fills_both_formats(roster: Path, tmp_path: Path) -> None:
    from guide.roster import read_roster
    from test_roster import ladder_for

    candidates, _ = read_roster(roster, ladder_for(roster))
    written = write_roster(roster, tmp_path)
    assert len(written) == 2 * len(candidates)
    folder = written[0].parent
    for candidate in candidates:
        word = controls(folder / f"{candidate.stem}.docx")
        pdf = PdfReader(folder / f"{candidate.stem}.pdf").get_fields()
        assert_sound_pdf((folder / f"{candidate.stem}.pdf").read_bytes())
        for name, value in (("candidate_name", candidate.name), ("manager", candidate.manager)):
            placeholder = word[name].find(f"{W}sdtPr/{W}showingPlcHdr")
            assert (placeholder is None) == bool(value)
            one_line = " ".join(part.strip() for part in value.splitlines())  # the same in both formats
            if value:
                assert control_value(word[name]) == one_line
            assert pdf[name].get("/V", "") == one_line


def test_a_roster_written_by_several_processes_is_the_same_bytes(tmp_path: Path) -> None:
    roster = tmp_path / "forty.csv"
    targets = ["pm", "senior-pm", "staff-pm", "director"]
    rows = [f"Person {number},{targets[number % 4]},E-{number}" for number in range(40)]
    roster.write_text("name,target_level,employee_id\n" + "\n".join(rows) + "\n", "utf-8")
    alone = write_roster(roster, tmp_path / "one", jobs=1)
    shared = write_roster(roster, tmp_path / "two", jobs=2)
    assert [path.relative_to(tmp_path / "one") for path in alone] == [
        path.relative_to(tmp_path / "two") for path in shared
    ]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(alone, shared, strict=True))


START_DATE_FIELD = (
    '<field name="start_date" label="Start date" '
    """value="{{ candidate.extra.get('Start Date', '') if candidate else '' }}"/>\n"""
)
"""A field a project adds to its packet, filled from a column guide does not know."""


@pytest.fixture(scope="module")
def hr_packets(tmp_path_factory) -> tuple[Path, object]:
    """Run `guide packets` on an HR export in a project whose packet layout has a start date field."""
    import subprocess
    import sys

    project = tmp_path_factory.mktemp("hr")
    shipped = (SHIPPED_LAYOUTS / "packet.xml.j2").read_text("utf-8")
    anchor = '<field name="cycle"'
    assert anchor in shipped
    (project / "layouts").mkdir()
    (project / "layouts" / "packet.xml.j2").write_text(shipped.replace(anchor, START_DATE_FIELD + anchor, 1))
    command = [sys.executable, "-m", "guide", "packets", "--roster", str(HR_EXPORT), "--ladder",
               str(SHIPPED_LADDER), "-o", "out"]  # fmt: skip
    result = subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=300)
    return project / "out" / "product-management" / "roster", result


def test_an_hr_export_builds_every_packet(hr_packets) -> None:
    folder, result = hr_packets
    problems = [line for line in result.stderr.splitlines() if "kept for layouts" not in line]
    assert (result.returncode, problems) == (0, [])
    assert sorted(path.name for path in folder.iterdir()) == [
        f"e-200{number}-{level}.{ending}"
        for number, level in ((1, "senior-pm"), (2, "staff-pm"), (3, "principal-pm"))
        for ending in ("docx", "pdf")
    ]


@pytest.mark.parametrize(
    ("stem", "values"),
    [
        ("e-2001-senior-pm", {"candidate_name": "Priya Raman", "employee_id": "E-2001", "manager": "Dana Lee",
                              "current_level": "Product Manager (L4)", "start_date": "2021-03-15"}),
        ("e-2003-principal-pm", {"candidate_name": "Chloé Martin",
                                 "current_level": "Staff Product Manager (L6)",
                                 "proposed_level": "Principal Product Manager (L7)",
                                 "start_date": "2017-06-01"}),
    ],
)  # fmt: skip
def test_a_project_field_is_filled_from_an_hr_column(hr_packets, stem: str, values: dict) -> None:
    from docx import Document

    folder, _ = hr_packets
    word = controls(folder / f"{stem}.docx")
    pdf = PdfReader(folder / f"{stem}.pdf").get_fields()
    for name, value in values.items():
        assert control_value(word[name]) == value
        assert pdf[name]["/V"] == value
    body = Document(str(folder / f"{stem}.docx")).element.body
    start_date = [
        sdt for sdt in body.iter(f"{W}sdt") if sdt.find(f"{W}sdtPr/{W}tag").get(f"{W}val") == "start_date"
    ]
    assert [control_value(sdt) for sdt in start_date] == [values["start_date"]]


def test_columns_an_hr_export_adds_are_noted_once(hr_packets) -> None:
    _, result = hr_packets
    assert result.stderr.count("kept for layouts as candidate.extra") == 1, result.stderr
    assert f"{HR_EXPORT}:1: kept for layouts as candidate.extra" in result.stderr
