"""PDF forms in other programs' hands: filled by pypdf's default fill and MuPDF, printed by poppler and MuPDF.

What a person typed must print whole: every character (the form's embedded font has
every script the form may hold), every line (multi-line fields fit their text), and
every word inside its box (read back as word boxes from poppler).
"""

from __future__ import annotations

import io
import re
import subprocess
import unicodedata
from pathlib import Path

import pikepdf
import pypdf
import pytest

from conftest import FIXTURES, ROOT, SHIPPED_LADDER, assert_sound_pdf, system_tool
from form_fills import mupdf_fill, pypdf_fill
from guide.content import load_ladder
from guide.itemkeys import item_key

WORLD_LADDER = FIXTURES / "ladders" / "valid" / "world_scripts.yaml"
MUPDF_TYPE = FIXTURES / "clients" / "mupdf-type.js"

EVERY_SCRIPT = "张伟 Łukasz Dvořák أحمد Şükrü ≥ Ωμέγα Жук שרה"
"""Chinese, Czech, Arabic, Turkish, a sign, Greek, Cyrillic and Hebrew: one value for one field."""
WITHOUT_CHINESE = EVERY_SCRIPT.replace("张伟 ", "")
"""What a ladder without Chinese takes: Chinese is embedded only for a ladder or roster that uses it."""
MUPDF_WRITES = "Zoë Ødegård Ωμέγα Жук"
"""What MuPDF 1.21 can write in its own appearances (Windows-1252 Latin, Greek, Cyrillic: its base fonts)."""
SENTENCES = " ".join(f"Sentence {n} says what the candidate did and why it mattered." for n in range(1, 16))
LINK = "https://docs.example.com/career/promotions/2026/evidence/senior-pm-launch-retrospective-q3.html"

ROSTER = """name,target_level,manager,employee_id,department,skip_level_manager,hr_partner
张伟 Łukasz Dvořák,senior,أحمد علي,E1042,"Ops
and Reliability",Şükrü Öztürk,Ωμέγα Жук ≥ שרה
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """Build the shipped ladder's and a world-scripts ladder's PDF forms, and a roster's packet."""
    import sys

    out = tmp_path_factory.mktemp("forms")
    roster = out / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    guide = [sys.executable, "-m", "guide"]
    for ladder in (SHIPPED_LADDER, WORLD_LADDER):
        build = [
            *guide,
            "build",
            str(ladder),
            "--only",
            "checklists,packets",
            "--format",
            "pdf",
            "-o",
            str(out),
        ]
        subprocess.run(build, cwd=ROOT, check=True, capture_output=True, timeout=300)
    packets = [*guide, "packets", "--roster", str(roster), "--ladder", str(WORLD_LADDER), "--format", "pdf"]
    subprocess.run([*packets, "-o", str(out)], cwd=ROOT, check=True, capture_output=True, timeout=300)
    return out


def forms(built: Path) -> list[Path]:
    return sorted(built.glob("*/checklists/*.pdf")) + sorted(built.glob("*/packets/*.pdf"))


def poppler_words(path: Path, page: int) -> list[tuple[str, float, float, float, float]]:
    """Return the words poppler prints on `page` (from 1), with their boxes in PDF points from the bottom."""
    command = [system_tool("pdftotext"), "-bbox", "-f", str(page), "-l", str(page), str(path), "-"]
    html = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    height = float(re.search(r'<page width="[\d.]+" height="([\d.]+)"', html).group(1))
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
    return [
        (text, float(x0), height - float(y1), float(x1), height - float(y0))
        for x0, y0, x1, y1, text in re.findall(pattern, html)
    ]


def mupdf_text(path: Path, page: int) -> str:
    command = [system_tool("mutool"), "draw", "-q", "-F", "txt", str(path), str(page)]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def widget(path: Path, name: str) -> tuple[int, pikepdf.Dictionary]:
    """Return the page (from 1) and the widget of field `name`."""
    with pikepdf.open(path) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            for annotation in page.get("/Annots", []):
                if annotation.get("/T") == name:
                    return number, pikepdf.Dictionary({"/Rect": pikepdf.Array(annotation.Rect)})
    raise AssertionError(f"no field {name}")


def words_in_box(path: Path, name: str) -> list[str]:
    """Return the words poppler prints inside field `name`'s box, in reading order.

    A word's box is its glyphs' advance widths, which may pass the ink by a point or two.
    """
    page, found = widget(path, name)
    left, bottom, right, top = (float(value) for value in found.Rect)
    return [
        text
        for text, x0, y0, x1, y1 in poppler_words(path, page)
        if left - 2 <= x0 and x1 <= right + 2 and bottom - 2 <= y0 and y1 <= top + 2
    ]


def words_inside(path: Path, name: str, value: str) -> None:
    """Assert every word of `value` prints inside field `name`'s box, in poppler: none cut off or hidden."""
    assert " ".join(words_in_box(path, name)) == " ".join(value.split())


def assert_whole(text: str, value: str) -> None:
    """Assert every character of `value` is in `text` (right-to-left words come out in any order).

    Arabic drawn joined comes back as its joined shapes, compared as the letters they are.
    """
    missing = {character for character in value if not character.isspace()}
    missing -= set(unicodedata.normalize("NFKC", text))
    assert not missing, f"lost: {''.join(sorted(missing))}"


# --- the form's fonts ---------------------------------------------------------------------------


def test_every_field_names_an_embedded_font_with_the_scripts_people_type(built: Path) -> None:
    for path in forms(built):
        with pikepdf.open(path) as pdf:
            form = pdf.Root.AcroForm
            fonts = form.DR.Font
            assert "/Helv" not in fonts
            font = fonts.GuideForm
            assert font.Subtype == "/Type0" and "/FontFile2" in font.DescendantFonts[0].FontDescriptor
            mapped = set(re.findall(r"<[0-9A-F]{4}> <([0-9A-F]{4})>", font.ToUnicode.read_bytes().decode()))
            for field in form.Fields:
                if field.FT in ("/Tx", "/Ch"):
                    assert str(field.DA).startswith("/GuideForm "), (path.name, field.T, field.DA)
        typed = WITHOUT_CHINESE + "ĀŽǅΆЀёאת" + "".join(chr(code) for code in range(0x20, 0x7F))
        assert {f"{ord(c):04X}" for c in typed if not c.isspace()} <= mapped, path.name


def test_a_ladder_that_uses_chinese_gets_the_common_characters_for_typing(built: Path) -> None:
    packet = next(built.glob("world-scripts/packets/*.pdf"))
    with pikepdf.open(packet) as pdf:
        to_unicode = pdf.Root.AcroForm.DR.Font.GuideForm.ToUnicode.read_bytes().decode()
    mapped = {chr(int(code, 16)) for code in re.findall(r"<[0-9A-F]{4}> <([0-9A-F]{4})>", to_unicode)}
    assert set("张伟王芳工程师李娜") <= mapped  # names nobody in the ladder has, but people type


# --- filled by pypdf's default fill ------------------------------------------------------------


@pytest.mark.parametrize("ladder", ["product-management", "world-scripts"])
def test_pypdf_fill_prints_every_script_whole_in_poppler_and_mupdf(
    built: Path, tmp_path: Path, ladder
) -> None:
    value = EVERY_SCRIPT if ladder == "world-scripts" else WITHOUT_CHINESE
    packet = next(built.glob(f"{ladder}/packets/*.pdf"))
    filled = pypdf_fill(packet, tmp_path / "filled.pdf", {"candidate_name": value, "case_summary": SENTENCES})
    page, _ = widget(filled, "candidate_name")
    assert_whole(" ".join(word[0] for word in poppler_words(filled, page)), value)
    assert_whole(mupdf_text(filled, page), value)
    words_inside(filled, "case_summary", SENTENCES)  # poppler fits the text to the box


def test_pypdf_fill_of_a_checklist_prints_every_script_whole(built: Path, tmp_path: Path) -> None:
    checklist = built / "world-scripts" / "checklists" / "senior.pdf"
    filled = pypdf_fill(checklist, tmp_path / "filled.pdf", {"employee": EVERY_SCRIPT, "notes": SENTENCES})
    assert_whole(" ".join(word[0] for word in poppler_words(filled, 1)), EVERY_SCRIPT)
    assert_whole(mupdf_text(filled, 1), EVERY_SCRIPT)


def test_prefilled_values_survive_a_viewer_redrawing_every_field(built: Path, tmp_path: Path) -> None:
    packet = next(built.glob("world-scripts/roster/*.pdf"))
    redrawn = tmp_path / "redrawn.pdf"
    with pikepdf.open(packet) as pdf:
        pdf.Root.AcroForm.NeedAppearances = True  # what pypdf's fill and many tools set
        pdf.save(redrawn)
    printed = " ".join(word[0] for word in poppler_words(redrawn, 1))
    assert "张伟" in printed and "Dvořák" in printed
    assert_whole(printed, "أحمد علي")


# --- filled in MuPDF ---------------------------------------------------------------------------


def test_mupdf_fill_prints_what_mupdf_writes_and_keeps_the_prefilled_values(
    built: Path, tmp_path: Path
) -> None:
    packet = next(built.glob("world-scripts/roster/*.pdf"))
    filled = mupdf_fill(packet, tmp_path / "filled.pdf", {"Promotion cycle": MUPDF_WRITES})
    assert pypdf.PdfReader(filled).get_fields()["cycle"]["/V"] == MUPDF_WRITES
    for text in (" ".join(word[0] for word in poppler_words(filled, 1)), mupdf_text(filled, 1)):
        assert MUPDF_WRITES in " ".join(text.split())
        assert "张伟 Łukasz Dvořák" in text  # drawn by guide, untouched by MuPDF's save


def test_mupdf_keeps_every_character_typed_in_the_value(built: Path, tmp_path: Path) -> None:
    packet = next(built.glob("world-scripts/packets/*.pdf"))
    filled = mupdf_fill(packet, tmp_path / "filled.pdf", {"Candidate": EVERY_SCRIPT})
    assert pypdf.PdfReader(filled).get_fields()["candidate_name"]["/V"] == EVERY_SCRIPT


# --- filled by guide ---------------------------------------------------------------------------


def test_a_roster_packet_is_the_persons_on_every_page(built: Path) -> None:
    packet = next(built.glob("world-scripts/roster/*.pdf"))
    reader = pypdf.PdfReader(packet)
    person = "张伟 Łukasz Dvořák · Senior engineer (E2)"
    assert reader.metadata.title == f"{person} · Promotion packet · Confidential"
    texts = [" ".join(page.extract_text().split()) for page in reader.pages]
    assert len(texts) > 1 and person not in texts[0].split("Promotion packet:")[0]
    assert all(person in text for text in texts[1:])
    fields = reader.get_fields()
    assert fields["signoff_candidate_name"]["/V"] == "张伟 Łukasz Dvořák"
    assert fields["signoff_manager_name"]["/V"] == "أحمد علي"
    assert fields["signoff_skip_level_name"]["/V"] == "Şükrü Öztürk"
    assert fields["signoff_hr_name"]["/V"] == "Ωμέγα Жук ≥ שרה"
    assert fields["department"]["/V"] == "Ops and Reliability"  # one line, as in Word


def test_long_answers_and_links_filled_by_guide_print_inside_their_boxes(tmp_path: Path) -> None:
    from guide.model import Document, FormField, Metadata
    from guide.themefile import load_theme
    from guide.writers.pdf import write_pdf

    fields = (
        FormField("summary", "Summary", "multiline", value=SENTENCES, lines=10),
        FormField("links", "Links", "multiline", value=f"{LINK} and {LINK}", lines=2),
    )
    path = tmp_path / "filled.pdf"
    path.write_bytes(assert_sound_pdf(write_pdf(Document(Metadata(title="Form"), fields), load_theme())))
    words_inside(path, "summary", SENTENCES)
    assert "".join(words_in_box(path, "links")) == f"{LINK}and{LINK}"  # broken after / and ., never cut off


# --- what each field is ------------------------------------------------------------------------


def test_every_field_has_its_own_name_that_says_what_it_is(built: Path) -> None:
    for path in forms(built):
        names = [field["/TU"] for field in pypdf.PdfReader(path).get_fields().values()]
        assert len(names) == len(set(names)), path
        assert "MM/DD/YYYY" not in names and "Evidence" not in names
    expectations = load_ladder(SHIPPED_LADDER).level("senior-pm").expectations
    packet = pypdf.PdfReader(built / "product-management" / "packets" / "senior-pm.pdf").get_fields()
    assert packet[f"evidence_expectation_{item_key(expectations[2])}"]["/TU"] == "Evidence: expectation 3"
    assert packet["decision_date"]["/TU"] == "Decision date"
    assert packet["signoff_hr_date"]["/TU"] == "HR partner: date signed"
    checklist = pypdf.PdfReader(built / "product-management" / "checklists" / "senior-pm.pdf").get_fields()
    assert checklist[f"expectation_{item_key(expectations[0])}"]["/TU"].startswith("Expectation 1: ")


def test_checkboxes_are_easy_to_hit_and_dates_take_only_dates(built: Path) -> None:
    with pikepdf.open(built / "product-management" / "checklists" / "senior-pm.pdf") as pdf:
        widgets = [annotation for page in pdf.pages for annotation in page.get("/Annots", [])]
    boxes = [annotation for annotation in widgets if annotation.get("/FT") == "/Btn"]
    assert len(boxes) > 10
    for box in boxes:
        left, bottom, right, top = (float(value) for value in box.Rect)
        assert right - left >= 18 and top - bottom >= 18  # 24 px at 100%
    dates = [annotation for annotation in widgets if annotation.get("/T") == "review_date"]
    assert "AFDate_KeystrokeEx" in str(dates[0].AA.K.JS) and "AFDate_FormatEx" in str(dates[0].AA.F.JS)


@pytest.mark.parametrize(
    ("typed", "kept"), [("12/06/2026", "12/06/2026"), ("tomorrow", ""), ("13/45/2026", "")]
)  # the shipped ladder is in English, whose dates are month first
def test_a_viewer_running_the_forms_scripts_takes_only_dates(built: Path, typed: str, kept: str) -> None:
    packet = built / "product-management" / "packets" / "senior-pm.pdf"
    command = [system_tool("mutool"), "run", str(MUPDF_TYPE), str(packet), "Packet date", typed]
    held = subprocess.run(command, check=True, capture_output=True, text=True, timeout=60).stdout
    assert held.strip() == kept


def test_a_ticked_box_is_drawn_without_a_font(built: Path) -> None:
    with pikepdf.open(built / "product-management" / "checklists" / "senior-pm.pdf") as pdf:
        box = next(a for page in pdf.pages for a in page.get("/Annots", []) if a.get("/FT") == "/Btn")
        ticked = box.AP.N.Yes
        assert b" l S" in ticked.read_bytes() and "/Font" not in ticked.get("/Resources", {})


def test_blank_forms_need_no_viewer_redraw(built: Path) -> None:
    for path in forms(built):
        reader = pypdf.PdfReader(io.BytesIO(path.read_bytes()))
        assert "/NeedAppearances" not in reader.trailer["/Root"]["/AcroForm"]
