"""Answers as the committee PDF can show them: a character no embedded font has is shown as
`REPLACEMENT` there, and said, while summary.json and the Word pack keep it (Word finds a font).

A returned form may hold any character its filler's keyboard makes; a build's checks
refuse such text in a ladder, but an answer is not ours to refuse.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from guide.collect.candidates import Case, Form, ItemAnswer, SignOff
from guide.errors import Location
from guide.glyphs import Chain, unsupported_characters
from guide.printable import unprintable

REPLACEMENT = "\u25a1"
"""□, which the bundled DejaVu Sans draws."""


def unshowable(forms: list[Form], chain: Chain) -> Iterator[Location]:
    """Yield a problem for each answer of `forms` holding characters no font of `chain` has."""
    for form in forms:
        for name, value in form.fields.items():
            missing = unsupported_characters(value, chain)
            if missing:
                in_order = "".join(dict.fromkeys(c for c in value if c in missing))
                said = f"{name}: {unprintable(in_order)}; committee.pdf shows {REPLACEMENT} in their place"
                yield Location(
                    Path(form.file), None, None, f"{said}, summary.json and committee.docx hold them"
                )


def shown(value: Any, chain: Chain) -> Any:
    """Return `value` (cases and what they hold) with every character no font of `chain` has replaced."""
    if isinstance(value, str):
        missing = set(unsupported_characters(value, chain)) if not value.isascii() else set()
        return "".join(REPLACEMENT if character in missing else character for character in value)
    if isinstance(value, Case | Form | ItemAnswer | SignOff):
        changes = {
            field.name: shown(getattr(value, field.name), chain) for field in dataclasses.fields(value)
        }
        return dataclasses.replace(value, **changes)
    if isinstance(value, tuple):
        return tuple(shown(item, chain) for item in value)
    if isinstance(value, dict):
        return {key: shown(item, chain) for key, item in value.items()}
    return value  # a Level: the ladder's own, checked when it was loaded
