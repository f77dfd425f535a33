"""SVG logos that would run away are theme errors in seconds; the comments and entities of real exports work.

Each hostile logo goes through `guide validate` in a project, as a user meets it:
exit status 1, one message at the theme's `logo` line, no traceback. The fixtures
are `tests/fixtures/themes/svg_*`; the large ones are made here.
"""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from PIL import Image

from conftest import FIXTURES, header_svgs
from guide.writers.svg import MAX_PNG_SIDE, png_bytes

THEMES = FIXTURES / "themes"
MINIMAL = FIXTURES / "ladders" / "valid" / "minimal.yaml"
SVG = "http://www.w3.org/2000/svg"
LOGO_LINE = "layouts/theme.yaml:1:7: logo 'logo.svg'"
"""Where the theme `logo: logo.svg` reports a problem with its logo."""


def project_with_logo(root: Path, logo: Path | str) -> Path:
    """Make a project whose theme names `logo` (a fixture file, or SVG text) as its logo; return it."""
    layouts = root / "layouts"
    layouts.mkdir()
    if isinstance(logo, Path):
        shutil.copy(logo, layouts / "logo.svg")
    else:
        (layouts / "logo.svg").write_text(logo, "utf-8")
    (layouts / "theme.yaml").write_text("logo: logo.svg\n", "utf-8")
    return root


def svg(body: str, size: str = 'width="240" height="80"') -> str:
    return f'<svg xmlns="{SVG}" xmlns:xlink="http://www.w3.org/1999/xlink" {size}>{body}</svg>'


def rectangles(count: int) -> str:
    return "".join(f'<rect x="{i % 240}" y="{i % 80}" width="1" height="1"/>' for i in range(count))


def one_long_path(points: int) -> str:
    return '<path d="M0 0 ' + " ".join(f"L{i % 240} {i % 80}" for i in range(points)) + '"/>'


@pytest.mark.parametrize(
    ("logo", "message"),
    [
        pytest.param(
            THEMES / "svg_use_bomb.svg",
            "draws more than 10,000 elements, counting each copy a <use> makes and 200 characters"
            " of path data as one element: simplify it (merge its shapes) or use a PNG",
            id="use-bomb",
        ),
        pytest.param(
            svg(rectangles(70_000)),  # 3 MB
            "has 70,001 elements, more than a logo may have (10,000):"
            " simplify it (merge its shapes) or use a PNG",
            id="huge",
        ),
        pytest.param(
            svg(one_long_path(300_000)),  # 2 MB of path data in one element
            "draws more than 10,000 elements, counting each copy a <use> makes and 200 characters"
            " of path data as one element: simplify it (merge its shapes) or use a PNG",
            id="long-path",
        ),
        pytest.param(
            THEMES / "svg_too_wide.svg",
            "is 10,000,000 times as wide as it is high: a logo may be at most 50 times as wide"
            " as it is high, or as high as it is wide",
            id="ten-million-by-one",
        ),
        pytest.param(
            THEMES / "svg_loop.svg", "refers to itself (element 'mark'): take the loop out of it", id="loop"
        ),
        pytest.param(
            svg("<g>" * 70 + '<rect width="9" height="9"/>' + "</g>" * 70),
            "nests elements more than 64 deep, counting each <use>: flatten its groups",
            id="deep",
        ),
        pytest.param(
            THEMES / "svg_external_entity.svg",
            "uses the entity 'hostname', which names a file or an address outside the logo:"
            " a logo must hold everything it draws, so take the entity out",
            id="external-entity",
        ),
        pytest.param(
            svg('<image xlink:href="data:image/png;base64,{picture}" width="240" height="80"/>'),
            "embeds a picture that is 12,000 x 12,000 pixels, more than a logo needs",
            id="embedded-picture-bomb",
        ),
    ],
)
def test_a_logo_that_would_run_away_is_a_message_at_the_theme_line(
    logo: Path | str, message: str, tmp_path: Path, run_guide
) -> None:
    if isinstance(logo, str) and "{picture}" in logo:
        logo = logo.replace("{picture}", _base64_png_bomb())
    project = project_with_logo(tmp_path, logo)
    result = run_guide("validate", MINIMAL, cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"{LOGO_LINE} {message}")


def _base64_png_bomb() -> str:
    """Return a 12,000 x 12,000 PNG of one colour (a few hundred kilobytes) in base64."""
    import base64

    buffer = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(buffer, "PNG")
    return base64.b64encode(buffer.getvalue()).decode()


@pytest.mark.parametrize("name", ["svg_sketch_comment.svg", "svg_internal_entity.svg"])
def test_a_logo_with_comments_or_internal_entities_is_stored_cleaned_in_word(
    name: str, tmp_path: Path, run_guide
) -> None:
    """Sketch writes a comment inside every <svg>; Illustrator declares entities for its namespaces."""
    project = project_with_logo(tmp_path, THEMES / name)
    result = run_guide("build", MINIMAL, "--only", "handbook", "-o", "out", cwd=project)
    assert result.returncode == 0, result.stderr
    package = zipfile.ZipFile(project / "out" / "minimal" / "handbook.docx")
    (stored,) = {package.read(part) for part in header_svgs(package)}
    assert b"<!DOCTYPE" not in stored and b"<!--" not in stored and b"&" not in stored
    root = etree.fromstring(stored, etree.XMLParser(resolve_entities=False, no_network=True))
    assert root.tag == f"{{{SVG}}}svg"
    squares = [rect for rect in root.iter(f"{{{SVG}}}rect") if rect.get("width") == "72"]
    assert len(squares) == 1 and "#8A1538" in (squares[0].get("fill") or squares[0].get("style") or "")


def test_the_png_for_word_fits_the_longest_side_and_keeps_the_proportions(tmp_path: Path) -> None:
    path = tmp_path / "wide.svg"
    path.write_text(
        svg('<rect width="4000" height="100" fill="#8A1538"/>', 'viewBox="0 0 4000 100"'), "utf-8"
    )
    picture = Image.open(io.BytesIO(png_bytes(path, 600)))
    assert picture.size == (MAX_PNG_SIDE, MAX_PNG_SIDE // 40)
