"""The theme: merged over the shipped one, every mistake located, and a whole branded build read back."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pikepdf
import pytest
from pypdf import PdfReader

from conftest import FIXTURES, SHIPPED_LADDER, expected_problems, system_tool
from guide.errors import ContentError
from guide.glyphs import DEJAVU_SANS, font_runs
from guide.theme import DEFAULT_THEME, Length
from guide.themefile import load_theme
from page_reading import structure_elements

MINIMAL = FIXTURES / "ladders" / "valid" / "minimal.yaml"
THEMES = FIXTURES / "themes"
INVALID = sorted(path.name for path in THEMES.glob("*.yaml") if path.with_suffix(".errors").exists())
SHIPPED = load_theme()


def theme_fixture(name: str):
    return load_theme(THEMES / name)


# --- loading -----------------------------------------------------------------------------


def test_lengths_parse_once_into_points() -> None:
    assert Length.parse("1in").points == 72
    assert round(Length.parse("25.4mm").points, 6) == 72
    with pytest.raises(ValueError, match="not a length"):
        Length.parse("12 furlongs")


@pytest.mark.parametrize("name", INVALID)
def test_invalid_theme_reports_every_expected_error(name: str, monkeypatch) -> None:
    monkeypatch.chdir(FIXTURES)  # messages then name the fixture as themes/<name>
    path = Path("themes") / name
    with pytest.raises(ContentError) as caught:
        load_theme(path)
    assert [str(problem) for problem in caught.value.problems] == expected_problems(path)


def test_a_partial_theme_takes_every_other_key_from_the_shipped_one() -> None:
    theme = theme_fixture("partial.yaml")
    assert theme.colors.primary == "#8A1538"
    assert theme.colors.accent == SHIPPED.colors.accent and theme.colors.text == SHIPPED.colors.text
    assert (theme.page_size, theme.margins, theme.font_size) == (
        SHIPPED.page_size,
        SHIPPED.margins,
        SHIPPED.font_size,
    )
    assert theme.fonts == SHIPPED.fonts and theme.word_font == "Calibri"
    assert theme.logo is not None and (theme.logo.kind, theme.logo.header) == ("svg", True)


def test_the_shipped_theme_is_complete_and_uses_dejavu_sans() -> None:
    assert SHIPPED.fonts.regular == DEJAVU_SANS and SHIPPED.logo is None and SHIPPED.word_reference is None
    text = DEFAULT_THEME.read_text("utf-8")
    for key in (
        "regular:",
        "bold:",
        "italic:",
        "bold_italic:",
        "fallbacks:",
        "word:",
        "logo:",
        "word_reference:",
    ):
        assert key in text, f"the shipped theme does not document {key}"


def test_word_names_the_family_of_the_theme_font_unless_told_otherwise() -> None:
    assert theme_fixture("branded.yaml").word_font == "DejaVu Serif"
    assert theme_fixture("word_font.yaml").word_font == "Georgia"
    assert SHIPPED.word_font == "Calibri"


def test_missing_faces_fall_back_on_the_faces_given() -> None:
    fonts = theme_fixture("word_font.yaml").fonts  # regular only
    assert fonts.bold == fonts.italic == fonts.bold_italic == fonts.regular
    fonts = theme_fixture("branded.yaml").fonts  # regular and bold
    assert fonts.bold.name == "DejaVuSerif-Bold.ttf" and fonts.bold_italic == fonts.bold
    assert fonts.italic == fonts.regular


def test_theme_fallbacks_are_asked_before_the_bundled_fonts() -> None:
    chain = theme_fixture("branded.yaml").fonts.chain
    assert [path.name for path in chain][:3] == [
        "DejaVuSerif.ttf",
        "DejaVuSerif-Italic.ttf",
        "DejaVuSans.ttf",
    ]
    runs = font_runs("Gő→", chain)  # ő: in the theme's fallback and DejaVu Sans; → only in DejaVu Sans
    assert [(path.name, run) for path, run in runs] == [
        ("DejaVuSerif.ttf", "G"), ("DejaVuSerif-Italic.ttf", "ő"), ("DejaVuSans.ttf", "→")
    ]  # fmt: skip


def test_the_logo_can_stay_off_the_running_header() -> None:
    logo = theme_fixture("no_header_logo.yaml").logo
    assert logo is not None and (logo.kind, logo.header, logo.alt) == ("png", False, "")


def test_the_logo_says_what_the_theme_gives_to_readers_who_cannot_see_it(branded: Path) -> None:
    with pikepdf.open(branded / "handbook.pdf") as pdf:
        figures = [
            element for element in structure_elements(pdf.Root.StructTreeRoot) if element.S == "/Figure"
        ]
    assert "Acme Corporation" in [str(figure.get("/Alt")) for figure in figures]
    document = zipfile.ZipFile(branded / "handbook.docx").read("word/document.xml").decode()
    assert 'descr="Acme Corporation"' in document


# --- a branded project, built by the command line ------------------------------------------


def branded_project(root: Path, theme: str = "branded.yaml") -> Path:
    """Make a project whose layouts/ holds the theme fixture `theme` and what it names."""
    layouts = root / "layouts"
    shutil.copytree(THEMES, layouts, ignore=shutil.ignore_patterns("*.errors", "*.yaml"))
    shutil.copy(THEMES / theme, layouts / "theme.yaml")
    return root


def guide(*arguments: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "guide", *map(str, arguments)]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def branded(tmp_path_factory) -> Path:
    project = branded_project(tmp_path_factory.mktemp("branded"))
    result = guide("build", MINIMAL, "--only", "handbook", "-o", "out", cwd=project)
    assert result.returncode == 0, result.stderr
    return project / "out" / "minimal"


def form_xobjects(page) -> list:
    resources = page["/Resources"].get("/XObject", {})
    return [item.get_object() for item in resources.values() if item.get_object()["/Subtype"] == "/Form"]


def test_pdf_embeds_the_theme_fonts(branded: Path) -> None:
    reader = PdfReader(branded / "handbook.pdf")
    fonts = {
        str(font.get_object()["/BaseFont"]).split("+")[-1]
        for page in reader.pages
        for font in page["/Resources"].get("/Font", {}).values()
    }
    assert {"DejaVuSerif", "DejaVuSerif-Bold"} <= fonts


def test_pdf_logo_is_vectors_on_the_cover_and_in_every_running_header(branded: Path) -> None:
    reader = PdfReader(branded / "handbook.pdf")
    assert (float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)) == (612, 792)
    for page in reader.pages:
        logos = [
            form for form in form_xobjects(page) if b" re" in form.get_data() or b" c" in form.get_data()
        ]
        assert logos, "a page without the logo"
        assert not page.images, "the SVG logo came out as a picture"


def test_word_uses_the_reference_styles_and_ours_for_the_rest(branded: Path) -> None:
    styles = docx.Document(str(branded / "handbook.docx")).styles
    assert styles["Heading 1"].font.name == "Georgia"  # the reference's
    assert "Brand Quote" in [style.name for style in styles]  # only the reference has it
    assert styles["Normal"].font.name == "Cambria"  # the reference's document default
    assert styles["Field Label"].font.bold  # ours: the reference has no such style


def test_word_logo_is_an_svg_with_a_png_beside_it_on_the_cover_and_in_the_header(branded: Path) -> None:
    package = zipfile.ZipFile(branded / "handbook.docx")
    names = package.namelist()
    assert any(name.endswith(".svg") for name in names) and any(name.endswith(".png") for name in names)
    headers = [package.read(name).decode() for name in names if name.startswith("word/header")]
    main = package.read("word/document.xml").decode()
    assert "asvg:svgBlip" in main and "<a:blip r:embed=" in main  # the cover
    assert any("asvg:svgBlip" in header and "<a:blip r:embed=" in header for header in headers)
    assert names[-1] == "word/document.xml"


def test_libreoffice_shows_the_logo_and_the_theme_font(branded: Path, tmp_path: Path) -> None:
    """What a LibreOffice user sees: the logo as a picture on the cover and in the headers."""
    command = [system_tool("libreoffice"), "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path)]
    subprocess.run([*command, str(branded / "handbook.docx")], check=True, capture_output=True, timeout=240)
    reader = PdfReader(tmp_path / "handbook.pdf")
    assert len(reader.pages) > 1
    assert all(page.images or form_xobjects(page) for page in reader.pages)
    assert "Minimal ladder" in reader.pages[0].extract_text()


def test_filled_packets_draw_values_in_the_theme_font(tmp_path: Path) -> None:
    project = branded_project(tmp_path)
    roster = tmp_path / "roster.csv"
    roster.write_text("name,target_level\nZoë Ferreira,principal-pm\n", "utf-8")
    arguments = ("--roster", roster, "--ladder", SHIPPED_LADDER, "--format", "pdf", "-o", "out")
    result = guide("packets", *arguments, cwd=project)
    assert result.returncode == 0, result.stderr
    (packet,) = (project / "out").glob("*/roster/*.pdf")
    data = packet.read_bytes()
    update = data[data.rindex(b"%%EOF", 0, len(data) - 8) :]  # the filled values' own objects
    assert b"DejaVuSerif" in update


def test_the_logo_stays_off_the_header_when_asked(tmp_path: Path) -> None:
    project = branded_project(tmp_path, "no_header_logo.yaml")
    result = guide("build", MINIMAL, "--only", "handbook", "-o", "out", cwd=project)
    assert result.returncode == 0, result.stderr
    reader = PdfReader(project / "out" / "minimal" / "handbook.pdf")
    assert len(reader.pages[0].images) == 1
    assert all(not page.images for page in reader.pages[1:])
    package = zipfile.ZipFile(project / "out" / "minimal" / "handbook.docx")
    headers = [package.read(name) for name in package.namelist() if name.startswith("word/header")]
    pictures = [re.findall(rb"<wp:docPr .*?</wp:docPr>", header) for header in headers]
    (band,) = [picture for pictures_of_header in pictures for picture in pictures_of_header]  # no logo
    assert b'descr=""' in band and re.search(rb'<adec:decorative [^>]*val="1"', band)


def test_a_character_no_theme_font_has_is_reported_at_its_ladder_line(tmp_path: Path) -> None:
    project = branded_project(tmp_path)
    ladder = FIXTURES / "ladders" / "pdf_unprintable" / "no_font_has_it.yaml"
    result = guide("validate", ladder, cwd=project)
    assert result.returncode == 1
    assert result.stderr.splitlines() == expected_problems(ladder)


def test_a_bad_project_theme_fails_the_build_with_its_place(tmp_path: Path) -> None:
    project = branded_project(tmp_path, "bad_files.yaml")
    result = guide("build", MINIMAL, "-o", "out", cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[0].startswith("layouts/theme.yaml:2:12: regular 'fonts/missing.ttf'")
    assert not (project / "out").exists()


ROLE_STYLES = {  # each kind of text of the theme's sizes: its PDF style, and the Word styles that take it
    "title": (lambda s: s.paragraph("title"), ("Title",)),
    "subtitle": (lambda s: s.paragraph("subtitle"), ("Subtitle",)),
    "meta": (lambda s: s.paragraph("meta"), ("Cover Meta",)),
    "lead": (lambda s: s.paragraph("lead"), ("Lead",)),
    "note": (lambda s: s.paragraph("note"), ("Note",)),
    "heading1": (lambda s: s.heading(1), ("Heading 1",)),
    "heading2": (lambda s: s.heading(2), ("Heading 2",)),
    "heading3": (lambda s: s.heading(3), ("Heading 3",)),
    "label": (lambda s: s.label, ("Field Label",)),
    "caption": (lambda s: s.caption, ("Signature Caption", "Field Hint")),
    "furniture": (lambda s: s.furniture, ("Header", "Footer")),
}


@pytest.mark.parametrize(
    "own", ["", "fonts: {size: 12pt}\nsizes: {heading1: 2.4, subtitle: 1.2, caption: 0.7}\n"]
)
def test_the_pdf_and_word_take_each_kind_of_texts_size_from_the_theme(own: str, tmp_path: Path) -> None:
    import io

    from guide.model import Document, Metadata, Paragraph, Span
    from guide.theme import TextSizes
    from guide.writers.pdf.styles import build_styles
    from guide.writers.word.writer import write_docx

    (tmp_path / "theme.yaml").write_text(own, encoding="utf-8")
    theme = load_theme(tmp_path / "theme.yaml") if own else SHIPPED
    pdf = build_styles(theme)
    document = Document(Metadata(title="T"), (Paragraph((Span("x"),)),))
    word = docx.Document(io.BytesIO(write_docx(document, theme)))
    assert set(ROLE_STYLES) == set(TextSizes.__dataclass_fields__)
    for role, (pdf_style, word_styles) in ROLE_STYLES.items():
        expected = getattr(theme.sizes, role) * theme.font_size.points
        assert pdf_style(pdf).fontSize == pytest.approx(expected), role
        for name in word_styles:
            assert word.styles[name].font.size.pt == pytest.approx(expected, abs=0.5), name  # half points
    if own:
        assert pdf.heading(1).fontSize == pytest.approx(28.8) and pdf.heading(1).leading > 28.8
