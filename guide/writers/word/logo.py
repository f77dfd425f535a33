"""The theme's logo in Word: a PNG or JPEG picture, or an SVG with a PNG beside it.

Word 2016 and later draw the SVG (`asvg:svgBlip`, an extension of the picture's
blip); older Word, LibreOffice and Google Docs draw the PNG the picture also holds,
drawn from the SVG at print resolution (see `guide.writers.svg`). The SVG stored is
the cleaned one svglib and resvg draw, never the file's own bytes, so no script,
DOCTYPE or reference to another file or a URL in the logo reaches a Word file.
"""

from __future__ import annotations

import io

from docx.opc.constants import RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.ns import qn
from docx.shape import InlineShape
from docx.shared import Length
from docx.text.run import Run
from lxml import etree

from guide.inputs import read_bounded
from guide.theme import MAX_LOGO_BYTES, Logo
from guide.writers.svg import clean_svg, png_bytes

SVG_EXTENSION = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"
"""The `a:ext` uri under which Office 2016 looks for an SVG picture."""
SVG_NAMESPACE = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"
SVG_CONTENT_TYPE = "image/svg+xml"
DECORATIVE_EXTENSION = "{C183D7F6-B498-43B3-948B-1728B52AA6E4}"
DECORATIVE_NAMESPACE = "http://schemas.microsoft.com/office/drawing/2017/decorative"
"""Where Office 2019 and later read that a picture is decorative (it says nothing)."""
FALLBACK_DOTS_PER_INCH = 300


def add_logo(run: Run, logo: Logo, height: Length, max_width: Length, alt: str) -> InlineShape:
    """Add `logo` to `run`, `height` high unless that makes it wider than `max_width`; return the picture.

    `alt` is what it says to readers who cannot see it: the organization's name.
    """
    if logo.kind == "svg":
        pixels = max(1, round(height.inches * FALLBACK_DOTS_PER_INCH * 2))  # twice: it may be drawn larger
        picture = run.add_picture(io.BytesIO(png_bytes(logo.path, pixels)), height=height)
        add_svg(run, picture, clean_svg(logo.path))
    else:
        picture = run.add_picture(io.BytesIO(read_bounded(logo.path, MAX_LOGO_BYTES)), height=height)
    if picture.width > max_width:
        picture.height = Length(int(picture.height * max_width / picture.width))
        picture.width = max_width
    picture._inline.docPr.set("descr", alt)  # noqa: SLF001 - alt text has no API
    without_wrap_distance(picture)
    return picture


def mark_decorative(properties: etree._Element) -> None:
    """Mark the picture whose `wp:docPr` is `properties` as decorative: screen readers pass over it."""
    properties.set("descr", "")
    extensions = etree.SubElement(properties, qn("a:extLst"))
    extension = etree.SubElement(extensions, qn("a:ext"), uri=DECORATIVE_EXTENSION)
    etree.SubElement(
        extension, f"{{{DECORATIVE_NAMESPACE}}}decorative", nsmap={"adec": DECORATIVE_NAMESPACE}, val="1"
    )


def without_wrap_distance(picture: InlineShape) -> None:
    """Leave no space around `picture`, as Word does when it is not said.

    python-docx writes no distances; LibreOffice then keeps about 9 pt at each side, and a
    picture as wide as the text runs that far past the right margin.
    """
    for side in ("distT", "distB", "distL", "distR"):
        picture._inline.set(side, "0")  # noqa: SLF001 - python-docx has no API for them


def add_svg(run: Run, picture: InlineShape, svg: bytes) -> None:
    """Store `svg` in the package (once) and name it in the picture's blip, beside its PNG."""
    part = run.part
    relationship = part.relate_to(_svg_part(part.package, svg), RELATIONSHIP_TYPE.IMAGE)
    blip = picture._inline.find(f".//{qn('a:blip')}")  # noqa: SLF001 - python-docx has no SVG support
    assert blip is not None, "python-docx makes every picture with a blip"
    extensions = etree.SubElement(blip, qn("a:extLst"))
    extension = etree.SubElement(extensions, qn("a:ext"), uri=SVG_EXTENSION)
    reference = etree.SubElement(extension, f"{{{SVG_NAMESPACE}}}svgBlip", nsmap={"asvg": SVG_NAMESPACE})
    reference.set(qn("r:embed"), relationship)


def _svg_part(package, data: bytes) -> Part:  # type: ignore[no-untyped-def]
    """Return the package's part holding the SVG `data`, adding it the first time."""
    for part in package.iter_parts():
        if part.content_type == SVG_CONTENT_TYPE and part.blob == data:
            return part
    name = PackURI(package.next_partname("/word/media/image%d.svg"))
    return Part(name, SVG_CONTENT_TYPE, data, package)
