"""Inline text: spans become runs, links become internal hyperlinks, headings get bookmarks.

Text goes in through python-docx's `Run.text`, which escapes it and turns
"\\n" into `w:br` and "\\t" into `w:tab`, so no raw newline reaches the XML.
"""

from __future__ import annotations

from collections.abc import Iterator

from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run

from guide.model import Inline, Span
from guide.scripts import RIGHT_TO_LEFT_RUN
from guide.writers.word.elements import element, new_run_element, set_run_style
from guide.writers.word.languages import set_run_language
from guide.writers.word.outline import Outline
from guide.writers.word.styles import HYPERLINK


def add_spans(paragraph: DocxParagraph, spans: Inline, outline: Outline, language: str) -> None:
    """Append `spans` to `paragraph`; a span with a link becomes a hyperlink to its heading.

    Runs of East Asian or right-to-left text say their language (see `languages`).
    """
    for span in spans:
        if span.link:
            set_run_language(_add_link(paragraph, span, outline.bookmarks[span.link]), span.text, language)
            continue
        for text, right_to_left in _directional_runs(span.text):
            run = paragraph.add_run(text)
            _format(run, span)
            if right_to_left:
                run.font.rtl = True
            set_run_language(run, text, language)


def _directional_runs(text: str) -> Iterator[tuple[str, bool]]:
    """Yield `text` in pieces, each with True if it is right-to-left (Hebrew or Arabic) text."""
    position = 0
    for match in RIGHT_TO_LEFT_RUN.finditer(text):
        if match.start() > position:
            yield text[position : match.start()], False
        yield match.group(), True
        position = match.end()
    if position < len(text):
        yield text[position:], False


def add_bookmark(paragraph: DocxParagraph, name: str, ids: Iterator[int]) -> None:
    """Put a bookmark called `name` around the whole content of `paragraph`."""
    number = next(ids)
    start = element("w:bookmarkStart", w_id=number, w_name=name)
    has_properties = paragraph._p.find(qn("w:pPr")) is not None
    paragraph._p.insert(1 if has_properties else 0, start)
    paragraph._p.append(element("w:bookmarkEnd", w_id=number))


def _add_link(paragraph: DocxParagraph, span: Span, bookmark: str) -> Run:
    """Append `span` to `paragraph` as a hyperlink to the bookmark `bookmark`; return its run."""
    hyperlink = element("w:hyperlink", w_anchor=bookmark, w_history=1)
    paragraph._p.append(hyperlink)
    run_element = new_run_element()
    hyperlink.append(run_element)
    run = Run(run_element, paragraph)
    run.text = span.text
    set_run_style(run, HYPERLINK)
    _format(run, span)
    return run


def _format(run: Run, span: Span) -> None:
    """Make `run` bold and/or italic as `span` says."""
    if span.bold:  # and in Arabic or Hebrew, which Word makes bold by its complex-script flag
        run.font.bold = run.font.cs_bold = True
    if span.italic:
        run.font.italic = run.font.cs_italic = True
