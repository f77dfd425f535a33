"""German, Japanese and Arabic ladders: every product in the ladder's language, dates in its
locale, the Arabic one laid out right to left. Text is read back by poppler and from the Word
files' XML, not by the writers."""

from __future__ import annotations

import json
import re
import shutil
import string
import subprocess
import unicodedata
import zipfile
from pathlib import Path

import pikepdf
import pytest
from lxml import etree

from form_fills import pypdf_fill
from guide.i18n.catalogs import MESSAGES, read_catalog
from guide.writers.columns.breaks import NO_BREAK_AFTER, NO_BREAK_BEFORE

TESTS = Path(__file__).parent.parent
LOCALISED = TESTS / "fixtures" / "ladders" / "localised"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
PLACEHOLDER = re.compile(r"%\(\w+\)s")
WORD = re.compile(r"[A-Za-z]{3,}")


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-q", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def word_parts(path: Path) -> dict[str, etree._Element]:
    """Return the document, header and footer parts of a Word file, parsed."""
    with zipfile.ZipFile(path) as package:
        return {
            name: etree.fromstring(package.read(name))
            for name in package.namelist()
            if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", name)
        }


def word_text(path: Path) -> str:
    return " ".join("".join(t.text or "" for t in part.iter(f"{W}t")) for part in word_parts(path).values())


def english_words(language: str) -> set[str]:
    """Return the words of guide's English messages that the language's own catalog does not use."""
    english = {word.lower() for message in read_catalog(MESSAGES / "en.po") if message.id
               for text in (message.id if isinstance(message.id, tuple) else (message.id,))
               for word in WORD.findall(PLACEHOLDER.sub("", text))}  # fmt: skip
    own = {word.lower() for message in read_catalog(MESSAGES / f"{language}.po") if message.id
           for form in (message.string if isinstance(message.string, tuple) else (message.string,))
           for word in WORD.findall(form)}  # fmt: skip
    return english - own


@pytest.fixture(scope="module", params=["de", "ja", "ar"])
def built(request, build_ladder) -> tuple[str, Path, list[Path]]:
    _, out, _ = build_ladder(LOCALISED / f"{request.param}.yaml")
    files = sorted(path for path in out.rglob("*") if path.suffix in (".pdf", ".docx", ".dotx"))
    return request.param, out, files


def test_every_product_is_built(built) -> None:
    _, out, files = built
    names = {path.relative_to(out).parts[0] for path in files}
    assert names == {"handbook.pdf", "handbook.docx", "checklists", "packets"}
    assert len([path for path in files if path.parent.name == "checklists"]) == 12


def test_no_english_word_is_left_in_any_file(built) -> None:
    language, _, files = built
    forbidden = english_words(language)
    for path in files:
        text = pdf_text(path) if path.suffix == ".pdf" else word_text(path)
        left = {word for word in WORD.findall(text) if word.lower() in forbidden}
        assert not left, f"{path.name}: {sorted(left)}"
        if language != "de":  # nothing in these ladders or catalogs is in Latin letters
            assert not WORD.findall(text), f"{path.name}: {WORD.findall(text)[:10]}"


DATES = {"de": ("dd.MM.yyyy", "de-DE", "TT.MM.JJJJ"), "ja": ("yyyy/MM/dd", "ja-JP", "年/月/日"),
         "ar": ("dd/MM/yyyy", "ar-SA", "يوم/شهر/سنة")}  # fmt: skip


def test_dates_take_the_locale_pattern_in_both_formats(built) -> None:
    language, out, _ = built
    pattern, lid, hint = DATES[language]
    packet = next((out / "packets").glob("*.docx"))
    pickers = list(word_parts(packet)["word/document.xml"].iter(f"{W}date"))
    assert pickers and all(p.find(f"{W}dateFormat").get(f"{W}val") == pattern for p in pickers)
    assert all(p.find(f"{W}lid").get(f"{W}val") == lid for p in pickers)
    with pikepdf.open(packet.with_suffix(".pdf")) as pdf:
        scripts = [str(field.AA.F.JS) for field in pdf.Root.AcroForm.Fields if "/AA" in field]
    assert scripts and all(f'AFDate_FormatEx("{pattern.replace("MM", "mm")}")' in js for js in scripts)
    if language != "ar":  # poppler gives right-to-left text in the order it is drawn
        assert hint in pdf_text(packet.with_suffix(".pdf"))
    assert hint in word_text(packet)


def test_the_arabic_word_files_run_right_to_left(build_ladder) -> None:
    _, out, _ = build_ladder(LOCALISED / "ar.yaml")
    for path in (out / "handbook.docx", next((out / "packets").glob("*.docx"))):
        parts = word_parts(path)
        body = parts["word/document.xml"]
        paragraphs = list(body.iter(f"{W}p"))
        assert paragraphs and all(p.find(f"{W}pPr/{W}bidi") is not None for p in paragraphs)
        assert all(t.find(f"{W}bidiVisual") is not None for t in body.iter(f"{W}tblPr"))
        assert all(s.find(f"{W}bidi") is not None for s in body.iter(f"{W}sectPr"))
        bold = [run for run in body.iter(f"{W}rPr") if run.find(f"{W}b") is not None]
        assert bold and all(run.find(f"{W}bCs") is not None for run in bold), (
            "Arabic bold is complex-script bold"
        )
        footers = [part for name, part in parts.items() if "footer" in name]
        assert all(p.find(f"{W}pPr/{W}bidi") is not None for footer in footers for p in footer.iter(f"{W}p"))


def test_the_german_word_files_run_left_to_right(build_ladder) -> None:
    _, out, _ = build_ladder(LOCALISED / "de.yaml")
    body = word_parts(out / "handbook.docx")["word/document.xml"]
    assert not list(body.iter(f"{W}bidi")) and not list(body.iter(f"{W}bidiVisual"))


def test_a_viewer_running_the_forms_scripts_takes_a_german_date(build_ladder) -> None:
    _, out, _ = build_ladder(LOCALISED / "de.yaml")
    packet = next((out / "packets").glob("*.pdf"))
    mupdf_type = TESTS / "fixtures" / "clients" / "mupdf-type.js"
    for typed, kept in (("06.12.2026", "06.12.2026"), ("morgen", "")):
        command = ["mutool", "run", str(mupdf_type), str(packet), "Datum des Antrags", typed]
        held = subprocess.run(command, check=True, capture_output=True, text=True, timeout=60).stdout
        assert held.strip() == kept


def test_japanese_lines_never_start_with_closing_punctuation(build_ladder) -> None:
    """Lines break between characters, but never before 、。」） and the like (nor after 「（)."""
    _, out, _ = build_ladder(LOCALISED / "ja.yaml")
    for path in (out / "handbook.pdf", next((out / "checklists").glob("*.pdf"))):
        lines = [line.strip() for line in pdf_text(path).splitlines() if line.strip()]
        assert len(lines) > 50
        closing, opening = (set(rule) - set(string.printable) for rule in (NO_BREAK_BEFORE, NO_BREAK_AFTER))
        assert not [line for line in lines if line[0] in closing], path.name  # (not the contents' dots)
        assert not [line for line in lines if line[-1] in opening], path.name
        wrapped = [line for line in lines if re.search("[\u3040-\u30ff\u4e00-\u9fff]$", line)]
        assert len(wrapped) > 10, "paragraphs wrap between characters"


def test_the_committee_reads_arabic_dates_and_packs_them_in_arabic(tmp_path, run_guide) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "returned").mkdir()
    shutil.copy(LOCALISED / "ar.yaml", tmp_path / "data" / "ar.yaml")
    assert run_guide("build", "--only", "packets", "--format", "pdf", cwd=tmp_path).returncode == 0
    out = tmp_path / "output" / "product-management-ar"
    values = {"candidate_name": "ليلى حسن", "packet_date": "05/12/2026", "decision_date": "07/12/2026"}
    pypdf_fill(out / "packets" / "senior-pm.pdf", tmp_path / "returned" / "laila.pdf", values)
    run_guide("collect", "returned", cwd=tmp_path)  # exits 1: nobody has signed yet
    (case,) = json.loads((out / "committee" / "summary.json").read_text("utf-8"))["candidates"]
    assert case["decision_date"] == "2026-12-07" and case["packet"]["fields"]["packet_date"] == "2026-12-05"
    pack = unicodedata.normalize("NFKC", pdf_text(out / "committee" / "committee.pdf"))  # joined letters
    assert "ديسمبر" in pack and not WORD.findall(pack), "the decision's date in Arabic, and no Latin word"
