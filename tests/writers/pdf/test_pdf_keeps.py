"""Page breaks in the PDF writer: what belongs together is on one page, read back with pypdf.

A heading never ends a page; a sign-off (a heading over a table of fields and
signature lines) is never split; a label stays with its box and a checkbox with
its text; and none of these keeps leaves a page nearly empty.
"""

from __future__ import annotations

import io
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass

import pypdf
import pytest

from conftest import FIXTURES, ROOT, SHIPPED_LADDER, assert_sound_pdf
from guide import build
from guide.model import (
    Block,
    BulletList,
    Cell,
    CheckItem,
    Document,
    FormField,
    Heading,
    Metadata,
    PageBreak,
    Paragraph,
    SignatureLine,
    Span,
    Table,
    plain_text,
    walk,
)
from guide.themefile import load_theme
from guide.writers.pdf import write_pdf

THEME = load_theme()
PAGE_HEIGHT = THEME.page_points[1]
FRAME_TOP = PAGE_HEIGHT - THEME.margins.top.points
FRAME_BOTTOM = THEME.margins.bottom.points
SIGNATURE_CAPTION = "Signature"
LADDERS = FIXTURES / "ladders" / "valid"
PUSHED_LADDERS = range(1, 48, 2)
"""How many expectations the first level of each generated ladder has: two more move the
packet's sign-off about two lines down (and the checklists' a row), over page ends at
several offsets."""


# --- reading a PDF back ------------------------------------------------------------------


def read(data: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(data))


@dataclass(frozen=True)
class Page:
    """A page read back: its whole text with spaces removed, and its printed lines in the text frame."""

    text: str
    lines: list[tuple[float, str]]
    """(baseline, text) top down; fragments on one baseline joined left to right; the
    running header above the frame and the footer below it left out."""
    widget_bottoms: list[float]
    """The bottom edge of each form field widget on the page."""

    def ends_below_text(self) -> bool:
        """Return whether a form field on the page reaches below its last printed line."""
        return bool(self.lines) and any(bottom < self.lines[-1][0] for bottom in self.widget_bottoms)


def read_pages(data: bytes) -> list[Page]:
    return [read_page(page) for page in read(data).pages]


def read_page(page: pypdf.PageObject) -> Page:
    fragments: dict[int, list[tuple[float, str]]] = defaultdict(list)

    def visit(text, transform, text_matrix, _font, _size):
        x, y = text_matrix[4], text_matrix[5]
        a, b, c, d, e, f = transform
        baseline = b * x + d * y + f
        if text.strip() and FRAME_BOTTOM - 1 < baseline < FRAME_TOP + 1:
            fragments[round(baseline)].append((a * x + c * y + e, text.strip()))

    text = page.extract_text(visitor_text=visit)
    lines = [
        (baseline, " ".join(part for _, part in sorted(fragments[baseline])))
        for baseline in sorted(fragments, reverse=True)
    ]
    widgets = [annotation.get_object() for annotation in page.get("/Annots") or []]
    bottoms = [float(widget["/Rect"][1]) for widget in widgets if widget.get("/Subtype") == "/Widget"]
    return Page(squeezed(text), lines, bottoms)


def squeezed(text: str) -> str:
    return "".join(text.split())


def page_texts(data: bytes) -> list[str]:
    return [page.text for page in read_pages(data)]


def page_with(texts: list[str], needle: str) -> int:
    """Return the 1-based number of the only page whose text holds `needle` (spaces aside)."""
    pages = [number for number, text in enumerate(texts, 1) if squeezed(needle) in text]
    assert len(pages) == 1, f"{needle!r} is on pages {pages}"
    return pages[0]


def widget_pages(data: bytes) -> dict[str, int]:
    """Return the 1-based page of each form field's widget, by field name."""
    pages = {}
    for number, page in enumerate(read(data).pages, 1):
        for annotation in page.get("/Annots") or []:
            widget = annotation.get_object()
            if widget.get("/Subtype") == "/Widget":
                field = widget if "/T" in widget else widget["/Parent"].get_object()
                pages[str(field["/T"])] = number
    return pages


def heading_pages(pages: list[Page], heading: str) -> list[int]:
    """Return the numbers of the pages where `heading` is a printed line of its own."""
    return [number for number, page in enumerate(pages, 1) if any(text == heading for _, text in page.lines)]


# --- documents made here -----------------------------------------------------------------


def spans(text: str) -> tuple[Span, ...]:
    return (Span(text),)


def paragraph(text: str) -> Paragraph:
    return Paragraph(spans(text))


def heading(text: str, level: int = 2) -> Heading:
    return Heading(level, spans(text))


def cell(*blocks: Block) -> Cell:
    return Cell(blocks)


def filler(lines: int) -> Paragraph:
    """A paragraph of `lines` forced lines, to push what follows down the page."""
    return paragraph("\n".join(f"filler line {number}" for number in range(lines)))


def drawn(*blocks: Block) -> bytes:
    metadata = Metadata(title="Keeps", organization="Acme", version="1", kind="Promotion packet")
    return assert_sound_pdf(write_pdf(Document(metadata, blocks), THEME))


SIGNERS = ("Candidate", "Manager", "Skip-level manager", "HR partner")


def packet_sign_off() -> tuple[Block, ...]:
    """A packet's sign-off: a heading over a table without a header, two signers a row."""

    def signer(role: str) -> Cell:
        name = role.lower().replace("-", "_").replace(" ", "_")
        return cell(FormField(f"{name}_name", f"{role}'s name"), SignatureLine(role))

    rows = ((signer(SIGNERS[0]), signer(SIGNERS[1])), (signer(SIGNERS[2]), signer(SIGNERS[3])))
    return heading("Sign-off"), Table(header=(), rows=rows, widths=(1, 1))


def checklist_sign_off() -> tuple[Block, ...]:
    """A checklist's sign-off: a heading, an unlabelled notes box, then a table of two signature lines."""
    signatures = Table(
        header=(), rows=((cell(SignatureLine("Employee")), cell(SignatureLine("Manager"))),), widths=(1, 1)
    )
    notes = FormField("notes", "Notes and sign-off", "multiline", show_label=False)
    return heading("Notes and sign-off"), notes, signatures


SIGN_OFFS = {
    "packet": (packet_sign_off, "Sign-off", [f"{role}'s name" for role in SIGNERS], 4),
    "checklist": (checklist_sign_off, "Notes and sign-off", ["Employee", "Manager"], 2),
}
"""Each shape of sign-off: what makes it, its heading, its printed labels and its signature lines."""


# --- the sign-off ------------------------------------------------------------------------


@pytest.mark.parametrize("shape", SIGN_OFFS)
@pytest.mark.parametrize("lines", range(30, 51))
def test_a_sign_off_and_its_heading_are_on_one_page(shape: str, lines: int) -> None:
    make, title, labels, signatures = SIGN_OFFS[shape]
    texts = page_texts(drawn(filler(lines), *make()))
    page = page_with(texts, title)
    assert all(page_with(texts, label) == page for label in labels)
    assert texts[page - 1].count(SIGNATURE_CAPTION) == signatures


@pytest.mark.parametrize("shape", SIGN_OFFS)
def test_the_filler_lengths_put_a_page_end_where_the_sign_off_would_be(shape: str) -> None:
    """The test above is only worth something if some filler lengths move the sign-off on."""
    make, title, _, _ = SIGN_OFFS[shape]
    pages = {heading_pages(read_pages(drawn(filler(lines), *make())), title)[0] for lines in range(30, 51)}
    assert pages == {1, 2}


# --- headings ----------------------------------------------------------------------------


def tall_rows(count: int, lines: int) -> tuple[tuple[Cell, Cell], ...]:
    """Return `count` rows, the first cell of row R holding `lines` lines "rR line N"."""
    return tuple(
        (cell(paragraph("\n".join(f"r{row} line {number}" for number in range(lines)))), cell(paragraph("x")))
        for row in range(count)
    )


@pytest.mark.parametrize("lines", range(34, 50))
def test_a_heading_stays_with_the_header_row_and_first_row_of_its_table(lines: int) -> None:
    table = Table(
        header=((cell(paragraph("Column A")), cell(paragraph("Column B"))),),
        rows=tall_rows(6, 6),
        widths=(2, 1),
    )
    texts = page_texts(drawn(filler(lines), heading("Table heading"), table))
    page = page_with(texts, "Table heading")
    assert "ColumnA" in texts[page - 1]
    assert page_with(texts, "r0 line 0") == page


@pytest.mark.parametrize("lines", range(38, 52))
def test_a_heading_stays_with_a_labelled_field(lines: int) -> None:
    data = drawn(filler(lines), heading("Field heading"), FormField("summary", "Summary", "multiline"))
    texts = page_texts(data)
    assert page_with(texts, "Field heading") == page_with(texts, "Summary") == widget_pages(data)["summary"]


@pytest.mark.parametrize("lines", range(38, 52))
def test_a_heading_stays_with_a_check_item(lines: int) -> None:
    item = CheckItem("ships", spans("Ships the feature on time"), evidence=True, label="Item 1")
    data = drawn(filler(lines), heading("Check heading"), item)
    texts = page_texts(data)
    assert (
        page_with(texts, "Check heading")
        == page_with(texts, "Ships the feature")
        == widget_pages(data)["ships"]
    )


def test_a_heading_at_the_top_of_a_page_stays_with_a_row_too_tall_for_the_rest_of_that_page() -> None:
    """The row fits a page, but not the page less its heading: it is split, not moved off the heading."""
    bullets = BulletList(tuple(spans(f"bullet {number}") for number in range(41)))
    row = (cell(bullets), cell(paragraph("next")))
    table = Table(header=((cell(paragraph("Now")), cell(paragraph("Next"))),), rows=(row,), widths=(1, 1))
    texts = page_texts(drawn(paragraph("first page"), PageBreak(), heading("Changes"), table))
    assert page_with(texts, "Changes") == page_with(texts, "bullet 0") == 2
    assert page_with(texts, "bullet 40") == 3


# --- fields and check items --------------------------------------------------------------


@pytest.mark.parametrize("lines", range(40, 52))
def test_a_field_label_is_on_the_page_of_its_box(lines: int) -> None:
    data = drawn(filler(lines), FormField("summary", "Summary of the case", "multiline"))
    assert page_with(page_texts(data), "Summary of the case") == widget_pages(data)["summary"]


@pytest.mark.parametrize("lines", range(40, 52))
def test_a_checkbox_is_on_the_page_of_its_first_line_and_the_evidence_box_of_its_last(lines: int) -> None:
    words = " ".join(f"word{number}" for number in range(60))
    item = CheckItem("long", spans(words), evidence=True, label="Item 1")
    data = drawn(filler(lines), item)
    texts, widgets = page_texts(data), widget_pages(data)
    assert widgets["long"] == page_with(texts, "word0 ")
    assert widgets["long_evidence"] == page_with(texts, "word59")


# --- no near-empty pages -----------------------------------------------------------------


def one_line_rows(count: int) -> tuple[tuple[Cell, Cell], ...]:
    return tuple((cell(paragraph(f"item {number}")), cell(paragraph("x"))) for number in range(count))


def test_a_table_without_a_header_taller_than_a_page_starts_where_it_is_reached() -> None:
    table = Table(header=(), rows=one_line_rows(40), widths=(1, 1))
    texts = page_texts(drawn(filler(10), table))
    assert page_with(texts, "item 0 ") == 1
    assert len(texts) == 2


def test_a_table_without_a_header_that_would_leave_half_a_page_empty_is_split() -> None:
    """A page's worth of rows, reached with two thirds of the page left: moving them would waste it."""
    table = Table(header=(), rows=one_line_rows(25), widths=(1, 1))
    texts = page_texts(drawn(filler(15), table))
    assert page_with(texts, "item 0 ") == 1
    assert page_with(texts, "item 24") == 2


@pytest.mark.parametrize("filler_lines", range(36, 50, 2))
def test_a_table_without_a_header_that_fits_a_page_is_never_split(filler_lines: int) -> None:
    table = Table(header=(), rows=one_line_rows(8), widths=(1, 1))
    texts = page_texts(drawn(filler(filler_lines), table))
    assert page_with(texts, "item 0 ") == page_with(texts, "item 7")


def test_a_long_section_starts_on_the_page_its_heading_and_first_lines_fit() -> None:
    text = paragraph("\n".join(f"section line {number}" for number in range(30)))
    texts = page_texts(drawn(filler(40), heading("Long section"), text))
    assert page_with(texts, "Long section") == page_with(texts, "section line 0 ") == 1


def test_a_short_section_moves_whole_rather_than_split() -> None:
    parts = [paragraph(f"part {number} first\npart {number} second") for number in range(3)]
    texts = page_texts(drawn(filler(42), heading("Short section"), *parts))
    assert page_with(texts, "Short section") == page_with(texts, "part 2 second") == 2


def test_a_row_that_fits_a_page_moves_whole_where_the_table_has_a_header() -> None:
    header = ((cell(paragraph("Name")), cell(paragraph("Note"))),)
    table = Table(header=header, rows=tall_rows(3, 8), widths=(1, 1))
    moved = []
    for lines in range(24, 48, 2):
        texts = page_texts(drawn(filler(lines), table))
        assert all(
            page_with(texts, f"r{row} line 0") == page_with(texts, f"r{row} line 7") for row in range(3)
        )
        moved.append(page_with(texts, "r0 line 0") < page_with(texts, "r2 line 0"))
    assert any(moved), "no filler length put a page end between the rows"


# --- packets and checklists of real ladders ----------------------------------------------


def pushed_ladder(count: int) -> str:
    """Return a ladder whose first level has `count` expectations, which packets and checklists list."""
    expectations = ", ".join(f"Expectation {number}" for number in range(count))
    return f"""schema: 1
ladder:
  id: pushed-{count}
  title: Pushed ladder
  organization: Acme
  version: "1"
promotion:
  criteria:
    - name: Impact
      description: Results that last.
  blockers: [Too narrow]
levels:
  - id: engineer
    title: Engineer
    summary: Ships features.
    responsibilities: [Writes code]
    skills: [Testing]
    expectations: [{expectations}]
    next: [senior]
  - id: senior
    title: Senior engineer
    summary: Leads projects.
    responsibilities: [Leads a project]
    skills: [Design reviews]
    expectations: [Raises the bar]
"""


@dataclass(frozen=True)
class Form:
    """A packet or checklist: its document and its PDF's pages read back."""

    document: Document
    pages: list[Page]

    @property
    def name(self) -> str:
        return f"{self.document.meta.title} · {self.document.meta.subtitle} · {self.document.meta.kind}"


@pytest.fixture(scope="module")
def forms(tmp_path_factory) -> list[Form]:
    """Return every packet and checklist of several ladders, drawn by the CLI."""
    folder = tmp_path_factory.mktemp("keeps")
    generated = []
    for count in PUSHED_LADDERS:
        path = folder / f"pushed-{count}.yaml"
        path.write_text(pushed_ladder(count), "utf-8")
        generated.append(path)
    paths = [
        SHIPPED_LADDER,
        LADDERS / "world_scripts.yaml",
        LADDERS / "unicode_eleven_levels.yaml",
        *generated,
    ]
    out = folder / "out"
    products = ("checklists", "packets")
    command = [sys.executable, "-m", "guide", "-q", "build", *map(str, paths), "-o", str(out)]
    options = ["--only", ",".join(products), "--format", "pdf"]
    result = subprocess.run([*command, *options], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    outputs = build.prepare(build.Project(ROOT), build.load_ladders(paths), out, products, ("pdf",))
    return [Form(output.document, read_pages(output.files[0].read_bytes())) for output in outputs]


def closing_section(document: Document) -> tuple[str, tuple[Block, ...]]:
    """Return the text of the document's last heading and the blocks after it: a form's sign-off."""
    index = max(number for number, block in enumerate(document.blocks) if isinstance(block, Heading))
    last = document.blocks[index]
    assert isinstance(last, Heading)
    return plain_text(last.spans), document.blocks[index + 1 :]


def printed_labels(blocks: tuple[Block, ...]) -> list[str]:
    """Return the labels printed in `blocks`: signers' and those of fields that show theirs."""
    return [block.label for block in walk(blocks) if isinstance(block, SignatureLine)] + [
        block.label for block in walk(blocks) if isinstance(block, FormField) and block.show_label
    ]


def test_the_forms_are_many_and_all_end_with_signatures(forms: list[Form]) -> None:
    assert len(forms) > 2 * len(PUSHED_LADDERS)
    for form in forms:
        assert any(isinstance(block, SignatureLine) for block in walk(closing_section(form.document)[1]))


def test_every_sign_off_is_on_one_page_with_its_heading(forms: list[Form]) -> None:
    split = []
    for form in forms:
        title, section = closing_section(form.document)
        page = heading_pages(form.pages, title)[-1]
        text = form.pages[page - 1].text
        signatures = sum(isinstance(block, SignatureLine) for block in walk(section))
        whole = all(squeezed(label) in text for label in printed_labels(section))
        if not whole or text.count(SIGNATURE_CAPTION) != signatures:
            split.append(f"{form.name}: {title!r} on page {page}")
    assert split == []


def test_no_page_of_a_form_ends_with_a_heading_or_a_table_header(forms: list[Form]) -> None:
    endings = []
    for form in forms:
        leading = leading_lines(form.document)
        for number, page in enumerate(form.pages[:-1], 1):
            lines = [text for _, text in page.lines]
            if ends_with_one_of(lines, leading) and not page.ends_below_text():
                endings.append(f"{form.name}: page {number} ends with {lines[-1]!r}")
    assert endings == []


def leading_lines(document: Document) -> set[str]:
    """Return the texts that must not end a page: headings, and table header rows as printed lines."""
    blocks = list(walk(document.blocks))
    headings = {one_line(block.spans) for block in blocks if isinstance(block, Heading)}
    header_rows = {
        " ".join(one_line(part.spans) for cell in row for part in cell.blocks if isinstance(part, Paragraph))
        for block in blocks
        if isinstance(block, Table)
        for row in block.header
    }
    return headings | header_rows


def one_line(spans: tuple[Span, ...]) -> str:
    return " ".join(plain_text(spans).split())


def ends_with_one_of(lines: list[str], texts: set[str]) -> bool:
    """Return whether the last of `lines` is one of `texts`, or the last line of one that wrapped."""
    if not lines:
        return False
    last = lines[-1]
    wrapped = len(lines) > 1 and any(text.endswith(f"{lines[-2]} {last}") for text in texts)
    return last in texts or wrapped


def test_the_generated_ladders_push_the_sign_off_over_page_ends_at_several_offsets(forms: list[Form]) -> None:
    """The tests above are only worth something if page ends fell where sign-offs would be.

    Such a sign-off starts a page, after a page whose text ends too low for it: in
    packets and in checklists, at several heights.
    """
    ends_before_moved = set()
    for form in forms:
        title, _ = closing_section(form.document)
        page = heading_pages(form.pages, title)[-1]
        pushed = "Pushed ladder" in (form.document.meta.title, form.document.meta.subtitle)
        if pushed and form.pages[page - 1].lines[0][1] == title:
            ends_before_moved.add((form.document.meta.kind, form.pages[page - 2].lines[-1][0]))
    packets = {height for kind, height in ends_before_moved if "packet" in kind.lower()}
    checklists = {height for kind, height in ends_before_moved if "checklist" in kind.lower()}
    assert len(packets) >= 2 and len(checklists) >= 3, ends_before_moved
