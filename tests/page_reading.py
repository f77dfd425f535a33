"""Reading printed pages back with programs that did not draw them: poppler's words and pixels.

A word may end a line only at a space, after a hyphen, after `/` (or `.` `?` `&`
in a URL), beside a Chinese or Japanese character, or at a point a hyphenation
dictionary gives, and then with a hyphen drawn: `Engineeri|ng` or `Architectur|e`
is a piece no rule allows. A page's fill is how far down its text frame the
lowest ink reaches.
"""

from __future__ import annotations

import io
import re
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from xml.etree import ElementTree

import pikepdf
import pyphen
from PIL import Image

from conftest import system_tool

DICTIONARIES = [pyphen.Pyphen(lang=language, left=1, right=1) for language in ("en", "en_US", "de_DE")]
IDEOGRAPH = re.compile("[\u3000-\u9fff\uff00-\uffef]")
DPI = 20
"""The resolution pages are drawn at to find their ink: a 10 pt line is three pixels high."""
FURNITURE = {"•", "\uf0b7", "·", "→", "—", "☐", "☒"}
"""Marks the writers draw besides the document's words: bullets, separators, arrows, checkboxes."""
LEADER = re.compile(r"\.{4,}\d*$")
"""A contents entry's dotted leader (and page number), which poppler reads as part of its last word."""


@dataclass(frozen=True)
class PrintedWord:
    """A word `pdftotext -bbox` finds: its text, 1-based page, and box in points from the top left."""

    text: str
    page: int
    left: float
    top: float
    right: float
    bottom: float


@cache
def printed_words(pdf: Path) -> list[PrintedWord]:
    """Return every word of `pdf`, page by page, in poppler's reading order (read once per file).

    Pieces poppler returns as words but that touch on one line are one word: LibreOffice
    keeps a word's soft hyphens in its PDFs, and poppler splits the word at each.
    """
    command = [system_tool("pdftotext"), "-bbox", str(pdf), "-"]
    html = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    words: list[PrintedWord] = []
    for number, page in enumerate(html.split("<page ")[1:], 1):
        for match in re.finditer(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', page
        ):
            left, top, right, bottom, text = match.groups()
            word = PrintedWord(_unescape(text), number, float(left), float(top), float(right), float(bottom))
            previous = words[-1] if words else None
            if (
                previous
                and previous.page == number
                and abs(previous.top - word.top) < 1
                and abs(word.left - previous.right) < TOUCHING
            ):
                words[-1] = PrintedWord(
                    previous.text + word.text, number, previous.left, previous.top, word.right, word.bottom
                )
            else:
                words.append(word)
    return words


TOUCHING = 0.3
"""The most points between the boxes of two pieces of one word."""


def _unescape(text: str) -> str:
    return ElementTree.fromstring(f"<w>{text}</w>").text or ""


def break_points(word: str) -> tuple[set[int], set[int]]:
    """Return the offsets where `word` may break without a hyphen drawn, and those that need one."""
    plain = {0, len(word)}
    url = "://" in word
    for offset in range(1, len(word)):
        before, after = word[offset - 1], word[offset]
        if (
            (before in "-/" and after != "/")
            or (url and before in "/.?&=")
            or IDEOGRAPH.match(before)
            or IDEOGRAPH.match(after)
        ):
            plain.add(offset)
    hyphenated = {position for dictionary in DICTIONARIES for position in dictionary.positions(word)}
    return plain, hyphenated - plain


def allowed_pieces(texts: Iterable[str]) -> frozenset[str]:
    """Return every word of `texts`, and every piece of one cut only where it may break."""
    return frozenset(piece for word in {w for text in texts for w in text.split()} for piece in _pieces(word))


@cache
def _pieces(word: str) -> frozenset[str]:
    plain, hyphenated = break_points(word)
    starts = sorted(plain | hyphenated)
    pieces = {word}
    for start in starts:
        pieces.update(word[start:end] for end in plain if end > start)
        pieces.update(word[start:end] + "-" for end in hyphenated if end > start)
    return frozenset(pieces)


def misbroken(words: Iterable[PrintedWord], allowed: frozenset[str]) -> list[PrintedWord]:
    """Return the printed words that are neither whole words nor pieces cut where allowed."""
    return [word for word in words if not _allowed(LEADER.sub("", word.text), allowed)]


def _allowed(text: str, allowed: frozenset[str]) -> bool:
    return text in allowed or text in FURNITURE or text.isdigit() or not text


def page_fills(pdf: Path, top: float, bottom: float) -> list[float]:
    """Return how far down the frame from `top` to `bottom` (points from the top) each page is inked, 0 to 1.

    Pages are drawn in grey at DPI by poppler; a pixel darker than light grey is ink.
    """
    command = [system_tool("pdftoppm"), "-gray", "-r", str(DPI), str(pdf)]
    output = subprocess.run(command, check=True, capture_output=True).stdout
    fills = []
    while output:
        image = Image.open(io.BytesIO(output))
        image.load()
        fills.append(_fill(image, top, bottom))
        output = output[_pnm_length(output) :]
    return fills


def _pnm_length(data: bytes) -> int:
    """Return the length of the first of the binary greymaps pdftoppm wrote one after another."""
    header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    assert header is not None, "pdftoppm -gray writes binary greymaps"
    width, height = int(header.group(1)), int(header.group(2))
    return header.end() + width * height


def _fill(image: Image.Image, top: float, bottom: float) -> float:
    scale = DPI / 72
    first, last = int(top * scale) + 1, int(bottom * scale) - 1
    pixels = image.load()
    assert pixels is not None
    for row in range(last, first, -1):
        if any(pixels[column, row] < 200 for column in range(image.width)):  # type: ignore[operator]
            return (row - first) / (last - first)
    return 0.0


def structure_elements(node: pikepdf.Object) -> list[pikepdf.Dictionary]:
    """Return every structure element below `node` (a tagged PDF's structure tree root), depth first."""
    kids = node.get("/K")
    kids = [] if kids is None else kids if isinstance(kids, pikepdf.Array) else [kids]
    found = []
    for kid in kids:
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == pikepdf.Name.StructElem:
            found += [kid, *structure_elements(kid)]
    return found
