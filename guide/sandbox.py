"""The sandbox layouts run in: plain data only, and no value beyond a bound.

Jinja's own sandbox keeps a layout from Python's internals (`__class__`,
`__globals__`), but lets it call any method of any object it can reach, and
lets it build values of any size. Here a layout may:

- read plain data: text, numbers, booleans, tuples, lists and dicts, and the
  frozen records of the ladder (a path is shown as its text, never as an object
  with methods that read, write or delete files);
- call only macros, Jinja's own helpers (`range`, `dict`, `namespace`, `cycler`,
  `joiner`, `loop.cycle`), the query methods of the ladder's records
  (`ladder.level("pm")`) and the methods of plain data;
- make no text, list or number larger than MAX_VALUE_SIZE, however it tries:
  repeating (`*`), formatting widths (`'{:>1000000000}'`, `'%0999999999d'`),
  padding (`center`, `zfill`, `|indent`), `replace`, `join`, `+`, growing a list
  or a namespace step by step, or passing a grown value to a macro.

What no rule foresees is caught by the memory budget of `render.Layouts`.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import re
import string
import types
from collections.abc import Callable, Iterable
from pathlib import PurePath
from typing import Any

import jinja2
from jinja2.environment import TemplateModule
from jinja2.exceptions import SecurityError
from jinja2.runtime import BlockReference, LoopContext, Macro, TemplateReference
from jinja2.sandbox import SandboxedEnvironment, safe_range
from jinja2.utils import Cycler, Joiner, Namespace

from guide import ladder
from guide.traced import Traced, mark_used

MAX_VALUE_SIZE = 1_000_000
"""The longest text or list, and the largest number, a layout may make (a handbook's markup is
a few hundred kilobytes; a million is far beyond any real layout and drawn in seconds still)."""

PLAIN = (str, int, float, bool, type(None), tuple, list, dict)
"""What a layout may hold: values whose methods can only make other values."""

RECORD_METHODS = frozenset(
    {
        ladder.Ladder.level,
        ladder.Ladder.promoted_from,
        ladder.Ladder.promotion_targets,
        ladder.Ladder.tracks_of,
        ladder.Ladder.texts,
    }
)
"""The methods of the ladder's records a layout may call: queries that return records."""

JINJA_HELPERS = (
    LoopContext,
    Cycler,
    Joiner,
    Namespace,
    Macro,
    TemplateModule,
    BlockReference,
    TemplateReference,
)
"""Jinja's runtime objects: a layout's own loops, cyclers, joiners, namespaces, macros, imports and
blocks (`super()`, `self.body()`)."""

PADDING_METHODS = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs"})
"""Methods of text whose numbers say how long the result is."""


class LayoutSandbox(SandboxedEnvironment):
    """Jinja's sandbox, letting layouts reach plain data only and make no value beyond the bound."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.globals["namespace"] = BoundedNamespace
        self.filters = {name: _bounded_filter(function) for name, function in self.filters.items()}
        self.tests = {name: _noting_test(name, function) for name, function in self.tests.items()}

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        """Allow reading plain data and records from plain data, records and Jinja's helpers."""
        if not super().is_safe_attribute(obj, attr, value):
            return False
        if not isinstance(obj, PLAIN + JINJA_HELPERS) and not _is_record(obj):
            return False
        return _is_reachable(value)

    def getattr(self, obj: Any, attribute: str) -> Any:
        """Return the attribute, a path as its text (`ladder.source`)."""
        return _as_text_if_path(super().getattr(obj, attribute))

    def getitem(self, obj: Any, argument: Any) -> Any:
        """Return the item, a path as its text."""
        return _as_text_if_path(super().getitem(obj, argument))

    def call(__self, __context: jinja2.runtime.Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        """Call `__obj` if a layout may, refusing first what would make a value beyond the bound."""
        if not _is_callable_by_layouts(__self, __obj):
            raise SecurityError(f"layouts cannot call {_name_of(__obj)}: they may call macros, "
                                "Jinja's helpers and the methods of plain values")  # fmt: skip
        _refuse_sizes(_size_of_call(__obj, args))
        if isinstance(__obj, Macro):
            _refuse_sizes(_length(value) for value in (*args, *kwargs.values()))
        if __obj is not safe_range and _is_global(__self, __obj):  # lipsum(n=10**9)
            _refuse_sizes(abs(value) for value in (*args, *kwargs.values()) if isinstance(value, int))
        result = __context.call(__obj, *args, **kwargs)
        _refuse_sizes([_length(result), _length(getattr(__obj, "__self__", None))])
        return result

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any) -> Any:
        """Return `left operator right`, refusing first a result beyond the bound."""
        if operator == "*":
            _refuse_sizes([_size_of_product(left, right)])
        elif operator == "**" and isinstance(right, int) and abs(right) > 1000 and abs(left) > 1:
            raise SecurityError(f"'**' would make a number too large to print ({left!r} ** {right!r})")
        elif operator == "%" and isinstance(left, str):
            _refuse_sizes([_percent_width(left)])
        result = super().call_binop(context, operator, left, right)
        refuse_beyond_bound(result)
        return result

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """Return `str.format` sandboxed, refusing a field's width or precision beyond the bound."""
        sandboxed = super().wrap_str_format(value)
        if sandboxed is None:
            return None

        @functools.wraps(sandboxed)
        def bounded(*args: Any, **kwargs: Any) -> str:
            _refuse_sizes([_format_width(value.__self__, args, kwargs)])
            return sandboxed(*args, **kwargs)

        return bounded


class BoundedNamespace(Namespace):
    """`namespace()`, refusing an attribute set to a value beyond the bound (`ns.s = ns.s ~ ns.s`)."""

    def __setitem__(self, name: str, value: Any) -> None:
        refuse_beyond_bound(value)
        super().__setitem__(name, value)


def _is_record(value: Any) -> bool:
    """Return True for a frozen record of guide's own (a Ladder, a Level, a roster's Candidate)."""
    return _is_record_type(type(value))  # type: ignore[arg-type]  # a class is hashable


@functools.cache
def _is_record_type(kind: type) -> bool:
    return (
        dataclasses.is_dataclass(kind)
        and kind.__module__.startswith("guide.")
        and kind.__dataclass_params__.frozen  # type: ignore[attr-defined]
    )


def _is_reachable(value: Any) -> bool:
    """Return True for what a layout may hold: plain data, records, paths (as text), allowed methods."""
    if isinstance(value, PLAIN + JINJA_HELPERS + (PurePath,)) or _is_record(value):
        return True
    if isinstance(value, types.MethodType):
        return value.__func__ in RECORD_METHODS or isinstance(value.__self__, JINJA_HELPERS + (Traced,))
    return isinstance(value, types.BuiltinMethodType) and isinstance(value.__self__, PLAIN)


def _is_callable_by_layouts(environment: SandboxedEnvironment, function: Any) -> bool:
    if isinstance(function, JINJA_HELPERS + (jinja2.Undefined,)) or _is_reachable_method(function):
        return True  # calling an Undefined raises its own message: "'str object' has no attribute ..."
    if _is_global(environment, function):
        return True
    formatted = inspect.unwrap(function)  # str.format, as the sandbox wraps it
    return isinstance(formatted, types.BuiltinMethodType) and isinstance(formatted.__self__, str)


def _is_global(environment: SandboxedEnvironment, function: Any) -> bool:
    """Return True for one of Jinja's helpers that every layout can name (`range`, `lipsum`...)."""
    return any(function is helper for helper in environment.globals.values())


def _is_reachable_method(function: Any) -> bool:
    return isinstance(function, types.MethodType | types.BuiltinMethodType) and _is_reachable(function)


def _name_of(function: Any) -> str:
    name = getattr(function, "__qualname__", None) or getattr(function, "__name__", None)
    return f"'{name}'" if name else f"a {type(function).__name__}"


def _as_text_if_path(value: Any) -> Any:
    return str(value) if isinstance(value, PurePath) else value


def _length(value: Any) -> int:
    if isinstance(value, str):
        return str.__len__(value)  # measuring a roster's stand-in is not a use of it (see `guide.traced`)
    return len(value) if isinstance(value, list | tuple | dict) else 0


def refuse_beyond_bound(value: Any) -> None:
    """Raise SecurityError if `value` is a text, list or dict longer than the bound."""
    _refuse_sizes([_length(value)])


def _refuse_sizes(sizes: Iterable[int]) -> None:
    """Raise SecurityError if any of `sizes` (lengths of values to be made) is beyond the bound."""
    largest = max(sizes, default=0)
    if largest > MAX_VALUE_SIZE:
        raise SecurityError(f"the layout would make a value of {largest:,} items or characters; "
                            f"at most {MAX_VALUE_SIZE:,} are allowed")  # fmt: skip


def _size_of_product(left: Any, right: Any) -> int:
    """Return how many items `left * right` holds when it repeats a text or a list, else 0."""
    for sequence, count in ((left, right), (right, left)):
        if isinstance(sequence, str | list | tuple) and isinstance(count, int):
            return len(sequence) * count
    return 0


def _size_of_call(function: Any, args: tuple[Any, ...]) -> list[int]:
    """Return the size of the text a method of text would make, where its arguments set it."""
    receiver = getattr(function, "__self__", None)
    name = getattr(function, "__name__", "")
    if not isinstance(receiver, str):
        return [0]
    if name in PADDING_METHODS:
        return [_padding(receiver, name, args)]
    if name == "replace" and len(args) >= 2:
        return [_replaced_size(receiver, *args[:2])]
    if name == "join" and args:
        return [_joined_size(receiver, args[0])]
    return [0]


def _padding(text: str, name: str, args: tuple[Any, ...]) -> int:
    number = next((a for a in args if isinstance(a, int)), 0)
    return len(text) * number if name == "expandtabs" else number


def _replaced_size(text: Any, old: Any, new: Any) -> int:
    if not (isinstance(text, str) and isinstance(old, str) and isinstance(new, str)):
        return 0
    occurrences = len(text) + 1 if old == "" else text.count(old)
    return len(text) + occurrences * max(0, len(new) - len(old))


def _joined_size(separator: Any, items: Any) -> int:
    if not isinstance(items, list | tuple):
        return 0
    return sum(_length(item) or 1 for item in items) + len(items) * _length(separator)


_PERCENT_FIELD = re.compile(r"%(?:\([^)]*\))?[-+ #0]*(\*|\d+)?(?:\.(\*|\d+))?")


def _percent_width(text: str) -> int:
    """Return the widest field of a `%` format (a `*`, a width taken from the values, is refused)."""
    widest = 0
    for field in _PERCENT_FIELD.finditer(text):
        for number in field.groups():
            if number == "*":
                raise SecurityError("'%' formats with '*' widths are not allowed in layouts")
            widest = max(widest, int(number or 0))
    return widest


def _format_width(text: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    """Return the widest field of a `str.format` text: the largest number in its fields' specs.

    A width taken from the values (`'{:>{}}'`) may be any number among them.
    """
    widest = 0
    for _, name, spec, _ in string.Formatter().parse(text):
        if name is None or not spec:
            continue
        widest = max(widest, *(int(number) for number in re.findall(r"\d+", spec)), 0)
        if "{" in spec:
            widest = max(widest, *(abs(v) for v in (*args, *kwargs.values()) if isinstance(v, int)), 0)
    return widest


def _bounded_filter(function: Callable[..., Any]) -> Callable[..., Any]:
    """Return filter `function`, refusing a number argument or a result beyond the bound.

    `center(10**9)`, `indent(10**9)` and `slice(10**9)` are refused before they run;
    `replace`, `join` and `format` have their results' sizes reckoned first.
    """
    first = 1 if hasattr(function, "jinja_pass_arg") else 0  # the environment or context comes first

    @functools.wraps(function)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        value, options = (args[first] if len(args) > first else None), (*args[first + 1 :], *kwargs.values())
        mark_used(value, *options)
        _refuse_sizes(abs(number) for number in options if isinstance(number, int))
        _refuse_sizes([_filter_size(function.__name__, value, options)])
        result = function(*args, **kwargs)
        refuse_beyond_bound(result)
        return result

    return bounded


SAME_FOR_ANY_TEXT = frozenset({
    "defined", "undefined", "none", "string", "number", "integer", "float", "boolean", "true", "false",
    "mapping", "sequence", "iterable", "callable", "escaped",
})  # fmt: skip
"""Tests whose answer is the same for every text: asking them is not a use of a roster value."""


def _noting_test(name: str, function: Any) -> Any:
    """Return test `function`, noting a use of every roster stand-in it is asked of (see `guide.traced`)."""
    if name in SAME_FOR_ANY_TEXT:
        return function

    @functools.wraps(function)
    def noting(*args: Any, **kwargs: Any) -> Any:
        mark_used(*args, *kwargs.values())
        return function(*args, **kwargs)

    return noting


def _filter_size(name: str, value: Any, options: tuple[Any, ...]) -> int:
    if name == "do_replace" and len(options) >= 2:
        return _replaced_size(value, *options[:2])
    if name == "do_join":
        return _joined_size(options[0] if options else "", value)
    if name == "do_format" and isinstance(value, str):
        return _percent_width(value)
    return 0
