"""The theme in the writers: SVG logos, the theme's fonts in PDFs, a reference document's styles in Word."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from pathlib import Path

import docx
import pypdf
import pytest
from PIL import Image
from reportlab.graphics import shapes

from conftest import FIXTURES, assert_sound_pdf
from guide.model import Document, FormField, Metadata, Paragraph, Span, without_values
from guide.themefile import load_theme
from guide.writers.pdf import write_pdf
from guide.writers.svg import png_bytes, read_drawing, svg_problem
from guide.writers.word import fill_docx, write_docx

THEMES = FIXTURES / "themes"
BRANDED = load_theme(THEMES / "branded.yaml")
FIELDS = (FormField("name", "Name"), FormField("summary", "Summary", "multiline"))


def document(*texts: str, values: dict[str, str] | None = None) -> Document:
    paragraphs = tuple(Paragraph((Span(text),), "body") for text in texts)
    fields = tuple(replace(field, value=(values or {}).get(field.name, "")) for field in FIELDS)
    return Document(Metadata(title="Branded", kind="Packet", cover=True), paragraphs + fields)


def fonts_of(data: bytes) -> set[str]:
    names = set()
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"].get("/Font", {}).values():
            names.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    return names


# --- SVG -------------------------------------------------------------------------------------


def test_the_svg_logo_rasterizes_with_its_hole_and_transparent_background() -> None:
    image = Image.open(io.BytesIO(png_bytes(THEMES / "logo.svg", 80))).convert("RGBA")
    assert image.size == (240, 80)
    assert image.getpixel((40, 40))[:3] == (0x8A, 0x15, 0x38)  # the ring's hole shows the square beneath
    assert image.getpixel((40, 20))[:3] == (0xF2, 0xB1, 0x34)  # the ring
    assert image.getpixel((85, 70))[3] == 0  # nothing drawn there


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('<html xmlns="http://www.w3.org/1999/xhtml"/>', "is not an SVG image (its root element is <html>)"),
        ('<svg xmlns="http://www.w3.org/2000/svg"><rect width="0" height="0"/></svg>', "has no size"),
        ("<svg", "is not well-formed SVG"),
    ],
)
def test_an_svg_that_cannot_be_a_logo_says_why(text: str, problem: str, tmp_path: Path) -> None:
    path = tmp_path / "logo.svg"
    path.write_text(text, "utf-8")
    assert (svg_problem(path) or "").startswith(problem)


@pytest.mark.parametrize("href", ["secret.png", "{secret}", "file://{secret}"])
def test_an_svg_reference_to_another_file_is_not_followed(href: str, tmp_path: Path) -> None:
    secret = tmp_path / "secret.png"
    Image.new("RGB", (10, 10), "red").save(secret)
    path = tmp_path / "logo.svg"
    path.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
        ' width="10" height="10">'
        f'<image xlink:href="{href.format(secret=secret)}" width="10" height="10"/></svg>',
        "utf-8",
    )
    image = Image.open(io.BytesIO(png_bytes(path, 10))).convert("RGBA")
    assert image.getpixel((5, 5))[3] == 0
    assert not any(isinstance(shape, shapes.Image) for shape in read_drawing(path).getContents()[0].contents)


# --- PDF -------------------------------------------------------------------------------------


def test_pdf_text_is_in_the_theme_fonts_and_its_fallback_first() -> None:
    data = assert_sound_pdf(write_pdf(document("Plain text", "Őrség → north"), BRANDED))
    assert {"DejaVuSerif", "DejaVuSerif-Italic", "DejaVuSans"} <= fonts_of(data)


def test_pdf_field_values_are_drawn_in_the_theme_font() -> None:
    data = assert_sound_pdf(write_pdf(document(values={"name": "Zoë Ferreira"}), BRANDED))
    annotations = [
        a.get_object() for page in pypdf.PdfReader(io.BytesIO(data)).pages for a in page["/Annots"]
    ]
    widget = next(annotation for annotation in annotations if annotation.get("/T") == "name")
    fonts = widget["/AP"]["/N"].get_object()["/Resources"]["/Font"].values()
    assert {str(font.get_object()["/BaseFont"]).split("+")[-1] for font in fonts} == {"DejaVuSerif"}


def test_an_svg_logo_stays_vectors_in_the_pdf() -> None:
    reader = pypdf.PdfReader(io.BytesIO(write_pdf(document("Text"), BRANDED)))
    for page in reader.pages:
        assert not page.images
        forms = [x.get_object() for x in page["/Resources"]["/XObject"].values()]
        assert any(b" c" in form.get_data() for form in forms if form["/Subtype"] == "/Form")


# --- Word ------------------------------------------------------------------------------------


def test_a_filled_word_copy_with_a_reference_and_logo_is_the_file_written_directly() -> None:
    values = {"name": "Zoë Ferreira", "summary": "Led the launch"}
    filled = document(values=values)
    blank = write_docx(without_values(filled), BRANDED)
    fields = [field for field in filled.blocks if isinstance(field, FormField)]
    copy = fill_docx(blank, fields)
    assert copy == write_docx(filled, BRANDED)
    assert zipfile.ZipFile(io.BytesIO(copy)).namelist()[-1] == "word/document.xml"


def test_word_without_a_reference_keeps_its_own_styles() -> None:
    styles = docx.Document(io.BytesIO(write_docx(document("Text"), load_theme()))).styles
    assert styles["Heading 1"].font.name is None and "Brand Quote" not in [s.name for s in styles]


def test_a_reference_list_bullet_keeps_our_bullets(tmp_path: Path) -> None:
    reference = docx.Document()
    bullet = reference.styles["List Bullet"]
    bullet.font.name = "Georgia"
    reference.save(tmp_path / "reference.docx")
    (tmp_path / "theme.yaml").write_text("word_reference: reference.docx\n", "utf-8")
    styles = docx.Document(
        io.BytesIO(write_docx(document("Text"), load_theme(tmp_path / "theme.yaml")))
    ).styles
    style = styles["List Bullet"]
    assert style.font.name == "Georgia"
    assert style.element.xpath("./w:pPr/w:numPr/w:numId/@w:val") == ["1"]


def test_word_names_the_theme_font_family() -> None:
    styles = docx.Document(
        io.BytesIO(write_docx(document("Text"), load_theme(THEMES / "word_font.yaml")))
    ).styles
    defaults = styles.element.xpath("./w:docDefaults/w:rPrDefault/w:rPr/w:rFonts/@w:ascii")
    assert defaults == ["Georgia"]
    no_word = load_theme(THEMES / "partial.yaml")
    assert no_word.word_font == "Calibri"
