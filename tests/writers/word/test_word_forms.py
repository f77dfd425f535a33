"""Word forms: named controls, protected text, blank printing, our file properties, whose copy it is."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace

from lxml import etree
from pypdf import PdfReader

from conftest import FIXTURES, convert_with_libreoffice
from guide.model import (
    BulletList,
    Cell,
    CheckItem,
    Document,
    FormField,
    Heading,
    Metadata,
    Paragraph,
    SignatureLine,
    Span,
    Table,
    personal_line,
    without_values,
)
from guide.themefile import load_theme
from guide.writers.word import fill_docx, write_docx
from guide.writers.word.controls import TITLE_CHARS
from test_word_writer import NAMESPACES, THEME, body, control_tag, control_text, controls, part, reopen, xpath

W = NAMESPACES["w"]
EXTENDED = {"ep": "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"}
BRANDED = load_theme(FIXTURES / "themes" / "branded.yaml")
PACKET_META = Metadata(
    title="Product Ladder", subtitle="Senior PM (L5)", organization="Acme & Co", version="2026.1",
    kind="Promotion packet · Confidential", person_field="candidate",
)  # fmt: skip
NAMES = ("张伟 Łukasz Dvořák", "أحمد علي", "Şükrü Öztürk")


def spans(text: str) -> tuple[Span, ...]:
    return (Span(text),)


def signer(role: str) -> Cell:
    return Cell((FormField(f"{role.lower()}_name", f"{role}'s name"), SignatureLine(role)))


SIGN_OFF = Table(header=(), rows=((signer("Candidate"), signer("Manager")), (signer("HR"), signer("Skip"))),
                 widths=(1, 1))  # fmt: skip


def packet(candidate: str = "", *blocks, meta: Metadata = PACKET_META) -> Document:
    """A small promotion packet: the person field, a multi-line field, a sign-off table."""
    return Document(
        meta,
        (
            Heading(1, spans("Promotion packet")),
            FormField("candidate", "Candidate", value=candidate),
            FormField("summary", "Case summary", kind="multiline", lines=4),
            *blocks,
            Heading(2, spans("Sign-off")),
            SIGN_OFF,
        ),
    )


def checklist() -> Document:
    item = CheckItem("writes_tests", spans("Writes  tests\nfor every change"), evidence=True, label="Skill 1")
    return Document(
        Metadata(title="Checklist", organization="Acme & Co", kind="Promotion checklist"),
        (
            Heading(1, spans("Skills")),
            item,
            CheckItem("mentors", spans("Mentors"), label="Skill 2"),
            FormField("review_date", "Review date", kind="date"),
            FormField("decision", "Decision", kind="choice", choices=("Yes", "No")),
        ),
    )


def find(element: etree._Element, path: str) -> list:
    """Return what `path` finds from `element`, even a python-docx one (whose xpath takes no namespaces)."""
    return etree.ElementBase.xpath(element, path, namespaces=NAMESPACES)


def titles(data: bytes) -> dict[str, str]:
    return {control_tag(c): xpath(c, "./w:sdtPr/w:alias/@w:val")[0] for c in controls(data)}


# --- names ----------------------------------------------------------------------------------


def test_every_control_is_titled_with_its_accessible_name_and_tagged_with_its_form_name():
    document = checklist()
    item = document.blocks[1]
    assert isinstance(item, CheckItem)
    assert titles(write_docx(document, THEME)) == {
        "writes_tests": item.accessible_name,
        "writes_tests_evidence": item.evidence_label,
        "mentors": "Skill 2: Mentors",
        "review_date": "Review date",
        "decision": "Decision",
    }
    assert item.accessible_name == "Skill 1: Writes tests for every change"


def test_titles_longer_than_word_shows_are_cut_and_stay_unique():
    long = "Evidence that the person has owned a product area for at least four quarters"
    fields = [FormField(f"f{n}", f"{long} ({n})") for n in range(3)]
    data = write_docx(Document(Metadata(title="T"), tuple(fields)), THEME)
    cut = list(titles(data).values())
    assert all(len(title) <= TITLE_CHARS for title in cut)
    assert len(set(cut)) == 3
    assert cut[0] == long[: TITLE_CHARS - 1].rstrip() + "…"
    assert all(title.startswith(long[:50]) for title in cut)


# --- protection -----------------------------------------------------------------------------


def test_a_form_is_read_only_but_for_a_range_around_each_control():
    data = write_docx(packet(), THEME)
    (protection,) = xpath(part(data, "word/settings.xml"), "//w:documentProtection")
    assert dict(protection.attrib) == {f"{{{W}}}edit": "readOnly", f"{{{W}}}enforcement": "1"}  # no password
    sdts = controls(data)
    assert len(sdts) == 2 + 4
    for sdt in sdts:
        start, end = sdt.getprevious(), sdt.getnext()
        assert etree.QName(start).localname == "permStart" and etree.QName(end).localname == "permEnd"
        assert start.get(f"{{{W}}}edGrp") == "everyone"
        assert start.get(f"{{{W}}}id") == end.get(f"{{{W}}}id")
    ranges = xpath(body(data), "//w:permStart/@w:id")
    assert len(ranges) == len(set(ranges)) == len(sdts)
    assert len(reopen(data).tables) == 2  # python-docx still reads it


def test_a_document_without_controls_is_not_protected():
    data = write_docx(Document(Metadata(title="Handbook"), (Paragraph(spans("Text")),)), THEME)
    assert xpath(part(data, "word/settings.xml"), "//w:documentProtection") == []
    assert xpath(body(data), "//w:permStart") == []


def test_libreoffice_converts_a_protected_filled_form_with_its_values(tmp_path):
    blank = write_docx(packet(), THEME)
    filled = fill_docx(blank, [FormField("candidate", "Candidate", value="Şükrü Öztürk")], PACKET_META)
    source = tmp_path / "filled.docx"
    source.write_bytes(filled)
    (pdf,) = convert_with_libreoffice([source], tmp_path)
    text = PdfReader(pdf).pages[0].extract_text()
    assert "Şükrü Öztürk" in text and "Candidate" in text


# --- blank printing -------------------------------------------------------------------------


def test_empty_controls_show_no_prompt_and_print_blank(tmp_path):
    data = write_docx(checklist(), THEME)
    empty = [c for c in controls(data) if xpath(c, "./w:sdtPr/w:showingPlcHdr")]
    assert len(empty) == 3
    assert all(control_text(c).strip("\u00a0") == "" and control_text(c) for c in empty)
    source = tmp_path / "blank.docx"
    source.write_bytes(data)
    (pdf,) = convert_with_libreoffice([source], tmp_path)
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Review date" in text and "\u2610" in text
    for prompt in ("Enter", "Pick a date", "Choose", "Evidence or link", "Click or tap"):
        assert prompt not in text


# --- file properties ------------------------------------------------------------------------


def test_extended_properties_name_guide_and_the_organization_and_count_nothing():
    data = write_docx(packet(), THEME)
    app = part(data, "docProps/app.xml")
    names = [etree.QName(child).localname for child in app]
    assert names == ["Application", "Company"]
    assert app.xpath("string(ep:Application)", namespaces=EXTENDED) == "guide"
    assert app.xpath("string(ep:Company)", namespaces=EXTENDED) == "Acme & Co"
    assert b"Macintosh" not in zipfile.ZipFile(io.BytesIO(data)).read("docProps/app.xml")


def test_core_properties_carry_the_title_of_the_copy_and_the_organization():
    blank = reopen(write_docx(packet(), THEME)).core_properties
    assert (blank.title, blank.author) == ("Product Ladder", "Acme & Co")
    filled = reopen(write_docx(packet("Zoë Martin"), THEME)).core_properties
    assert filled.title == "Zoë Martin · Senior PM (L5) · Promotion packet · Confidential"


# --- whose copy it is -----------------------------------------------------------------------


def header_texts(data: bytes) -> tuple[str, str]:
    """Return the text of the first page's header and of the running header of later pages."""
    section = reopen(data).sections[0]
    assert section.different_first_page_header_footer
    return section.first_page_header.paragraphs[0].text, section.header.paragraphs[0].text


def test_the_running_header_names_the_person_from_page_two_on():
    blank = "Product Ladder\tPromotion packet · Confidential"
    assert header_texts(write_docx(packet(), THEME)) == (blank, blank)  # the title until a person is named
    for name in NAMES:
        first, later = header_texts(write_docx(packet(name), THEME))
        assert first == "Product Ladder\tPromotion packet · Confidential"
        assert later == f"{name} · Senior PM (L5)\tPromotion packet · Confidential"
    section = reopen(write_docx(packet(), THEME)).sections[0]
    assert section.first_page_footer.paragraphs[0].text == section.footer.paragraphs[0].text


def test_a_filled_copy_is_the_file_drawn_with_the_values():
    note = FormField("hr_note", "HR note", kind="multiline", value="line one\nline two")
    for theme in (THEME, BRANDED):  # BRANDED has a logo in its running header
        for name in NAMES:
            filled = packet(name, note)
            values = [block for block in filled.blocks if isinstance(block, FormField) and block.value]
            blank = write_docx(without_values(filled), theme)
            assert fill_docx(blank, values, PACKET_META) == write_docx(filled, theme)


def test_without_the_metadata_only_the_controls_are_filled():
    blank = write_docx(packet(), THEME)
    copy = fill_docx(blank, [FormField("candidate", "Candidate", value="Zoë Martin")])
    assert header_texts(copy)[1] == "Product Ladder\tPromotion packet · Confidential"
    assert {control_tag(c): control_text(c) for c in controls(copy)}["candidate"] == "Zoë Martin"


def test_a_document_without_a_person_field_keeps_one_header():
    data = write_docx(replace(packet(), meta=replace(PACKET_META, person_field="")), THEME)
    section = reopen(data).sections[0]
    assert not section.different_first_page_header_footer
    assert section.header.paragraphs[0].text == "Product Ladder\tPromotion packet · Confidential"


def test_the_person_is_named_on_later_pages_when_printed(tmp_path):
    filler = tuple(Paragraph(spans(f"Evidence paragraph {n}.")) for n in range(60))
    sources = []
    for number, name in enumerate(NAMES):
        sources.append(tmp_path / f"packet{number}.docx")
        sources[-1].write_bytes(write_docx(packet(name, *filler), THEME))
    for pdf, name in zip(convert_with_libreoffice(sources, tmp_path), NAMES, strict=True):
        first, second = (page.extract_text() for page in PdfReader(pdf).pages[:2])
        line = personal_line(PACKET_META, [FormField("candidate", "Candidate", value=name)])
        assert "Product Ladder" in first.splitlines()[0]
        assert "Product Ladder" not in second
        assert all(word in second.splitlines()[0] for word in line.split())


# --- keeping together -----------------------------------------------------------------------


def test_a_sign_off_table_is_never_split():
    data = write_docx(packet(), THEME)
    (sign_off,) = [t for t in reopen(data).tables if "Candidate's" in t.rows[0].cells[0].paragraphs[0].text]
    rows = sign_off.rows
    assert all(find(row._tr, "./w:trPr/w:cantSplit") for row in rows)
    first_row = find(rows[0]._tr, ".//w:p")
    assert first_row and all(find(p, "./w:pPr/w:keepNext") for p in first_row)
    last_row = find(rows[-1]._tr, ".//w:p")
    assert not all(find(p, "./w:pPr/w:keepNext") for p in last_row)  # the table ends; what follows may move


def test_a_sign_off_table_moves_whole_to_the_next_page_in_libreoffice(tmp_path):
    sources = []
    for count in range(15, 21):  # the table starts ever lower on page 1: at 18, its last row would not fit
        filler = tuple(Paragraph(spans(f"Filler {n}")) for n in range(count))
        sources.append(tmp_path / f"filler{count}.docx")
        sources[-1].write_bytes(write_docx(packet("", *filler), THEME))
    for pdf in convert_with_libreoffice(sources, tmp_path):
        pages = [page.extract_text() for page in PdfReader(pdf).pages]
        signers = ("Candidate's", "HR's", "Skip's")
        holding = {number for number, text in enumerate(pages) for signer in signers if signer in text}
        assert len(holding) == 1, pdf.name


def test_a_header_row_keeps_with_the_first_body_row_whatever_it_holds():
    header = (Cell((BulletList((spans("listed"),)),)), Cell((Paragraph(spans("plain")),)))
    table = Table(header=(header,), rows=((Cell((Paragraph(spans("a")),)), Cell(())),), widths=(1, 1))
    rows = reopen(write_docx(Document(Metadata(title="T"), (table,)), THEME)).tables[0].rows
    assert all(find(p, "./w:pPr/w:keepNext") for p in find(rows[0]._tr, ".//w:p"))
    assert not any(find(p, "./w:pPr/w:keepNext") for p in find(rows[1]._tr, ".//w:p"))


def test_headings_labels_and_header_rows_keep_with_what_follows():
    styles = reopen(write_docx(packet(), THEME)).styles
    for name in ("Heading 1", "Heading 2", "Heading 3", "Field Label", "Table Heading", "Signature Space"):
        assert styles[name].paragraph_format.keep_with_next, name


def test_a_checkbox_shares_its_paragraph_with_its_text_which_keeps_with_its_evidence():
    word = reopen(write_docx(checklist(), THEME))
    (item, evidence) = [p for p in word.paragraphs if p.style.name in ("Check Item", "Evidence")][:2]
    assert find(item._p, "./w:sdt//w14:checkbox") and "Writes  tests" in item.text
    assert item.paragraph_format.keep_with_next and evidence.style.name == "Evidence"


# --- values ---------------------------------------------------------------------------------


def test_a_one_line_value_shows_as_the_model_flattens_it():
    field = FormField("manager", "Manager", value="Dana\r\n  Lee\u2028Jr")
    data = write_docx(Document(Metadata(title="T"), (field,)), THEME)
    (control,) = controls(data)
    assert control_text(control) == field.value == "Dana Lee Jr"
    assert xpath(control, ".//w:br") == []


def test_a_multi_line_box_is_as_tall_as_its_lines():
    def height(lines: int) -> int:
        field = FormField("notes", "Notes", kind="multiline", lines=lines)
        data = write_docx(Document(Metadata(title="T"), (field,)), THEME)
        return int(xpath(body(data), "//w:trHeight/@w:val")[0])

    assert height(10) > height(4) > 0
    assert abs(height(10) - height(4) - 6 * 1.2 * THEME.font_size.points * 20) <= 2
