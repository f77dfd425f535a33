"""Sections that keep their headings with what follows them, and chapters whose last page is worth turning to.

A section is a run of headings and the blocks up to the next run. It moves to the
next page rather than leave its headings at a page's foot, and a short one (the
sign-off: a heading, a notes box and signatures) moves whole rather than split.

A chapter is what lies between two page breaks (a new-page heading starts one): in
a handbook, one level. When a chapter would run over onto a page by only a few
lines, the page before it breaks earlier, so that its last page holds at least
LAST_PAGE_SHARE of a page rather than a lone four-line section.
"""

from __future__ import annotations

from collections.abc import Iterator

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Spacer
from reportlab.platypus import PageBreak as ReportlabPageBreak
from reportlab.platypus.doctemplate import ActionFlowable, FrameBreak, NullActionFlowable

SHORT_SECTION_SHARE = 1 / 3
"""A section no taller than this share of a page is never split across pages."""

LAST_PAGE_SHARE = 0.2
"""The least share of its height a chapter's last page holds, when the chapter runs over onto it.

A page less than about 15% full reads as a mistake; a fifth of the height, measured
with the spaces between blocks, leaves room for those spaces."""

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
        self.rest_of_chapter: list[Flowable] | None = None
        """What follows the section up to its chapter's end (see `close_chapters`); None if unknown."""
        self.page_height = 0.0
        """The height of a page's frame, once `close_chapters` has said."""

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
            return [FrameBreak(), self]  # laid out again at the top of the next page
        spacer = [Spacer(0, 0)] if self.headings else []  # a section's rest keeps the space above it
        return [NullActionFlowable(), *spacer, *self._laid_out(availWidth, availHeight, at_top)]

    def _laid_out(self, width: float, room: float, at_top: bool) -> list[Flowable]:
        """Return the headings and body, with a frame break where this page must end, if it ends in them.

        Where the section's chapter is unknown (in a table cell) the frame breaks it
        as usual. Else the page ends where `room` runs out, as the frame would end it,
        unless the chapter would then run over onto a last page by less than
        LAST_PAGE_SHARE of a page: then it ends where that much is left for the last
        page, or before the section (see `_before_last_page`). What follows the page
        end is a section of its own, which decides again on the next page.
        """
        section = [*self.headings, *self.body]
        if self.rest_of_chapter is None:
            return section
        above = 0.0 if at_top or not self.headings else self.headings[0].getSpaceBefore()
        least = self.page_height * LAST_PAGE_SHARE
        chapter = [*section, *unpacked(self.rest_of_chapter)]
        total = stacked_height(chapter, width, self.canv, room + least, above)
        if total <= room:
            return section
        if total < room + least:
            return self._before_last_page(section, width, room, total - least, at_top, above)
        found = crossing(section, width, self.canv, room, above)
        if found is None:
            return section
        index, left = found
        parts = section[index].splitOn(self.canv, width, left) if left > 0 else []
        here, on = (parts[:1], parts[1:]) if parts else ([section[index]], [])  # unsplit: the frame moves it
        return [*section[:index], *here, *self._rest([*on, *section[index + 1 :]])]

    def _before_last_page(
        self, section: list[Flowable], width: float, room: float, kept: float, at_top: bool, above: float
    ) -> list[Flowable]:
        """Return `section` broken where it passes `kept` points, so the chapter's last page holds enough.

        If the break would come before the start of the body, the whole section moves
        on instead, when this page holds enough without it.
        """
        parts = cut(section, len(self.headings), width, self.canv, kept, above)
        if parts is not None:
            here, on = parts
            return [*here, FrameBreak(), *self._rest(on)] if on else here
        if not at_top and self.page_height - room >= self.page_height * LAST_PAGE_SHARE:
            return [FrameBreak(), self]
        return section

    def _rest(self, body: list[Flowable]) -> list[Flowable]:
        """Return `body`, the rest of this section, as a section without headings (nothing if it is empty)."""
        if not body:
            return []
        rest = KeptSection([], body, self.short)
        rest.rest_of_chapter, rest.page_height = self.rest_of_chapter, self.page_height
        return [rest]

    def _starts_here(self, width: float, room: float) -> bool:
        """Return whether the section may start in `room` points of height.

        The rest of a section (no headings) may start wherever its first block, or the
        first part of it, fits.
        """
        if not self.headings:
            return not self.body or starts_within(self.body[0], width, room, self.canv)
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


def crossing(
    flowables: list[Flowable], width: float, canvas: Canvas, height: float, above: float
) -> tuple[int, float] | None:
    """Return the index of the first of `flowables` that passes `height` points, and the room left for it.

    They are measured one under another from `above` points of space, as
    `stacked_height` does. Return None if they all fit, or fit up to a page break.
    """
    bottom = above
    space_after: float | None = None
    for index, flowable in enumerate(flowables):
        if isinstance(flowable, ActionFlowable | ReportlabPageBreak):
            return None
        gap = 0.0 if space_after is None else max(space_after, flowable.getSpaceBefore())
        _, flowable_height = flowable.wrapOn(canvas, width, height)
        if bottom + gap + flowable_height > height:
            return index, height - bottom - gap
        bottom += gap + flowable_height
        space_after = flowable.getSpaceAfter()
    return None


def cut(
    flowables: list[Flowable], first_body: int, width: float, canvas: Canvas, height: float, above: float
) -> tuple[list[Flowable], list[Flowable]] | None:
    """Return `flowables` cut in two where they pass `height` points, `above` points of space first.

    The flowable that crosses that line is split there if it can be, else the cut
    comes before it. Return None if the cut would come before any of the body (the
    flowables from `first_body` on), and `flowables` and nothing if they all fit.
    """
    found = crossing(flowables, width, canvas, height, above)
    if found is None:
        return flowables, []
    index, room = found
    parts = flowables[index].splitOn(canvas, width, room) if room > 0 and index >= first_body else []
    if parts:
        return [*flowables[:index], parts[0]], [*parts[1:], *flowables[index + 1 :]]
    if index > first_body:
        return flowables[:index], flowables[index:]
    return None


def close_chapters(story: list[Flowable], page_height: float) -> list[Flowable]:
    """Return `story`, each of its sections told what follows it up to its chapter's end.

    A chapter ends at a page break or at the end of the story; `page_height` is the
    height of a page's frame.
    """
    chapter: list[Flowable] = []
    for flowable in story:
        if isinstance(flowable, ReportlabPageBreak):
            _close(chapter, page_height)
            chapter = []
        else:
            chapter.append(flowable)
    _close(chapter, page_height)
    return story


def _close(chapter: list[Flowable], page_height: float) -> None:
    for index, flowable in enumerate(chapter):
        if isinstance(flowable, KeptSection):
            flowable.rest_of_chapter = chapter[index + 1 :]
            flowable.page_height = page_height


def unpacked(flowables: list[Flowable]) -> Iterator[Flowable]:
    """Yield `flowables`, each section as its headings and body."""
    for flowable in flowables:
        if isinstance(flowable, KeptSection):
            yield from (*flowable.headings, *flowable.body)
        else:
            yield flowable


def starts_within(flowable: Flowable, width: float, room: float, canvas: Canvas) -> bool:
    """Return whether `flowable`, or the first part it would split into, fits in `room` points of height."""
    if isinstance(flowable, ActionFlowable | ReportlabPageBreak):
        return True
    if room <= 0:
        return False
    _, height = flowable.wrapOn(canvas, width, room)
    return height <= room or bool(flowable.splitOn(canvas, width, room))
