"""The checklist item flowable: a real checkbox beside wrapped text, and an evidence line."""

from __future__ import annotations

from typing import cast

from reportlab.platypus import Flowable, Paragraph

from guide.writers.pdf import fonts
from guide.writers.pdf.fields import add_text_field, draw_field_frame, draw_rule, field_form
from guide.writers.pdf.styles import Styles

EVIDENCE_LABEL = "Evidence"


class CheckItemFlowable(Flowable):
    """A checkbox beside wrapped item text, with an evidence line below when asked for.

    When long item text breaks across pages, the first part keeps the box and the
    last part the evidence line (`with_box` and `evidence_name` say which this is).
    """

    def __init__(
        self,
        name: str,
        checked: bool,
        text: Paragraph,
        styles: Styles,
        with_box: bool = True,
        evidence_name: str | None = None,
    ) -> None:
        super().__init__()
        self.name = name
        self.checked = checked
        self.text = text
        self.styles = styles
        self.with_box = with_box
        self.evidence_name = evidence_name
        self.indent = styles.metrics.checkbox + styles.metrics.gutter
        self.text_height = 0.0

    def _evidence_height(self) -> float:
        metrics = self.styles.metrics
        return metrics.field_height + metrics.base * 0.3 if self.evidence_name else 0.0

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
        # a Paragraph splits into Paragraphs; the stubs type the parts as any Flowable
        parts = cast(list[Paragraph], self.text.split(availWidth - self.indent, availHeight))
        if len(parts) < 2:
            return []
        first, rest = parts[0], parts[1]
        return [
            CheckItemFlowable(self.name, self.checked, first, self.styles, self.with_box, None),
            CheckItemFlowable(self.name, False, rest, self.styles, False, self.evidence_name),
        ]

    def getSpaceAfter(self) -> float:
        """Return the gap below the item."""
        return self.styles.metrics.base * 0.5

    def draw(self) -> None:
        """Draw the box, the text and the evidence line."""
        self.text.drawOn(self.canv, self.indent, self.height - self.text_height)
        if self.with_box:
            self._draw_box(self.height)
        if self.evidence_name:
            self._draw_evidence(self.evidence_name)

    def _draw_box(self, top: float) -> None:
        metrics = self.styles.metrics
        font_size = self.text.style.fontSize
        middle_of_first_line = top - font_size * 0.65  # the first baseline sits one size down
        bottom = middle_of_first_line - metrics.checkbox / 2
        canvas = self.canv
        canvas.saveState()
        canvas.translate(0, bottom)
        draw_field_frame(canvas, self.styles, metrics.checkbox, metrics.checkbox)
        inset = metrics.checkbox * 0.15
        field_form(canvas).checkbox(
            name=self.name,
            checked=self.checked,
            x=inset,
            y=inset,
            size=metrics.checkbox - 2 * inset,
            relative=True,
            buttonStyle="check",
            borderWidth=0,
            borderColor=None,
            fillColor=None,
            textColor=self.styles.palette.primary,
            fieldFlags="",
            tooltip=self.text.getPlainText(),
        )
        canvas.restoreState()

    def _draw_evidence(self, name: str) -> None:
        metrics = self.styles.metrics
        label = Paragraph(EVIDENCE_LABEL, self.styles.caption)
        caption = self.styles.caption
        label_width = fonts.text_width(EVIDENCE_LABEL, caption.fontName, caption.fontSize)
        label.wrap(label_width + 1, metrics.field_height)
        label.drawOn(self.canv, self.indent, metrics.field_height * 0.25)
        start = self.indent + label_width + metrics.gutter
        field_size = (self.width - start, metrics.field_height)
        draw_rule(self.canv, self.styles, start, self.width, 0)
        self.canv.saveState()
        self.canv.translate(start, 0)
        add_text_field(self.canv, self.styles, name, field_size, tooltip=EVIDENCE_LABEL)
        self.canv.restoreState()
