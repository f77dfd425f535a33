"""Inline runs -> reportlab paragraph markup, every character of text escaped first."""

from __future__ import annotations

import string
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas

from guide.model import LINE_BREAK, Inline, Span
from guide.scripts import shaped_words, visual_order
from guide.writers.pdf.direction import DirectedParagraph
from guide.writers.pdf.fonts import Typeface

_SAFE_KEY_CHARACTERS = frozenset(string.ascii_letters + string.digits + "-")


def anchor_key(anchor: str) -> str:
    """Return the PDF destination name for heading `anchor`.

    Destination names end up inside markup attributes and PDF strings, so every
    character outside `[A-Za-z0-9-]` is spelled `_XXXX` (its code point in hex);
    the mapping is one-to-one, so distinct anchors stay distinct.
    """
    spelled = (
        character if character in _SAFE_KEY_CHARACTERS else f"_{ord(character):04x}" for character in anchor
    )
    return "h-" + "".join(spelled)


def inline_markup(spans: Inline, link_color: str, typeface: Typeface) -> str:
    """Return paragraph markup for `spans` in `typeface`; links are drawn in `link_color` (`#RRGGBB`)."""
    return "".join(span_markup(span, link_color, typeface) for span in spans)


def span_markup(span: Span, link_color: str, typeface: Typeface) -> str:
    """Return the markup for one `span`: escaped text, forced breaks, then its formatting."""
    markup = plain_markup(span.text, typeface)
    if span.bold:
        markup = f"<b>{markup}</b>"
    if span.italic:
        markup = f"<i>{markup}</i>"
    if span.link is not None:
        markup = f'<a href="#{anchor_key(span.link)}" color="{link_color}">{markup}</a>'
    return markup


def plain_markup(text: str, typeface: Typeface) -> str:
    """Return unformatted `text` as paragraph markup: escaped, forced line breaks kept.

    Right-to-left runs come in visual order (in a right-to-left document, each word: see
    `pdf.direction`); runs that the regular face of `typeface` cannot draw name the
    fallback font that can.
    """
    parts = []
    for font, run in typeface.runs(shaped_words(text) if typeface.right_to_left else visual_order(text)):
        markup = escape(run).replace(LINE_BREAK, "<br/>")
        parts.append(markup if font == typeface.regular else f'<font face="{font}">{markup}</font>')
    return "".join(parts)


def draw_text(
    canvas: Canvas, text: str, style: ParagraphStyle, typeface: Typeface, left: float, baseline: float
) -> float:
    """Draw one line of unformatted `text` in `style` from `left` on `baseline`; return its width.

    A paragraph, not drawString, so that fallback fonts (a Japanese caption) and
    right-to-left runs are drawn right.
    """
    width = typeface.width(text, style.fontSize)
    paragraph = DirectedParagraph(plain_markup(text, typeface), style)
    _, height = paragraph.wrap(width + style.fontSize, style.leading * 3)  # room to spare: one line
    spare = (
        style.fontSize if style.alignment == TA_RIGHT else 0.0
    )  # a right-aligned line ends at the room's end
    paragraph.drawOn(canvas, left - spare, baseline - (height - style.fontSize))
    return width


def destination_markup(anchor: str | None) -> str:
    """Return the markup that makes a paragraph the link target for `anchor` (or nothing)."""
    if anchor is None:
        return ""
    return f'<a name="{anchor_key(anchor)}"/>'


def single_line(text: str) -> str:
    """Return `text` with forced line breaks turned into spaces, for outlines and contents."""
    return " ".join(text.split(LINE_BREAK))
