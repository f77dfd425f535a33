"""SVG logos: drawn as vectors in PDFs (svglib) and as a PNG for Word (resvg).

The PDF writer draws svglib's reportlab Drawing itself, so the logo stays vectors.
Word shows an SVG picture only from Office 2016 on, and LibreOffice and Google Docs
show the PNG a Word file carries beside it; resvg draws that PNG.

Both read the SVG with every reference to another file or a URL taken out (an
`<image>` of `/home/someone/secret.png`, say), so a logo can never carry into a
document a file it only names.
"""

from __future__ import annotations

import functools
import io
import logging
from pathlib import Path

from lxml import etree
from reportlab.graphics import shapes

from guide.glyphs import DEJAVU_SANS

MAX_SVG_BYTES = 5_000_000
"""An SVG logo larger than this is refused (a logo is a few kilobytes)."""

_HREFS = ("href", "{http://www.w3.org/1999/xlink}href")


def svg_problem(path: Path) -> str | None:
    """Return why the SVG file at `path` cannot be a logo, or None if it can (for theme errors)."""
    try:
        read_drawing(path)
    except ValueError as error:
        return str(error)
    return None


@functools.cache
def read_drawing(path: Path) -> shapes.Drawing:
    """Return the SVG at `path` as a reportlab Drawing; raise ValueError saying what is wrong with it."""
    drawing = _drawing_of(etree.tostring(_safe_svg(path)))
    if not (drawing.width > 0 and drawing.height > 0):
        raise ValueError("has no size: give its <svg> element a viewBox, or a width and height")
    return drawing


@functools.cache
def _safe_svg(path: Path) -> etree._Element:
    """Return the SVG at `path` parsed, without references outside itself; raise ValueError if not SVG."""
    data = path.read_bytes()
    if len(data) > MAX_SVG_BYTES:
        raise ValueError(f"is larger than {MAX_SVG_BYTES:,} bytes")
    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise ValueError(f"is not well-formed SVG: {error}") from None
    if etree.QName(root).localname != "svg":
        raise ValueError(f"is not an SVG image (its root element is <{etree.QName(root).localname}>)")
    for element in root.iter():
        for name in _HREFS:
            if not element.get(name, "#").startswith(("#", "data:")):
                del element.attrib[name]
    return root


def _drawing_of(data: bytes) -> shapes.Drawing:
    from svglib.svglib import svg2rlg

    logging.getLogger("svglib.svglib").setLevel(logging.CRITICAL)  # its problems become ours, below
    try:
        drawing = svg2rlg(io.BytesIO(data))
    except Exception as error:  # svglib raises whatever its parsing of attributes meets
        raise ValueError(f"cannot be drawn: {error}") from None
    if drawing is None:
        raise ValueError("cannot be read as SVG")
    return drawing


def png_bytes(path: Path, height: int) -> bytes:
    """Return the SVG logo at `path` as a PNG `height` pixels high (transparent where it draws nothing).

    resvg draws it, with DejaVu Sans for any text, so the picture is the same on every machine.
    """
    import resvg_py

    text = etree.tostring(_safe_svg(path), encoding="unicode")
    font = str(DEJAVU_SANS)
    return bytes(
        resvg_py.svg_to_bytes(svg_string=text, height=height, skip_system_fonts=True, font_files=[font])
    )
