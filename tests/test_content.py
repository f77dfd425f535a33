"""The loader: every rule of the ladder format, each error with its line and column."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from conftest import FIXTURES, SHIPPED_LADDER, expected_problems
from guide.content import load_ladder
from guide.errors import ContentError

INVALID = sorted((FIXTURES / "ladders" / "invalid").glob("*.yaml"))
VALID = sorted((FIXTURES / "ladders" / "valid").glob("*.yaml"))


def errors_of(path: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_ladder(path)
    return [str(problem) for problem in caught.value.problems]


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_ladder_reports_every_expected_error(path: Path) -> None:
    expected = expected_problems(path)
    assert errors_of(path) == expected


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid_ladder_loads(path: Path) -> None:
    ladder = load_ladder(path)
    assert ladder.levels and ladder.title


def test_alias_bomb_is_refused_without_expanding() -> None:
    tracemalloc.start()
    errors = errors_of(FIXTURES / "ladders" / "invalid" / "alias_bomb.yaml")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert "aliases (*name) are not allowed" in errors[0]
    assert peak < 20_000_000  # expanded, its 387 million leaves would take gigabytes


def test_bom_and_crlf_are_read_as_plain_text() -> None:
    ladder = load_ladder(FIXTURES / "ladders" / "valid" / "bom_crlf.yaml")
    assert ladder.id == "bom-crlf"
    assert ladder.levels[0].summary == "A file with a byte order mark and CRLF line ends."


def test_markup_and_template_characters_are_kept_as_written() -> None:
    ladder = load_ladder(FIXTURES / "ladders" / "valid" / "unicode_eleven_levels.yaml")
    assert ladder.title == "Échelle de carrière — R&D <Produit> {{ équipe }}"
    assert "{% raw %}" in ladder.intro[0]


def test_block_text_keeps_its_line_breaks_and_titles_fold() -> None:
    ladder = load_ladder(FIXTURES / "ladders" / "valid" / "unicode_eleven_levels.yaml")
    assert ladder.intro[1].split("\n")[0] == "Première ligne d'un bloc."
    assert all("\n" not in level.title for level in ladder.levels)


def test_optional_parts_default_to_empty_not_none() -> None:
    ladder = load_ladder(FIXTURES / "ladders" / "valid" / "minimal.yaml")
    level = ladder.levels[0]
    assert (level.short, level.code, level.next, level.checklist) == ("", "", (), ())
    assert ladder.comparison is None and ladder.promotion is None and ladder.tracks == ()


def test_model_is_frozen() -> None:
    ladder = load_ladder(FIXTURES / "ladders" / "valid" / "minimal.yaml")
    with pytest.raises(AttributeError):
        ladder.title = "changed"  # type: ignore[misc]


def test_shipped_ladder_is_complete() -> None:
    ladder = load_ladder(SHIPPED_LADDER)
    ids = [level.id for level in ladder.levels]
    for expected in (
        "apm",
        "pm",
        "senior-pm",
        "staff-pm",
        "principal-pm",
        "pm-manager",
        "director",
        "vp",
        "cpo",
    ):
        assert expected in ids
    assert {track.id for track in ladder.tracks} == {"ic", "management"}
    assert all(track.best_for and track.challenges for track in ladder.tracks)
    assert ladder.comparison and ladder.promotion and ladder.promotion.criteria and ladder.promotion.blockers
    titles = " ".join(chapter.title for chapter in ladder.chapters).lower()
    assert "ways into product management" in titles and "startups" in titles
    assert len(ladder.faq) >= 8


def test_shipped_ladder_splits_tracks_after_senior_pm() -> None:
    ladder = load_ladder(SHIPPED_LADDER)
    assert set(ladder.level("senior-pm").next) == {"staff-pm", "pm-manager"}
    assert [level.id for level in ladder.promoted_from("director")] == ["pm-manager"]


def comparison_ladder(path: Path, levels: int, aspects: int) -> Path:
    """Write a ladder comparing `levels` levels over `aspects` aspects, one short value each."""
    lines = ["schema: 1", "ladder: {id: wide, title: Wide}", "levels:"]
    lines += [
        f"  - {{id: l{n}, title: L{n}, summary: S, responsibilities: [R], skills: [S], expectations: [E]}}"
        for n in range(levels)
    ]
    lines += ["comparison:", f"  levels: [{', '.join(f'l{n}' for n in range(levels))}]", "  aspects:"]
    lines += [f"    - {{name: A{n}, values: [{', '.join('x' * levels)}]}}" for n in range(aspects)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_comparison_too_large_to_print_is_refused_where_it_starts(tmp_path: Path) -> None:
    path = comparison_ladder(tmp_path / "wide.yaml", levels=101, aspects=100)
    assert errors_of(path) == [
        f"{path}:106:3: the comparison has 101 levels and 100 aspects: 10,100 values, but at most "
        "10,000 fit a readable handbook; compare fewer levels or aspects"
    ]
    assert load_ladder(comparison_ladder(tmp_path / "fits.yaml", levels=100, aspects=100)).comparison


def test_a_ladder_says_its_language_and_every_document_carries_it(tmp_path: Path) -> None:
    from guide import build

    text = SHIPPED_LADDER.read_text(encoding="utf-8").replace("ladder:\n", "ladder:\n  language: de-CH\n", 1)
    path = tmp_path / "de.yaml"
    path.write_text(text, encoding="utf-8")
    ladder = load_ladder(path)
    assert ladder.language == "de-CH" and load_ladder(SHIPPED_LADDER).language == "en"
    outputs = build.prepare(
        build.Project(tmp_path), [ladder], tmp_path, ("handbook", "checklists", "packets"), ("pdf",)
    )
    assert {output.document.meta.language for output in outputs} == {"de-CH"}


def test_a_language_that_is_not_a_tag_is_refused_where_it_is(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        SHIPPED_LADDER.read_text(encoding="utf-8").replace("ladder:\n", "ladder:\n  language: German\n", 1)
    )
    (problem,) = errors_of(path)
    assert problem.endswith("'language' must be a BCP 47 tag such as en, de, fr-CA or zh-Hans, not 'German'")
    assert f"{path}:" in problem
