"""theme.yaml -> Theme: page, fonts and colours, with lengths parsed once into points."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from guide.errors import ContentError, Location
from guide.yamlfile import Node, read_yaml

_UNITS = {"pt": 1.0, "mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0}
_LENGTH = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(pt|mm|cm|in)\s*$")
_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")
PAGE_SIZES = {"A4": (595.2756, 841.8898), "Letter": (612.0, 792.0)}


@dataclass(frozen=True)
class Length:
    """A length in points; parse `"22mm"`, `"1in"` or `"10pt"` with `Length.parse`."""

    points: float

    @classmethod
    def parse(cls, text: str) -> Length:
        match = _LENGTH.match(text)
        if not match:
            raise ValueError(f"{text!r} is not a length such as 20mm, 1in or 10pt")
        return cls(float(match.group(1)) * _UNITS[match.group(2)])

    @property
    def mm(self) -> float:
        return self.points * 25.4 / 72


@dataclass(frozen=True)
class Margins:
    top: Length
    right: Length
    bottom: Length
    left: Length


@dataclass(frozen=True)
class Colors:
    """Hex colours (`#RRGGBB`): body text, headings and rules, and the tints between."""

    text: str
    primary: str
    accent: str
    muted: str
    rule: str
    shade: str


@dataclass(frozen=True)
class Theme:
    page_size: str
    margins: Margins
    font_size: Length
    word_font: str
    colors: Colors
    logo: Path | None = None
    """A PNG or JPEG image for covers, or None."""

    @property
    def page_points(self) -> tuple[float, float]:
        """Return the page's (width, height) in points."""
        return PAGE_SIZES[self.page_size]


DEFAULT_THEME = Path(__file__).parent / "layouts" / "theme.yaml"


def load_theme(path: Path = DEFAULT_THEME) -> Theme:
    """Return the theme in `path`; raise ContentError naming the file, line and column."""
    reader = _ThemeReader(path)
    root = read_yaml(path, reader.errors)
    theme = reader.theme(root)
    reader.raise_errors()
    assert theme is not None
    return theme


class _ThemeReader:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.errors: list[Location] = []

    def raise_errors(self) -> None:
        if self.errors:
            raise ContentError(self.errors)

    def _fail(self, node: Node, message: str) -> None:
        self.errors.append(Location.at(self.path, node, message))

    def _text(self, node: Node, key: str) -> str:
        value = node.get(key)
        if value is None or not isinstance(value.value, str) or not value.value:
            self._fail(value or node, f"'{key}' must be text")
            return ""
        return value.value

    def _length(self, node: Node, key: str) -> Length:
        text = self._text(node, key)
        try:
            return Length.parse(text)
        except ValueError as error:
            if text:
                self._fail(node.get(key) or node, str(error))
            return Length(0)

    def _color(self, node: Node, key: str) -> str:
        text = self._text(node, key)
        if text and not _COLOR.match(text):
            self._fail(node.get(key) or node, f"'{key}' must be a colour such as \"#1D4E89\"")
        return text

    def theme(self, root: Node) -> Theme | None:
        page, fonts, colors = (root.get(k) or root for k in ("page", "fonts", "colors"))
        margins = page.get("margins") or page
        size = self._text(page, "size")
        if size and size not in PAGE_SIZES:
            self._fail(page.get("size") or page, f"page size must be one of {', '.join(PAGE_SIZES)}")
        sides = [self._length(margins, side) for side in ("top", "right", "bottom", "left")]
        return Theme(
            page_size=size,
            margins=Margins(*sides),
            font_size=self._length(fonts, "size"),
            word_font=self._text(fonts, "word"),
            colors=Colors(*(self._color(colors, key) for key in Colors.__dataclass_fields__)),
            logo=self._logo(root.get("logo")),
        )

    def _logo(self, node: Node | None) -> Path | None:
        """Return the logo's path, relative to the theme file; report a missing or unknown image."""
        if node is None:
            return None
        name = node.text.strip() if node.kind == "text" else ""
        if not name:
            self._fail(node, "'logo' must be the path of a PNG or JPEG file")
            return None
        path = self.path.parent / name
        try:
            head = path.read_bytes()[:8]
        except OSError:
            self._fail(node, f"logo '{name}' cannot be read (paths are relative to {self.path.parent})")
            return None
        if not head.startswith((b"\x89PNG", b"\xff\xd8\xff")):
            self._fail(node, f"logo '{name}' is not a PNG or JPEG image")
            return None
        return path
