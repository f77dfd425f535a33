"""The pages a document's headings fall on when it is drawn as a PDF, for other formats to show.

A Word file cannot know its own page numbers until Word lays it out, yet its table
of contents should show them at once, in every reader. The Word twin of a PDF has
the same page size, margins and breaks, so the pages the PDF's layout gives are the
ones its contents shows (Word's own layout may move an entry by a page where its
line breaks differ; updating the field puts that right).
"""

from __future__ import annotations

import io
from typing import Any

from reportlab.platypus import Flowable, Spacer

from guide.model import Document, TableOfContents, walk, without_values
from guide.theme import Theme
from guide.writers.pdf.blocks import CONTENTS_LEVELS, BlockRenderer, HeadingEntry
from guide.writers.pdf.canvas import canvas_maker
from guide.writers.pdf.pages import GuideDocTemplate
from guide.writers.pdf.styles import build_styles


def contents_pages(document: Document, theme: Theme) -> tuple[int, ...]:
    """Return the page each heading of levels 1-2 of `document` starts on, in reading order.

    The pages are those of `document` drawn as a PDF with `theme` (as `write_pdf`
    draws it), the cover counted as page 1. A document without a table of contents
    gives none: nothing shows them, so it is not laid out.
    """
    if not any(isinstance(block, TableOfContents) for block in walk(document.blocks)):
        return ()
    blank = without_values(document)
    styles = build_styles(theme)
    story: list[Flowable] = BlockRenderer(styles, blank.meta.language).blocks(blank.blocks) or [Spacer(0, 0)]
    template = _PageRecorder(io.BytesIO(), blank.meta, theme, styles)
    template.lay_out(story, canvas_maker(blank, theme))
    return tuple(template.pages)


class _PageRecorder(GuideDocTemplate):
    """The PDF's page template, also noting the page of each heading the contents lists."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pages: list[int] = []

    def afterFlowable(self, flowable: Flowable) -> None:
        """Note the page a listed heading was drawn on, then record it as the PDF does."""
        super().afterFlowable(flowable)
        entry: HeadingEntry | None = getattr(flowable, "entry", None)
        if entry is not None and entry.level <= CONTENTS_LEVELS:
            self.pages.append(self.page)
