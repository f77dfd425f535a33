"""Outputs are replaced whole or not at all, and the same inputs always give the same bytes.

This file proves three guarantees of `guide build` on the shipped ladder:

1. A build killed at any moment (SIGKILL, workers included) leaves each output path holding
   either its previous content or its complete new content, never a part; the only other
   files it may leave are its hidden `.part` temporaries.
2. A build that fails leaves every existing output untouched: same bytes, same inode, same mtime.
3. Two builds of the same inputs, one in one process and one in two, give byte-identical files.

Guarantee 1 leans on 3: a complete file is recognised by being equal to a reference build's.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, SHIPPED_LADDER

BROKEN_LADDER = FIXTURES / "ladders" / "invalid" / "promotion_cycle.yaml"

KILL_FRACTIONS = (0.1, 0.5, 0.9)
"""When to kill a build in one process, as fractions of the time a whole build takes."""

PREVIOUS = "previous"
COMPLETE = "complete"

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs SIGKILL and process groups")


@dataclass(frozen=True)
class Reference:
    """A complete build of the shipped ladder: its folder, its files and how long it took."""

    folder: Path
    names: tuple[str, ...]  # paths of the outputs, relative to the output folder
    seconds: float


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Reference:
    """Build the shipped ladder once in one process, timing the whole command."""
    folder = tmp_path_factory.mktemp("reference")
    started = time.monotonic()
    process = start_build(folder, jobs=1)
    _, errors = process.communicate(timeout=300)
    seconds = time.monotonic() - started
    assert process.returncode == 0, errors
    names = files_in(folder)
    assert len(names) > 20 and {Path(name).suffix for name in names} == {".pdf", ".docx", ".dotx"}
    return Reference(folder, names, seconds)


def files_in(folder: Path) -> tuple[str, ...]:
    """Return the path of every file under `folder`, relative to it, sorted."""
    return tuple(sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()))


def start_build(out: Path, jobs: int, ladders: tuple[Path, ...] = (SHIPPED_LADDER,)) -> subprocess.Popen:
    """Start `guide build LADDERS -o OUT -j JOBS` in a process group of its own, its stdout unbuffered."""
    command = [sys.executable, "-m", "guide", "build", *map(str, ladders), "-o", str(out), "-j", str(jobs)]
    return subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # Unbuffered, each path reaches us as soon as the build prints it, so we can kill on cue.
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        # Its own group, so one signal reaches the worker processes it starts as well.
        start_new_session=True,
    )


def kill_build(process: subprocess.Popen) -> tuple[int, str]:
    """SIGKILL the build's whole process group; return its exit status and what it wrote on stderr."""
    with contextlib.suppress(ProcessLookupError):  # the group may already be gone
        os.killpg(process.pid, signal.SIGKILL)
    _, errors = process.communicate(timeout=60)
    return process.returncode, errors


def previous_bytes(name: str) -> bytes:
    """Return the stand-in for the version of output `name` that an earlier build left."""
    return f"previous {name}".encode()


def fill_with_previous(out: Path, names: tuple[str, ...]) -> dict[str, int]:
    """Put a previous version of every output in `out`, as an earlier build would; return the inodes."""
    for name in names:
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(previous_bytes(name))
    return {name: (out / name).stat().st_ino for name in names}


def states_of_outputs(out: Path, reference: Reference) -> dict[str, str]:
    """Return PREVIOUS or COMPLETE for each output in `out`; fail on any other content."""
    states = {}
    for name in reference.names:
        data = (out / name).read_bytes()
        if data == previous_bytes(name):
            states[name] = PREVIOUS
        elif data == (reference.folder / name).read_bytes():
            states[name] = COMPLETE
        else:
            pytest.fail(f"{name} is neither its previous version nor complete: {len(data)} bytes")
    return states


def leftover_temporaries(out: Path, reference: Reference) -> list[Path]:
    """Return the `.part` temporaries in `out`; fail on any file that is neither one nor an output."""
    outputs = {out / name for name in reference.names}
    lock = out / ".guide.lock"  # a killed build's: the next build takes it over and removes it
    strays, temporaries = [], []
    for path in (p for p in out.rglob("*") if p.is_file() and p not in outputs and p != lock):
        # write_atomic names them .<output name>.<pid>.<random>.part, beside the output they would replace
        named_after = re.fullmatch(r"\.(.+)\.\d+\.[^.]+\.part", path.name)
        if named_after and path.with_name(named_after.group(1)) in outputs:
            temporaries.append(path)
        else:
            strays.append(path)
    assert strays == [], "files that are neither outputs nor their temporaries"
    return temporaries


def check_killed_build(
    out: Path, reference: Reference, previous_inodes: dict[str, int], status: int, errors: str
) -> Counter[str]:
    """Check what a killed build left in `out`; return how many outputs are PREVIOUS and COMPLETE."""
    # A build that ended before the signal came must have ended well, having written everything.
    assert status in (-signal.SIGKILL, 0), errors
    states = states_of_outputs(out, reference)
    if status == 0:
        assert set(states.values()) == {COMPLETE}
    # A file rewritten in place is a part for a while, however short, and a kill or reader can
    # catch it so: only a new file renamed over the previous one replaces it whole.
    rewritten_in_place = [
        name
        for name, state in states.items()
        if state == COMPLETE and (out / name).stat().st_ino == previous_inodes[name]
    ]
    assert rewritten_in_place == []
    leftover_temporaries(out, reference)
    return Counter(states.values())


@pytest.mark.parametrize("fraction", KILL_FRACTIONS, ids=lambda f: f"at {f:.0%}")
def test_a_build_killed_at_any_moment_leaves_each_output_previous_or_complete(
    reference: Reference, tmp_path: Path, fraction: float
) -> None:
    """Kill a one-process build at a fraction of a whole build's time; no output may be a part."""
    previous_inodes = fill_with_previous(tmp_path, reference.names)
    process = start_build(tmp_path, jobs=1)
    time.sleep(fraction * reference.seconds)
    check_killed_build(tmp_path, reference, previous_inodes, *kill_build(process))


def test_a_build_killed_while_writing_leaves_each_output_previous_or_complete(
    reference: Reference, tmp_path: Path
) -> None:
    """Kill a build in one process after its first file is in place, and one in two after half.

    Files are all drawn before the first is written, so the writing is a short spell
    at the end of a build that killing on a timer seldom hits: waiting for a path to
    be printed kills while files are still being replaced, whatever the machine's speed.
    """
    outcomes = {}
    # In two processes, the workers write the files: the signal to the group must stop them too.
    for jobs, after in ((1, 1), (2, len(reference.names) // 2)):
        out = tmp_path / f"j{jobs}-after-{after}"
        previous_inodes = fill_with_previous(out, reference.names)
        process = start_build(out, jobs)
        assert process.stdout is not None
        for _ in range(after):
            if not process.stdout.readline():
                break  # the build ended first: whatever it left is checked all the same
        run = f"-j {jobs}, killed after {after} paths"
        outcomes[run] = check_killed_build(out, reference, previous_inodes, *kill_build(process))
    # Otherwise no kill came between two files, and the runs above proved little.
    caught_part_way = [run for run, counts in outcomes.items() if counts[PREVIOUS] and counts[COMPLETE]]
    assert caught_part_way, f"no run was killed part-way through writing: {outcomes}"


def test_a_failed_build_leaves_every_previous_output_untouched(reference: Reference, tmp_path: Path) -> None:
    """Build the shipped ladder with a broken one over previous outputs: exit 1, nothing touched."""
    fill_with_previous(tmp_path, reference.names)
    long_ago = 1_000_000_000_000_000_000  # 2001, in ns: a rewrite now could not keep this mtime
    for name in reference.names:
        os.utime(tmp_path / name, ns=(long_ago, long_ago))
    before = {name: _identity(tmp_path / name) for name in reference.names}
    # The good ladder comes first, so a build that wrote a ladder's files before reading the next
    # would overwrite its outputs before finding the broken one.
    process = start_build(tmp_path, jobs=2, ladders=(SHIPPED_LADDER, BROKEN_LADDER))
    output, errors = process.communicate(timeout=300)
    assert process.returncode == 1, errors
    assert output == "" and str(BROKEN_LADDER) in errors
    assert {name: _identity(tmp_path / name) for name in reference.names} == before
    assert files_in(tmp_path) == reference.names


def _identity(path: Path) -> tuple[bytes, int, int]:
    """Return what would change if `path` were rewritten or replaced: bytes, inode, mtime."""
    status = path.stat()
    return path.read_bytes(), status.st_ino, status.st_mtime_ns


def test_building_in_one_process_or_two_gives_identical_bytes(reference: Reference, tmp_path: Path) -> None:
    """Build every product in both formats with two processes; compare with the one-process build."""
    process = start_build(tmp_path, jobs=2)  # enough files to draw that it does start workers
    _, errors = process.communicate(timeout=300)
    assert process.returncode == 0, errors
    assert files_in(tmp_path) == reference.names
    different = [
        name
        for name in reference.names
        if (tmp_path / name).read_bytes() != (reference.folder / name).read_bytes()
    ]
    assert different == []
