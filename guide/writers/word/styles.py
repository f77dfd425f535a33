"""The named Word styles every document uses, set up once from the theme.

The look of a Word document lives here and nowhere else: the other modules
only name a style (`styles.NOTE`), they never format a run or paragraph
directly. Built-in styles (Normal, Title, Heading 1...) keep their names so
Word's navigation pane, outline and TOC field work; their template formatting
is cleared and replaced so nothing of python-docx's template look leaks in.
"""

from __future__ import annotations

import copy
import functools
from dataclasses import dataclass

import docx
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Pt, RGBColor
from docx.styles.style import BaseStyle, CharacterStyle, ParagraphStyle
from docx.styles.styles import Styles
from lxml import etree

from guide.theme import Theme
from guide.writers.word.elements import (
    PARAGRAPH_PROPERTIES,
    RUN_PROPERTIES,
    STYLE_CHILDREN,
    TABLE_PROPERTIES,
    borders,
    element,
    insert_in_order,
)
from guide.writers.word.page import PERSONAL_LINE, PERSONAL_LINE_ID, text_width
from guide.writers.word.reference import apply_reference_styles, apply_reference_theme
from guide.writers.word.tables import CELL_MARGIN

NORMAL = "Normal"
TITLE = "Title"
SUBTITLE = "Subtitle"
COVER_META = "Cover Meta"
LEAD = "Lead"
NOTE = "Note"
HEADINGS = {1: "Heading 1", 2: "Heading 2", 3: "Heading 3"}
LIST_BULLET = "List Bullet"
TABLE = "Guide Table"
TABLE_TEXT = "Table Text"
TABLE_HEADING = "Table Heading"
FIELD_LABEL = "Field Label"
FIELD_VALUE = "Field Value"
FIELD_BOX = "Field Box"
CHECK_ITEM = "Check Item"
EVIDENCE = "Evidence"
SIGNATURE_SPACE = "Signature Space"
SIGNATURE_CAPTION = "Signature Caption"
FIELD_HINT = "Field Hint"
PAGE_BREAK = "Page Break"
CLOSING = "Closing Mark"
HEADER = "Header"
FOOTER = "Footer"
CONTENTS_TITLE = "TOC Heading"
CONTENTS_LEVELS = {1: "toc 1", 2: "toc 2"}
PLACEHOLDER = "Placeholder Text"
HYPERLINK = "Hyperlink"
CHECK_BOX = "Check Box"
DIAGRAM = "Diagram"

CHECK_BOX_FONT = "MS Gothic"
"""The font Word itself gives checkbox content controls (it has ☐ and ☒)."""

ROLE_STYLES = {
    "title": TITLE,
    "subtitle": SUBTITLE,
    "meta": COVER_META,
    "lead": LEAD,
    "body": NORMAL,
    "note": NOTE,
}
"""Paragraph roles of the document model, and the Word style that draws each."""


def style_for_role(role: str, body_style: str = NORMAL) -> str:
    """Return the paragraph style name for `role` (one of the model's roles); "body" becomes `body_style`."""
    return body_style if role == "body" else ROLE_STYLES[role]


@dataclass(frozen=True)
class Look:
    """How one paragraph style looks; sizes and spaces are multiples of the base font size.

    `size` names a kind of text of the theme's sizes (`TextSizes`), the same the PDF's
    style takes, or gives a Word-only style's own.
    """

    name: str
    based_on: str = NORMAL
    size: str | float = 1.0
    color: str = "text"
    bold: bool = False
    italic: bool = False
    before: float = 0.0
    after: float = 0.6
    line: float = 1.15
    keep_with_next: bool = False
    outline_level: int | None = None
    indent: float = 0.0
    hanging: float = 0.0
    border: tuple[str, ...] = ()
    border_space: int = 1
    right_tab: WD_TAB_LEADER | None = None
    right_indent: float = 0.0


CONTENTS_NUMBERS = 3.0
"""The room, in font sizes, a contents entry's text leaves at the right for the leader and page number:
an entry's text wraps before it, and the number, on the tab stop at the margin, keeps its line."""

PAPER = "FFFFFF"
"""The colour "paper" names: white, for text on a header row shaded in the primary colour."""


def _hex(theme: Theme, color: str) -> str:
    """Return the theme colour named `color` ("primary", "paper", ...) as RRGGBB."""
    return PAPER if color == "paper" else str(getattr(theme.colors, color))[1:]


def _looks() -> tuple[Look, ...]:
    """Return every paragraph style's look, Normal first (the others build on it).

    The sizes are the theme's, as the PDF's are: a Heading 2 (a level's name) stands well
    above the Lead paragraph under it and below a chapter's.
    """
    return (
        Look(NORMAL, based_on="", after=0.6),
        Look(TITLE, size="title", color="primary", bold=True, after=0.5, line=1.0),
        Look(SUBTITLE, size="subtitle", color="muted", after=1.6, line=1.0),
        Look(COVER_META, size="meta", color="muted", after=0.3),
        Look(LEAD, size="lead", after=1.0),
        Look(NOTE, size="note", color="muted", after=0.5),
        Look(HEADINGS[1], size="heading1", color="primary", bold=True, before=1.6, after=0.6,
             line=1.0, keep_with_next=True, outline_level=0),
        Look(HEADINGS[2], size="heading2", color="primary", bold=True, before=1.3, after=0.4,
             line=1.0, keep_with_next=True, outline_level=1),
        Look(HEADINGS[3], size="heading3", color="primary", bold=True, before=1.0, after=0.3,
             line=1.0, keep_with_next=True, outline_level=2),
        Look(TABLE_TEXT, after=0.2, line=1.05),
        Look(TABLE_HEADING, based_on=TABLE_TEXT, color="paper", bold=True, after=0.2, line=1.05,
             keep_with_next=True),
        Look(FIELD_LABEL, size="label", color="muted", bold=True, before=0.4, after=0.15,
             keep_with_next=True),
        Look(FIELD_VALUE, border=("w:bottom",), after=0.8),
        Look(FIELD_BOX, after=0.0),
        Look(CHECK_ITEM, indent=2.0, hanging=2.0, before=0.2, after=0.2),
        Look(EVIDENCE, size=0.9, indent=2.0, border=("w:bottom",), after=0.5),
        Look(SIGNATURE_SPACE, after=0.0, line=1.0, keep_with_next=True),
        Look(SIGNATURE_CAPTION, size="caption", color="muted", after=0.2, line=1.0),
        Look(FIELD_HINT, size="caption", color="muted", before=0.2, after=0.8, line=1.0),
        Look(DIAGRAM, before=1.0, after=1.2, line=1.0),
        Look(PAGE_BREAK, size=0.1, after=0.0, line=1.0),
        Look(CLOSING, size=0.1, after=0.0, line=1.0),
        Look(HEADER, size="furniture", color="muted", after=0.0, line=1.0, border=("w:bottom",),
             border_space=4, right_tab=WD_TAB_LEADER.SPACES),
        Look(FOOTER, size="furniture", color="muted", after=0.0, line=1.0, border=("w:top",),
             border_space=4, right_tab=WD_TAB_LEADER.SPACES),
        Look(CONTENTS_LEVELS[1], bold=True, before=0.5, after=0.2,
             right_tab=WD_TAB_LEADER.DOTS, right_indent=CONTENTS_NUMBERS),
        Look(CONTENTS_LEVELS[2], indent=1.5, after=0.2, right_tab=WD_TAB_LEADER.DOTS,
             right_indent=CONTENTS_NUMBERS),
    )  # fmt: skip


def set_up_styles(document: DocxDocument, theme: Theme) -> None:
    """Define every style this writer names in `document`, from `theme` and its reference document.

    The styles are made once per theme and copied into each document: making them
    through python-docx costs some 50 ms a file, a copy a few.
    """
    document.part._styles_part._element = copy.deepcopy(_styles_of(theme))  # noqa: SLF001
    if theme.word_reference is not None:
        apply_reference_theme(document, theme.word_reference)


@functools.lru_cache(maxsize=4)
def _styles_of(theme: Theme) -> BaseOxmlElement:
    """Return the styles part of a blank document with every style of `theme` defined."""
    document = docx.Document()
    styles = document.styles
    _set_default_font(styles, theme)
    _keep_lines_of_paragraphs(styles)
    for look in _looks():
        _apply_look(_paragraph_style(styles, look.name), look, styles, theme)
    _style_list_bullet(styles, theme)
    _character_styles(styles, theme)
    _table_style(styles, theme)
    if theme.word_reference is not None:
        apply_reference_styles(styles.element, theme.word_reference)
    return styles.element


def _set_default_font(styles: Styles, theme: Theme) -> None:
    """Make `theme.word_font` at the base size the document default for Latin and complex scripts.

    East Asian text keeps the template's theme font: Latin fonts lack its glyphs.
    """
    properties = styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    fonts = properties.find(qn("w:rFonts"))
    for theme_attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme_attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attribute), theme.word_font)
    _set_size(properties, theme.font_size.points)


def _keep_lines_of_paragraphs(styles: Styles) -> None:
    """Never leave a paragraph's first or last line alone on a page (widow and orphan control).

    Word's own template sets it on Normal; python-docx's does not, and LibreOffice then
    left a table row's first line alone at the foot of a page.
    """
    properties = styles.element.find(f"{qn('w:docDefaults')}/{qn('w:pPrDefault')}/{qn('w:pPr')}")
    insert_in_order(properties, element("w:widowControl"), PARAGRAPH_PROPERTIES)


def _set_size(run_properties: etree._Element, points: float) -> None:
    """Set `w:sz` and `w:szCs` (Latin and complex-script size) in `run_properties` to `points`."""
    half_points = round(points * 2)
    for tag in ("w:sz", "w:szCs"):
        insert_in_order(run_properties, element(tag, w_val=half_points), RUN_PROPERTIES)


def _paragraph_style(styles: Styles, name: str) -> ParagraphStyle:
    """Return the paragraph style `name`, cleared of formatting; add it if missing."""
    if name in styles:
        style = styles[name]
        _clear(style)
    elif name in CONTENTS_LEVELS.values():
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH, builtin=True)
        style.style_id = name.upper().replace(" ", "")
    else:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.quick_style = True
    return style


def _clear(style: BaseStyle) -> None:
    """Remove `style`'s own paragraph and run formatting."""
    for tag in ("w:pPr", "w:rPr", "w:tblPr"):
        for child in style.element.findall(qn(tag)):
            style.element.remove(child)


def _apply_look(style: ParagraphStyle, look: Look, styles: Styles, theme: Theme) -> None:
    """Give `style` the fonts, colour and spacing of `look` at `theme`'s base size."""
    base = theme.font_size.points
    style.base_style = styles[look.based_on] if look.based_on else None
    _set_font(style, look, theme)
    paragraph = style.paragraph_format
    paragraph.space_before = Pt(look.before * base)
    paragraph.space_after = Pt(look.after * base)
    paragraph.line_spacing = look.line
    if look.keep_with_next:
        paragraph.keep_with_next = paragraph.keep_together = True
    if look.indent:
        paragraph.left_indent = Pt(look.indent * base)
    if look.hanging:
        paragraph.first_line_indent = Pt(-look.hanging * base)
    if look.right_indent:
        paragraph.right_indent = Pt(look.right_indent * base)
    if look.right_tab is not None:
        paragraph.tab_stops.add_tab_stop(text_width(theme), WD_TAB_ALIGNMENT.RIGHT, look.right_tab)
    _add_paragraph_extras(style, look, theme)


def _set_font(style: ParagraphStyle, look: Look, theme: Theme) -> None:
    """Set the size, weight, slant and colour of `style` from `look` (for complex scripts too)."""
    font = style.font
    scale = getattr(theme.sizes, look.size) if isinstance(look.size, str) else look.size
    _set_size(style.element.get_or_add_rPr(), scale * theme.font_size.points)
    font.bold = font.cs_bold = look.bold or None
    font.italic = font.cs_italic = look.italic or None
    font.color.rgb = RGBColor.from_string(_hex(theme, look.color))


def _add_paragraph_extras(style: ParagraphStyle, look: Look, theme: Theme) -> None:
    """Add what python-docx has no API for: the outline level and paragraph borders."""
    properties = style.element.get_or_add_pPr()
    if look.border:
        rule = borders("w:pBdr", look.border, theme.colors.rule, space=look.border_space)
        insert_in_order(properties, rule, PARAGRAPH_PROPERTIES)
    if look.outline_level is not None:
        level = element("w:outlineLvl", w_val=look.outline_level)
        insert_in_order(properties, level, PARAGRAPH_PROPERTIES)


def _style_list_bullet(styles: Styles, theme: Theme) -> None:
    """Give List Bullet its look while keeping the template's bullet numbering (numId 1)."""
    style = styles[LIST_BULLET]
    _clear(style)
    base = theme.font_size.points
    style.base_style = styles[NORMAL]
    properties = style.element.get_or_add_pPr()
    numbering = element("w:numPr")
    numbering.append(element("w:numId", w_val=1))
    insert_in_order(properties, numbering, PARAGRAPH_PROPERTIES)
    style.paragraph_format.space_after = Pt(0.3 * base)


def _character_styles(styles: Styles, theme: Theme) -> None:
    """Add the character styles for placeholders, internal links, checkboxes and the personal line."""
    placeholder = _character_style(styles, PLACEHOLDER, builtin=True)
    placeholder.font.color.rgb = RGBColor.from_string(theme.colors.muted[1:])
    link = _character_style(styles, HYPERLINK, builtin=True)
    link.font.color.rgb = RGBColor.from_string(theme.colors.primary[1:])
    link.font.underline = True
    check_box = _character_style(styles, CHECK_BOX)
    fonts = check_box.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), CHECK_BOX_FONT)
    fonts.set(qn("w:hint"), "eastAsia")
    _set_size(check_box.element.get_or_add_rPr(), theme.font_size.points * 1.2)
    personal = _character_style(styles, PERSONAL_LINE)  # looks like the header's text: it marks a slot
    assert personal.style_id == PERSONAL_LINE_ID, "the id by which filled copies find the slot"


def _character_style(styles: Styles, name: str, *, builtin: bool = False) -> CharacterStyle:
    """Return a new character style `name` based on the default paragraph font.

    `builtin` marks a style Word knows by that name (its template only lists it as latent).
    """
    style = styles.add_style(name, WD_STYLE_TYPE.CHARACTER, builtin=builtin)
    style.base_style = styles["Default Paragraph Font"]
    style.priority = 99
    return style


def _table_style(styles: Styles, theme: Theme) -> None:
    """Add the table style: thin rules in the theme's rule colour and roomy cell margins."""
    style = styles.add_style(TABLE, WD_STYLE_TYPE.TABLE)
    style.base_style = styles["Normal Table"]
    properties = element("w:tblPr")
    sides = ("w:top", "w:left", "w:bottom", "w:right", "w:insideH", "w:insideV")
    properties.append(borders("w:tblBorders", sides, theme.colors.rule))
    margins = element("w:tblCellMar")
    for side, twips in (("w:top", 57), ("w:left", CELL_MARGIN), ("w:bottom", 57), ("w:right", CELL_MARGIN)):
        margins.append(element(side, w_w=twips, w_type="dxa"))
    insert_in_order(properties, margins, TABLE_PROPERTIES)
    insert_in_order(style.element, properties, STYLE_CHILDREN)
