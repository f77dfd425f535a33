"""The rules that span a whole ladder: unique ids, known level ids, no promotion cycles.

They read the YAML nodes (not the Ladder) so that each problem keeps its line
and column; values with a problem of their own were reported already and are
passed over here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from guide.yamlfile import Node

if TYPE_CHECKING:
    from guide.content import FieldReader

MAX_PROMOTIONS = 20
"""The most levels one level is promoted to, and the most promoted to one level. A checklist and a
packet set the target beside each level promoted to it, and the diagram draws every arrow:
real ladders have one to three, and fifty make documents of thousands of pages."""

MAX_COMPARED_VALUES = 10_000
"""The most values a comparison holds (levels times aspects). Each is a table cell of the
handbook, about fifty to a page: 10,000 make some 200 pages, built in under a minute;
real comparisons hold tens to hundreds."""


def check(reader: FieldReader, top: dict[str, Node]) -> None:
    """Report every broken reference between the parts of the ladder in `top`."""
    levels = _entries(top.get("levels"))
    level_ids = _unique_ids(reader, levels, "level")
    _unique_ids(reader, _entries(top.get("tracks")), "track")
    promotions = {level_id: _id_list(level, "next") for level_id, level in level_ids.items()}
    for level_id, targets in promotions.items():
        _known(reader, targets, level_ids, f"'next' of level '{level_id}'")
        _listed_once(reader, targets, "next")
    _check_promotion_counts(reader, promotions)
    for track in _entries(top.get("tracks")):
        _known(reader, _id_list(track, "levels"), level_ids, "a track's 'levels'")
        _listed_once(reader, _id_list(track, "levels"), "levels")
    _check_comparison(reader, top.get("comparison"), level_ids)
    _check_cycles(reader, promotions)


def _check_promotion_counts(reader: FieldReader, promotions: dict[str, list[Node]]) -> None:
    """Report a level promoted to more than MAX_PROMOTIONS levels, or from more than that many.

    Each is reported once, at the `next` entry one past the limit.
    """
    sources: dict[str, list[Node]] = {}
    for level_id, targets in promotions.items():
        if len(targets) > MAX_PROMOTIONS:
            count = len(targets)
            reader.fail(targets[MAX_PROMOTIONS], f"level '{level_id}' is promoted to {count} levels: at most "
                                                 f"{MAX_PROMOTIONS} are allowed")  # fmt: skip
        for target in targets:
            sources.setdefault(target.text.strip(), []).append(target)
    for target_id, naming in sources.items():
        if len(naming) > MAX_PROMOTIONS:
            message = (f"{len(naming)} levels are promoted to level '{target_id}': "
                       f"at most {MAX_PROMOTIONS} may be promoted to one level")  # fmt: skip
            reader.fail(naming[MAX_PROMOTIONS], message)


def _entries(node: Node | None) -> list[Node]:
    if node is None or node.kind != "list":
        return []
    return [item for item in node.items if item.kind == "map"]


def _text_of(node: Node | None) -> str | None:
    return node.text.strip() if node is not None and node.kind == "text" else None


def _id_list(mapping: Node, key: str) -> list[Node]:
    node = mapping.get(key)
    if node is None or node.kind != "list":
        return []
    return [item for item in node.items if _text_of(item)]


def _unique_ids(reader: FieldReader, entries: list[Node], what: str) -> dict[str, Node]:
    """Return {id: mapping} for `entries`; report ids used twice."""
    seen: dict[str, Node] = {}
    for entry in entries:
        id_node = entry.get("id")
        entry_id = _text_of(id_node)
        if entry_id is None:
            continue
        if entry_id in seen:
            first = seen[entry_id].get("id")
            assert first is not None
            reader.fail(id_node, f"{what} id '{entry_id}' is used twice (first at line {first.line})")
            continue
        seen[entry_id] = entry
    return seen


def _known(reader: FieldReader, ids: list[Node], level_ids: dict[str, Node], where: str) -> None:
    for node in ids:
        if node.text.strip() not in level_ids:
            message = f"{where} names level '{node.text.strip()}', which does not exist"
            if level_ids:
                message += f" (levels: {', '.join(level_ids)})"
            reader.fail(node, message)


def _listed_once(reader: FieldReader, ids: list[Node], name: str) -> None:
    seen: set[str] = set()
    for node in ids:
        if node.text.strip() in seen:
            reader.fail(node, f"'{node.text.strip()}' is listed twice in '{name}'")
        seen.add(node.text.strip())


def _check_comparison(reader: FieldReader, node: Node | None, level_ids: dict[str, Node]) -> None:
    if node is None or node.kind != "map":
        return
    columns = _id_list(node, "levels")
    _known(reader, columns, level_ids, "'comparison.levels'")
    _listed_once(reader, columns, "levels")
    levels_node = node.get("levels")
    if levels_node is None or levels_node.kind != "list":
        return
    aspects = _entries(node.get("aspects"))
    if len(aspects) * len(levels_node.items) > MAX_COMPARED_VALUES:
        reader.fail(
            node,
            f"the comparison has {len(levels_node.items):,} levels and {len(aspects):,} aspects: "
            f"{len(aspects) * len(levels_node.items):,} values, but at most {MAX_COMPARED_VALUES:,} "
            "fit a readable handbook; compare fewer levels or aspects",
        )
    for aspect in aspects:
        values = aspect.get("values")
        if values is not None and values.kind == "list" and len(values.items) != len(levels_node.items):
            name = _text_of(aspect.get("name")) or "an aspect"
            reader.fail(
                values,
                f"aspect '{name}' has {len(values.items)} values for "
                f"{len(levels_node.items)} comparison levels",
            )


def _check_cycles(reader: FieldReader, promotions: dict[str, list[Node]]) -> None:
    """Report each cycle in the promotion graph once, at the `next` entry that closes it.

    Depth-first and iterative, so a chain of thousands of levels needs no deep recursion.
    """
    on_path, done, reported = set(), set(), set()
    for start in promotions:
        if start in done:
            continue
        path, pending = [start], [iter(promotions[start])]
        on_path.add(start)
        while pending:
            target_node = next(pending[-1], None)
            if target_node is None:
                finished = path.pop()
                on_path.discard(finished)
                done.add(finished)
                pending.pop()
                continue
            target = target_node.text.strip()
            if target in on_path:
                cycle = path[path.index(target) :] + [target]
                if frozenset(cycle) not in reported:
                    reported.add(frozenset(cycle))
                    reader.fail(target_node, f"promotions form a cycle: {' -> '.join(cycle)}")
            elif target not in done and target in promotions:
                path.append(target)
                on_path.add(target)
                pending.append(iter(promotions[target]))
