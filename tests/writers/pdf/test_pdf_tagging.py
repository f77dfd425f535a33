"""Tagged PDF: every PDF guide writes has a structure tree that assistive technology can read.

Every product of the shipped ladder, of a ladder in Chinese, Arabic and Hebrew, the
long tables of a ladder of every content shape, and a packet filled from a roster are
checked by programs that did not write them: `pdfua` (the machine-checkable part of
PDF/UA-1), pikepdf (every mark that paints is tagged content or an artifact) and
poppler (`pdfinfo -struct-text` reads the tree back, in the handbook's order).
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest

from conftest import FIXTURES, ROOT, SHIPPED_LADDER, system_tool, written_paths
from guide import build
from guide.content import load_ladder
from guide.model import Document, Heading, plain_text, walk
from guide.writers.pdf import write_pdf
from page_reading import structure_elements

VALID = FIXTURES / "ladders" / "valid"
PAINTING = {
    "Tj",
    "TJ",
    "'",
    '"',
    "Do",
    "BI",
    "INLINE IMAGE",
    "sh",
    "re",
    "f",
    "f*",
    "F",
    "S",
    "s",
    "B",
    "B*",
    "b",
}
"""The operators that paint text, pictures or shapes."""


@dataclass(frozen=True)
class Written:
    """The PDFs of the module's ladders, and the shipped handbook's document."""

    pdfs: list[Path]
    handbook: Path
    handbook_document: Document
    roster_packet: Path


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> Written:
    out = tmp_path_factory.mktemp("tagged")
    project = build.Project(ROOT)
    ladders = build.load_ladders([SHIPPED_LADDER, VALID / "world_scripts.yaml"])
    outputs = build.prepare(project, ladders, out, ("handbook", "checklists", "packets"), ("pdf",))
    pdfs = written_paths(outputs, project.theme, jobs=2)
    shapes = build.prepare(
        project, build.load_ladders([VALID / "page_shapes.yaml"]), out, ("packets",), ("pdf",)
    )
    staff = next(output for output in shapes if output.files[0].stem == "staff")
    (out / "shapes-staff.pdf").write_bytes(write_pdf(staff.document, project.theme))
    roster = out / "roster.csv"
    roster.write_text("name,target_level,manager\nZoë Martin,senior-pm,محمد علي\n", encoding="utf-8")
    command = [
        sys.executable,
        "-m",
        "guide",
        "packets",
        "--roster",
        roster,
        "-o",
        out,
        "--format",
        "pdf",
        "-q",
    ]
    subprocess.run(list(map(str, command)), cwd=ROOT, check=True, timeout=300)
    (packet,) = (out / "product-management" / "roster").glob("*.pdf")
    handbook = next(output for output in outputs if output.files[0].name == "handbook.pdf")
    return Written([*pdfs, out / "shapes-staff.pdf", packet], handbook.files[0], handbook.document, packet)


def test_pdfua_finds_nothing_in_any_pdf(written) -> None:
    assert len(written.pdfs) == 2 + 10 + 9 + 2 + 1 + 2  # handbooks, checklists, packets, the rest
    checker = Path(sys.executable).with_name("pdfua")
    result = subprocess.run([checker, "check", *written.pdfs], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]


def test_every_mark_that_paints_is_tagged_content_or_an_artifact(written) -> None:
    untagged = []
    for path in written.pdfs:
        with pikepdf.open(path) as pdf:
            for number, page in enumerate(pdf.pages, 1):
                depth = 0
                for _operands, operator in pikepdf.parse_content_stream(page):
                    name = str(operator)
                    depth += (name in ("BDC", "BMC")) - (name == "EMC")
                    if depth == 0 and name in PAINTING:
                        untagged.append(f"{path.name} p{number}: {name}")
                assert depth == 0, f"{path.name} p{number} leaves marked content open"
    assert untagged == []


def test_the_tree_holds_every_text_of_the_ladder_and_its_headings_in_the_handbooks_order(written) -> None:
    tree = struct_text(written.handbook)
    assert ("H1", "Product Management Career Ladder") in tree  # a line that wraps at a space keeps it
    squeezed = squeeze("".join(text for _, text in tree))
    ladder = load_ladder(SHIPPED_LADDER)
    assert [text for text in ladder.texts() if squeeze(text) not in squeezed] == []
    faq = [index for index, (_, text) in enumerate(tree) if squeeze(text) == "Frequentlyaskedquestions"][-1]
    questions = {role for role, _ in tree[faq + 1 :] if re.fullmatch(r"H[1-3]", role)}
    assert questions == {
        "H2"
    }  # written smaller than the chapters' sections, read one level below the chapter
    headings = [text for role, text in tree if re.fullmatch(r"H[1-3]", role)]
    document_headings = [
        plain_text(block.spans)
        for block in walk(written.handbook_document.blocks)
        if isinstance(block, Heading)
    ]
    assert [squeeze(text) for text in headings[-len(document_headings) :]] == [
        squeeze(text) for text in document_headings
    ]


def test_lists_tables_contents_links_and_fields_have_their_structure(written) -> None:
    tree = struct_text(written.handbook)
    roles = [role for role, _ in tree]
    links = [text for role, text in tree if role == "Link"]
    assert links and all(text.strip() for text in links)  # each holds its text, as well as its annotation
    for role in ("Document", "TOC", "TOCI", "L", "LI", "Lbl", "LBody", "Table", "THead", "TBody", "TR", "TH"):
        assert role in roles, role
    assert roles.count("Figure") == 1 and "Link" in roles
    packet_roles = [role for role, _ in struct_text(written.roster_packet)]
    assert packet_roles.count("Form") == count_widgets(written.roster_packet)


def test_the_catalog_says_tagged_language_title_and_pdf_ua(written) -> None:
    for path in (written.handbook, written.roster_packet):
        with pikepdf.open(path) as pdf:
            root = pdf.Root
            assert root.MarkInfo.Marked is True and str(root.Lang) == "en"
            assert root.ViewerPreferences.DisplayDocTitle is True
            metadata = pdf.open_metadata()
            assert metadata.get("pdfuaid:part") == "1"
            assert metadata.get("dc:title") == str(pdf.docinfo.Title)
            for page in pdf.pages:
                assert page.get("/Tabs") == pikepdf.Name.S
    with pikepdf.open(written.handbook) as pdf:
        assert pdf.Root.PageMode == pikepdf.Name.UseOutlines
        links = [annotation for page in pdf.pages for annotation in page.get("/Annots", [])]
        assert links and all(str(link.Contents) and "/StructParent" in link for link in links)
    with pikepdf.open(written.roster_packet) as pdf:
        assert str(pdf.docinfo.Title).startswith("Zoë Martin")


# --- reading the tree back ---------------------------------------------------------------


def struct_text(pdf: Path) -> list[tuple[str, str]]:
    """Return (role, text) of each element poppler reads in `pdf`'s structure tree, in tree order."""
    command = [system_tool("pdfinfo"), "-struct-text", str(pdf)]
    lines = subprocess.run(command, check=True, capture_output=True, text=True).stdout.splitlines()
    elements: list[tuple[str, str]] = []
    for line in lines:
        text = line.strip()
        if text.startswith('"'):
            role, previous = elements[-1]
            elements[-1] = (role, previous + text.strip('"'))
        elif text and not text.startswith(("/", "Object")):
            elements.append((text.split()[0].rstrip(":"), ""))
    return elements


def squeeze(text: str) -> str:
    return "".join(text.split())


def count_widgets(pdf: Path) -> int:
    with pikepdf.open(pdf) as document:
        return sum(
            annotation.get("/Subtype") == pikepdf.Name.Widget
            for page in document.pages
            for annotation in page.get("/Annots", [])
        )


def test_text_wholly_in_another_script_says_its_language(written) -> None:
    handbook = next(
        path for path in written.pdfs if path.parent.name == "world-scripts" and path.stem == "handbook"
    )
    with pikepdf.open(handbook) as pdf:
        languages = {
            str(element.Lang) for element in structure_elements(pdf.Root.StructTreeRoot) if "/Lang" in element
        }
    assert languages == {
        "zh-CN"
    }  # the subtitle 工程师职业阶梯; the Arabic and Hebrew names sit in English text
