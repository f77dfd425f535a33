"""A ladder and a theme that validate build whole; what a build cannot use is refused, writing nothing."""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from conftest import FIXTURES
from guide.content import MAX_ID_CHARS
from guide.glyphs import DEJAVU_SANS

MINIMAL = FIXTURES / "ladders" / "valid" / "minimal.yaml"


def guide(*arguments: str | Path, cwd: Path, **environment: str) -> subprocess.CompletedProcess[str]:
    """Run `python -m guide ARGUMENTS` in `cwd` with `environment` added; return what it did."""
    command = [sys.executable, "-m", "guide", *map(str, arguments)]
    variables = {key: value for key, value in os.environ.items() if key != "SOURCE_DATE_EPOCH"}
    return subprocess.run(
        command, cwd=cwd, env=variables | environment, capture_output=True, text=True, timeout=300
    )


def project_with_theme(root: Path, theme: str) -> Path:
    """Make a project in `root` whose layouts/theme.yaml is `theme`."""
    (root / "layouts").mkdir(parents=True)
    (root / "layouts" / "theme.yaml").write_text(theme, "utf-8")
    return root


def assert_refused_writing_nothing(result: subprocess.CompletedProcess[str], project: Path) -> None:
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert not (project / "out").exists()


# --- ids: short enough for every file name made from them -----------------------------------


def ladder_with_level_id(folder: Path, level_id: str) -> Path:
    path = folder / "ladder.yaml"
    path.write_text(MINIMAL.read_text("utf-8").replace("id: only", f"id: {level_id}"), "utf-8")
    return path


def test_a_level_id_at_the_limit_builds_whole_and_one_beyond_is_refused(tmp_path: Path) -> None:
    longest = "senior-" + "x" * (MAX_ID_CHARS - 7)
    built = guide(
        "build", ladder_with_level_id(tmp_path, longest), "--only", "checklists", "-o", "out", cwd=tmp_path
    )
    assert built.returncode == 0, built.stderr
    checklists = tmp_path / "out" / "minimal" / "checklists"
    assert sorted(path.name for path in checklists.iterdir()) == [f"{longest}.docx", f"{longest}.pdf"]
    assert "The only level" in PdfReader(checklists / f"{longest}.pdf").pages[0].extract_text()

    project = tmp_path / "beyond"
    project.mkdir()
    ladder = ladder_with_level_id(project, longest + "x")
    refused = guide("build", ladder.name, "-o", "out", cwd=project)
    assert_refused_writing_nothing(refused, project)
    assert (
        refused.stderr == f"ladder.yaml:7:9: 'id' has 65 characters: an id may have at most {MAX_ID_CHARS}\n"
    )


# --- SOURCE_DATE_EPOCH: only dates a zip (a Word file) can hold -------------------------------


def test_source_dates_past_what_a_zip_can_hold_are_refused_and_the_last_dates_every_word_file(
    tmp_path: Path,
) -> None:
    refused = guide("build", MINIMAL, "-o", "out", cwd=tmp_path, SOURCE_DATE_EPOCH="4354819200")  # 2108
    assert_refused_writing_nothing(refused, tmp_path)
    assert refused.stderr.startswith("SOURCE_DATE_EPOCH must be a date up to 2107")

    early = guide("build", MINIMAL, "--only", "handbook", "-o", "early", cwd=tmp_path, SOURCE_DATE_EPOCH="0")
    assert early.returncode == 0, early.stderr
    handbook = tmp_path / "early" / "minimal" / "handbook.docx"  # 1970: as early as a zip can say
    assert {entry.date_time[:3] for entry in zipfile.ZipFile(handbook).infolist()} == {(1980, 1, 1)}

    last = "4354819199"  # 2107-12-31 23:59:59 UTC
    built = guide("build", MINIMAL, "--only", "handbook", "-o", "out", cwd=tmp_path, SOURCE_DATE_EPOCH=last)
    assert built.returncode == 0, built.stderr
    handbook = tmp_path / "out" / "minimal" / "handbook.docx"
    assert {entry.date_time[:3] for entry in zipfile.ZipFile(handbook).infolist()} == {(2107, 12, 31)}
    assert docx.Document(str(handbook)).core_properties.created.year == 2107


# --- themes: sizes and margins that leave a real text area ------------------------------------

EDGE_THEME = """\
page:
  margins: {top: 180.9pt, bottom: 180.9pt, left: 57.6pt, right: 57.6pt}
fonts:
  size: 24pt
"""
"""The largest font with the smallest text area it allows: 20 times 24pt each way on A4."""


def test_the_largest_font_on_the_smallest_text_area_builds_whole_and_beyond_is_refused(
    tmp_path: Path,
) -> None:
    project = project_with_theme(tmp_path / "edge", EDGE_THEME)
    built = guide("build", MINIMAL, "-o", "out", cwd=project)
    assert built.returncode == 0, built.stderr
    checklist = PdfReader(project / "out" / "minimal" / "checklists" / "only.pdf")
    assert "Gets it done" in "".join(page.extract_text() for page in checklist.pages)
    section = docx.Document(str(project / "out" / "minimal" / "handbook.docx")).sections[0]
    assert round(section.left_margin.pt, 1) == 57.6 and round(section.top_margin.pt, 1) == 180.9

    beyond = EDGE_THEME.replace("24pt", "25pt").replace("left: 57.6pt", "left: 58pt")
    project = project_with_theme(tmp_path / "beyond", beyond)
    refused = guide("build", MINIMAL, "-o", "out", cwd=project)
    assert_refused_writing_nothing(refused, project)
    assert refused.stderr.splitlines() == [
        "layouts/theme.yaml:2:50: the left and right margins leave a text area 169.2mm wide:"
        " make them smaller, so that it is at least 169.3mm wide"
        " (20 times the font size, and never less than 60mm)",
        "layouts/theme.yaml:4:9: font size must be from 6pt to 24pt, not 25pt"
        " (it is the body text's: the other texts are sized from it, up to 3 times)",
    ]


# --- fonts: read and subset as the build will ----------------------------------------------


def damaged_font(path: Path) -> Path:
    """Write to `path` a copy of DejaVu Sans whose glyph outlines (glyf table) are noise; return `path`."""
    data = bytearray(DEJAVU_SANS.read_bytes())
    table = TTFont(DEJAVU_SANS, lazy=True).reader.tables["glyf"]
    data[table.offset : table.offset + table.length] = random.Random(14).randbytes(table.length)
    path.write_bytes(bytes(data))
    return path


def test_a_font_with_damaged_outlines_is_a_theme_error_at_validate(tmp_path: Path) -> None:
    project = project_with_theme(tmp_path, "fonts:\n  regular: Brand.ttf\n")
    damaged_font(project / "layouts" / "Brand.ttf")
    validated = guide("validate", MINIMAL, cwd=project)
    assert validated.returncode == 1 and "Traceback" not in validated.stderr
    assert validated.stderr == (
        "layouts/theme.yaml:2:12: regular 'Brand.ttf' is damaged (its glyph outlines, the glyf table,"
        " cannot be read): get a fresh copy of the font\n"
    )
    assert_refused_writing_nothing(guide("build", MINIMAL, "-o", "out", cwd=project), project)


# --- tables: columns too narrow for the cells' padding ----------------------------------------


def comparison_of(levels: int) -> str:
    """Return a ladder of `levels` levels in a chain, all of them compared on one aspect."""
    lines = ["schema: 1", "ladder:", "  id: wide", "  title: Wide comparison", "levels:"]
    for index in range(levels):
        lines += [f"  - id: l{index}", f"    title: Manager {index}", "    summary: S.",
                  "    responsibilities: [R]", "    skills: [S]", "    expectations: [E]"]  # fmt: skip
        lines += [f"    next: [l{index + 1}]"] if index < levels - 1 else []
    ids = ", ".join(f"l{index}" for index in range(levels))
    lines += ["comparison:", f"  levels: [{ids}]", "  aspects:", "    - name: Scope",
              f"      values: [{', '.join(f'Area {index}' for index in range(levels))}]"]  # fmt: skip
    return "\n".join(lines) + "\n"


def test_a_comparison_of_fifty_levels_builds_though_its_columns_are_narrower_than_their_padding(
    tmp_path: Path,
) -> None:
    """The PDF writer failed with 'negative availWidth' once a column was narrower than about 9 pt."""
    (tmp_path / "wide.yaml").write_text(comparison_of(50), "utf-8")
    built = guide("build", "wide.yaml", "--only", "handbook", "--format", "pdf", "-o", "out", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    text = " ".join(
        page.extract_text() for page in PdfReader(tmp_path / "out" / "wide" / "handbook.pdf").pages
    )
    comparison = text[text.rindex("Comparing levels") :]  # the last chapter: every level a row
    assert all(re.search(rf"Manager {n}\s+Area {n}\b", comparison) for n in range(50))


EIGHTY = " ".join(["1"] * 80), "".join(f"<td>Cell {i}</td>" for i in range(80))
NARROW_COLUMNS = (
    '<document title="{{ ladder.title }}">\n'
    '<table widths="1 100"><tr><td>narrow column text</td><td>wide</td></tr></table>\n'
    f'<table widths="{EIGHTY[0]}"><tr>{EIGHTY[1]}</tr></table>\n'
    '<table widths="1 30"><tr><td><table widths="1 1 1 1 1 1"><tr>' + "<td>n</td>" * 6 + "</tr></table></td>"
    "<td>wide</td></tr></table>\n</document>\n"
)
"""A column of a hundredth, eighty columns, and a table of six inside a narrow cell."""


def test_tables_whose_columns_are_narrower_than_their_padding_build(tmp_path: Path) -> None:
    (tmp_path / "layouts").mkdir()
    (tmp_path / "layouts" / "handbook.xml.j2").write_text(NARROW_COLUMNS, "utf-8")
    built = guide("build", MINIMAL, "--only", "handbook", "--format", "pdf", "-o", "out", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    text = PdfReader(tmp_path / "out" / "minimal" / "handbook.pdf").pages[-1].extract_text()
    assert "wide" in text
