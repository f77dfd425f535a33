"""Every shape of content on the page, in every product, read back from both formats.

`page_shapes.yaml` holds what breaks pages: a ten-level comparison with long
titles, German compound words, Chinese without spaces, a URL in every kind of
cell, a 3,000-character expectation, a level with one item per section and one
with forty. Its handbook, checklists and packets are built in PDF and Word; the
Word files are drawn by LibreOffice. Every page of every file is then read with
poppler and fails on a word cut where no rule allows it, a table's header drawn
twice on one page, or a page less than 15% full that does not end its chapter.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import FIXTURES, ROOT, SHIPPED_LADDER, convert_with_libreoffice, written_paths
from guide import build
from guide.itemkeys import item_key
from guide.ladder import Ladder
from guide.model import (
    Cell,
    Document,
    Heading,
    PageBreak,
    Table,
    TableOfContents,
    drawn_texts,
    inlines,
    plain_text,
    walk,
)
from guide.themefile import load_theme
from page_reading import PrintedWord, allowed_pieces, misbroken, page_fills, printed_words

LADDER = FIXTURES / "ladders" / "valid" / "page_shapes.yaml"
THEME = load_theme()
FRAME_TOP = THEME.margins.top.points
FRAME_BOTTOM = THEME.page_points[1] - THEME.margins.bottom.points
LEAST_FILL = 0.15
"""The least of its frame a page fills unless it ends its chapter."""
WRITERS_WORDS = ("Page", "of", "Signature", "Date", "MM/DD/YYYY", "One of:", "Tracks split here")
"""Words the writers draw themselves (until every label comes from a catalog)."""


@dataclass(frozen=True)
class Drawn:
    """One file as a reader sees it: the document it shows, the PDF, and who drew the PDF."""

    document: Document
    pdf: Path
    drawer: str

    def __str__(self) -> str:
        return f"{self.drawer}:{self.pdf.parent.name}/{self.pdf.name}"


@dataclass(frozen=True)
class Built:
    """A ladder, and every file built from it as readers see them."""

    ladder: Ladder
    files: list[Drawn]


BUILT: dict[Path, Built] = {}


@pytest.fixture(scope="module", params=[LADDER, SHIPPED_LADDER], ids=lambda path: path.stem)
def built(request, tmp_path_factory) -> Built:
    """Return a ladder's every file, ours and LibreOffice's of the Word files (built once)."""
    if request.param not in BUILT:
        BUILT[request.param] = _build(request.param, tmp_path_factory)
    return BUILT[request.param]


def _build(path: Path, tmp_path_factory) -> Built:
    """Build every product in both formats; return each PDF, ours and LibreOffice's of each Word file."""
    project = build.Project(ROOT)
    out = tmp_path_factory.mktemp("shapes")
    ladders = build.load_ladders([path])
    outputs = build.prepare(project, ladders, out, ("handbook", "checklists", "packets"), ("pdf", "docx"))
    written_paths(outputs, project.theme, jobs=2)
    files: list[Drawn] = []
    for output in outputs:
        for path in output.files:
            if path.suffix == ".pdf":
                files.append(Drawn(output.document, path, "pdf"))
    words = [(output.document, path) for output in outputs for path in output.files if path.suffix == ".docx"]
    for folder in sorted({path.parent for _, path in words}):
        sources = [(document, path) for document, path in words if path.parent == folder]
        converted = convert_with_libreoffice([path for _, path in sources], out / "office" / folder.name)
        files += [Drawn(document, pdf, "word") for (document, _), pdf in zip(sources, converted, strict=True)]
    return Built(ladders[0], files)


def test_every_product_of_the_ladder_is_read_back(built) -> None:
    ladder = built.ladder
    kinds = Counter((item.drawer, item.pdf.parent.name) for item in built.files)
    assert kinds[("pdf", "checklists")] == kinds[("word", "checklists")] == len(ladder.levels)
    assert kinds[("pdf", "packets")] == kinds[("word", "packets")] == len(ladder.promotion_targets())
    assert kinds[("pdf", ladder.id)] == kinds[("word", ladder.id)] == 1  # the handbook


def test_no_word_is_cut_where_no_rule_allows(built) -> None:
    problems = []
    for item in built.files:
        allowed = allowed_pieces([*drawn_texts(item.document), *WRITERS_WORDS])
        problems += [
            f"{item} p{word.page}: {word.text!r}" for word in misbroken(printed_words(item.pdf), allowed)
        ]
    assert problems == []


def test_no_table_header_is_drawn_twice_on_a_page(built) -> None:
    problems = []
    for item in built.files:
        lines = _lines(printed_words(item.pdf))
        for header in _unique_headers(item.document):
            pages = Counter(page for (page, _), line in lines.items() if _shows(line, header))
            problems += [f"{item} p{page}: {header}" for page, count in pages.items() if count > 1]
    assert problems == []


def test_no_page_is_nearly_empty_unless_it_ends_its_chapter(built) -> None:
    problems = []
    for item in built.files:
        words = printed_words(item.pdf)
        fills = page_fills(item.pdf, FRAME_TOP, FRAME_BOTTOM)
        openings = _chapter_openings(item.document)
        for page, fill in enumerate(fills[:-1], 1):
            if fill < LEAST_FILL and not _opens_chapter(words, page + 1, openings):
                problems.append(f"{item} p{page}: {fill:.0%} full")
    assert problems == []


def test_a_long_row_continues_with_its_answer_boxes_beside_it(tmp_path_factory) -> None:
    """The 3,000-character expectation runs over pages; its evidence and links boxes go with it."""
    shapes = BUILT.get(LADDER) or BUILT.setdefault(LADDER, _build(LADDER, tmp_path_factory))
    (staff,) = [item.pdf for item in shapes.files if str(item) == "pdf:packets/staff.pdf"]
    key = item_key(build.load_ladders([LADDER])[0].level("staff").expectations[0])
    evidence, links = f"evidence_expectation_{key}", f"links_expectation_{key}"
    widgets = defaultdict(list)
    for number, page in enumerate(PdfReader(staff).pages, 1):
        for annotation in page.get("/Annots") or []:
            name = str(annotation.get_object().get("/T", ""))
            if name.startswith((evidence, links)):
                widgets[number].append(name)
    first, *later = sorted(widgets)
    assert len(later) >= 1
    assert widgets[first] == [evidence, links]
    for part, page in enumerate(later, 2):
        assert widgets[page] == [f"{evidence}-part-{part}", f"{links}-part-{part}"]


# --- reading pages ---------------------------------------------------------------------------


def _lines(words: list[PrintedWord]) -> dict[tuple[int, int], list[str]]:
    """Return the words of each printed line, left to right, by (page, top rounded to a point)."""
    lines: dict[tuple[int, int], list[PrintedWord]] = defaultdict(list)
    for word in words:
        lines[(word.page, round(word.top))].append(word)
    return {
        key: [word.text for word in sorted(line, key=lambda word: word.left)] for key, line in lines.items()
    }


def _unique_headers(document: Document) -> list[tuple[str, ...]]:
    """Return the first word of each header cell of the tables whose header no other table has."""
    tables = [block for block in walk(document.blocks) if isinstance(block, Table) and block.header]
    headers = Counter(tuple(_first_word(cell) for cell in table.header[0]) for table in tables)
    return [header for header, count in headers.items() if count == 1 and all(header)]


def _first_word(cell: Cell) -> str:
    words = " ".join(plain_text(spans) for spans in inlines(cell.blocks)).split()
    return words[0] if words else ""


def _shows(line: list[str], header: tuple[str, ...]) -> bool:
    """Return whether a printed line holds the header's first words, in order."""
    position = 0
    for word in header:
        try:
            position = line.index(word, position) + 1
        except ValueError:
            return False
    return True


def _chapter_openings(document: Document) -> list[str]:
    """Return the squeezed texts that open a page of their own: headings after page breaks, the contents."""
    openings, after_break = [], True
    for block in document.blocks:
        if isinstance(block, Heading) and (block.new_page or after_break):
            openings.append(_squeezed(plain_text(block.spans)))
        if isinstance(block, TableOfContents):
            openings.append(_squeezed(block.title))
        after_break = isinstance(block, PageBreak)
    return openings


def _opens_chapter(words: list[PrintedWord], page: int, openings: list[str]) -> bool:
    framed = [word for word in words if word.page == page and FRAME_TOP - 2 < word.top < FRAME_BOTTOM]
    text = _squeezed(
        " ".join(word.text for word in sorted(framed, key=lambda word: (round(word.top), word.left)))
    )
    return any(text.startswith(opening[:40]) for opening in openings if opening)


def _squeezed(text: str) -> str:
    return "".join(text.split())
