"""Values filled into a drawn PDF form, read back with pypdf, poppler and qpdf."""

from __future__ import annotations

import io
import subprocess
from dataclasses import replace
from pathlib import Path

import pypdf
import pytest

from conftest import assert_sound_pdf, system_tool
from guide.model import Document, FormField, Metadata, form_fields, without_values
from guide.themefile import load_theme
from guide.writers.pdf import fill_pdf, write_pdf

THEME = load_theme()
HOSTILE = "a) (b \\ endobj %%EOF /V () <FEFF> stream"
LONG_ANSWER = " ".join(f"word{number}" for number in range(60))

FIELDS = (
    FormField("name", "Name"),
    FormField("summary", "Summary", "multiline"),
    FormField("decision", "Decision", "choice", choices=("Approved", "Not yet")),
    FormField("when", "When", "date"),
    FormField("untouched", "Untouched"),
)


def blank() -> bytes:
    return assert_sound_pdf(write_pdf(Document(Metadata(title="Form"), FIELDS), THEME))


def filled(**values: str) -> bytes:
    fields = [replace(field, value=values[field.name]) for field in FIELDS if field.name in values]
    return assert_sound_pdf(fill_pdf(blank(), fields, THEME))


def fields_of(data: bytes) -> dict:
    return pypdf.PdfReader(io.BytesIO(data)).get_fields()


def widget(data: bytes, name: str) -> pypdf.generic.DictionaryObject:
    page = pypdf.PdfReader(io.BytesIO(data)).pages[0]
    return next(a.get_object() for a in page["/Annots"] if a.get_object().get("/T") == name)


def page_text(data: bytes, tmp_path: Path) -> str:
    """The first page's text as poppler draws it, field appearances included."""
    path = tmp_path / "filled.pdf"
    path.write_bytes(data)
    command = [system_tool("pdftotext"), "-layout", "-f", "1", "-l", "1", str(path), "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def test_a_filled_copy_is_the_blank_form_followed_by_an_update() -> None:
    form = blank()
    data = filled(name="Ada Lovelace")
    assert data.startswith(form) and data.count(b"%%EOF") == form.count(b"%%EOF") + 1
    assert fill_pdf(form, [], THEME) == form


def test_values_are_stored_exactly_and_the_rest_stays_blank() -> None:
    fields = fields_of(
        filled(name=HOSTILE, summary="line one\nline two", decision="Not yet", when="2026-12-01")
    )
    assert fields["name"]["/V"] == HOSTILE
    assert fields["summary"]["/V"] == "line one\nline two"
    assert fields["decision"]["/V"] == "Not yet"
    assert fields["when"]["/V"] == "2026-12-01"
    assert fields["untouched"].get("/V", "") == ""


def test_a_chosen_value_is_selected_in_the_list() -> None:
    choice = widget(filled(decision="Not yet"), "decision")
    assert list(choice["/Opt"]) == ["", "Approved", "Not yet"]
    assert list(choice["/I"]) == [2]


def test_values_are_drawn_on_the_page_and_long_answers_wrap(tmp_path: Path) -> None:
    text = page_text(filled(name="Zoë Ødegård", summary=LONG_ANSWER, decision="Approved"), tmp_path)
    assert "Zoë Ødegård" in text and "Approved" in text
    summary_lines = [line for line in text.splitlines() if "word" in line]
    assert len(summary_lines) > 1
    assert " ".join(" ".join(summary_lines).split()) == LONG_ANSWER


def test_a_line_break_in_a_one_line_field_becomes_a_space_in_the_value_and_on_the_page(
    tmp_path: Path,
) -> None:
    data = filled(name="Lee, Dana \r\n Kim, Jo")
    assert fields_of(data)["name"]["/V"] == "Lee, Dana Kim, Jo"  # a viewer shows the value, not the drawing
    assert "Lee, Dana Kim, Jo" in page_text(data, tmp_path)


def test_any_script_is_drawn_in_the_embedded_fonts_and_only_those() -> None:
    appearance = widget(filled(name="王芳 محمد Zoë"), "name")["/AP"]["/N"].get_object()
    fonts = [font.get_object() for font in appearance["/Resources"]["/Font"].values()]
    faces = {str(font["/BaseFont"]).split("+")[1] for font in fonts}
    assert faces == {"DejaVuSans", "WenQuanYiMicroHei-0"}
    assert all("/FontFile2" in font["/FontDescriptor"] for font in fonts)


def test_filled_fields_stay_editable() -> None:
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(filled(name="First"))))
    writer.update_page_form_field_values(writer.pages[0], {"name": "Second"}, auto_regenerate=False)
    output = io.BytesIO()
    writer.write(output)
    assert fields_of(output.getvalue())["name"]["/V"] == "Second"


def test_filling_is_reproducible_and_the_writer_fills_the_same_way() -> None:
    document = Document(Metadata(title="Form"), (FormField("name", "Name", value="Ada"),))
    assert write_pdf(document, THEME) == write_pdf(document, THEME)
    assert write_pdf(document, THEME) == fill_pdf(
        write_pdf(without_values(document), THEME, typed=["Ada"]), form_fields(document), THEME
    )


def test_a_filled_form_passes_qpdf_and_renders_with_poppler(tmp_path: Path) -> None:
    path = tmp_path / "filled.pdf"
    path.write_bytes(filled(name=HOSTILE, summary=LONG_ANSWER, decision="Approved", when="2026-12-01"))
    subprocess.run([system_tool("qpdf"), "--check", str(path)], check=True, capture_output=True)
    command = [system_tool("pdftoppm"), "-png", "-r", "20", str(path), str(tmp_path / "page")]
    drawn = subprocess.run(command, check=True, capture_output=True, text=True)
    assert drawn.stderr == ""  # poppler reports a broken file here, yet exits 0


def test_a_value_for_a_field_the_form_lacks_is_a_bug() -> None:
    with pytest.raises(ValueError, match="no field 'nowhere'"):
        fill_pdf(blank(), [FormField("nowhere", "Nowhere", value="x")], THEME)


def test_a_value_wider_than_its_box_is_shrunk_to_show_whole(tmp_path: Path) -> None:
    name = "Maximiliane Wilhelmina Theodora von Hohenzollern-Sigmaringen-Württemberg " * 2
    appearance = widget(filled(name=name), "name")["/AP"]["/N"].get_object().get_data()
    assert b"/G0s0 10 Tf" not in appearance  # smaller than the field's own 10 pt
    assert " ".join(name.split()) in " ".join(page_text(filled(name=name), tmp_path).split())


def test_a_person_of_only_spaces_names_nobody() -> None:
    from guide.model import personal_line, personal_title

    meta = Metadata(title="Ladder", subtitle="Senior (L5)", kind="Packet", person_field="name")
    blank = [FormField("name", "Name", value="   ")]
    assert personal_line(meta, blank) == "" and personal_title(meta, blank) == "Ladder"
    named = [FormField("name", "Name", value=" Zoë  Martin ")]
    assert personal_title(meta, named) == "Zoë Martin · Senior (L5) · Packet"


def test_a_shortened_right_to_left_name_ends_in_an_ellipsis_on_its_left() -> None:
    from guide.scripts import visual_order
    from guide.writers.pdf.fonts import register_typeface

    typeface = register_typeface()
    shortened = typeface.shortened("שרה לוי כהן אברהם " * 5, 80, 10)
    assert shortened.endswith("\u200f…") and typeface.width(shortened, 10) <= 80
    assert visual_order(shortened).lstrip("\u200f").startswith("…")  # read right to left, it ends there
