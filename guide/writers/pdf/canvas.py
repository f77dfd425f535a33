"""A canvas that can print the total page count before it is known.

Each "Page N of M" is drawn as a reference to a form XObject that is only
defined when the canvas saves, once M is known. Unlike the deferred-canvas
recipe (which holds pages back until the end), pages are emitted as they are
drawn, so bookmarks, links and AcroForm widgets keep pointing at the right page.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, cast

from reportlab.pdfgen.canvas import Canvas

from guide.model import Document, Heading, drawn_texts, plain_text, walk
from guide.theme import Theme
from guide.writers.pdf.formcanvas import FormCanvas
from guide.writers.pdf.formfont import form_font
from guide.writers.pdf.inline import anchor_key, single_line
from guide.writers.pdf.tagging import Tagging

ROOM = "guide-room "
ROOM_MARK = re.compile(f"%{ROOM}(\\S+)")


@dataclass(frozen=True)
class PageCountText:
    """A right-aligned "Page N of M" waiting for M: its form name, its words and what draws them."""

    form_name: str
    line: Callable[[int], str]
    """The words to print, given the total number of pages."""
    draw: Callable[[Canvas, str], float]
    """Draws a text ending (or, right to left, starting) at the origin, on the baseline there."""
    font_size: float


def canvas_maker(
    document: Document, theme: Theme, typed: Iterable[str] = ()
) -> Callable[..., PageCountCanvas]:
    """Return what makes the canvas `document` is drawn on.

    Its form font has every character of `document` and of `typed`; its structure tree
    knows the document's language, title and link targets.
    """
    chain = theme.fonts.for_language(document.meta.language).chain
    font = functools.partial(form_font, chain, [*drawn_texts(document), *typed])
    return functools.partial(PageCountCanvas, form_font=font, tagging=_tagging(document))


def _tagging(document: Document) -> Tagging:
    """Return what the structure tree of `document` says of it: where each link leads, by destination."""
    headings = (block for block in walk(document.blocks) if isinstance(block, Heading) and block.anchor)
    targets = {anchor_key(str(block.anchor)): single_line(plain_text(block.spans)) for block in headings}
    return Tagging(document.meta.language, document.meta.title, targets, document.meta.identity)


class PageCountCanvas(FormCanvas):
    """A form-capable canvas whose `draw_page_of_pages` is filled in at `save`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pending_page_counts: list[PageCountText] = []
        self.slots: dict[str, tuple[float, float, Callable[[Canvas], None]]] = {}
        self.at_save: list[Callable[[Canvas], None]] = []  # what defines forms drawn before they were known

    def draw_form_slot(
        self,
        name: str,
        left: float,
        baseline: float,
        width: float,
        font_size: float,
        draw_default: Callable[[Canvas], None],
    ) -> None:
        """Show the form XObject `name` with its baseline at (`left`, `baseline`): `width` wide.

        It is defined at `save`, drawn by `draw_default` (with its baseline at the origin),
        for a later update of the file to replace (see `fill`).
        """
        self.slots[name] = (width, font_size, draw_default)
        self.saveState()
        self.translate(left, baseline)
        self.doForm(name)
        self.restoreState()

    def leave_room(self, key: str) -> None:
        """Mark this point of the page's drawing for `fill_rooms` to draw at, once what goes there is known.

        A mark is a comment in the page's operators: drawn into, the page keeps its text in
        its own content, in reading order, as if it had been drawn then.
        """
        self._code.append(f"%{ROOM}{key}")

    def fill_rooms(self, drawings: Mapping[str, Callable[[Canvas], None]]) -> None:
        """Draw each of `drawings` at the mark its key left, in pages already shown."""
        code = {key: self._captured(draw) for key, draw in drawings.items()}
        for page in self._doc.Pages.pages:  # type: ignore[attr-defined]  # reportlab's shown pages
            if ROOM in page.stream:
                page.stream = ROOM_MARK.sub(lambda mark: code[mark[1]], page.stream)

    def _captured(self, draw: Callable[[Canvas], None]) -> str:
        """Return the operators `draw` draws, drawn nowhere."""
        page: list[str] = self._code  # type: ignore[has-type]  # reportlab's page operators
        self._code = list[str]()
        try:
            draw(self)
            return "\n".join(self._code)
        finally:
            self._code = page

    def draw_page_of_pages(
        self,
        right: float,
        baseline: float,
        line: Callable[[int], str],
        draw: Callable[[Canvas, str], float],
        font_size: float,
    ) -> None:
        """Print this page's "Page N of M", the `line` for M pages, that `draw` draws at `right`."""
        name = f"PageCount{len(self.pending_page_counts) + 1}"
        pending = PageCountText(name, line, draw, font_size)
        self.pending_page_counts.append(pending)
        self.saveState()
        self.translate(right, baseline)
        self.doForm(pending.form_name)
        self.restoreState()

    def save(self) -> None:
        """Define every pending page count now that the total is known, then save."""
        pages = self.getPageNumber() - 1  # the page after the last one has been started
        for define in self.at_save:
            define(self)
        for pending in self.pending_page_counts:
            self._define_page_count(pending, pages)
        for name, (width, size, draw_default) in self.slots.items():
            # reportlab takes any number for a form's corner; its stubs ask for int
            self.beginForm(
                name, lowerx=0, lowery=cast(int, -size), upperx=cast(int, width), uppery=cast(int, size * 1.5)
            )
            draw_default(self)
            self.endForm()
        super().save()

    def _define_page_count(self, pending: PageCountText, pages: int) -> None:
        size = pending.font_size
        width = self._pagesize[0]  # type: ignore[attr-defined]  # reportlab's; no footer is wider
        # reportlab takes any number for a form's corner; its stubs ask for int
        corners = {"lowerx": cast(int, -width), "lowery": cast(int, -size), "upperx": cast(int, width)}
        self.beginForm(pending.form_name, uppery=cast(int, size * 1.5), **corners)
        pending.draw(self, pending.line(pages))
        self.endForm()
