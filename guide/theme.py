"""A theme: page, fonts, colours, logo and Word reference, as writers read it (lengths in points).

Plain data, read from `theme.yaml` by `guide.themefile`; writers import this module alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal, TypeVar

from guide.glyphs import DEJAVU_FACES, Chain, chain_of

T = TypeVar("T")

_UNITS = {"pt": 1.0, "mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0}
_LENGTH = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(pt|mm|cm|in)\s*$")
PAGE_SIZES = {"A4": (595.2756, 841.8898), "Letter": (612.0, 792.0)}
DEFAULT_WORD_FONT = "Calibri"
"""The font Word documents ask for with the bundled fonts: every copy of Word has it."""

FONT_SUFFIXES = (".ttf", ".otf", ".ttc")
MAX_FONT_BYTES = 50_000_000
"""A font file larger than this is refused: the largest real ones (all of CJK in one file) are
about 20 MB, and each process that draws a PDF holds the whole file in memory."""
MAX_LOGO_BYTES = 20_000_000
"""A PNG or JPEG logo file larger than this is refused: a logo is a few hundred kilobytes, and the
file is held in memory by each process that draws a document."""
MAX_LOGO_SIDE = 10_000
"""The most pixels a picture logo may have on a side: printed 5 cm wide at 600 dpi, a logo is 1,200."""
MAX_LOGO_PIXELS = 25_000_000
"""The most pixels a picture logo may have in all. Decoded, each pixel takes up to 8 bytes in every
process that draws a document; a small file can hold a huge picture (a decompression bomb)."""

FONT_SIZES = (6.0, 24.0)
"""The body text sizes a theme may ask for, in points: headings scale from it, the title to
TITLE_SCALE times it, which must still fit a line and a page."""
TEXT_SCALES = (0.5, 3.0)
"""The sizes a theme may give a kind of text (`TextSizes`), in times the body size."""
TITLE_SCALE = TEXT_SCALES[1]
"""The largest text may be this many times the body size: a cover's title at most."""
MIN_TEXT_MM = 60
"""The narrowest and shortest text area the margins may leave, in millimetres."""
TEXT_SIDE_IN_SIZES = 20
"""The text area must also be this many times the body size wide and high: a table of five
columns, a form field and a heading with its spacing then fit at every allowed size."""

ImageKind = Literal["png", "jpeg", "svg"]


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


def for_language(by_tag: tuple[tuple[str, T], ...], language: str) -> T | None:
    """Return the value `by_tag` gives the BCP 47 `language`, matched by its first subtag (`ja`: `ja-JP`)."""
    wanted = language.split("-")[0].lower()
    return next((value for tag, value in by_tag if tag.split("-")[0].lower() == wanted), None)


@dataclass(frozen=True)
class FontFiles:
    """The TrueType files text is drawn in: four faces and the fallbacks tried before the bundled ones."""

    regular: Path = DEJAVU_FACES[0]
    bold: Path = DEJAVU_FACES[1]
    italic: Path = DEJAVU_FACES[2]
    bold_italic: Path = DEJAVU_FACES[3]
    fallbacks: tuple[Path, ...] = ()
    languages: tuple[tuple[str, Path], ...] = ()
    """A font for documents in a language, by its tag (`ja`): tried first for what the regular font lacks."""

    @property
    def chain(self) -> Chain:
        """Return the fonts asked for a character, in order (see `guide.glyphs.chain_of`)."""
        return chain_of(self.regular, self.fallbacks)

    def language_font(self, language: str) -> Path | None:
        """Return the font the theme names for documents in `language`, if any."""
        return for_language(self.languages, language)

    def for_language(self, language: str) -> FontFiles:
        """Return these files for a document in `language`: its language font first among the fallbacks.

        A Japanese document's kana and kanji then come from a Japanese font, not from the bundled
        Chinese one, while a Chinese document in the same theme keeps its own.
        """
        font = self.language_font(language)
        return self if font is None else replace(self, fallbacks=(font, *self.fallbacks))


@dataclass(frozen=True)
class Logo:
    """An image for covers and, if `header`, the running header of every page."""

    path: Path
    kind: ImageKind
    header: bool = True
    alt: str = ""
    """What the logo says to readers who cannot see it; the organization's name when empty."""


@dataclass(frozen=True)
class TextSizes:
    """The size of each kind of text, in times the body size: the one table both writers' styles
    take theirs from, so that a PDF and its Word twin agree."""

    title: float = 2.8
    """A cover's title."""
    subtitle: float = 1.6
    meta: float = 1.05
    """The organization and version on a cover."""
    lead: float = 1.2
    note: float = 0.85
    heading1: float = 1.8
    heading2: float = 1.5
    heading3: float = 1.2
    label: float = 0.9
    """A field's label."""
    caption: float = 0.8
    """Under a signature line, beside a date field."""
    furniture: float = 0.8
    """The running header and footer."""


@dataclass(frozen=True)
class Theme:
    page_size: str
    margins: Margins
    font_size: Length
    word_font: str
    colors: Colors
    logo: Logo | None = None
    fonts: FontFiles = field(default_factory=FontFiles)
    word_reference: Path | None = None
    """A .docx or .dotx whose style definitions the Word files use, or None."""
    sizes: TextSizes = field(default_factory=TextSizes)
    language_word_fonts: tuple[tuple[str, str], ...] = ()
    """The family name of each language font (`fonts.languages`), by tag: what Word asks for."""

    def east_asian_word_font(self, language: str) -> str | None:
        """Return the family Word should draw East Asian text in for a document in `language`, if any."""
        return for_language(self.language_word_fonts, language)

    @property
    def page_points(self) -> tuple[float, float]:
        """Return the page's (width, height) in points."""
        return PAGE_SIZES[self.page_size]


DEFAULT_THEME = Path(__file__).parent / "layouts" / "theme.yaml"
