"""Word forms end to end: every checklist and packet named, protected, printable; roster packets personal."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from pypdf import PdfReader

from conftest import FIXTURES, ROOT, SHIPPED_LADDER, convert_with_libreoffice

LADDERS = [SHIPPED_LADDER, FIXTURES / "ladders" / "valid" / "world_scripts.yaml"]
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NAMESPACES = {"w": W, "ep": "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"}
PROMPTS = ("Enter ", "Pick a date", "Choose ", "Click or tap")
ROSTER = """name,target_level,manager,employee_id,department,skip_level_manager,hr_partner
张伟 Łukasz Dvořák,senior-pm,Dana Lee,E-1,Payments,Kim Park,Ola Nordmann
أحمد علي,staff-pm,שרה לוי,E-2,Platform,Ana Gómez,Lee Chen
Şükrü Öztürk,pm,Zoë Martin,E-3,Growth,Bo Ek,Ida Berg
"""


@pytest.fixture(scope="module")
def word_files(tmp_path_factory) -> dict[Path, Path]:
    """Build the Word files of each ladder of LADDERS once; return each ladder's output folder."""
    folders = {}
    for ladder in LADDERS:
        out = tmp_path_factory.mktemp("word")
        command = [sys.executable, "-m", "guide", "-q", "build", str(ladder), "-o", str(out),
                   "--format", "docx"]  # fmt: skip
        result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stderr
        (folders[ladder],) = out.iterdir()
    return folders


def part(path: Path, name: str) -> etree._Element:
    return etree.fromstring(zipfile.ZipFile(path).read(name))


def forms(folder: Path) -> list[Path]:
    return sorted(path for pattern in ("checklists/*.docx", "packets/*.docx", "packets/*.dotx")
                  for path in folder.glob(pattern))  # fmt: skip


@pytest.mark.parametrize("ladder", LADDERS, ids=lambda path: path.stem)
def test_every_control_of_every_form_has_its_own_title_and_tag(word_files, ladder: Path) -> None:
    paths = forms(word_files[ladder])
    assert len(paths) >= 4  # a checklist per level, a packet and template per promotion
    for path in paths:
        controls = part(path, "word/document.xml").xpath("//w:sdt/w:sdtPr", namespaces=NAMESPACES)
        titles = [c.xpath("string(w:alias/@w:val)", namespaces=NAMESPACES) for c in controls]
        tags = [c.xpath("string(w:tag/@w:val)", namespaces=NAMESPACES) for c in controls]
        assert controls and all(titles) and all(tags), path
        assert len(set(titles)) == len(titles) and len(set(tags)) == len(tags), path
        assert max(map(len, titles)) <= 64, path


@pytest.mark.parametrize("ladder", LADDERS, ids=lambda path: path.stem)
def test_forms_are_protected_and_the_handbook_is_not(word_files, ladder: Path) -> None:
    folder = word_files[ladder]
    for path in forms(folder):
        settings = part(path, "word/settings.xml")
        assert settings.xpath("//w:documentProtection/@w:edit", namespaces=NAMESPACES) == ["readOnly"], path
        document = part(path, "word/document.xml")
        sdts = document.xpath("//w:sdt[not(ancestor::w:sdt)]", namespaces=NAMESPACES)
        assert all(etree.QName(sdt.getprevious()).localname == "permStart" for sdt in sdts), path
    handbook = part(folder / "handbook.docx", "word/settings.xml")
    assert handbook.xpath("//w:documentProtection", namespaces=NAMESPACES) == []


@pytest.mark.parametrize("ladder", LADDERS, ids=lambda path: path.stem)
def test_empty_controls_hold_no_prompt_and_properties_are_guides(word_files, ladder: Path) -> None:
    for path in [*forms(word_files[ladder]), word_files[ladder] / "handbook.docx"]:
        document = part(path, "word/document.xml")
        empty = document.xpath("//w:sdt[w:sdtPr/w:showingPlcHdr]", namespaces=NAMESPACES)
        for control in empty:
            assert "".join(control.xpath(".//w:t/text()", namespaces=NAMESPACES)).strip("\u00a0") == "", path
        app = part(path, "docProps/app.xml")
        assert app.xpath("string(ep:Application)", namespaces=NAMESPACES) == "guide"
        assert app.xpath("ep:Pages | ep:Words | ep:Template", namespaces=NAMESPACES) == []


def test_a_blank_checklist_and_packet_print_without_prompts(word_files, tmp_path: Path) -> None:
    folder = word_files[SHIPPED_LADDER]
    sources = [folder / "checklists" / "senior-pm.docx", folder / "packets" / "senior-pm.docx"]
    copies = []
    for source, name in zip(sources, ("checklist.docx", "packet.docx"), strict=True):
        copies.append(tmp_path / name)
        copies[-1].write_bytes(source.read_bytes())
    for pdf in convert_with_libreoffice(copies, tmp_path):
        text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
        assert "Product Manager (L4)" in text  # a prefilled value prints
        assert not [prompt for prompt in PROMPTS if prompt in text], pdf.name


@pytest.fixture(scope="module")
def roster_packets(tmp_path_factory) -> tuple[Path, list]:
    """Write the Word packets of ROSTER as `guide packets` does; return their folder and the outputs."""
    from guide import build
    from guide.content import load_ladder
    from guide.documents import render_roster
    from guide.roster import read_roster
    from guide.writing import write

    out = tmp_path_factory.mktemp("roster")
    roster = out / "roster.csv"
    roster.write_text(ROSTER, "utf-8")
    ladder = load_ladder(SHIPPED_LADDER)
    candidates, problems = read_roster(roster, ladder)
    assert problems == []
    project = build.Project(ROOT)
    outputs = render_roster(project.layouts, project.theme.fonts.chain, ladder, candidates, out, ("docx",))
    written = [file.path for file in write(outputs, project.theme)]
    assert len(written) == 3
    return written[0].parent, outputs


def test_a_roster_packet_is_the_file_drawn_for_its_person(roster_packets) -> None:
    from guide import build
    from guide.model import with_values
    from guide.writers.word import write_docx

    _, outputs = roster_packets
    theme = build.Project(ROOT).theme
    for output in outputs:
        (path,) = output.files
        assert path.read_bytes() == write_docx(with_values(output.document, output.values), theme), path.name


def test_a_roster_packet_names_its_person_from_page_two_on(roster_packets, tmp_path: Path) -> None:
    import docx

    folder, _ = roster_packets
    names = {"e-1-senior-pm": "张伟 Łukasz Dvořák", "e-2-staff-pm": "أحمد علي", "e-3-pm": "Şükrü Öztürk"}
    sources = [folder / f"{stem}.docx" for stem in names]
    for source, name in zip(sources, names.values(), strict=True):
        title = docx.Document(str(source)).core_properties.title
        assert title.startswith(f"{name} · ") and title.endswith(" · Promotion packet · Confidential")
    for pdf, name in zip(convert_with_libreoffice(sources, tmp_path), names.values(), strict=True):
        first, second = (page.extract_text() for page in PdfReader(pdf).pages[:2])
        assert first.splitlines()[0].startswith("Product Management Career Ladder")
        assert name in first  # the candidate field, filled
        header = second.splitlines()[0]
        assert all(word in header for word in name.split()), header
        assert "Product Manager" in header and "Career Ladder" not in header
