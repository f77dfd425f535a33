"""Facts about writing systems that both writers need, and right-to-left text in visual order."""

from __future__ import annotations

import re

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
