"""The page: size and margins from the theme, and the running header and footer.

The header shows the theme's logo (unless it asks not to), the document's title
and kind; the footer its organization, version and "Page N of M" as live PAGE /
NUMPAGES fields. A cover page (the first page when `meta.cover`) gets an empty
header and footer of its own.

A document with a person field (a promotion packet) names its person in the
running header from page 2 on, where the title is on page 1, as the PDF does: a
run in the Personal Line style holds `model.personal_line`, and is empty while
the field is. The first page, which shows the person in its fields, keeps a
header of its own with the title. A roster's packets are drawn blank and filled:
`with_personal_line` writes the line into the drawn header exactly as drawing it
with the value would.
"""

from __future__ import annotations

import functools
import re

from docx.document import Document as DocxDocument
from docx.opc.oxml import serialize_part_xml
from docx.oxml import parse_xml
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import Section, _Footer, _Header
from docx.shared import Length, Pt
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run

from guide.model import Metadata, one_line
from guide.theme import Logo, Theme
from guide.writers.labels import logo_alt
from guide.writers.word.cover import add_cover_band
from guide.writers.word.elements import set_run_style
from guide.writers.word.fields import page_count, page_number
from guide.writers.word.logo import add_logo

PLACEHOLDER = re.compile(r"%\((page|pages)\)s")
"""A placeholder of the page line, its name kept when the line is split at it."""

BLANK_STYLE = "Normal"
"""The style of the empty header and footer of a cover page (Header and Footer draw a rule)."""

HEADER_LOGO_HEIGHT = 1.8
"""The logo's height in the running header, in base font sizes."""

_HEADER_DISTANCE = Pt(28)
"""From the paper's edge to the header (and the footer): about 10 mm."""

PERSONAL_LINE = "Personal Line"
"""The character style of the running header's slot for whose document it is."""

PERSONAL_LINE_ID = "PersonalLine"
"""Its style id (python-docx's, the name without spaces), by which a drawn header's slot is found."""

SLOT = f".//w:r[w:rPr/w:rStyle/@w:val='{PERSONAL_LINE_ID}']"
"""Where the slot is in a header part."""


def text_width(theme: Theme) -> Length:
    """Return the width between the left and right margins of `theme`'s page."""
    width, _height = theme.page_points
    return Pt(width - theme.margins.left.points - theme.margins.right.points)


def set_up_page(document: DocxDocument, meta: Metadata, theme: Theme, personal_line: str) -> None:
    """Size `document`'s page from `theme` and fill its running header and footer from `meta`.

    With a person field, the header from page 2 on shows `personal_line` (see
    `model.personal_line`) in the title's place, or the title while it is empty.
    """
    section = document.sections[0]
    _set_size(section, theme)
    _fill_header(section.header, meta, theme, with_slot=bool(meta.person_field))
    _fill_footer(section.footer, meta)
    if personal_line:
        set_personal_line(section.header._element, personal_line)
    if meta.cover:
        _blank_first_page(section)
        add_cover_band(section.first_page_header, theme)
    elif meta.person_field:
        _first_page_without_person(section, meta, theme)


def set_personal_line(header: BaseOxmlElement, line: str) -> None:
    """Show `line` (not empty) in the slot of the running `header` that `set_up_page` drew."""
    slots = header.xpath(SLOT)
    assert len(slots) == 1, "a running header drawn for a document with a person field"
    # setting a run's text needs no parent (its part); the type asks for one
    Run(slots[0], None).text = one_line(line)  # type: ignore[arg-type]


@functools.lru_cache(maxsize=64)
def has_personal_slot(header: bytes) -> bool:
    """Return True if the header part `header` has the slot for a personal line (read once per part)."""
    return bool(parse_xml(header).xpath(SLOT))


def with_personal_line(header: bytes, line: str) -> bytes:
    """Return the running header part `header` showing `line`, as drawing it with `line` gives."""
    root = parse_xml(header)
    set_personal_line(root, line)
    return serialize_part_xml(root)


def _set_size(section: Section, theme: Theme) -> None:
    """Set the paper size and margins of `section`."""
    width, height = theme.page_points
    section.page_width = Pt(width)
    section.page_height = Pt(height)
    section.top_margin = Pt(theme.margins.top.points)
    section.right_margin = Pt(theme.margins.right.points)
    section.bottom_margin = Pt(theme.margins.bottom.points)
    section.left_margin = Pt(theme.margins.left.points)
    section.header_distance = min(_HEADER_DISTANCE, Pt(theme.margins.top.points / 2))
    section.footer_distance = min(_HEADER_DISTANCE, Pt(theme.margins.bottom.points / 2))


def _first_page_without_person(section: Section, meta: Metadata, theme: Theme) -> None:
    """Give the first page the running header, with the title in the personal line's place, and footer."""
    section.different_first_page_header_footer = True
    _fill_header(section.first_page_header, meta, theme, with_slot=False)
    _fill_footer(section.first_page_footer, meta)


def _add_header_logo(header: _Header, logo: Logo, theme: Theme, alt: str) -> None:
    """Start the running header with the logo, about two lines of header text high, then a gap."""
    height = Pt(theme.font_size.points * HEADER_LOGO_HEIGHT)
    add_logo(header.paragraphs[0].add_run(), logo, height, Length(text_width(theme) // 4), alt)
    header.paragraphs[0].add_run("\u2002")  # an en space between the logo and the title


def _fill_header(header: _Header, meta: Metadata, theme: Theme, *, with_slot: bool) -> None:
    """Write "logo title <tab> kind" into `header` (its paragraph has the Header style).

    `with_slot` puts the title in a run in the Personal Line style, which a filled copy's
    personal line replaces.
    """
    if theme.logo is not None and theme.logo.header:
        _add_header_logo(header, theme.logo, theme, logo_alt(theme.logo, meta))
    paragraph = header.paragraphs[0]
    title = paragraph.add_run(one_line(meta.title))
    if with_slot:
        set_run_style(title, PERSONAL_LINE)
    if meta.kind:
        paragraph.add_run("\t" + one_line(meta.kind))


def _fill_footer(footer: _Footer, meta: Metadata) -> None:
    """Write "organization · version <tab> Page N of M" into `footer`, N and M live fields.

    The page line is the document's words (`Words.page_of_pages`), its placeholders the fields.
    """
    paragraph = footer.paragraphs[0]
    imprint = " · ".join(one_line(part) for part in (meta.organization, meta.version) if part)
    paragraph.add_run(imprint + "\t")
    fields = {"page": page_number, "pages": page_count}
    for piece in PLACEHOLDER.split(meta.words.page_of_pages):
        if piece in fields:
            _append_runs(paragraph, fields[piece]())
        elif piece:
            paragraph.add_run(piece.replace("%%", "%"))


def _blank_first_page(section: Section) -> None:
    """Give the first page its own header and footer: empty, and without the running rules."""
    section.different_first_page_header_footer = True
    for header_or_footer in (section.first_page_header, section.first_page_footer):
        header_or_footer.is_linked_to_previous = False
        header_or_footer.paragraphs[0].style = BLANK_STYLE


def _append_runs(paragraph: DocxParagraph, runs: list) -> None:
    """Append ready-made run elements to `paragraph`."""
    for run in runs:
        paragraph._p.append(run)
