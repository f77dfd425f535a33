"""Roster values that notice whether a layout did anything with them but print them.

A roster's packets for one level are rendered once, with a `Traced` value standing in
for each value of a row (see `guide.documents.Renderer.roster`). That one render holds for
every row only if the layout printed those values as they are: then each row's
packet is the render with the row's values put in their place. Any other use marks
the value `used`, and the rows are rendered one by one instead:

- every method of text (`upper`, `startswith`, `==`, `<`, `len`, `in` a list, being
  iterated, sliced, hashed, repeated, formatted, turned into text by `str()`), but
  asking whether it is empty: the rows that share a render are alike in which of
  their values are empty;
- every filter and test of a layout (see `guide.sandbox`), but tests that are
  the same for any text (`is defined`, `is string`).

Joined to other text (`~`, `|join`) a value stays as it is, inside the longer text,
and is put in its place there. What the guard cannot see is a value searched for in a
longer text (`"Bob" in candidate.name` is seen; `candidate.name in "Alice Bob"` is
not): Python reads the value's characters without asking it.
"""

from __future__ import annotations

import re
import types
from collections.abc import Callable
from typing import Any

OPEN, CLOSE = "\ue000", "\ue001"
"""Private-use characters around a stand-in's name: no roster value or layout text holds them."""

STAND_IN = re.compile(f"{OPEN}value(\\d+){CLOSE}")
"""A stand-in as printed: its number; letters inside, so that changing case changes it."""

_UNTRACED = frozenset({
    "__new__", "__init__", "__getattribute__", "__setattr__", "__delattr__", "__init_subclass__",
    "__subclasshook__", "__class__", "__reduce__", "__reduce_ex__", "__getnewargs__", "__sizeof__",
    "__dir__", "__doc__",
})  # fmt: skip
"""What Python and pickling call on any object: none of it reads the text."""


class Traced(str):
    """A stand-in for one value of a roster row, noting any use but being printed."""

    used: bool = False

    def __bool__(self) -> bool:
        """A stand-in is never empty, as the values of the rows sharing its render (`{% if %}` is no use)."""
        return True

    def printed(self) -> str:
        """Return the stand-in as plain text, as a layout prints it: not a use."""
        return str.__str__(self)


def _noting(method: Callable[..., Any]) -> Callable[..., Any]:
    def noted(self: Traced, *args: Any, **kwargs: Any) -> Any:
        self.used = True
        return method(self, *args, **kwargs)

    noted.__name__ = method.__name__
    return noted


_METHODS = types.MethodDescriptorType | types.WrapperDescriptorType  # not str.maketrans, a static method
for _name, _method in vars(str).items():
    if isinstance(_method, _METHODS) and _name not in _UNTRACED:
        setattr(Traced, _name, _noting(_method))
Traced.__radd__ = _noting(lambda self, other: other + str.__str__(self))  # type: ignore[attr-defined]


def stand_in(number: int) -> Traced:
    """Return the stand-in numbered `number`."""
    return Traced(f"{OPEN}value{number}{CLOSE}")


def mark_used(*values: Any) -> None:
    """Note a use of every stand-in among `values`, or among the items of a list or tuple of them."""
    for value in values:
        for item in value if isinstance(value, list | tuple) else (value,):
            if isinstance(item, Traced):
                item.used = True
