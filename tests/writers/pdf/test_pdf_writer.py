"""The PDF writer, read back with pypdf: text, outline, contents, furniture, forms, layout."""

from __future__ import annotations

import dataclasses
import io
import re
import subprocess
import sys
import unicodedata
from collections import defaultdict

import pypdf
import pytest

from conftest import assert_sound_pdf
from guide.model import (
    Block,
    BulletList,
    Cell,
    CheckItem,
    Diagram,
    DiagramColumn,
    DiagramEdge,
    DiagramNode,
    Document,
    FormField,
    Heading,
    Metadata,
    PageBreak,
    Paragraph,
    SignatureLine,
    Span,
    Table,
    TableOfContents,
)
from guide.themefile import load_theme
from guide.writers.pdf import write_pdf

THEME = load_theme()
MARKUP_TEXT = "R&D <b>x</b> {{ y }} AT&T; &copy"
TOC_HOSTILE_HEADING = "C++ <Lead> & R&D"


# --- helpers -----------------------------------------------------------------------------


def spans(text: str, **formatting) -> tuple[Span, ...]:
    return (Span(text, **formatting),)


def paragraph(text: str, role: str = "body") -> Paragraph:
    return Paragraph(spans(text), role)


def heading(level: int, text: str, anchor: str | None = None, new_page: bool = False) -> Heading:
    return Heading(level, spans(text), anchor=anchor, new_page=new_page)


def cell(text: str) -> Cell:
    return Cell((paragraph(text),))


def filler(lines: int, word: str = "filler") -> Paragraph:
    """A paragraph of `lines` forced lines, to push later blocks down the page."""
    return paragraph("\n".join(f"{word} line {number}" for number in range(lines)))


def build(*blocks: Block, cover: bool = False, theme=THEME, **meta: str) -> bytes:
    metadata = Metadata(
        title=meta.get("title", "Engineering ladder"),
        organization=meta.get("organization", "Acme"),
        version=meta.get("version", "2025.1"),
        kind=meta.get("kind", "Career handbook"),
        cover=cover,
    )
    return assert_sound_pdf(write_pdf(Document(metadata, tuple(blocks)), theme))


def read(data: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(data))


def page_texts(data: bytes) -> list[str]:
    return [page.extract_text() for page in read(data).pages]


def visual_lines(page: pypdf.PageObject) -> list[str]:
    """Return the page's text as printed lines: fragments grouped by baseline, left to right."""
    fragments: dict[float, list[tuple[float, str]]] = defaultdict(list)

    def visit(text, transform, text_matrix, _font, _size):
        if text.strip():
            x, y = _on_page(text_matrix, transform)
            fragments[round(y)].append((x, text.strip()))

    page.extract_text(visitor_text=visit)
    return [
        " ".join(text for _, text in sorted(fragments[baseline]))
        for baseline in sorted(fragments, reverse=True)
    ]


def _on_page(text_matrix, transform) -> tuple[float, float]:
    """Return where a text matrix's origin lands on the page under the graphics `transform`."""
    x, y = text_matrix[4], text_matrix[5]
    a, b, c, d, e, f = transform
    return a * x + c * y + e, b * x + d * y + f


def first_page_with(texts: list[str], needle: str, start: int = 0) -> int:
    """Return the 1-based number of the first page from `start` whose text holds `needle`."""
    for index in range(start, len(texts)):
        if needle in texts[index]:
            return index + 1
    raise AssertionError(f"{needle!r} is on no page")


def squeezed(text: str) -> str:
    return "".join(text.split())


def embedded_fonts(data: bytes) -> set[str]:
    names = set()
    for page in read(data).pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for font in fonts.values():
            names.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    return names


# --- text --------------------------------------------------------------------------------


def test_markup_characters_come_out_exactly_as_written():
    text = page_texts(build(paragraph(MARKUP_TEXT)))[0]
    assert MARKUP_TEXT in text.splitlines()


def test_markup_characters_in_bold_italic_and_list_items_are_literal():
    data = build(
        Paragraph((Span("<i>not</i> & ", bold=True), Span("&amp; <br/>", italic=True))),
        BulletList((spans("a < b & c > d"), spans("<script>alert(1)</script>"))),
    )
    text = page_texts(data)[0]
    assert "<i>not</i> & &amp; <br/>" in text
    assert "a < b & c > d" in text
    assert "<script>alert(1)</script>" in text


@pytest.mark.parametrize(
    "sample",
    ["Zoë Ødegård é ő Ł — “quoted” €", "Łukasz Żółć, Ödön Győző", "Ελληνικά Кириллица ✓ →"],
)
def test_accented_greek_and_cyrillic_text_round_trips(sample):
    assert sample in page_texts(build(paragraph(sample)))[0].splitlines()


def test_chinese_text_is_drawn_in_the_fallback_font():
    data = build(paragraph("Zhang 张伟 and 李娜"), FormField("name", "Manager 王芳"))
    assert "Zhang 张伟 and 李娜" in page_texts(data)[0]
    assert "Manager 王芳" in page_texts(data)[0]
    assert "WenQuanYiMicroHei" in " ".join(embedded_fonts(data))


@pytest.mark.parametrize(
    ("line", "name"),
    [("Manager: محمد علي.", "محمد علي"), ("Manager: שלום עולם (HR)", "שלום עולם"), ("لا إله", "لا إله")],
)
def test_right_to_left_runs_are_drawn_right_to_left(line, name):
    # The run is drawn reversed, in visual order; pypdf reads right-to-left glyph runs
    # backwards, so it gives the name as written only if it was drawn right to left.
    # NFKC takes joined Arabic forms and no-break spaces back to letters and spaces.
    text = unicodedata.normalize("NFKC", page_texts(build(paragraph(line)))[0])
    assert name in text
    assert line.split(" ")[0] in text


def test_arabic_letters_take_their_joined_forms():
    # meem, hah, meem, dal: initial, medial, medial and final forms, not the isolated letters
    assert "\ufee3\ufea4\ufee4\ufeaa" in page_texts(build(paragraph("محمد")))[0]


def test_newline_in_a_span_is_a_forced_line_break():
    lines = page_texts(build(paragraph("first\nsecond\nthird")))[0].splitlines()
    assert lines[-3:] == ["first", "second", "third"]


def test_bold_and_italic_embed_their_dejavu_faces():
    data = build(Paragraph((Span("plain "), Span("bold", bold=True), Span(" slanted", italic=True))))
    assert {"DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique"} <= embedded_fonts(data)


def test_every_paragraph_role_builds_and_an_unknown_role_is_a_bug():
    roles = ("title", "subtitle", "meta", "lead", "body", "note")
    text = page_texts(build(*(paragraph(f"role {role}", role) for role in roles)))[0]
    assert all(f"role {role}" in text for role in roles)
    with pytest.raises(ValueError, match="headline"):
        build(paragraph("x", "headline"))


# --- outline, contents and links ---------------------------------------------------------


def chaptered_document() -> tuple[Block, ...]:
    return (
        paragraph("Cover title", "title"),
        PageBreak(),
        TableOfContents(title="Contents"),
        heading(1, "Introduction", "intro", new_page=True),
        filler(30),
        heading(2, "Reading guide", "reading"),
        filler(45),
        heading(3, "Small print", "small"),
        filler(10),
        heading(1, "Levels", "levels", new_page=True),
        heading(2, TOC_HOSTILE_HEADING, "hostile"),
        filler(60),
        heading(2, "Senior", "senior"),
        paragraph("Back to the start."),
    )


def test_outline_nests_level_two_under_one_and_three_under_two():
    reader = read(build(*chaptered_document(), cover=True))
    outline = reader.outline

    def titles(entries):
        return [titles(entry) if isinstance(entry, list) else entry.title for entry in entries]

    assert titles(outline) == [
        "Introduction",
        ["Reading guide", ["Small print"]],
        "Levels",
        [TOC_HOSTILE_HEADING, "Senior"],
    ]


def test_outline_entries_point_at_the_heading_pages():
    data = build(*chaptered_document(), cover=True)
    reader, texts = read(data), page_texts(data)
    flat = []

    def walk(entries):
        for entry in entries:
            walk(entry) if isinstance(entry, list) else flat.append(entry)

    walk(reader.outline)
    for entry in flat:
        page = reader.get_destination_page_number(entry) + 1
        assert page == first_page_with(texts, entry.title, start=2), entry.title


def test_contents_lists_levels_one_and_two_with_their_pages():
    data = build(*chaptered_document(), cover=True)
    texts = page_texts(data)
    contents_lines = visual_lines(read(data).pages[1])
    expected = ["Introduction", "Reading guide", "Levels", TOC_HOSTILE_HEADING, "Senior"]
    for title in expected:
        page = first_page_with(texts, title, start=2)
        pattern = re.compile(rf"^{re.escape(title)}[ .]*\b{page}$")
        assert any(pattern.match(line) for line in contents_lines), (title, contents_lines)
    assert not any("Small print" in line for line in contents_lines)


def test_a_contents_of_several_pages_is_laid_out_once_with_every_page_right(monkeypatch):
    from guide.writers.pdf.pages import GuideDocTemplate

    passes = []
    original = GuideDocTemplate.build
    monkeypatch.setattr(
        GuideDocTemplate, "build", lambda self, *a, **k: passes.append(1) or original(self, *a, **k)
    )
    chapters = [
        block
        for number in range(1, 91)
        for block in (heading(1, f"Chapter {number:02d}", f"c{number}", new_page=number % 7 == 0), filler(8))
    ]
    data = build(TableOfContents(title="Contents"), PageBreak(), *chapters)
    assert passes == [1]
    texts = page_texts(data)
    lines = [line for page in read(data).pages for line in visual_lines(page)]
    listed = dict(
        match.groups() for line in lines if (match := re.fullmatch(r"(Chapter \d+) [ .]*\b(\d+)", line))
    )
    assert len(listed) == 90
    body = 1 + max(index for index, text in enumerate(texts) if " . " in text)  # after the contents
    assert body > 2  # the contents take pages of their own
    for title, page in listed.items():
        assert int(page) == first_page_with(texts, title, start=body), title


def test_contents_entries_are_links_to_the_headings():
    data = build(*chaptered_document(), cover=True)
    reader = read(data)
    pages_of_links = {
        reader.get_page_number(annotation.get_object()["/Dest"][0].get_object())
        for annotation in reader.pages[1]["/Annots"]
        if annotation.get_object()["/Subtype"] == "/Link"
    }
    heading_pages = {
        reader.get_destination_page_number(entry) for entry in reader.outline if not isinstance(entry, list)
    }
    assert heading_pages <= pages_of_links


def test_a_span_link_jumps_to_its_heading():
    data = build(
        Paragraph((Span("See "), Span("the levels", link="levels"), Span("."))),
        heading(1, "Levels", "levels", new_page=True),
    )
    reader = read(data)
    links = [a.get_object() for a in reader.pages[0]["/Annots"]]
    assert [reader.get_page_number(link["/Dest"][0].get_object()) for link in links] == [1]
    assert "See the levels." in page_texts(data)[0]


def test_a_link_to_a_missing_anchor_or_a_repeated_anchor_is_a_bug():
    with pytest.raises(ValueError, match="nowhere"):
        build(Paragraph((Span("x", link="nowhere"),)))
    with pytest.raises(ValueError, match="used twice"):
        build(heading(1, "A", "twice"), heading(1, "B", "twice"))


# --- page furniture ----------------------------------------------------------------------


def test_footer_counts_pages_and_the_cover_has_no_header_or_footer():
    data = build(*chaptered_document(), cover=True)
    texts = page_texts(data)
    total = len(texts)
    assert total >= 5
    assert "Page 1 of" not in texts[0]
    assert "Career handbook" not in texts[0] and "Acme · 2025.1" not in texts[0]
    for number, text in enumerate(texts[1:], start=2):
        assert f"Page {number} of {total}" in text
        assert "Acme · 2025.1" in text
        assert "Engineering ladder" in text and "Career handbook" in text


def test_without_a_cover_the_first_page_has_furniture_too():
    texts = page_texts(build(paragraph("Only page")))
    assert texts == [texts[0]] and "Page 1 of 1" in texts[0] and "Career handbook" in texts[0]


def test_letter_theme_sets_the_page_size():
    data = build(paragraph("Letter"), theme=dataclasses.replace(THEME, page_size="Letter"))
    box = read(data).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_document_properties_and_identical_bytes_on_every_build():
    first = build(*chaptered_document(), checklist_item("repeat"), cover=True)
    second = build(*chaptered_document(), checklist_item("repeat"), cover=True)
    assert first == second
    info = read(first).metadata
    assert (info.title, info.author, info.subject, info.creator) == (
        "Engineering ladder",
        "Acme",
        "Career handbook",
        "guide",
    )


def test_an_empty_document_is_one_page():
    assert len(page_texts(build())) == 1


# --- layout ------------------------------------------------------------------------------


def test_page_break_and_new_page_heading_start_new_pages():
    texts = page_texts(
        build(paragraph("one"), PageBreak(), paragraph("two"), heading(1, "Three", new_page=True))
    )
    assert len(texts) == 3
    assert [first_page_with(texts, word) for word in ("one", "two", "Three")] == [1, 2, 3]


def test_a_new_page_heading_at_the_top_of_a_page_adds_no_blank_page():
    texts = page_texts(build(paragraph("one"), PageBreak(), heading(1, "Two", new_page=True)))
    assert len(texts) == 2


@pytest.mark.parametrize("lines", range(38, 50))
def test_a_heading_never_ends_a_page_alone(lines):
    texts = page_texts(
        build(
            filler(lines),
            heading(2, "Lonely heading"),
            heading(3, "Sub heading"),
            paragraph("The text that follows."),
        )
    )
    page = first_page_with(texts, "Lonely heading")
    assert first_page_with(texts, "Sub heading") == page
    assert first_page_with(texts, "The text that follows.") == page


def test_a_heading_before_a_long_table_stays_with_its_first_rows_on_the_same_page():
    rows = tuple((cell(f"row {number}"), cell("text")) for number in range(80))
    table = Table(header=((cell("Name"), cell("Note")),), rows=rows, widths=(1, 2))
    texts = page_texts(build(filler(10), heading(1, "Table heading"), table))
    assert first_page_with(texts, "Table heading") == first_page_with(texts, "row 0") == 1


def test_two_hundred_bullets_flow_over_pages():
    items = tuple(spans(f"Bullet item number {number} " + "words " * 20) for number in range(200))
    texts = page_texts(build(BulletList(items)))
    assert len(texts) > 2
    whole = "\n".join(texts)
    assert all(f"Bullet item number {number} " in whole for number in range(200))


def test_an_unbroken_300_character_token_wraps_in_text_and_in_a_table_cell():
    token = "abcdefghij" * 30
    table = Table(header=(), rows=((cell(token), cell("short")),), widths=(1, 3))
    texts = page_texts(build(paragraph(token), BulletList((spans(token),)), table))
    assert squeezed("".join(texts)).replace("-", "").count(token) == 3  # broken with visible hyphens


def test_a_cell_taller_than_a_page_splits_and_keeps_every_word():
    words = [f"w{number}" for number in range(2500)]
    table = Table(
        header=((cell("Description"), cell("Notes")),),
        rows=((cell(" ".join(words)), cell("short")),),
        widths=(3, 1),
    )
    texts = page_texts(build(table))
    assert len(texts) > 1
    extracted = set(" ".join(texts).split())
    assert set(words) <= extracted
    assert all("Description" in text for text in texts)


@pytest.mark.parametrize("filler_lines", range(36, 50, 2))
def test_a_row_that_fits_a_page_is_never_cut_at_a_page_end(filler_lines: int):
    lines = "\n".join(f"kept line {number}" for number in range(8))
    # a header row: a table without one that fits a page moves whole (see test_pdf_keeps.py)
    header = ((cell("Heading A"), cell("Heading B")),)
    table = Table(
        header=header, rows=((cell("First row"), cell("x")), (cell(lines), cell("y"))), widths=(1, 1)
    )
    texts = page_texts(build(filler(filler_lines), table))
    assert first_page_with(texts, "kept line 0") == first_page_with(texts, "kept line 7")


def test_the_row_kept_whole_moves_to_the_next_page():
    lines = "\n".join(f"kept line {number}" for number in range(8))
    # a header row: a table without one that fits a page moves whole (see test_pdf_keeps.py)
    header = ((cell("Heading A"), cell("Heading B")),)
    table = Table(
        header=header, rows=((cell("First row"), cell("x")), (cell(lines), cell("y"))), widths=(1, 1)
    )
    pages = [page_texts(build(filler(count), table)) for count in range(36, 50, 2)]
    moved = [
        texts
        for texts in pages
        if first_page_with(texts, "First row") < first_page_with(texts, "kept line 0")
    ]
    assert moved, "no filler length put the page end inside the second row: adjust the range"


def test_a_long_table_is_chunked_and_repeats_its_header_on_every_page():
    rows = tuple((cell(f"r{number}"), cell("x")) for number in range(1100))
    table = Table(header=((cell("Heading A"), cell("Heading B")),), rows=rows, widths=(1, 1))
    texts = page_texts(build(table))
    assert all("Heading A" in text for text in texts)
    extracted = set(" ".join(texts).split())
    assert {f"r{number}" for number in range(1100)} <= extracted


def test_table_cells_hold_lists_and_markup_characters():
    table = Table(
        header=((cell("A & B"), cell("<C>")),),
        rows=((Cell((BulletList((spans("x & y"), spans("z"))),)), cell(MARKUP_TEXT)),),
        widths=(1, 2),
    )
    text = page_texts(build(table))[0]
    assert "A & B" in text and "<C>" in text and "x & y" in text and MARKUP_TEXT in text


# --- forms -------------------------------------------------------------------------------


def checklist_item(name: str, evidence: bool = False, checked: bool = False) -> CheckItem:
    return CheckItem(name, spans(f"Item {name} & more"), evidence=evidence, checked=checked)


def form_document() -> tuple[Block, ...]:
    return (
        checklist_item("ships", evidence=True),
        checklist_item("mentors", checked=True),
        FormField("employee", "Employee", "text", value="Łukasz Ödön"),
        FormField("summary", "Summary", "multiline"),
        FormField("review_date", "Review date", "date", value="2025-03-01"),
        FormField("outcome", "Outcome", "choice", choices=("Promote", "Not yet"), value="Not yet"),
        FormField("track", "Track", "choice", choices=("IC", "Manager")),
        SignatureLine("Manager"),
    )


def test_form_fields_have_their_names_types_and_values():
    fields = read(build(*form_document())).get_fields()
    kinds = {name: field["/FT"] for name, field in fields.items()}
    assert kinds == {
        "ships": "/Btn",
        "ships_evidence": "/Tx",
        "mentors": "/Btn",
        "employee": "/Tx",
        "summary": "/Tx",
        "review_date": "/Tx",
        "outcome": "/Ch",
        "track": "/Ch",
    }
    assert fields["ships"]["/V"] == "/Off" and fields["mentors"]["/V"] == "/Yes"
    assert fields["employee"]["/V"] == "Łukasz Ödön"
    assert fields["summary"]["/Ff"] & 4096  # multiline
    assert fields["review_date"]["/TU"] == "Review date"  # the pattern is printed beside the box
    assert fields["review_date"]["/V"] == "2025-03-01"
    assert fields["outcome"]["/V"] == "Not yet"
    assert list(fields["outcome"]["/Opt"]) == ["", "Promote", "Not yet"]
    assert fields["track"]["/V"] == "" and list(fields["track"]["/Opt"]) == ["", "IC", "Manager"]


def test_labels_and_printed_captions_are_in_the_text():
    text = page_texts(build(*form_document()))[0]
    for words in (
        "Item ships & more",
        "Evidence",
        "Employee",
        "Summary",
        "Review date",
        "YYYY-MM-DD",
        "Outcome",
        "One of: Promote · Not yet",
        "Manager",
        "Date",
    ):
        assert words in text


def test_a_value_outside_the_form_font_is_kept_exactly_and_drawn_in_the_embedded_fonts():
    reader = read(build(FormField("name", "Name", value="Győző مرحبا 王芳")))
    assert reader.get_fields()["name"]["/V"] == "Győző مرحبا 王芳"
    widget = next(a.get_object() for a in reader.pages[0]["/Annots"] if a.get_object().get("/T") == "name")
    appearance = widget["/AP"]["/N"].get_object()
    faces = {
        str(font.get_object()["/BaseFont"]).split("+")[-1]
        for font in appearance["/Resources"]["/Font"].values()
    }
    assert {"DejaVuSans", "WenQuanYiMicroHei-0"} <= faces
    assert b"Tj" in appearance.get_data()
    assert "/NeedAppearances" not in reader.trailer["/Root"]["/AcroForm"]  # nothing left for viewers to redo


def test_a_checkbox_and_a_text_field_can_be_filled_in_with_pypdf():
    reader = read(build(*form_document()))
    writer = pypdf.PdfWriter(clone_from=reader)
    writer.update_page_form_field_values(
        writer.pages[0],
        {
            "ships": "/Yes",
            "ships_evidence": "Shipped the billing rewrite",
            "summary": "Ready",
            "track": "Manager",
        },
        auto_regenerate=True,
    )
    output = io.BytesIO()
    writer.write(output)
    fields = read(output.getvalue()).get_fields()
    assert fields["ships"]["/V"] == "/Yes"
    assert fields["ships_evidence"]["/V"] == "Shipped the billing rewrite"
    assert fields["summary"]["/V"] == "Ready"
    assert fields["track"]["/V"] == "Manager"


def test_widgets_print_and_sit_inside_the_page():
    reader = read(build(*form_document()))
    page = reader.pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    widgets = [a.get_object() for a in page["/Annots"] if a.get_object()["/Subtype"] == "/Widget"]
    assert len(widgets) == 8
    for widget in widgets:
        assert widget["/F"] & 4  # printable
        left, bottom, right, top = (float(value) for value in widget["/Rect"])
        assert 0 < left < right < width and 0 < bottom < top < height


def test_form_fields_in_table_rows_that_flow_over_pages_all_exist():
    rows = tuple(
        (
            cell(f"Expectation {number}"),
            Cell((FormField(f"evidence_{number}", f"Evidence {number}", "multiline"),)),
            Cell(
                (FormField(f"rating_{number}", f"Rating {number}", "choice", choices=("Meets", "Exceeds")),)
            ),
        )
        for number in range(30)
    )
    table = Table(
        header=((cell("Expectation"), cell("Evidence"), cell("Rating")),), rows=rows, widths=(2, 3, 1.6)
    )
    data = build(table)
    assert len(read(data).pages) > 2
    fields = read(data).get_fields()
    assert {f"evidence_{number}" for number in range(30)} <= set(fields)
    assert {f"rating_{number}" for number in range(30)} <= set(fields)


def test_a_check_item_inside_a_table_cell_is_a_field():
    table = Table(header=(), rows=((Cell((checklist_item("in_cell"),)),),), widths=(1,))
    assert read(build(table)).get_fields()["in_cell"]["/FT"] == "/Btn"


@pytest.mark.parametrize(
    "blocks",
    [
        (checklist_item("same"), checklist_item("same")),
        (checklist_item("same"), FormField("same", "Same")),
        (checklist_item("item", evidence=True), FormField("item_evidence", "Clash")),
    ],
)
def test_a_repeated_field_name_is_a_bug(blocks):
    with pytest.raises(ValueError, match="used twice"):
        build(*blocks)


def test_a_field_name_pdf_would_split_is_a_bug():
    with pytest.raises(ValueError, match="not letters, digits and _"):
        build(FormField("a.b", "Dotted"))


def test_a_choice_value_that_is_not_a_choice_is_a_bug():
    with pytest.raises(ValueError, match="not one of its choices"):
        build(FormField("pick", "Pick", "choice", choices=("A", "B"), value="C"))


# --- diagrams ----------------------------------------------------------------------------


TRACKS_DIAGRAM = Diagram(
    "Five levels: two shared, then two tracks.",
    nodes=(
        DiagramNode("associate", "Associate Analyst", "L1"),
        DiagramNode("analyst", "Analyst", "L2"),
        DiagramNode("senior", "Senior Analyst", "L3", "ic"),
        DiagramNode("manager", "Team Manager", "L3", "management"),
        DiagramNode("principal", "Principal Analyst", "L4", "ic"),
    ),
    edges=(
        DiagramEdge("associate", "analyst"),
        DiagramEdge("analyst", "senior"),
        DiagramEdge("analyst", "manager"),
        DiagramEdge("senior", "principal"),
    ),
    columns=(DiagramColumn("ic", "Individual contributor"), DiagramColumn("management", "Management")),
)


def chain_diagram(levels: int) -> Diagram:
    nodes = tuple(DiagramNode(f"n{index}", f"Step {index:02d}", f"S{index}") for index in range(levels))
    edges = tuple(DiagramEdge(f"n{index}", f"n{index + 1}") for index in range(levels - 1))
    return Diagram(f"{levels} steps.", nodes, edges)


def test_a_diagram_draws_every_label_note_and_heading_as_text():
    (text,) = page_texts(build(heading(1, "Tracks"), TRACKS_DIAGRAM))
    for node in TRACKS_DIAGRAM.nodes:
        for word in [*node.label.split(), node.note]:
            assert word in text, word
    assert "Individual contributor" in text and "Management" in text and "Tracks split here" in text


def test_a_diagram_is_vector_graphics_not_a_picture():
    page = read(build(TRACKS_DIAGRAM)).pages[0]
    objects = page["/Resources"].get("/XObject", {}).values()
    assert all(item.get_object()["/Subtype"] != "/Image" for item in objects)
    operators = page.get_contents().get_data().split()
    assert b"c" in operators, "rounded corners are curves"
    fills = sum(operators.count(fill) for fill in (b"f", b"f*", b"B", b"B*"))
    assert fills >= len(TRACKS_DIAGRAM.edges) + len(TRACKS_DIAGRAM.nodes), "boxes and arrowheads are filled"
    assert b"d" in operators, "the guide line is dashed"


@pytest.mark.parametrize("levels", [3, 15, 30])
def test_a_diagram_stays_whole_on_one_page(levels):
    labels = [f"Step {index:02d}" for index in range(levels)]
    texts = page_texts(build(filler(30), chain_diagram(levels)))
    pages = {first_page_with(texts, label) for label in labels}
    assert len(pages) == 1


def test_a_diagram_too_tall_for_the_rest_of_the_page_moves_to_the_next_page():
    texts = page_texts(build(filler(40), chain_diagram(15)))
    assert "Step 00" not in texts[0] and first_page_with(texts, "Step 14") == 2


def test_faces_are_read_when_a_text_first_asks_for_them() -> None:
    """A face no text of the run uses is never read; one a text uses is read then, and embedded."""
    program = """
import io, sys
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics
from guide.model import Document, Metadata, Paragraph, Span
from guide.themefile import load_theme
from guide.writers.pdf import write_pdf

theme = load_theme()
plain = Document(Metadata(title="Plain"), (Paragraph((Span("Only regular text"),)),))
write_pdf(plain, theme)
print(*sorted(n for n in pdfmetrics.getRegisteredFontNames() if n.startswith("DejaVu")))
strong = Document(Metadata(title="Strong"), (Paragraph((Span("Bold and italic", bold=True, italic=True),)),))
fonts = {str(f["/BaseFont"]).split("+")[-1] for p in PdfReader(io.BytesIO(write_pdf(strong, theme))).pages
         for f in p["/Resources"]["/Font"].values()}
print(*sorted(fonts))
"""
    result = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True, timeout=120
    )
    registered, embedded = result.stdout.splitlines()
    assert registered.split() == ["DejaVuSans"]  # no text asked for bold or italics
    assert "DejaVuSans-BoldOblique" in embedded.split()
