"""Wide tables: columns sized from their content, words broken only where a reader expects it.

A seven-column comparison sized from its content (long titles, German compound
words, Chinese without spaces, a URL) and a fixed-width table with a URL in a
narrow column are drawn in both formats, then read back: PDFs with `pdftotext -bbox`,
the Word file as XML and through LibreOffice's PDF. A word may end a line only at
a space, after a hyphen, after `/` (or `.` `?` `&` in a URL), beside a Chinese
character, or at a point the hyphenation dictionary gives, and then with a hyphen
drawn: `Engineeri|ng` or `Architectur|e` fails.
"""

from __future__ import annotations

import itertools
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pyphen
import pytest

from conftest import convert_with_libreoffice
from guide.model import BulletList, Cell, Document, Heading, Metadata, Paragraph, Span, Table
from guide.themefile import load_theme
from guide.writers.columns import Geometry, Measure, Sizer, table_widths
from guide.writers.metrics import FontMeasure
from guide.writers.pdf import write_pdf
from guide.writers.pdf.fonts import register_typeface
from guide.writers.pdf.styles import build_styles
from guide.writers.pdf.tables import TypefaceMeasure, pdf_geometry
from guide.writers.word import write_docx
from guide.writers.word.tables import word_geometry
from page_reading import allowed_pieces, misbroken, printed_words

THEME = load_theme()
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
URL = "https://wiki.example.com/engineering/career-ladder/promotion-checklist?level=senior&track=ic"
SHORT_URL = "https://wiki.example.com/ladder/checklist"
TITLES = (
    "Associate Engineer",
    "Engineer",
    "Staff Engineer",
    "Engineering Manager",
    "Principal Architect",
    "Softwareentwicklungsleiterin",
)
ASPECTS = {
    "Scope": ("One task", "One team", "A department", "An organisation", "Architecture", "A group"),
    "Architecture": (
        "Follows the team's architecture",
        "Architecture of one component",
        "An organisation-wide architecture",
        "An organisation of teams",
        "Architecture of the whole platform",
        "Gesamtarchitekturverantwortung",
    ),
    "Leitung": (
        "Teamleiterin",
        "Aufgabenverantwortung",
        "Qualitätssicherungsmaßnahmen",
        "Leiterin",
        "Bereichsleitung",
        "Unternehmensweite Technologiestrategie",
    ),
    "Chinese": (
        "负责单个功能模块的设计与实现",
        "负责团队范围内的技术决策",
        "制定组织级技术战略并推动落地执行",
        "管理工程团队并培养工程师",
        "负责平台整体架构设计",
        "领导软件开发部门",
    ),
    "Checklist": (
        "The team's wiki",
        "The team's wiki",
        SHORT_URL,
        "The handbook",
        "The handbook",
        "Das Handbuch",
    ),
}
"""A seven-column comparison: the aspect, then six levels."""


def cell(text: str, bold: bool = False) -> Cell:
    return Cell((Paragraph((Span(text, bold=bold),)),))


def comparison() -> Table:
    header = ((cell("Aspect"), *(cell(title) for title in TITLES)),)
    rows = tuple(
        (cell(name, bold=True), *(cell(value) for value in values)) for name, values in ASPECTS.items()
    )
    return Table(header, rows, (1.0,) * (len(TITLES) + 1), automatic=True)


def narrow_url_table() -> Table:
    bullets = BulletList(((Span("Architekturverantwortung"),), (Span(URL),)))
    rows = ((cell("Where the checklist lives, and who keeps it up to date"), Cell((bullets,))),)
    return Table(((cell("What"), cell("Link")),), rows, (5.0, 1.0))


def document() -> Document:
    blocks = (
        Heading(1, (Span("Comparing levels"),), anchor="comparison"),
        comparison(),
        Heading(1, (Span("A link in a narrow column"),), anchor="links"),
        narrow_url_table(),
    )
    return Document(Metadata("Wide tables", kind="Career handbook"), blocks)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    """Write the document once in both formats, and LibreOffice's PDF of the Word file."""
    folder = tmp_path_factory.mktemp("wide")
    pdf, docx = folder / "wide.pdf", folder / "wide.docx"
    pdf.write_bytes(write_pdf(document(), THEME))
    docx.write_bytes(write_docx(document(), THEME))
    (office,) = convert_with_libreoffice([docx], folder / "office")
    return {"pdf": pdf, "docx": docx, "office": office}


# --- reading words back ------------------------------------------------------------------


def source_texts() -> list[str]:
    """Return every text the document draws, and the running header's and footer's words."""
    texts = [
        *TITLES,
        "Aspect",
        "What",
        "Link",
        *ASPECTS,
        URL,
        "Comparing levels",
        "A link in a narrow column",
    ]
    texts += [value for values in ASPECTS.values() for value in values]
    texts += ["Architekturverantwortung", "Where the checklist lives, and who keeps it up to date"]
    return [*texts, "Page of Wide tables Career handbook"]


def misbroken_words(pdf: Path) -> list[str]:
    """Return the words of `pdf` that are not whole words of the document nor pieces cut where allowed."""
    return [word.text for word in misbroken(printed_words(pdf), allowed_pieces(source_texts()))]


# --- the tests -----------------------------------------------------------------------------


def test_the_checker_catches_a_word_cut_without_a_hyphen() -> None:
    allowed = allowed_pieces(source_texts())
    assert {"Engineeri", "Architectur", "organisa", "wiki.exam"}.isdisjoint(allowed)
    assert {"Engi-", "https://wiki."} <= allowed


def test_the_pdf_breaks_words_only_where_allowed(built) -> None:
    assert misbroken_words(built["pdf"]) == []


def test_libreoffice_draws_the_word_file_breaking_words_only_where_allowed(built) -> None:
    assert misbroken_words(built["office"]) == []


def test_a_long_word_wider_than_its_column_is_hyphenated_in_the_pdf(built) -> None:
    texts = [word.text for word in printed_words(built["pdf"])]
    assert "Softwareentwicklungsleiterin" not in texts[: texts.index("Scope")]
    assert any(text.endswith("-") and "Softwareentwicklungsleiterin".startswith(text[:-1]) for text in texts)


def test_the_pdf_comparison_columns_are_where_the_computation_puts_them(built) -> None:
    geometry = pdf_geometry(build_styles(THEME))
    widths = computed_widths(
        TypefaceMeasure(register_typeface(THEME.fonts), THEME.font_size.points), geometry
    )
    left_margin, padding = THEME.margins.left.points, geometry.padding
    edges = [left_margin + padding + sum(widths[:column]) for column in range(len(widths))]
    words = printed_words(built["pdf"])
    top = next(word.top for word in words if word.text == "Aspect")
    starts = [word.left for word in words if abs(word.top - top) < 1]
    assert [edge for edge in edges if not any(abs(edge - start) < 0.6 for start in starts)] == []


def test_word_columns_are_computed_as_the_pdf_computes_them(built) -> None:
    document_xml = ElementTree.fromstring(zipfile.ZipFile(built["docx"]).read("word/document.xml"))
    table = next(document_xml.iter(f"{W}tbl"))
    grid = [int(column.get(f"{W}w", "")) for column in table.iter(f"{W}gridCol")]
    cells = [int(width.get(f"{W}w", "")) for width in next(table.iter(f"{W}tr")).iter(f"{W}tcW")]
    widths = computed_widths(FontMeasure(THEME.fonts, THEME.font_size.points), word_geometry(THEME))
    assert grid == cells
    assert grid == pytest.approx([points * 20 for points in widths], abs=1)
    pdf_widths = computed_widths(
        TypefaceMeasure(register_typeface(THEME.fonts), THEME.font_size.points),
        pdf_geometry(build_styles(THEME)),
    )
    assert [twips / 20 for twips in grid] == pytest.approx(pdf_widths, abs=3)  # the paddings differ a little


def pdf_measure() -> TypefaceMeasure:
    return TypefaceMeasure(register_typeface(THEME.fonts), THEME.font_size.points)


def computed_widths(measure: Measure, geometry: Geometry) -> list[float]:
    """Return the comparison's column widths as the columns module computes them for the page's width."""
    width = THEME.page_points[0] - THEME.margins.left.points - THEME.margins.right.points
    return table_widths(Sizer(measure, geometry), comparison(), width)


def test_word_marks_soft_hyphens_only_in_words_too_wide_for_their_column(built) -> None:
    document_xml = ElementTree.fromstring(zipfile.ZipFile(built["docx"]).read("word/document.xml"))
    measure = FontMeasure(THEME.fonts, THEME.font_size.points)
    marked = []
    for row_number, row in enumerate(next(document_xml.iter(f"{W}tbl")).iter(f"{W}tr")):
        for table_cell in row.iter(f"{W}tc"):
            room = int(table_cell.find(f"{W}tcPr/{W}tcW").get(f"{W}w", "")) / 20 - 2 * 108 / 20
            for run in table_cell.iter(f"{W}r"):
                bold = row_number == 0 or run.find(f"{W}rPr/{W}b") is not None
                text = "".join("\u00ad" if part.tag == f"{W}softHyphen" else part.text or "" for part in run)
                marked += [
                    (word, measure.width(word, bold) > room) for word in text.split() if "\u00ad" in word
                ]
    assert any(word.replace("\u00ad", "") == "Qualitätssicherungsmaßnahmen" for word, _ in marked)
    assert [word for word, too_wide in marked if not too_wide] == []
    assert "\u00ad" not in "".join(text.text or "" for text in document_xml.iter(f"{W}t"))


LONGEST_WORD = (
    "Donaudampfschifffahrtsgesellschaftskapitänsmützenherstellungsbetriebsqualitätssicherungsmaßnahmen"
)
"""A word wider than the page: it breaks at its language's hyphenation points, in a paragraph or a cell."""


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("where", ["paragraph", "cell"])
def test_a_word_too_wide_breaks_where_the_documents_language_allows(language, where, tmp_path) -> None:
    text = Paragraph((Span(LONGEST_WORD),))
    block = text if where == "paragraph" else Table((), ((Cell((text,)),),), (1.0,))
    pdf = tmp_path / "words.pdf"
    pdf.write_bytes(write_pdf(Document(Metadata("Words", language=language), (block,)), THEME))
    pieces = [
        printed.text for printed in printed_words(pdf) if printed.text not in {"Page", "of", "Words", "1"}
    ]
    assert "".join(piece.removesuffix("-") for piece in pieces) == LONGEST_WORD
    assert len(pieces) > 1 and all(piece.endswith("-") for piece in pieces[:-1])
    ends = set(itertools.accumulate(len(piece.removesuffix("-")) for piece in pieces[:-1]))
    points = {
        tag: set(pyphen.Pyphen(lang=tag, left=2, right=3).positions(LONGEST_WORD))
        for tag in ("de_DE", "en_US")
    }
    assert ends <= points["de_DE" if language == "de" else "en_US"]
    if where == "cell":  # its breaks are not all where English would break too
        assert bool(ends - points["en_US"]) == (language == "de")
