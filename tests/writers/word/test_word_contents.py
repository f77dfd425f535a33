"""The Word contents shows page numbers at once: the PDF twin's pages, read back by other programs.

The shipped handbook is built once for the module through the build's own pipeline
(PDF and Word), and the Word file converted once by LibreOffice.
"""

from __future__ import annotations

import io
import re
import statistics
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
from lxml import etree

from conftest import SHIPPED_LADDER, convert_with_libreoffice, system_tool, written_paths
from guide.build import Project, prepare
from guide.content import load_ladder
from guide.model import Document, Heading, Metadata, Paragraph, Span, TableOfContents
from guide.themefile import load_theme
from guide.writers.word import write_docx
from page_reading import printed_words

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NAMESPACES = {"w": W}
XHTML = {"x": "http://www.w3.org/1999/xhtml"}
CONTENTS_LINES = "//w:p[w:pPr/w:pStyle[starts-with(@w:val, 'TOC') and @w:val != 'TOCHeading']]"
PAGE_REFERENCE = re.compile(r"^ PAGEREF (\S+) \\h $")
HEADING_SIZE = 1.25
"""A heading's words are at least this many times as tall as the body text's (10 pt against 13.5 and 18)."""


@dataclass(frozen=True)
class Entry:
    """One line of the Word contents as written: its style, text, link, page reference and cached page."""

    style: str
    text: str
    anchor: str
    reference: str
    page: int


@dataclass(frozen=True)
class Built:
    ladder_titles: tuple[str, ...]
    pdf: Path
    word: Path
    word_as_pdf: Path


LAYOUTS: list[object] = []
"""The documents the PDF writer laid out while `built` wrote the handbook in both formats."""


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Built:
    """Build the shipped handbook as PDF and Word in-process, and have LibreOffice print the Word one."""
    from guide.writers.pdf.pages import GuideDocTemplate

    system_tool("pdftotext")
    out = tmp_path_factory.mktemp("contents")
    ladder = load_ladder(SHIPPED_LADDER)
    project = Project(SHIPPED_LADDER.parent.parent)
    outputs = prepare(project, [ladder], out, ("handbook",), ("pdf", "docx"))
    with pytest.MonkeyPatch.context() as patch:
        laid_out = GuideDocTemplate.lay_out
        patch.setattr(
            GuideDocTemplate, "lay_out", lambda self, *a: LAYOUTS.append(self.meta) or laid_out(self, *a)
        )
        pdf, word = written_paths(outputs, project.theme)
    (word_as_pdf,) = convert_with_libreoffice([word], out / "libreoffice")
    return Built(tuple(level.label for level in ladder.levels), pdf, word, word_as_pdf)


def test_the_handbook_is_laid_out_once_for_both_its_pdf_and_its_word_contents(built: Built) -> None:
    """The Word contents show the pages of the PDF drawn beside it (tested below): no layout of their own."""
    assert len(LAYOUTS) == 1


def xpath(tree: etree._Element, path: str) -> list:
    return tree.xpath(path, namespaces=NAMESPACES)


def package_part(path_or_data: Path | bytes, name: str) -> etree._Element:
    data = path_or_data.read_bytes() if isinstance(path_or_data, Path) else path_or_data
    return etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read(name))


def contents_entries(data: Path | bytes) -> list[Entry]:
    """Return the lines of the TOC field's cached result, read from document.xml."""
    body = package_part(data, "word/document.xml")
    entries = []
    for paragraph in xpath(body, CONTENTS_LINES):
        (link,) = xpath(paragraph, "w:hyperlink")
        texts = xpath(link, "w:r[not(w:fldChar) and not(w:instrText)][w:t][1]/w:t/text()")
        (instruction,) = xpath(link, ".//w:instrText/text()")
        after_separate = "w:r[preceding-sibling::w:r/w:fldChar[@w:fldCharType='separate']]"
        page = "".join(xpath(link, f"{after_separate}/w:t/text()"))
        reference = PAGE_REFERENCE.fullmatch(instruction)
        assert reference, instruction
        style = xpath(paragraph, "w:pPr/w:pStyle/@w:val")[0]
        entries.append(Entry(style, texts[0], link.get(f"{{{W}}}anchor"), reference.group(1), int(page)))
    return entries


def heading_pages(pdf: Path, headings: list[str], first_page: int) -> list[int | None]:
    """Return the page of each of `headings` (in reading order) in `pdf`, as pdftotext finds them.

    A heading is a run of lines, taller than the body text, whose words are the heading's;
    each is looked for from the page of the one before.
    """
    pages = _lines_by_page(pdf)
    body_height = statistics.median(height for lines in pages for _, height in lines)
    found: list[int | None] = []
    page = first_page
    for heading in headings:
        hit = next(
            (
                number
                for number in range(page, len(pages) + 1)
                if _holds_heading(pages[number - 1], heading, body_height * HEADING_SIZE)
            ),
            None,
        )
        found.append(hit)
        page = hit or page
    return found


def _lines_by_page(pdf: Path) -> list[list[tuple[str, float]]]:
    """Return each page's lines of `pdf` as (text, height of its tallest word): pdftotext -bbox-layout."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, check=True).stdout
    root = etree.fromstring(xml, etree.XMLParser(recover=True))
    pages = []
    for page in root.iterfind(".//x:page", XHTML):
        lines = []
        for line in page.iterfind(".//x:line", XHTML):
            words = line.findall("x:word", XHTML)
            height = max(float(word.get("yMax")) - float(word.get("yMin")) for word in words)
            lines.append((" ".join(word.text or "" for word in words), height))
        pages.append(lines)
    return pages


def _holds_heading(lines: list[tuple[str, float]], heading: str, least_height: float) -> bool:
    tall = [text for text, height in lines if height >= least_height]
    target = words(heading)
    for start in range(len(tall)):
        joined = ""
        for text in tall[start:]:
            joined = words(f"{joined} {text}")
            if joined == target:
                return True
            if not target.startswith(joined):
                break
    return False


def words(text: str) -> str:
    """Return `text` with each run of spaces (no-break spaces too) as one space."""
    return " ".join(text.split())


def pdf_text(pdf: Path, first: int, last: int) -> str:
    command = ["pdftotext", "-layout", "-f", str(first), "-l", str(last), str(pdf), "-"]
    return subprocess.run(command, capture_output=True, check=True, text=True).stdout


# --- the shipped handbook --------------------------------------------------------------------


def test_cached_pages_are_where_the_pdf_handbook_has_each_heading(built):
    entries = contents_entries(built.word)
    assert len(entries) > 20
    found = heading_pages(built.pdf, [entry.text for entry in entries], first_page=3)
    assert [entry.page for entry in entries] == found
    assert any(entry.page > 9 for entry in entries)  # two-digit pages are written whole


def test_each_entry_links_to_and_refers_to_its_heading_bookmark(built):
    body = package_part(built.word, "word/document.xml")
    for entry in contents_entries(built.word):
        assert entry.reference == entry.anchor
        (heading,) = xpath(body, f"//w:p[w:bookmarkStart/@w:name='{entry.anchor}']")
        assert xpath(heading, "w:pPr/w:pStyle/@w:val")[0].startswith("Heading")
        assert words("".join(xpath(heading, ".//w:t/text()"))) == words(entry.text)


def test_entries_are_a_line_with_a_tab_to_a_dot_leader(built):
    word = docx.Document(str(built.word))
    for name in ("toc 1", "toc 2"):
        (stop,) = word.styles[name].paragraph_format.tab_stops
        assert (stop.alignment, stop.leader) == (WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
    lines = [p.text for p in word.paragraphs if p.style.name in ("toc 1", "toc 2")]
    entries = contents_entries(built.word)
    assert lines == [f"{entry.text}\t{entry.page}" for entry in entries]


def test_word_is_not_asked_to_update_fields_on_open(built):
    settings = package_part(built.word, "word/settings.xml")
    assert xpath(settings, "//w:updateFields") == []
    assert xpath(package_part(built.word, "word/document.xml"), "//w:fldChar/@w:dirty") == []


def test_libreoffice_shows_the_contents_with_each_level_and_its_page(built):
    entries = {entry.text: entry.page for entry in contents_entries(built.word)}
    first_body_page = min(entries.values())
    contents = " ".join(pdf_text(built.word_as_pdf, 2, first_body_page - 1).split())
    for title in built.ladder_titles:
        shown = re.search(re.escape(title) + r"[ .]*(\d+)", contents)
        assert shown, f"{title} has no page in {contents!r}"
        assert int(shown.group(1)) == entries[title]


def test_libreoffice_draws_each_heading_on_or_next_to_the_page_its_entry_shows(built):
    """Word's own layout may move a heading by a page: never further."""
    entries = contents_entries(built.word)
    drawn = heading_pages(built.word_as_pdf, [entry.text for entry in entries], first_page=3)
    assert None not in drawn
    assert all(abs(page - entry.page) <= 1 for entry, page in zip(entries, drawn, strict=True))


# --- without pages, and pages that do not fit -----------------------------------------------

THEME = load_theme()


def small_document(*, contents: bool = True) -> Document:
    blocks = (
        *((TableOfContents(title="Contents"),) if contents else ()),
        Heading(1, (Span("Levels"),), anchor="levels"),
        Paragraph((Span("Text"),)),
        Heading(2, (Span("Senior & staff"),)),
        Heading(3, (Span("Too deep"),)),
    )
    return Document(Metadata(title="Ladder", kind="Handbook"), blocks)


def test_given_pages_are_shown_without_asking_word_to_update():
    data = write_docx(small_document(), THEME, contents_pages=(2, 7))
    shown = [(entry.text, entry.page) for entry in contents_entries(data)]
    assert shown == [("Levels", 2), ("Senior & staff", 7)]
    assert xpath(package_part(data, "word/settings.xml"), "//w:updateFields") == []


def test_without_pages_the_field_is_updated_on_open():
    data = write_docx(small_document(), THEME)
    body = package_part(data, "word/document.xml")
    assert xpath(body, "//w:fldChar[@w:fldCharType='begin']/@w:dirty") == ["true"]
    assert xpath(body, "//w:instrText[contains(., 'PAGEREF')]") == []
    assert xpath(package_part(data, "word/settings.xml"), "//w:updateFields/@w:val") == ["true"]


def test_pages_must_match_the_listed_headings():
    with pytest.raises(ValueError, match="1 pages given for 2 contents entries"):
        write_docx(small_document(), THEME, contents_pages=(2,))


def test_contents_of_no_headings_needs_no_update():
    document = Document(Metadata(title="Ladder"), (TableOfContents(), Paragraph((Span("Text"),))))
    data = write_docx(document, THEME)
    assert xpath(package_part(data, "word/settings.xml"), "//w:updateFields") == []


def test_a_long_entry_wraps_before_the_leader_and_page_number(tmp_path):
    """Entries whose text ends anywhere near the margin: each wraps a leader's room before its number.

    Word moves a tab that has no room left to the next line, and the page number with it.
    """
    words = "Promotion committee reviews evidence from peers managers and skip level managers".split()  # noqa: SIM905
    titles = [" ".join(words[: count % len(words) + 1] * (1 + count // len(words))) for count in range(40)]
    blocks = (TableOfContents(title="Contents"), *(Heading(1, (Span(title),)) for title in titles))
    path = tmp_path / "long.docx"
    path.write_bytes(
        write_docx(Document(Metadata(title="Ladder"), blocks), THEME, contents_pages=(100,) * 40)
    )
    (pdf,) = convert_with_libreoffice([path], tmp_path)
    size = THEME.font_size.points
    lines: dict[tuple[int, int], list[float]] = {}
    numbers = 0
    for word in printed_words(pdf):
        if word.bottom - word.top < 1.5 * size:  # the contents' lines, not the headings' (1.8 times as large)
            lines.setdefault((word.page, round(word.top)), []).append(word.right)
            numbers += word.text.endswith("100")
    margin = THEME.page_points[0] - THEME.margins.right.points
    wrapped_ends = [max(rights) for rights in lines.values() if max(rights) < margin - 1]
    assert numbers == 40 and len(wrapped_ends) > 10
    assert max(wrapped_ends) <= margin - 2.5 * size
