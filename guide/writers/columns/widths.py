"""How wide the columns of a table are: what their content wants, shared out over the width there is."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import replace

from guide.model import Table
from guide.writers.columns.extents import Extent, Sizer


def table_widths(sizer: Sizer, table: Table, available: float) -> list[float]:
    """Return the widths of `table`'s columns, padding included, for a table `available` points wide.

    A dictionary is read only when the columns have no room for every word whole, or
    when a word is wider than its column's share of a fixed table.
    """
    padding = sizer.geometry.padding
    automatic = is_automatic(table)
    extents = replace(sizer, hyphenate=False).column_extents(table)
    minimums = [extent.minimum + 2 * padding for extent in extents]
    shares = _scaled([1.0] * len(extents) if automatic else table.widths, available)
    if sum(minimums) > available or (not automatic and any(map(float.__gt__, minimums, shares))):
        extents = sizer.column_extents(table)
    return column_widths(extents, table.widths, available, padding, automatic)


def column_widths(
    extents: Sequence[Extent], weights: Sequence[float], available: float, padding: float, automatic: bool
) -> list[float]:
    """Return the widths of columns, in points, padding included, that fill `available` points.

    `extents` say what each column's content wants, `weights` are the layout's
    relative widths (used by a fixed table) and `padding` the room each side of a
    cell's text. See the module's description for how the two kinds of table share.
    """
    padded = [extent.indented(2 * padding) for extent in extents]
    naturals = [max(extent.natural, extent.minimum) for extent in padded]
    shares = _scaled([1.0] * len(extents) if automatic else weights, available)
    least = _least_widths(padded, shares, available)
    if automatic:
        return _automatic_widths(least, naturals, available)
    # the layout's proportions hold unless a word would be cut: a long word is hyphenated
    # down to its floor first, rather than take the room of the columns beside it
    least = [
        min(low, max(extent.floor, share)) for low, extent, share in zip(least, padded, shares, strict=True)
    ]
    return _weighted_widths(least, weights, available)


def _least_widths(extents: Sequence[Extent], shares: Sequence[float], available: float) -> list[float]:
    """Return each column's least width: its widest piece, or less, with hyphenation, if room is short.

    Short of room, the widest columns narrow first, to one width, no further than their
    floors; then, still short, no further than their least widths, so that long words
    are hyphenated before short ones. When even the least widths do not fit, some
    words must break anywhere (see `fitted_breaks`): then no column claims more than
    its share of `available` (`shares`: the layout's proportions, or equal shares in
    an automatic table), so that a word wider than the page does not starve the
    columns beside it.
    """
    tiers = [[getattr(extent, tier) for extent in extents] for tier in ("minimum", "floor", "least")]
    if sum(tiers[0]) <= available:
        return tiers[0]
    for upper, lower in itertools.pairwise(tiers):
        if sum(lower) <= available:
            return _levelled(lower, upper, available)
    return [min(least, share) for least, share in zip(tiers[-1], shares, strict=True)]


def _automatic_widths(least: Sequence[float], naturals: Sequence[float], available: float) -> list[float]:
    """Return widths that grow from `least` toward `naturals` at one pace, then past them in proportion."""
    naturals = [max(natural, lower) for natural, lower in zip(naturals, least, strict=True)]
    if sum(naturals) <= available:
        return _scaled(naturals, available)
    return _between(least, naturals, available)


def _weighted_widths(least: Sequence[float], weights: Sequence[float], available: float) -> list[float]:
    """Return `available` shared in the proportions of `weights`, no column below its `least` width.

    A column whose share is too small gets its least width; the others share the rest,
    again in their proportions, until every column has at least its least width.
    """
    held: dict[int, float] = {}
    while True:
        free = [column for column in range(len(weights)) if column not in held]
        room = available - sum(held.values())
        total = sum(weights[column] for column in free)
        shares = {column: room * weights[column] / total for column in free}
        short = {column: least[column] for column, share in shares.items() if share < least[column]}
        if not short:
            return [held.get(column, shares.get(column, 0.0)) for column in range(len(weights))]
        held |= short


def _between(lower: Sequence[float], upper: Sequence[float], available: float) -> list[float]:
    """Return widths the same share of the way from `lower` to `upper`, adding up to `available`."""
    spare = sum(upper) - sum(lower)
    share = (available - sum(lower)) / spare if spare > 0 else 0.0
    return [low + (high - low) * share for low, high in zip(lower, upper, strict=True)]


LEVELLING_STEPS = 60
"""Halvings that find a level: within a millionth of a point of the widest column's width."""


def _levelled(lower: Sequence[float], upper: Sequence[float], available: float) -> list[float]:
    """Return each `upper` width cut to one level, not below its `lower` width, adding up to `available`.

    The sum of the `lower` widths is at most `available`, and that of the `upper` ones above it.
    """
    low, high = 0.0, max(upper)
    for _ in range(LEVELLING_STEPS):
        level = (low + high) / 2
        if sum(_clamped(level, lower, upper)) > available:
            high = level
        else:
            low = level
    return _clamped(low, lower, upper)


def _clamped(level: float, lower: Sequence[float], upper: Sequence[float]) -> list[float]:
    return [max(least, min(most, level)) for least, most in zip(lower, upper, strict=True)]


def _scaled(widths: Sequence[float], available: float) -> list[float]:
    """Return `widths` scaled to add up to `available` (equal shares if they are all 0)."""
    total = sum(widths)
    if total <= 0:
        return [available / len(widths)] * len(widths)
    return [width * available / total for width in widths]


def is_automatic(table: Table) -> bool:
    """Return True if `table` sizes its columns from their content alone (markup `widths="auto"`)."""
    return bool(getattr(table, "automatic", False))
