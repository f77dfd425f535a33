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


def test_init_refuses_a_file_where_the_project_goes_and_leaves_it_alone(run_guide, tmp_path: Path) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_bytes(b"mine")
    message = f"{blocker}: is a file, not a folder: give guide init a new folder or an empty one\n"
    for target in (blocker, blocker / "project"):
        result = run_guide("init", target)
        assert (result.returncode, result.stdout, result.stderr) == (1, "", message)
    assert names_below(tmp_path) == ["notes.txt"] and blocker.read_bytes() == b"mine"


def shipped_theme_keys() -> list[str]:
    """Return the lines of the shipped theme that are YAML, not comments or blank."""
    from guide.render import SHIPPED_LAYOUTS

    lines = (SHIPPED_LAYOUTS / "theme.yaml").read_text("utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.lstrip().startswith("#")]


def test_init_writes_what_a_project_edits_and_a_theme_that_overrides_nothing(
    run_guide, tmp_path: Path
) -> None:
    import yaml

    from guide.build import Project
    from guide.themefile import load_theme

    project = tmp_path / "project"
    assert run_guide("init", project).returncode == 0
    assert names_below(project) == [
        ".gitignore", "README.md", "data", "data/ladder.schema.json", "data/product-management.yaml",
        "layouts", "layouts/theme.yaml",
    ]  # fmt: skip
    theme = (project / "layouts" / "theme.yaml").read_text("utf-8")
    assert yaml.safe_load(theme) is None  # comments only
    # Every key of the shipped theme is there to uncomment, in its order.
    commented = [line[2:] for line in theme.splitlines() if line.startswith("# ")]
    assert [line for line in commented if line in shipped_theme_keys()] == shipped_theme_keys()
    assert Project(project).theme == load_theme()
    assert "guide init --layouts" in (project / "README.md").read_text("utf-8")
    assert run_guide("validate", cwd=project).stdout == "ok data/product-management.yaml\n"


def test_init_with_layouts_copies_the_shipped_layouts_too(run_guide, tmp_path: Path) -> None:
    from guide.render import SHIPPED_LAYOUTS

    project = tmp_path / "project"
    assert run_guide("init", "--layouts", project).returncode == 0
    layouts = sorted(path.name for path in SHIPPED_LAYOUTS.glob("*.xml.j2"))
    assert len(layouts) == 5
    assert names_below(project / "layouts") == [*layouts, "theme.yaml"]
    for name in layouts:
        assert (project / "layouts" / name).read_bytes() == (SHIPPED_LAYOUTS / name).read_bytes()
    assert yaml_of(project / "layouts" / "theme.yaml") is None
    assert run_guide("validate", cwd=project).returncode == 0


def yaml_of(path: Path) -> object:
    import yaml

    return yaml.safe_load(path.read_text("utf-8"))
