"""Promotion checklists: every item tickable in PDF and Word, fields named, printable."""

from __future__ import annotations

import io
import itertools
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from pypdf import PdfReader, PdfWriter

from conftest import FIXTURES, SHIPPED_LADDER, system_tool
from guide.itemkeys import item_key, keyed
from guide.ladder import Ladder, Level

LADDERS = [SHIPPED_LADDER, FIXTURES / "ladders" / "valid" / "unicode_eleven_levels.yaml"]
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
NAMESPACES = {"w": W, "w14": W14}


def tickable(ladder: Ladder, level: Level) -> dict[str, tuple[str, ...]]:
    """Return the items of each section of `level`'s checklist that get a box, by their names' prefix."""
    promotion = ladder.promotion
    items = {
        "expectation": level.expectations,
        "skill": level.skills,
        "responsibility": level.responsibilities,
        "item": level.checklist,
        "criterion": tuple(criterion.name for criterion in promotion.criteria) if promotion else (),
        "ruled_out": promotion.blockers if promotion else (),
    }
    return {section: texts for section, texts in items.items() if texts}


def expected_boxes(ladder: Ladder, level: Level) -> set[str]:
    """Return the names of the boxes of `level`'s checklist: each item's section and key."""
    return {
        f"{section}_{key}" for section, texts in tickable(ladder, level).items() for key, _ in keyed(texts)
    }


@pytest.fixture(scope="module", params=LADDERS, ids=["shipped", "unicode"])
def checklists(request, build_ladder) -> tuple[Ladder, Path]:
    ladder, folder, _ = build_ladder(request.param)
    return ladder, folder / "checklists"


# --- PDF -------------------------------------------------------------------------------------


def test_every_item_of_every_level_has_a_checkbox_and_an_evidence_field(checklists) -> None:
    ladder, folder = checklists
    for level in ladder.levels:
        fields = PdfReader(folder / f"{level.id}.pdf").get_fields() or {}
        boxes = {name for name, field in fields.items() if field.get("/FT") == "/Btn"}
        assert boxes == expected_boxes(ladder, level), level.id
        evidence = {name for name in fields if name.endswith("_evidence")}
        assert evidence == {f"{box}_evidence" for box in boxes if not box.startswith("ruled_out")}
        assert {"employee", "manager", "current_level", "review_date", "notes"} <= set(fields)
        assert all(fields[name]["/FT"] == "/Tx" for name in evidence | {"employee", "manager", "notes"})


def test_a_level_reached_from_several_levels_offers_them_as_choices(build_ladder) -> None:
    ladder, folder, _ = build_ladder(SHIPPED_LADDER)
    sources = {level.id: ladder.promoted_from(level.id) for level in ladder.levels}
    for level_id, coming_from in sources.items():
        field = PdfReader(folder / "checklists" / f"{level_id}.pdf").get_fields()["current_level"]
        if len(coming_from) == 1:
            assert field["/V"] == coming_from[0].label
        assert field["/FT"] == ("/Ch" if len(coming_from) > 1 else "/Tx")


def test_checkboxes_have_on_and_off_appearances(checklists) -> None:
    _, folder = checklists
    reader = PdfReader(folder / "pm.pdf" if (folder / "pm.pdf").exists() else next(folder.glob("*.pdf")))
    widgets = [annotation.get_object() for page in reader.pages for annotation in page.get("/Annots", [])]
    boxes = [widget for widget in widgets if widget.get("/FT") == "/Btn"]
    assert boxes
    for box in boxes:
        states = set(box["/AP"]["/N"].keys())
        assert "/Off" in states and len(states) == 2


def test_a_box_can_be_ticked_and_a_field_filled_then_read_back(build_ladder, tmp_path: Path) -> None:
    ladder, folder, _ = build_ladder(SHIPPED_LADDER)
    first, second = (f"expectation_{item_key(text)}" for text in ladder.level("senior-pm").expectations[:2])
    writer = PdfWriter(clone_from=folder / "checklists" / "senior-pm.pdf")
    on_state = next(state for state in writer.get_fields()[first]["/_States_"] if state != "/Off")
    for page in writer.pages:
        writer.update_page_form_field_values(
            page, {first: on_state, "employee": "Zoë Ødegård"}, auto_regenerate=False
        )
    filled = tmp_path / "filled.pdf"
    writer.write(filled)
    fields = PdfReader(filled).get_fields()
    assert fields[first]["/V"] == on_state
    assert fields[second].get("/V", "/Off") == "/Off"
    assert fields["employee"]["/V"] == "Zoë Ødegård"


def test_widgets_follow_reading_order(build_ladder) -> None:
    _, folder, _ = build_ladder(SHIPPED_LADDER)
    for page in PdfReader(folder / "checklists" / "senior-pm.pdf").pages:
        rows = [annotation.get_object()["/Rect"] for annotation in page.get("/Annots", [])]
        tops = [round(float(rect[3])) for rect in rows]
        assert all(later <= earlier + 12 for earlier, later in itertools.pairwise(tops))  # down the page


def test_boxes_are_printed_in_the_page_itself(build_ladder, tmp_path: Path) -> None:
    _, folder, _ = build_ladder(SHIPPED_LADDER)
    path = folder / "checklists" / "senior-pm.pdf"
    pdftoppm = system_tool("pdftoppm")
    subprocess.run([pdftoppm, "-hide-annotations", "-r", "30", "-png", path, tmp_path / "print"], check=True)
    for page in PdfReader(path).pages:
        widgets = [a for a in page.get("/Annots", []) if a.get_object().get("/Subtype") == "/Widget"]
        drawn = len(re.findall(rb" (?:re|l)\b", page.get_contents().get_data()))  # boxes and lines
        assert drawn >= len(widgets)  # a printed box or line under every widget
    assert len(list(tmp_path.glob("print*.png"))) == len(PdfReader(path).pages)


# --- Word ------------------------------------------------------------------------------------


def word_controls(path: Path) -> list[etree._Element]:
    return etree.fromstring(zipfile.ZipFile(path).read("word/document.xml")).findall(".//w:sdt", NAMESPACES)


def control_kind(control: etree._Element) -> str:
    properties = control.find("w:sdtPr", NAMESPACES)
    for kind, tag in (("checkbox", "w14:checkbox"), ("date", "w:date"), ("choice", "w:dropDownList")):
        if properties.find(tag, NAMESPACES) is not None:
            return kind
    return "text"


def control_tag(control: etree._Element) -> str:
    return control.find("w:sdtPr/w:tag", NAMESPACES).get(f"{{{W}}}val")


def test_word_has_a_checkbox_control_per_item_and_text_controls_for_evidence(checklists) -> None:
    ladder, folder = checklists
    for level in ladder.levels:
        controls = word_controls(folder / f"{level.id}.docx")
        kinds: dict[str, set[str]] = {}
        for control in controls:
            kinds.setdefault(control_kind(control), set()).add(control_tag(control))
        assert kinds["checkbox"] == expected_boxes(ladder, level), level.id
        assert kinds["date"] == {"review_date", "signoff_employee_date", "signoff_manager_date"}
        assert {f"{box}_evidence" for box in kinds["checkbox"] if not box.startswith("ruled_out")} | {
            "employee",
            "manager",
            "notes",
        } <= kinds["text"]


def test_empty_word_controls_print_empty_and_are_named_by_their_titles(build_ladder) -> None:
    ladder, folder, _ = build_ladder(SHIPPED_LADDER)
    controls = {control_tag(c): c for c in word_controls(folder / "checklists" / "senior-pm.docx")}
    second_skill = f"skill_{item_key(ladder.level('senior-pm').skills[1])}_evidence"
    for tag, title in (("employee", "Employee"), ("review_date", "Review date"),
                       (second_skill, "Evidence: skill 2")):  # fmt: skip
        control = controls[tag]
        assert control.find("w:sdtPr/w:showingPlcHdr", NAMESPACES) is not None
        assert control.find("w:sdtPr/w:alias", NAMESPACES).get(f"{{{NAMESPACES['w']}}}val") == title
        shown = "".join(control.find("w:sdtContent", NAMESPACES).itertext())
        assert shown and set(shown) == {"\u00a0"}  # no prompt in print
    current = controls["current_level"]
    assert current.find("w:sdtPr/w:showingPlcHdr", NAMESPACES) is None
    assert "Product Manager (L4)" in "".join(current.find("w:sdtContent", NAMESPACES).itertext())


def test_word_checklists_open_in_libreoffice(build_ladder, tmp_path: Path) -> None:
    from conftest import convert_with_libreoffice

    ladder, folder, _ = build_ladder(SHIPPED_LADDER)
    level = ladder.level("senior-pm")
    (converted,) = convert_with_libreoffice([folder / "checklists" / "senior-pm.docx"], tmp_path)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(converted.read_bytes())).pages)
    assert text.count("\u2610") == sum(map(len, tickable(ladder, level).values()))
    assert all(skill.split()[0] in text for skill in level.skills)


def test_form_resources_hold_the_fonts_redrawn_fields_need(build_ladder) -> None:
    # A viewer that redraws fields (after a form tool fills them) looks the fonts up here:
    # the embedded form font for text, ZapfDingbats for a tick (without it a ticked box shows as a dot).
    _, folder, _ = build_ladder(SHIPPED_LADDER)
    form = PdfReader(folder / "checklists" / "senior-pm.pdf").trailer["/Root"]["/AcroForm"]
    assert set(form["/DR"]["/Font"].keys()) == {"/GuideForm", "/ZaDb"}
