"""`guide export --format json`: the validated ladder, read back from its JSON, is the ladder loaded."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import FIXTURES, SHIPPED_LADDER
from guide.cli import main
from guide.content import load_ladder
from guide.ladder import Aspect, Chapter, Comparison, Criterion, Ladder, Level, Promotion, Question, Track

LADDERS = FIXTURES / "ladders"
HOSTILE = sorted((LADDERS / "hostile").glob("*.yaml"))


def exported(path: Path, out: Path, capsys: pytest.CaptureFixture[str]) -> tuple[bytes, list[str]]:
    """Return the bytes `guide export` wrote for the ladder at `path`, and the lines it printed."""
    assert main(["export", str(path), "--format", "json", "-o", str(out)]) == 0
    printed = capsys.readouterr().out.splitlines()
    return (out / load_ladder(path).id / "ladder.json").read_bytes(), printed


def _tuples(data: dict[str, Any]) -> dict[str, Any]:
    return {key: tuple(value) if isinstance(value, list) else value for key, value in data.items()}


def ladder_from_json(data: dict[str, Any], source: Path) -> Ladder:
    """Return the Ladder that the exported `data` describes, built without the exporter's help."""
    levels = [_tuples({k: v for k, v in level.items() if k not in ("promoted_from", "tracks")})
              for level in data["levels"]]  # fmt: skip
    comparison, promotion = data["comparison"], data["promotion"]
    return Ladder(
        source=source,
        **_tuples(data["ladder"]),
        levels=tuple(Level(**level) for level in levels),
        tracks=tuple(Track(**_tuples(track)) for track in data["tracks"]),
        comparison=comparison
        and Comparison(
            tuple(comparison["levels"]),
            tuple(Aspect(aspect["name"], tuple(aspect["values"])) for aspect in comparison["aspects"]),
        ),
        promotion=promotion
        and Promotion(
            tuple(Criterion(**criterion) for criterion in promotion["criteria"]), tuple(promotion["blockers"])
        ),
        chapters=tuple(Chapter(**_tuples(chapter)) for chapter in data["chapters"]),
        faq=tuple(Question(**question) for question in data["faq"]),
    )


def strings_in(value: Any) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        return set().union(*(strings_in(item) for item in value.values()))
    if isinstance(value, list):
        return set().union(*(strings_in(item) for item in value))
    return set()


@pytest.mark.parametrize(
    "path",
    [SHIPPED_LADDER, *HOSTILE, *sorted((LADDERS / "valid").glob("*.yaml"))],
    ids=lambda path: path.stem,
)
def test_the_json_read_back_is_the_ladder(path: Path, tmp_path: Path, capsys) -> None:
    data, printed = exported(path, tmp_path, capsys)
    ladder = load_ladder(path)
    assert printed == [str(tmp_path / ladder.id / "ladder.json")]
    document = json.loads(data)
    assert (document["format"], document["format_version"]) == ("guide-ladder", 1)
    assert ladder_from_json(document, path) == ladder
    assert set(ladder.texts()) <= strings_in(document)


def test_every_text_of_a_hostile_fixture_comes_back_as_stored(tmp_path: Path, capsys) -> None:
    path = LADDERS / "hostile" / "combining_nfd.yaml"
    document = json.loads(exported(path, tmp_path, capsys)[0])
    ladder = load_ladder(path)
    assert ladder_from_json(document, path) == ladder
    assert any(text != text.encode("ascii", "ignore").decode() for text in ladder.texts())


def test_levels_carry_their_resolved_references(tmp_path: Path, capsys) -> None:
    document = json.loads(exported(SHIPPED_LADDER, tmp_path, capsys)[0])
    ladder = load_ladder(SHIPPED_LADDER)
    assert [level["id"] for level in document["levels"]] == [level.id for level in ladder.levels]
    for level in document["levels"]:
        assert level["promoted_from"] == [other.id for other in ladder.levels if level["id"] in other.next]
        assert level["tracks"] == [track.id for track in ladder.tracks if level["id"] in track.levels]
    assert document["levels"][0]["promoted_from"] == []


def test_the_bytes_are_stable_sorted_unescaped_and_end_with_a_newline(tmp_path: Path, capsys) -> None:
    path = LADDERS / "hostile" / "emoji.yaml"
    first, _ = exported(path, tmp_path / "first", capsys)
    second, _ = exported(path, tmp_path / "second", capsys)
    assert first == second
    text = first.decode("utf-8")
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert "\\u" not in text and not text.isascii()
    document = json.loads(text)
    assert text == json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def test_absent_keys_are_present_and_empty(tmp_path: Path, capsys) -> None:
    document = json.loads(exported(LADDERS / "valid" / "minimal.yaml", tmp_path, capsys)[0])
    assert document["ladder"]["subtitle"] == "" and document["ladder"]["intro"] == []
    assert (document["comparison"], document["promotion"], document["tracks"]) == (None, None, [])
    assert document["levels"][0]["next"] == [] and document["levels"][0]["short"] == ""


def test_a_dash_prints_the_json_to_stdout(tmp_path: Path, capsysbinary) -> None:
    written, _ = exported(SHIPPED_LADDER, tmp_path, capsysbinary)
    assert main(["export", str(SHIPPED_LADDER), "-o", "-"]) == 0
    assert capsysbinary.readouterr().out == written


def test_a_dash_takes_one_ladder_only(capsys) -> None:
    minimal = LADDERS / "valid" / "minimal.yaml"
    assert main(["export", str(SHIPPED_LADDER), str(minimal), "-o", "-"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "prints one ladder" in captured.err


def test_an_invalid_ladder_is_reported_as_validate_reports_it_and_nothing_is_written(
    tmp_path: Path, capsys
) -> None:
    broken = LADDERS / "invalid" / "wrong_types.yaml"
    assert main(["validate", str(broken)]) == 1
    from_validate = capsys.readouterr().err
    assert main(["export", str(LADDERS / "valid" / "minimal.yaml"), str(broken), "-o", str(tmp_path)]) == 1
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", from_validate)
    assert list(tmp_path.iterdir()) == []


def test_quiet_prints_nothing(tmp_path: Path, capsys) -> None:
    assert main(["export", str(SHIPPED_LADDER), "-q", "-o", str(tmp_path)]) == 0
    assert capsys.readouterr() == ("", "")
    assert (tmp_path / "product-management" / "ladder.json").is_file()
