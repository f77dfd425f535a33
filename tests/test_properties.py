"""Properties that hold for every valid ladder, not only for the fixtures.

Hypothesis writes random valid ladders: random slugs, one to thirty levels promoted
along a chain (with the odd jump ahead), every optional section present or absent,
and text in every script the bundled fonts draw (accented Latin, Greek, Cyrillic,
Chinese, Arabic, Hebrew) mixed with characters that mean something in markup and
templates (`<`, `&`, `{{`, `*`, `#`). This file proves that:

- every quoted string of a ladder file loads exactly as written;
- every such ladder builds: each document of each product renders, and its files are
  written and open in a reader that did not write them;
- every text of the ladder is printed in the handbook, in the PDF and in the Word file.
"""

from __future__ import annotations

import re
import string
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import yaml
from docx import Document as open_docx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from conftest import ROOT
from guide.build import FORMATS, PRODUCTS, Output, Project, load_ladders, prepare, write
from guide.ladder import Ladder
from guide.scripts import RIGHT_TO_LEFT_LETTERS
from guide.writers.pdf.fonts import unsupported_characters
from test_build import docx_text, pdf_text

# Reproducible in CI and nothing written into the repository: no example database.
SETTINGS = settings(
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def drawable_letters(*code_ranges: range) -> str:
    """Return the letters in `code_ranges` that a bundled font can draw."""
    letters = "".join(chr(code) for codes in code_ranges for code in codes if chr(code).isalpha())
    missing = set(unsupported_characters(letters))
    return "".join(letter for letter in letters if letter not in missing)


SCRIPTS = {
    "latin": drawable_letters(range(0x41, 0x5B), range(0x61, 0x7B), range(0xC0, 0x250)),
    "greek": drawable_letters(range(0x386, 0x3D0)),
    "cyrillic": drawable_letters(range(0x400, 0x460)),
    "chinese": drawable_letters(range(0x4E00, 0xA000)),
    "arabic": drawable_letters(range(0x621, 0x64B)),
    "hebrew": drawable_letters(range(0x5D0, 0x5EB)),
    "digits and punctuation": string.digits + string.punctuation,
}

MARKUP = ("<b>", "</p>", "<br/>", "&amp;", "&", "{{ x }}", "{%", "%}", "{#", "]]>", "**", "#", "<!--")
"""Pieces that a careless builder would read as XML, Jinja2 or Markdown instead of printing them."""

IS_RIGHT_TO_LEFT = re.compile(f"[{RIGHT_TO_LEFT_LETTERS}]")

SLUG_PART = st.text(alphabet=string.ascii_lowercase + string.digits, min_size=1, max_size=6)
slugs = st.lists(SLUG_PART, min_size=1, max_size=3).map("-".join)

words = st.one_of(
    *(st.text(alphabet=letters, min_size=1, max_size=8) for letters in SCRIPTS.values()),
    st.sampled_from(MARKUP),
)
texts = st.lists(words, min_size=1, max_size=12).map(" ".join)
"""A text as people type it: words of any script and markup, one space apart, none around."""


def text_lists(max_size: int = 3) -> st.SearchStrategy[list[str]]:
    return st.lists(texts, min_size=1, max_size=max_size)


def with_optional(draw: st.DrawFn, mapping: dict[str, Any], optional: dict[str, st.SearchStrategy]) -> dict:
    """Return `mapping` with each key of `optional` added or not, its value drawn from its strategy."""
    for key, strategy in optional.items():
        if draw(st.booleans()):
            mapping[key] = draw(strategy)
    return mapping


def sublists(items: list[str]) -> st.SearchStrategy[list[str]]:
    """Return non-empty lists of `items` in their own order: a track's levels, compared levels."""
    return st.lists(st.booleans(), min_size=len(items), max_size=len(items)).map(
        lambda keep: [item for item, kept in zip(items, keep, strict=True) if kept] or items[:1]
    )


@st.composite
def levels(draw: st.DrawFn) -> list[dict]:
    """Return one to thirty levels with unique ids, most junior first, each promoted only upwards."""
    ids = draw(st.lists(slugs, min_size=1, max_size=30, unique=True))
    drawn = []
    for index, level_id in enumerate(ids):
        level = {
            "id": level_id,
            "title": draw(texts),
            "summary": draw(texts),
            "responsibilities": draw(text_lists()),
            "skills": draw(text_lists()),
            "expectations": draw(text_lists()),
        }
        optional = {
            "short": texts,
            "code": texts,
            "experience": texts,
            "checklist": text_lists(),
            "path_to_next": texts,
        }
        later = ids[index + 1 :]
        if later:
            # Upwards only, so promotions never form a cycle; the next level, or a jump ahead too.
            optional["next"] = st.lists(st.sampled_from(later), max_size=2, unique=True).map(
                lambda targets, following=later[0]: sorted({following, *targets}, key=ids.index)
            )
        drawn.append(with_optional(draw, level, optional))
    return drawn


@st.composite
def tracks(draw: st.DrawFn, level_ids: list[str]) -> list[dict]:
    return [
        with_optional(
            draw,
            {"id": track_id, "name": draw(texts), "levels": draw(sublists(level_ids))},
            {"summary": texts, "best_for": text_lists(), "challenges": text_lists()},
        )
        for track_id in draw(st.lists(slugs, min_size=1, max_size=3, unique=True))
    ]


@st.composite
def comparisons(draw: st.DrawFn, level_ids: list[str]) -> dict:
    compared = draw(sublists(level_ids))
    aspect = st.fixed_dictionaries(
        {"name": texts, "values": st.lists(texts, min_size=len(compared), max_size=len(compared))}
    )
    return {"levels": compared, "aspects": draw(st.lists(aspect, min_size=1, max_size=3))}


criteria = st.fixed_dictionaries({"name": texts, "description": texts})
promotions = st.one_of(
    st.fixed_dictionaries({"criteria": st.lists(criteria, min_size=1, max_size=3)}),
    st.fixed_dictionaries({"blockers": text_lists()}),
    st.fixed_dictionaries({"criteria": st.lists(criteria, min_size=1, max_size=3), "blockers": text_lists()}),
)
chapters = st.fixed_dictionaries(
    {"title": texts},
    optional={"paragraphs": text_lists(), "bullets": text_lists()},
).filter(lambda chapter: len(chapter) > 1)  # a chapter needs paragraphs or bullets
questions = st.fixed_dictionaries({"question": texts, "answer": texts})


@st.composite
def ladders(draw: st.DrawFn) -> dict:
    """Return a valid ladder file as a dict: the levels, and any of the optional sections."""
    about = with_optional(
        draw,
        {"id": draw(slugs), "title": draw(texts)},
        {"subtitle": texts, "organization": texts, "version": texts, "intro": text_lists()},
    )
    drawn_levels = draw(levels())
    level_ids = [level["id"] for level in drawn_levels]
    ladder = {"schema": 1, "ladder": about, "levels": drawn_levels}
    return with_optional(
        draw,
        ladder,
        {
            "tracks": tracks(level_ids),
            "comparison": comparisons(level_ids),
            "promotion": promotions,
            "chapters": st.lists(chapters, min_size=1, max_size=3),
            "faq": st.lists(questions, min_size=1, max_size=3),
        },
    )


class QuotingDumper(yaml.SafeDumper):
    """A YAML dumper that double-quotes every string, so no text is read back as a number or a boolean."""


QuotingDumper.add_representer(
    str, lambda dumper, text: dumper.represent_scalar("tag:yaml.org,2002:str", text, style='"')
)


def write_ladder(ladder: dict, folder: Path) -> Path:
    """Write `ladder` as a YAML file in `folder`, every string quoted; return its path."""
    path = folder / f"{ladder['ladder']['id']}.yaml"
    path.write_text(yaml.dump(ladder, Dumper=QuotingDumper, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def load(ladder: dict, folder: Path) -> Ladder:
    """Write `ladder` in `folder` and load it as guide does."""
    (loaded,) = load_ladders([write_ladder(ladder, folder)])
    return loaded


def strings_of(value: object, key: str = "") -> Iterator[str]:
    """Yield every printed string of a ladder dict, in file order (ids and level references left out)."""
    if isinstance(value, str):
        if key not in ("id", "next", "levels"):
            yield value
    elif isinstance(value, list):
        for item in value:
            yield from strings_of(item, key)
    elif isinstance(value, dict):
        for name, item in value.items():
            yield from strings_of(item, name)


@given(ladders())
@settings(SETTINGS, max_examples=60)
def test_every_quoted_string_loads_as_written(ladder: dict) -> None:
    with tempfile.TemporaryDirectory() as folder:
        loaded = load(ladder, Path(folder))
    assert sorted(loaded.texts()) == sorted(strings_of(ladder))


def opens(path: Path) -> bool:
    """Return whether a reader that did not write the file reads at least a page or a paragraph of it."""
    if path.suffix == ".pdf":
        return len(PdfReader(path).pages) > 0
    return len(open_docx(str(path)).paragraphs) > 0


def a_few(outputs: list[Output]) -> list[Output]:
    """Return the handbook, the first and last checklists and the last packet: one of each layout.

    Every document was rendered and parsed already; drawing them all would take seconds
    per example (a thirty-level ladder makes 149 files).
    """
    handbook, *rest = outputs
    checklists = [output for output in rest if output.files[0].parent.name == "checklists"]
    packets = [output for output in rest if output.files[0].parent.name == "packets"]
    return [handbook, checklists[0], checklists[-1], *packets[-1:]]


@given(ladders())
@settings(SETTINGS, max_examples=12)
def test_every_valid_ladder_builds(ladder: dict) -> None:
    project = Project(ROOT)
    with tempfile.TemporaryDirectory() as folder:
        loaded = load(ladder, Path(folder))
        outputs = prepare(project, [loaded], Path(folder) / "out", PRODUCTS, FORMATS)
        expected = len(loaded.levels) + len(loaded.promotion_targets()) + 1
        assert len(outputs) == expected
        chosen = a_few(outputs)
        written = list(write(chosen, project.theme()))
        assert written == [path for output in chosen for path in output.files]
        assert all(opens(path) for path in written if path.suffix != ".dotx")


def without_space(text: str) -> str:
    """Return `text` without whitespace: PDF lines break inside long texts, and extraction keeps the breaks."""
    return re.sub(r"\s+", "", text)


def in_pdf(text: str, printed: str) -> bool:
    """Return whether `text` is in the PDF text `printed`, line breaks aside.

    Right-to-left runs are drawn in visual order, Arabic in its joined forms: pypdf reads
    them back reversed to logical order, and NFKC takes joined forms back to letters.
    """
    if IS_RIGHT_TO_LEFT.search(text):
        text, printed = unicodedata.normalize("NFKC", text), unicodedata.normalize("NFKC", printed)
    return without_space(text) in without_space(printed)


def missing_from(texts: Iterable[str], printed: str, is_in: Any) -> list[str]:
    return [text for text in texts if not is_in(text, printed)]


def in_word(text: str, printed: str) -> bool:
    return " ".join(text.split()) in printed


@given(ladders())
@settings(SETTINGS, max_examples=12)
def test_every_text_is_printed_in_the_handbook(ladder: dict) -> None:
    project = Project(ROOT)
    with tempfile.TemporaryDirectory() as folder:
        loaded = load(ladder, Path(folder))
        outputs = prepare(project, [loaded], Path(folder) / "out", ("handbook",), FORMATS)
        pdf, docx = write(outputs, project.theme())
        assert missing_from(loaded.texts(), pdf_text(pdf), in_pdf) == []
        assert missing_from(loaded.texts(), docx_text(docx), in_word) == []
