"""Every look the PDF writer uses, built from the Theme in one place.

Paragraph roles, heading levels, the table of contents, form labels and page
furniture are named styles here; the rest of the writer only picks styles by
name and never sets a font, size or colour of its own.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from reportlab.lib.colors import Color, HexColor, white
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle

from guide.model import DEFAULT_LANGUAGE, PARAGRAPH_ROLES, written_right_to_left
from guide.theme import TextSizes, Theme
from guide.writers.pdf import fonts
from guide.writers.pdf.direction import RIGHT_TO_LEFT


@dataclass(frozen=True)
class Palette:
    """The theme's colours as reportlab colours."""

    text: Color
    primary: Color
    accent: Color
    muted: Color
    rule: Color
    shade: Color
    paper: Color

    @property
    def primary_hex(self) -> str:
        """Return the primary colour as `#RRGGBB`, for colour attributes in markup."""
        return "#" + self.primary.hexval()[2:]


@dataclass(frozen=True)
class Metrics:
    """Lengths in points that scale with the theme's base font size."""

    base: float
    text_height: float
    """The height of a body page's frame: the page less its top and bottom margins."""
    text_width: float
    """The width of a page's frame: the page less its left and right margins."""
    rule_width: float = 0.5
    field_line_width: float = 0.75

    @property
    def checkbox(self) -> float:
        """Return the side of a checklist box."""
        return self.base * 1.15

    @property
    def gutter(self) -> float:
        """Return the gap between a box or label and the text beside it."""
        return self.base * 0.7

    @property
    def field_height(self) -> float:
        """Return the height of a one-line form field."""
        return self.base * 1.9

    @property
    def field_font_size(self) -> float:
        """Return the font size typed text gets inside form fields."""
        return self.base

    @property
    def block_gap(self) -> float:
        """Return the space after a form block, list or table."""
        return self.base * 0.8


@dataclass(frozen=True)
class Styles:
    """Named paragraph styles, colours and metrics for one theme."""

    palette: Palette
    metrics: Metrics
    typeface: fonts.Typeface
    roles: Mapping[str, ParagraphStyle]
    headings: tuple[ParagraphStyle, ParagraphStyle, ParagraphStyle]
    bullet: ParagraphStyle
    header_cell: ParagraphStyle
    header_bullet: ParagraphStyle
    label: ParagraphStyle
    caption: ParagraphStyle
    toc_title: ParagraphStyle
    toc_levels: tuple[ParagraphStyle, ParagraphStyle]
    toc_leader: ParagraphStyle
    """The dots between a contents entry and its page number, the same at every level."""
    furniture: ParagraphStyle

    @property
    def right_to_left(self) -> bool:
        """True for a right-to-left document: its pages are laid out from the right."""
        return self.typeface.right_to_left

    def paragraph(self, role: str) -> ParagraphStyle:
        """Return the style for paragraph `role`, one of the model's PARAGRAPH_ROLES."""
        return self.roles[role]

    def heading(self, level: int) -> ParagraphStyle:
        """Return the style for a heading of `level` 1, 2 or 3."""
        return self.headings[level - 1]


@dataclass(frozen=True)
class Look:
    """One named style as data: spaces in multiples of the base font size.

    `parent` names the look this one starts from; `color` names a Palette colour. `size`
    names the kind of text in the theme's sizes (`TextSizes`) whose size it takes, and
    `leading` is the distance of its lines in times that size.
    """

    parent: str = "body"
    bold: bool = False
    size: str | None = None
    leading: float | None = None
    color: str | None = None
    before: float | None = None
    after: float | None = None
    indent: float | None = None
    right_indent: float | None = None


LOOKS: dict[str, Look] = {
    # paragraph roles
    "title": Look(bold=True, size="title", leading=1.18, color="primary", after=0.8),
    "subtitle": Look(size="subtitle", leading=1.31, after=2.4),
    "meta": Look(size="meta", leading=1.33, color="muted", after=0.3),
    "lead": Look(size="lead", leading=1.42, after=1.0),
    "note": Look(size="note", leading=1.41, color="muted"),
    # headings: each a fifth or a quarter above the next (shipped: 1.8, 1.5 and 1.2 times the
    # base), so a heading 2 (a level's name) stands well above the lead paragraph under it
    "heading1": Look(bold=True, size="heading1", leading=1.25, color="primary", before=0.6, after=0.8),
    "heading2": Look(bold=True, size="heading2", leading=1.27, color="primary", before=1.2, after=0.5),
    "heading3": Look(bold=True, size="heading3", leading=1.25, color="primary", before=0.9, after=0.35),
    # lists, tables and forms
    "bullet": Look(indent=1.5, after=0.25),
    "header_cell": Look(bold=True, color="paper", after=0),
    "header_bullet": Look(parent="bullet", bold=True, color="paper"),
    "label": Look(bold=True, size="label", leading=1.33, after=0),
    "caption": Look(size="caption", leading=1.25, color="muted", after=0),
    # contents and page furniture
    "toc_title": Look(bold=True, size="heading1", leading=1.22, color="primary", after=1.2),
    "toc_level1": Look(bold=True, before=0.6, after=0.15, right_indent=3.0),
    "toc_level2": Look(indent=1.5, after=0.1, right_indent=3.0),
    "toc_leader": Look(color="muted"),
    "furniture": Look(size="furniture", leading=1.25, color="muted"),
}
"""Every style but "body", which the others start from (see `_body`)."""


def build_styles(theme: Theme, language: str = DEFAULT_LANGUAGE) -> Styles:
    """Return the named styles for `theme`, registering the fonts they use, for a document in `language`.

    It takes the theme's font for that language, if any; the styles of a language written
    right to left align at the right, with bullets and indents there.
    """
    right_to_left = written_right_to_left(language)
    typeface = fonts.register_typeface(theme.fonts.for_language(language))
    typeface = dataclasses.replace(typeface, right_to_left=right_to_left)
    palette = _palette(theme)
    base = theme.font_size.points
    built = {"body": _body(palette, base, typeface)}
    for name, look in LOOKS.items():
        mirrored = dataclasses.replace(look, indent=look.right_indent, right_indent=look.indent)
        built[name] = _style(
            name, mirrored if right_to_left else look, built, palette, base, typeface, theme.sizes
        )
    return Styles(
        palette=palette,
        metrics=Metrics(base=base, text_height=_text_height(theme), text_width=_text_width(theme)),
        typeface=typeface,
        roles=MappingProxyType({role: built[role] for role in PARAGRAPH_ROLES}),
        headings=(built["heading1"], built["heading2"], built["heading3"]),
        bullet=built["bullet"],
        header_cell=built["header_cell"],
        header_bullet=built["header_bullet"],
        label=built["label"],
        caption=built["caption"],
        toc_title=built["toc_title"],
        toc_levels=(built["toc_level1"], built["toc_level2"]),
        toc_leader=built["toc_leader"],
        furniture=built["furniture"],
    )


def _text_width(theme: Theme) -> float:
    width, _height = theme.page_points
    return width - theme.margins.left.points - theme.margins.right.points


def _text_height(theme: Theme) -> float:
    _width, height = theme.page_points
    return height - theme.margins.top.points - theme.margins.bottom.points


def _body(palette: Palette, base: float, typeface: fonts.Typeface) -> ParagraphStyle:
    right_to_left = typeface.right_to_left
    return ParagraphStyle(
        "body",
        alignment=TA_RIGHT if right_to_left else TA_LEFT,
        wordWrap=RIGHT_TO_LEFT if right_to_left else None,
        fontName=typeface.regular,
        fontSize=base,
        leading=base * 1.4,
        textColor=palette.text,
        spaceAfter=base * 0.6,
        bulletFontName=typeface.regular,
        bulletIndent=base * 0.3,
    )


def _style(
    name: str,
    look: Look,
    built: dict[str, ParagraphStyle],
    palette: Palette,
    base: float,
    typeface: fonts.Typeface,
    sizes: TextSizes,
) -> ParagraphStyle:
    """Return the ParagraphStyle for `look`, started from its already `built` parent."""
    overrides: dict[str, Any] = {}  # ParagraphStyle keywords of several types: a font, lengths, a colour
    if look.bold:
        overrides["fontName"] = typeface.bold
    size = getattr(sizes, look.size) if look.size else None
    lengths = {
        "fontSize": size,
        "leading": look.leading * size if look.leading and size else None,
        "spaceBefore": look.before,
        "spaceAfter": look.after,
        "leftIndent": look.indent,
        "rightIndent": look.right_indent,
    }
    overrides |= {key: value * base for key, value in lengths.items() if value is not None}
    if look.color is not None:
        overrides["textColor"] = getattr(palette, look.color)
    return ParagraphStyle(name, parent=built[look.parent], **overrides)


def _palette(theme: Theme) -> Palette:
    colors = theme.colors
    return Palette(
        text=HexColor(colors.text),
        primary=HexColor(colors.primary),
        accent=HexColor(colors.accent),
        muted=HexColor(colors.muted),
        rule=HexColor(colors.rule),
        shade=HexColor(colors.shade),
        paper=white,
    )
