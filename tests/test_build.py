"""The whole path: a ladder in, every product out, every text of the ladder in every file.

Outputs are read back with readers that did not write them: pypdf for PDFs,
python-docx (and the XML of its parts) for Word files.
"""

from __future__ import annotations

import dataclasses
import re
import subprocess
import unicodedata
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document as open_docx
from docx.oxml.ns import qn
from pypdf import PdfReader

from conftest import FIXTURES, SHIPPED_LADDER, convert_with_libreoffice, system_tool
from guide.ladder import Ladder, Level

UNICODE_LADDER = FIXTURES / "ladders" / "valid" / "unicode_eleven_levels.yaml"
DOTX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"


def texts_of(value: object) -> Iterator[str]:
    """Yield every text of a ladder part, one line at a time (ids and paths left out)."""
    if isinstance(value, str):
        yield from (line for line in value.split("\n") if line)
    elif isinstance(value, tuple):
        for item in value:
            yield from texts_of(item)
    elif dataclasses.is_dataclass(value):
        for field in dataclasses.fields(value):
            if field.name not in ("id", "source", "next", "levels"):
                yield from texts_of(getattr(value, field.name))


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def pdf_text(path: Path) -> str:
    return squeeze(" ".join(page.extract_text() for page in PdfReader(path).pages))


PAGE_NUMBER = re.compile(r"Page \d+ of \d+")


def pdf_body_text(path: Path) -> str:
    """Return the text of a PDF's pages without their running header and footer.

    Each page's text starts with them, up to "Page N of M" (the cover has none). Without
    them, a paragraph that runs over a page break reads whole again.
    """
    pages = []
    for page in PdfReader(path).pages:
        lines = page.extract_text().splitlines()
        numbered = [index for index, line in enumerate(lines[:5]) if PAGE_NUMBER.fullmatch(line.strip())]
        pages.append("\n".join(lines[numbered[0] + 1 :] if numbered else lines))
    return "\n".join(pages)


def docx_text(path: Path) -> str:
    """Return the text of every paragraph of a Word file, content controls included."""
    if path.suffix == ".dotx":
        return squeeze(_xml_text(zipfile.ZipFile(path).read("word/document.xml")))
    body = open_docx(str(path)).element.body
    return squeeze(" ".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p"))))


def _xml_text(xml: bytes) -> str:
    from xml.etree import ElementTree

    root = ElementTree.fromstring(xml)
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    return " ".join("".join(t.text or "" for t in p.iter(f"{w}t")) for p in root.iter(f"{w}p"))


def missing(expected: Iterator[str], text: str) -> list[str]:
    return [item for item in expected if squeeze(item) not in text]


@pytest.fixture(scope="module", params=[SHIPPED_LADDER, UNICODE_LADDER], ids=["shipped", "unicode"])
def built(request, build_ladder) -> tuple[Ladder, Path, list[str]]:
    return build_ladder(request.param)


def expected_files(ladder: Ladder) -> set[str]:
    files = {"handbook.pdf", "handbook.docx"}
    files |= {f"checklists/{level.id}.{ext}" for level in ladder.levels for ext in ("pdf", "docx")}
    files |= {
        f"packets/{level.id}.{ext}" for level in ladder.promotion_targets() for ext in ("pdf", "docx", "dotx")
    }
    return files


def test_every_product_is_written_and_listed(built) -> None:
    ladder, folder, printed = built
    written = {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}
    assert written == expected_files(ladder)
    assert sorted(printed) == sorted(str(folder / name) for name in expected_files(ladder))


def test_handbook_pdf_holds_every_text_of_the_ladder(built) -> None:
    ladder, folder, _ = built
    assert missing(texts_of(ladder), pdf_text(folder / "handbook.pdf")) == []


def test_handbook_docx_holds_every_text_of_the_ladder(built) -> None:
    ladder, folder, _ = built
    assert missing(texts_of(ladder), docx_text(folder / "handbook.docx")) == []


def level_items(level: Level) -> Iterator[str]:
    yield level.title
    yield from level.expectations
    yield from level.skills
    yield from level.responsibilities
    yield from level.checklist


def test_checklists_hold_their_level(built) -> None:
    ladder, folder, _ = built
    for level in ladder.levels:
        for text in (
            pdf_text(folder / "checklists" / f"{level.id}.pdf"),
            docx_text(folder / "checklists" / f"{level.id}.docx"),
        ):
            assert missing(level_items(level), text) == [], level.id


def test_checklists_have_a_tickable_box_per_item(built) -> None:
    ladder, folder, _ = built
    level = ladder.levels[-1]
    fields = PdfReader(folder / "checklists" / f"{level.id}.pdf").get_fields() or {}
    boxes = [name for name, field in fields.items() if field.get("/FT") == "/Btn"]
    promotion = ladder.promotion
    items = len(list(level_items(level))) - 1
    if promotion:
        items += len(promotion.criteria) + len(promotion.blockers)
    assert len(boxes) == items


def test_packets_hold_the_expectations_to_evidence(built) -> None:
    ladder, folder, _ = built
    for level in ladder.promotion_targets():
        for name in (f"{level.id}.pdf", f"{level.id}.docx", f"{level.id}.dotx"):
            path = folder / "packets" / name
            text = pdf_text(path) if path.suffix == ".pdf" else docx_text(path)
            assert missing(iter(level.expectations), text) == [], name


def test_dotx_is_a_word_template(built) -> None:
    ladder, folder, _ = built
    level = ladder.promotion_targets()[0]
    types = zipfile.ZipFile(folder / "packets" / f"{level.id}.dotx").read("[Content_Types].xml").decode()
    assert DOTX_TYPE in types


def test_text_is_printed_literally(build_ladder) -> None:
    _, folder, _ = build_ladder(UNICODE_LADDER)
    for text in (pdf_text(folder / "handbook.pdf"), docx_text(folder / "handbook.docx")):
        assert "Échelle de carrière — R&D <Produit> {{ équipe }}" in text
        assert "{% raw %} et {{ x }}" in text


def test_building_twice_gives_identical_bytes(built, run_guide, tmp_path: Path) -> None:
    # The first build drew files in one process per core; this one draws them in one process.
    ladder, folder, _ = built
    result = run_guide("build", ladder.source, "-o", tmp_path, "--only", "handbook,packets", "-j", "1")
    assert result.returncode == 0, result.stderr
    for path in (tmp_path / ladder.id).rglob("*.*"):
        assert path.read_bytes() == (folder / path.relative_to(tmp_path / ladder.id)).read_bytes(), path


def test_word_files_open_in_libreoffice(built, tmp_path: Path) -> None:
    ladder, folder, _ = built
    entry, target = ladder.levels[0], ladder.promotion_targets()[-1]
    sources = [
        folder / "handbook.docx",
        folder / "checklists" / f"{entry.id}.docx",
        folder / "packets" / f"{target.id}.dotx",
    ]
    handbook, checklist, packet = convert_with_libreoffice(sources, tmp_path)
    assert missing((level.title for level in ladder.levels), pdf_text(handbook)) == []
    assert missing(iter(entry.expectations), pdf_text(checklist)) == []
    assert missing(iter(target.expectations), pdf_text(packet)) == []


def test_every_pdf_passes_qpdfs_structural_check(built) -> None:
    _, folder, _ = built
    qpdf = system_tool("qpdf")
    for path in sorted(folder.rglob("*.pdf")):
        result = subprocess.run([qpdf, "--check", path], capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, f"{path}: {result.stdout}{result.stderr}"


def test_pdfs_render_with_poppler(built, tmp_path: Path) -> None:
    ladder, folder, _ = built
    pdftoppm = system_tool("pdftoppm")
    for path in (folder / "handbook.pdf", folder / "packets" / f"{ladder.promotion_targets()[0].id}.pdf"):
        result = subprocess.run(
            [pdftoppm, "-r", "10", "-png", path, tmp_path / path.stem],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert (result.returncode, result.stderr) == (0, "")
        assert len(list(tmp_path.glob(f"{path.stem}*.png"))) == len(PdfReader(path).pages)


WORLD_LADDER = FIXTURES / "ladders" / "valid" / "world_scripts.yaml"


def embedded_fonts(path: Path) -> set[str]:
    fonts = set()
    for page in PdfReader(path).pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    return fonts


def test_chinese_arabic_hebrew_and_accents_print_in_the_pdf(build_ladder) -> None:
    _, folder, _ = build_ladder(WORLD_LADDER)
    text = pdf_text(folder / "handbook.pdf")
    for written in ("深圳创新科技有限公司", "工程师职业阶梯", "王芳", "测试", "Zoë Ødegård", "für alle"):
        assert written in text
    # Drawn in visual order, read back as written (pypdf reverses right-to-left runs);
    # NFKC takes joined Arabic forms back to letters.
    for right_to_left in ("محمد علي", "فاطمة الزهراء", "שרה לוי", "יעל כהן"):
        assert right_to_left in unicodedata.normalize("NFKC", text)
    fonts = embedded_fonts(folder / "handbook.pdf")
    assert "DejaVuSans" in fonts and any(font.startswith("WenQuanYiMicroHei") for font in fonts)


def test_chinese_arabic_hebrew_and_accents_stay_as_written_in_word(build_ladder, tmp_path: Path) -> None:
    ladder, folder, _ = build_ladder(WORLD_LADDER)
    assert missing(texts_of(ladder), docx_text(folder / "handbook.docx")) == []
    (converted,) = convert_with_libreoffice([folder / "handbook.docx"], tmp_path)
    assert "深圳创新科技有限公司" in pdf_text(converted)


def test_contents_page_numbers_are_the_pages_where_chapters_start(build_ladder) -> None:
    _, folder, _ = build_ladder(SHIPPED_LADDER)
    reader = PdfReader(folder / "handbook.pdf")
    listed = {}
    for line in reader.pages[1].extract_text(extraction_mode="layout").splitlines():
        if match := re.fullmatch(r"\s*(.+?)\s+[. ]+\s(\d+)\s*", line):
            listed[match.group(1)] = int(match.group(2))
    headings = [entry for entry in flatten(reader.outline)]
    assert len(listed) == len(headings) > 20
    for entry in headings:
        page = reader.get_destination_page_number(entry)
        assert listed[entry.title] == page + 1, entry.title
        assert entry.title in squeeze(reader.pages[page].extract_text())


def flatten(outline: list) -> Iterator:
    for entry in outline:
        yield from flatten(entry) if isinstance(entry, list) else [entry]


def test_outline_has_every_level_under_its_chapter(build_ladder) -> None:
    ladder, folder, _ = build_ladder(SHIPPED_LADDER)
    outline = PdfReader(folder / "handbook.pdf").outline
    chapter = next(i for i, entry in enumerate(outline) if getattr(entry, "title", "") == "The levels")
    nested = outline[chapter + 1]
    assert isinstance(nested, list)
    assert [entry.title for entry in nested] == [level.label for level in ladder.levels]


def test_every_font_is_embedded(built) -> None:
    _, folder, _ = built
    for page in PdfReader(folder / "handbook.pdf").pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            assert "/FontFile2" in descendant["/FontDescriptor"], font["/BaseFont"]
