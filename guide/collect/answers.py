"""Each control of a returned file put to the field of the form it was made as.

The form's fields (`Slot`s) come from rendering its layout again for the ladder,
product and level the file names. A control is placed by its name (a PDF field's,
a Word control's tag); else by its title; else by order: the next free field of a
kind it can hold, between the fields placed around it, for a control with neither
name nor title. That last step reads Word files LibreOffice saved, which keep their
controls' kinds and order but not their tags. A control with a name or title that no
field has (an item reworded since) is kept as unplaced, never dropped unsaid.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from guide.collect.returned import Control, ControlKind
from guide.model import CheckItem, Document, FormField, walk
from guide.writers.word.controls import control_title

TEXTS = frozenset({"text", "multiline", "date"})
"""Kinds that hold each other's values: a PDF's date field is a text field, and LibreOffice turns
a plain-text control into rich text."""


@dataclass(frozen=True)
class Slot:
    """A field or checkbox of a form, as its writers named and titled it."""

    name: str
    label: str
    """Its accessible name: a PDF field's tooltip."""
    title: str
    """Its Word control's title (the label, cut and told apart as Word's titles are)."""
    kind: ControlKind


@dataclass
class Answers:
    """What a returned file answers, by field name, and what it holds that no field takes."""

    values: dict[str, str] = field(default_factory=dict)
    checks: dict[str, bool] = field(default_factory=dict)
    unplaced: list[Control] = field(default_factory=list)
    missing: list[Slot] = field(default_factory=list)
    """Fields of the form that the file does not have (an item added to the ladder since)."""


def slots(document: Document) -> list[Slot]:
    """Return the fields and checkboxes of `document`, in reading order (the order Word writes them)."""
    taken: set[str] = set()
    return [Slot(name, label, control_title(label, taken), kind) for name, label, kind in _fields(document)]


def _fields(document: Document) -> Iterator[tuple[str, str, ControlKind]]:
    for block in walk(document.blocks):
        if isinstance(block, FormField):
            yield block.name, block.label, block.kind
        elif isinstance(block, CheckItem):
            yield block.name, block.accessible_name, "check"
            if block.evidence_name:
                yield block.evidence_name, block.evidence_label, "multiline"


def placed(controls: tuple[Control, ...], form: list[Slot]) -> Answers:
    """Return the answers of `controls`, each put to its field of `form` (see the module's docstring)."""
    at = _placed_by_name_or_title(controls, form)
    positions = {slot.name: index for index, slot in enumerate(form)}
    taken = set(at.values())
    answers = Answers()
    cursor = 0
    for index, control in enumerate(controls):
        slot = at.get(index)
        if slot is None and not control.name and not control.title:
            slot = _next_free(
                form, cursor, _next_anchor(index, at, positions, len(form)), control.kind, taken
            )
        if slot is None:
            if control.value or control.checked:  # an empty one loses nothing
                answers.unplaced.append(control)
            continue
        taken.add(slot)
        cursor = positions[slot] + 1
        if control.kind == "check":
            answers.checks[slot] = control.checked
        else:
            answers.values[slot] = control.value
    answers.missing = [slot for slot in form if slot.name not in taken]
    return answers


def _placed_by_name_or_title(controls: tuple[Control, ...], form: list[Slot]) -> dict[int, str]:
    """Return the field name of each control (by its index) whose name or title is one of `form`'s."""
    by_name = {slot.name: slot for slot in form}
    by_title = {title: slot for slot in form for title in {slot.label, slot.title}}
    at: dict[int, str] = {}
    used: set[str] = set()
    for index, control in enumerate(controls):
        slot = by_name.get(control.name) or (by_title.get(control.title) if not control.name else None)
        if slot is not None and slot.name not in used and _holds(slot.kind, control.kind):
            at[index] = slot.name
            used.add(slot.name)
    return at


def _next_anchor(index: int, at: dict[int, str], positions: dict[str, int], end: int) -> int:
    """Return the position in the form of the next control after `index` placed by name or title."""
    return min((positions[name] for later, name in at.items() if later > index), default=end)


def _next_free(form: list[Slot], start: int, end: int, kind: ControlKind, taken: set[str]) -> str | None:
    return next(
        (slot.name for slot in form[start:end] if slot.name not in taken and _holds(slot.kind, kind)), None
    )


def _holds(slot_kind: ControlKind, control_kind: ControlKind) -> bool:
    return slot_kind == control_kind or {slot_kind, control_kind} <= TEXTS
