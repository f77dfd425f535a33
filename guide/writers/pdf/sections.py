"""Sections that keep their headings with what follows them: no page ends with a heading.

A section is a run of headings and the blocks up to the next run. It moves to the
next page rather than leave its headings at a page's foot, and a short one (the
sign-off: a heading, a notes box and signatures) moves whole rather than split.
"""

from __future__ import annotations

from collections.abc import Iterator

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Spacer
from reportlab.platypus import PageBreak as ReportlabPageBreak
from reportlab.platypus.doctemplate import ActionFlowable, FrameBreak, NullActionFlowable

from guide.model import Block, Heading

SHORT_SECTION_SHARE = 1 / 3
"""A section no taller than this share of a page is never split across pages."""

UNPLACEABLE = 0xFFFFFF
"""A height taller than any page (reportlab's KeepTogether uses the same)."""


class KeptSection(Flowable):
    """A section's `headings` and `body`, laid out one by one, starting on the next page when need be.

    The section moves to the next page, rather than leave its headings at the foot of
    this one, when the headings and the start of the body do not fit here: the body's
    first paragraph lines, its first table row under the header row, or its first
    block whole when that cannot be split. A section no taller than `short` points
    moves whole rather than be split. At the top of a page nothing moves, so a
    section taller than a page still flows over pages as usual.
    """

    def __init__(self, headings: list[Flowable], body: list[Flowable], short: float) -> None:
        super().__init__()
        self.headings = headings
        self.body = body
        self.short = short

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        """Return a height no frame holds, so that the frame always asks for `split`."""
        return availWidth, UNPLACEABLE

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        """Return the headings and body to lay out one by one, after a frame break if the section moves.

        On the same page they come after an empty spacer, which keeps the space after
        the block above from overlapping the space before the first heading.
        """
        at_top = getattr(getattr(self, "_frame", None), "_atTop", True)  # reportlab sets both before a split
        if not at_top and not self._starts_here(availWidth, availHeight):
            return [FrameBreak(), *self.headings, *self.body]
        return [NullActionFlowable(), Spacer(0, 0), *self.headings, *self.body]

    def _starts_here(self, width: float, room: float) -> bool:
        """Return whether the section may start in `room` points of height."""
        above = self.headings[0].getSpaceBefore()
        section = [*self.headings, *self.body]
        whole = stacked_height(section, width, self.canv, max(room, self.short), above)
        if whole <= room:
            return True
        if whole <= self.short:
            return False
        headings_height = stacked_height(self.headings, width, self.canv, room, above)
        if not self.body:
            return headings_height <= room
        first = self.body[0]
        gap = max(self.headings[-1].getSpaceAfter(), first.getSpaceBefore())
        return starts_within(first, width, room - headings_height - gap, self.canv)


def stacked_height(
    flowables: list[Flowable], width: float, canvas: Canvas, limit: float, above: float = 0
) -> float:
    """Return the height of `flowables` one under another at `width`, from `above` points above the first.

    The spaces between them count as the frame counts them (the larger of the two
    touching spaces). Stops at a page break (what follows it is on another page
    anyway) and as soon as the height passes `limit`, returning the height so far.
    """
    height = above
    space_after: float | None = None
    for flowable in flowables:
        if isinstance(flowable, ActionFlowable | ReportlabPageBreak):
            break
        _, flowable_height = flowable.wrapOn(canvas, width, limit)
        if space_after is not None:
            height += max(space_after, flowable.getSpaceBefore())
        height += flowable_height
        if height > limit:
            break
        space_after = flowable.getSpaceAfter()
    return height


def starts_within(flowable: Flowable, width: float, room: float, canvas: Canvas) -> bool:
    """Return whether `flowable`, or the first part it would split into, fits in `room` points of height."""
    if isinstance(flowable, ActionFlowable | ReportlabPageBreak):
        return True
    if room <= 0:
        return False
    _, height = flowable.wrapOn(canvas, width, room)
    return height <= room or bool(flowable.splitOn(canvas, width, room))


def sections(blocks: tuple[Block, ...]) -> Iterator[tuple[Block, ...]]:
    """Yield `blocks` in parts cut before each run of headings and before each new-page heading.

    Every part but perhaps the first starts with its headings; the first holds what
    comes before any heading.
    """
    start = 0
    for index in range(1, len(blocks)):
        block, previous = blocks[index], blocks[index - 1]
        if isinstance(block, Heading) and (block.new_page or not isinstance(previous, Heading)):
            yield blocks[start:index]
            start = index
    if blocks:
        yield blocks[start:]


def leading_headings(blocks: tuple[Block, ...]) -> list[Heading]:
    """Return the headings `blocks` starts with, up to its first other block."""
    headings: list[Heading] = []
    for block in blocks:
        if not isinstance(block, Heading):
            break
        headings.append(block)
    return headings
