"""Facts about writing systems that both writers need, and right-to-left text in visual order."""

from __future__ import annotations

import dataclasses
import functools
import re
from typing import Any

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

REGIONAL_TAGS = {
    "en": "en-US", "de": "de-DE", "fr": "fr-FR", "es": "es-ES", "it": "it-IT", "pt": "pt-BR",
    "nl": "nl-NL", "pl": "pl-PL", "ru": "ru-RU", "tr": "tr-TR", "ar": "ar-SA", "he": "he-IL",
    "zh": "zh-CN", "zh-hans": "zh-CN", "zh-hant": "zh-TW", "ja": "ja-JP", "ko": "ko-KR",
}  # fmt: skip
"""Languages by language and region, as Word and PDF readers know them best: the region a
language alone most often means, and the region a script subtag stands for."""

KANA = re.compile("[\u3040-\u30ff\u31f0-\u31ff]")
HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")
HEBREW = re.compile("[\u0590-\u05ff\ufb1d-\ufb4f]")
ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")


def regional_language(tag: str) -> str:
    """Return the BCP 47 `tag` with a region where it has none (`de` is `de-DE`, `zh-Hans` is `zh-CN`)."""
    return REGIONAL_TAGS.get(tag.lower(), tag)


def east_asian_language(text: str, language: str) -> str | None:
    """Return the language of the East Asian characters of `text`, or None if it has none.

    Kana is Japanese and Hangul Korean; Chinese characters alone are Chinese, unless the
    document's `language` is Japanese or Korean.
    """
    if KANA.search(text):
        return "ja-JP"
    if HANGUL.search(text):
        return "ko-KR"
    if HAN.search(text):
        own = regional_language(language)
        return own if own[:2] in ("ja", "ko", "zh") else "zh-CN"
    return None


def right_to_left_language(text: str, language: str) -> str | None:
    """Return the language of the Hebrew or Arabic letters of `text`, or None if it has none."""
    own = regional_language(language)
    if HEBREW.search(text):
        return own if own[:2] == "he" else "he-IL"
    if ARABIC.search(text):
        return own if own[:2] in ("ar", "fa", "ur") else "ar-SA"
    return None


def text_language(text: str, language: str) -> str | None:
    """Return the language of `text` if it is all in a script of another language than `language`.

    Text with Latin letters in it is taken to be in the document's language.
    """
    if LATIN_LETTER.search(text):
        return None
    found = east_asian_language(text, language) or right_to_left_language(text, language)
    return None if found is None or found[:2] == regional_language(language)[:2] else found


LATIN_LETTER = re.compile("[A-Za-z\u00c0-\u024f]")


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

    run = seen_right_to_left(match.group())
    return run.replace(" ", NO_BREAK_SPACE) if len(run) <= KEEP_TOGETHER else run


MIRRORED = str.maketrans("()[]{}<>«»‹›", ")(][}{><»«›‹")
"""Brackets and quotes in their mirrored form: read right to left, "(" is drawn as ")" (Unicode's
Bidi_Mirrored), which python-bidi leaves undone."""


def mirrored(text: str) -> str:
    """Return `text`, which runs right to left, with its brackets and quotes drawn mirrored."""
    return text.translate(MIRRORED)


def shaped_words(text: str) -> str:
    """Return `text` with each word that holds right-to-left letters joined and in the order it is seen.

    For the paragraphs of a right-to-left document: the words stay in reading order, to be
    broken into lines, and each line's words are then put in the order they are seen
    (`seen_order`). A word is what lies between spaces; a no-break space binds two into one.
    """
    return re.sub(r"[^ \t\n]+", _shaped_word, text)


def _shaped_word(match: re.Match[str]) -> str:
    """A word with right-to-left letters, or with none but no Latin ones either (digits in brackets),
    runs right to left: its letters reversed (digits kept), joined, its brackets mirrored."""
    word = match.group()
    if not reads_right_to_left(word) and (LATIN_LETTER.search(word) or not MIRRORED_CHARACTERS.search(word)):
        return word
    return seen_right_to_left(word)


def seen_right_to_left(text: str) -> str:
    """Return `text`, read right to left, as it is seen from the left: its Arabic letters joined,
    its characters reversed (digits kept), its brackets mirrored, each vowel mark after its letter.

    The marks (harakat) are kept: the reshaper would drop them, and words would lose their sense.
    """
    from bidi import get_display  # here: most ladders have no right-to-left text, and it takes a while

    return _marks_after_letters(mirrored(get_display(_reshaper().reshape(text), base_dir="R")))


@functools.cache
def _reshaper() -> Any:
    import arabic_reshaper

    return arabic_reshaper.ArabicReshaper(configuration={"delete_harakat": False})


def _marks_after_letters(seen: str) -> str:
    """Return `seen` with each run of combining marks put after the letter it belongs to.

    Reversed, a letter's marks come before it; drawn left to right, a mark is drawn over the
    character before it, so it must follow its letter again.
    """
    return COMBINING_BEFORE_LETTER.sub(lambda found: found[2] + found[1], seen)


def reads_right_to_left(text: str) -> bool:
    """Return True if `text` holds a right-to-left letter."""
    return RIGHT_TO_LEFT_LETTER.search(text) is not None


def seen_order(words: list[str]) -> list[int]:
    """Return the indexes of a right-to-left line's `words`, in the order they are seen from the left.

    Unicode's bidi algorithm at the level of words: a word with right-to-left letters
    runs right to left, a word with other letters or digits left to right, and a word
    of punctuation alone takes the direction of the words around it when they agree
    (else the line's). Runs read left to right keep their order; the line is reversed.
    """
    levels = [1 if reads_right_to_left(word) else 2 if _STRONG_LEFT.search(word) else 0 for word in words]
    for index, level in enumerate(levels):
        if level == 0:
            before = levels[index - 1] if index else 1
            after = next((later for later in levels[index + 1 :] if later), 1)
            levels[index] = before if before == after else 1
    order = list(range(len(words)))
    start = 0
    while start < len(order):  # each run read left to right is reversed, so the line's reversal restores it
        if levels[order[start]] == 2:
            end = start
            while end < len(order) and levels[order[end]] == 2:
                end += 1
            order[start:end] = order[start:end][::-1]
            start = end
        else:
            start += 1
    return order[::-1]


def seen_line(text: str) -> str:
    """Return one line of a right-to-left document's `text` in the order it is seen, ready to draw."""
    words = shaped_words(text).split(" ")
    return " ".join(words[index] for index in seen_order(words))


_STRONG_LEFT = re.compile(r"[^\W_]", re.UNICODE)
"""A letter or digit: with no right-to-left letter in its word, it is read left to right."""

RIGHT_TO_LEFT_LETTER = re.compile(_LETTER)
COMBINING_BEFORE_LETTER = re.compile(
    "([\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u08d3-\u08ff]+)(.)"
)
"""Hebrew points and Arabic marks (Unicode category Mn in those blocks) before the character they follow."""
MIRRORED_CHARACTERS = re.compile("[()\\[\\]{}<>«»‹›]")


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
