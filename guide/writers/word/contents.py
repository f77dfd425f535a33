"""The table of contents: a title, then a live TOC field whose result already lists the headings.

The field is marked dirty (and settings.xml asks for an update on open), so
Word rebuilds it with page numbers; until then, and in readers that never
update fields (LibreOffice shows the result as it is), the result written here
lists every level 1-2 heading as a link to its bookmark. Page numbers are left
to Word: only a layout engine knows them, and a wrong number is worse than none.
"""

from __future__ import annotations

from docx.text.paragraph import Paragraph as DocxParagraph

from guide.model import TableOfContents
from guide.writers.word.elements import add_styled, element
from guide.writers.word.fields import (
    CONTENTS_INSTRUCTION,
    field_end,
    field_start,
    result_run,
)
from guide.writers.word.outline import ContentsEntry
from guide.writers.word.styles import CONTENTS_LEVELS, CONTENTS_TITLE
from guide.writers.word.tables import Container

EMPTY_CONTENTS = "No headings yet: update this field to list them."


def add_contents(container: Container, contents: TableOfContents, entries: tuple[ContentsEntry, ...]) -> None:
    """Append the title of `contents` and a TOC field listing `entries` to `container`."""
    add_styled(container, CONTENTS_TITLE, contents.title)
    if not entries:
        paragraph = add_styled(container, CONTENTS_LEVELS[1])
        paragraph._p.extend([*field_start(CONTENTS_INSTRUCTION, dirty=True), result_run(EMPTY_CONTENTS)])
        paragraph._p.append(field_end())
        return
    paragraphs = [_entry(container, entry) for entry in entries]
    first = paragraphs[0]._p
    for offset, run in enumerate(field_start(CONTENTS_INSTRUCTION, dirty=True)):
        first.insert(1 + offset, run)
    paragraphs[-1]._p.append(field_end())


def _entry(container: Container, entry: ContentsEntry) -> DocxParagraph:
    """Append one contents line: the heading's text, linked to its bookmark."""
    paragraph = add_styled(container, CONTENTS_LEVELS[entry.level])
    link = element("w:hyperlink", w_anchor=entry.bookmark, w_history=1)
    link.append(result_run(entry.text))
    paragraph._p.append(link)
    return paragraph
