"""The summaries `collect` writes: a CSV row per candidate for spreadsheets, and JSON of everything read.

summary.json's shape is `FORMAT` version `VERSION` (docs/cli.md lists its keys); a key
is only ever added within a version. The CSV starts with a byte-order mark, so Excel
reads it as UTF-8, and a cell that a spreadsheet would run as a formula (starting
with = + - @ or a tab) is written after an apostrophe, which spreadsheets hide.
"""

from __future__ import annotations

import csv
import io
import json

from guide.collect.candidates import Case, as_data
from guide.collect.collection import Collected
from guide.errors import Location
from guide.identity import content_hash

FORMAT = "guide-committee-summary"
VERSION = 1

COLUMNS = ("person", "employee_id", "level", "level_title", "decision", "decision_date", "ratings",
           "expectations_with_evidence", "expectations", "signed_by", "not_signed_by", "checklist",
           "packet_file", "checklist_file")  # fmt: skip

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def summary_csv(collected: Collected) -> bytes:
    """Return the CSV of `collected`'s candidates, one row each, in the committee pack's order."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for case in collected.cases:
        writer.writerow(_safe(value) for value in _row(case))
    return ("\ufeff" + out.getvalue()).encode()


def _row(case: Case) -> tuple[str, ...]:
    checklist = case.checklist
    ticked = f"{len(checklist.ticked)} of {len(checklist.checks)} ticked" if checklist else ""
    ratings = "; ".join(f"{answer.item}: {answer.answer}" for answer in case.ratings if answer.answer)
    signed = [sign_off.role for sign_off in case.sign_offs if sign_off.signed]
    return (
        case.person, case.person_id, case.level.id, case.level.label, case.decision, case.decision_date,
        ratings, str(case.evidenced), str(len(case.expectations)), ", ".join(signed),
        ", ".join(case.missing_signatures), ticked, case.packet.file if case.packet else "",
        checklist.file if checklist else "",
    )  # fmt: skip


def _safe(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def summary_json(collected: Collected, problems: list[Location]) -> bytes:
    """Return everything read for `collected`'s ladder as JSON, with every problem of the run."""
    ladder = collected.ladder
    data = {
        "format": FORMAT,
        "version": VERSION,
        "ladder": {
            "id": ladder.id,
            "title": ladder.title,
            "version": ladder.version,
            "hash": content_hash(ladder),
        },
        "candidates": as_data(collected.cases),
        "problems": [{"file": str(problem.path), "message": problem.message} for problem in problems],
    }
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode()
