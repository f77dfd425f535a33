"""theme.yaml -> Theme: page, fonts, colours, logo and Word reference, with lengths parsed once into points.

A project's `layouts/theme.yaml` is merged key by key over the shipped theme, so
it names only what it changes. Every problem is reported at its file, line and
column: the project's file for its own values, the shipped one for the rest.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from guide.content import LANGUAGE_TAG
from guide.errors import ContentError, Location, unknown_name_message
from guide.inputs import UnreadableInput, check_regular_file, read_bounded
from guide.pictures import image_kind, picture_problem
from guide.theme import (
    DEFAULT_THEME,
    DEFAULT_WORD_FONT,
    FONT_SIZES,
    FONT_SUFFIXES,
    MAX_FONT_BYTES,
    MAX_LOGO_BYTES,
    MIN_TEXT_MM,
    PAGE_SIZES,
    TEXT_SCALES,
    TEXT_SIDE_IN_SIZES,
    TITLE_SCALE,
    Colors,
    FontFiles,
    ImageKind,
    Length,
    Logo,
    Margins,
    TextSizes,
    Theme,
)  # fmt: skip
from guide.yamlfile import Node, read_yaml

if TYPE_CHECKING:
    from fontTools.ttLib import TTFont as TTFontType

_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")

Section = dict[str, "Section | None"]
SCHEMA: Section = {
    "page": {"size": None, "margins": {"top": None, "right": None, "bottom": None, "left": None}},
    "fonts": {
        key: None
        for key in ("size", "word", "regular", "bold", "italic", "bold_italic", "fallbacks", "languages")
    },
    "colors": {key: None for key in ("text", "primary", "accent", "muted", "rule", "shade")},
    "logo": {"file": None, "header": None, "alt": None},
    "word_reference": None,
    "sizes": {key: None for key in TextSizes.__dataclass_fields__},
}
"""Every key a theme may hold: a nested dict for a mapping, None for a value."""


def load_theme(path: Path = DEFAULT_THEME) -> Theme:
    """Return the theme in `path`, merged over the shipped theme; raise ContentError naming file:line:col."""
    problems: list[Location] = []
    reader = _ThemeReader(DEFAULT_THEME, problems)
    root = read_yaml(DEFAULT_THEME, problems)
    if path.resolve() != DEFAULT_THEME.resolve():
        own = read_yaml(path, problems, may_be_empty=True)  # comments only: nothing changed
        root = reader.merge(root, own, path)
    theme = reader.theme(root)
    if problems:
        raise ContentError(problems)
    return theme


class _ThemeReader:
    """Reads a merged theme tree; each node is reported at, and resolves paths from, its own file."""

    def __init__(self, shipped: Path, problems: list[Location]) -> None:
        self.shipped = shipped
        self.errors = problems
        self.sources: dict[int, Path] = {}

    def merge(self, base: Node, own: Node, path: Path) -> Node:
        """Return `own` (read from `path`) merged over `base`, mapping by mapping."""
        self._claim(own, path)
        fonts = own.get("fonts")
        if fonts is not None and fonts.get("regular") is not None and fonts.get("word") is None:
            base = _without(base, "fonts", "word")  # Word then names the family of the new font
        return self._merged(base, own, path)

    def _claim(self, node: Node, path: Path) -> None:
        self.sources[id(node)] = path
        if node.kind == "map":
            for key, value in node.pairs:
                self._claim(key, path)
                self._claim(value, path)
        elif node.kind == "list":
            for item in node.items:
                self._claim(item, path)

    def _merged(self, base: Node, own: Node, path: Path) -> Node:
        if base.kind != "map" or own.kind != "map":
            return own
        own_pairs = {key.value: (key, value) for key, value in own.pairs if key.kind == "text"}
        pairs = []
        for key, value in base.pairs:
            if key.value in own_pairs:
                own_key, own_value = own_pairs.pop(key.text)
                pairs.append((own_key, self._merged(value, own_value, path)))
            else:
                pairs.append((key, value))
        pairs += [(key, value) for key, value in own.pairs if key.kind != "text" or key.value in own_pairs]
        merged = Node("map", pairs, own.line, own.col, own.tag)
        self.sources[id(merged)] = path
        return merged

    def _source(self, node: Node) -> Path:
        return self.sources.get(id(node), self.shipped)

    def _fail(self, node: Node, message: str) -> None:
        self.errors.append(Location.at(self._source(node), node, message))

    def theme(self, root: Node) -> Theme:
        self._check_keys(root, SCHEMA, "the theme")
        page, fonts, colors, sizes = (
            self._section(root, key) for key in ("page", "fonts", "colors", "sizes")
        )
        margins = self._section(page, "margins")
        size = self._text(page, "size")
        if size and size not in PAGE_SIZES:
            self._fail(page.get("size") or page, f"page size must be one of {', '.join(PAGE_SIZES)}")
        sides = [self._length(margins, side) for side in ("top", "right", "bottom", "left")]
        font_size = self._font_size(fonts)
        page_size = size if size in PAGE_SIZES else "A4"
        self._check_text_area(margins, Margins(*sides), PAGE_SIZES[page_size], font_size)
        font_files = self._font_files(fonts)
        return Theme(
            page_size=page_size,
            margins=Margins(*sides),
            font_size=font_size,
            word_font=self._word_font(fonts, font_files),
            colors=Colors(*(self._color(colors, key) for key in Colors.__dataclass_fields__)),
            logo=self._logo(root.get("logo")),
            fonts=font_files,
            word_reference=self._word_reference(root.get("word_reference")),
            sizes=TextSizes(**{key: self._scale(sizes, key) for key in TextSizes.__dataclass_fields__}),
            language_word_fonts=tuple((tag, family_name(path)) for tag, path in font_files.languages),
        )

    def _check_keys(self, node: Node, schema: Section, where: str) -> None:
        """Report every key of `node` that `schema` lacks, with the nearest known key."""
        if node.kind != "map":
            return
        for key, value in node.pairs:
            name = key.value if key.kind == "text" and isinstance(key.value, str) else None
            if name not in schema:
                shown = name or "(not text)"
                unknown = f"unknown key '{shown}' in {where}"
                self._fail(key, unknown_name_message(unknown, shown, schema, "known keys"))
                continue
            assert name is not None
            inner = schema[name]
            if inner is not None and value.kind == "map":
                self._check_keys(value, inner, f"'{name}'")

    def _section(self, node: Node, key: str) -> Node:
        """Return the mapping under `key`; report anything else there (its keys then read as missing)."""
        value = node.get(key)
        if value is None:
            return node
        if value.kind != "map":
            self._fail(value, f"'{key}' must be a mapping of keys")
        return value

    def _text(self, node: Node, key: str) -> str:
        """Return the scalar under `key` as text (a number too: the caller says what is wrong with it)."""
        value = node.get(key)
        if value is None or value.kind not in ("text", "int", "float") or not value.text.strip():
            self._fail(value or node, f"'{key}' must be text")
            return ""
        return value.text.strip()

    def _scale(self, node: Node, key: str) -> float:
        """Return the size of a kind of text in times the body size; report one not in TEXT_SCALES."""
        least, most = TEXT_SCALES
        value = node.get(key)
        text = value.text.strip() if value is not None and value.kind in ("int", "float", "text") else ""
        try:
            scale = float(text)
        except ValueError:
            scale = math.nan
        if not least <= scale <= most:
            given = f", not '{text}'" if text else ""
            message = f"'{key}' must be a number from {least:g} to {most:g} (times the body size){given}"
            self._fail(value or node, message)
            return getattr(TextSizes(), key)
        return scale

    def _length(self, node: Node, key: str) -> Length:
        text = self._text(node, key)
        try:
            return Length.parse(text)
        except ValueError as error:
            if text:
                self._fail(node.get(key) or node, str(error))
            return Length(0)

    def _font_size(self, fonts: Node) -> Length:
        """Return the body text size; report one outside FONT_SIZES (then the nearest one is used)."""
        reported = len(self.errors)
        size = self._length(fonts, "size")
        least, most = FONT_SIZES
        if len(self.errors) == reported and not least <= size.points <= most:
            self._fail(
                fonts.get("size") or fonts,
                f"font size must be from {least:g}pt to {most:g}pt, not {size.points:g}pt"
                f" (it is the body text's: the other texts are sized from it, up to {TITLE_SCALE:g} times)",
            )
            return Length(min(max(size.points, least), most))
        return size

    def _check_text_area(self, node: Node, margins: Margins, page: tuple[float, float], size: Length) -> None:
        """Report margins that leave too little room for text, at the larger of the two that squeeze it."""
        least = max(Length.parse(f"{MIN_TEXT_MM}mm").points, TEXT_SIDE_IN_SIZES * size.points)
        width, height = page
        for first, second, extent, what in (
            ("left", "right", width, "wide"),
            ("top", "bottom", height, "high"),
        ):
            one, other = getattr(margins, first), getattr(margins, second)
            room = Length(extent - one.points - other.points)
            if room.points >= least - 0.005:  # a rounding error is no mistake
                continue
            culprit = first if one.points >= other.points else second
            leaves = f"a text area {room.mm:.1f}mm {what}" if room.points > 0 else "no room for text"
            self._fail(
                node.get(culprit) or node,
                f"the {first} and {second} margins leave {leaves}:"
                f" make them smaller, so that it is at least {Length(least).mm:.1f}mm {what}"
                f" ({TEXT_SIDE_IN_SIZES} times the font size, and never less than {MIN_TEXT_MM}mm)",
            )

    def _color(self, node: Node, key: str) -> str:
        value = node.get(key)
        if value is not None and value.kind == "null":
            hint = 'a colour starts with #, which YAML reads as a comment, so put it in quotes: "#1D4E89"'
            self._fail(value, f"'{key}' is empty: {hint}")
            return "#000000"
        text = self._text(node, key)
        if text and not _COLOR.match(text):
            self._fail(node.get(key) or node, f"'{key}' must be a colour such as \"#1D4E89\"")
        return text if _COLOR.match(text) else "#000000"

    def _file(self, node: Node, key: str) -> Path | None:
        """Return the path of the file named by `node`, relative to the theme file that holds it."""
        if node.kind != "text" or not node.text.strip():
            self._fail(node, f"'{key}' must be the path of a file, relative to the theme file")
            return None
        path = self._source(node).parent / node.text.strip()
        if not path.exists():
            folder = self._source(node).parent
            self._fail(node, f"{key} '{node.text.strip()}' cannot be read (paths are relative to {folder})")
            return None
        try:
            check_regular_file(path)  # a folder, a pipe or a device: said here, never read
        except UnreadableInput as error:
            self._fail(node, f"{key} '{node.text.strip()}' {error}")
            return None
        return path

    def _font_files(self, fonts: Node) -> FontFiles:
        """Return the theme's font files; a missing bold or italic face falls back on a face that is given."""
        given = {key: self._font(fonts.get(key), key) for key in ("regular", "bold", "italic", "bold_italic")}
        fallbacks = self._fallbacks(fonts.get("fallbacks"))
        languages = self._language_fonts(fonts.get("languages"))
        regular = given["regular"]
        if regular is None:
            if fonts.get("regular") is None and any(given.values()):
                self._fail(fonts, "'fonts' names a bold or italic face but no 'regular' one")
            return FontFiles(fallbacks=fallbacks, languages=languages)
        bold = given["bold"] or regular
        italic = given["italic"] or regular
        bold_italic = given["bold_italic"] or (given["bold"] and bold) or italic
        return FontFiles(regular, bold, italic, bold_italic, fallbacks, languages)

    def _language_fonts(self, node: Node | None) -> tuple[tuple[str, Path], ...]:
        """Return the font for each language `node` names (`ja: fonts/NotoSansJP-Regular.ttf`)."""
        if node is None:
            return ()
        if node.kind != "map":
            self._fail(node, "'languages' must map a language (ja, zh-Hans) to a font file")
            return ()
        fonts = []
        for tag, file in node.pairs:
            if tag.kind != "text" or not LANGUAGE_TAG.fullmatch(tag.text):
                self._fail(tag, "each key of 'languages' must be a language, a BCP 47 tag such as ja")
            elif (path := self._font(file, f"{tag.text} font")) is not None:
                fonts.append((tag.text, path))
        return tuple(fonts)

    def _fallbacks(self, node: Node | None) -> tuple[Path, ...]:
        if node is None:
            return ()
        if node.kind != "list":
            self._fail(node, "'fallbacks' must be a list of font files")
            return ()
        return tuple(path for item in node.items if (path := self._font(item, "fallback font")) is not None)

    def _font(self, node: Node | None, key: str) -> Path | None:
        """Return the font file `node` names, or None (reported) when it is not one PDFs can embed."""
        return None if node is None else self._checked_file(node, key, font_problem)

    def _checked_file(self, node: Node, key: str, problem_of: Callable[[Path], str | None]) -> Path | None:
        """Return the file `node` names, or None (reported) when it is missing or `problem_of` finds fault."""
        path = self._file(node, key)
        if path is None:
            return None
        problem = problem_of(path)
        if problem is not None:
            self._fail(node, f"{key} '{node.text.strip()}' {problem}")
            return None
        return path

    def _word_font(self, fonts: Node, files: FontFiles) -> str:
        if fonts.get("word") is not None:
            return self._text(fonts, "word")
        if files.regular == FontFiles.regular:
            return DEFAULT_WORD_FONT
        return family_name(files.regular)

    def _logo(self, node: Node | None) -> Logo | None:
        """Return the logo: a path, or a mapping of `file`, `header` and `alt`; report a bad image."""
        if node is None:
            return None
        file_node, header, alt = node, True, ""
        if node.kind == "map":
            file_node = node.get("file") or node
            header = self._flag(node.get("header"), "header", default=True)
            alt = self._text(node, "alt") if node.get("alt") is not None else ""
        path = self._file(file_node, "logo")
        if path is None:
            return None
        try:
            kind = logo_kind(path)
        except ValueError as error:
            self._fail(file_node, f"logo '{file_node.text.strip()}' {error}")
            return None
        return Logo(path, kind, header, alt)

    def _flag(self, node: Node | None, key: str, *, default: bool) -> bool:
        if node is None:
            return default
        if node.kind != "bool":
            self._fail(node, f"'{key}' must be true or false")
            return default
        return node.text.lower() in ("true", "yes", "on")

    def _word_reference(self, node: Node | None) -> Path | None:
        if node is None:
            return None
        from guide.writers.word.reference import reference_problem  # reads it with bounds, as Word files will

        return self._checked_file(node, "word_reference", reference_problem)


def _without(root: Node, section: str, key: str) -> Node:
    """Return `root` with `key` left out of its mapping `section`."""
    pairs = []
    for name, value in root.pairs:
        if name.value == section and value.kind == "map":
            inner = [(k, v) for k, v in value.pairs if k.value != key]
            value = Node("map", inner, value.line, value.col, value.tag)
        pairs.append((name, value))
    return Node("map", pairs, root.line, root.col, root.tag)


def logo_kind(path: Path) -> ImageKind:
    """Return what image the logo file at `path` holds; raise ValueError saying why it cannot be a logo."""
    data = read_bounded(path, MAX_LOGO_BYTES)  # UnreadableInput is a ValueError
    kind = image_kind(data)
    if kind is None:
        raise ValueError("is not a PNG, JPEG or SVG image")
    if kind == "svg":
        from guide.writers.svg import svg_problem  # reads the SVG with svglib, so only for SVG logos

        problem = svg_problem(path)
    else:
        problem = picture_problem(data)
    if problem is not None:
        raise ValueError(problem)
    return kind


def font_problem(path: Path) -> str | None:
    """Return why the font file at `path` cannot be embedded in a PDF, or None if it can.

    The checks are those reportlab's TrueType reader makes, done with fontTools, then
    the PDF writer's own: the font is read and subset as a build will (see
    `guide.writers.pdf.fonts.subset_problem`), so a damaged font is found here, not
    half-way through a build.
    """
    from fontTools.ttLib import TTFont

    if path.suffix.lower() not in FONT_SUFFIXES:
        return "must be a TrueType or OpenType font file (.ttf, .otf or .ttc)"
    try:
        data = read_bounded(path, MAX_FONT_BYTES)
    except UnreadableInput as error:
        return str(error)
    try:
        font = TTFont(io.BytesIO(data), fontNumber=0, lazy=True)
        tables = set(font.keys())
        fs_type = font["OS/2"].fsType if "OS/2" in tables else 0
        has_map = font.getBestCmap() is not None
    except Exception:  # fontTools raises many kinds of error for a file that is not a font
        return "is not a TrueType or OpenType font"
    if "glyf" not in tables:
        return "has PostScript (CFF) outlines, which PDFs here cannot embed: use a TrueType (.ttf) version"
    if fs_type == 0x0002 or fs_type & 0x0300:
        return "does not allow embedding (its licence flags, OS/2 fsType)"
    if not has_map:
        return "has no Unicode character map"
    if not _outlines_are_sound(font):
        return DAMAGED_FONT
    from guide.writers.pdf.fonts import subset_problem  # the writer's reader, only for a theme's own fonts

    return subset_problem(path, data)


DAMAGED_FONT = "is damaged (its glyph outlines, the glyf table, cannot be read): get a fresh copy of the font"


def _outlines_are_sound(font: TTFontType) -> bool:
    """Return True if every composite glyph of `font` reads whole and is built of glyphs the font has.

    A PDF embeds a glyph with the glyphs it is built of. Checked here first, in one pass,
    because the PDF writer's subsetter, given damaged outlines, reads on through the
    rest of the file for every glyph: seconds to minutes before it fails.
    """
    try:
        outlines = font["glyf"]
        order = font.getGlyphOrder()
        known = set(order)
        for name in order:
            glyph = outlines.glyphs[name]
            data = getattr(glyph, "data", b"")  # a glyph not yet read holds its bytes
            if len(data) >= 2 and int.from_bytes(data[:2], "big", signed=True) < 0:  # a composite
                glyph.expand(outlines)
                if any(component.glyphName not in known for component in glyph.components):
                    return False
    except Exception:  # fontTools raises many kinds of error for damaged tables
        return False
    return True


def family_name(path: Path) -> str:
    """Return the family name the font file at `path` gives itself (what Word lists it as)."""
    from fontTools.ttLib import TTFont

    font = TTFont(path, fontNumber=0, lazy=True)
    return str(font["name"].getBestFamilyName() or path.stem)
