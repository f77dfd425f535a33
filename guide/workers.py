"""Running work in a pool of processes, or here in order when there is one job.

`build.write` asks for drawings and for batches of files to fill and write, and
takes their results in order; with one job nothing runs until its result is asked
for, so each file is written as soon as it is drawn.

No worker outlives the process that made its pool, however that process ends:

- killed outright (SIGKILL cannot be caught): each worker has asked the kernel to
  kill it when its parent ends (Linux), or watches its parent from a thread;
- asked to stop (SIGTERM, SIGHUP): while a pool runs, the signal kills the workers
  and becomes `Stopped` in the main thread, which ends the command quietly with
  status 128 + the signal's number, as the signal itself would have;
- left early by any exception (an error, Ctrl-C): the workers are killed, not waited for.

A worker killed while writing leaves its temporary file, which the next build removes.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from types import FrameType
from typing import Any, Generic, Protocol, TypeVar

from guide import files

T = TypeVar("T", covariant=True)

STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))
"""The signals that ask a command to stop, which it answers by stopping its workers first."""

PR_SET_PDEATHSIG = 1
"""prctl's option: the signal the kernel sends this process when its parent ends (linux/prctl.h)."""


class Promise(Protocol[T]):
    """A result to come: a Future of a worker process, or work to do here when asked."""

    def done(self) -> bool: ...
    def result(self) -> T: ...


class Stopped(SystemExit):
    """The command was asked to stop by a signal; its exit status is 128 + the signal's number.

    A SystemExit, so that no `except Exception` holds it up and Python exits with
    that status without a traceback.
    """

    def __init__(self, signal_number: int) -> None:
        super().__init__(128 + signal_number)


class Workers:
    """Runs functions in a pool of `jobs` processes or, with one job, here when the result is asked for.

    Use it as a context manager, and hand it work from the thread that entered it: a
    worker starts when work first finds every other one busy, as a child of the thread
    that handed the work over, and on Linux it ends when that thread ends.
    """

    def __init__(self, jobs: int) -> None:
        self.pool = _pool_ending_with_this_process(jobs) if jobs > 1 else None
        self.replaced_handlers: dict[int, Any] = {}
        self.holding_back = False  # Stopped waits while the pool starts a worker or shuts down
        self.stopped_by: int | None = None  # the signal that asked to stop, once one has

    def __enter__(self) -> Workers:
        # Only the main thread may set signal handlers; elsewhere, a signal ends this
        # process as usual and the workers end with it.
        if self.pool is not None and threading.current_thread() is threading.main_thread():
            for number in STOP_SIGNALS:
                self.replaced_handlers[number] = signal.signal(number, self._stop)
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if self.pool is None:
            return
        try:
            with self._stop_held_back():
                if kind is not None:  # ended early: no result is wanted, so no drawing is waited for
                    self._kill_workers()
                self.pool.shutdown(cancel_futures=True)
        finally:
            for number, handler in self.replaced_handlers.items():
                signal.signal(number, handler)
            self.replaced_handlers.clear()

    def run(self, function: Callable[..., T], *arguments: Any) -> Promise[T]:
        """Return the promise of `function(*arguments)`."""
        if self.pool is not None:
            with self._stop_held_back():  # submitting may start a worker
                return self.pool.submit(function, *arguments)
        return _Later(functools.partial(function, *arguments))

    def _stop(self, signal_number: int, _frame: FrameType | None) -> None:
        """Kill the workers at once, then raise Stopped where the main thread is, unless held back."""
        self.stopped_by = signal_number
        self._kill_workers()
        if not self.holding_back:
            raise Stopped(signal_number)

    @contextlib.contextmanager
    def _stop_held_back(self) -> Iterator[None]:
        """Raise Stopped after the block, not in it, if a stop signal comes meanwhile.

        Raised while the pool starts a worker, it would leave one that is not yet in
        the pool's list, so not killed, waiting for its orders from a pool that waits
        for it: neither would ever end.
        """
        self.holding_back = True
        try:
            yield
        finally:
            self.holding_back = False
        if self.stopped_by is not None:
            raise Stopped(self.stopped_by)

    def _kill_workers(self) -> None:
        """Kill every worker process; the pool then finds them dead and fails what they were doing."""
        assert self.pool is not None
        # The pool's own record of its processes, which a shut-down pool no longer has.
        for process in list((self.pool._processes or {}).values()):
            process.kill()


def _pool_ending_with_this_process(jobs: int) -> ProcessPoolExecutor:
    """Return a pool of `jobs` workers that each end when this process ends.

    They start with 'spawn', as fresh Pythons, children of this process: 'fork' would
    copy into them locks that other threads of this one (a progress bar's) may hold,
    and 'forkserver' (the default from Python 3.14) makes the workers children of a
    server that lives as long as they do, so neither would notice this process end.
    """
    return ProcessPoolExecutor(
        jobs,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start_worker,
        initargs=(os.getpid(), files.output_folders()),
    )


def _start_worker(parent: int, output_folders: tuple[Path, ...]) -> None:
    """Get a new worker ready: ending with `parent`, and writing into its output folders as it does."""
    _end_with_parent(parent)
    files.adopt_output_folders(output_folders)


def _end_with_parent(parent: int) -> None:
    """Make this worker end when process `parent`, which made the pool, ends; first thing in each worker.

    Ctrl-C reaches every process of the terminal's process group: workers ignore it,
    and the main process, which gets it too, kills them.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if not _ask_kernel_to_kill_this_process_with_its_parent():
        _watch_parent()
    if os.getppid() != parent:  # it ended before we asked
        os._exit(1)


def _ask_kernel_to_kill_this_process_with_its_parent() -> bool:
    """On Linux, ask for SIGKILL when the parent ends; return whether the kernel agreed.

    The kernel means the parent thread: the one that started this process (see `Workers`).
    """
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    zero = ctypes.c_ulong(0)
    return libc.prctl(PR_SET_PDEATHSIG, ctypes.c_ulong(signal.SIGKILL), zero, zero, zero) == 0


def _watch_parent() -> None:
    """End this process as soon as its parent has ended, watching from a thread."""
    parent = multiprocessing.parent_process()
    if parent is not None:  # a process of a pool; a pipe from its parent tells when it ends
        threading.Thread(target=_exit_after, args=(parent.join,), daemon=True).start()


def _exit_after(wait: Callable[[], object]) -> None:
    """Call `wait`, then end this process at once: the work it was doing is no longer wanted."""
    wait()
    os._exit(1)


class _Later(Generic[T]):
    """Work done when its result is first asked for, then kept."""

    def __init__(self, work: Callable[[], T]) -> None:
        self.work = work

    def done(self) -> bool:
        """Return True: asking for the result waits for no one, so it may be asked for now."""
        return True

    @functools.cached_property
    def _result(self) -> T:
        return self.work()

    def result(self) -> T:
        """Return the result, doing the work on the first call."""
        return self._result
