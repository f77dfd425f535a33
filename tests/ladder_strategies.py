"""Hypothesis strategies for random valid ladders, shared by the property tests and the schema tests.

Random slugs, one to thirty levels promoted upwards, each optional key and section
present or absent, and text in the scripts the bundled fonts draw mixed with pieces
that mean something in markup and templates. `QuotingDumper` writes them with every
string quoted, as text must be.
"""

from __future__ import annotations

import itertools
import string
import tempfile
import unicodedata
from pathlib import Path
from typing import Any, NamedTuple

import yaml
from hypothesis import Phase, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from guide.writers.pdf.fonts import unsupported_characters

# Hypothesis caches the constants it finds in our sources under `.hypothesis/` of the
# working folder, database or not: keep that out of the repository.
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "guide-hypothesis")

# The same examples on every run and machine, and no example database to write.
SETTINGS = settings(
    derandomize=True,
    database=None,
    deadline=None,
)


# For the properties that build documents: shrinking a failure rebuilds them hundreds of
# times, for many minutes. The failure names the texts that are missing, and the ladder.
BUILDING = settings(SETTINGS, phases=[Phase.explicit, Phase.generate])


def drawable(*code_ranges: range, category: str = "L") -> str:
    """Return the characters in `code_ranges` of Unicode `category` ("L": letters) that a bundled font draws.

    The build refuses a character no font has, by design: such a ladder is not valid.
    """
    chosen = "".join(
        chr(code)
        for codes in code_ranges
        for code in codes
        if unicodedata.category(chr(code)).startswith(category)
    )
    undrawable = set(unsupported_characters(chosen))
    return "".join(character for character in chosen if character not in undrawable)


LEFT_TO_RIGHT = {
    "latin": drawable(range(0x41, 0x5B), range(0x61, 0x7B), range(0xC0, 0x250)),
    "greek": drawable(range(0x386, 0x3D0)),
    "cyrillic": drawable(range(0x400, 0x460)),
    "chinese": drawable(range(0x4E00, 0xA000)),
    "emoji": drawable(range(0x1F300, 0x1F650), category="So"),
    "digits and punctuation": string.digits + string.punctuation,
}
RIGHT_TO_LEFT = {
    "arabic": drawable(range(0x621, 0x64B)),
    "hebrew": drawable(range(0x5D0, 0x5EB)),
}

MARKUP = ("<b>", "</p>", "<br/>", "&amp;", "&", "{{ x }}", "{%", "%}", "{#", "]]>", "**", "#", "<!--")
"""Pieces that a careless builder would read as XML, Jinja2 or Markdown instead of printing them."""


def words_in(scripts: dict[str, str]) -> st.SearchStrategy[str]:
    """Return words of one of `scripts`."""
    return st.one_of(
        *(st.text(alphabet=characters, min_size=1, max_size=8) for characters in scripts.values())
    )


ANY_WORD = words_in(LEFT_TO_RIGHT | RIGHT_TO_LEFT)
LEFT_TO_RIGHT_WORD = words_in(LEFT_TO_RIGHT)


class Writing(NamedTuple):
    """The texts of one ladder: `line` for one-line values (titles, names), `block` for the rest.

    The format lets block values hold line breaks; the loader folds them out of one-line values.
    """

    line: st.SearchStrategy[str]
    block: st.SearchStrategy[str]

    def blocks(self) -> st.SearchStrategy[list[str]]:
        """Return non-empty lists of block texts: responsibilities, bullets, paragraphs."""
        return st.lists(self.block, min_size=1, max_size=3)


@st.composite
def writings(draw: st.DrawFn, words: st.SearchStrategy[str]) -> Writing:
    """Return the texts of a ladder: words one space apart, no space around, lines one break apart.

    The words come from a vocabulary drawn once per ladder: a thirty-level ladder holds
    hundreds of texts, and drawing every letter of each would outgrow what Hypothesis lets
    one example draw (it would then quietly try small ladders only).
    """
    # Every piece of markup is in every vocabulary: drawn like the words, few ladders would hold any.
    vocabulary = draw(st.lists(words, min_size=1, max_size=40, unique=True)) + list(MARKUP)
    line = st.lists(st.sampled_from(vocabulary), min_size=1, max_size=10).map(" ".join)
    return Writing(line, st.lists(line, min_size=1, max_size=3).map("\n".join))


slugs = st.lists(
    st.text(alphabet=string.ascii_lowercase + string.digits, min_size=1, max_size=6), min_size=1, max_size=3
).map("-".join)


def sublists(items: list[str]) -> st.SearchStrategy[list[str]]:
    """Return non-empty lists of `items` in their own order: a track's levels, the compared levels."""
    return st.lists(st.booleans(), min_size=len(items), max_size=len(items)).map(
        lambda keep: [item for item, kept in zip(items, keep, strict=True) if kept] or items[:1]
    )


def with_optional(draw: st.DrawFn, mapping: dict[str, Any], optional: dict[str, st.SearchStrategy]) -> dict:
    """Return `mapping` with each key of `optional` added or not, its value drawn from its strategy."""
    for key, strategy in optional.items():
        if draw(st.booleans()):
            mapping[key] = draw(strategy)
    return mapping


@st.composite
def levels(draw: st.DrawFn, text: Writing) -> list[dict]:
    """Return one to thirty levels with unique ids, most junior first."""
    # A count drawn first spreads ladders over the range; a list's own size stays mostly small.
    count = draw(st.integers(min_value=1, max_value=30))
    ids = draw(st.lists(slugs, min_size=count, max_size=count, unique=True))
    drawn = []
    for index, level_id in enumerate(ids):
        required = {
            "id": level_id,
            "title": draw(text.line),
            "summary": draw(text.block),
            "responsibilities": draw(text.blocks()),
            "skills": draw(text.blocks()),
            "expectations": draw(text.blocks()),
        }
        optional = {
            "short": text.line,
            "code": text.line,
            "experience": text.line,
            "checklist": text.blocks(),
            "path_to_next": text.block,
        }
        if later := ids[index + 1 :]:
            # Promotions go upwards only, so they never form a cycle.
            optional["next"] = st.lists(st.sampled_from(later), max_size=2).map(
                lambda targets, later=later: [level for level in later if level in targets] or later[:1]
            )
        drawn.append(with_optional(draw, required, optional))
    return drawn


@st.composite
def tracks(draw: st.DrawFn, level_ids: list[str], text: Writing) -> list[dict]:
    """Return one to three tracks, each over some of `level_ids`."""
    return [
        with_optional(
            draw,
            {"id": track_id, "name": draw(text.line), "levels": draw(sublists(level_ids))},
            {"summary": text.block, "best_for": text.blocks(), "challenges": text.blocks()},
        )
        for track_id in draw(st.lists(slugs, min_size=1, max_size=3, unique=True))
    ]


@st.composite
def comparisons(draw: st.DrawFn, level_ids: list[str], text: Writing, most_compared: int) -> dict:
    """Return a comparison of up to `most_compared` of `level_ids`: one value per level in each aspect."""
    compared = draw(sublists(level_ids))[:most_compared]
    values = st.lists(text.line, min_size=len(compared), max_size=len(compared))
    aspects = st.lists(st.fixed_dictionaries({"name": text.line, "values": values}), min_size=1, max_size=3)
    return {"levels": compared, "aspects": draw(aspects)}


def promotions(text: Writing) -> st.SearchStrategy[dict]:
    """Return promotion sections: criteria, blockers or both (one of them is required)."""
    criterion = st.fixed_dictionaries({"name": text.line, "description": text.block})
    criteria = st.lists(criterion, min_size=1, max_size=3)
    return st.one_of(
        st.fixed_dictionaries({"criteria": criteria}),
        st.fixed_dictionaries({"blockers": text.blocks()}),
        st.fixed_dictionaries({"criteria": criteria, "blockers": text.blocks()}),
    )


def chapters(text: Writing) -> st.SearchStrategy[dict]:
    """Return chapters with paragraphs, bullets or both (one of them is required)."""
    return st.fixed_dictionaries(
        {"title": text.line}, optional={"paragraphs": text.blocks(), "bullets": text.blocks()}
    ).filter(lambda chapter: len(chapter) > 1)


@st.composite
def ladders(draw: st.DrawFn, words: st.SearchStrategy[str] = ANY_WORD, most_compared: int = 30) -> dict:
    """Return a valid ladder file as a dict, its texts made of `words`, any optional section in it.

    `most_compared` bounds the columns of the comparison table (see the PDF property).
    """
    text = draw(writings(words))
    about = with_optional(
        draw,
        {"id": draw(slugs), "title": draw(text.line)},
        {"subtitle": text.line, "organization": text.line, "version": text.line, "intro": text.blocks()},
    )
    drawn_levels = draw(levels(text))
    level_ids = [level["id"] for level in drawn_levels]
    questions = st.fixed_dictionaries({"question": text.line, "answer": text.block})
    sections = {
        "tracks": tracks(level_ids, text),
        "comparison": comparisons(level_ids, text, most_compared),
        "promotion": promotions(text),
        "chapters": st.lists(chapters(text), min_size=1, max_size=3),
        "faq": st.lists(questions, min_size=1, max_size=3),
    }
    return with_optional(draw, {"schema": 1, "ladder": about, "levels": drawn_levels}, sections)


def longest_ladder(scripts: dict[str, str]) -> dict:
    """Return a thirty-level ladder with every optional key and section, its texts in every script.

    Hypothesis starts with small ladders, and a dozen examples may never reach thirty
    levels: this one is always tried first.
    """
    chunks = (
        characters[start : start + 8]
        for start in range(0, 10_000, 8)
        for characters in scripts.values()
        if start < len(characters)
    )
    words = itertools.cycle([*itertools.islice(chunks, 60), *MARKUP])

    def line() -> str:
        return " ".join(itertools.islice(words, 6))

    def block() -> str:
        return f"{line()}\n{line()}"

    ids = [f"level-{number}" for number in range(1, 31)]
    levels = [
        {"id": level_id, "title": line(), "short": line(), "code": line(), "summary": block(),
         "experience": line(), "responsibilities": [block(), block()], "skills": [block()],
         "expectations": [block(), block()], "checklist": [block()], "next": ids[index + 1 : index + 3],
         "path_to_next": block()}
        for index, level_id in enumerate(ids)
    ]  # fmt: skip
    del levels[-1]["next"]  # the most senior level is promoted nowhere
    about = {"id": "longest", "title": line(), "subtitle": line(), "organization": line(), "version": line()}
    return {
        "schema": 1,
        "ladder": {**about, "intro": [block(), block()]},
        "levels": levels,
        "tracks": [
            {
                "id": "ic",
                "name": line(),
                "summary": block(),
                "levels": ids[::2],
                "best_for": [block()],
                "challenges": [block()],
            },
            {"id": "management", "name": line(), "levels": ids[10:]},
        ],
        "comparison": {
            "levels": ids[-4:],
            "aspects": [{"name": line(), "values": [line() for _ in range(4)]}],
        },
        "promotion": {"criteria": [{"name": line(), "description": block()}], "blockers": [block()]},
        "chapters": [{"title": line(), "paragraphs": [block()], "bullets": [block(), block()]}],
        "faq": [{"question": line(), "answer": block()}],
    }


class QuotingDumper(yaml.SafeDumper):
    """A YAML dumper that double-quotes every string, so that none is read back as a number or a boolean.

    It writes a value used twice out twice: guide refuses aliases (`*name`).
    """

    def ignore_aliases(self, data: object) -> bool:
        return True


QuotingDumper.add_representer(
    str, lambda dumper, text: dumper.represent_scalar("tag:yaml.org,2002:str", text, style='"')
)
