"""The cover's band: the primary colour across the top of the paper, an accent line under it.

As on the PDF cover. Word keeps text out of the margins, so the band is a picture in
the cover's own header, anchored to the page's top left corner behind the text.
"""

from __future__ import annotations

import io

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.shape import CT_Inline
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import _Header
from docx.shared import Pt
from lxml import etree
from PIL import Image

from guide.theme import Theme
from guide.writers.word.logo import mark_decorative

BAND_OF_TOP_MARGIN = 0.55
"""The band's height as a share of the top margin (the PDF cover's)."""

ACCENT_OF_BAND = 0.12
"""The accent line's height as a share of the band's."""


def add_cover_band(header: _Header, theme: Theme) -> None:
    """Put the band in `header` (the cover's own), the full width of the paper."""
    width, _height = theme.page_points
    band = theme.margins.top.points * BAND_OF_TOP_MARGIN
    picture = _band_png(theme.colors.primary, theme.colors.accent)
    run = header.paragraphs[0].add_run()
    inline = run.add_picture(io.BytesIO(picture), width=Pt(width), height=Pt(band * (1 + ACCENT_OF_BAND)))
    mark_decorative(inline._inline.docPr)  # noqa: SLF001 - python-docx has no API for it
    _anchor_to_page_corner(inline._inline)  # noqa: SLF001 - python-docx only makes inline pictures


def _band_png(primary: str, accent: str) -> bytes:
    """Return a picture one pixel wide of the band: the primary colour over the accent line."""
    band_rows = 100
    image = Image.new("RGB", (1, round(band_rows * (1 + ACCENT_OF_BAND))), accent)
    image.paste(primary, (0, 0, 1, band_rows))
    output = io.BytesIO()
    image.save(output, format="PNG")
    return output.getvalue()


def _anchor_to_page_corner(inline: CT_Inline) -> None:
    """Replace the `wp:inline` picture by a `wp:anchor` at the page's top left, behind the text."""
    anchor = parse_xml(
        f'<wp:anchor {nsdecls("wp")} distT="0" distB="0" distL="0" distR="0" simplePos="0"'
        ' relativeHeight="0" behindDoc="1" locked="1" layoutInCell="1" allowOverlap="1">'
        '<wp:simplePos x="0" y="0"/>'
        '<wp:positionH relativeFrom="page"><wp:posOffset>0</wp:posOffset></wp:positionH>'
        '<wp:positionV relativeFrom="page"><wp:posOffset>0</wp:posOffset></wp:positionV>'
        "</wp:anchor>"
    )
    anchor.append(_child(inline, "wp:extent"))
    anchor.append(parse_xml(f'<wp:effectExtent {nsdecls("wp")} l="0" t="0" r="0" b="0"/>'))
    anchor.append(parse_xml(f"<wp:wrapNone {nsdecls('wp')}/>"))
    for name in ("wp:docPr", "wp:cNvGraphicFramePr", "a:graphic"):  # the order the schema asks for
        anchor.append(_child(inline, name))
    parent = inline.getparent()
    assert parent is not None, "a picture python-docx made sits in its run's drawing"
    parent.replace(inline, anchor)


def _child(element: BaseOxmlElement, name: str) -> etree._Element:
    child = element.find(qn(name))
    assert child is not None, f"python-docx makes every inline picture with a {name}"
    return child
