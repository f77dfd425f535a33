"""`guide export`: validated ladders as JSON, for HR systems and websites (the shape: docs/cli.md).

The JSON follows the ladder file: the same sections and keys, every key present
(absent text is "", absent lists are [], absent sections null), texts as the loader
stores them (trimmed, NFC). Each level adds what the file says only elsewhere: the
levels promoted into it and the tracks that hold it. Keys are sorted and lists keep the
file's order, so the same ladder always gives the same bytes.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from guide.files import write_atomic
from guide.ladder import Ladder, Level

FORMAT = "guide-ladder"
FORMAT_VERSION = 1
"""Raised when a key changes meaning or goes away; new keys may come without it."""

FILE_NAME = "ladder.json"


def ladder_data(ladder: Ladder) -> dict[str, Any]:
    """Return `ladder` as plain data: dicts, lists, strings and None."""
    about = {
        "id": ladder.id,
        "title": ladder.title,
        "subtitle": ladder.subtitle,
        "organization": ladder.organization,
        "version": ladder.version,
        "intro": ladder.intro,
    }
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "ladder": about,
        "levels": [_level(ladder, level) for level in ladder.levels],
        "tracks": [dataclasses.asdict(track) for track in ladder.tracks],
        "comparison": _optional(ladder.comparison),
        "promotion": _optional(ladder.promotion),
        "chapters": [dataclasses.asdict(chapter) for chapter in ladder.chapters],
        "faq": [dataclasses.asdict(question) for question in ladder.faq],
    }


def ladder_json(ladder: Ladder) -> bytes:
    """Return the JSON of `ladder`: UTF-8, two-space indent, sorted keys, a final newline."""
    text = json.dumps(ladder_data(ladder), ensure_ascii=False, indent=2, sort_keys=True)
    return (text + "\n").encode("utf-8")


def write_json(ladders: list[Ladder], out_dir: Path) -> Iterator[Path]:
    """Write each ladder to `out_dir/<ladder-id>/ladder.json`, whole or not at all; yield each path."""
    for ladder in ladders:
        path = out_dir / ladder.id / FILE_NAME
        write_atomic(path, ladder_json(ladder))
        yield path


def _level(ladder: Ladder, level: Level) -> dict[str, Any]:
    return dataclasses.asdict(level) | {
        "promoted_from": [source.id for source in ladder.promoted_from(level.id)],
        "tracks": [track.id for track in ladder.tracks_of(level.id)],
    }


def _optional(section: object) -> dict[str, Any] | None:
    return None if section is None else dataclasses.asdict(section)  # type: ignore[call-overload]
