"""Where a word may break: spaces aside, the points a line may end inside a word, and the lines it makes.

A word breaks after a hyphen, after `/`, after `.` `?` `&` inside a URL, beside a
Chinese, Japanese or Korean character, and at the points the hyphenation
dictionary of the document's language gives (pyphen), where a hyphen is drawn.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum

import pyphen

from guide.model import DEFAULT_LANGUAGE

TOLERANCE = 0.01
"""Points a piece may exceed its room by: sums of the same widths in another order differ that much."""


class Kind(Enum):
    """Why a word may break at a point, which says what a writer draws or marks there."""

    HYPHENATION = "hyphenation"
    """A dictionary's point inside a word: the line ends in a hyphen that the text does not have."""
    PUNCTUATION = "punctuation"
    """After `/`, or after `.` `?` `&` in a URL: nothing is drawn."""
    HYPHEN = "hyphen"
    """After a hyphen or dash the text has."""
    IDEOGRAPH = "ideograph"
    """Beside a Chinese, Japanese or Korean character, which need no space between words."""
    LAST_RESORT = "last resort"
    """Inside a piece too wide for a line, where no hyphen belongs (a URL, punctuation): nothing drawn."""


@dataclass(frozen=True)
class Break:
    """A point where a line may end inside a word: before `word[offset]`."""

    offset: int
    kind: Kind


URL = re.compile(r"(?<![A-Za-z0-9+.-])(?:[A-Za-z][A-Za-z0-9+.-]*://|www\.)")
"""Where a URL starts: at the word's start, or after punctuation or Chinese written against it."""
HYPHENS = "-\u2010\u2012\u2013"
URL_PUNCTUATION = ".?&"
IDEOGRAPHS = re.compile(
    "[\u2e80-\u2fff\u3040-\u30ff\u3100-\u312f\u3130-\u318f\u31a0-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\ua960-\ua97f\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003ffff]"
)
NO_BREAK_BEFORE = frozenset(
    "、。，．：；！？）」』】〉》〕’”…‥ー々〻ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ,.:;!?)]}%"
)
"""Characters a line may not start with (closing punctuation, small kana), by the rules of CJK text."""
NO_BREAK_AFTER = frozenset("（「『【〈《〔‘“([{")
"""Characters a line may not end with (opening punctuation)."""


def allowed_breaks(word: str, language: str = DEFAULT_LANGUAGE, hyphenate: bool = True) -> list[Break]:
    """Return the points where `word` (text without spaces) may break, in order.

    Dictionary points (for `language`) come only with `hyphenate`, and never inside a URL.
    """
    url = url_start(word)
    breaks = {offset: kind for offset in range(1, len(word)) if (kind := _kind(word, offset, offset > url))}
    if hyphenate:
        for offset in hyphenation_points(word[:url], language):
            breaks.setdefault(offset, Kind.HYPHENATION)
    return [Break(offset, kind) for offset, kind in sorted(breaks.items())]


def url_start(word: str) -> int:
    """Return where a URL starts in `word`, or the word's length if it holds none."""
    found = URL.search(word)
    return len(word) if found is None else found.start()


def _kind(word: str, offset: int, url: bool) -> Kind | None:
    """Return why `word` may break before `word[offset]`, or None if it may not (not a dictionary point)."""
    before, after = word[offset - 1], word[offset]
    if after in NO_BREAK_BEFORE or before in NO_BREAK_AFTER:
        return None
    if before in HYPHENS and after.isalpha() and offset > 1 and word[offset - 2].isalnum():
        return Kind.HYPHEN
    if before == "/" and after != "/" and (url or after.isalpha()):
        return Kind.PUNCTUATION
    if url and before in URL_PUNCTUATION and after.isalnum():
        return Kind.PUNCTUATION
    if IDEOGRAPHS.match(before) or IDEOGRAPHS.match(after):
        return Kind.IDEOGRAPH
    return None


LETTER_RUNS = re.compile(r"[^\W\d_]{5,}")
"""Runs of letters long enough for a dictionary to break."""


def hyphenation_points(word: str, language: str = DEFAULT_LANGUAGE) -> list[int]:
    """Return the offsets in `word` where the dictionary of `language` allows a hyphen, in order."""
    dictionary = _dictionary(language)
    if dictionary is None:
        return []
    return [
        run.start() + position
        for run in LETTER_RUNS.finditer(word)
        for position in dictionary.positions(run.group())
    ]


@functools.cache
def _dictionary(language: str) -> pyphen.Pyphen | None:
    """Return the hyphenation dictionary for the BCP 47 tag `language`, or None if there is none.

    Plain English takes the American patterns, TeX's own, which break more points
    (and a long foreign word in English text better) than the British ones.
    """
    tag = language.replace("-", "_")
    found = pyphen.language_fallback(ENGLISH if tag.lower() == "en" else tag)
    return None if found is None else pyphen.Pyphen(lang=found, left=2, right=3)


ENGLISH = "en_US"


def fitted_breaks(
    word: str, advances: Sequence[float], room: float, hyphen: float, language: str
) -> list[Break]:
    """Return where `word` ends its lines to fit lines `room` points wide, each line as full as it can be.

    `advances` are the widths of the word's characters and `hyphen` the width of a
    hyphen. Where no allowed point fits, the word breaks at the last character that
    fits, with a hyphen between letters or digits (but none in a URL, where a hyphen
    would change the address).
    """
    ends = [0.0, *itertools.accumulate(advances)]
    room += TOLERANCE
    allowed = allowed_breaks(word, language)
    chosen: list[Break] = []
    start = 0
    while ends[-1] - ends[start] > room and start < len(word) - 1:
        fitting = [
            point
            for point in allowed
            if point.offset > start and _piece_width(ends, start, point, hyphen) <= room
        ]
        point = fitting[-1] if fitting else _forced_break(word, ends, start, room, hyphen)
        if point.kind is Kind.HYPHENATION and point.offset > url_start(word):
            point = Break(point.offset, Kind.LAST_RESORT)
        chosen.append(point)
        start = point.offset
    return chosen


def _piece_width(ends: Sequence[float], start: int, point: Break, hyphen: float) -> float:
    return ends[point.offset] - ends[start] + (hyphen if point.kind is Kind.HYPHENATION else 0)


def _forced_break(word: str, ends: Sequence[float], start: int, room: float, hyphen: float) -> Break:
    """Return the break after the last character from `start` that fits `room`, hyphenated between letters."""
    offset = start + 1
    while offset + 1 < len(word) and ends[offset + 1] - ends[start] + hyphen <= room:
        offset += 1
    joined = word[offset - 1].isalnum() and word[offset].isalnum()
    return Break(offset, Kind.HYPHENATION if joined else Kind.LAST_RESORT)


def pieces(word: str, breaks: Iterable[Break]) -> list[str]:
    """Return `word` cut at `breaks`, in order."""
    offsets = [0, *(point.offset for point in breaks), len(word)]
    return [word[start:end] for start, end in itertools.pairwise(offsets)]
