"""A canvas that can print the total page count before it is known.

Each "Page N of M" is drawn as a reference to a form XObject that is only
defined when the canvas saves, once M is known. Unlike the deferred-canvas
recipe (which holds pages back until the end), pages are emitted as they are
drawn, so bookmarks, links and AcroForm widgets keep pointing at the right page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from reportlab.lib.colors import Color
from reportlab.pdfgen.canvas import Canvas

from guide.writers.pdf import fonts
from guide.writers.pdf.formcanvas import FormCanvas

PAGE_OF_PAGES = "Page {page} of {pages}"


@dataclass(frozen=True)
class PageCountText:
    """A right-aligned "Page N of M" waiting for M: its form name, page, font and colour."""

    form_name: str
    page: int
    font_name: str
    font_size: float
    color: Color

    def text(self, pages: int) -> str:
        """Return the words to print, given the total number of `pages`."""
        return PAGE_OF_PAGES.format(page=self.page, pages=pages)


class PageCountCanvas(FormCanvas):
    """A form-capable canvas whose `draw_page_of_pages` is filled in at `save`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pending_page_counts: list[PageCountText] = []
        self.slots: dict[str, tuple[float, float, Callable[[Canvas], None]]] = {}

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

    def draw_page_of_pages(
        self, right: float, baseline: float, font_name: str, font_size: float, color: Color
    ) -> None:
        """Print "Page N of M" for this page, ending at `right` on `baseline`."""
        pending = PageCountText(
            form_name=f"PageCount{len(self.pending_page_counts) + 1}",
            page=self.getPageNumber(),
            font_name=font_name,
            font_size=font_size,
            color=color,
        )
        self.pending_page_counts.append(pending)
        self.saveState()
        self.translate(right, baseline)
        self.doForm(pending.form_name)
        self.restoreState()

    def save(self) -> None:
        """Define every pending page count now that the total is known, then save."""
        pages = self.getPageNumber() - 1  # the page after the last one has been started
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
        text = pending.text(pages)
        width = fonts.text_width(text, pending.font_name, pending.font_size)
        size = pending.font_size
        # reportlab takes any number for a form's corner; its stubs ask for int
        lowerx, lowery = cast(int, -width - 1), cast(int, -size)
        self.beginForm(pending.form_name, lowerx=lowerx, lowery=lowery, upperx=1, uppery=size * 1.5)
        self.setFont(pending.font_name, size)
        self.setFillColor(pending.color)
        self.drawRightString(0, 0, text)
        self.endForm()
