"""Typography in both writers: contents leaders, titles, the heading scale, page balance, the Word diagram.

PDFs are read back with poppler (pdftotext -bbox-layout, pdfimages) and pypdf, Word
files with lxml and python-docx, and through LibreOffice for how Word files print.
"""

from __future__ import annotations

import io
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
import pypdf
import pytest
from lxml import etree
from PIL import Image

from conftest import FIXTURES, ROOT, SHIPPED_LADDER, convert_with_libreoffice, system_tool
from guide import build, documents
from guide.content import load_ladder
from guide.model import (
    Block,
    BulletList,
    Diagram,
    DiagramEdge,
    DiagramNode,
    Document,
    Heading,
    Metadata,
    PageBreak,
    Paragraph,
    Span,
    TableOfContents,
    plain_text,
)
from guide.scripts import TITLE_ROLES
from guide.themefile import load_theme
from guide.writers.pdf import sections, write_pdf
from guide.writers.word import write_docx

THEME = load_theme()
PAGE_HEIGHT = THEME.page_points[1]
FRAME_TOP = THEME.margins.top.points
FRAME_BOTTOM = PAGE_HEIGHT - THEME.margins.bottom.points
"""The text frame, measured down from the top of the page as pdftotext does."""
NEAR_EMPTY = 0.15
SHORT_WORD = 6
"""A title's last line holding one word shorter than this many letters reads as a mistake."""
LADDERS = FIXTURES / "ladders"
PUSHED_EXPECTATIONS = (3, 5)
"""Extra one-line expectations for Senior PM in the shipped ladder: each pushes the level's last
short section ("Path to the next level") over the page end by itself."""


# --- reading a PDF back with pdftotext ---------------------------------------------------------


@dataclass(frozen=True)
class Word:
    text: str
    left: float
    top: float
    right: float
    bottom: float

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass(frozen=True)
class Line:
    words: tuple[Word, ...]

    @property
    def text(self) -> str:
        """Return the line's words joined by spaces (a no-break space read as a space)."""
        return " ".join(word.text for word in self.words).replace("\xa0", " ")


def pages_of(data: bytes) -> list[list[Line]]:
    """Return each page's lines of text, top down, running header and footer left out.

    Words are read with pdftotext and put in one line when they share a baseline
    (pdftotext's own lines may cut an entry from its page number).
    """
    output = subprocess.run(
        [system_tool("pdftotext"), "-bbox", "-", "-"], input=data, capture_output=True, check=True
    ).stdout
    root = etree.fromstring(output, etree.XMLParser(recover=True))
    pages = []
    for page in root.iter("{*}page"):
        words = [
            Word(word.text or "", *(float(word.get(side)) for side in ("xMin", "yMin", "xMax", "yMax")))
            for word in page.iter("{*}word")
        ]
        framed = [word for word in words if word.top >= FRAME_TOP - 2 and word.bottom <= FRAME_BOTTOM + 2]
        pages.append(lines_of(framed))
    return pages


def lines_of(words: list[Word]) -> list[Line]:
    """Return `words` in lines, top down: words whose bottoms are within a fifth of their height."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda word: (word.bottom, word.left)):
        if lines and word.bottom - lines[-1][-1].bottom < word.height / 5:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [Line(tuple(sorted(line, key=lambda word: word.left))) for line in lines]


def fill(lines: list[Line]) -> float:
    """Return how far down the text frame a page's text reaches, as a share of the frame's height."""
    lowest = max((word.bottom for line in lines for word in line.words), default=FRAME_TOP)
    return (lowest - FRAME_TOP) / (FRAME_BOTTOM - FRAME_TOP)


# --- documents -----------------------------------------------------------------------------------


def handbook_of(path: Path) -> Document:
    """Return the handbook document of the ladder at `path`, as the build makes it."""
    piece = next(documents.plan(load_ladder(path), ("handbook",), ("pdf",)))
    return documents.render(build.Project(ROOT).layouts, piece)


def pushed_ladder(folder: Path, extra: int) -> Path:
    """Return the shipped ladder with `extra` more expectations for Senior PM, written into `folder`."""
    last = "      - Raises the standard of work across the product organization.\n"
    text = SHIPPED_LADDER.read_text("utf-8")
    assert last in text, "the shipped ladder's Senior PM lists this expectation last"
    added = "".join(
        f"      - Extra expectation {number}, one line of text about the work.\n" for number in range(extra)
    )
    path = folder / f"pushed-{extra}.yaml"
    path.write_text(text.replace(last, last + added), "utf-8")
    return path


@pytest.fixture(scope="module")
def handbooks(tmp_path_factory) -> dict[str, tuple[Document, bytes]]:
    """Return handbooks by name: the shipped one, fixture ladders' and pushed ones, each with its PDF."""
    folder = tmp_path_factory.mktemp("typography")
    paths = {
        "shipped": SHIPPED_LADDER,
        "eleven levels": LADDERS / "valid" / "unicode_eleven_levels.yaml",
        "world scripts": LADDERS / "valid" / "world_scripts.yaml",
        **{f"pushed {extra}": pushed_ladder(folder, extra) for extra in PUSHED_EXPECTATIONS},
    }
    documents = {name: handbook_of(path) for name, path in paths.items()}
    return {name: (document, write_pdf(document, THEME)) for name, document in documents.items()}


def spans(text: str) -> tuple[Span, ...]:
    return (Span(text),)


TITLE_TEXTS = [f"Careers in {'product ' * count}(L{count})" for count in range(2, 14)]
"""Titles from two lines to four at each heading size: at some lengths "(Ln)" alone would end one."""


def titled_document() -> Document:
    """Return a document of titles and headings whose last word is short, a lead paragraph and a diagram."""
    blocks: list[Block] = [Paragraph(spans(text), "title") for text in TITLE_TEXTS[:6]]
    for level in (1, 2, 3):
        blocks += [Heading(level, spans(text)) for text in TITLE_TEXTS]
    blocks += [
        PageBreak(),
        Heading(1, spans("Chapter")),
        Heading(2, spans("Level")),
        Paragraph(spans("A lead paragraph under the level's heading."), "lead"),
        DIAGRAM,
    ]
    return Document(
        Metadata(title="Titles", organization="Acme", version="1", kind="Handbook"), tuple(blocks)
    )


DIAGRAM = Diagram(
    "Two levels: Engineer to Senior engineer.",
    nodes=(DiagramNode("engineer", "Engineer", "E1"), DiagramNode("senior", "Senior engineer", "E2")),
    edges=(DiagramEdge("engineer", "senior"),),
)


def lone_short_words(document: Document, pages: list[list[Line]]) -> list[str]:
    """Return each line that holds only the last word of a title or heading of `document`, when short."""
    endings = {
        tuple(plain_text(block.spans).split()[-2:])
        for block in document.blocks
        if isinstance(block, Heading) or (isinstance(block, Paragraph) and block.role in TITLE_ROLES)
    }
    lines = [line.text for page in pages for line in page]
    return [
        f"{before!r} / {line!r}"
        for before, line in zip(lines, lines[1:], strict=False)
        for ending in endings
        if len(ending) == 2 and line == ending[1] and before.endswith(ending[0]) and len(line) < SHORT_WORD
    ]


# --- the table of contents -----------------------------------------------------------------------


def test_contents_page_numbers_end_at_one_x_and_their_leaders_share_one_grid(handbooks) -> None:
    _document, data = handbooks["shipped"]
    (contents,) = [page for page in pages_of(data) if page and page[0].text == "Contents"]
    entries = contents[1:]
    assert len(entries) > 20
    numbers = [line.words[-1] for line in entries]
    assert all(number.text.isdigit() for number in numbers)
    assert max(number.right for number in numbers) - min(number.right for number in numbers) < 0.5
    dots = [[word.left for word in line.words if word.text == "."] for line in entries]
    assert all(len(row) >= 3 for row in dots), "every entry has a leader"
    last_dots = [row[-1] for row in dots]
    assert max(last_dots) - min(last_dots) < 0.5, "every leader ends at one x"
    steps = [right - left for row in dots for left, right in zip(row, row[1:], strict=False)]
    assert max(steps) - min(steps) < 0.1, "and its dots are one step apart"


# --- titles and headings -------------------------------------------------------------------------


def test_no_title_or_heading_of_a_handbook_ends_in_a_lone_short_word(handbooks) -> None:
    for name, (document, data) in handbooks.items():
        assert lone_short_words(document, pages_of(data)) == [], name


def test_no_title_or_heading_ends_in_a_lone_short_word_in_pdf(monkeypatch) -> None:
    document = titled_document()
    assert lone_short_words(document, pages_of(write_pdf(document, THEME))) == []
    monkeypatch.setattr("guide.writers.pdf.blocks.keep_last_words", lambda spans: spans)
    unkept = lone_short_words(document, pages_of(write_pdf(document, THEME)))
    assert len(unkept) >= 3, "without the no-break space, some of these titles end in a lone word"


@pytest.fixture(scope="module")
def printed_word(tmp_path_factory) -> tuple[bytes, Path]:
    """Return the titled document as a Word file, and the PDF LibreOffice prints it as."""
    folder = tmp_path_factory.mktemp("word")
    data = write_docx(titled_document(), THEME)
    source = folder / "titled.docx"
    source.write_bytes(data)
    (printed,) = convert_with_libreoffice([source], folder)
    return data, printed


def test_no_title_or_heading_ends_in_a_lone_short_word_in_word(printed_word) -> None:
    _data, printed = printed_word
    pages = pages_of(printed.read_bytes())
    assert any(line.text == "Chapter" for page in pages for line in page), "the printed text is readable"
    assert lone_short_words(titled_document(), pages) == []


# --- the heading scale ---------------------------------------------------------------------------


def heights(pages: list[list[Line]], text: str) -> set[int]:
    """Return the heights of the first words of each line reading `text`, in tenths of a point."""
    return {round(line.words[0].height * 10) for page in pages for line in page if line.text == text}


def lead_heights(pages: list[list[Line]], start: str) -> set[int]:
    """Return the heights of the first words of the lines that start with `start`, in tenths of a point."""
    return {
        round(line.words[0].height * 10) for page in pages for line in page if line.text.startswith(start)
    }


def test_a_level_heading_stands_between_its_lead_paragraph_and_a_chapter_heading_in_pdf(handbooks) -> None:
    document, data = handbooks["shipped"]
    pages = pages_of(data)
    (chapter,) = heights(pages, "Introduction")
    (level,) = heights(pages, "Senior Product Manager (L5)")
    lead = next(block for block in document.blocks if isinstance(block, Paragraph) and block.role == "lead")
    (lead_height,) = lead_heights(pages, " ".join(plain_text(lead.spans).split()[:4]))
    assert chapter >= level * 1.15 and level >= lead_height * 1.2


def test_a_level_heading_stands_between_its_lead_paragraph_and_a_chapter_heading_in_word(
    printed_word,
) -> None:
    data, printed = printed_word
    styles = docx.Document(io.BytesIO(data)).styles
    size = {
        name: styles[name].font.size.pt for name in ("Title", "Heading 1", "Heading 2", "Heading 3", "Lead")
    }
    assert size["Title"] > size["Heading 1"] >= size["Heading 2"] * 1.15
    assert size["Heading 2"] >= size["Lead"] * 1.2 and size["Heading 3"] < size["Heading 2"]
    pages = pages_of(printed.read_bytes())
    (chapter,) = heights(pages, "Chapter")
    (level,) = heights(pages, "Level")
    (lead,) = lead_heights(pages, "A lead paragraph")
    assert chapter >= level * 1.15 and level >= lead * 1.2


# --- near-empty pages ----------------------------------------------------------------------------


def outline_pages(data: bytes) -> dict[str, int]:
    """Return the 1-based page of each outline entry of the PDF `data`, by its title."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    pages: dict[str, int] = {}

    def visit(entries: list) -> None:
        for entry in entries:
            if isinstance(entry, list):
                visit(entry)
            else:
                pages.setdefault(entry.title, reader.get_destination_page_number(entry) + 1)

    visit(reader.outline)
    return pages


def opening_pages(document: Document, data: bytes, pages: list[list[Line]]) -> set[int]:
    """Return the 1-based pages that open a part of `document`.

    They are the first page, the contents' page and the page of each new-page heading.
    """
    outline = outline_pages(data)
    openers = {1}
    for block in document.blocks:
        if isinstance(block, Heading) and block.new_page:
            openers.add(outline[" ".join(plain_text(block.spans).split("\n"))])
        if isinstance(block, TableOfContents):
            openers |= {
                number for number, page in enumerate(pages, 1) if page and page[0].text == block.title
            }
    return openers


def near_empty_pages(document: Document, data: bytes) -> list[tuple[int, float]]:
    """Return (page, share filled) for each page under NEAR_EMPTY full that does not open a part.

    Stricter than "no near-empty page but a chapter's last": a part (a chapter, a
    handbook's level) may be short, but one that runs over a page does so by enough.
    """
    pages = pages_of(data)
    openers = opening_pages(document, data, pages)
    return [
        (number, round(fill(lines), 2))
        for number, lines in enumerate(pages, 1)
        if fill(lines) < NEAR_EMPTY and number not in openers
    ]


def test_no_handbook_page_is_near_empty_unless_its_part_is_that_short(handbooks) -> None:
    for name, (document, data) in handbooks.items():
        assert near_empty_pages(document, data) == [], name


def test_the_pushed_ladders_would_leave_a_near_empty_page_without_balancing(handbooks, monkeypatch) -> None:
    """The test above is only worth something if the pushed ladders put a level's last lines on a page."""
    monkeypatch.setattr(sections, "LAST_PAGE_SHARE", 0.0)
    for extra in PUSHED_EXPECTATIONS:
        document, _ = handbooks[f"pushed {extra}"]
        assert near_empty_pages(document, write_pdf(document, THEME)) != []


@pytest.mark.parametrize("pages", [1, 3])
def test_a_chapter_that_runs_over_by_a_line_takes_enough_lines_along(pages: int) -> None:
    """Its last lines come in one long paragraph, running over one page end or several."""
    for lines in range(pages * 50 - 6, pages * 50):
        text = "\n".join(f"line {number}" for number in range(lines))
        items = BulletList(tuple(spans(f"item {number}") for number in range(3)))
        blocks = (
            Heading(1, spans("First"), anchor="first"), items, Paragraph(spans(text)),
            Heading(1, spans("Second"), anchor="second", new_page=True), Paragraph(spans("end")),
        )  # fmt: skip
        document = Document(
            Metadata(title="Runs over", organization="Acme", version="1", kind="Handbook"), blocks
        )
        data = write_pdf(document, THEME)
        assert near_empty_pages(document, data) == [], lines


# --- the Word diagram ----------------------------------------------------------------------------

NAMESPACES = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "asvg": "http://schemas.microsoft.com/office/drawing/2016/SVG/main",
}
EMU_PER_INCH = 914400


def test_the_word_diagram_is_svg_with_a_png_beside_it_at_print_resolution(printed_word) -> None:
    data, printed = printed_word
    package = zipfile.ZipFile(io.BytesIO(data))
    body = etree.fromstring(package.read("word/document.xml"))
    relationships = etree.fromstring(package.read("word/_rels/document.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target") for rel in relationships}
    (picture,) = body.xpath(
        "//wp:inline[wp:docPr/@descr=$description]", namespaces=NAMESPACES, description=DIAGRAM.description
    )
    (blip,) = picture.xpath(".//a:blip", namespaces=NAMESPACES)
    (svg_reference,) = blip.xpath("a:extLst/a:ext/asvg:svgBlip/@r:embed", namespaces=NAMESPACES)
    svg = etree.fromstring(package.read("word/" + targets[svg_reference]))
    assert etree.QName(svg).localname == "svg"
    drawn = {etree.QName(element).localname for element in svg.iter(etree.Element)}
    assert {"rect", "path", "polygon"} <= drawn and not drawn & {"image", "text"}, "vectors, text as outlines"
    assert "image/svg+xml" in package.read("[Content_Types].xml").decode()

    png_name = "word/" + targets[blip.get(f"{{{NAMESPACES['r']}}}embed")]
    with Image.open(io.BytesIO(package.read(png_name))) as fallback:
        (extent,) = picture.xpath("wp:extent", namespaces=NAMESPACES)
        inches = int(extent.get("cx")) / EMU_PER_INCH
        assert fallback.format == "PNG" and fallback.size[0] / inches >= 299.5

    listing = subprocess.run(
        [system_tool("pdfimages"), "-list", str(printed)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    resolutions = [int(row.split()[12]) for row in listing]
    assert resolutions and min(resolutions) >= 299, "LibreOffice prints the PNG, at print resolution"
