"""YAML reading: libyaml composes, and the Python composer words every problem."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, SHIPPED_LADDER
from guide import yamlfile
from guide.errors import ContentError, Location

READABLE = [
    SHIPPED_LADDER,
    *sorted((FIXTURES / "ladders" / "valid").glob("*.yaml")),
    *sorted((FIXTURES / "ladders" / "hostile").glob("*.yaml")),
]


def tree_of(path: Path) -> tuple[yamlfile.Node, list[Location]]:
    problems: list[Location] = []
    return yamlfile.read_yaml(path, problems), problems


@pytest.mark.parametrize("path", READABLE, ids=lambda p: p.name)
def test_libyaml_and_python_composers_give_the_same_tree(path: Path, monkeypatch) -> None:
    assert yaml.__with_libyaml__, "PyYAML is installed without libyaml: ladders load slowly"
    with_libyaml = tree_of(path)
    monkeypatch.setattr(yaml, "__with_libyaml__", False)
    assert tree_of(path) == with_libyaml


def test_an_alias_is_refused_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "alias.yaml"
    path.write_text("a: &x [1, 2]\nb: *x\n", "utf-8")
    with pytest.raises(ContentError) as raised:
        tree_of(path)
    assert raised.value.problems[0].line == 2
    assert "aliases (*name) are not allowed" in raised.value.problems[0].message


def problems_in(tmp_path: Path, text: str) -> list[str]:
    """Return the problems reading `text` gives, each as `line:col: message`, raised or collected."""
    path = tmp_path / "ladder.yaml"
    path.write_text(text, "utf-8")
    try:
        _, problems = tree_of(path)
    except ContentError as error:
        problems = error.problems
    return [f"{problem.line}:{problem.col}: {problem.message}" for problem in problems]


@pytest.mark.parametrize(
    ("value", "named"),
    [
        ("2026", "a number"),
        ("0x1", "a number"),
        (".inf", "a number"),
        ("true", "a boolean"),
        ("2026-01-15", "a date"),
    ],
)
def test_a_value_at_the_top_level_is_named_in_plain_words(tmp_path: Path, value: str, named: str) -> None:
    assert problems_in(tmp_path, f"{value}\n") == [
        f"1:1: the top level must be a mapping of keys, not {named}"
    ]


@pytest.mark.parametrize("libyaml", [True, False])
def test_a_raw_next_line_character_is_refused_even_where_yaml_would_fold_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, libyaml: bool
) -> None:
    monkeypatch.setattr(yaml, "__with_libyaml__", libyaml and yaml.__with_libyaml__)
    assert problems_in(tmp_path, "a: 1\ntitle: one\x85  two\n") == ["2:11: character U+0085 is not allowed"]


def test_an_unclosed_single_quote_is_reported_where_it_opened(tmp_path: Path) -> None:
    text = "title: 'Lead Platform\nid: x\nlevels: []\n"
    assert problems_in(tmp_path, text) == ["1:8: this ' opens a text that is never closed: add the closing '"]


def test_an_odd_space_before_a_key_is_reported_but_one_opening_a_paragraph_line_is_text(
    tmp_path: Path,
) -> None:
    # YAML reads "\u2003title" as a key of its own: no syntax error to start from.
    text = "ladder:\n  id: x\n  \u2003title: T\nsummary: |\n  \u00a0\u00a0Indented first line.\n"
    odd_space = "the indentation holds U+2003 (em space), which YAML does not read as a space"
    assert problems_in(tmp_path, text) == [f"3:3: {odd_space}: indent with plain spaces"]
