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
