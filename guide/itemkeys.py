"""Keys that name an item's form fields by what the item says, not by where it stands.

A packet's field for an expectation is `evidence_expectation_<key>`, the key worked out
from the expectation's words. Reordering a level's items, or adding and removing others,
leaves the key of every other item as it was, so a form filled before the change is
still read item by item (see `guide.collect`). Rewording an item gives it a new key:
its answer in an older form is then reported, not matched to the new words.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import Any

KEY_LENGTH = 8
"""Hex digits of a key: one chance in four billion for two items of a list to share one."""


def item_key(text: str) -> str:
    """Return the key of an item saying `text`: the same whatever its spacing or line breaks."""
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()[:KEY_LENGTH]


def keyed(items: Iterable[Any], text_of: Callable[[Any], object] = str) -> list[tuple[str, Any]]:
    """Return (key, item) for each of `items`, keyed by what `text_of` says of it.

    An item said twice in one list gets `_2`, `_3`... after its key the second time on.
    """
    seen: dict[str, int] = {}
    pairs = []
    for item in items:
        key = item_key(str(text_of(item)))
        seen[key] = seen.get(key, 0) + 1
        pairs.append((key if seen[key] == 1 else f"{key}_{seen[key]}", item))
    return pairs
