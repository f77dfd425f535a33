"""Every file guide writes says what it is (ladder, version, content, product, level), where the programs
people fill and save forms in keep it: PDFs' XMP metadata, Word files' custom properties."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pikepdf
import pypdf
import pytest
from lxml import etree

from conftest import FIXTURES, SHIPPED_LADDER, convert_with_libreoffice, system_tool
from guide.content import load_ladder
from guide.identity import NAMESPACE, content_hash

CUSTOM = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"
PRODUCTS = {"handbook": "handbook", "checklists": "checklist", "packets": "packet"}
MUPDF_FILL = FIXTURES / "clients" / "mupdf-fill.js"


def pdf_identity(path: Path) -> dict[str, str]:
    """Return guide's properties in the PDF's XMP metadata, read by pikepdf."""
    with pikepdf.open(path) as pdf, pdf.open_metadata() as metadata:
        prefix = f"{{{NAMESPACE}}}"
        return {
            key.removeprefix(prefix): str(value) for key, value in metadata.items() if key.startswith(prefix)
        }


def word_identity(path: Path) -> dict[str, str]:
    """Return the `guide.` custom properties of the Word file at `path`, read from its XML."""
    with zipfile.ZipFile(path) as package:
        if "docProps/custom.xml" not in package.namelist():
            return {}
        root = etree.fromstring(package.read("docProps/custom.xml"))
    return {
        item.get("name").removeprefix("guide."): "".join(item.itertext())
        for item in root.iter(f"{CUSTOM}property")
        if item.get("name", "").startswith("guide.")
    }


def expected(path: Path, ladder) -> dict[str, str]:
    """Return what the file at `path` of a build of `ladder` should say it is, from where it was written."""
    product = PRODUCTS.get(path.parent.name, "handbook")
    said = {"ladder": ladder.id, "ladder_version": ladder.version, "ladder_hash": content_hash(ladder),
            "product": product}  # fmt: skip
    return said | ({"level": path.stem} if product != "handbook" else {})


def test_every_file_of_a_build_says_what_it_is(build_ladder) -> None:
    ladder, folder, _ = build_ladder(SHIPPED_LADDER)
    files = sorted(folder.rglob("*.pdf")) + sorted(folder.rglob("*.docx")) + sorted(folder.rglob("*.dotx"))
    assert len(files) == 49
    for path in files:
        read = pdf_identity(path) if path.suffix == ".pdf" else word_identity(path)
        assert read == expected(path, ladder), path


def test_the_content_hash_follows_what_the_ladder_says_not_how_it_is_written(tmp_path: Path) -> None:
    text = SHIPPED_LADDER.read_text(encoding="utf-8")
    commented = tmp_path / "commented.yaml"
    commented.write_text("# a note for the next editor\n" + text.replace("\n", "\n\n", 3), encoding="utf-8")
    retitled = tmp_path / "retitled.yaml"
    retitled.write_text(
        text.replace("title: Product Management", "title: Product Craft", 1), encoding="utf-8"
    )
    shipped = content_hash(load_ladder(SHIPPED_LADDER))
    assert content_hash(load_ladder(commented)) == shipped
    assert content_hash(load_ladder(retitled)) != shipped


def test_a_word_file_saved_again_by_libreoffice_still_says_what_it_is(build_ladder, tmp_path: Path) -> None:
    ladder, folder, _ = build_ladder(SHIPPED_LADDER)
    packet = folder / "packets" / "senior-pm.docx"
    (saved,) = convert_with_libreoffice([packet], tmp_path, to="docx")
    assert saved.read_bytes() != packet.read_bytes()  # LibreOffice wrote its own file
    assert word_identity(saved) == expected(packet, ladder)


@pytest.mark.parametrize("product", ["checklists", "packets"])
def test_a_pdf_form_filled_and_saved_by_pypdf_and_mupdf_still_says_what_it_is(
    build_ladder, tmp_path: Path, product: str
) -> None:
    ladder, folder, _ = build_ladder(SHIPPED_LADDER)
    form = folder / product / "senior-pm.pdf"
    by_pypdf = tmp_path / "pypdf.pdf"
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(form))  # pypdf's defaults, as most scripts fill
    for page in writer.pages:
        writer.update_page_form_field_values(page, {"manager": "Dana Lee"})
    writer.write(by_pypdf)
    by_mupdf = tmp_path / "mupdf.pdf"
    command = [system_tool("mutool"), "run", str(MUPDF_FILL), str(form), str(by_mupdf), "Manager=Dana Lee"]
    subprocess.run(command, check=True, capture_output=True, timeout=60)
    for filled in (by_pypdf, by_mupdf):
        assert filled.read_bytes() != form.read_bytes()
        assert pdf_identity(filled) == expected(form, ladder), filled


def test_a_roster_packet_says_what_it_is_and_whose_in_both_formats(tmp_path: Path) -> None:
    from conftest import ROOT, written_paths
    from guide.build import Project
    from guide.documents import render_roster
    from guide.roster import read_roster

    ladder = load_ladder(SHIPPED_LADDER)
    roster = tmp_path / "roster.csv"
    roster.write_text("name,target_level,employee_id\nAna Lima,staff-pm,E-1\nZoë Ødegård,pm,E-2\n", "utf-8")
    candidates, problems = read_roster(roster, ladder)
    assert problems == []
    project = Project(ROOT)
    outputs = render_roster(
        project.layouts, project.theme.fonts.chain, ladder, candidates, tmp_path, ("pdf", "docx")
    )
    people = {candidate.stem: candidate for candidate in candidates}
    for path in written_paths(outputs, project.theme):
        candidate = people[path.stem]
        said = {"ladder": ladder.id, "ladder_version": ladder.version, "ladder_hash": content_hash(ladder),
                "product": "packet", "level": candidate.target.id, "person": candidate.name,
                "person_id": candidate.employee_id}  # fmt: skip
        assert (pdf_identity(path) if path.suffix == ".pdf" else word_identity(path)) == said, path
