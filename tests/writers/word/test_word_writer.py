"""The Word writer, read back with python-docx and by reading the package's XML."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from dataclasses import replace

import docx
import pytest
from lxml import etree
from PIL import Image
from pypdf import PdfReader

from conftest import convert_with_libreoffice, system_tool
from guide.model import (
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
from guide.writers.word import write_docx
from guide.writers.word.controls import BLANK
from guide.writers.word.outline import bookmark_name

NAMESPACES = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "w14": "http://schemas.microsoft.com/office/word/2010/wordml",
    "ct": "http://schemas.openxmlformats.org/package/2006/content-types",
}
TRICKY = "R&D <b>x</b> {{ y }}"
SCRIPTS = "Zoë Ångström, José Núñez, 张伟, مرحبا بالعالم"
BOOKMARK = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,39}$")

THEME = load_theme()


def spans(text: str, **formatting) -> tuple[Span, ...]:
    return (Span(text, **formatting),)


def paragraph(text: str, role: str = "body") -> Paragraph:
    return Paragraph(spans(text), role=role)


def cell(*blocks) -> Cell:
    return Cell(tuple(blocks))


def document(*blocks, **meta) -> Document:
    metadata = {"title": "Engineering ladder", "organization": "Acme & Co", "version": "2024.1",
                "kind": "Career handbook", **meta}  # fmt: skip
    return Document(Metadata(**metadata), tuple(blocks))


def build(*blocks, theme=THEME, template=False, **meta) -> bytes:
    return write_docx(document(*blocks, **meta), theme, template=template)


def part(data: bytes, name: str) -> etree._Element:
    """Return the parsed XML of the package part `name` (such as "word/document.xml")."""
    return etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read(name))


def body(data: bytes) -> etree._Element:
    return part(data, "word/document.xml")


def xpath(tree: etree._Element, path: str) -> list:
    return tree.xpath(path, namespaces=NAMESPACES)


def reopen(data: bytes):
    return docx.Document(io.BytesIO(data))


def controls(data: bytes) -> list[etree._Element]:
    return xpath(body(data), "//w:sdt")


def control_text(control: etree._Element) -> str:
    """The text inside a content control (python-docx's paragraph.text leaves it out: D5)."""
    return "".join(xpath(control, "./w:sdtContent//w:t/text()"))


def control_tag(control: etree._Element) -> str:
    return xpath(control, "./w:sdtPr/w:tag/@w:val")[0]


# --- text -----------------------------------------------------------------------------------


def test_every_text_round_trips_with_its_style():
    data = build(
        Heading(1, spans(f"Chapter {TRICKY}")),
        Heading(2, spans(SCRIPTS)),
        paragraph(TRICKY),
        paragraph(SCRIPTS, role="note"),
        BulletList((spans(f"item {TRICKY}"), spans("item two"))),
        Table(header=((cell(paragraph("Head")), cell(paragraph(SCRIPTS))),),
              rows=((cell(paragraph(TRICKY)), cell(paragraph("plain"))),), widths=(1, 2)),
    )  # fmt: skip
    word = reopen(data)
    # a title keeps its last two words together with a no-break space: it reads as a space
    texts = [(p.style.name, p.text.replace("\u00a0", " ")) for p in word.paragraphs]
    assert ("Heading 1", f"Chapter {TRICKY}") in texts
    assert ("Heading 2", SCRIPTS) in texts
    assert ("Normal", TRICKY) in texts
    assert ("Note", SCRIPTS) in texts
    assert ("List Bullet", f"item {TRICKY}") in texts
    cells = [[c.text for c in row.cells] for row in word.tables[0].rows]
    assert cells == [["Head", SCRIPTS], [TRICKY, "plain"]]


def test_heading_levels_use_heading_styles_and_new_page_breaks_before():
    data = build(
        Heading(1, spans("One")), Heading(2, spans("Two"), new_page=True), Heading(3, spans("Three"))
    )
    word = reopen(data)
    assert [p.style.name for p in word.paragraphs] == ["Heading 1", "Heading 2", "Heading 3"]
    assert [p.paragraph_format.page_break_before for p in word.paragraphs] == [None, True, None]


def test_bold_italic_runs():
    data = build(Paragraph((Span("plain "), Span("strong", bold=True), Span("slanted", italic=True))))
    runs = reopen(data).paragraphs[0].runs
    assert [(r.text, r.bold, r.italic) for r in runs] == [
        ("plain ", None, None), ("strong", True, None), ("slanted", None, True),
    ]  # fmt: skip


def test_newline_in_a_span_is_a_line_break_never_raw():
    data = build(paragraph("first\nsecond"), Heading(1, spans("a\nb")))
    tree = body(data)
    assert len(xpath(tree, "//w:p[1]//w:br")) == 1
    assert all("\n" not in text for text in xpath(tree, "//w:t/text()"))
    assert reopen(data).paragraphs[0].text == "first\nsecond"


@pytest.mark.parametrize(
    ("role", "style"),
    [("title", "Title"), ("subtitle", "Subtitle"), ("meta", "Cover Meta"), ("lead", "Lead"),
     ("body", "Normal"), ("note", "Note")],
)  # fmt: skip
def test_paragraph_roles_map_to_styles(role, style):
    assert reopen(build(paragraph("x", role=role))).paragraphs[0].style.name == style


def test_unknown_role_is_an_error():
    with pytest.raises(ValueError, match="unknown paragraph role 'shout'"):
        build(paragraph("x", role="shout"))


def test_page_break_is_a_page_break():
    tree = body(build(paragraph("a"), PageBreak(), paragraph("b")))
    assert len(xpath(tree, "//w:br[@w:type='page']")) == 1


# --- styles and page ------------------------------------------------------------------------


def test_styles_come_from_the_theme():
    word = reopen(build(paragraph("x")))
    styles = word.styles
    assert styles["Normal"].font.size.pt == THEME.font_size.points
    assert str(styles["Normal"].font.color.rgb) == THEME.colors.text[1:]
    assert str(styles["Heading 1"].font.color.rgb) == THEME.colors.primary[1:]
    assert str(styles["Placeholder Text"].font.color.rgb) == THEME.colors.muted[1:]
    fonts = xpath(part(build(paragraph("x")), "word/styles.xml"), "//w:docDefaults//w:rFonts")[0]
    assert fonts.get(f"{{{NAMESPACES['w']}}}ascii") == THEME.word_font
    for name in ("Lead", "Note", "Cover Meta", "List Bullet", "Guide Table", "Title", "Subtitle"):
        assert name in styles


@pytest.mark.parametrize(("size", "twips"), [("A4", (11906, 16838)), ("Letter", (12240, 15840))])
def test_page_size_comes_from_the_theme(size, twips):
    section = reopen(build(paragraph("x"), theme=replace(THEME, page_size=size))).sections[0]
    assert (section.page_width.twips, section.page_height.twips) == twips
    assert abs(section.left_margin.pt - THEME.margins.left.points) < 0.1
    assert abs(section.top_margin.pt - THEME.margins.top.points) < 0.1


def test_header_and_footer_carry_metadata_and_page_fields():
    data = build(paragraph("x"))
    section = reopen(data).sections[0]
    assert section.header.paragraphs[0].text == "Engineering ladder\tCareer handbook"
    assert section.footer.paragraphs[0].text.startswith("Acme & Co · 2024.1\tPage ")
    footer_name = next(n for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if "footer" in n)
    instructions = [t.strip() for t in xpath(part(data, footer_name), "//w:instrText/text()")]
    assert instructions == ["PAGE", "NUMPAGES"]


def test_the_cover_band_is_anchored_across_the_top_of_the_paper_behind_the_text():
    data = build(paragraph("x"), cover=True)
    header = reopen(data).sections[0].first_page_header
    band = header._element.xpath(".//wp:anchor")
    assert len(band) == 1
    assert band[0].get("behindDoc") == "1"
    assert band[0].xpath("./wp:positionH/@relativeFrom | ./wp:positionV/@relativeFrom") == ["page", "page"]
    assert band[0].xpath(".//wp:posOffset/text()") == ["0", "0"]
    assert int(band[0].xpath("./wp:extent/@cx")[0]) == round(595.2756 * 12700)
    picture = Image.open(io.BytesIO(header.part.related_parts[band[0].xpath(".//a:blip/@r:embed")[0]].blob))
    assert picture.convert("RGB").getpixel((0, 0)) == rgb(THEME.colors.primary)
    assert picture.convert("RGB").getpixel((0, picture.height - 1)) == rgb(THEME.colors.accent)


def test_the_cover_band_shows_in_libreoffice(tmp_path):
    source = tmp_path / "cover.docx"
    source.write_bytes(build(paragraph("x"), cover=True))
    (pdf,) = convert_with_libreoffice([source], tmp_path)
    pdftoppm = system_tool("pdftoppm")
    subprocess.run([pdftoppm, "-r", "20", "-f", "1", "-l", "1", "-png", pdf, tmp_path / "page"], check=True)
    (page,) = tmp_path.glob("page*.png")
    image = Image.open(page).convert("RGB")
    top_middle = image.getpixel((image.width // 2, 1))
    assert all(abs(a - b) <= 8 for a, b in zip(top_middle, rgb(THEME.colors.primary), strict=True))
    assert image.getpixel((image.width // 2, image.height // 2)) == (255, 255, 255)


def rgb(color: str) -> tuple[int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def test_cover_page_has_no_header_or_footer():
    covered = reopen(build(paragraph("x"), cover=True)).sections[0]
    assert covered.different_first_page_header_footer
    assert covered.first_page_header.is_linked_to_previous is False
    assert [p.text for p in covered.first_page_header.paragraphs] == [""]
    assert [p.text for p in covered.first_page_footer.paragraphs] == [""]
    plain = reopen(build(paragraph("x"))).sections[0]
    assert not plain.different_first_page_header_footer


# --- contents, links and bookmarks ----------------------------------------------------------


def test_table_of_contents_is_a_dirty_toc_field_listing_levels_one_and_two():
    data = build(
        TableOfContents(title="Contents"),
        Heading(1, spans("Levels"), anchor="levels"),
        Heading(2, spans("Senior & staff")),
        Heading(3, spans("Too deep")),
    )
    tree = body(data)
    assert [t.strip() for t in xpath(tree, "//w:instrText/text()")] == ['TOC \\o "1-2" \\h \\z']
    assert xpath(tree, "//w:fldChar[@w:fldCharType='begin']/@w:dirty") == ["true"]
    assert len(xpath(tree, "//w:fldChar[@w:fldCharType='end']")) == 1
    word = reopen(data)
    entries = [(p.style.name, p.text) for p in word.paragraphs if p.style.name.startswith("toc")]
    assert entries == [("toc 1", "Levels"), ("toc 2", "Senior & staff")]
    assert word.paragraphs[0].text == "Contents"
    assert xpath(part(data, "word/settings.xml"), "//w:updateFields/@w:val") == ["true"]


def test_without_contents_fields_are_not_updated_on_open():
    assert xpath(part(build(Heading(1, spans("x"))), "word/settings.xml"), "//w:updateFields") == []


def test_links_point_at_existing_bookmarks():
    data = build(
        TableOfContents(),
        Paragraph((Span("see "), Span("the levels", link="levels/l3 & up"), Span("."))),
        Heading(1, spans("Levels"), anchor="levels/l3 & up"),
        Heading(2, spans("Unanchored")),
        Heading(2, spans("Other"), anchor="9-other"),
        Paragraph((Span("back to ", italic=True), Span("other", link="9-other", bold=True))),
    )
    tree = body(data)
    names = xpath(tree, "//w:bookmarkStart/@w:name")
    anchors = xpath(tree, "//w:hyperlink/@w:anchor")
    assert len(anchors) == 5  # two in the text, three in the contents
    assert set(anchors) <= set(names)
    assert all(BOOKMARK.match(name) or name.startswith("_Toc") for name in names)
    starts = xpath(tree, "//w:bookmarkStart/@w:id")
    assert sorted(starts) == sorted(xpath(tree, "//w:bookmarkEnd/@w:id"))
    link = xpath(tree, "//w:p[not(w:pPr/w:pStyle[starts-with(@w:val, 'TOC')])]/w:hyperlink")[0]
    assert xpath(link, ".//w:rStyle/@w:val") == ["Hyperlink"]
    assert "".join(xpath(link, ".//w:t/text()")) == "the levels"


def test_bookmark_names_are_valid_unique_and_deterministic():
    taken: set[str] = set()
    names = []
    for anchor in ["level-l3", "level_l3", "Level L3", "ünïcode", "3rd", "", "x" * 60, "x" * 61]:
        name = bookmark_name(anchor, taken)
        taken.add(name.lower())
        names.append(name)
    assert names[:5] == ["level_l3", "level_l3_2", "Level_L3_3", "unicode", "h_3rd"]
    assert all(BOOKMARK.match(name) for name in names)
    assert len(set(n.lower() for n in names)) == len(names)
    assert bookmark_name("level-l3", set()) == "level_l3"


# --- tables, signatures ---------------------------------------------------------------------


def test_a_list_and_a_link_in_a_header_cell_are_white_on_the_fill():
    header = (
        cell(BulletList((spans("a listed heading"),))),
        cell(Paragraph(spans("see", link="top"), "body")),
    )
    data = build(Heading(1, spans("Top"), anchor="top"), Table(header=(header,), rows=(), widths=(1, 1)))
    runs = xpath(xpath(body(data), "//w:tr")[0], ".//w:r")
    assert runs and all(xpath(run, "./w:rPr/w:color/@w:val") == ["FFFFFF"] for run in runs)


def test_table_widths_header_rows_and_unsplittable_short_rows():
    long_text = "Writes and reviews design documents. " * 40
    data = build(
        Table(
            header=((cell(paragraph("Competency")), cell(paragraph("Expectation"))),),
            rows=((cell(paragraph("short")), cell(paragraph("short"))),
                  (cell(paragraph("long")), cell(paragraph(long_text)))),
            widths=(1, 3),
        )
    )  # fmt: skip
    tree = body(data)
    grid = [int(w) for w in xpath(tree, "//w:tblGrid/w:gridCol/@w:w")]
    text_width = round((595.2756 - THEME.margins.left.points - THEME.margins.right.points) * 20)
    assert abs(sum(grid) - text_width) <= 1
    assert abs(grid[1] - 3 * grid[0]) <= 3
    assert xpath(tree, "//w:tblLayout/@w:type") == ["fixed"]
    rows = xpath(tree, "//w:tr")
    assert [bool(xpath(row, "./w:trPr/w:tblHeader")) for row in rows] == [True, False, False]
    # header rows are kept with the first body row by keepNext, not cantSplit (LibreOffice 7.4 bug)
    assert [bool(xpath(row, "./w:trPr/w:cantSplit")) for row in rows] == [False, True, False]
    # shaded in the primary colour with white text, as in the PDF
    assert xpath(rows[0], ".//w:shd/@w:fill") == [THEME.colors.primary[1:]] * 2
    assert set(xpath(rows[0], ".//w:r/w:rPr/w:color/@w:val")) == {"FFFFFF"}
    word = reopen(data)
    assert word.tables[0].rows[0].cells[0].paragraphs[0].style.name == "Table Heading"
    assert word.tables[0].rows[1].cells[0].paragraphs[0].style.name == "Table Text"


def test_cells_hold_blocks_and_end_with_a_paragraph():
    data = build(
        Table(
            header=(),
            rows=((cell(paragraph("a"), BulletList((spans("b"),))), cell(SignatureLine("Manager"))),),
            widths=(1, 1),
        )
    )
    tree = body(data)
    outer_cells = xpath(tree, "/w:document/w:body/w:tbl/w:tr/w:tc")
    for tc in xpath(tree, "//w:tc"):
        assert etree.QName(tc[-1]).localname == "p"
    first = [
        etree.QName(child).localname for child in outer_cells[0] if etree.QName(child).localname != "tcPr"
    ]
    assert first == ["p", "p"]
    assert [p.text for p in reopen(data).tables[0].rows[0].cells[0].paragraphs] == ["a", "b"]


def test_top_level_tables_sit_on_the_margin_and_nested_ones_on_the_cell_text():
    data = build(
        Table(
            header=(),
            rows=((cell(paragraph("a")), cell(FormField("notes", "Notes", kind="multiline"))),),
            widths=(1, 1),
        )
    )
    tree = body(data)
    assert xpath(tree, "/w:document/w:body/w:tbl/w:tblPr/w:tblInd/@w:w") == ["108"]
    assert xpath(tree, "//w:tc//w:tbl/w:tblPr/w:tblInd/@w:w") == ["0"]
    outer = int(xpath(tree, "/w:document/w:body/w:tbl/w:tblGrid/w:gridCol/@w:w")[1])
    assert int(xpath(tree, "//w:tc//w:tbl/w:tblGrid/w:gridCol/@w:w")[0]) == outer - 2 * 108


def test_signature_line_has_label_and_two_ruled_cells():
    data = build(SignatureLine("Manager"))
    word = reopen(data)
    assert word.paragraphs[0].text == "Manager"
    signature = word.tables[0]
    assert [c.text for c in signature.rows[1].cells] == ["Signature", "", "Date"]
    rules = xpath(body(data), "//w:tc/w:tcPr/w:tcBorders/w:bottom")
    assert len(rules) == 2


# --- content controls -----------------------------------------------------------------------


def checklist() -> bytes:
    return build(
        CheckItem("writes_tests", spans("Writes tests"), evidence=True),
        CheckItem("mentors", spans("Mentors"), checked=True),
        FormField("employee_name", "Employee's name"),
        FormField("summary", "Summary", kind="multiline"),
        FormField("review_date", "Review date", kind="date"),
        FormField("target_level", "Target level", kind="choice", choices=("L3", "L4")),
    )


def test_content_controls_by_type_with_tags_titles_and_blank_placeholders():
    found = {control_tag(c): c for c in controls(checklist())}
    assert list(found) == ["writes_tests", "writes_tests_evidence", "mentors", "employee_name",
                           "summary", "review_date", "target_level"]  # fmt: skip
    kinds = {tag: etree.QName(xpath(c, "./w:sdtPr/*")[-1]).localname for tag, c in found.items()}
    assert kinds == {"writes_tests": "checkbox", "mentors": "checkbox", "writes_tests_evidence": "text",
                     "employee_name": "text", "summary": "richText", "review_date": "date",
                     "target_level": "dropDownList"}  # fmt: skip
    titles = {tag: xpath(c, "./w:sdtPr/w:alias/@w:val") for tag, c in found.items()}
    assert titles == {"writes_tests": ["Writes tests"], "writes_tests_evidence": ["Evidence: Writes tests"],
                      "mentors": ["Mentors"], "employee_name": ["Employee's name"], "summary": ["Summary"],
                      "review_date": ["Review date"], "target_level": ["Target level"]}  # fmt: skip
    placeholders = {tag: control_text(c) for tag, c in found.items() if xpath(c, "./w:sdtPr/w:showingPlcHdr")}
    # an empty control prints as nothing: no-break spaces, no grey prompt
    assert placeholders == dict.fromkeys(
        ["writes_tests_evidence", "employee_name", "summary", "review_date", "target_level"], BLANK
    )
    assert set(BLANK) == {"\u00a0"}
    for tag in placeholders:
        assert xpath(found[tag], "./w:sdtContent//w:rStyle/@w:val") == ["PlaceholderText"]
    assert xpath(found["summary"], "./w:sdtPr/w:richText")  # long answers may hold paragraphs
    assert xpath(found["review_date"], ".//w:dateFormat/@w:val") == ["yyyy-MM-dd"]
    assert xpath(found["target_level"], ".//w:listItem/@w:value") == ["L3", "L4"]


def test_checkboxes_show_their_state():
    found = {control_tag(c): c for c in controls(checklist())}
    assert xpath(found["writes_tests"], ".//w14:checked/@w14:val") == ["0"]
    assert control_text(found["writes_tests"]) == "\u2610"
    assert xpath(found["mentors"], ".//w14:checked/@w14:val") == ["1"]
    assert control_text(found["mentors"]) == "\u2612"
    assert xpath(found["mentors"], ".//w14:uncheckedState/@w14:val") == ["2610"]
    item = [p for p in reopen(checklist()).paragraphs if p.style.name == "Check Item"][0]
    assert item.text == "\tWrites tests"


def test_control_ids_are_unique_and_sdt_properties_in_schema_order():
    order = ["alias", "tag", "id", "showingPlcHdr", "text", "richText", "date", "dropDownList", "checkbox"]
    ids = []
    for control in controls(checklist()):
        names = [etree.QName(child).localname for child in xpath(control, "./w:sdtPr/*")]
        assert names == sorted(names, key=order.index)
        ids += xpath(control, "./w:sdtPr/w:id/@w:val")
    assert len(ids) == len(set(ids)) == 7


def test_prefilled_values_sit_inside_their_controls():
    value = f"Zoë O'Brien & <Co> {TRICKY}"
    data = build(
        FormField("manager", "Manager", value=value),
        FormField("notes", "Notes", kind="multiline", value="line one\nline two"),
        FormField("review_date", "Review date", kind="date", value="2024-05-01"),
        FormField("target_level", "Target level", kind="choice", choices=("L3", "L4"), value="L4"),
    )
    found = {control_tag(c): c for c in controls(data)}
    assert control_text(found["manager"]) == value
    assert control_text(found["review_date"]) == "2024-05-01"
    assert control_text(found["target_level"]) == "L4"
    assert len(xpath(found["notes"], "./w:sdtContent//w:br")) == 1
    assert xpath(found["review_date"], ".//w:date/@w:fullDate") == ["2024-05-01T00:00:00Z"]
    assert xpath(found["target_level"], ".//w:dropDownList/@w:lastValue") == ["L4"]
    for control in found.values():
        assert xpath(control, "./w:sdtPr/w:showingPlcHdr") == []
        assert xpath(control, ".//w:rStyle[@w:val='PlaceholderText']") == []


def test_controls_inside_table_cells():
    data = build(
        Table(header=(), rows=((cell(paragraph("Name")), cell(FormField("name", "Name"))),), widths=(1, 2))
    )
    tree = body(data)
    assert [control_tag(c) for c in xpath(tree, "//w:tc//w:sdt")] == ["name"]


# --- package --------------------------------------------------------------------------------


def test_template_flag_changes_the_main_content_type():
    def main_type(data: bytes) -> str:
        types = part(data, "[Content_Types].xml")
        return xpath(types, "//ct:Override[@PartName='/word/document.xml']/@ContentType")[0]

    assert main_type(build(paragraph("x"))).endswith("wordprocessingml.document.main+xml")
    assert main_type(build(paragraph("x"), template=True)).endswith("wordprocessingml.template.main+xml")


def test_two_builds_give_identical_bytes():
    first = checklist()
    assert first == checklist()
    big = document(
        TableOfContents(), Heading(1, spans("A"), anchor="a"), paragraph(TRICKY), SignatureLine("x")
    )
    assert write_docx(big, THEME) == write_docx(big, THEME)
    assert all(
        info.date_time == (2000, 1, 1, 0, 0, 0) for info in zipfile.ZipFile(io.BytesIO(first)).infolist()
    )


def test_core_properties_are_fixed_and_from_metadata():
    word = reopen(build(paragraph("x")))
    properties = word.core_properties
    assert (properties.title, properties.author, properties.subject) == (
        "Engineering ladder", "Acme & Co", "Career handbook",
    )  # fmt: skip
    assert properties.created.year == properties.modified.year == 2000
    assert "docProps/thumbnail.jpeg" not in zipfile.ZipFile(io.BytesIO(build(paragraph("x")))).namelist()


def test_a_title_longer_than_a_file_property_holds_is_cut_with_an_ellipsis():
    title = "Director of Product " * 15
    word = reopen(build(paragraph("x"), title=title))
    assert len(word.core_properties.title) == 255 and word.core_properties.title.endswith("…")
    assert title.startswith(word.core_properties.title[:-1])


def test_every_node_type_in_one_document_reopens():
    evidence_table = Table(
        header=((cell(paragraph("h")),),),
        rows=((cell(CheckItem("c", spans("c"), evidence=True)),),),
        widths=(1,),
    )
    everything = build(
        paragraph("Ladder", role="title"), PageBreak(), TableOfContents(),
        Heading(1, spans("Levels"), anchor="levels"), BulletList((spans("a"),)),
        evidence_table,
        CheckItem("d", spans("d")), FormField("e", "E"), SignatureLine("Manager"), cover=True,
    )  # fmt: skip
    assert zipfile.ZipFile(io.BytesIO(everything)).testzip() is None
    word = reopen(everything)
    assert len(word.tables) == 2
    assert len(controls(everything)) == 4


def test_libreoffice_converts_it_to_pdf_with_checkboxes(tmp_path):
    source = tmp_path / "checklist.docx"
    source.write_bytes(checklist())
    (pdf,) = convert_with_libreoffice([source], tmp_path)
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "\u2610" in text and "\u2612" in text
    assert "Writes tests" in text and "Target level" in text
    assert "Choose" not in text and "Enter" not in text and "Pick a date" not in text


# --- diagrams -------------------------------------------------------------------------------

DRAWING_NAMESPACES = {
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
}
EMU_PER_POINT = 12700

LADDER_DIAGRAM = Diagram(
    "Four levels: Junior to Middle; Middle to Lead or to Manager.",
    nodes=(
        DiagramNode("junior", "Junior", "L1"),
        DiagramNode("middle", "Middle", "L2"),
        DiagramNode("lead", "Lead", "L3", "ic"),
        DiagramNode("manager", "Manager", "L3", "management"),
    ),
    edges=(DiagramEdge("junior", "middle"), DiagramEdge("middle", "lead"), DiagramEdge("middle", "manager")),
    columns=(DiagramColumn("ic", "Individual contributor"), DiagramColumn("management", "Management")),
)


def test_a_diagram_is_one_inline_picture_described_by_its_alt_text():
    data = build(paragraph("Before"), LADDER_DIAGRAM, paragraph("After"))
    (inline,) = body(data).xpath("//wp:inline", namespaces=DRAWING_NAMESPACES)
    (properties,) = inline.xpath("wp:docPr", namespaces=DRAWING_NAMESPACES)
    assert properties.get("descr") == LADDER_DIAGRAM.description
    assert properties.get("title")
    (extent,) = inline.xpath("wp:extent", namespaces=DRAWING_NAMESPACES)
    width, height = int(extent.get("cx")), int(extent.get("cy"))
    page_width = THEME.page_points[0] - THEME.margins.left.points - THEME.margins.right.points
    assert 0 < width <= page_width * EMU_PER_POINT + 1 and 0 < height < width
    media = sorted(
        name for name in zipfile.ZipFile(io.BytesIO(data)).namelist() if name.startswith("word/media/")
    )
    assert (
        len(media) == 2 and media[0].endswith(".png") and media[1].endswith(".svg")
    )  # vector, and a fallback
    assert inline.xpath(".//*[local-name()='svgBlip']")
    with Image.open(io.BytesIO(zipfile.ZipFile(io.BytesIO(data)).read(media[0]))) as picture:
        expected = [length / EMU_PER_POINT * 300 / 72 for length in (width, height)]
        assert picture.format == "PNG"
        assert all(abs(pixels - wanted) <= 2 for pixels, wanted in zip(picture.size, expected, strict=True))
        assert picture.getpixel((0, 0)) == (255, 255, 255)


def test_a_diagram_gives_identical_bytes_on_every_build():
    first = build(Heading(1, spans("Tracks"), anchor="tracks"), LADDER_DIAGRAM)
    assert first == build(Heading(1, spans("Tracks"), anchor="tracks"), LADDER_DIAGRAM)
    assert len(reopen(first).inline_shapes) == 1
