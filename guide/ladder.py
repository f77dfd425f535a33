"""The ladder as layouts see it: frozen, validated, free of YAML.

Absent optional text is "" and absent optional lists are (), never None, so a
layout can test `{% if level.short %}` and never prints "None".
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from guide.model import DEFAULT_LANGUAGE


@dataclass(frozen=True)
class Place:
    """Where a text stands in a ladder file: its line and column, and its source if plain on one line."""

    line: int
    col: int
    inline: str = ""
    """The text as written from `col` on, for a plain scalar on one line: where each character is."""

    def of(self, run: str) -> tuple[int, int]:
        """Return the line and column of `run` in the text here: its own where known, else the text's."""
        offset = self.inline.find(run) if self.inline else -1
        return self.line, self.col + max(offset, 0)


_NOT_PRINTED = {"id", "source", "next", "language", "places"}
"""Fields that hold ids or paths, not text people read (and see `_holds_ids`)."""


@dataclass(frozen=True)
class Level:
    id: str
    title: str
    summary: str
    responsibilities: tuple[str, ...]
    skills: tuple[str, ...]
    expectations: tuple[str, ...]
    short: str = ""
    code: str = ""
    experience: str = ""
    checklist: tuple[str, ...] = ()
    next: tuple[str, ...] = ()
    path_to_next: str = ""

    @property
    def label(self) -> str:
        """Return the title with its code, as in "Senior Product Manager (L5)"."""
        return f"{self.title} ({self.code})" if self.code else self.title


@dataclass(frozen=True)
class Track:
    id: str
    name: str
    levels: tuple[str, ...]
    summary: str = ""
    best_for: tuple[str, ...] = ()
    challenges: tuple[str, ...] = ()


@dataclass(frozen=True)
class Aspect:
    name: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Comparison:
    levels: tuple[str, ...]
    aspects: tuple[Aspect, ...]


@dataclass(frozen=True)
class Criterion:
    name: str
    description: str


@dataclass(frozen=True)
class Promotion:
    criteria: tuple[Criterion, ...] = ()
    blockers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Chapter:
    title: str
    paragraphs: tuple[str, ...] = ()
    bullets: tuple[str, ...] = ()


@dataclass(frozen=True)
class Question:
    question: str
    answer: str


@dataclass(frozen=True)
class Ladder:
    """A whole, valid ladder file. `source` is the file it was read from."""

    source: Path
    id: str
    title: str
    levels: tuple[Level, ...]
    subtitle: str = ""
    organization: str = ""
    version: str = ""
    language: str = DEFAULT_LANGUAGE
    """A BCP 47 tag: the language whose dictionary hyphenates the ladder's words."""
    intro: tuple[str, ...] = ()
    tracks: tuple[Track, ...] = ()
    comparison: Comparison | None = None
    promotion: Promotion | None = None
    chapters: tuple[Chapter, ...] = ()
    faq: tuple[Question, ...] = ()
    places: Mapping[str, Sequence[Place]] = dataclasses.field(default_factory=dict, compare=False, repr=False)
    """Where each text stands in `source`: every place that holds it."""

    def texts(self) -> Iterator[str]:
        """Yield every text of the ladder that documents print (not ids)."""
        return _texts(self)

    def level(self, level_id: str) -> Level:
        """Return the level whose id is `level_id` (KeyError if there is none)."""
        if level_id in self._levels_by_id:
            return self._levels_by_id[level_id]
        known = ", ".join(level.id for level in self.levels)
        raise KeyError(f"no level has the id '{level_id}' (the levels are {known})")

    def promoted_from(self, level_id: str) -> tuple[Level, ...]:
        """Return the levels whose `next` names `level_id`, most junior first."""
        return self._sources_by_target.get(level_id, ())

    def promotion_targets(self) -> tuple[Level, ...]:
        """Return the levels that some level is promoted to: those that get a packet."""
        return tuple(level for level in self.levels if level.id in self._sources_by_target)

    def tracks_of(self, level_id: str) -> tuple[Track, ...]:
        """Return the tracks that hold `level_id`."""
        return self._tracks_by_level.get(level_id, ())

    # Indexes built on first use, so that a layout asking about every level of a
    # ladder of a thousand levels, each promoted to hundreds, does linear work.
    # They live in the instance's __dict__ (cached_property), not in its fields.

    @functools.cached_property
    def _levels_by_id(self) -> dict[str, Level]:
        """Level id -> the first level with that id."""
        levels: dict[str, Level] = {}
        for level in self.levels:
            levels.setdefault(level.id, level)
        return levels

    @functools.cached_property
    def _sources_by_target(self) -> dict[str, tuple[Level, ...]]:
        """Level id -> the levels whose `next` names it, in the order of `levels`."""
        sources: dict[str, list[Level]] = {}
        for level in self.levels:
            for target in dict.fromkeys(level.next):
                sources.setdefault(target, []).append(level)
        return {target: tuple(levels) for target, levels in sources.items()}

    @functools.cached_property
    def _tracks_by_level(self) -> dict[str, tuple[Track, ...]]:
        """Level id -> the tracks that hold it, in the order of `tracks`."""
        tracks: dict[str, list[Track]] = {}
        for track in self.tracks:
            for level_id in dict.fromkeys(track.levels):
                tracks.setdefault(level_id, []).append(track)
        return {level_id: tuple(held) for level_id, held in tracks.items()}


def _texts(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, tuple):
        for item in value:
            yield from _texts(item)
    elif dataclasses.is_dataclass(value):
        for field in dataclasses.fields(value):
            content = getattr(value, field.name)
            if field.name not in _NOT_PRINTED and not _holds_ids(field.name, content):
                yield from _texts(content)


def _holds_ids(name: str, content: object) -> bool:
    """Return True for the `levels` of a track or comparison: ids, where a ladder's own are levels."""
    return name == "levels" and isinstance(content, tuple) and all(isinstance(item, str) for item in content)
