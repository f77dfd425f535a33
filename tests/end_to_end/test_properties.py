"""Properties that hold for every valid ladder, not only for the fixtures.

Hypothesis writes random valid ladder files: random slugs, one to thirty levels
promoted upwards (to the next level, sometimes past it too), each optional key and
section present or absent, and text in the scripts the bundled fonts draw (accented
Latin, Greek, Cyrillic, Chinese, Arabic, Hebrew, emoji) mixed with digits, ASCII
punctuation and pieces that mean something in markup and templates (`<b>`, `&amp;`,
`{{ x }}`, `**`, `#`). Every string is quoted in the file, as text must be. For every
such ladder, this file proves that:

- every string loads exactly as written;
- the ladder builds: every document of every product renders, and a handbook, a
  checklist and a packet are written and open in readers that did not write them;
- every text of the ladder is in the handbook's Word file, and in its PDF.

The PDF property draws left-to-right text only. Right-to-left runs are drawn in visual
order, and pypdf reads a line that mixes directions back in an order of its own (the
title "אבג (<!-- x)" comes out as "--!<( אבגx)"), so a missing text could not be told
from a misread one; tests/test_build.py and tests/end_to_end/test_hostile.py check right-to-left
text in PDFs by example.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import yaml
from docx import Document as open_docx
from docx.oxml.ns import qn
from hypothesis import example, given, settings
from pypdf import PdfReader

from conftest import ROOT, written_paths
from guide.build import FORMATS, PRODUCTS, Project, load_ladders, prepare
from guide.ladder import Ladder
from guide.writing import Output
from ladder_strategies import (
    BUILDING,
    LEFT_TO_RIGHT,
    LEFT_TO_RIGHT_WORD,
    RIGHT_TO_LEFT,
    SETTINGS,
    QuotingDumper,
    ladders,
    longest_ladder,
)
from test_build import docx_text, pdf_body_text


def load(ladder: dict, folder: Path) -> Ladder:
    """Write `ladder` as a YAML file in `folder`, every string quoted, and load it as guide does."""
    path = folder / f"{ladder['ladder']['id']}.yaml"
    path.write_text(yaml.dump(ladder, Dumper=QuotingDumper, allow_unicode=True, sort_keys=False), "utf-8")
    (loaded,) = load_ladders([path])
    return loaded


def strings_of(value: object, key: str = "") -> Iterator[str]:
    """Yield every string of a ladder dict that documents print: not ids, not references to levels."""
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
@example(longest_ladder(LEFT_TO_RIGHT | RIGHT_TO_LEFT))
@settings(SETTINGS, max_examples=50)
def test_every_quoted_string_loads_as_written(ladder: dict) -> None:
    with tempfile.TemporaryDirectory() as folder:
        loaded = load(ladder, Path(folder))
    # An absent optional text is "" in the Ladder, and is not in the file.
    assert sorted(text for text in loaded.texts() if text) == sorted(strings_of(ladder))


def one_of_each_layout(outputs: list[Output]) -> list[Output]:
    """Return the handbook, the most senior level's checklist and the last packet (if any).

    Drawing every document of a thirty-level ladder (149 files) takes ten seconds;
    rendering and parsing them all, which `prepare` does, takes a tenth of one.
    """
    handbook, *rest = outputs
    checklists = [output for output in rest if output.files[0].parent.name == "checklists"]
    packets = [output for output in rest if output.files[0].parent.name == "packets"]
    return [handbook, checklists[-1], *packets[-1:]]


def opens(path: Path) -> bool:
    """Return whether a reader that did not write the file finds a page or a paragraph in it."""
    if path.suffix == ".pdf":
        return len(PdfReader(path).pages) > 0
    if path.suffix == ".dotx":  # python-docx refuses templates: read the main part as XML
        return bool(docx_text(path))
    return len(open_docx(str(path)).paragraphs) > 0


@given(ladders())
@example(longest_ladder(LEFT_TO_RIGHT | RIGHT_TO_LEFT))
@settings(BUILDING, max_examples=5)
def test_every_valid_ladder_builds(ladder: dict) -> None:
    project = Project(ROOT)
    with tempfile.TemporaryDirectory() as folder:
        loaded = load(ladder, Path(folder))
        outputs = prepare(project, [loaded], Path(folder) / "out", PRODUCTS, FORMATS)
        assert len(outputs) == 1 + len(loaded.levels) + len(loaded.promotion_targets())
        chosen = one_of_each_layout(outputs)
        written = written_paths(chosen, project.theme)
        assert written == [path for output in chosen for path in output.files]
        assert [path for path in written if not opens(path)] == []


def build_handbook(ladder: dict, folder: Path, file_format: str) -> tuple[Ladder, Path]:
    """Build the handbook of `ladder` in `folder` as one file of `file_format`; return the ladder and file."""
    project = Project(ROOT)
    loaded = load(ladder, folder)
    outputs = prepare(project, [loaded], folder / "out", ("handbook",), (file_format,))
    (handbook,) = written_paths(outputs, project.theme)
    return loaded, handbook


def squeezed(text: str) -> str:
    """Return `text` with each run of whitespace made one space."""
    return " ".join(text.split())


LINE_BREAKS = (qn("w:br"), qn("w:cr"), qn("w:tab"))


def word_text(path: Path) -> str:
    """Return the text of every paragraph of a Word file (table cells too), squeezed.

    A line break inside a paragraph (`w:br`, as the writer stores "\\n") reads as a space.
    """
    paragraphs = (
        "".join(
            " " if node.tag in LINE_BREAKS else node.text or ""
            for node in paragraph.iter(qn("w:t"), *LINE_BREAKS)
        )
        for paragraph in open_docx(str(path)).element.body.iter(qn("w:p"))
    )
    return squeezed(" ".join(paragraphs))


def without_whitespace(text: str) -> str:
    """Return `text` with no whitespace: PDF lines break inside long texts, and extraction keeps breaks."""
    return re.sub(r"\s+", "", text)


def missing(texts: Iterable[str], printed: str) -> list[str]:
    """Return the texts that are not in `printed`."""
    return [text for text in texts if text not in printed]


@given(ladders())
@example(longest_ladder(LEFT_TO_RIGHT | RIGHT_TO_LEFT))
@settings(BUILDING, max_examples=10)
def test_every_text_is_in_the_handbook_docx(ladder: dict) -> None:
    with tempfile.TemporaryDirectory() as folder:
        loaded, docx = build_handbook(ladder, Path(folder), "docx")
        assert missing(map(squeezed, loaded.texts()), word_text(docx)) == []


# At most four compared levels: a comparison row taller than a page is split across pages
# (as it should be), and pypdf then reads every cell's first part before any cell's rest.
@given(ladders(LEFT_TO_RIGHT_WORD, most_compared=4))
@example(longest_ladder(LEFT_TO_RIGHT))
@settings(BUILDING, max_examples=10)
def test_every_left_to_right_text_is_in_the_handbook_pdf(ladder: dict) -> None:
    with tempfile.TemporaryDirectory() as folder:
        loaded, pdf = build_handbook(ladder, Path(folder), "pdf")
        # Without the running header and footer, a paragraph that runs over a page break is whole.
        printed = without_whitespace(pdf_body_text(pdf))
        assert missing(map(without_whitespace, loaded.texts()), printed) == []
