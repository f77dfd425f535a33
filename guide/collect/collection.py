"""Every returned file under the paths read, checked against its ladder, and joined into cases.

Problems are `file: message` lines and never stop the rest: a file that cannot be
read, is not guide's, comes from another ladder or an older version of this one,
answers what no field asks, or is a packet with no decision or missing sign-offs,
a checklist with unticked items, a second packet for one person.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from guide.collect.answers import Answers, Slot, placed, slots
from guide.collect.candidates import Case, Form, case_of, form_of, name_key, person_key
from guide.collect.limits import Refused
from guide.collect.returned import FORMATS, Returned, read_returned
from guide.documents import Piece, plan, render
from guide.errors import Location
from guide.i18n.dates import DateStyle
from guide.identity import content_hash
from guide.itemkeys import KEY_LENGTH, keyed
from guide.ladder import Ladder, Level
from guide.model import Document, shortened
from guide.render import Layouts

FORMS = {"packet": "packets", "checklist": "checklists"}
"""The products that are forms, and the plan's name for each."""

KEY = re.compile(rf"_(?P<key>[0-9a-f]{{{KEY_LENGTH}}}(?:_[0-9]+)?)(?:_evidence)?$")
"""Where an item's key sits in its fields' names (see `guide.itemkeys`)."""


@dataclass
class Collected:
    """What came back for one ladder: every form read, and the candidates they make."""

    ladder: Ladder
    forms: list[Form] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)


def files_under(paths: list[Path]) -> tuple[list[Path], list[Location]]:
    """Return the PDF and Word files that `paths` name or hold (folders searched), and the paths not there."""
    found, problems = [], []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if _is_form_file(p)))
        elif path.exists():
            found.append(path)
        else:
            problems.append(Location(path, None, None, "no such file or folder"))
    return list(dict.fromkeys(found)), problems


def _is_form_file(path: Path) -> bool:
    hidden = any(part.startswith((".", "~$")) for part in path.parts[-1:])  # Word's lock files: ~$name.docx
    return path.suffix.lower() in FORMATS and not hidden and path.is_file()


class Collector:
    """Reads returned files for `ladders` (by id), each against the form its layout makes now."""

    def __init__(self, ladders: list[Ladder], layouts: Layouts) -> None:
        self.ladders = {ladder.id: ladder for ladder in ladders}
        self.layouts = layouts
        self.collected = {ladder.id: Collected(ladder) for ladder in ladders}
        self.problems: list[Location] = []
        self.passed_over: list[tuple[Path, str]] = []
        self.forms: dict[tuple[str, str, str], tuple[Document, list[Slot]]] = {}

    def read(self, path: Path) -> None:
        """Read the file at `path` into its ladder's collection, noting its problems."""
        try:
            returned = read_returned(path)
        except Refused as error:
            self._problem(path, str(error))
            return
        for note in returned.notes:
            self._problem(path, note)
        place = self._place(returned)
        if place is not None:
            ladder, level, product = place
            self._add(returned, ladder, level, product)

    def _place(self, returned: Returned) -> tuple[Ladder, Level, str] | None:
        """Return the ladder, level and product `returned` is from, or None (said why) if none here."""
        identity, path = returned.identity, returned.path
        if "ladder" not in identity or "product" not in identity:
            self._problem(path, "not a form guide made: it does not say which ladder it is from")
            return None
        ladder = self.ladders.get(identity["ladder"])
        if ladder is None:
            here = ", ".join(f"'{name}'" for name in self.ladders)
            self._problem(
                path, f"made from the ladder '{identity['ladder']}', not the one collected ({here})"
            )
            return None
        product = identity["product"]
        if product not in FORMS:
            self.passed_over.append((path, f"a {product}, which holds no answers"))
            return None
        level = {level.id: level for level in ladder.levels}.get(identity.get("level", ""))
        if level is None:
            self._problem(
                path,
                f"a {product} for the level '{identity.get('level', '')}', which the ladder no longer has",
            )
            return None
        return ladder, level, product

    def _add(self, returned: Returned, ladder: Ladder, level: Level, product: str) -> None:
        document, form = self._form(ladder.id, product, level.id)
        answers = placed(returned.controls, form)
        _dates_as_iso(answers, form, self.layouts.catalogs.language(ladder.language).dates)
        if returned.identity.get("ladder_hash") != content_hash(ladder):
            self._problem(returned.path, _version_change(returned, ladder, level, answers))
        elif answers.unplaced:
            self._problem(returned.path, _unplaced(answers))
        read = form_of(str(returned.path), ladder, returned.identity, document, form, answers)
        self.collected[ladder.id].forms.append(read)

    def _form(self, ladder_id: str, product: str, level_id: str) -> tuple[Document, list[Slot]]:
        """Return the blank form that the ladder's layout makes now for `product` at `level_id` (rendered
        once for all the files of it)."""
        key = (ladder_id, product, level_id)
        if key not in self.forms:
            ladder = self.ladders[ladder_id]
            pieces = plan(ladder, (FORMS[product],), ("pdf",))
            document = render(self.layouts, next(piece for piece in pieces if _is_for(piece, level_id)))
            self.forms[key] = document, slots(document)
        return self.forms[key]

    def finish(self) -> list[Collected]:
        """Return what came back for each ladder that any form came from, its cases joined and checked."""
        done = [collected for collected in self.collected.values() if collected.forms]
        for collected in done:
            collected.cases = list(self._cases(collected))
        return done

    def _cases(self, collected: Collected) -> Iterator[Case]:
        """Yield a case per packet (with its checklist) and per checklist alone, by level then person."""
        ladder = collected.ladder
        packets = [form for form in collected.forms if form.product == "packet"]
        checklists = [form for form in collected.forms if form.product == "checklist"]
        self._report_seconds(packets, "packet")
        self._report_seconds(checklists, "checklist")
        joined: dict[tuple[str, str], Form] = {}
        for checklist in checklists:
            joined.setdefault((checklist.level.id, name_key(checklist)), checklist)
        cases = []
        for packet in packets:
            cases.append(case_of(ladder, packet, joined.pop((packet.level.id, name_key(packet)), None)))
        cases.extend(case_of(ladder, None, checklist) for checklist in joined.values())
        order = {level.id: index for index, level in enumerate(ladder.levels)}
        cases.sort(key=lambda case: (order[case.level.id], case.person.casefold(), case.person_id))
        for case in cases:
            self._check(case)
            yield case

    def _report_seconds(self, forms: list[Form], product: str) -> None:
        """Report each form for a person who already has one of `product`: both stay collected."""
        first: dict[tuple[str, str], Form] = {}
        for form in forms:
            key = person_key(form)
            if key[1] and key in first:
                message = (
                    f"a second {product} for {_whose(form)}, after {first[key].file}: both are in the summary"
                )
                self._problem(Path(form.file), message)
            first.setdefault(key, form)

    def _check(self, case: Case) -> None:
        """Note what a case lacks: a name, a decision, a signature, a ticked box."""
        for form in (case.packet, case.checklist):
            if form is not None and not form.person:
                self._problem(Path(form.file), f"no name in the {form.product}: whose is it?")
        if case.packet is not None:
            where = Path(case.packet.file)
            if not case.decision.strip():
                self._problem(where, "no committee decision")
            if case.missing_signatures:
                self._problem(where, f"not signed by: {', '.join(case.missing_signatures)}")
        if case.checklist is not None:
            unticked = case.checklist.unticked
            if unticked:
                total = len(case.checklist.checks)
                self._problem(
                    Path(case.checklist.file),
                    f"{len(unticked)} of {total} items not ticked: {_listed(unticked)}",
                )
            unsigned = [sign_off.role for sign_off in case.checklist.sign_offs if not sign_off.signed]
            if unsigned:
                self._problem(Path(case.checklist.file), f"not signed by: {', '.join(unsigned)}")

    def _problem(self, path: Path, message: str) -> None:
        self.problems.append(Location(path, None, None, message))


def _is_for(piece: Piece, level_id: str) -> bool:
    return piece.stem.rsplit("/", 1)[-1] == level_id


def _whose(form: Form) -> str:
    return (
        f"{form.person} ({form.person_id})"
        if form.person and form.person_id
        else form.person or form.person_id
    )


def _listed(texts: list[str], most: int = 3) -> str:
    shown = "; ".join(shortened(" ".join(text.split()), 60) for text in texts[:most])
    return shown + (f"; and {len(texts) - most} more" if len(texts) > most else "")


def _version_change(returned: Returned, ladder: Ladder, level: Level, answers: Answers) -> str:
    """Say what changed in the ladder since `returned` was made, as far as its answers show."""
    made = returned.identity.get("ladder_version", "")
    if made and made != ladder.version:
        said = f"made from version {made} of the ladder, now {ladder.version or 'unversioned'}"
    else:
        said = f"made from an earlier edit of the ladder{f' (version {made})' if made else ''}"
    texts = _item_texts(ladder, level)
    new = list(
        dict.fromkeys(
            texts[match["key"]]
            for slot in answers.missing
            if (match := KEY.search(slot.name)) and match["key"] in texts
        )
    )
    changes = []
    if new:
        changes.append(f"new since: {_listed(new)}")
    if answers.unplaced:
        changes.append(_unplaced(answers))
    if not any(control.name for control in returned.controls):
        changes.append("the program that saved it dropped its fields' names, so answers were placed by order:"
                       " check them against the file")  # fmt: skip
    return "; ".join([said, *changes])


def _dates_as_iso(answers: Answers, form: list[Slot], dates: DateStyle) -> None:
    """Put each date typed into `answers` in ISO 8601, as a date field of the ladder's language takes it
    (`31.12.2026` in German); a text that is no date stays as typed, for the committee to see."""
    for slot in form:
        typed = answers.values.get(slot.name, "") if slot.kind == "date" else ""
        date = dates.read(typed) if typed else None
        if date is not None:
            answers.values[slot.name] = date.isoformat()


def _unplaced(answers: Answers) -> str:
    count = len(answers.unplaced)
    return (
        f"{count} answer{'s' if count != 1 else ''} to items since reworded or removed, kept in summary.json"
    )


def _item_texts(ladder: Ladder, level: Level) -> dict[str, str]:
    """Return the text of each item a form of `level` asks about, by its key."""
    promotion = ladder.promotion
    lists = [level.expectations, level.skills, level.responsibilities, level.checklist,
             promotion.blockers if promotion else ()]  # fmt: skip
    texts = {key: item for items in lists for key, item in keyed(items)}
    criteria = promotion.criteria if promotion else ()
    return texts | {key: criterion.name for key, criterion in keyed(criteria, lambda c: c.name)}
