"""Writing outputs: whole files only, only into real folders below the output folder, in the
umask's modes, one guide at a time; no temporary file outliving the build that made it."""

from __future__ import annotations

import json
import os
import select
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import IO

import pytest
from pypdf import PdfReader

from conftest import FIXTURES, ROOT
from guide import files
from guide.errors import GuideError

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]


def dead_pid() -> int:
    """Return the id of a process that has ended."""
    process = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True)
    return int(process.stdout)


def test_a_write_replaces_the_file_whole_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out" / "handbook.pdf"
    files.write_atomic(target, b"first")
    files.write_atomic(target, b"second")
    assert target.read_bytes() == b"second"
    assert [path.name for path in target.parent.iterdir()] == ["handbook.pdf"]


def test_temporaries_of_a_killed_writer_are_removed_and_a_running_writers_kept(tmp_path: Path) -> None:
    abandoned = tmp_path / f".old.v2.pdf.{dead_pid()}.k3j_9.part"
    running = tmp_path / f".handbook.pdf.{os.getpid()}.x1.part"
    for path in (abandoned, running):
        path.write_bytes(b"half")
    files.write_atomic(tmp_path / "handbook.docx", b"whole")
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted([running.name, "handbook.docx"])


MINIMAL = FIXTURES / "ladders" / "valid" / "minimal.yaml"  # ladder id "minimal", one level "only"

LOCK = ".guide.lock"
"""The lock file that a guide writing into an output folder holds."""

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="symbolic links, umask and flock are POSIX's")


def names_below(folder: Path) -> list[str]:
    """Return the path of everything below `folder` (links not followed), relative to it, sorted."""
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*"))


@posix_only
@pytest.mark.parametrize("link", ["minimal/checklists", "minimal"])
def test_a_build_refuses_a_linked_folder_below_the_output_folder_and_writes_nothing(
    run_guide, tmp_path: Path, link: str
) -> None:
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    (out / link).parent.mkdir(parents=True, exist_ok=True)
    (out / link).symlink_to(elsewhere, target_is_directory=True)
    elsewhere.mkdir()
    (elsewhere / "only.pdf").write_bytes(b"kept")  # what the checklist would overwrite through the link
    result = run_guide("build", MINIMAL, "-o", out, "--format", "pdf")
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == (
        f"{out / link}: is a symbolic link, and guide writes only into real folders: "
        "replace it with a folder (the link's target is left alone)\n"
    )
    assert names_below(elsewhere) == ["only.pdf"] and (elsewhere / "only.pdf").read_bytes() == b"kept"
    assert names_below(out) == sorted({"minimal", link})


@posix_only
def test_abandoned_temporaries_in_a_linked_folders_target_survive(run_guide, tmp_path: Path) -> None:
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    elsewhere.mkdir()
    abandoned = elsewhere / f".only.pdf.{dead_pid()}.k3j_9.part"  # named as a killed build's would be
    abandoned.write_bytes(b"someone else's")
    (out / "minimal").mkdir(parents=True)
    (out / "minimal" / "checklists").symlink_to(elsewhere, target_is_directory=True)
    assert run_guide("build", MINIMAL, "-o", out, "--only", "checklists", "--format", "pdf").returncode == 1
    assert abandoned.read_bytes() == b"someone else's"


@posix_only
def test_the_clean_up_spares_links_and_folders_named_as_temporaries(tmp_path: Path) -> None:
    target = tmp_path / "target"
    target.write_bytes(b"not ours")
    link = tmp_path / "out" / f".a.pdf.{dead_pid()}.abcd.part"
    folder = tmp_path / "out" / f".b.pdf.{dead_pid()}.efgh.part"
    folder.mkdir(parents=True)
    link.symlink_to(target)
    files.write_atomic(tmp_path / "out" / "handbook.pdf", b"whole")
    assert link.is_symlink() and folder.is_dir() and target.read_bytes() == b"not ours"


@posix_only
def test_a_link_planted_after_the_check_is_not_followed(tmp_path: Path) -> None:
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    elsewhere.mkdir()
    path = out / "minimal" / "checklists" / "only.pdf"
    with files.output_folder(out, [path], waiting=lambda pid: None):  # checked: no link yet
        (out / "minimal").mkdir()
        (out / "minimal" / "checklists").symlink_to(elsewhere, target_is_directory=True)
        with pytest.raises(GuideError, match="checklists: is a symbolic link"):
            files.write_atomic(path, b"through the link")
    assert names_below(elsewhere) == []


@posix_only
def test_a_link_planted_after_the_check_is_not_followed_by_worker_processes(tmp_path: Path) -> None:
    from guide.workers import Workers

    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    elsewhere.mkdir()
    path = out / "minimal" / "checklists" / "only.pdf"
    with files.output_folder(out, [path], waiting=lambda pid: None), Workers(2) as workers:
        (out / "minimal").mkdir()
        (out / "minimal" / "checklists").symlink_to(elsewhere, target_is_directory=True)
        with pytest.raises(GuideError, match="checklists: is a symbolic link"):
            workers.run(files.write_atomic, path, b"through the link").result()
    assert names_below(elsewhere) == []


@posix_only
@pytest.mark.parametrize(("mask", "file_mode", "folder_mode"), [(0o077, 0o600, 0o700), (0o027, 0o640, 0o750),
                                                                 (0o022, 0o644, 0o755)])  # fmt: skip
def test_new_outputs_and_folders_follow_the_umask(
    tmp_path: Path, mask: int, file_mode: int, folder_mode: int
) -> None:
    path = tmp_path / "out" / "minimal" / "ladder.json"
    command = [sys.executable, "-m", "guide", "export", str(MINIMAL), "-o", str(tmp_path / "out")]
    subprocess.run(command, cwd=ROOT, capture_output=True, timeout=60, umask=mask, check=True)
    assert json.loads(path.read_bytes())["ladder"]["id"] == "minimal"
    assert stat.S_IMODE(path.stat().st_mode) == file_mode
    assert {stat.S_IMODE(folder.stat().st_mode) for folder in path.parents[:2]} == {folder_mode}


@posix_only
def test_a_rebuilt_output_keeps_the_mode_its_owner_gave_it(run_guide, tmp_path: Path) -> None:
    """Rebuilt through an output folder that is a link: the user's choice, followed."""
    (tmp_path / "real").mkdir()
    (tmp_path / "out").symlink_to(tmp_path / "real", target_is_directory=True)
    path = tmp_path / "real" / "minimal" / "ladder.json"
    assert run_guide("export", MINIMAL, "-o", tmp_path / "out").returncode == 0
    path.chmod(0o600)
    path.write_bytes(b"stale")
    assert run_guide("export", MINIMAL, "-o", tmp_path / "out").returncode == 0
    assert json.loads(path.read_bytes())["ladder"]["id"] == "minimal"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def start_guide(*arguments: str | Path) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "guide", *map(str, arguments)]
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def first_line(stream: IO[str]) -> str:
    """Return the first line of `stream`; fail after a minute without one, rather than hang."""
    ready, _, _ = select.select([stream], [], [], 60)
    assert ready, "no line in a minute"
    return stream.readline()


@pytest.mark.skipif(fcntl is None, reason="no flock here: builds go without the lock")
def test_a_second_build_waits_for_the_guide_writing_into_its_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    with open(out / LOCK, "w") as lock:  # as a guide writing into `out` holds it
        lock.write(f"{os.getpid()}\n")
        lock.flush()
        fcntl.flock(lock, fcntl.LOCK_EX)
        build = start_guide("build", MINIMAL, "--only", "handbook", "--format", "pdf", "-o", out)
        try:
            assert build.stderr is not None
            waiting = f"waiting for another guide writing into {out} (pid {os.getpid()})...\n"
            assert first_line(build.stderr) == waiting
            time.sleep(0.5)  # a build that went on regardless would write now
            assert build.poll() is None and names_below(out) == [LOCK]
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
        written, errors = build.communicate(timeout=120)
    assert build.returncode == 0, errors
    assert written == f"{out / 'minimal' / 'handbook.pdf'}\n"
    assert len(PdfReader(out / "minimal" / "handbook.pdf").pages) > 0
    assert names_below(out) == ["minimal", "minimal/handbook.pdf"]  # the lock file is gone too


@pytest.mark.skipif(fcntl is None, reason="no flock here: builds go without the lock")
def test_the_lock_file_a_killed_guide_left_holds_no_one_back(run_guide, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / LOCK).write_text(f"{dead_pid()}\n")  # its flock ended with its process
    result = run_guide("export", MINIMAL, "-o", out)
    assert result.returncode == 0 and result.stderr == ""
    assert names_below(out) == ["minimal", "minimal/ladder.json"]
