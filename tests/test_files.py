"""Atomic writes: whole files only, and no temporary file outliving the build that made it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from guide import files


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
