"""A promotion cycle, round trip: a roster's packets and the checklists filled the ways people fill
them (pypdf, MuPDF, python-docx, and LibreOffice saving a Word file again), then `guide collect`.

Every typed value, ticked box and chosen option must be in summary.json; the committee pack must
hold them; each problem is a `file: message` line, and the rest is still collected.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pypdf
import pytest
from docx.oxml.ns import qn

from conftest import FIXTURES, SHIPPED_LADDER, convert_with_libreoffice, system_tool
from form_fills import mupdf_fill, pypdf_fill
from guide.content import load_ladder
from guide.itemkeys import item_key

W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
LADDER = load_ladder(SHIPPED_LADDER)
ROSTER = """name,target_level,employee_id,manager,skip_level_manager,hr_partner,cycle
Zoë Ødegård,senior-pm,E100,Grace Hopper,Ada Lovelace,Mary Jackson,2026 H2
张伟,staff-pm,E200,Grace Hopper,Ada Lovelace,Mary Jackson,2026 H2
Amara Okafor,pm,E400,Alan Kay,Ada Lovelace,Mary Jackson,2026 H2
"""
SIGNERS = ("candidate", "manager", "skip_level", "hr")


def guide(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run `python -m guide ARGS` in `cwd`; return the finished process."""
    return subprocess.run([sys.executable, "-m", "guide", *args], cwd=cwd, capture_output=True, text=True,
                          encoding="utf-8", timeout=300)  # fmt: skip


def key(level: str, part: str, index: int) -> str:
    """Return the key of item `index` of `part` ("expectations", "skills") of `level` in the ladder."""
    return item_key(getattr(LADDER.level(level), part)[index])


ZOE = {  # a packet filled by pypdf, by field name: complete, signed by all
    "decision": "Approved",
    "decision_date": "2026-11-30",
    "decision_reason": "Working at the next level for two cycles.",
    "case_summary": "Led the pricing relaunch: revenue up 14 %.\nMentored two APMs.",
    f"evidence_expectation_{key('senior-pm', 'expectations', 0)}": "Pricing relaunch, +14 % ARR",
    f"links_expectation_{key('senior-pm', 'expectations', 0)}": "https://wiki.example.com/pricing",
    f"evidence_expectation_{key('senior-pm', 'expectations', 2)}": "Runs the product review",
    f"skill_rating_{key('senior-pm', 'skills', 0)}": "Exceeds",
    f"skill_comment_{key('senior-pm', 'skills', 0)}": "Set the three-year vision",
    "peer_1_name": "Søren Kierkegaard",
    "peer_1_feedback": "Clear, kind, fast.",
    "manager_recommendation": "Promote.",
    **{f"signoff_{signer}_date": f"2026-11-2{number}" for number, signer in enumerate(SIGNERS)},
}
ZHANG = {  # a packet filled by MuPDF, by label: two sign-offs missing
    "Committee decision": "Not yet",
    "Case summary": "负责定价重构，收入增长 14%",
    "Evidence: expectation 2": "跨团队平台项目",
    "Manager: date signed": "2026-11-28",
    "HR partner: date signed": "2026-11-29",
}
AMARA = {  # a Word packet filled with python-docx, then saved again by LibreOffice
    "decision": "Deferred",
    "decision_date": "2026-12-01",
    "case_summary": "Owns onboarding end to end.\nShipped the new sign-up flow.",
    f"evidence_expectation_{key('pm', 'expectations', 1)}": "Weekly discovery interviews since March",
    f"skill_rating_{key('pm', 'skills', 1)}": "Meets",
    **{f"signoff_{signer}_date": "2026-12-01" for signer in SIGNERS},
}
ZOE_CHECKLIST = {"employee": "Zoë Ødegård", "manager": "Grace Hopper", "signoff_employee_date": "2026-11-20",
                 "signoff_manager_date": "2026-11-21"}  # fmt: skip
ZOE_TICKS = [f"expectation_{key('senior-pm', 'expectations', 0)}", f"skill_{key('senior-pm', 'skills', 3)}"]
AMARA_CHECKLIST = {
    "employee": "Amara Okafor",
    "review_date": "2026-11-15",
    f"expectation_{key('pm', 'expectations', 0)}_evidence": "Shipped the sign-up flow",
}
AMARA_TICKS = [f"expectation_{key('pm', 'expectations', 0)}"]


def word_fill(source: Path, target: Path, values: dict[str, str], ticks: list[str] = ()) -> Path:
    """Fill the content controls tagged as `values` and tick those tagged in `ticks`, as Word leaves them."""
    document = docx.Document(source)
    for control in document.element.body.iter(qn("w:sdt")):
        properties = control.find(qn("w:sdtPr"))
        tag = properties.find(qn("w:tag")).get(qn("w:val"))
        if tag in ticks:
            properties.find(f"{W14}checkbox/{W14}checked").set(f"{W14}val", "1")
            control.find(f".//{qn('w:t')}").text = "\u2612"
        elif tag in values:
            _type_into(control, properties, values[tag])
    document.save(target)
    return target


def _type_into(control, properties, value: str) -> None:
    placeholder = properties.find(qn("w:showingPlcHdr"))
    if placeholder is not None:
        properties.remove(placeholder)
    picker = properties.find(qn("w:date"))
    if picker is not None:
        picker.set(qn("w:fullDate"), f"{value}T00:00:00Z")
    runs = list(control.iter(qn("w:r")))
    for run in runs[1:]:
        run.getparent().remove(run)
    run = runs[0]
    for child in list(run):
        if child.tag != qn("w:rPr"):
            run.remove(child)
    style = run.find(f"{qn('w:rPr')}/{qn('w:rStyle')}")
    if style is not None:
        style.getparent().remove(style)
    for number, line in enumerate(value.split("\n")):
        if number:
            run.append(run.makeelement(qn("w:br"), {}))
        text = run.makeelement(qn("w:t"), {"{http://www.w3.org/XML/1998/namespace}space": "preserve"})
        text.text = line
        run.append(text)


@pytest.fixture(scope="module")
def cycle(tmp_path_factory):
    """Return the project folder and the returned files of a cycle (see the module's docstring)."""
    project = tmp_path_factory.mktemp("cycle")
    (project / "data").mkdir()
    shutil.copy(SHIPPED_LADDER, project / "data")
    (project / "roster.csv").write_text(ROSTER, encoding="utf-8")
    for command in (("packets", "--roster", "roster.csv"), ("build", "--only", "checklists")):
        result = guide(*command, cwd=project)
        assert result.returncode == 0, result.stderr
    out, returned = project / "output" / LADDER.id, project / "returned"
    (returned / "word").mkdir(parents=True)
    pypdf_fill(out / "roster/e100-senior-pm.pdf", returned / "zoe.pdf", ZOE)
    mupdf_fill(out / "roster/e200-staff-pm.pdf", returned / "zhang.pdf", ZHANG)
    ticked = ZOE_CHECKLIST | {name: "/Yes" for name in ZOE_TICKS}
    pypdf_fill(out / "checklists/senior-pm.pdf", returned / "zoe-checklist.pdf", ticked)
    filled = [
        word_fill(out / "roster/e400-pm.docx", project / "amara.docx", AMARA),
        word_fill(out / "checklists/pm.docx", project / "amara-checklist.docx", AMARA_CHECKLIST, AMARA_TICKS),
    ]
    convert_with_libreoffice(filled, returned / "word", to="docx")
    return project, returned


@pytest.fixture(scope="module")
def collected(cycle):
    """Return the finished `guide collect` of the cycle's returned files, and its summary.json."""
    project, _ = cycle
    result = guide("collect", "returned", cwd=project)
    summary = project / "output" / LADDER.id / "committee" / "summary.json"
    return result, json.loads(summary.read_text("utf-8"))


def case(summary: dict, person: str) -> dict:
    (found,) = [case for case in summary["candidates"] if case["person"] == person]
    return found


def test_libreoffice_dropped_the_tags_it_is_read_without(cycle) -> None:
    _, returned = cycle
    with zipfile.ZipFile(returned / "word" / "amara.docx") as package:
        assert b"<w:tag " not in package.read("word/document.xml")


def test_every_typed_value_ticked_box_and_chosen_option_is_in_the_summary(collected) -> None:
    _, summary = collected
    assert summary["format"] == "guide-committee-summary" and summary["version"] == 1
    assert [c["person"] for c in summary["candidates"]] == ["Amara Okafor", "Zoë Ødegård", "张伟"]  # by level
    zoe, amara, zhang = case(summary, "Zoë Ødegård"), case(summary, "Amara Okafor"), case(summary, "张伟")
    for name, value in ZOE.items():
        assert zoe["packet"]["fields"][name] == value, name
    for name, value in AMARA.items():
        assert amara["packet"]["fields"][name] == value, name
    labels = {slot_label: value for slot_label, value in ZHANG.items()}
    assert (
        zhang["decision"] == labels["Committee decision"] and zhang["case_summary"] == labels["Case summary"]
    )
    assert zhang["expectations"][1]["answer"] == labels["Evidence: expectation 2"]
    assert zoe["checklist"]["checks"] == {name: name in ZOE_TICKS for name in zoe["checklist"]["checks"]}
    assert sum(zoe["checklist"]["checks"].values()) == 2
    assert (
        amara["checklist"]["checks"][AMARA_TICKS[0]] is True
        and sum(amara["checklist"]["checks"].values()) == 1
    )
    for name, value in AMARA_CHECKLIST.items():
        assert amara["checklist"]["fields"][name] == value, name


def test_the_summary_reads_the_answers_item_by_item(collected) -> None:
    _, summary = collected
    zoe = case(summary, "Zoë Ødegård")
    level = LADDER.level("senior-pm")
    assert zoe["level"]["id"] == "senior-pm" and zoe["person_id"] == "E100"
    assert zoe["expectations"][0] == {"item": level.expectations[0], "answer": "Pricing relaunch, +14 % ARR",
                                      "note": "https://wiki.example.com/pricing"}  # fmt: skip
    assert zoe["ratings"][0]["item"] == level.skills[0] and zoe["ratings"][0]["answer"] == "Exceeds"
    assert zoe["evidenced"] == 2 and zoe["missing_signatures"] == []
    assert [s["name"] for s in zoe["sign_offs"]] == [
        "Zoë Ødegård",
        "Grace Hopper",
        "Ada Lovelace",
        "Mary Jackson",
    ]
    assert zoe["peers"] == [{"item": "Søren Kierkegaard", "answer": "Clear, kind, fast.", "note": ""}]


def test_the_csv_has_a_row_per_candidate(cycle, collected) -> None:
    project, _ = cycle
    data = (project / "output" / LADDER.id / "committee" / "summary.csv").read_bytes()
    assert data.startswith("\ufeff".encode())  # Excel reads it as UTF-8
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    by_person = {row["person"]: row for row in rows}
    assert set(by_person) == {"Zoë Ødegård", "张伟", "Amara Okafor"}
    zoe = by_person["Zoë Ødegård"]
    assert (zoe["decision"], zoe["expectations_with_evidence"], zoe["expectations"]) == ("Approved", "2", "4")
    assert zoe["not_signed_by"] == "" and zoe["checklist"].startswith("2 of ")
    assert by_person["张伟"]["not_signed_by"] == "Candidate, Skip-level manager"
    assert by_person["Amara Okafor"]["packet_file"] == str(Path("returned/word/amara.docx"))


def test_each_problem_is_a_line_and_the_exit_status_says_so(collected) -> None:
    result, summary = collected
    assert result.returncode == 1
    problems = result.stderr.splitlines()
    assert f"{Path('returned/zhang.pdf')}: not signed by: Candidate, Skip-level manager" in problems
    assert any(line.startswith(f"{Path('returned/zoe-checklist.pdf')}: ") and "items not ticked" in line
               for line in problems)  # fmt: skip
    assert not [line for line in problems if "zoe.pdf" in line]  # complete: nothing to say
    assert len(summary["problems"]) == len(problems)


def test_the_committee_pack_holds_every_candidate(cycle, collected) -> None:
    project, _ = cycle
    folder = project / "output" / LADDER.id / "committee"
    command = [system_tool("pdftotext"), str(folder / "committee.pdf"), "-"]
    text = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    words = " ".join(text.split())
    expected = ("Promotion committee pack", "Zoë Ødegård", "张伟", "Amara Okafor", "Approved", "Deferred",
                "Pricing relaunch, +14 % ARR", "Weekly discovery interviews since March",
                "Not signed")  # fmt: skip
    for said in expected:
        assert said in words, said
    paragraphs = [p.text for p in docx.Document(folder / "committee.docx").paragraphs]
    cells = [c.text for t in docx.Document(folder / "committee.docx").tables for r in t.rows for c in r.cells]
    assert "Zoë Ødegård" in paragraphs and "Pricing relaunch, +14 % ARR" in cells


def test_problems_are_lines_and_every_readable_file_is_still_collected(cycle, tmp_path) -> None:
    project, returned = cycle
    folder = project / "mixed"
    folder.mkdir()
    packet = (returned / "zoe.pdf").read_bytes()
    shutil.copy(returned / "zoe.pdf", folder / "zoe.pdf")
    shutil.copy(returned / "zhang.pdf", folder / "zhang.pdf")
    shutil.copy(returned / "zoe.pdf", folder / "zoe-again.pdf")
    (folder / "cut.pdf").write_bytes(packet[: len(packet) // 3])
    (folder / "broken.docx").write_bytes((returned / "word" / "amara.docx").read_bytes()[:3000])
    (folder / "notes.pdf").write_text("not a PDF at all", encoding="utf-8")
    blank = pypdf.PdfWriter()
    blank.add_blank_page(200, 200)
    blank.write(folder / "other.pdf")
    result = guide("collect", "mixed", "-o", "mixed-out", cwd=project)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    said = {Path(line.split(": ", 1)[0]).name: line.split(": ", 1)[1] for line in lines}
    assert said["cut.pdf"].startswith("a damaged PDF")
    assert said["broken.docx"].startswith("a damaged Word file")
    assert said["notes.pdf"] == "neither a PDF nor a Word file, though named .pdf"
    assert said["other.pdf"] == "not a form guide made: it does not say which ladder it is from"
    second = said.get("zoe.pdf", "") + said.get(
        "zoe-again.pdf", ""
    )  # which is second goes by the names' order
    assert second.startswith("a second packet for Zoë Ødegård (E100), after ")
    assert said["cut.pdf"] == "a damaged PDF that cannot be read (root of pages tree has no /Kids array)"
    summary = json.loads(
        (project / "mixed-out" / LADDER.id / "committee" / "summary.json").read_text("utf-8")
    )
    assert sorted({c["person"] for c in summary["candidates"]}) == ["Zoë Ødegård", "张伟"]


def test_a_form_from_before_a_ladder_change_is_read_item_by_item_with_a_warning(cycle, tmp_path) -> None:
    project, returned = cycle
    edited = tmp_path / "edited"
    (edited / "data").mkdir(parents=True)
    text = SHIPPED_LADDER.read_text("utf-8").replace('version: "2026.1"', 'version: "2026.2"')
    first, reworded = (
        "      - Drives significant revenue or user growth.\n",
        "Is the first person others consult.",
    )
    last = "      - Raises the standard of work across the product organization.\n"
    text = text.replace(first, "", 1).replace(last, last + first, 1)  # the first expectation moved last
    text = text.replace("Is the person others consult first on anything in their domain.", reworded)
    (edited / "data" / SHIPPED_LADDER.name).write_text(text, encoding="utf-8")
    result = guide("collect", str(returned / "zoe.pdf"), cwd=edited)
    assert result.returncode == 1
    (line,) = result.stderr.splitlines()
    assert line == (
        f"{returned / 'zoe.pdf'}: made from version 2026.1 of the ladder, now 2026.2; new since: "
        f"{reworded}; 1 answer to items since reworded or removed, kept in summary.json"
    )
    summary = json.loads((edited / "output" / LADDER.id / "committee" / "summary.json").read_text("utf-8"))
    (zoe,) = summary["candidates"]
    moved = [answer for answer in zoe["expectations"] if answer["item"] == first.strip()[2:]]
    assert moved == [{"item": first.strip()[2:], "answer": "Pricing relaunch, +14 % ARR",
                      "note": "https://wiki.example.com/pricing"}]  # fmt: skip
    assert [u["value"] for u in zoe["packet"]["unplaced"]] == ["Runs the product review"]


def test_forms_of_another_ladder_are_refused(cycle, tmp_path) -> None:
    project, returned = cycle
    other = tmp_path / "other"
    (other / "data").mkdir(parents=True)
    text = SHIPPED_LADDER.read_text("utf-8").replace("  id: product-management", "  id: engineering", 1)
    (other / "data" / "engineering.yaml").write_text(text, encoding="utf-8")
    result = guide("collect", str(returned / "zoe.pdf"), cwd=other)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{returned / 'zoe.pdf'}: made from the ladder 'product-management', not the one collected"
        " ('engineering')",
        f"{returned / 'zoe.pdf'}: no filled packet or checklist of the ladder here",
    ]


def test_an_answer_continued_over_pages_is_read_whole(tmp_path) -> None:
    """A 3,000-character expectation runs over pages, its evidence field with it (`-part-2`...)."""
    fixture = FIXTURES / "ladders" / "valid" / "page_shapes.yaml"
    ladder = load_ladder(fixture)
    result = guide("build", str(fixture), "--only", "packets", "--format", "pdf", "-o", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    name = f"evidence_expectation_{item_key(ladder.level('staff').expectations[0])}"
    packet = tmp_path / "out" / ladder.id / "packets" / "staff.pdf"
    fields = pypdf.PdfReader(packet).get_fields()
    parts = sorted(field for field in fields if field.startswith(f"{name}-part-"))
    assert parts, "the fixture's long row runs over pages"
    typed = {
        name: "Began here.",
        parts[-1]: "Ended here.",
        "candidate_name": "Ana Lima",
        "decision": "Approved",
    }
    pypdf_fill(packet, tmp_path / "filled.pdf", typed)
    result = guide("collect", "filled.pdf", "--ladder", str(fixture), "-o", "out", cwd=tmp_path)
    summary = json.loads((tmp_path / "out" / ladder.id / "committee" / "summary.json").read_text("utf-8"))
    (case,) = summary["candidates"]
    assert case["expectations"][0]["answer"] == "Began here.\nEnded here."
    assert case["packet"]["fields"][name] == "Began here.\nEnded here." and not case["packet"]["unplaced"]
    assert result.stderr.splitlines() == [
        "filled.pdf: not signed by: Candidate, Manager, Skip-level manager, HR partner"
    ]
