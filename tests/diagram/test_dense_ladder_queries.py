"""The ladder queries a diagram and its documents ask of every level do linear work on a dense ladder.

Work is counted as lines of Python run while asking, never timed (`work_count`).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from work_count import lines

from guide.content import load_ladder
from guide.ladder import Ladder


def write_dense(folder: Path, levels: int, fan_out: int) -> Path:
    """Write a valid ladder of `levels` levels, each promoted to the next `fan_out`, in two tracks."""
    lines = ["schema: 1", "ladder:", "  id: dense", "  title: Dense", "levels:"]
    for index in range(levels):
        lines += [
            f"  - id: l{index}",
            f"    title: Level {index}",
            f"    summary: Level {index}.",
            "    responsibilities: [Owns.]",
            "    skills: [Writes.]",
            "    expectations: [Delivers.]",
        ]
        if targets := [f"l{t}" for t in range(index + 1, min(levels, index + 1 + fan_out))]:
            lines.append(f"    next: [{', '.join(targets)}]")
    lines += ["tracks:", "  - id: low", "    name: Low", "    levels: [l0, l1]"]
    lines += ["  - id: all", "    name: All", f"    levels: [{', '.join(f'l{i}' for i in range(levels))}]"]
    path = folder / "dense.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def ladder(tmp_path_factory: pytest.TempPathFactory) -> Ladder:
    return load_ladder(write_dense(tmp_path_factory.mktemp("dense"), 1000, 20))  # at the limits


def ask_everything(ladder: Ladder) -> None:
    """Ask what the handbook, the checklists and the packets ask, for every level and promotion."""
    ladder.promotion_targets()
    for level in ladder.levels:
        ladder.promoted_from(level.id)
        ladder.tracks_of(level.id)
        for target in level.next:
            ladder.level(target)


def test_asking_about_every_level_and_promotion_is_linear_in_the_ladder(ladder):
    promotions = sum(len(level.next) for level in ladder.levels)
    budget = 20 * (len(ladder.levels) + promotions)
    assert lines(lambda: ask_everything(ladder), budget) <= budget


def test_the_answers_are_those_of_a_scan_of_every_level(ladder):
    for level in ladder.levels:
        assert ladder.level(level.id) is level
        expected = tuple(other for other in ladder.levels if level.id in other.next)
        assert ladder.promoted_from(level.id) == expected
        assert ladder.tracks_of(level.id) == tuple(t for t in ladder.tracks if level.id in t.levels)
    assert ladder.promotion_targets() == ladder.levels[1:]
    assert [track.id for track in ladder.tracks_of("l1")] == ["low", "all"]


def test_an_unknown_level_is_still_a_key_error_naming_the_levels(ladder):
    with pytest.raises(KeyError, match="no level has the id 'nope' \\(the levels are l0, l1, l2"):
        ladder.level("nope")
    assert ladder.promoted_from("nope") == () and ladder.tracks_of("nope") == ()
