"""The theme: page size, colours and the logo reach both writers; mistakes are located."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import FIXTURES
from guide.theme import Length, load_theme

BRANDED = FIXTURES / "projects" / "branded"
MINIMAL = FIXTURES / "ladders" / "valid" / "minimal.yaml"


def test_lengths_parse_once_into_points() -> None:
    assert Length.parse("1in").points == 72
    assert round(Length.parse("25.4mm").points, 6) == 72
    with pytest.raises(ValueError, match="not a length"):
        Length.parse("12 furlongs")


def test_branded_theme_loads() -> None:
    theme = load_theme(BRANDED / "layouts" / "theme.yaml")
    assert theme.page_size == "Letter"
    assert theme.colors.primary == "#7A1F5C"
    assert theme.logo == BRANDED / "layouts" / "acme-logo.png"


@pytest.fixture(scope="module")
def branded_handbook(tmp_path_factory) -> Path:
    import subprocess
    import sys

    out = tmp_path_factory.mktemp("branded")
    command = [sys.executable, "-m", "guide", "build", MINIMAL, "--only", "handbook", "-o", out]
    subprocess.run(command, cwd=BRANDED, check=True, capture_output=True, timeout=300)
    return out / "minimal"


def test_pdf_has_the_themes_page_size_and_logo_on_the_cover(branded_handbook: Path) -> None:
    reader = PdfReader(branded_handbook / "handbook.pdf")
    cover = reader.pages[0]
    assert (float(cover.mediabox.width), float(cover.mediabox.height)) == (612, 792)
    assert len(cover.images) == 1
    assert all(len(page.images) == 0 for page in reader.pages[1:])


def test_word_has_the_themes_page_size_and_logo_on_the_cover(branded_handbook: Path) -> None:
    document = zipfile.ZipFile(branded_handbook / "handbook.docx").read("word/document.xml").decode()
    assert 'w:w="12240" w:h="15840"' in document  # US Letter in twentieths of a point
    assert 'descr="acme-logo logo"' in document
    assert document.index('descr="acme-logo logo"') < document.index("Minimal ladder")
