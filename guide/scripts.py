"""Facts about writing systems that both writers need, and right-to-left text in visual order."""

from __future__ import annotations

import dataclasses
import re

from guide.model import LINE_BREAK, Inline, Span

RIGHT_TO_LEFT_LETTERS = "\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff"
"""Hebrew, Arabic, Syriac, Thaana, N'Ko and their presentation forms, as a regex character range."""

_LETTER = f"[{RIGHT_TO_LEFT_LETTERS}]"
_BETWEEN = f"[{RIGHT_TO_LEFT_LETTERS}0-9 \u00a0\\-\u2010-\u2015,.:;'\"«»()]"

RIGHT_TO_LEFT_RUN = re.compile(f"{_LETTER}(?:{_BETWEEN}*{_LETTER})?(?:\u200f\u2026)?")
"""A run read right to left: from a right-to-left letter to the last one before other letters.

Spaces, digits and punctuation between its letters belong to it (Unicode's bidi
rules give them the run's direction); those around it are left out and keep the
direction of the paragraph (a full stop after an Arabic name in an English
sentence stays at the end). An ellipsis after a right-to-left mark is the run's
own: it ends the shortened run, on its left.
"""

KEEP_TOGETHER = 40
"""Right-to-left runs up to this many characters never wrap across lines (a reversed run must not)."""

NO_BREAK_SPACE = "\u00a0"

TITLE_ROLES = ("title", "subtitle")
"""The paragraph roles that are titles: like headings, they never end in a lone word."""

KEPT_PAIR_LENGTH = 24
"""The longest pair of last words `keep_last_words` binds: longer, they might not fit a line together."""

_LAST_TWO_WORDS = re.compile(r"\S\s+(\S+)(\s+)(\S+)\s*$")
"""The end of a line of at least three words: its last but one word, the space after it, its last word."""


def visual_order(text: str) -> str:
    """Return `text` with each right-to-left run joined and reversed into the order it is seen.

    For writers that draw characters left to right as given (reportlab, Pillow):
    Arabic letters take their initial, medial and final forms, and the run is
    reversed. Cut text into lines first, then call this on each line; a run
    longer than KEEP_TOGETHER may still wrap, and its lines then read bottom
    line first (whole right-to-left paragraphs are not supported yet).
    """
    return RIGHT_TO_LEFT_RUN.sub(_visual_run, text)


def _visual_run(match: re.Match[str]) -> str:
    import arabic_reshaper  # here: most ladders have no right-to-left text, and these take a while
    from bidi import get_display

    run = get_display(arabic_reshaper.reshape(match.group()), base_dir="R")
    return run.replace(" ", NO_BREAK_SPACE) if len(run) <= KEEP_TOGETHER else run


def keep_last_words(spans: Inline) -> Inline:
    """Return `spans` with a no-break space before the last word, so that a title never ends in a lone word.

    Only on a last line (after any forced line break) of three words or more, so that
    a two-word title may still wrap, and where the two last words are short enough
    to fit a line together. Text without spaces between its words is left as it is.
    """
    text = "".join(span.text for span in spans)
    last_line = text.rfind(LINE_BREAK) + 1
    found = _LAST_TWO_WORDS.search(text, last_line)
    if found is None or len(found.group(1)) + 1 + len(found.group(3)) > KEPT_PAIR_LENGTH:
        return spans
    return _with_no_break_spaces(spans, range(found.start(2), found.end(2)))


def _with_no_break_spaces(spans: Inline, places: range) -> Inline:
    """Return `spans` with the characters at `places` (offsets in their joined text) as no-break spaces."""
    written: list[Span] = []
    start = 0
    for span in spans:
        characters = [
            NO_BREAK_SPACE if start + index in places else character
            for index, character in enumerate(span.text)
        ]
        written.append(dataclasses.replace(span, text="".join(characters)))
        start += len(span.text)
    return tuple(written)
