"""Right-to-left paragraphs: broken into lines in reading order, each line drawn from the right.

reportlab breaks a paragraph into lines and draws each line's words left to right
(its own bidi needs rlbidi, which is not to be had). A paragraph of a right-to-left
document is therefore written word by word in the order its letters are seen
(`scripts.shaped_words`), and broken into lines in reading order, as any paragraph.
Only to draw a line are its words put in the order they are seen (`seen_order`):
the first word at the right, a run of Latin words or digits kept left to right.
A paragraph split over two pages splits in reading order, as it should.
"""

from __future__ import annotations

import copy
from typing import Any

from reportlab.platypus import Paragraph

from guide.model import Table
from guide.scripts import reads_right_to_left, seen_order

RIGHT_TO_LEFT = "RTL"
"""The `wordWrap` of a right-to-left style: reportlab then puts bullets and first indents at the right."""


class DirectedParagraph(Paragraph):
    """A paragraph whose lines, in a right-to-left style, are drawn in the order their words are seen."""

    def draw(self) -> None:
        if self.style.wordWrap != RIGHT_TO_LEFT:
            super().draw()
            return
        logical = self.blPara  # type: ignore[has-type]  # set by wrap
        self.blPara = _seen(logical)
        try:
            super().draw()
        finally:
            self.blPara = logical


def _seen(paragraph: Any) -> Any:
    """Return reportlab's laid-out `paragraph` with each line's words in the order they are seen."""
    seen = copy.copy(paragraph)
    if paragraph.kind == 0:  # one font: each line is (extra space, words)
        seen.lines = [(space, [words[i] for i in seen_order(words)]) for space, words in paragraph.lines]
    else:  # fragments of several fonts, each holding words and the spaces between them
        seen.lines = [_seen_fragments(line) for line in paragraph.lines]
    return seen


def _seen_fragments(line: Any) -> Any:
    """Return the line of fragments `line` with its words in the order they are seen.

    A word may be made of several fragments (a bold name and its full stop); a word
    read right to left shows its fragments from the right too.
    """
    words: list[list[Any]] = [[]]
    for fragment in line.words:
        pieces = fragment.text.split(" ")
        for index, piece in enumerate(pieces):
            if index:
                words.append([])
            if piece or not fragment.text:  # a fragment without text marks a place: a link's target
                words[-1].append(fragment.clone(text=piece))
    words = [word for word in words if word]
    texts = ["".join(piece.text for piece in word) for word in words]
    drawn = []
    for place, index in enumerate(seen_order(texts)):
        word = words[index][::-1] if reads_right_to_left(texts[index]) else words[index]
        if place:  # the space before each word but the first
            word = [word[0].clone(text=" " + word[0].text), *word[1:]]
        drawn.extend(word)
    seen = copy.copy(line)
    seen.words = drawn[::-1]  # reportlab reverses the fragments of a right-to-left style's lines
    return seen


def mirrored(table: Table) -> Table:
    """Return `table` with its columns from right to left: the first column at the right."""
    return Table(
        tuple(row[::-1] for row in table.header),
        tuple(row[::-1] for row in table.rows),
        table.widths[::-1],
        table.automatic,
    )
