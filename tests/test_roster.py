"""The roster reader: every rule of the "Rosters" contract, each bad row located, every good row kept."""

from __future__ import annotations

import csv
import hashlib
import re
import time
import tracemalloc
import unicodedata
from functools import cache
from pathlib import Path

import pytest

from conftest import FIXTURES, SHIPPED_LADDER, expected_problems
from guide.content import load_ladder
from guide.errors import ContentError
from guide.ladder import Ladder
from guide.roster import MAX_SLUG_CHARS, Candidate, file_slug, read_roster

ROSTERS = FIXTURES / "rosters"
TWO_WAYS_IN = ROSTERS / "two_ways_in.yaml"
WITH_ERRORS = sorted(path for path in ROSTERS.glob("*.csv") if path.with_suffix(".errors").exists())
CLEAN_STEMS = (
    "blank_lines bom_crlf comma hostile_names multiline_commas semicolon sep_line tab titles world_names"
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


def test_ten_thousand_rows_stream_fast_in_flat_memory(tmp_path: Path) -> None:
    """Cells padded with 1,000 spaces (trimmed away): holding the text would show in the peak."""
    path = tmp_path / "big.csv"
    padding = " " * 1_000
    rows = (f"Person {number},senior-pm,,Manager {number % 50},2026 H2,E{number},{padding}Payments\n"
            for number in range(10_000))  # fmt: skip
    path.write_text("name,target_level,current_level,manager,cycle,employee_id,department\n" + "".join(rows))
    started = time.perf_counter()
    candidates, problems = read_roster(path, ladder_at(SHIPPED_LADDER))
    assert time.perf_counter() - started < 2.0
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


def test_ten_thousand_colliding_rows_are_not_quadratic(tmp_path: Path) -> None:
    path = tmp_path / "same.csv"
    path.write_text("name,target_level,employee_id\n" + "Alice,pm,E1\n" * 10_000)
    started = time.perf_counter()
    candidates, problems = read_roster(path, ladder_at(SHIPPED_LADDER))
    assert time.perf_counter() - started < 2.0
    assert (len(candidates), len(problems)) == (1, 9_999)
    assert str(problems[-1]) == f"{path}:10001: employee_id 'E1' is already on line 2"
