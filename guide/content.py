"""Ladder YAML -> Ladder: every rule of the format, every error with file:line:col, all at once."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from guide import references
from guide.errors import ContentError, Location, unknown_name_message
from guide.ladder import (
    Aspect,
    Chapter,
    Comparison,
    Criterion,
    Ladder,
    Level,
    Place,
    Promotion,
    Question,
    Track,
)
from guide.model import DEFAULT_LANGUAGE
from guide.yamlfile import Node, key_of_colon_in_text, read_yaml

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
MAX_ID_CHARS = 64
"""The longest id: ids name folders and files (`<ladder-id>/checklists/<level-id>.pdf`, a roster's
`<person>-<level-id>.docx`), and the temporary file written first adds some 30 characters to a
name, which may have 255 bytes in all."""
SCHEMA_VERSION = 1
_DIGITS = re.compile(r"[-+]?[0-9]+")
"""A whole number as `schema` may be written: YAML 1.1 also reads 0x1, 0b1, 1_0 and 1:00 as ones."""

MAX_LIST_ITEMS = 1000
"""The most items a list may hold: far beyond any real ladder, and drawn in seconds still."""

_SPACES = re.compile(r"[ \t\n\r\f\v]+")
"""Spaces and line breaks, which fold into one space in a one-line text (no-break spaces stay)."""

LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*")
"""A BCP 47 language tag: a language, then optional script, region and variant subtags."""

MAX_LINE_CHARS = 300
"""The longest one-line text (a title, a name, a question): longer ones are paragraphs gone astray,
and would not fit a heading, a table cell or a running header."""

MAX_TEXT_CHARS = 50_000
"""The longest text a value may hold (some 20 printed pages): beyond it, a paste gone wrong."""

# Each mapping's keys: name -> required.
TOP_KEYS = {
    "schema": True,
    "ladder": True,
    "levels": True,
    "tracks": False,
    "comparison": False,
    "promotion": False,
    "chapters": False,
    "faq": False,
}
LADDER_KEYS = {
    "id": True,
    "title": True,
    "subtitle": False,
    "organization": False,
    "version": False,
    "language": False,
    "intro": False,
}
LEVEL_KEYS = {
    "id": True,
    "title": True,
    "short": False,
    "code": False,
    "summary": True,
    "experience": False,
    "responsibilities": True,
    "skills": True,
    "expectations": True,
    "checklist": False,
    "next": False,
    "path_to_next": False,
}
TRACK_KEYS = {
    "id": True,
    "name": True,
    "summary": False,
    "levels": True,
    "best_for": False,
    "challenges": False,
}
COMPARISON_KEYS = {"levels": True, "aspects": True}
ASPECT_KEYS = {"name": True, "values": True}
PROMOTION_KEYS = {"criteria": False, "blockers": False}
CRITERION_KEYS = {"name": True, "description": True}
CHAPTER_KEYS = {"title": True, "paragraphs": False, "bullets": False}
QUESTION_KEYS = {"question": True, "answer": True}

_YAML_TYPE_NAMES = {
    "bool": "a boolean",
    "int": "a number",
    "float": "a number",
    "date": "a date",
    "text": "text",
    "map": "a mapping",
    "list": "a list",
}


def load_ladder(path: Path) -> Ladder:
    """Return the ladder in `path`, or raise ContentError listing every problem in it."""
    reader = LadderReader(path)
    root = read_yaml(path, reader.problems)
    ladder = reader.ladder(root)
    if reader.problems:
        raise ContentError(reader.problems)
    assert ladder is not None
    return ladder


class FieldReader:
    """Typed access to YAML nodes that records a located problem instead of raising."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[Location] = []
        self.places: dict[str, list[Place]] = {}
        """Where each text read stands in the file: every node that holds it."""

    def _placed(self, value: str, node: Node) -> str:
        places = self.places.setdefault(value, [])
        place = Place(node.line, node.col, node.text if node.inline else "")
        if place not in places:
            places.append(place)
        return value

    def fail(self, node: Node | None, message: str) -> None:
        self.problems.append(Location.at(self.path, node, message))

    def fields(self, node: Node, known: dict[str, bool], what: str) -> dict[str, Node]:
        """Return the present keys of mapping `node`; report unknown and missing keys."""
        if node.kind != "map":
            self.fail(node, f"{what} must be a mapping of keys")
            return {}
        present: dict[str, Node] = {}
        for key, value in node.pairs:
            name = key.value if key.kind == "text" else None
            if name in known and value.kind == "null" and not known[name]:
                continue  # an optional key left empty (`subtitle:`) means what leaving it out means
            if name in known:
                present[name] = value
            else:
                shown = key.text if isinstance(key.value, str) else f"({key.kind})"
                unknown = f"unknown key '{shown}' in {what}"
                self.fail(key, unknown_name_message(unknown, shown, known, "known keys"))
        for name, required in known.items():
            if required and name not in present:
                self.fail(node, f"{what} is missing '{name}'")
        return present

    def language(self, node: Node | None) -> str:
        """Return the ladder's language, a BCP 47 tag (`de`, `fr-CA`, `zh-Hans`); English without one."""
        if node is None:
            return DEFAULT_LANGUAGE
        tag = self.line(node, "'language'")
        if tag and not LANGUAGE_TAG.fullmatch(tag):
            self.fail(
                node,
                f"'language' must be a BCP 47 tag such as en, de, fr-CA or zh-Hans, not {tag!r}",
            )
        return self._placed(tag, node) if tag else DEFAULT_LANGUAGE

    def line(self, node: Node | None, name: str) -> str:
        """Return one line of text: surrounding space stripped, inner runs of space folded."""
        value = _SPACES.sub(" ", self.text(node, name))
        if len(value) > MAX_LINE_CHARS:
            self.fail(node, f"{name} has {len(value):,} characters: one line may have {MAX_LINE_CHARS}")
        return self._placed(value, node) if node is not None else value

    def text(self, node: Node | None, name: str) -> str:
        """Return text that may hold line breaks (from a `|` block), trimmed, in Unicode NFC form.

        NFC writes an accented letter as one character where Unicode has one (as most
        editors do), so PDFs draw the font's own accented glyph. LINE and PARAGRAPH
        SEPARATOR (U+2028, U+2029) are line breaks, as `splitlines` reads them.
        """
        if node is None:
            return ""
        if node.kind == "text":
            lines = unicodedata.normalize("NFC", node.text).strip().splitlines()
            value = "\n".join(line.rstrip() for line in lines)
            if not value:
                self.fail(node, f"{name} is empty")
            if len(value) > MAX_TEXT_CHARS:
                self.fail(
                    node, f"{name} has {len(value):,} characters: at most {MAX_TEXT_CHARS:,} are allowed"
                )
            return self._placed(value, node)
        self.fail(node, _type_message(node, name, "text"))
        return ""

    def slug(self, node: Node | None, name: str) -> str:
        value = self.text(node, name)  # not `line`: an id has its own, shorter limit
        if len(value) > MAX_ID_CHARS:
            self.fail(node, f"{name} has {len(value):,} characters: an id may have at most {MAX_ID_CHARS}")
            return ""
        if value and not SLUG.match(value):
            self.fail(
                node,
                f"{name} must be a slug: lower-case letters and digits joined by "
                f"single hyphens, like 'senior-pm' (got '{value}')",
            )
            return ""
        return value

    def items(self, node: Node | None, name: str) -> list[Node]:
        """Return the item nodes of a non-empty list."""
        if node is None:
            return []
        if node.kind == "null":
            self.fail(node, f"{name} is empty: give at least one item")
            return []
        if node.kind != "list":
            self.fail(node, _type_message(node, name, "list") + " (start each item with '- ')")
            return []
        if not node.items:
            self.fail(node, f"{name} is empty: give at least one item")
        if len(node.items) > MAX_LIST_ITEMS:
            self.fail(node, f"{name} has {len(node.items):,} items: at most {MAX_LIST_ITEMS:,} are allowed")
            return []
        return node.items

    def texts(self, node: Node | None, name: str) -> tuple[str, ...]:
        return tuple(
            self.text(item, f"item {number} of {name}")
            for number, item in enumerate(self.items(node, name), 1)
        )

    def slugs(self, node: Node | None, name: str) -> tuple[str, ...]:
        return tuple(
            self.slug(item, f"item {number} of {name}")
            for number, item in enumerate(self.items(node, name), 1)
        )


class LadderReader(FieldReader):
    """Reads the ladder format, version 1 (see docs/ladder-format.md)."""

    def ladder(self, root: Node) -> Ladder | None:
        top = self.fields(root, TOP_KEYS, "the ladder file")
        self._schema(top.get("schema"))
        about = self.fields(top["ladder"], LADDER_KEYS, "'ladder'") if "ladder" in top else {}
        levels = [self._level(node) for node in self.items(top.get("levels"), "'levels'")]
        tracks = [self._track(node) for node in self.items(top.get("tracks"), "'tracks'")]
        chapters = [self._chapter(node) for node in self.items(top.get("chapters"), "'chapters'")]
        faq = [self._question(node) for node in self.items(top.get("faq"), "'faq'")]
        comparison = self._comparison(top.get("comparison"))
        promotion = self._promotion(top.get("promotion"))
        references.check(self, top)
        return Ladder(
            source=self.path,
            id=self.slug(about.get("id"), "'id'"),
            title=self.line(about.get("title"), "'title'"),
            subtitle=self.line(about.get("subtitle"), "'subtitle'"),
            organization=self.line(about.get("organization"), "'organization'"),
            version=self.line(about.get("version"), "'version'"),
            language=self.language(about.get("language")),
            intro=self.texts(about.get("intro"), "'intro'"),
            levels=tuple(levels),
            tracks=tuple(tracks),
            comparison=comparison,
            promotion=promotion,
            chapters=tuple(chapters),
            faq=tuple(faq),
            places=self.places,  # every text is read by now
        )

    def _schema(self, node: Node | None) -> None:
        if node is None:
            return
        if node.kind != "int":
            self.fail(node, _type_message(node, "'schema'", "whole number"))
        elif not _DIGITS.fullmatch(node.text):
            self.fail(node, f"'schema' must be written in digits, like {SCHEMA_VERSION}, not {node.text}")
        elif int(node.text) != SCHEMA_VERSION:
            self.fail(node, f"schema {node.text} is not known: this version of guide reads schema 1")

    def _level(self, node: Node) -> Level:
        f = self.fields(node, LEVEL_KEYS, _named("level", node))
        return Level(
            id=self.slug(f.get("id"), "'id'"),
            title=self.line(f.get("title"), "'title'"),
            short=self.line(f.get("short"), "'short'"),
            code=self.line(f.get("code"), "'code'"),
            summary=self.text(f.get("summary"), "'summary'"),
            experience=self.line(f.get("experience"), "'experience'"),
            responsibilities=self.texts(f.get("responsibilities"), "'responsibilities'"),
            skills=self.texts(f.get("skills"), "'skills'"),
            expectations=self.texts(f.get("expectations"), "'expectations'"),
            checklist=self.texts(f.get("checklist"), "'checklist'"),
            next=self.slugs(f.get("next"), "'next'"),
            path_to_next=self.text(f.get("path_to_next"), "'path_to_next'"),
        )

    def _track(self, node: Node) -> Track:
        f = self.fields(node, TRACK_KEYS, _named("track", node))
        return Track(
            id=self.slug(f.get("id"), "'id'"),
            name=self.line(f.get("name"), "'name'"),
            summary=self.text(f.get("summary"), "'summary'"),
            levels=self.slugs(f.get("levels"), "'levels'"),
            best_for=self.texts(f.get("best_for"), "'best_for'"),
            challenges=self.texts(f.get("challenges"), "'challenges'"),
        )

    def _comparison(self, node: Node | None) -> Comparison | None:
        if node is None:
            return None
        f = self.fields(node, COMPARISON_KEYS, "'comparison'")
        aspects = []
        for item in self.items(f.get("aspects"), "'aspects'"):
            a = self.fields(item, ASPECT_KEYS, "an aspect")
            values = tuple(
                self.line(value, f"value {number} of 'values'")
                for number, value in enumerate(self.items(a.get("values"), "'values'"), 1)
            )
            aspects.append(Aspect(self.line(a.get("name"), "'name'"), values))
        return Comparison(self.slugs(f.get("levels"), "'levels'"), tuple(aspects))

    def _promotion(self, node: Node | None) -> Promotion | None:
        if node is None:
            return None
        f = self.fields(node, PROMOTION_KEYS, "'promotion'")
        if node.kind == "map" and not f:
            self.fail(node, "'promotion' needs 'criteria' or 'blockers'")
        criteria = []
        for item in self.items(f.get("criteria"), "'criteria'"):
            c = self.fields(item, CRITERION_KEYS, "a criterion")
            criteria.append(
                Criterion(
                    self.line(c.get("name"), "'name'"), self.text(c.get("description"), "'description'")
                )
            )
        return Promotion(tuple(criteria), self.texts(f.get("blockers"), "'blockers'"))

    def _chapter(self, node: Node) -> Chapter:
        f = self.fields(node, CHAPTER_KEYS, "a chapter")
        if node.kind == "map" and "paragraphs" not in f and "bullets" not in f:
            self.fail(node, "a chapter needs 'paragraphs' or 'bullets'")
        return Chapter(
            self.line(f.get("title"), "'title'"),
            self.texts(f.get("paragraphs"), "'paragraphs'"),
            self.texts(f.get("bullets"), "'bullets'"),
        )

    def _question(self, node: Node) -> Question:
        f = self.fields(node, QUESTION_KEYS, "a question")
        return Question(self.line(f.get("question"), "'question'"), self.text(f.get("answer"), "'answer'"))


def _named(what: str, node: Node) -> str:
    """Return "level 'pm'" when the mapping has a readable id, else "a level"."""
    id_node = node.get("id")
    if id_node is not None and id_node.kind == "text" and id_node.text.strip():
        return f"{what} '{id_node.text.strip()}'"
    return f"a {what}"


def _type_message(node: Node, name: str, expected: str) -> str:
    if node.kind == "null":
        return f"{name} is empty"
    if expected == "text" and (key := key_of_colon_in_text(node)) is not None:
        return (
            f"{name} must be text, but YAML reads the ': ' after '{key}' as a key and value; quote the text"
        )
    if node.kind in ("map", "list") or (node.kind == "text" and expected != "text"):
        return f"{name} must be {_article(expected)}, not {_YAML_TYPE_NAMES[node.kind]}"
    if node.kind == "other":
        return f"{name} must be {_article(expected)}, not a value tagged {node.text}"
    if expected != "text":
        return f"{name} must be {_article(expected)}, not {node.text}"
    found = _YAML_TYPE_NAMES.get(node.kind, node.kind)
    return f'{name} must be text, but YAML reads {node.text} as {found}; put it in quotes: "{node.text}"'


def _article(noun: str) -> str:
    return noun if noun == "text" else f"a {noun}"
