"""The JSON Schema of the ladder format agrees with the loader: what loads, it accepts; structural
mistakes that the loader refuses, it refuses too.

Ladders are read for the schema with PyYAML's safe loader, as YAML 1.1 reads them (the loader's
reading too): `no` is a boolean, `2024-01-15` a date.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from hypothesis import given, settings

from conftest import FIXTURES, ROOT, SHIPPED_LADDER
from guide import content
from guide.cli import main
from guide.errors import ContentError
from guide.schema import TEXT_PATTERN, ladder_schema, schema_text
from guide.yamlfile import _refused_character
from ladder_strategies import SETTINGS, ladders

LADDERS = FIXTURES / "ladders"
COMMITTED_SCHEMA = ROOT / "data" / "ladder.schema.json"
VALIDATOR = jsonschema.Draft202012Validator(ladder_schema())

STRUCTURAL = {
    "bad_ids": {"pattern"},
    "c1_control": {"pattern"},
    "delete_character": {"pattern"},
    "empty_sections": {"minItems", "anyOf", "required"},
    "empty_values": {"pattern", "minItems", "type"},
    "escaped_control_character": {"pattern"},
    "id_too_long": {"maxLength"},
    "missing_required": {"required"},
    "noncharacter": {"pattern"},
    "one_line_too_long": {"maxLength"},
    "private_use": {"pattern"},
    "schema_as_text": {"type"},
    "too_long_text": {"maxLength"},
    "too_many_items": {"maxItems"},
    "too_many_promotions": {"maxItems"},
    "top_list": {"type"},
    "top_scalar": {"type"},
    "unknown_keys": {"additionalProperties", "required"},
    "unknown_schema": {"const"},
    "wrong_types": {"type"},
    "yaml_colon_in_text": {"type"},
    "yaml_empty_optional_keys": {"type"},
    "yaml_ideographic_space_indent": {"type"},
    "yaml_number_forms": {"type"},
    "yaml_schema_sexagesimal": {"const"},
    "yaml_schema_underscore": {"const"},
    "yaml_top_number": {"type"},
}
"""Invalid fixtures whose mistakes are in one place (a type, a key, an id, a limit), with the
schema keywords that catch them. The others span the file (references, cycles, counts), or
are not YAML that a JSON Schema can be applied to (syntax, aliases, tags, a list as a key)."""

NOT_STRUCTURAL = {
    "alias_bomb", "comparison_counts", "deep_nesting", "duplicate_keys", "empty", "not_utf8",
    "only_document_marker", "promotion_cycle", "python_tag", "raw_control_character", "shapes",
    "syntax_colon", "syntax_indent", "syntax_tab", "two_documents", "unknown_level_references",
    "too_many_promoted_to", "schema_decimal",  # `schema: 1.0`: to a JSON Schema, 1.0 is the integer 1
    "yaml_schema_binary",  # `schema: 0b1`: YAML 1.1 reads the integer 1
    "yaml_apostrophe_in_flow_list", "yaml_apostrophe_in_single_quotes", "yaml_backslash_in_double_quotes",
    "yaml_double_quote_in_double_quotes", "yaml_next_line_character", "yaml_no_break_space_indent",
    "yaml_quote_runs_on", "yaml_unclosed_quote",
}  # fmt: skip


def yaml_data(path: Path) -> Any:
    return yaml.safe_load(path.read_bytes().decode("utf-8-sig"))


def keywords_of_errors(data: Any) -> set[str]:
    return {str(error.validator) for error in VALIDATOR.iter_errors(data)}


def test_the_committed_schema_is_what_guide_schema_prints(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    printed = capsys.readouterr().out
    assert printed == schema_text() and printed.endswith("}\n")
    assert COMMITTED_SCHEMA.read_text("utf-8") == printed
    # The packaged copy of the ladder finds its schema beside it, as the ladder in data/ does.
    assert (ROOT / "guide" / "ladders" / "ladder.schema.json").read_text("utf-8") == printed


def test_the_shipped_ladder_names_its_schema_on_its_first_line() -> None:
    first_line = SHIPPED_LADDER.read_text("utf-8").splitlines()[0]
    assert first_line == "# yaml-language-server: $schema=./ladder.schema.json"
    assert (SHIPPED_LADDER.parent / "ladder.schema.json").is_file()


def test_the_schema_is_a_draft_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(json.loads(COMMITTED_SCHEMA.read_text("utf-8")))


def test_every_property_has_a_description() -> None:
    def walk(schema: dict[str, Any], where: str) -> None:
        assert schema.get("description"), where
        for name, child in schema.get("properties", {}).items():
            walk(child, f"{where}.{name}")
        if "items" in schema:
            walk(schema["items"], f"{where}[]")

    walk(ladder_schema(), "ladder file")


def test_every_mapping_refuses_unknown_keys_and_requires_what_the_loader_requires() -> None:
    schema = ladder_schema()
    level = schema["properties"]["levels"]["items"]
    assert level["required"] == [name for name, required in content.LEVEL_KEYS.items() if required]
    assert list(level["properties"]) == list(content.LEVEL_KEYS)
    key_tables = [name for name in vars(content) if name.endswith("_KEYS")]
    text = schema_text()
    assert len(objects_in(schema)) == text.count('"additionalProperties": false') == len(key_tables)


def objects_in(schema: Any) -> list[dict]:
    """Return every object schema within `schema` (an optional one's type is ["object", "null"])."""
    if isinstance(schema, list):
        return [found for item in schema for found in objects_in(item)]
    if not isinstance(schema, dict):
        return []
    kind = schema.get("type")
    own = [schema] if kind == "object" or (isinstance(kind, list) and "object" in kind) else []
    return own + [found for value in schema.values() for found in objects_in(value)]


@pytest.mark.parametrize(
    "path",
    [
        SHIPPED_LADDER,
        *sorted((LADDERS / "hostile").glob("*.yaml")),
        *sorted((LADDERS / "valid").glob("*.yaml")),
    ],
    ids=lambda path: path.stem,
)
def test_ladders_that_load_are_valid(path: Path) -> None:
    content.load_ladder(path)  # the loader accepts it, so the schema must
    assert [error.message for error in VALIDATOR.iter_errors(yaml_data(path))] == []


def test_every_invalid_fixture_is_listed_once() -> None:
    stems = {path.stem for path in (LADDERS / "invalid").glob("*.yaml")}
    assert stems == set(STRUCTURAL) | NOT_STRUCTURAL
    assert not set(STRUCTURAL) & NOT_STRUCTURAL


@pytest.mark.parametrize("stem", sorted(STRUCTURAL))
def test_structural_mistakes_are_refused(stem: str) -> None:
    path = LADDERS / "invalid" / f"{stem}.yaml"
    with pytest.raises(ContentError):
        content.load_ladder(path)
    assert keywords_of_errors(yaml_data(path)) >= STRUCTURAL[stem]


def test_the_text_pattern_refuses_the_characters_the_loader_refuses_in_the_first_plane() -> None:
    pattern = re.compile(TEXT_PATTERN)
    disagreements = [
        f"U+{code:04X}"
        for code in range(0x10000)
        if not 0xD800 <= code <= 0xDFFF
        and (pattern.search(f"a{chr(code)}") is None) != (_refused_character(chr(code)) is not None)
    ]
    assert disagreements == []


@pytest.mark.parametrize("text", ["", " ", "\n", " \t\n "])
def test_a_text_of_spaces_is_empty_for_both(text: str) -> None:
    assert re.search(TEXT_PATTERN, text) is None


MUTATIONS = {
    "misspelt key": (("levels", 0), "responsibilites", ["r"]),
    "number as title": (("ladder",), "title", 7),
    "boolean as text": (("levels", 0), "summary", False),
    "capitals in an id": (("levels", 0), "id", "Senior-PM"),
    "empty list": (("levels", 0), "skills", []),
    "text where a list belongs": (("levels", 0), "next", "b"),
    "a level listed twice in next": (("levels", 0), "next", ["b", "b"]),
    "schema 2": ((), "schema", 2),
    "title of two lines' length": (("ladder",), "title", "x" * 301),
}


@pytest.mark.parametrize("mutation", MUTATIONS.values(), ids=MUTATIONS.keys())
def test_a_mistake_is_refused_by_both(mutation: tuple[tuple[Any, ...], str, Any], tmp_path: Path) -> None:
    where, key, value = mutation
    data = yaml_data(FIXTURES / "ladders" / "valid" / "minimal.yaml")
    data["levels"].append({**data["levels"][0], "id": "b", "next": []})
    data["levels"][-1].pop("next")
    target = data
    for step in where:
        target = target[step]
    target[key] = value
    path = tmp_path / "mutated.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    with pytest.raises(ContentError):
        content.load_ladder(path)
    assert list(VALIDATOR.iter_errors(data)) != []


def test_random_valid_ladders_are_valid() -> None:
    @settings(SETTINGS, max_examples=50)
    @given(ladders())
    def check(data: dict[str, Any]) -> None:
        assert [error.message for error in VALIDATOR.iter_errors(data)] == []

    check()
