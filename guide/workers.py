"""Running work in a pool of processes, or here in order when there is one job.

`build.write` asks for drawings and for batches of files to fill and write, and
takes their results in order; with one job nothing runs until its result is asked
for, so each file is written as soon as it is drawn.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Generic, Protocol, TypeVar

T = TypeVar("T", covariant=True)


class Promise(Protocol[T]):
    """A result to come: a Future of a worker process, or work to do here when asked."""

    def done(self) -> bool: ...
    def result(self) -> T: ...


class Workers:
    """Runs functions in a pool of `jobs` processes or, with one job, here when the result is asked for."""

    def __init__(self, jobs: int) -> None:
        self.pool = ProcessPoolExecutor(max_workers=jobs) if jobs > 1 else None

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exception: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)

    def run(self, function: Callable[..., T], *arguments: Any) -> Promise[T]:
        """Return the promise of `function(*arguments)`."""
        if self.pool is not None:
            return self.pool.submit(function, *arguments)
        return _Later(functools.partial(function, *arguments))


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
