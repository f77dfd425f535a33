"""Hostile ladders that must build: every text reaches both formats as the author wrote it.

Each file in `fixtures/ladders/hostile/` says in its first comment what it tries.
Word keeps every character (Unicode NFC, as the loader stores it); PDFs draw the
same text but leave out the characters that only steer layout (`glyphs.INVISIBLE`),
and hold right-to-left runs in visual order, so those are compared by their letters.
The hostile inputs that must be refused sit beside the other invalid ladders, each
with its `.errors`.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import FIXTURES, convert_with_libreoffice
from guide.glyphs import INVISIBLE
from guide.scripts import RIGHT_TO_LEFT_RUN
from test_build import docx_text, pdf_body_text, pdf_text, squeeze

HOSTILE = sorted((FIXTURES / "ladders" / "hostile").glob("*.yaml"))


@pytest.fixture(scope="module", params=HOSTILE, ids=lambda path: path.stem)
def built(request, build_ladder):
    return build_ladder(request.param, "handbook")


def as_drawn(text: str) -> str:
    """Return `text` as a PDF's extracted text can hold it: no invisible characters, no spaces.

    Spaces and hyphens go because a long text breaks over lines wherever it meets an edge,
    a word too wide for its line with a hyphen drawn; right-to-left runs are reduced to their
    letters, in order of the alphabet, as they are drawn reversed.
    """
    visible = re.sub(r"[\s-]+", "", INVISIBLE.sub("", text))
    return RIGHT_TO_LEFT_RUN.sub(lambda run: "".join(sorted(run.group())), visible)


def test_every_text_is_in_the_word_handbook_exactly(built) -> None:
    ladder, folder, _ = built
    text = docx_text(folder / "handbook.docx")
    assert [item for item in ladder.texts() if squeeze(item) not in text] == []


def test_every_text_is_drawn_in_the_pdf_handbook(built) -> None:
    ladder, folder, _ = built
    drawn = as_drawn(unicodedata.normalize("NFKC", pdf_body_text(folder / "handbook.pdf")))
    expected = (as_drawn(unicodedata.normalize("NFKC", item)) for item in ladder.texts())
    assert [item for item in expected if item not in drawn] == []


def test_the_word_handbook_opens_in_libreoffice(built, tmp_path: Path) -> None:
    _, folder, _ = built
    (converted,) = convert_with_libreoffice([folder / "handbook.docx"], tmp_path)
    assert "The levels" in pdf_text(converted)


def test_accents_typed_as_combining_marks_are_stored_composed(build_ladder) -> None:
    ladder, folder, _ = build_ladder(FIXTURES / "ladders" / "hostile" / "combining_nfd.yaml", "handbook")
    assert ladder.title == "Équipe Produit"
    assert all(unicodedata.is_normalized("NFC", item) for item in ladder.texts())
    assert "Référent·e" in pdf_text(folder / "handbook.pdf")


def test_emoji_are_drawn_from_the_embedded_symbol_font(build_ladder) -> None:

    _, folder, _ = build_ladder(FIXTURES / "ladders" / "hostile" / "emoji.yaml", "handbook")
    fonts = {
        str(font.get_object()["/BaseFont"]).split("+")[-1]
        for page in PdfReader(folder / "handbook.pdf").pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert "Symbola" in fonts
    assert "🚀" in pdf_text(folder / "handbook.pdf")


def test_a_list_at_the_limit_builds_whole(build_ladder) -> None:
    ladder, folder, _ = build_ladder(FIXTURES / "ladders" / "hostile" / "thousand_items.yaml", "checklists")
    assert len(ladder.levels[0].responsibilities) == 1000
    assert "Responsibility number 999, written out" in pdf_text(folder / "checklists" / "a.pdf")


def test_no_break_and_other_typographic_spaces_are_kept(build_ladder) -> None:
    ladder, folder, _ = build_ladder(FIXTURES / "ladders" / "hostile" / "spaces.yaml", "handbook")
    assert ladder.title == "Niveau\u00a0: 3 \u2009–\u2009 10\u202f000\u00a0€"
    assert ladder.levels[0].summary.startswith("Montant\u00a0: 10\u202f000\u00a0€, ideographic\u3000space")
    word = zipfile.ZipFile(folder / "handbook.docx").read("word/document.xml").decode()
    assert "Chef\u00a0de\u00a0produit" in word and "«\u202fCitation\u202f»" in word
    assert "tab and runs" in word  # tabs and runs of ordinary spaces fold, as in HTML
