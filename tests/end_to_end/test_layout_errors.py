"""Layout mistakes are reported as `layout:line: message` with exit status 1."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES

PROJECTS = sorted(p for p in (FIXTURES / "projects").iterdir() if (p / "expected.txt").exists())
MINIMAL = FIXTURES / "ladders" / "valid" / "minimal.yaml"


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.name)
def test_layout_error_names_layout_and_line(project: Path, run_guide) -> None:
    result = run_guide("validate", MINIMAL, cwd=project)
    assert result.returncode == 1
    assert result.stderr == (project / "expected.txt").read_text("utf-8")
    assert "Traceback" not in result.stderr


def test_layout_error_writes_nothing(tmp_path: Path, run_guide) -> None:
    project = FIXTURES / "projects" / "unknown_element"
    result = run_guide("build", MINIMAL, "-o", tmp_path / "out", cwd=project)
    assert result.returncode == 1
    assert not (tmp_path / "out").exists()
