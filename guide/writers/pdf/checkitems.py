"""The checklist item flowable: a real checkbox beside wrapped text, and an evidence line."""

from __future__ import annotations

from typing import cast

from reportlab.platypus import Flowable, Paragraph

from guide.model import CheckItem, Words
from guide.writers.pdf import widgets
from guide.writers.pdf.fields import draw_caption, draw_field_frame, draw_rule, form_of, widget_rectangle
from guide.writers.pdf.styles import Styles

TARGET = 18.0
"""The side in points of a checkbox's clickable target: 24 px at 100% zoom (WCAG 2.5.8), larger
than the printed box, which stays small and neat for a pen."""


class CheckItemFlowable(Flowable):
    """A checkbox beside wrapped item text, with an evidence line below when the item asks for one.

    When long item text breaks across pages, the first part keeps the box and the
    last part the evidence line (`with_box` and `with_evidence` say which this is).
    """

    def __init__(
        self,
        item: CheckItem,
        text: Paragraph,
        styles: Styles,
        words: Words,
        with_box: bool = True,
        with_evidence: bool = True,
    ) -> None:
        super().__init__()
        self.item = item
        self.text = text
        self.styles = styles
        self.words = words
        self.with_box = with_box
        self.with_evidence = with_evidence and item.evidence
        self.indent = styles.metrics.checkbox + styles.metrics.gutter
        self.text_height = 0.0

    def _evidence_height(self) -> float:
        metrics = self.styles.metrics
        return metrics.field_height + metrics.base * 0.3 if self.with_evidence else 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        """Return the size the item takes at `availWidth`."""
        _, self.text_height = self.text.wrap(availWidth - self.indent, availHeight)
        box = self.styles.metrics.checkbox if self.with_box else 0.0
        self.width = availWidth
        self.height = max(self.text_height, box) + self._evidence_height()
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        """Return the item split at a line of its text, or [] when no line fits."""
        self.wrap(availWidth, availHeight)
        if self.height <= availHeight:
            return [self]
        # a Paragraph splits into Paragraphs; the stubs type the parts as any Flowable. The first
        # part's gap below counts too: in a table cell it is drawn, and the page ends after it.
        room = availHeight - self.getSpaceAfter()
        parts = cast(list[Paragraph], self.text.split(availWidth - self.indent, room))
        if len(parts) < 2:
            return []
        first, rest = parts[0], parts[1]
        return [
            CheckItemFlowable(self.item, first, self.styles, self.words, self.with_box, with_evidence=False),
            CheckItemFlowable(
                self.item, rest, self.styles, self.words, with_box=False, with_evidence=self.with_evidence
            ),
        ]

    def getSpaceAfter(self) -> float:
        """Return the gap below the item."""
        return self.styles.metrics.base * 0.5

    def draw(self) -> None:
        """Draw the box, the text and the evidence line: the box at the text's start, left or right."""
        text_left = 0.0 if self.styles.right_to_left else self.indent
        self.text.drawOn(self.canv, text_left, self.height - self.text_height)
        if self.with_box:
            self._draw_box(self.height)
        if self.with_evidence:
            self._draw_evidence()

    def _draw_box(self, top: float) -> None:
        """Draw the printed box beside the first line, and the checkbox over it with a larger target."""
        side = self.styles.metrics.checkbox
        middle_of_first_line = top - self.text.style.fontSize * 0.65  # the first baseline sits one size down
        bottom = middle_of_first_line - side / 2
        canvas = self.canv
        canvas.saveState()
        canvas.translate(self.width - side if self.styles.right_to_left else 0, bottom)
        draw_field_frame(canvas, self.styles, side, side)
        inset = side * 0.15
        target = max(TARGET, side)
        reach = (target - side) / 2
        widgets.add_checkbox(
            canvas,
            form_of(canvas),
            widgets.Box(-reach, -reach, target, target),
            name=self.item.name,
            label=self.item.accessible_name,
            checked=self.item.checked,
            tick=widgets.Box(inset, inset, side - 2 * inset, side - 2 * inset),
            colour=self.styles.palette.primary,
        )
        canvas.restoreState()

    def _draw_evidence(self) -> None:
        metrics = self.styles.metrics
        caption_baseline = (
            metrics.field_height * 0.25 + self.styles.caption.leading - self.styles.caption.fontSize
        )
        caption = self.words.evidence
        label_width = self.styles.typeface.width(caption, self.styles.caption.fontSize)
        if self.styles.right_to_left:  # the caption at the right, under the text's start; the line before it
            label_left = self.width - self.indent - label_width
            start, end = 0.0, label_left - metrics.gutter
        else:
            label_left = self.indent
            start, end = self.indent + label_width + metrics.gutter, self.width
        draw_caption(self.canv, self.styles, caption, label_left, caption_baseline)
        draw_rule(self.canv, self.styles, start, end, 0)
        self.canv.saveState()
        self.canv.translate(start, 0)
        box = widget_rectangle(self.styles, (end - start, metrics.field_height))
        widgets.add_text(
            self.canv,
            form_of(self.canv),
            widgets.Box(*box),
            name=self.item.evidence_name or "",
            label=self.item.evidence_label,
            multiline=False,
            font_size=metrics.field_font_size,
            colour=self.styles.palette.text,
            right_to_left=self.styles.right_to_left,
        )
        self.canv.restoreState()
