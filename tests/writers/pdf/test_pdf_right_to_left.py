"""A right-to-left document's PDF is laid out from the right, read back by poppler.

Paragraphs break into lines in reading order and each line is drawn from the right;
bullets, table columns, check boxes and the running header and footer are mirrored;
fields show their text at the right. The words poppler finds are compared with the
words of the text as they are drawn (joined letters, in the order they are seen).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pikepdf
import pytest

from conftest import assert_sound_pdf
from guide.model import BulletList, Cell, CheckItem, Document, FormField, Metadata, Paragraph, Span, Table
from guide.scripts import shaped_words
from guide.themefile import load_theme
from guide.writers.pdf import write_pdf

THEME = load_theme()
SENTENCE = (
    "يتولى مدير المنتج تحديد المشكلة بدقة ثم يعمل مع الفريق على إيجاد حل يناسب العملاء "
    "ويقيس أثره بعد الإطلاق ويشارك ما تعلمه مع زملائه في الإدارة حتى يتحسن العمل كله "
    "مرة بعد مرة ويصبح الفريق أقدر على اتخاذ قراراته بنفسه"
)
WORDS = tuple(SENTENCE.split(" "))
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>')


def drawn(word: str) -> str:
    return shaped_words(word)


def cell(text: str) -> Cell:
    return Cell((Paragraph((Span(text),)),))


@pytest.fixture(scope="module")
def arabic(tmp_path_factory) -> Path:
    blocks = (
        Paragraph((Span(" ".join(WORDS)),)),
        BulletList(((Span("البند الأول"),), (Span("البند الثاني"),))),
        Table(
            ((cell("الرمز"), cell("المستوى"), cell("الوصف")),),
            ((cell("م٣"), cell("مدير"), cell("نص")),),
            (1, 2, 3),
        ),
        CheckItem("first", (Span("تحقق من النتائج"),)),
        FormField("name", "الاسم", value="مدير منتج (المستوى ٤)"),
    )
    document = Document(
        Metadata(title="السلم الوظيفي", kind="دليل", language="ar", organization="شركة المثال"), blocks
    )
    path = tmp_path_factory.mktemp("rtl") / "arabic.pdf"
    path.write_bytes(assert_sound_pdf(write_pdf(document, THEME)))
    return path


def words(path: Path) -> list[tuple[float, float, float, str]]:
    """Return each word poppler finds on the first page: left, top, right and text."""
    layout = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", str(path), "-"], capture_output=True,
                            text=True, check=True).stdout  # fmt: skip
    return [(float(x0), float(y0), float(x1), text) for x0, y0, x1, text in WORD.findall(layout)]


def lines(found: list[tuple[float, float, float, str]]) -> dict[float, list[tuple[float, str]]]:
    by_top: dict[float, list[tuple[float, str]]] = {}
    for _left, top, right, text in found:
        by_top.setdefault(round(top), []).append((right, text))
    return dict(sorted(by_top.items()))


def test_a_paragraph_reads_from_the_right_line_after_line(arabic) -> None:
    shown = {drawn(word) for word in WORDS}
    paragraph = [line for line in lines(words(arabic)).values() if all(text in shown for _, text in line)]
    assert len(paragraph) >= 2, "the paragraph wraps"
    read = [text for line in paragraph for _, text in sorted(line, reverse=True)]  # right to left, top down
    assert read == [drawn(word) for word in WORDS]
    ends = [max(right for right, _ in line) for line in paragraph]
    assert max(ends) - min(ends) < 1, "every line ends at the right margin"


def test_bullets_table_columns_and_boxes_start_at_the_right(arabic) -> None:
    found = words(arabic)
    at = {text: (left, right) for left, _, right, text in found}
    bullet = [left for left, _, _, text in found if text == "•"]
    assert bullet and min(bullet) > at[drawn("الأول")][1], "the bullet is at the right of its item"
    assert at[drawn("الرمز")][0] > at[drawn("المستوى")][1] > at[drawn("الوصف")][1], (
        "the first column is at the right"
    )
    with pikepdf.open(arabic) as pdf:
        widgets = {str(field.T): field for field in pdf.Root.AcroForm.Fields}
    box = [float(value) for value in widgets["first"].Rect]
    assert box[0] > at[drawn("النتائج")][1], "the check box is at the right of its text"
    assert int(widgets["name"].Q) == 2, "a field shows its text at the right"


def test_the_header_and_footer_are_mirrored(arabic) -> None:
    found = words(arabic)
    at = {text: left for left, _, _, text in found}
    assert at[drawn("الوظيفي")] > at[drawn("دليل")], "the title at the right, the kind at the left"
    assert at[drawn("المثال")] > 300 and min(left for left, _, _, text in found if text == "1") < 100


def test_a_filled_value_is_drawn_from_the_right_in_reading_order(arabic) -> None:
    with pikepdf.open(arabic) as pdf:
        value = str(next(f for f in pdf.Root.AcroForm.Fields if str(f.T) == "name").V)
    assert value == "مدير منتج (المستوى ٤)", "the field holds the value in reading order"
    found = words(arabic)
    (top,) = {round(top) for _, top, _, text in found if text == "(٤"}
    shown = [text for _, line_top, _, text in sorted(found) if round(line_top) == top]
    assert shown == ["(٤", drawn("(المستوى"), drawn("منتج"), drawn("مدير")]


def test_vowel_marks_are_drawn_after_their_letters(tmp_path) -> None:
    """Arabic harakat change a word's sense: they are kept, each drawn over its own letter."""
    document = Document(Metadata(title="ت", language="ar"), (Paragraph((Span("يُلزم الموظف بدءًا"),)),))
    path = tmp_path / "marks.pdf"
    path.write_bytes(write_pdf(document, THEME))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "\u064f" in text and "\u064b" in text  # the damma and the tanween
    assert shaped_words("يُلزم").index("\u064f") == shaped_words("يُلزم").index("\ufef3") + 1
