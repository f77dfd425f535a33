"""`guide init`: a new project, written only into real folders, whole or not at all."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SHIPPED_LADDER

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="symbolic links and rlimits are POSIX's")


def names_below(folder: Path) -> list[str]:
    """Return the path of everything below `folder` (links not followed), relative to it, sorted."""
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*"))


def test_init_refuses_a_dangling_link_where_a_file_goes_and_creates_nothing(
    run_guide, tmp_path: Path
) -> None:
    project, target = tmp_path / "project", tmp_path / "target.md"
    project.mkdir()
    (project / "README.md").symlink_to(target)  # dangling: it points to no file yet
    result = run_guide("init", project)
    assert result.returncode == 1
    assert result.stderr == f"{project}: would overwrite {project / 'README.md'}; choose an empty folder\n"
    assert not target.exists() and names_below(project) == ["README.md"]


def test_init_refuses_a_linked_folder_and_writes_nothing_into_its_target(run_guide, tmp_path: Path) -> None:
    project, elsewhere = tmp_path / "project", tmp_path / "elsewhere"
    project.mkdir()
    elsewhere.mkdir()
    (project / "data").symlink_to(elsewhere, target_is_directory=True)
    result = run_guide("init", project)
    assert result.returncode == 1
    assert result.stderr.startswith(f"{project / 'data'}: is a symbolic link, and guide writes only into")
    assert names_below(elsewhere) == [] and names_below(project) == ["data"]


def test_init_refuses_a_file_where_a_folder_goes_and_creates_nothing(run_guide, tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "layouts").write_bytes(b"mine")
    result = run_guide("init", project)
    assert result.returncode == 1
    assert result.stderr == f"{project / 'layouts'}: is a file where guide writes a folder: move it away\n"
    assert names_below(project) == ["layouts"] and (project / "layouts").read_bytes() == b"mine"


def test_init_failing_part_way_removes_what_it_made(tmp_path: Path) -> None:
    """A file-size limit, as a full disk would, stops init once its folders are made."""
    import resource

    limit = SHIPPED_LADDER.stat().st_size // 2

    def limit_file_sizes() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    project = tmp_path / "new" / "project"
    command = [sys.executable, "-m", "guide", "init", str(project)]
    result = subprocess.run(  # the limit is set in the child
        command, cwd=ROOT, capture_output=True, text=True, timeout=60, preexec_fn=limit_file_sizes
    )
    assert result.returncode == 1
    ladder = project / "data" / SHIPPED_LADDER.name
    assert result.stderr == f"{ladder}: cannot write: File too large; guide init left nothing behind\n"
    assert names_below(tmp_path) == []
