"""The ladder format as a JSON Schema (draft 2020-12): editors complete keys and flag mistakes with it.

The schema says what a file can say about itself: its keys, which are required, their
types, slugs, and the limits of docs/ladder-format.md. It is built from the key tables
and limits of `guide.content`, so the two cannot drift apart. It cannot say what spans
the file: that a `next` names an existing level, that ids are unique, that a comparison
has one value per compared level, that promotions form no cycle. `guide validate`
checks those; their descriptions say so.

Texts are measured as written, where the loader measures them trimmed and in NFC: a
text at the very edge of a limit may be judged differently. Every keyword is written
out where it applies, with no `$ref`: editors that read older drafts drop the keywords
beside a `$ref`, and with them the description shown on hover.
"""

from __future__ import annotations

import json
from typing import Any

from guide import content, references

Schema = dict[str, Any]

_REFUSED_CHARACTERS = (
    r"\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f"  # control characters but tab and line ends
    r"\ufdd0-\ufdef\ufffe\uffff"  # non-characters
    r"\ue000-\uf8ff"  # private use
)
"""The characters the loader refuses in text, as far as a pattern can name them in both
ECMAScript (editors) and Python: those outside the first plane are left to the loader."""

TEXT_PATTERN = rf"^(?!\s*$)[^{_REFUSED_CHARACTERS}]*$"
"""Some character other than a space, and none that the loader refuses."""

_TEXT_RULES = (
    "Plain text: <, &, *, # and {{ }} are printed as written. "
    "Control, private-use and non-characters are refused."
)


def ladder_schema() -> Schema:
    """Return the JSON Schema of a ladder file, as a dict in the order it is printed."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"Career ladder (guide ladder format, schema {content.SCHEMA_VERSION})",
        "description": "One career ladder: its levels, tracks, promotion criteria and handbook chapters. "
        "Files are UTF-8, at most 2,000,000 bytes, one YAML document, no aliases (*name) and no tags. "
        "`guide validate` checks the rest: ids used once, level ids that exist, no promotion cycle.",
        **_mapping(content.TOP_KEYS, _top_properties()),
    }


def schema_text() -> str:
    """Return the schema as `guide schema` prints it: stable bytes, two-space indent, a final newline."""
    return json.dumps(ladder_schema(), indent=2, ensure_ascii=False) + "\n"


def _top_properties() -> dict[str, Schema]:
    return {
        "schema": {
            "description": f"The version of the ladder format: only {content.SCHEMA_VERSION} is known. "
            'A whole number: 1, not "1" or 1.0.',
            "type": "integer",
            "const": content.SCHEMA_VERSION,
        },
        "ladder": _mapping(
            content.LADDER_KEYS, _about_properties(), "What the ladder is: its id and the handbook's cover."
        ),
        "levels": _list(
            "The levels, ordered from most junior up. Level ids must be unique "
            "(guide validate checks it; a JSON Schema cannot).",
            _mapping(content.LEVEL_KEYS, _level_properties(), "One level of the ladder."),
        ),
        "tracks": _list(
            "Optional career tracks, such as individual contributor and management. Track ids must be "
            "unique (guide validate checks it).",
            _mapping(content.TRACK_KEYS, _track_properties(), "One track: a path through some levels."),
        ),
        "comparison": _mapping(
            content.COMPARISON_KEYS,
            _comparison_properties(),
            "Optional: a table of aspects across some levels.",
        ),
        "promotion": _promotion(),
        "chapters": _list("Optional free chapters of the handbook.", _chapter()),
        "faq": _list(
            "Optional questions and answers.",
            _mapping(content.QUESTION_KEYS, _question_properties(), "One question and its answer."),
        ),
    }


def _about_properties() -> dict[str, Schema]:
    return {
        "id": _slug("The ladder's id, used in output paths: output/<id>/."),
        "title": _line("The ladder's title, as in 'Product Management Career Ladder'."),
        "subtitle": _line("Optional: printed under the title."),
        "organization": _line("Optional: the organization, printed on covers and footers."),
        "version": _line(
            'Optional: printed in footers. Quote it (version: "2026.1"), or YAML reads a number.'
        ),
        "language": {
            "type": "string",
            "pattern": "^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$",
            "description": "Optional: the ladder's language, a BCP 47 tag (en, de, zh-Hans); en if absent.",
        },
        "intro": _texts("Optional: paragraphs of plain text that open the handbook."),
    }


def _level_properties() -> dict[str, Schema]:
    return {
        "id": _slug(
            "The level's id, unique among levels, named by 'next', a track's 'levels' and "
            "'comparison.levels'; used in output file names."
        ),
        "title": _line("The level's title, as in 'Associate Product Manager'."),
        "short": _line("Optional abbreviation, as in 'APM'."),
        "code": _line("Optional company level code, as in 'L3'."),
        "summary": _text("One paragraph about the level."),
        "experience": _line("Optional, free text, as in '0-2 years'."),
        "responsibilities": _texts("What the person owns: at least one item."),
        "skills": _texts("The skills the work calls for: at least one item."),
        "expectations": _texts("What we expect to see at this level: at least one item."),
        "checklist": _texts("Optional extra items for this level's promotion checklist."),
        "next": _slugs(
            "Optional: the ids of the levels this level is promoted to. Each must name a level of this "
            "file, promotions must not form a cycle and at most "
            f"{references.MAX_PROMOTIONS} levels may name one level: guide validate checks these; "
            "a JSON Schema cannot.",
            most=references.MAX_PROMOTIONS,
        ),
        "path_to_next": _text("Optional: how to grow into the next level."),
    }


def _track_properties() -> dict[str, Schema]:
    return {
        "id": _slug("The track's id, unique among tracks."),
        "name": _line("The track's name, as in 'Individual contributor'."),
        "summary": _text("Optional: what the track is."),
        "levels": _slugs(
            "The ids of the track's levels, in order; a level may sit in several tracks. Each must name "
            "a level of this file (guide validate checks it; a JSON Schema cannot)."
        ),
        "best_for": _texts("Optional: who the track suits."),
        "challenges": _texts("Optional: what is hard on this track."),
    }


def _comparison_properties() -> dict[str, Schema]:
    aspect = {
        "name": _line("The aspect compared, as in 'Primary focus'."),
        "values": _list(
            "One value per compared level, in the order of 'comparison.levels' "
            "(guide validate checks the count; a JSON Schema cannot).",
            _line("The aspect at one level."),
        ),
    }
    return {
        "levels": _slugs(
            "The ids of the compared levels, one column each. Each must name a level of this file "
            "(guide validate checks it; a JSON Schema cannot)."
        ),
        "aspects": _list(
            "The rows of the table.",
            _mapping(content.ASPECT_KEYS, aspect, "One row: an aspect and its value at each level."),
        ),
    }


def _promotion() -> Schema:
    criterion = {
        "name": _line("The criterion, as in 'Impact'."),
        "description": _text("What the criterion asks for."),
    }
    properties = {
        "criteria": _list(
            "What gets people promoted.",
            _mapping(content.CRITERION_KEYS, criterion, "One criterion: its name and description."),
        ),
        "blockers": _texts("Common reasons promotions stall."),
    }
    description = "Optional: what promotions rest on. Give criteria, blockers or both."
    return _mapping(content.PROMOTION_KEYS, properties, description) | _needs_one_of("criteria", "blockers")


def _chapter() -> Schema:
    properties = {
        "title": _line("The chapter's title."),
        "paragraphs": _texts("Paragraphs of plain text."),
        "bullets": _texts("Bulleted items."),
    }
    description = "A free chapter of the handbook: a title, with paragraphs, bullets or both."
    return _mapping(content.CHAPTER_KEYS, properties, description) | _needs_one_of("paragraphs", "bullets")


def _question_properties() -> dict[str, Schema]:
    return {"question": _line("The question."), "answer": _text("The answer.")}


def _mapping(known: dict[str, bool], properties: dict[str, Schema], description: str = "") -> Schema:
    """Return an object schema with `properties`, whose required keys are those `known` marks so."""
    if set(known) != set(properties):
        raise AssertionError(
            f"schema properties {sorted(properties)} differ from the loader's {sorted(known)}"
        )
    schema: Schema = {"description": description} if description else {}
    return schema | {
        "type": "object",
        "properties": {
            name: properties[name] if known[name] else _may_be_empty(properties[name]) for name in known
        },
        "required": [name for name, required in known.items() if required],
        "additionalProperties": False,
    }


def _may_be_empty(schema: Schema) -> Schema:
    """Return `schema` for an optional key, which may also be left empty (`subtitle:`): as if absent."""
    kind = schema.get("type")
    return schema | {"type": [kind, "null"]} if isinstance(kind, str) else schema


def _needs_one_of(*names: str) -> Schema:
    """Return the rule that at least one of the keys `names` is present."""
    return {"anyOf": [{"required": [name]} for name in names]}


def _text(description: str) -> Schema:
    return {
        "description": f"{description} {_TEXT_RULES} At most {content.MAX_TEXT_CHARS:,} characters.",
        "type": "string",
        "pattern": TEXT_PATTERN,
        "maxLength": content.MAX_TEXT_CHARS,
    }


def _line(description: str) -> Schema:
    return {
        "description": f"{description} One line: line breaks become spaces. {_TEXT_RULES} "
        f"At most {content.MAX_LINE_CHARS} characters.",
        "type": "string",
        "pattern": TEXT_PATTERN,
        "maxLength": content.MAX_LINE_CHARS,
    }


def _slug(description: str) -> Schema:
    return {
        "description": f"{description} A slug: lower-case letters and digits joined by single hyphens, "
        f"as in 'senior-pm'. At most {content.MAX_ID_CHARS} characters.",
        "type": "string",
        "pattern": content.SLUG.pattern,
        "maxLength": content.MAX_ID_CHARS,
    }


def _list(description: str, item: Schema, most: int = content.MAX_LIST_ITEMS) -> Schema:
    return {
        "description": f"{description} A list of 1 to {most:,} items.",
        "type": "array",
        "minItems": 1,
        "maxItems": most,
        "items": item,
    }


def _texts(description: str) -> Schema:
    return _list(description, _text("One item."))


def _slugs(description: str, most: int = content.MAX_LIST_ITEMS) -> Schema:
    return _list(description, _slug("A level id."), most) | {"uniqueItems": True}
