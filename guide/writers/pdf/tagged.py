"""Paragraphs that say what they are as they draw: each opens its element in the structure tree.

See `tagging` for the tree; tables, figures, the contents and fields open theirs in
their own flowables.
"""

from __future__ import annotations

from contextlib import nullcontext
from typing import Any

from reportlab.pdfbase.pdfdoc import PDFName
from reportlab.platypus import Flowable
from reportlab.platypus import Paragraph as ReportlabParagraph

from guide.scripts import text_language
from guide.writers.pdf.direction import DirectedParagraph
from guide.writers.pdf.tagging import Element, TaggedCanvas, structure_of


class TaggedParagraph(DirectedParagraph):
    """A paragraph drawn as the marked content of an element of `role` (`P`, `H1`, `TOCI`...)."""

    role = "P"
    wrapped_to: float | None = None
    """The width the lines were last broken for."""

    def __init__(self, text: Any, style: Any, *args: Any, role: str = "P", **kwargs: Any) -> None:
        super().__init__(text, style, *args, **kwargs)
        self.role = role

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        """Break the lines for `availWidth`; asked again for the same width, keep the lines as they are.

        Sections measure their paragraphs before the frame places them: each width is broken once.
        """
        if availWidth == self.wrapped_to and hasattr(self, "blPara"):  # a split that gave up drops it
            return self.width, self.height
        size: tuple[float, float] = super().wrap(availWidth, availHeight)
        self.wrapped_to = availWidth if hasattr(self, "blPara") else None
        return size

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        """Split as reportlab does; each part keeps the role."""
        parts = super().split(availWidth, availHeight)
        for part in parts:
            if isinstance(part, TaggedParagraph):
                self.hand_on(part)
        return parts

    def hand_on(self, part: TaggedParagraph) -> None:
        """Give `part` of this paragraph what tags it."""
        part.role = self.role

    def draw(self) -> None:
        """Draw the lines; each that wrapped at a space ends with it (see `TaggedCanvas.beginText`)."""
        canvas = self.canv
        assert isinstance(canvas, TaggedCanvas), "the writer builds with canvasmaker=PageCountCanvas"
        canvas.line_ends = iter(_wrapped_at_spaces(self.blPara))  # set by wrap
        try:
            super().draw()
        finally:
            canvas.line_ends = None

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        """Draw the paragraph inside its element."""
        structure = structure_of(canvas)
        text = self.getPlainText()
        if not text.strip():  # an empty cell's paragraph says nothing: it is left an artifact
            super().drawOn(canvas, x, y, _sW)  # type: ignore[call-arg]  # reportlab has it, its stubs not
            return
        lang = text_language(text, structure.tagging.language) or ""
        # reportlab draws a paragraph that is one link whole without telling where the link is
        link = structure.element("Link") if self._is_one_link() else nullcontext()
        with structure.element(structure.heading(self.role), lang=lang), link, structure.content(canvas):
            super().drawOn(canvas, x, y, _sW)  # type: ignore[call-arg]  # reportlab has it, its stubs not

    def _is_one_link(self) -> bool:
        """Return whether the whole paragraph is one link (a level's title in a table, say)."""
        links = {tuple(getattr(frag, "link", None) or ()) for frag in self.frags}
        return len(links) == 1 and links != {()}


def _wrapped_at_spaces(paragraph: Any) -> list[bool]:
    """Return, for each line of the laid-out `paragraph`, whether it wrapped at a space.

    A line that ends the paragraph, a forced break or a hyphen did not.
    """
    lines = paragraph.lines
    if paragraph.kind == 0:
        return [True] * (len(lines) - 1) + [False]
    ends = []
    for line in lines[:-1]:
        last = line.words[-1].text if line.words else ""
        ends.append(not getattr(line, "lineBreak", False) and not last.endswith(("-", "\u00ad")))
    return [*ends, False]


class ListItem(TaggedParagraph):
    """One item of a bulleted list: an `LI` of the list's `L`, its bullet the `Lbl`, its text the `LBody`.

    `group` is the same object for every item of one list, so that they share one `L`
    however many pages they are drawn on.
    """

    def __init__(self, text: Any, style: Any, *args: Any, group: object = None, **kwargs: Any) -> None:
        super().__init__(text, style, *args, role="LI", **kwargs)
        self.group = group

    def hand_on(self, part: TaggedParagraph) -> None:
        """Give `part` of this item the list it belongs to."""
        super().hand_on(part)
        if isinstance(part, ListItem):
            part.group = self.group

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        """Draw the item in its list: the bullet (the first text object drawn) as its label, then its text."""
        structure = structure_of(canvas)
        items = structure.grouped("L", self.group)
        structure.enter(items)
        try:
            with structure.element("LI"):
                label = structure.add("Lbl") if self.bulletText else None  # a continued item has none
                body = structure.add("LBody")
                assert isinstance(canvas, TaggedCanvas), "the writer builds with canvasmaker=PageCountCanvas"
                if label is not None:
                    canvas.after_text = lambda: structure.switch(canvas, body)
                with structure.content(canvas, label or body):
                    ReportlabParagraph.drawOn(self, canvas, x, y, _sW)  # type: ignore[call-arg]
                canvas.after_text = None
        finally:
            structure.close(items)


class ContentsEntry(TaggedParagraph):
    """A line of the table of contents: a `TOCI` of the document's one `TOC`, on however many pages."""

    role = "TOCI"

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        """Draw the entry in the contents: its text, then what its drawing left to do after it.

        reportlab's entries draw their page number while their text is still being set, so
        it would come first in reading order: it is drawn after the text instead. The
        entry is one `Link`: its text, its page number and their link annotations.
        """
        structure = structure_of(canvas)
        contents = structure.grouped("TOC", ContentsEntry)
        structure.enter(contents)
        try:
            with structure.element("TOCI"), structure.element("Link"), structure.content(canvas):
                ReportlabParagraph.drawOn(self, canvas, x, y, _sW)  # type: ignore[call-arg]
                while canvas.deferred:
                    canvas.saveState()
                    canvas.translate(x, y)
                    canvas.deferred.pop(0)(canvas)
                    canvas.restoreState()
        finally:
            structure.close(contents)

    @classmethod
    def tag(cls, paragraph: ReportlabParagraph) -> None:
        """Make `paragraph`, which reportlab's table of contents made, draw as an entry."""
        if type(paragraph) is ReportlabParagraph:
            paragraph.__class__ = cls


class TableTagger:
    """What a table calls as it draws (reportlab's `renderCB`): opens its `Table`, rows and cells.

    Header rows go into a `THead` as `TH` cells (naming their column), the others into
    a `TBody` as `TD` cells; each part of a table split over pages is a `Table` of its own.
    A table without a header row only lays things out (a grid of fields, a sign-off):
    it and its cells are `Div`s, which say nothing of rows and columns.
    """

    def __init__(self) -> None:
        self.open: dict[str, Element] = {}

    def __call__(self, table: Any, event: str, *details: Any) -> None:
        """Open or close what `event` starts or ends (reportlab's events; the others need nothing)."""
        structure = structure_of(table.canv)
        header_rows = table.repeatRows if isinstance(table.repeatRows, int) else 0
        grid = header_rows > 0
        match event, details:
            case "startTable", _:
                self.open = {"table": structure.begin("Table" if grid else "Div")}
            case "startRow", (row, *_) if grid:
                if row in (0, header_rows):
                    if "section" in self.open:
                        structure.close(self.open["section"])
                    self.open["section"] = structure.begin("THead" if row < header_rows else "TBody")
                self.open["row"] = structure.begin("TR")
            case "startCell", (row, *_):
                scope = {"O": PDFName("Table"), "Scope": PDFName("Column")}
                if not grid:
                    self.open["cell"] = structure.begin("Div")
                elif row < header_rows:
                    self.open["cell"] = structure.begin("TH", **scope)
                else:
                    self.open["cell"] = structure.begin("TD")
            case "endCell", _:
                structure.close(self.open.pop("cell"))
            case "endRow", _ if grid:
                structure.close(self.open.pop("row"))
            case "endTable", _:
                structure.close(self.open.pop("table"))
