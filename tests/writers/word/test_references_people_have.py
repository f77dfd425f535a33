"""Reference Word documents as people have them: each validates, builds, and gives Word files in its styles.

The fixtures `tests/fixtures/themes/reference_*.docx` are real files, made so:

- `reference_pandoc.docx`: Pandoc's default, `pandoc -o reference_pandoc.docx
  --print-default-data-file reference.docx` (Debian's pandoc 2.17). Its names are
  spelt "Heading 1", where Word's own files say "heading 1".
- `reference_libreoffice.docx`: the route docs/themes.md gives. guide's handbook of
  `tests/fixtures/ladders/valid/minimal.yaml`, its Heading 1 changed (DejaVu Serif,
  22 pt, #6A1B9A) and its text deleted, re-saved by LibreOffice 7.4 (`soffice --headless
  --convert-to docx:"MS Word 2007 XML"`). It has two styles named "Caption" and
  "caption", and two named "List Bullet 3".
- `reference_word_styles.docx`: python-docx's `Document().save()`, Word's own styles.
- `reference_partial.docx`: the same with Normal (DejaVu Serif 10.5 pt) and Heading 1
  (DejaVu Sans 20 pt italic, #0B6E4F) changed and every other style removed.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import pypdf
import pytest
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.styles.style import BaseStyle
from docx.styles.styles import Styles

from conftest import FIXTURES, convert_with_libreoffice
from guide.errors import ContentError
from guide.model import Document, Heading, Metadata, Paragraph, Span
from guide.themefile import load_theme
from guide.writers.word import reference, write_docx

THEMES = FIXTURES / "themes"
MINIMAL = FIXTURES / "ladders" / "valid" / "minimal.yaml"
REFERENCES = ["pandoc", "libreoffice", "word_styles", "partial"]


def style_named(styles: Styles, name: str) -> BaseStyle:
    """Return the style called `name` in any case, as Word compares names ("Heading 1" is "heading 1")."""
    (style,) = [style for style in styles if (style.name or "").lower() == name.lower()]
    return style


def look(style: BaseStyle) -> tuple[object, ...]:
    """Return what a reader sees of `style`'s text: font, size, colour, weight and slant."""
    font = style.font
    colour = font.color.rgb if font.color.type is not None else None
    return font.name, font.size, colour, font.bold, font.italic


def project_with(reference_name: str, folder: Path) -> Path:
    """Return a project in `folder` whose theme takes `reference_<reference_name>.docx` as Word reference."""
    layouts = folder / "layouts"
    layouts.mkdir(parents=True)
    shutil.copy(THEMES / f"reference_{reference_name}.docx", layouts / "reference.docx")
    (layouts / "theme.yaml").write_text("word_reference: reference.docx\n", "utf-8")
    return folder


def run_guide(*arguments: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "guide", *map(str, arguments)]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module", params=REFERENCES)
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """Return the name of a reference and the handbook.docx that `guide build` made with it."""
    project = project_with(request.param, tmp_path_factory.mktemp(request.param))
    validated = run_guide("validate", MINIMAL, cwd=project)
    assert (validated.returncode, validated.stderr) == (0, ""), validated.stderr
    result = run_guide("build", MINIMAL, "-o", "out", cwd=project)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    return request.param, project / "out" / "minimal" / "handbook.docx"


def test_word_files_have_the_references_styles(built: tuple[str, Path]) -> None:
    name, handbook = built
    theirs = docx.Document(str(THEMES / f"reference_{name}.docx")).styles
    ours = docx.Document(str(handbook)).styles
    for style in ("Normal", "Heading 1"):
        assert look(style_named(ours, style)) == look(style_named(theirs, style)), style
    defaults = "./w:docDefaults/w:rPrDefault/w:rPr/w:rFonts/@w:ascii"
    assert ours.element.xpath(defaults) == theirs.element.xpath(defaults)
    assert ours["Heading 1"].style_id == "Heading1"  # found by Word's name, under the id paragraphs name


def test_libreoffice_draws_the_word_file_in_the_references_fonts(
    built: tuple[str, Path], tmp_path: Path
) -> None:
    name, handbook = built
    (pdf,) = convert_with_libreoffice([handbook], tmp_path)
    reader = pypdf.PdfReader(pdf)
    assert "Levels at a glance" in "".join(page.extract_text() for page in reader.pages)
    fonts = {
        str(font.get_object()["/BaseFont"]).split("+")[-1]
        for page in reader.pages
        for font in page["/Resources"].get("/Font", {}).values()
    }
    heading_font = style_named(docx.Document(str(THEMES / f"reference_{name}.docx")).styles, "Heading 1").font
    if heading_font.name is not None:  # the others name theme fonts, which this machine may lack
        family = heading_font.name.replace(" ", "")
        assert {font for font in fonts if font.startswith(family + "-Bold")}  # headings are bold


def test_header_and_footer_keep_their_text_at_the_right_margin(tmp_path: Path) -> None:
    """Word's Header has a centre tab and a right one at 6 inches: the right-hand text would stop short."""
    theme = load_theme(project_with("word_styles", tmp_path) / "layouts" / "theme.yaml")
    document = Document(Metadata(title="Tabs", kind="Handbook"), (Paragraph((Span("Text"),)),))
    ours = docx.Document(io.BytesIO(write_docx(document, load_theme()))).styles
    theirs = docx.Document(io.BytesIO(write_docx(document, theme))).styles
    for name in ("Header", "Footer"):
        stops = [(stop.alignment, stop.position) for stop in theirs[name].paragraph_format.tab_stops]
        assert stops == [(stop.alignment, stop.position) for stop in ours[name].paragraph_format.tab_stops]
        assert look(theirs[name]) == look(style_named(docx.Document().styles, name))  # the rest is Word's


def test_validate_runs_the_merge_build_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever stops the merge of a reference's styles is a theme message, before any file is written."""

    def failing_merge(*_: object) -> None:
        raise ValueError("Element is not a child of this node.")

    monkeypatch.setattr(reference, "apply_reference_styles", failing_merge)
    with pytest.raises(ContentError) as raised:
        load_theme(project_with("pandoc", tmp_path) / "layouts" / "theme.yaml")
    (line,) = raised.value.lines()
    assert line.endswith(
        "theme.yaml:1:17: word_reference 'reference.docx' has styles guide cannot merge"
        " (ValueError: Element is not a child of this node.): save it again from Word"
    )


def test_every_heading_of_a_document_takes_the_references_look(tmp_path: Path) -> None:
    theme = load_theme(project_with("pandoc", tmp_path) / "layouts" / "theme.yaml")
    blocks = tuple(Heading(level, (Span(f"Level {level}"),)) for level in (1, 2, 3))
    data = write_docx(Document(Metadata(title="Headings", kind="Handbook"), blocks), theme)
    written = docx.Document(io.BytesIO(data))
    pandoc = docx.Document(str(THEMES / "reference_pandoc.docx")).styles
    for paragraph, level in zip(written.paragraphs[-3:], (1, 2, 3), strict=True):
        assert look(paragraph.style) == look(style_named(pandoc, f"Heading {level}"))


def test_validate_reports_a_merge_that_hides_a_style_build_looks_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build finds styles by name: a merge that renamed one would stop it, so validate says so."""
    merge = reference.apply_reference_styles

    def renaming_merge(styles: BaseOxmlElement, path: Path) -> None:
        merge(styles, path)
        (name,) = styles.xpath("./w:style[@w:styleId='Heading1']/w:name")
        name.set(qn("w:val"), "Heading One")

    monkeypatch.setattr(reference, "apply_reference_styles", renaming_merge)
    with pytest.raises(ContentError) as raised:
        load_theme(project_with("pandoc", tmp_path) / "layouts" / "theme.yaml")
    (line,) = raised.value.lines()
    assert line.endswith(
        "word_reference 'reference.docx' hides the styles Heading 1 once merged: save it again from Word"
    )
