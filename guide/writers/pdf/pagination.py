"""The pages a document's headings fall on when it is drawn as a PDF, for other formats to show.

A Word file cannot know its own page numbers until Word lays it out, yet its table
of contents should show them at once, in every reader. The Word twin of a PDF has
the same page size, margins and breaks, so the pages the PDF's layout gives are the
ones its contents shows (Word's own layout may move an entry by a page where its
line breaks differ; updating the field puts that right).
"""

from __future__ import annotations

from guide.model import Document, has_contents, without_values
from guide.theme import Theme
from guide.writers.pdf.writer import drawn_blank


def contents_pages(document: Document, theme: Theme) -> tuple[int, ...]:
    """Return the page each heading of levels 1-2 of `document` starts on, in reading order.

    The pages are those of `document` drawn as a PDF with `theme` (as `write_pdf`
    draws it), the cover counted as page 1. A document without a table of contents
    gives none: nothing shows them, so it is not laid out.
    """
    if not has_contents(document):
        return ()
    return drawn_blank(without_values(document), theme).contents_pages
