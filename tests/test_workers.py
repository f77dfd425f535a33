"""No process of ours outlives the command, whatever ends it.

The worker processes of a build (and any helper process they bring) end when the
main process is killed with SIGKILL, which it cannot catch, and when it is asked to
stop with SIGTERM or SIGHUP, which it answers by stopping them and exiting quietly.
Processes are found through /proc, so these tests need Linux.
"""

from __future__ import annotations

import contextlib
import os
import re
import select
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import ROOT, SHIPPED_LADDER

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="finds processes in /proc")

Process = tuple[int, int]
"""A process as its pid and its start time: a pid used again later is another process."""

WAIT_SECONDS = 60
"""How long to wait for a build to start its workers, or to end: a guard against hanging for ever."""

GONE_SECONDS = 10
"""How long processes may take to end after their parent: a moment, but machines can be busy."""


def started_at(pid: int) -> int | None:
    """Return the start time of process `pid`, or None if it is gone or a zombie (ended, not yet reaped)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    state, *fields = stat.rsplit(")", 1)[1].split()  # after the name, which may hold spaces and ')'
    return None if state in ("Z", "X") else int(fields[18])  # field 22 of stat: the start time


def children_of(pid: int) -> set[Process]:
    """Return the living children of process `pid`."""
    children = set()
    for entry in Path("/proc").iterdir():
        with contextlib.suppress(OSError):
            if entry.name.isdigit() and f"\nPPid:\t{pid}\n" in (entry / "status").read_text():
                start = started_at(int(entry.name))
                if start is not None:
                    children.add((int(entry.name), start))
    return children


def descendants_of(pid: int) -> set[Process]:
    """Return the living children of process `pid`, their children, and so on."""
    found = children_of(pid)
    for child, _ in list(found):
        found |= descendants_of(child)
    return found


def alive(processes: set[Process]) -> set[Process]:
    """Return those of `processes` still running."""
    return {(pid, start) for pid, start in processes if started_at(pid) == start}


def wait_for(condition: Callable[[], object], what: str) -> None:
    """Poll `condition` until it is true; fail after WAIT_SECONDS, saying `what` never came."""
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"after {WAIT_SECONDS} s, still no {what}")
        time.sleep(0.05)


def wait_until_gone(processes: set[Process]) -> None:
    """Poll until none of `processes` runs; fail after GONE_SECONDS, naming those left."""
    deadline = time.monotonic() + GONE_SECONDS
    while left := alive(processes):
        if time.monotonic() > deadline:
            pytest.fail(f"after {GONE_SECONDS} s, {sorted(left)} of {sorted(processes)} still run")
        time.sleep(0.05)


def is_helper(pid: int) -> bool:
    """Return whether process `pid` is multiprocessing's resource tracker rather than a worker."""
    with contextlib.suppress(OSError):
        return b"resource_tracker" in Path(f"/proc/{pid}/cmdline").read_bytes()
    return False


@pytest.fixture
def started() -> Iterator[list[tuple[subprocess.Popen, set[Process]]]]:
    """Collect each process a test starts, with its descendants; kill whatever is left of them at the end."""
    processes: list[tuple[subprocess.Popen, set[Process]]] = []
    yield processes
    for process, descendants in processes:
        for pid, _ in alive(descendants | descendants_of(process.pid)):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # its own group, made with start_new_session
        process.communicate(timeout=WAIT_SECONDS)


def start(command: list[str], started: list[tuple[subprocess.Popen, set[Process]]]) -> subprocess.Popen:
    """Start `command` in ROOT in a session of its own, recorded in `started`."""
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # a signal to the group, in clean-up, reaches all it started
    )
    started.append((process, set()))
    return process


def start_build_with_workers(out: Path, started: list[tuple[subprocess.Popen, set[Process]]]) -> set[Process]:
    """Start `guide build -j 2` of the shipped ladder into `out`; return its processes once 2 workers run."""
    command = [sys.executable, "-m", "guide", "build", str(SHIPPED_LADDER), "-o", str(out), "-j", "2"]
    process = start(command, started)
    workers: set[Process] = set()

    def both_workers_run() -> bool:
        if process.poll() is not None:
            pytest.fail(f"the build ended before its workers started: {process.communicate()[1]}")
        workers.update(descendants_of(process.pid))
        started[-1][1].update(workers)
        return sum(not is_helper(pid) for pid, _ in workers) >= 2

    wait_for(both_workers_run, "two worker processes")
    return workers


def test_the_workers_of_a_build_killed_with_sigkill_end(tmp_path: Path, started: list) -> None:
    """SIGKILL the main process of `guide build -j 2` alone: its workers end too, in a moment."""
    workers = start_build_with_workers(tmp_path, started)
    build = started[-1][0]
    os.kill(build.pid, signal.SIGKILL)
    build.wait(timeout=WAIT_SECONDS)
    wait_until_gone(workers)


@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGHUP], ids=lambda s: s.name)
def test_a_build_asked_to_stop_stops_its_workers_and_exits_quietly(
    tmp_path: Path, started: list, signal_number: signal.Signals
) -> None:
    """SIGTERM or SIGHUP to the main process alone: exit 128 + the signal, no traceback, no worker left.

    What it leaves in the output folder is outputs and temporaries the next build removes.
    """
    workers = start_build_with_workers(tmp_path, started)
    build = started[-1][0]
    os.kill(build.pid, signal_number)
    build.wait(timeout=WAIT_SECONDS)
    wait_until_gone(workers)
    _, errors = build.communicate(timeout=WAIT_SECONDS)  # the pipes close once the workers are gone too
    assert (build.returncode, errors) == (128 + signal_number, "")  # no traceback, no word at all
    # Named by files.write_atomic: .<output name>.<pid>.<random>.part; removed by the next build
    temporary = re.compile(r"\..+\.\d+\.[^.]+\.part")
    files = [path for path in tmp_path.rglob("*") if path.is_file()]
    strays = [
        p for p in files if not temporary.fullmatch(p.name) and p.suffix not in (".pdf", ".docx", ".dotx")
    ]
    assert strays == []


POOL_THEN_SLEEP = """
import os, time
from guide.workers import Workers

with Workers(2) as workers:
    promises = [workers.run(os.getpid) for _ in range(2)]
    print(sorted(promise.result() for promise in promises), flush=True)
    time.sleep(600)
"""

WATCHED_POOL_THEN_SLEEP = """
import multiprocessing, os, time
from concurrent.futures import ProcessPoolExecutor
from guide.workers import _watch_parent

spawn = multiprocessing.get_context("spawn")
with ProcessPoolExecutor(2, mp_context=spawn, initializer=_watch_parent) as pool:
    futures = [pool.submit(os.getpid) for _ in range(2)]
    print(sorted(future.result() for future in futures), flush=True)
    time.sleep(600)
"""


@pytest.mark.parametrize(
    "program",
    [POOL_THEN_SLEEP, WATCHED_POOL_THEN_SLEEP],
    ids=["Workers", "watched from a thread, as where the kernel does not kill"],
)
def test_the_workers_of_a_pool_end_when_the_process_that_made_it_is_killed(
    started: list, program: str
) -> None:
    """A process makes a pool of 2, uses it and is killed with SIGKILL: no process it started is left."""
    parent = start([sys.executable, "-c", program], started)
    assert parent.stdout is not None
    wait_for(lambda: select.select([parent.stdout], [], [], 0)[0], "word that the workers have run")
    assert parent.stdout.readline(), parent.communicate()[1]
    descendants = descendants_of(parent.pid)
    started[-1][1].update(descendants)
    assert sum(not is_helper(pid) for pid, _ in descendants) == 2
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait(timeout=WAIT_SECONDS)
    wait_until_gone(descendants)


STOPPED_WHILE_HANDING_OVER = """
import os, signal
from guide.workers import Workers

with Workers(2) as workers:
    submit = workers.pool.submit

    def submit_as_a_stop_signal_comes(*arguments):
        os.kill(os.getpid(), signal.SIGTERM)  # its handler runs before the next line
        future = submit(*arguments)  # starts a worker: stopping in there would leave it half-started
        print("handed over", flush=True)
        return future

    workers.pool.submit = submit_as_a_stop_signal_comes
    workers.run(os.getpid)
    print("went on", flush=True)
"""


def test_a_stop_signal_waits_until_the_work_is_handed_over(started: list) -> None:
    """SIGTERM as work is handed to the pool: the handing over ends, then the process stops, with 143."""
    process = start([sys.executable, "-c", STOPPED_WHILE_HANDING_OVER], started)
    output, errors = process.communicate(timeout=WAIT_SECONDS)
    assert (process.returncode, output) == (128 + signal.SIGTERM, "handed over\n"), errors
    assert errors == ""


LONG_WORK = """
import time
from guide.workers import Workers

with Workers(2) as workers:
    promises = [workers.run(time.sleep, 600) for _ in range(2)]
    print("handed over", flush=True)
    promises[0].result()
"""


def test_a_stop_signal_does_not_wait_for_work_in_hand(started: list) -> None:
    """SIGTERM while both workers are in the middle of long work: they are killed, not waited for."""
    process = start([sys.executable, "-c", LONG_WORK], started)
    assert process.stdout is not None
    wait_for(lambda: select.select([process.stdout], [], [], 0)[0], "word that the work is handed over")
    wait_for(lambda: sum(not is_helper(pid) for pid, _ in descendants_of(process.pid)) == 2, "two workers")
    descendants = descendants_of(process.pid)
    started[-1][1].update(descendants)
    os.kill(process.pid, signal.SIGTERM)
    process.wait(timeout=WAIT_SECONDS)  # not the 600 s the work would take
    wait_until_gone(descendants)
    _, errors = process.communicate(timeout=WAIT_SECONDS)
    assert process.returncode == 128 + signal.SIGTERM, errors
