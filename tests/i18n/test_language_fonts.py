"""A theme's font for a language: a Japanese document draws its kana in a Japanese font, in both formats."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen

TESTS = Path(__file__).parent.parent
LOCALISED = TESTS / "fixtures" / "ladders" / "localised"
FAMILY = "Guide Test Mincho"
KANA = "あいうかがこしすのはまをんでとに"


def make_font(path: Path) -> None:
    """Write a small TrueType font named FAMILY with a square for each of KANA."""

    def square():  # type: ignore[no-untyped-def]
        pen = TTGlyphPen(None)
        pen.moveTo((100, 0))
        for corner in ((100, 700), (900, 700), (900, 0)):
            pen.lineTo(corner)
        pen.closePath()
        return pen.glyph()

    names = [".notdef", "space", *(f"uni{ord(c):04X}" for c in KANA)]
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder(names)
    builder.setupCharacterMap({32: "space", **{ord(c): f"uni{ord(c):04X}" for c in KANA}})
    builder.setupGlyf({name: (TTGlyphPen(None).glyph() if name == "space" else square()) for name in names})
    builder.setupHorizontalMetrics({name: (300 if name == "space" else 1000, 100) for name in names})
    builder.setupHorizontalHeader(ascent=880, descent=-120)
    builder.setupNameTable({"familyName": FAMILY, "styleName": "Regular"})
    builder.setupOS2(sTypoAscender=880, sTypoDescender=-120, usWinAscent=880, usWinDescent=120)
    builder.setupPost()
    builder.save(str(path))


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("fonts")
    (root / "data").mkdir()
    (root / "layouts" / "fonts").mkdir(parents=True)
    make_font(root / "layouts" / "fonts" / "mincho.ttf")
    (root / "layouts" / "theme.yaml").write_text("fonts:\n  languages:\n    ja: fonts/mincho.ttf\n", "utf-8")
    for language in ("ja", "de"):
        shutil.copy(LOCALISED / f"{language}.yaml", root / "data" / f"{language}.yaml")
    return root


def fonts_of(pdf: Path) -> str:
    return subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout


def test_a_japanese_document_draws_in_the_themes_japanese_font(project, run_guide) -> None:
    result = run_guide("build", "--only", "handbook", cwd=project)
    assert result.returncode == 0, result.stderr
    japanese, german = project / "output" / "product-management-ja", project / "output" / "produktmanagement"
    assert "Guide-Test-Mincho" in fonts_of(japanese / "handbook.pdf")
    assert "Guide-Test-Mincho" not in fonts_of(german / "handbook.pdf")
    styles = zipfile.ZipFile(japanese / "handbook.docx").read("word/styles.xml").decode("utf-8")
    assert f'w:eastAsia="{FAMILY}"' in styles
    assert FAMILY not in zipfile.ZipFile(german / "handbook.docx").read("word/styles.xml").decode("utf-8")


@pytest.mark.parametrize(
    ("languages", "message"),
    [("    1ja: fonts/mincho.ttf\n", ":3:5: each key of 'languages' must be a language"),
     ("    ja: fonts/none.ttf\n", ":3:9: ja font 'fonts/none.ttf' cannot be read")],
)  # fmt: skip
def test_a_mistake_in_the_language_fonts_is_said_at_its_line(
    project, tmp_path, run_guide, languages, message
):
    shutil.copytree(project / "layouts", tmp_path / "layouts")
    shutil.copytree(project / "data", tmp_path / "data")
    (tmp_path / "layouts" / "theme.yaml").write_text("fonts:\n  languages:\n" + languages, "utf-8")
    result = run_guide("validate", cwd=tmp_path)
    assert result.returncode == 1 and f"theme.yaml{message}" in result.stderr + result.stdout, result.stderr
