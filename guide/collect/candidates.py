"""What the committee reads: each candidate's packet (and checklist) as answers to the ladder's items.

The shipped layouts name their fields by convention, which this module reads (and
docs/cli.md lists): the packet's `decision`, `decision_date`, `decision_reason`,
`case_summary`, `manager_recommendation`, `evidence_expectation_<key>` and
`links_expectation_<key>`, `evidence_criterion_<key>`, `skill_rating_<key>` and
`skill_comment_<key>`, `peer_<n>_name` and `peer_<n>_feedback`; any signature with a
date field is a sign-off, its signer's name in `<date field without _date>_name`.
Keys are `guide.itemkeys`'. Whatever else a layout asks is kept in `fields`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from guide.collect.answers import Answers, Slot
from guide.collect.returned import Control
from guide.itemkeys import keyed
from guide.ladder import Ladder, Level
from guide.model import Document, SignatureLine, walk

PEER = re.compile(r"peer_(?P<number>[0-9]+)_name")


@dataclass(frozen=True)
class ItemAnswer:
    """An item of the ladder (an expectation, a skill) and what a form answers to it."""

    item: str
    answer: str
    note: str = ""
    """A second answer beside it: an expectation's links, a skill rating's comment."""


@dataclass(frozen=True)
class SignOff:
    """A signature of a form: who signs, their name if typed, the date if signed."""

    role: str
    name: str
    date: str

    @property
    def signed(self) -> bool:
        return bool(self.date.strip())


@dataclass(frozen=True)
class Form:
    """One returned file, read: what it is, whose, and its answers."""

    file: str
    product: str
    level: Level
    person: str
    person_id: str
    version: str
    """The ladder version it was made from."""
    fields: dict[str, str]
    checks: dict[str, bool]
    check_labels: dict[str, str]
    sign_offs: tuple[SignOff, ...]
    unplaced: tuple[dict[str, str], ...]

    @property
    def ticked(self) -> list[str]:
        return [self.check_labels[name] for name, checked in self.checks.items() if checked]

    @property
    def unticked(self) -> list[str]:
        return [self.check_labels[name] for name, checked in self.checks.items() if not checked]


@dataclass(frozen=True)
class Case:
    """A candidate for the committee: their packet and, if it came in, their checklist for the level."""

    person: str
    person_id: str
    level: Level
    packet: Form | None
    checklist: Form | None
    decision: str
    decision_date: str
    decision_reason: str
    case_summary: str
    recommendation: str
    expectations: tuple[ItemAnswer, ...]
    criteria: tuple[ItemAnswer, ...]
    ratings: tuple[ItemAnswer, ...]
    peers: tuple[ItemAnswer, ...]
    sign_offs: tuple[SignOff, ...]

    @property
    def evidenced(self) -> int:
        """How many of the level's expectations have evidence."""
        return sum(1 for answer in self.expectations if answer.answer.strip())

    @property
    def missing_signatures(self) -> list[str]:
        return [sign_off.role for sign_off in self.sign_offs if not sign_off.signed]


def form_of(file: str, ladder: Ladder, identity: dict[str, str], document: Document,
            form: list[Slot], answers: Answers) -> Form:  # fmt: skip
    """Return the form read from `file`: `answers` to the fields `form` of `document`."""
    meta = document.meta
    values = answers.values
    person = " ".join(values.get(meta.person_field, "").split()) or identity.get("person", "")
    person_id = " ".join(values.get(meta.person_id_field, "").split()) or identity.get("person_id", "")
    labels = {slot.name: slot.label for slot in form}
    unplaced = tuple(
        {"name": control.name, "title": control.title, "value": _answer(control)}
        for control in answers.unplaced
    )
    return Form(
        file, identity.get("product", ""), ladder.level(identity["level"]), person, person_id,
        identity.get("ladder_version", ""), dict(values), dict(answers.checks),
        {name: labels[name] for name in answers.checks}, tuple(_sign_offs(document, values)), unplaced,
    )  # fmt: skip


def _answer(control: Control) -> str:
    return ("ticked" if control.checked else "not ticked") if control.kind == "check" else control.value


def _sign_offs(document: Document, values: dict[str, str]) -> Iterable[SignOff]:
    for block in walk(document.blocks):
        if isinstance(block, SignatureLine) and block.date is not None:
            stem = block.date.name.removesuffix("_date")
            yield SignOff(block.label, values.get(f"{stem}_name", ""), values.get(block.date.name, ""))


def case_of(ladder: Ladder, packet: Form | None, checklist: Form | None) -> Case:
    """Return the case of a candidate from their packet and checklist (at least one of them)."""
    known = packet or checklist
    assert known is not None, "a case has a packet or a checklist"
    values = packet.fields if packet else {}
    level = known.level
    criteria = ladder.promotion.criteria if ladder.promotion else ()
    return Case(
        person=known.person,
        person_id=known.person_id or (checklist.person_id if checklist else ""),
        level=level,
        packet=packet,
        checklist=checklist,
        decision=values.get("decision", ""),
        decision_date=values.get("decision_date", ""),
        decision_reason=values.get("decision_reason", ""),
        case_summary=values.get("case_summary", ""),
        recommendation=values.get("manager_recommendation", ""),
        expectations=_answers(level.expectations, values, "evidence_expectation", "links_expectation"),
        criteria=tuple(
            ItemAnswer(
                criterion.name,
                values.get(f"evidence_criterion_{key}", ""),
                values.get(f"links_criterion_{key}", ""),
            )
            for key, criterion in keyed(criteria, lambda criterion: criterion.name)
        ),  # fmt: skip
        ratings=_answers(level.skills, values, "skill_rating", "skill_comment"),
        peers=tuple(_peers(values)),
        sign_offs=(packet or known).sign_offs,
    )


def _answers(
    items: tuple[str, ...], values: dict[str, str], answer: str, note: str
) -> tuple[ItemAnswer, ...]:
    return tuple(
        ItemAnswer(item, values.get(f"{answer}_{key}", ""), values.get(f"{note}_{key}", ""))
        for key, item in keyed(items)
    )


def _peers(values: dict[str, str]) -> Iterable[ItemAnswer]:
    for name, value in values.items():
        match = PEER.fullmatch(name)
        feedback = values.get(f"peer_{match['number']}_feedback", "") if match else ""
        if match and (value.strip() or feedback.strip()):
            yield ItemAnswer(value, feedback)


def person_key(form: Form) -> tuple[str, str]:
    """Return what tells one person from another: their id if given, else their name, any case."""
    return ("id", form.person_id.casefold()) if form.person_id else ("name", name_key(form))


def name_key(form: Form) -> str:
    """Return the person's name as compared: any case, spaces as one."""
    return " ".join(form.person.casefold().split())


def as_data(value: Any) -> Any:
    """Return `value` (a case, a form, and what they hold) as JSON data."""
    if isinstance(value, Level):
        return {"id": value.id, "title": value.title, "label": value.label}
    if isinstance(value, Case | Form | ItemAnswer | SignOff):
        data = {name: as_data(getattr(value, name)) for name in value.__dataclass_fields__}
        extra = {
            Case: ("evidenced", "missing_signatures"),
            Form: ("ticked", "unticked"),
            SignOff: ("signed",),
        }.get(type(value), ())
        return data | {name: as_data(getattr(value, name)) for name in extra}
    if isinstance(value, tuple | list):
        return [as_data(item) for item in value]
    if isinstance(value, dict):
        return {key: as_data(item) for key, item in value.items()}
    return value
