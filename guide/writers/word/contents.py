"""The table of contents: a title, then a live TOC field whose result already lists the headings.

The result is what Word itself writes when it updates the field: one paragraph
per level 1-2 heading, linked to its bookmark, with a tab (its dot leader comes
from the toc 1 / toc 2 styles) and a PAGEREF field showing the page. Readers that
never update fields (LibreOffice, Word Online, previews) show it as it is; Word
updates it when asked to. The pages are those of the PDF twin (see
`outline`); a Word whose line breaks differ may move an entry by a page until the
field is updated.

Without pages (a document written without them), the entries have no numbers,
and the field is marked dirty so that Word fills them in on open (the writer then
also sets `updateFields`, and Word asks before updating).
"""

from __future__ import annotations

from docx.text.paragraph import Paragraph as DocxParagraph
from lxml import etree

from guide.model import TableOfContents
from guide.writers.word.elements import add_styled, element
from guide.writers.word.fields import (
    CONTENTS_INSTRUCTION,
    field,
    field_end,
    field_start,
    result_run,
)
from guide.writers.word.outline import ContentsEntry
from guide.writers.word.styles import CONTENTS_LEVELS, CONTENTS_TITLE
from guide.writers.word.tables import Container

EMPTY_CONTENTS = "No headings yet: update this field to list them."


def add_contents(container: Container, contents: TableOfContents, entries: tuple[ContentsEntry, ...]) -> None:
    """Append the title of `contents` and a TOC field listing `entries` to `container`.

    The field is dirty (Word updates it on open) only when an entry's page is unknown.
    """
    add_styled(container, CONTENTS_TITLE, contents.title)
    if not entries:
        paragraph = add_styled(container, CONTENTS_LEVELS[1])
        paragraph._p.extend([*field_start(CONTENTS_INSTRUCTION), result_run(EMPTY_CONTENTS)])
        paragraph._p.append(field_end())
        return
    paragraphs = [_entry(container, entry) for entry in entries]
    dirty = any(entry.page is None for entry in entries)
    first = paragraphs[0]._p
    for offset, run in enumerate(field_start(CONTENTS_INSTRUCTION, dirty=dirty)):
        first.insert(1 + offset, run)
    paragraphs[-1]._p.append(field_end())


def page_reference(bookmark: str) -> str:
    """Return the instruction of a field showing the page `bookmark` is on, as a link (as Word writes it)."""
    return f" PAGEREF {bookmark} \\h "


def _entry(container: Container, entry: ContentsEntry) -> DocxParagraph:
    """Append one contents line: the heading's text, then a tab and its page, linked to its bookmark."""
    paragraph = add_styled(container, CONTENTS_LEVELS[entry.level])
    link = element("w:hyperlink", w_anchor=entry.bookmark, w_history=1)
    link.append(result_run(entry.text))
    if entry.page is not None:
        tab = element("w:r")
        tab.append(element("w:tab"))
        page = field(page_reference(entry.bookmark), str(entry.page))
        link.extend(_hidden_on_the_web(run) for run in (tab, *page))
    paragraph._p.append(link)
    return paragraph


def _hidden_on_the_web(run: etree._Element) -> etree._Element:
    """Return `run` marked hidden in Web Layout, as the TOC field's `\\z` switch makes Word mark it."""
    properties = element("w:rPr")
    properties.append(element("w:webHidden"))
    run.insert(0, properties)
    return run
