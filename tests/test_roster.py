"""The roster reader: every rule of the "Rosters" contract, each bad row located, every good row kept."""

from __future__ import annotations

import csv
import hashlib
import re
import tracemalloc
import unicodedata
from functools import cache
from pathlib import Path

import pytest
from work_count import calls

from conftest import FIXTURES, SHIPPED_LADDER, expected_problems
from guide.content import load_ladder
from guide.errors import ContentError
from guide.ladder import Ladder
from guide.roster import MAX_SLUG_CHARS, Candidate, ExtraColumns, file_slug, load_roster, read_roster

ROSTERS = FIXTURES / "rosters"
TWO_WAYS_IN = ROSTERS / "two_ways_in.yaml"
WITH_ERRORS = sorted(path for path in ROSTERS.glob("*.csv") if path.with_suffix(".errors").exists())
CLEAN_STEMS = (
    "blank_lines bom_crlf comma hostile_names multiline_commas semicolon sep_line tab titles world_names"
    " hr_export hr_bamboo"
)
CLEAN = [ROSTERS / f"{stem}.csv" for stem in CLEAN_STEMS.split()]
"""Rosters with no bad row (listed, as other tests keep rosters of their own in this folder)."""


@cache
def ladder_at(path: Path) -> Ladder:
    return load_ladder(path)


def ladder_for(roster: Path) -> Ladder:
    """Return the shipped ladder, or the one where two levels lead to 'lead' for the roster that needs it."""
    return ladder_at(TWO_WAYS_IN if roster.stem == "ambiguous_current" else SHIPPED_LADDER)


def read(roster: Path) -> tuple[list[Candidate], list[str]]:
    candidates, problems = read_roster(roster, ladder_for(roster))
    return candidates, [str(problem) for problem in problems]


def problems_of(roster: Path) -> list[str]:
    """Return the problems printed for `roster`, whether the whole file or single rows are refused."""
    try:
        return read(roster)[1]
    except ContentError as error:
        return [str(problem) for problem in error.problems]


def rows_of(roster: Path) -> list[tuple[int, str, str, str, str]]:
    """Return (line, name, target id, current id, stem) of each good row; no row may be bad."""
    candidates, problems = read(roster)
    assert problems == []
    return [(c.line, c.name, c.target.id, c.current.id, c.stem) for c in candidates]


def level(level_id: str):
    return ladder_at(SHIPPED_LADDER).level(level_id)


@pytest.mark.parametrize("roster", WITH_ERRORS, ids=lambda p: p.stem)
def test_roster_reports_every_expected_problem(roster: Path) -> None:
    expected = expected_problems(roster)
    assert problems_of(roster) == expected


@pytest.mark.parametrize("roster", CLEAN, ids=lambda p: p.stem)
def test_clean_roster_has_no_problems(roster: Path) -> None:
    candidates, problems = read(roster)
    assert problems == [] and candidates


@pytest.mark.parametrize(
    ("stem", "good_lines"),
    [
        ("ambiguous_current", [3, 5]),
        ("collisions", [2, 4, 6, 7, 10]),
        ("control_characters", [8]),
        ("huge_field", [2]),
        ("hr_errors", [9]),
        ("levels", [9]),
        ("multiline", [2, 7]),
        ("ragged", [2, 5, 6]),
        ("swallowed_rows", [5]),
        ("text_after_quote", [2]),
        ("unterminated_quote", [2]),
    ],
)
def test_good_rows_are_kept_beside_bad_ones(stem: str, good_lines: list[int]) -> None:
    candidates, _ = read(ROSTERS / f"{stem}.csv")
    assert [candidate.line for candidate in candidates] == good_lines


def test_every_column_fills_the_candidate() -> None:
    candidates, _ = read(ROSTERS / "comma.csv")
    assert candidates == [
        Candidate("Alice Martin", level("pm"), level("apm"), "Dana Lee", "2026 H2", "E-1001", "Payments", 2,
                  "e-1001-pm"),
        Candidate("Bob Stone", level("senior-pm"), level("pm"), "Dana Lee", "2026 H2", "", "Growth", 3,
                  "bob-stone-senior-pm"),
        Candidate("Chloé Petit", level("pm-manager"), level("senior-pm"), "Lee, Dana", "2026 H2", "E-1003",
                  "Payments, Cards", 4, "e-1003-pm-manager"),
    ]  # fmt: skip


def test_absent_optional_columns_are_empty_text() -> None:
    (candidate, _), _ = read(ROSTERS / "semicolon.csv")
    assert (candidate.cycle, candidate.employee_id, candidate.department) == ("", "", "R&D, Platform")


def test_semicolon_roster_keeps_commas_and_quoted_semicolons_in_values() -> None:
    candidates, _ = read(ROSTERS / "semicolon.csv")
    assert [(c.name, c.manager, c.department) for c in candidates] == [
        ("Müller, Hans", "Dana Lee", "R&D, Platform"),
        ("Quoted; Semi", "", ""),
    ]


def test_bom_crlf_and_headers_matched_without_case_spaces_or_hyphens() -> None:
    candidates, _ = read(ROSTERS / "bom_crlf.csv")
    assert [(c.name, c.employee_id, c.cycle, c.stem) for c in candidates] == [
        ("Renée Dubois", "E-7", "2026 H1", "e-7-principal-pm"),
        ("Tom Ng", "E-8", "2026 H1", "e-8-cpo"),
    ]


def test_excel_sep_line_names_the_delimiter_and_counts_as_a_line() -> None:
    candidates, _ = read(ROSTERS / "sep_line.csv")
    assert [(c.line, c.name, c.department) for c in candidates] == [(3, "Élodie Durand", "Design, Research")]


def test_tab_delimited_roster() -> None:
    candidates, _ = read(ROSTERS / "tab.csv")
    assert [(c.name, c.manager) for c in candidates] == [("Ingrid Berg", "O'Neil, Pat")]


def test_blank_lines_and_rows_of_empty_cells_are_skipped_but_counted() -> None:
    assert rows_of(ROSTERS / "blank_lines.csv") == [
        (5, "Alice", "pm", "apm", "alice-pm"),
        (8, "Bob", "senior-pm", "pm", "bob-senior-pm"),
    ]


def test_levels_match_by_id_or_title_ignoring_case_and_spaces() -> None:
    assert rows_of(ROSTERS / "titles.csv") == [
        (2, "Ana Souza", "senior-pm", "pm", "ana-souza-senior-pm"),
        (3, "Ben Okafor", "staff-pm", "senior-pm", "ben-okafor-staff-pm"),
        (4, "Cai Lun", "pm-manager", "senior-pm", "cai-lun-pm-manager"),
        (5, "Dev Patel", "pm", "apm", "dev-patel-pm"),
    ]


def test_current_level_is_needed_only_where_several_levels_lead_to_the_target() -> None:
    candidates, _ = read(ROSTERS / "ambiguous_current.csv")
    assert [(c.name, c.target.id, c.current.id) for c in candidates] == [
        ("Bob", "lead", "senior"),
        ("Dan", "senior", "engineer"),
    ]


def test_multiline_cells_keep_their_line_breaks_as_newlines() -> None:
    alice, carol = read(ROSTERS / "multiline.csv")[0]
    assert (alice.line, alice.manager, alice.department) == (
        2,
        "Dana Lee\n(acting)",
        "Payments\nCards\nIssuing",
    )
    assert (carol.line, carol.manager) == (7, 'Says "hi"')


def test_multiline_cells_with_delimiters_are_not_taken_for_swallowed_rows() -> None:
    (alice,), _ = read(ROSTERS / "multiline_commas.csv")
    assert alice.manager == "Lee, Dana, acting\nKim, Jo, deputy"


def test_excel_in_cell_break_is_a_newline_outside_one_line_columns() -> None:
    (gus,), _ = read(ROSTERS / "control_characters.csv")
    assert (gus.name, gus.department) == ("Gus", "Payments\nCards")


def test_names_in_any_script_get_stable_ascii_stems() -> None:
    assert rows_of(ROSTERS / "world_names.csv") == [
        (2, "张伟", "pm", "apm", "person-a3a0bafd-pm"),
        (3, "محمد العلي", "senior-pm", "pm", "person-b74f0bed-senior-pm"),
        (4, "José Ñúñez", "staff-pm", "senior-pm", "jose-nunez-staff-pm"),
        (5, "Jürgen Strauß", "director", "pm-manager", "jurgen-strauss-director"),
        (6, "Łukasz Øberg", "vp", "director", "lukasz-oberg-vp"),
        (7, "李娜", "cpo", "vp", "e-42-cpo"),
    ]
    assert hashlib.sha256("张伟".encode()).hexdigest()[:8] == "a3a0bafd"


def test_hostile_names_become_safe_stems() -> None:
    stems = [row[4] for row in rows_of(ROSTERS / "hostile_names.csv")]
    assert stems == [
        "etc-passwd-pm",
        "tmp-x-pm",
        "con-pm",
        "person-5ec1f7e7-pm",
        "maximilian-maximilian-maximilian-maximilian-maximil-47fbd747-pm",
        "a-b-x-pm",
        "a-b-c-d-e-f-pm",
        "hidden-pm",
    ]


@pytest.mark.parametrize("roster", CLEAN, ids=lambda p: p.stem)
def test_stems_stay_inside_the_output_folder(roster: Path, tmp_path: Path) -> None:
    folder = (tmp_path / "roster").resolve()
    for candidate in read(roster)[0]:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", candidate.stem)
        assert len(candidate.stem) <= MAX_SLUG_CHARS + 1 + len(candidate.target.id)
        assert (folder / f"{candidate.stem}.docx").resolve().parent == folder


def test_nfc_and_nfd_forms_of_a_name_are_the_same_file() -> None:
    nfc, nfd = unicodedata.normalize("NFC", "Zoë"), unicodedata.normalize("NFD", "Zoë")
    assert file_slug(nfc) == file_slug(nfd) == "zoe"
    candidates, _ = read(ROSTERS / "collisions.csv")
    assert candidates[0].name == nfc


def test_long_slugs_are_cut_and_stay_apart() -> None:
    first, second = file_slug("a" * 80 + "x"), file_slug("a" * 80 + "y")
    assert (len(first), len(second)) == (MAX_SLUG_CHARS, MAX_SLUG_CHARS)
    assert first != second and first.startswith("a" * 51 + "-")


def test_a_huge_field_leaves_the_process_csv_limit_as_it_was() -> None:
    before = csv.field_size_limit()
    read(ROSTERS / "huge_field.csv")
    assert csv.field_size_limit() == before


def test_a_missing_file_cannot_be_read(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.csv"
    with pytest.raises(ContentError) as caught:
        read_roster(path, ladder_at(SHIPPED_LADDER))
    assert str(caught.value) == f"{path}: does not exist"


def test_a_folder_cannot_be_read(tmp_path: Path) -> None:
    with pytest.raises(ContentError) as caught:
        read_roster(tmp_path, ladder_at(SHIPPED_LADDER))
    assert str(caught.value) == f"{tmp_path}: is a folder, not a file"


def test_candidate_is_frozen() -> None:
    candidate = read(ROSTERS / "comma.csv")[0][0]
    with pytest.raises(AttributeError):
        candidate.name = "changed"  # type: ignore[misc]


def test_ten_thousand_rows_stream_in_flat_memory(tmp_path: Path) -> None:
    """Cells padded with 1,000 spaces (trimmed away): holding the text would show in the peak."""
    path = tmp_path / "big.csv"
    padding = " " * 1_000
    rows = (f"Person {number},senior-pm,,Manager {number % 50},2026 H2,E{number},{padding}Payments\n"
            for number in range(10_000))  # fmt: skip
    path.write_text("name,target_level,current_level,manager,cycle,employee_id,department\n" + "".join(rows))
    candidates, problems = read_roster(path, ladder_at(SHIPPED_LADDER))
    assert (len(candidates), problems) == (10_000, [])
    assert (candidates[-1].stem, candidates[-1].line, candidates[-1].department) == (
        "e9999-senior-pm",
        10_001,
        "Payments",
    )
    del candidates
    tracemalloc.start()
    candidates, _ = read_roster(path, ladder_at(SHIPPED_LADDER))
    kept, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert path.stat().st_size > 10_000_000
    assert peak - kept < 2_000_000  # never the whole text at once, let alone twice


def test_colliding_rows_are_not_quadratic(tmp_path: Path) -> None:
    """Work is counted, never timed: four times the rows may take about four times the calls."""
    ladder = ladder_at(SHIPPED_LADDER)
    work = {}
    for rows in (1_000, 4_000):
        path = tmp_path / f"same-{rows}.csv"
        path.write_text("name,target_level,employee_id\n" + "Alice,pm,E1\n" * rows)
        work[rows] = calls(lambda path=path: read_roster(path, ladder), budget=10_000_000)
    assert work[4_000] < 5 * work[1_000]
    candidates, problems = read_roster(path, ladder)
    assert (len(candidates), len(problems)) == (1, 3_999)
    assert str(problems[-1]) == f"{path}:4001: Alice: employee_id 'E1' is already on line 2"


# --- rosters as HR systems export them ------------------------------------------------------


def test_an_hr_export_is_read_whole_with_its_own_header_names_and_level_codes() -> None:
    """Workday-like: BOM, CRLF, "Employee Name", codes (L4, L6) and short names, empty columns and rows."""
    assert rows_of(ROSTERS / "hr_export.csv") == [
        (2, "Priya Raman", "senior-pm", "pm", "e-2001-senior-pm"),
        (3, "Marcus Webb", "staff-pm", "senior-pm", "e-2002-staff-pm"),
        (4, "Chloé Martin", "principal-pm", "staff-pm", "e-2003-principal-pm"),
    ]
    priya = read(ROSTERS / "hr_export.csv")[0][0]
    assert (priya.employee_id, priya.manager, priya.department) == ("E-2001", "Dana Lee", "Payments")


def test_unknown_columns_are_kept_under_their_headers_as_written() -> None:
    candidates, _ = read(ROSTERS / "hr_export.csv")
    assert [candidate.extra for candidate in candidates] == [
        {"Email": "priya.raman@example.com", "Start Date": "2021-03-15"},
        {"Email": "marcus.webb@example.com", "Start Date": "2019-11-04"},
        {"Email": "chloe.martin@example.com", "Start Date": "2017-06-01"},
    ]
    assert list(candidates[0].extra) == ["Email", "Start Date"]  # in the roster's order


def test_unknown_columns_are_noted_once_for_the_whole_file() -> None:
    roster = ROSTERS / "hr_export.csv"
    notes = [str(note) for note in load_roster(roster, ladder_for(roster)).notes]
    assert notes == [
        f"{roster}:1: kept for layouts as candidate.extra (the shipped packet does not show them): "
        "'Email', 'Start Date'"
    ]


def test_the_note_asks_about_a_column_that_looks_like_a_misspelt_one() -> None:
    roster = ROSTERS / "hr_bamboo.csv"
    (note,) = load_roster(roster, ladder_for(roster)).notes
    assert str(note).endswith(": 'Deprtment' (did you mean 'department'?), 'Hire Date'")
    assert note.line == 2  # below the sep= line


def test_a_roster_of_known_columns_has_no_note() -> None:
    roster = ROSTERS / "comma.csv"
    assert load_roster(roster, ladder_for(roster)).notes == []


def test_bamboohr_names_sep_line_and_level_codes() -> None:
    assert rows_of(ROSTERS / "hr_bamboo.csv") == [
        (3, "Jonas Berg", "pm", "apm", "1042-pm"),
        (4, "Aiko Tanaka", "senior-pm", "pm", "1043-senior-pm"),
    ]
    jonas = read(ROSTERS / "hr_bamboo.csv")[0][0]
    assert (jonas.employee_id, jonas.manager) == ("1042", "Ines Kahl")


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("Employee Name", "name"), ("Full name", "name"), ("EMPLOYEE_NAME", "name"),
        ("employee-name", "name"),
        ("Proposed level", "target_level"), ("New Level", "target_level"), ("TARGET LEVEL", "target_level"),
        ("Manager name", "manager"), ("Reports to", "manager"), ("Employee ID", "employee_id"),
        ("EMPLOYEE_ID", "employee_id"), ("Employee #", "employee_id"), ("Emp. ID", "employee_id"),
        ("Current level", "current_level"), ("Job Level", "current_level"), ("Dept", "department"),
    ],
)  # fmt: skip
def test_header_names_hr_systems_use(header: str, column: str, tmp_path: Path) -> None:
    values = {"name": "Ann Lee", "target_level": "staff-pm", "current_level": "senior-pm", "manager": "Dana",
              "employee_id": "E-9", "department": "Payments"}  # fmt: skip
    others = [name for name in ("name", "target_level") if name != column]
    path = tmp_path / "roster.csv"
    path.write_text(f"{header},{','.join(others)}\n{values[column]},{','.join(values[o] for o in others)}\n")
    (candidate,), problems = read_roster(path, ladder_at(SHIPPED_LADDER))
    attribute = {"target_level": "target", "current_level": "current"}.get(column, column)
    found = getattr(candidate, attribute)
    assert (problems, getattr(found, "id", found)) == ([], values[column])
    assert candidate.extra == {}


def test_a_shared_level_code_is_taken_when_only_one_of_its_levels_leads_to_the_target() -> None:
    """L6 is both Staff PM and Group PM; only Staff PM leads to Principal PM."""
    (hal,), _ = read(ROSTERS / "hr_errors.csv")
    assert (hal.name, hal.current.id, hal.target.id) == ("Hal Ng", "staff-pm", "principal-pm")


def test_unicode_line_separators_are_line_breaks() -> None:
    chloe = read(ROSTERS / "hr_export.csv")[0][2]
    assert chloe.department == "Payments\nCards"
    assert "'Employee name' holds a line break" in problems_of(ROSTERS / "hr_errors.csv")[3]


def test_extra_columns_cannot_be_changed_but_compare_hash_copy_and_pickle() -> None:
    import copy
    import pickle

    candidate = read(ROSTERS / "hr_export.csv")[0][0]
    for change in (lambda e: e.__setitem__("Email", "x"), lambda e: e.update(Email="x"), lambda e: e.clear(),
                   lambda e: e.pop("Email"), lambda e: e.setdefault("x", "y")):  # fmt: skip
        with pytest.raises(TypeError):
            change(candidate.extra)
    assert candidate.extra["Email"] == "priya.raman@example.com"
    assert hash(candidate) == hash(copy.deepcopy(candidate))
    again = pickle.loads(pickle.dumps(candidate))
    assert again == candidate and type(again.extra) is ExtraColumns


def test_layouts_read_extra_columns_but_cannot_call_their_changing_methods(tmp_path: Path) -> None:
    from guide.errors import LayoutError
    from guide.render import Layouts

    reads = ('{{ candidate.extra["Start Date"] }}', '{{ candidate.extra.get("Email") }}',
             '{{ candidate.extra.get("x", "-") }}')  # fmt: skip
    (tmp_path / "reads.xml.j2").write_text("|".join(reads))
    (tmp_path / "changes.xml.j2").write_text('{% do candidate.extra.update({"Email": "x"}) %}')
    candidate = read(ROSTERS / "hr_export.csv")[0][0]
    layouts = Layouts(tmp_path)
    assert layouts.render("reads.xml.j2", {"candidate": candidate}) == "2021-03-15|priya.raman@example.com|-"
    with pytest.raises(LayoutError, match="access to attribute 'update' of 'ExtraColumns' object is unsafe"):
        layouts.render("changes.xml.j2", {"candidate": candidate})
    assert candidate.extra["Email"] == "priya.raman@example.com"


def test_every_row_message_names_the_person() -> None:
    problems = problems_of(ROSTERS / "hr_errors.csv")
    people = ["Ann Lee", "Ben Ode", "EMPLOYEE_ID E-3", "Dee Fox", "Eli Roy", "Fay Orr", "Gil Ash"]
    assert [problem.split(": ")[1] for problem in problems] == people


def test_the_sign_off_names_are_read_under_the_names_hr_systems_give_them(tmp_path: Path) -> None:
    roster = tmp_path / "signers.csv"
    roster.write_text(
        "Employee Name,Proposed Level,Skip Level Manager,HRBP\n"
        'Priya Raman,senior-pm,Dana Lee,"Kim, Jo"\n'
        "Marcus Webb,staff-pm,,\n",
        encoding="utf-8",
    )
    result = load_roster(roster, ladder_at(SHIPPED_LADDER))
    assert result.problems == [] and result.notes == []
    assert [(c.skip_level_manager, c.hr_partner) for c in result.candidates] == [
        ("Dana Lee", "Kim, Jo"),
        ("", ""),
    ]
