"""Messages are safe to print: what an input holds is shown, never obeyed by the terminal."""

from __future__ import annotations

from pathlib import Path

from conftest import FIXTURES
from guide.errors import ContentError, GuideError, Location, printable

SCREEN_TRICKS = "\x1b]0;pwned\x07\x1b[2J\rok data/x.yaml"
"""Retitles the window, clears the screen and prints a fake `ok` at the start of the line."""


def test_controls_line_breaks_and_reordering_marks_are_shown_escaped() -> None:
    assert printable(SCREEN_TRICKS) == "\\x1b]0;pwned\\x07\\x1b[2J\\rok data/x.yaml"
    assert printable("a\nb\u202ec\u2028d") == "a\\nb\\u202ec\\u2028d"
    assert printable("Zoë 张伟 ‏עברית\t") == "Zoë 张伟 ‏עברית\\t"


def test_a_problem_quoting_a_line_break_stays_one_line() -> None:
    error = ContentError([Location(Path("r.csv"), 2, None, "unknown level 'x\nok data/x.yaml'")])
    assert error.lines() == ["r.csv:2: unknown level 'x\\nok data/x.yaml'"]
    assert GuideError("one\ntwo \x1b[2J").lines() == ["one", "two \\x1b[2J"]


def test_a_ladder_key_with_escape_sequences_is_printed_escaped(tmp_path: Path, run_guide) -> None:
    minimal = (FIXTURES / "ladders" / "valid" / "minimal.yaml").read_text("utf-8")
    ladder = tmp_path / "ladder.yaml"
    ladder.write_text(minimal.replace("\nladder:", '\n"\\e]0;pwned\\a\\e[2Jok": 1\nladder:', 1), "utf-8")
    result = run_guide("validate", ladder)
    assert result.returncode == 1
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "unknown key '\\x1b]0;pwned\\x07\\x1b[2Jok'" in result.stderr


def test_a_roster_value_with_escape_sequences_is_printed_escaped(tmp_path: Path, run_guide) -> None:
    roster = tmp_path / "cycle.csv"
    roster.write_text(f'name,target_level\nZoë,"nope{SCREEN_TRICKS}"\n', "utf-8")
    result = run_guide("packets", "--roster", roster, "-o", tmp_path / "out")
    assert result.returncode == 1
    assert "\x1b" not in result.stderr and "\r" not in result.stderr
    assert all(line.startswith(str(roster)) for line in result.stderr.splitlines())
