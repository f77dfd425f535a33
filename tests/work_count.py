"""Work counted, never timed: a test of how work grows runs the same on any machine.

`calls` counts function calls (Python and built-in); `lines` counts lines of Python
run, which also sees the turns of a loop that calls nothing. Past its budget, each
raises OverBudget at once, so work that grows too fast fails fast.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import FrameType
from typing import Any


class OverBudget(Exception):
    pass


class _Tally:
    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.count = 0

    def add(self) -> None:
        self.count += 1
        if self.count > self.budget:
            raise OverBudget(f"more than {self.budget:,}")


def calls(work: Callable[[], object], budget: int) -> int:
    """Return the number of function calls `work()` makes (OverBudget past `budget`)."""
    tally = _Tally(budget)

    def profile(frame: FrameType, event: str, argument: object) -> None:
        if event in ("call", "c_call"):
            tally.add()

    sys.setprofile(profile)
    try:
        work()
    finally:
        sys.setprofile(None)
    return tally.count


def lines(work: Callable[[], object], budget: int) -> int:
    """Return the number of lines of Python `work()` runs (OverBudget past `budget`)."""
    tally = _Tally(budget)

    def trace(frame: FrameType, event: str, argument: object) -> Any:
        if event == "line":
            tally.add()
        return trace

    sys.settrace(trace)
    try:
        work()
    finally:
        sys.settrace(None)
    return tally.count
