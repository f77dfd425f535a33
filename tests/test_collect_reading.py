"""Reading returned forms: fields named by item, controls placed without their names, and hostile files."""

from __future__ import annotations

import dataclasses
import io
import zipfile
import zlib
from pathlib import Path

import pikepdf
import pytest

from conftest import SHIPPED_LADDER
from guide import markup
from guide.collect import limits
from guide.collect.answers import Slot, placed, slots
from guide.collect.limits import Refused
from guide.collect.returned import Control, read_returned
from guide.content import load_ladder
from guide.documents import plan, render
from guide.itemkeys import item_key, keyed
from guide.model import FormField, SignatureLine
from guide.render import Layouts

LADDER = load_ladder(SHIPPED_LADDER)


def packet_fields(ladder, level_id: str) -> dict[str, str]:
    """Return the label of each field of the shipped packet for `level_id`, by name."""
    (piece,) = [p for p in plan(ladder, ("packets",), ("pdf",)) if p.stem == f"packets/{level_id}"]
    return {slot.name: slot.label for slot in slots(render(Layouts(), piece))}


def test_item_keys_follow_the_words_not_the_place() -> None:
    assert item_key("Ships on time.") == item_key("  Ships\non   time. ")
    assert item_key("Ships on time.") != item_key("Ships on time!")
    a, b = item_key("a"), item_key("b")
    assert [k for k, _ in keyed(["a", "b", "a", "a"])] == [a, b, f"{a}_2", f"{a}_3"]


def test_a_packets_field_names_stay_when_other_items_change() -> None:
    level = LADDER.level("senior-pm")
    before = packet_fields(LADDER, "senior-pm")
    changed = dataclasses.replace(
        level, expectations=("A new first expectation.", *reversed(level.expectations[1:])),
        skills=level.skills[1:],
    )  # fmt: skip
    levels = tuple(changed if each.id == level.id else each for each in LADDER.levels)
    after = packet_fields(dataclasses.replace(LADDER, levels=levels), "senior-pm")
    kept = [f"evidence_expectation_{item_key(text)}" for text in level.expectations[1:]]
    kept += [f"skill_rating_{item_key(text)}" for text in level.skills[1:]]
    assert all(name in before and name in after for name in kept)
    assert f"evidence_expectation_{item_key(level.expectations[0])}" not in after
    assert f"evidence_expectation_{item_key('A new first expectation.')}" in after


def test_a_signature_can_have_a_date_field() -> None:
    document = markup.parse_document(
        '<document title="T"><signature label="Manager" date-field="signoff_manager_date"'
        ' date-label="Manager: date signed"/></document>'
    )
    (signature,) = document.blocks
    assert signature == SignatureLine(
        "Manager", FormField("signoff_manager_date", "Manager: date signed", "date", show_label=False)
    )
    assert document.form_names() == ["signoff_manager_date"]
    with pytest.raises(markup.MarkupError) as error:
        markup.parse_document(
            '<document title="T"><signature label="M" date-field="a-b" date-label="M: date"/></document>'
        )
    assert (error.value.element, error.value.attribute, error.value.value) == (
        "signature",
        "date-field",
        "a-b",
    )


FORM = [Slot("employee", "Employee", "Employee", "text"), Slot("tick_a", "Item 1: A", "Item 1: A", "check"),
        Slot("tick_a_evidence", "Evidence: item 1", "Evidence: item 1", "multiline"),
        Slot("review_date", "Review date", "Review date", "date"),
        Slot("decision", "Decision", "Decision", "choice")]  # fmt: skip


def test_controls_without_names_are_placed_by_title_then_order() -> None:
    controls = (Control("", "Employee", "text", "Zoë"), Control("", "Item 1: A", "check", checked=True),
                Control("", "", "multiline", "Shipped it"), Control("", "", "date", "2026-01-02"),
                Control("", "", "choice", "Approved"))  # fmt: skip
    answers = placed(controls, FORM)
    assert answers.values == {"employee": "Zoë", "tick_a_evidence": "Shipped it", "review_date": "2026-01-02",
                              "decision": "Approved"}  # fmt: skip
    assert answers.checks == {"tick_a": True} and answers.unplaced == [] and answers.missing == []


def test_a_control_no_field_takes_is_kept_if_it_holds_an_answer() -> None:
    controls = (Control("employee", "", "text", "Zoë"), Control("old_item", "Old", "multiline", "kept"),
                Control("", "Item 1: reworded", "check", checked=False),
                Control("decision", "", "choice", "Approved"))  # fmt: skip
    answers = placed(controls, FORM)
    assert [control.value for control in answers.unplaced] == ["kept"]
    assert [slot.name for slot in answers.missing] == ["tick_a", "tick_a_evidence", "review_date"]


def word_file(path: Path, parts: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return path


DOCUMENT = b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body/></w:document>'


def refusal(path: Path) -> str:
    with pytest.raises(Refused) as error:
        read_returned(path)
    return str(error.value)


def test_word_files_with_entities_are_refused(tmp_path) -> None:
    entities = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><Properties>&e;</Properties>'
    path = word_file(tmp_path / "x.docx", {"word/document.xml": DOCUMENT, "docProps/custom.xml": entities})
    assert (
        refusal(path)
        == "docProps/custom.xml declares a document type, which forms guide wrote never do: not read"
    )


def test_zip_bombs_are_refused(tmp_path) -> None:
    bomb = DOCUMENT[: -len(b"</w:document>")] + b" " * (8 << 20) + b"</w:document>"
    path = word_file(tmp_path / "bomb.docx", {"word/document.xml": bomb})
    assert refusal(path).startswith("word/document.xml inflates to 8,388,7")
    many = {f"word/media/{n}.png": b"" for n in range(limits.MAX_PARTS + 1)} | {"word/document.xml": DOCUMENT}
    assert refusal(word_file(tmp_path / "many.docx", many)).startswith("a zip of more than 2,000 files")


def test_oversized_files_are_refused_unread(tmp_path, monkeypatch) -> None:
    path = word_file(tmp_path / "big.docx", {"word/document.xml": DOCUMENT})
    monkeypatch.setattr("guide.collect.returned.MAX_FILE_BYTES", 100)
    assert refusal(path).endswith("more than the 0 MB a returned form may be")


def pdf_with(tmp_path: Path, name: str, change) -> Path:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    change(pdf)
    pdf.save(tmp_path / name, fix_metadata_version=False)
    return tmp_path / name


def test_a_metadata_bomb_in_a_pdf_is_refused(tmp_path) -> None:
    def bomb(pdf: pikepdf.Pdf) -> None:
        inflated = b"<x:xmpmeta xmlns:x='adobe:ns:meta/'>" + b" " * (40 << 20) + b"</x:xmpmeta>"
        stream = pikepdf.Stream(pdf, zlib.compress(inflated, 9))
        stream.Filter = pikepdf.Name.FlateDecode
        pdf.Root.Metadata = pdf.make_indirect(stream)

    path = pdf_with(tmp_path, "bomb.pdf", bomb)
    assert pikepdf.open(path).Root.Metadata.get("/Filter") == pikepdf.Name.FlateDecode
    assert refusal(path).startswith("the PDF's metadata inflates to more than")


def test_a_field_tree_that_loops_is_read_once(tmp_path) -> None:
    def loop(pdf: pikepdf.Pdf) -> None:
        parent = pdf.make_indirect(pikepdf.Dictionary(T=pikepdf.String("a"), FT=pikepdf.Name.Tx))
        child = pdf.make_indirect(
            pikepdf.Dictionary(T=pikepdf.String("b"), V=pikepdf.String("kept"), Parent=parent)
        )
        parent.Kids = pikepdf.Array([child, parent])
        pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array([parent, parent]))

    read = read_returned(pdf_with(tmp_path, "loop.pdf", loop))
    assert [(c.name, c.value) for c in read.controls] == [("a.b", "kept")] and read.identity == {}


def test_a_locked_pdf_says_so(tmp_path) -> None:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.save(tmp_path / "locked.pdf", encryption=pikepdf.Encryption(user="secret", owner="secret"))
    assert refusal(tmp_path / "locked.pdf") == "the PDF is locked with a password: save it again without one"


def test_a_file_neither_pdf_nor_word_is_refused(tmp_path) -> None:
    (tmp_path / "notes.docx").write_bytes(io.BytesIO(b"just text").getvalue())
    assert refusal(tmp_path / "notes.docx") == "neither a PDF nor a Word file, though named .docx"


def test_answers_no_font_has_are_said_and_shown_as_boxes_in_the_pdf_only() -> None:
    from guide.collect.candidates import Form
    from guide.collect.shown import REPLACEMENT, shown, unshowable
    from guide.glyphs import DEFAULT_CHAIN

    form = Form("a.pdf", "packet", LADDER.level("pm"), "Zoë", "E1", "2026.1",
                {"case_summary": "Zoë: नमस्ते", "decision": "Approved"}, {}, {}, (), ())  # fmt: skip
    (problem,) = unshowable([form], DEFAULT_CHAIN)
    assert str(problem).startswith("a.pdf: case_summary: PDFs cannot show 'नमस्ते' (U+0928 ")
    assert shown((form,), DEFAULT_CHAIN)[0].fields == {
        "case_summary": "Zoë: " + REPLACEMENT * 6,
        "decision": "Approved",
    }
    assert form.fields["case_summary"] == "Zoë: नमस्ते"


def test_a_signature_date_field_needs_its_label_for_screen_readers() -> None:
    with pytest.raises(markup.MarkupError, match="needs date-label"):
        markup.parse_document('<document title="T"><signature label="M" date-field="m_date"/></document>')
