"""The page: size and margins from the theme, and the running header and footer.

The header shows the theme's logo (unless it asks not to), the document's title
and kind; the footer its organization, version and "Page N of M" as live PAGE /
NUMPAGES fields. A cover page (the
first page when `meta.cover`) gets an empty header and footer of its own.
"""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.section import Section, _Footer, _Header
from docx.shared import Length, Pt
from docx.text.paragraph import Paragraph as DocxParagraph

from guide.model import Metadata
from guide.theme import Logo, Theme
from guide.writers.word.cover import add_cover_band
from guide.writers.word.fields import page_count, page_number
from guide.writers.word.logo import add_logo

BLANK_STYLE = "Normal"
"""The style of the empty header and footer of a cover page (Header and Footer draw a rule)."""

HEADER_LOGO_HEIGHT = 1.8
"""The logo's height in the running header, in base font sizes."""

_HEADER_DISTANCE = Pt(28)
"""From the paper's edge to the header (and the footer): about 10 mm."""


def text_width(theme: Theme) -> Length:
    """Return the width between the left and right margins of `theme`'s page."""
    width, _height = theme.page_points
    return Pt(width - theme.margins.left.points - theme.margins.right.points)


def set_up_page(document: DocxDocument, meta: Metadata, theme: Theme) -> None:
    """Size `document`'s page from `theme` and fill its running header and footer from `meta`."""
    section = document.sections[0]
    _set_size(section, theme)
    if theme.logo is not None and theme.logo.header:
        _add_header_logo(section.header, theme.logo, theme)
    _fill_header(section.header, meta)
    _fill_footer(section.footer, meta)
    if meta.cover:
        _blank_first_page(section)
        add_cover_band(section.first_page_header, theme)


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


def _add_header_logo(header: _Header, logo: Logo, theme: Theme) -> None:
    """Start the running header with the logo, about two lines of header text high, then a gap."""
    height = Pt(theme.font_size.points * HEADER_LOGO_HEIGHT)
    add_logo(header.paragraphs[0].add_run(), logo, height, Length(text_width(theme) // 4))
    header.paragraphs[0].add_run("\u2002")  # an en space between the logo and the title


def _fill_header(header: _Header, meta: Metadata) -> None:
    """Write "title <tab> kind" into `header` (its paragraph has the Header style)."""
    paragraph = header.paragraphs[0]
    paragraph.add_run(_one_line(meta.title))
    if meta.kind:
        paragraph.add_run("\t" + _one_line(meta.kind))


def _fill_footer(footer: _Footer, meta: Metadata) -> None:
    """Write "organization · version <tab> Page N of M" into `footer`."""
    paragraph = footer.paragraphs[0]
    imprint = " · ".join(_one_line(part) for part in (meta.organization, meta.version) if part)
    paragraph.add_run(imprint + "\tPage ")
    _append_runs(paragraph, page_number())
    paragraph.add_run(" of ")
    _append_runs(paragraph, page_count())


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


def _one_line(text: str) -> str:
    """Return `text` with line breaks turned into spaces (a running header has one line)."""
    return " ".join(text.split("\n"))
