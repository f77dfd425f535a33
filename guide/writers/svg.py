"""SVG logos: drawn as vectors in PDFs (svglib) and as a PNG for Word (resvg), stored cleaned in Word.

The PDF writer draws svglib's reportlab Drawing itself, so the logo stays vectors.
Word shows an SVG picture only from Office 2016 on, and LibreOffice and Google Docs
show the PNG a Word file carries beside it; resvg draws that PNG.

All three (svglib, resvg and the SVG a Word file holds) get the same cleaned SVG
(`clean_svg`): no DOCTYPE, its internal entities written out, and no comment,
processing instruction, script, event attribute, animation, foreign element or
reference to another file or a URL (an `<image>` of `/home/someone/secret.png`, a
`javascript:` link, a tracking picture), so a logo can never carry into a document
a file it only names, nor make a reader fetch or run anything. Its size is bounded
before anything draws it: its bytes, its elements counting each copy a `<use>`
makes, its nesting, its style sheets, its proportions and the PNG's pixels, so a
hostile logo is a theme error in seconds rather than minutes or gigabytes.
"""

from __future__ import annotations

import base64
import binascii
import functools
import io
import logging
import re
from pathlib import Path

from lxml import etree
from reportlab.graphics import shapes

from guide.glyphs import DEJAVU_SANS
from guide.inputs import read_bounded

MAX_SVG_BYTES = 5_000_000
"""An SVG logo larger than this is refused (a logo is a few kilobytes)."""
MAX_DRAWN_ELEMENTS = 10_000
"""The most elements a logo may draw, each `<use>` counting as a copy of what it repeats.
svglib takes about a third of a millisecond per element, so this keeps a logo to seconds."""
PATH_CHARACTERS_PER_ELEMENT = 200
"""Path data weighs as one element per this many characters (svglib reads both at the same pace)."""
MAX_NESTING = 64
"""How deep elements may nest, counting each `<use>` (svglib draws them by recursion)."""
MAX_STYLE_CHARACTERS = 50_000
"""The most characters of `<style>` sheets: svglib matches each rule against each element."""
MAX_PNG_SIDE = 2000
"""The longest side, in pixels, of the PNG drawn for Word (a logo 8 cm wide at 600 dpi is 1,900)."""
MAX_PROPORTION = 50
"""A logo may be at most this many times as wide as it is high, or as high as it is wide."""
PROBE_HEIGHT = 32
"""The height of the PNG drawn when a theme is checked, to learn early whether resvg can draw it."""

XLINK = "http://www.w3.org/1999/xlink"
XML = "http://www.w3.org/XML/1998/namespace"
HREFS = ("href", f"{{{XLINK}}}href")
KEPT_FOREIGN_ATTRIBUTES = frozenset({f"{{{XLINK}}}href", f"{{{XML}}}space", f"{{{XML}}}lang"})
"""The only attributes outside SVG's own that are kept (`xml:base` would move every address)."""
REMOVED_ELEMENTS = frozenset(
    {"script", "handler", "foreignObject", "metadata"}
    | {"animate", "animateColor", "animateMotion", "animateTransform", "set", "discard"}
)
"""SVG elements that run code, hold another language or change attributes over time: never drawn here."""
EMBEDDED_PICTURES = ("data:image/png;base64,", "data:image/jpeg;base64,", "data:image/jpg;base64,")

SIMPLIFY = "simplify it (merge its shapes) or use a PNG"

_FOREIGN_URL = re.compile(r"""url\(\s*(?!['"]?\s*#)[^)]*\)""", re.IGNORECASE)
"""A CSS `url(...)` naming anything but an element of the logo itself."""
_IMPORT = re.compile(r"@import[^;]*;?", re.IGNORECASE)
_LOCAL_URL = re.compile(r"""url\(\s*['"]?\s*#([^'")\s]+)""")


def svg_problem(path: Path) -> str | None:
    """Return why the SVG file at `path` cannot be a logo, or None if it can (for theme errors)."""
    try:
        read_drawing(path)
        png_bytes(path, PROBE_HEIGHT)
    except ValueError as error:  # UnreadableInput too: "is larger than 5,000,000 bytes"
        return str(error)
    return None


@functools.cache
def clean_svg(path: Path) -> bytes:
    """Return the SVG at `path` cleaned (see the module's notes): what svglib, resvg and Word files get.

    Raise ValueError saying what is wrong with it.
    """
    root = _parsed(read_bounded(path, MAX_SVG_BYTES))
    count = sum(1 for _ in root.iter())
    if count > MAX_DRAWN_ELEMENTS:
        raise ValueError(
            f"has {count:,} elements, more than a logo may have ({MAX_DRAWN_ELEMENTS:,}): {SIMPLIFY}"
        )
    _clean(root)
    _check_size(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


@functools.cache
def read_drawing(path: Path) -> shapes.Drawing:
    """Return the SVG at `path` as a reportlab Drawing; raise ValueError saying what is wrong with it."""
    drawing = _drawing_of(clean_svg(path))
    if not (drawing.width > 0 and drawing.height > 0):
        raise ValueError("has no size: give its <svg> element a viewBox, or a width and height")
    wide = drawing.width >= drawing.height
    proportion = drawing.width / drawing.height if wide else drawing.height / drawing.width
    if proportion > MAX_PROPORTION:
        raise ValueError(
            f"is {proportion:,.0f} times as {'wide as it is high' if wide else 'high as it is wide'}:"
            f" a logo may be at most {MAX_PROPORTION} times as wide as it is high, or as high as it is wide"
        )
    return drawing


def png_bytes(path: Path, height: int) -> bytes:
    """Return the SVG logo at `path` as a PNG `height` pixels high (transparent where it draws nothing).

    The PNG fits in `MAX_PNG_SIDE` pixels each way, keeping the logo's proportions, so
    a wide logo comes out less high. resvg draws it, with DejaVu Sans for any text,
    so the picture is the same on every machine. Raise ValueError if it cannot.
    """
    import resvg_py

    read_drawing(path)  # the logo's proportions are checked there, so neither side comes out below 1 pixel
    text = clean_svg(path).decode("utf-8")
    fonts = [str(DEJAVU_SANS)]
    box = max(1, min(height, MAX_PNG_SIDE))  # resvg fits the logo in MAX_PNG_SIDE x box
    try:
        png = resvg_py.svg_to_bytes(
            svg_string=text, width=MAX_PNG_SIDE, height=box, skip_system_fonts=True, font_files=fonts
        )
    except ValueError as error:
        raise ValueError(f"cannot be drawn: {error}") from None
    return bytes(png)


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


# --- reading ---------------------------------------------------------------------------------


def _parsed(data: bytes) -> etree._Element:
    """Return the SVG `data` parsed, its internal entities written out; raise ValueError if it is not SVG.

    libxml2 refuses an entity that names a file or address (it is left undefined, as no
    DTD is ever loaded) and entities that expand beyond a small multiple of the file.
    """
    parser = etree.XMLParser(
        resolve_entities="internal",  # type: ignore[arg-type]  # lxml 5 and later; the stubs know only bools
        load_dtd=False,
        no_network=True,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        external = [name for name in _external_entities(data) if f"'{name}'" in str(error)]
        if external:
            raise ValueError(
                f"uses the entity '{external[0]}', which names a file or an address outside the logo:"
                " a logo must hold everything it draws, so take the entity out"
            ) from None
        raise ValueError(f"is not well-formed SVG: {error}") from None
    if etree.QName(root).localname != "svg":
        raise ValueError(f"is not an SVG image (its root element is <{etree.QName(root).localname}>)")
    return root


def _external_entities(data: bytes) -> list[str]:
    """Return the names of the entities the DOCTYPE of `data` declares as a file or an address."""
    parser = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, recover=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        return []
    declarations = root.getroottree().docinfo.internalDTD if root is not None else None  # None: hopeless
    if declarations is None:
        return []
    entities = declarations.iterentities()  # type: ignore[union-attr]  # missing from lxml's stubs
    return [entity.name for entity in entities if entity.system_url]


# --- cleaning --------------------------------------------------------------------------------


def _clean(root: etree._Element) -> None:
    """Take out of `root` everything that runs, fetches, or names something outside the logo."""
    namespace = etree.QName(root).namespace
    for element in list(root.iter(etree.Element)):  # a list: elements are removed on the way
        name = etree.QName(element)
        if element is not root and (name.namespace != namespace or name.localname in REMOVED_ELEMENTS):
            _remove(element)
            continue
        _clean_attributes(element)
        if name.localname == "style" and element.text:
            element.text = _IMPORT.sub("", _FOREIGN_URL.sub("none", element.text))
    etree.cleanup_namespaces(root)  # the declarations of the namespaces just taken out


def _remove(element: etree._Element) -> None:
    """Remove `element`, keeping the text after it (a `<text>` may go on past a removed element)."""
    parent = element.getparent()
    if parent is None:
        return  # inside an element removed before
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _clean_attributes(element: etree._Element) -> None:
    for name, value in list(element.attrib.items()):
        name = str(name)
        foreign = name.startswith("{") and name not in KEPT_FOREIGN_ATTRIBUTES
        if foreign or name.lower().startswith("on") or (name in HREFS and not _kept_address(str(value))):
            del element.attrib[name]
        elif "url(" in value.lower():
            element.set(name, _FOREIGN_URL.sub("none", str(value)))


def _kept_address(href: str) -> bool:
    """Return whether `href` names part of the logo itself or a PNG or JPEG it holds (checked for size)."""
    href = href.strip()
    if href.startswith("#"):
        return True
    if not href.lower().startswith(EMBEDDED_PICTURES):
        return False
    from guide.pictures import PictureTooLarge, open_picture

    try:
        open_picture(base64.b64decode(href.partition(",")[2])).close()
    except PictureTooLarge as error:
        raise ValueError(f"embeds a picture that {error}") from None
    except (binascii.Error, OSError, ValueError):  # not a picture Pillow knows: nothing could draw it
        return False
    return True


# --- size ------------------------------------------------------------------------------------


def _check_size(root: etree._Element) -> None:
    """Raise ValueError if drawing the cleaned `root` would take more than a logo should."""
    style = sum(len(element.text or "") for element in root.iter(f"{{{etree.QName(root).namespace}}}style"))
    if style > MAX_STYLE_CHARACTERS:
        raise ValueError(
            f"has {style:,} characters of style sheets, more than {MAX_STYLE_CHARACTERS:,}: {SIMPLIFY}"
        )
    drawn, depth = _drawn_size(root)
    if drawn > MAX_DRAWN_ELEMENTS:
        raise ValueError(
            f"draws more than {MAX_DRAWN_ELEMENTS:,} elements, counting each copy a <use> makes"
            f" and {PATH_CHARACTERS_PER_ELEMENT} characters of path data as one element: {SIMPLIFY}"
        )
    if depth > MAX_NESTING:
        raise ValueError(
            f"nests elements more than {MAX_NESTING} deep, counting each <use>: flatten its groups"
        )


def _drawn_size(root: etree._Element) -> tuple[int, int]:
    """Return how many elements `root` draws and how deep they nest, each reference followed as a copy.

    A reference (`<use>`, a clip path, a mask, a marker, a pattern) counts its target
    once more for each use, so a `<use>` of groups of `<use>`s counts all it expands
    to. Each element is measured once (after its children and targets), without
    recursion; an element reached again while it is being measured refers to itself.
    """
    by_id = {element.get("id"): element for element in root.iter(etree.Element) if element.get("id")}
    measured: dict[etree._Element, tuple[int, int]] = {}
    pending: set[etree._Element] = set()
    stack: list[tuple[etree._Element, bool]] = [(root, False)]
    while stack:
        element, parts_measured = stack.pop()
        if element in measured:
            continue
        parts = [*element.iterchildren(etree.Element), *_targets(element, by_id)]
        if parts_measured:
            pending.discard(element)
            drawn = _weight(element) + sum(measured[part][0] for part in parts)
            depth = 1 + max((measured[part][1] for part in parts), default=0)
            measured[element] = (min(drawn, MAX_DRAWN_ELEMENTS + 1), depth)
        elif element in pending:
            raise ValueError(f"refers to itself (element '{element.get('id')}'): take the loop out of it")
        else:
            pending.add(element)
            stack.append((element, True))
            stack.extend((part, False) for part in parts if part not in measured)
    return measured[root]


def _targets(element: etree._Element, by_id: dict[str | None, etree._Element]) -> list[etree._Element]:
    """Return the elements `element` refers to (`href="#id"` and `url(#id)`), which draw where it is."""
    names = []
    for name, value in element.attrib.items():
        value = str(value).strip()
        if name in HREFS and value.startswith("#"):
            names.append(value[1:])
        names += _LOCAL_URL.findall(value)
    return [by_id[name] for name in names if name in by_id]


def _weight(element: etree._Element) -> int:
    """Return how many elements `element` counts as: one, and one per stretch of path data."""
    path = len(element.get("d") or "") + len(element.get("points") or "")
    return 1 + path // PATH_CHARACTERS_PER_ELEMENT
