"""Comparisons of many levels: tables narrow enough to read, in the PDF and the Word handbook.

One column per compared level left ten columns a few characters wide each, and made
fifty levels with long titles a header row taller than a page: the PDF failed to build.
The handbook now puts at most four levels, or aspects, across a table and shares the
rest out over tables that repeat the first column (`guide/layouts/handbook.xml.j2`).
Each fixture says in its first comment what it tries; every word of their comparisons
fits a readable column, so any word drawn in pieces is a column too narrow.
"""

from __future__ import annotations

import html
import re
import subprocess
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from docx import Document as open_docx
from docx.oxml.ns import qn
from docx.shared import Pt
from pypdf import PdfReader

from conftest import FIXTURES, ROOT, SHIPPED_LADDER, system_tool
from guide import build
from guide.ladder import Ladder
from guide.model import Cell, Heading, Paragraph, Table, plain_text
from guide.themefile import load_theme
from guide.writers.pdf import write_pdf
from guide.writers.word import write_docx

THEME = load_theme()
VALID = FIXTURES / "ladders" / "valid"
LADDERS = [VALID / f"comparison_{count}_levels.yaml" for count in ("nine", "twenty", "fifty")]
MOST_ACROSS = 4
"""The most levels, or aspects, a comparison table puts beside its first column."""
READABLE_COLUMN = Pt(60)
"""The narrowest column that holds ten characters of 10 pt text, the longest of most words."""


@dataclass(frozen=True)
class Handbook:
    ladder: Ladder
    pdf: Path
    docx: Path


@pytest.fixture(scope="module", params=LADDERS, ids=lambda path: path.stem)
def handbook(request, tmp_path_factory) -> Handbook:
    """Return the ladder and its handbook, written in both formats by the writers in this process."""
    project = build.Project(ROOT)
    ladders = build.load_ladders([request.param])
    (output,) = build.prepare(project, ladders, Path("out"), ("handbook",), ("pdf", "docx"))
    folder = tmp_path_factory.mktemp(ladders[0].id)
    pdf, docx = folder / "handbook.pdf", folder / "handbook.docx"
    pdf.write_bytes(write_pdf(output.document, project.theme))
    docx.write_bytes(write_docx(output.document, project.theme))
    return Handbook(ladders[0], pdf, docx)


def compared_texts(ladder: Ladder) -> Iterator[str]:
    """Yield every text the comparison shows: the levels' titles, the aspects and their values."""
    assert ladder.comparison is not None
    yield from (ladder.level(level_id).title for level_id in ladder.comparison.levels)
    for aspect in ladder.comparison.aspects:
        yield aspect.name
        yield from aspect.values


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def word_pieces(words: Iterator[str]) -> Counter[str]:
    """Return `words` cut after each of their own hyphens, where a line may break, counted."""
    return Counter(piece for word in words for piece in re.split(r"(?<=-)(?=.)", word))


# --- the PDF, read back with poppler and pypdf -------------------------------------------


def comparison_pages(pdf: Path) -> range:
    """Return the pages (from 1) from "Comparing levels" to the next chapter, by the PDF's outline."""
    reader = PdfReader(pdf)
    chapters = [(entry.title, reader.get_destination_page_number(entry)) for entry in reader.outline
                if not isinstance(entry, list)]  # fmt: skip
    titles = [title for title, _ in chapters]
    start = titles.index("Comparing levels")
    end = chapters[start + 1][1] if start + 1 < len(chapters) else len(reader.pages)
    return range(chapters[start][1] + 1, end + 1)


def poppler(pdf: Path, pages: range, *options: str) -> str:
    """Return what pdftotext prints for `pages` of `pdf` with `options`."""
    first, last = str(pages.start), str(pages.stop - 1)
    command = [system_tool("pdftotext"), *options, "-f", first, "-l", last, str(pdf), "-"]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


WORD_BOX = r'<word [^>]*yMin="([\d.]+)" [^>]*yMax="([\d.]+)">([^<]*)</word>'
"""A word of `pdftotext -bbox`: its top, its bottom (from the top of the page) and its text."""


@dataclass(frozen=True)
class Word:
    """A word poppler found: its text, its page (from 1) and how far down the text frame it ends (0 to 1)."""

    text: str
    page: int
    depth: float


def drawn_words(pdf: Path, pages: range) -> list[Word]:
    """Return the words poppler finds on `pages` inside the text frame, without the running header and footer.

    A word a line end cuts in two is two words here.
    """
    found = []
    for page in pages:
        boxes = poppler(pdf, range(page, page + 1), "-bbox")
        height = float(re.search(r'<page width="[\d.]+" height="([\d.]+)"', boxes).group(1))
        frame_top, frame_bottom = THEME.margins.top.points, height - THEME.margins.bottom.points
        for top, bottom, text in re.findall(WORD_BOX, boxes):
            if frame_top <= float(top) and float(bottom) <= frame_bottom:
                depth = (float(bottom) - frame_top) / (frame_bottom - frame_top)
                found.append(Word(html.unescape(text), page, depth))
    return found


def test_every_title_aspect_and_value_is_in_the_pdf_comparison(handbook: Handbook) -> None:
    # -raw keeps the order the text is drawn in: a cell's lines one after the other
    raw = poppler(handbook.pdf, comparison_pages(handbook.pdf), "-raw")
    text = squeeze(re.sub(r"-\n", "-", raw))
    assert [item for item in compared_texts(handbook.ladder) if squeeze(item) not in text] == []


def test_no_word_of_the_comparison_is_drawn_in_pieces(handbook: Handbook) -> None:
    drawn = word_pieces(word.text for word in drawn_words(handbook.pdf, comparison_pages(handbook.pdf)))
    expected = word_pieces(word for text in compared_texts(handbook.ladder) for word in text.split())
    assert expected - drawn == Counter()


def test_every_comparison_page_but_the_last_is_more_than_half_full(handbook: Handbook) -> None:
    pages = comparison_pages(handbook.pdf)
    words = drawn_words(handbook.pdf, pages)
    reach = {page: max(word.depth for word in words if word.page == page) for page in pages}
    assert [page for page in pages[:-1] if reach[page] < 0.5] == []


# --- the Word file, read back with python-docx -------------------------------------------


def comparison_tables(docx: Path) -> list:
    """Return the w:tbl elements between the "Comparing levels" heading and the next chapter."""
    body = open_docx(str(docx)).element.body
    tables, inside = [], False
    for child in body.iterchildren():
        if child.tag == qn("w:p") and child.style == "Heading1":
            inside = "".join(t.text or "" for t in child.iter(qn("w:t"))) == "Comparing levels"
        elif child.tag == qn("w:tbl") and inside:
            tables.append(child)
    return tables


def cell_text(cell) -> str:
    """Return the text of a w:tc: its paragraphs joined by spaces, the runs of each joined as they are."""
    return squeeze(" ".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in cell.iter(qn("w:p"))))


def test_every_title_aspect_and_value_is_a_cell_of_the_word_comparison(handbook: Handbook) -> None:
    cells = {cell_text(cell) for table in comparison_tables(handbook.docx) for cell in table.iter(qn("w:tc"))}
    assert [item for item in compared_texts(handbook.ladder) if squeeze(item) not in cells] == []


def test_word_comparison_columns_are_few_and_readable(handbook: Handbook) -> None:
    tables = comparison_tables(handbook.docx)
    widths = [[int(column.get(qn("w:w"))) for column in table.iter(qn("w:gridCol"))] for table in tables]
    assert all(len(columns) <= MOST_ACROSS + 1 for columns in widths)
    assert min(width for columns in widths for width in columns) >= READABLE_COLUMN.twips


# --- the layout's choice, in the document model ------------------------------------------


LEVEL_LISTS = "responsibilities: [r], skills: [s], expectations: [e]"
"""The lists every level must have, each of one item."""


def generated_ladder(folder: Path, level_count: int, aspect_count: int) -> Path:
    """Write a ladder comparing all its `level_count` levels over `aspect_count` aspects; return its path."""
    numbers = range(1, level_count + 1)
    lines = ["schema: 1", "ladder: {id: generated, title: Generated}", "levels:"]
    for n in numbers:
        lines.append(f"  - {{id: l{n}, title: Level {n}, summary: s, {LEVEL_LISTS}}}")
    lines += ["comparison:", f"  levels: [{', '.join(f'l{n}' for n in numbers)}]", "  aspects:"]
    for a in range(1, aspect_count + 1):
        values = ", ".join(f"Value {a} at {n}" for n in numbers)
        lines.append(f"    - {{name: Aspect {a}, values: [{values}]}}")
    path = folder / f"compare_{level_count}_by_{aspect_count}.yaml"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def every_value(level_count: int, aspect_count: int) -> Counter[tuple[str, str, str]]:
    """Return each (aspect, level title, value) of a `generated_ladder`, once."""
    return Counter((f"Aspect {a}", f"Level {n}", f"Value {a} at {n}")
                   for a in range(1, aspect_count + 1) for n in range(1, level_count + 1))  # fmt: skip


def comparison_chapter(ladder_path: Path) -> list:
    """Return the blocks of the handbook's "Comparing levels" chapter, its heading first."""
    ladders = build.load_ladders([ladder_path])
    (output,) = build.prepare(build.Project(ROOT), ladders, Path("out"), ("handbook",), ("docx",))
    blocks = list(output.document.blocks)
    chapters = {n: block for n, block in enumerate(blocks) if isinstance(block, Heading) and block.level == 1}
    start = next(n for n, heading in chapters.items() if heading.anchor == "comparison")
    ends = [n for n in chapters if n > start]
    return blocks[start : ends[0] if ends else len(blocks)]


def text_of(cell: Cell) -> str:
    return squeeze(" ".join(plain_text(block.spans) for block in cell.blocks if isinstance(block, Paragraph)))


def shown_values(tables: list[Table]) -> Counter[tuple[str, str, str]]:
    """Return each (aspect, level title, value) the tables show, counted, whichever way they run."""
    shown: Counter[tuple[str, str, str]] = Counter()
    for table in tables:
        corner, *across = [text_of(cell) for cell in table.header[0]]
        for row in table.rows:
            down, *values = [text_of(cell) for cell in row]
            for column, value in zip(across, values, strict=True):
                shown[(down, column, value) if corner == "Aspect" else (column, down, value)] += 1
    return shown


SHAPES = [(1, 1), (4, 12), (5, 1), (5, 9), (6, 6), (7, 3), (13, 13), (21, 9)]
"""Levels and aspects compared: one table, levels across, levels down, shared out either way."""


@pytest.mark.parametrize(("level_count", "aspect_count"), SHAPES)
def test_each_value_is_shown_once_in_tables_few_columns_wide(level_count, aspect_count, tmp_path) -> None:
    chapter = comparison_chapter(generated_ladder(tmp_path, level_count, aspect_count))
    tables = [block for block in chapter if isinstance(block, Table)]
    assert shown_values(tables) == every_value(level_count, aspect_count)
    assert max(len(table.widths) for table in tables) <= MOST_ACROSS + 1
    shared_out = min(level_count, aspect_count) if level_count > MOST_ACROSS else 1
    assert len(tables) == -(-shared_out // MOST_ACROSS)  # as few as can be


def test_a_thousand_levels_are_the_rows_of_tables_of_three_aspects(tmp_path) -> None:
    chapter = comparison_chapter(generated_ladder(tmp_path, 1000, 6))
    tables = [block for block in chapter if isinstance(block, Table)]
    assert shown_values(tables) == every_value(1000, 6)
    assert [len(table.widths) for table in tables] == [4, 4]
    parts = [plain_text(block.spans) for block in chapter if isinstance(block, Heading) and block.level == 2]
    assert parts == ["Aspects 1 to 3 of 6", "Aspects 4 to 6 of 6"]


def test_the_shipped_comparison_is_one_table_of_its_four_levels() -> None:
    (ladder,) = build.load_ladders([SHIPPED_LADDER])
    assert ladder.comparison is not None
    chapter = comparison_chapter(SHIPPED_LADDER)
    assert [type(block) for block in chapter] == [Heading, Table]
    table = chapter[1]
    titles = [ladder.level(level_id).title for level_id in ladder.comparison.levels]
    assert [text_of(cell) for cell in table.header[0]] == ["Aspect", *titles]
    assert [[text_of(cell) for cell in row] for row in table.rows] == [
        [aspect.name, *aspect.values] for aspect in ladder.comparison.aspects
    ]
