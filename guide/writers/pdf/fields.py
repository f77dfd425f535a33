"""Flowables for things to fill in: checklist boxes, form fields and signature lines.

Each interactive part is a real AcroForm field, and each also draws its box or
line into the page itself, so a printout (or a viewer without forms) shows
where to write.
"""

from __future__ import annotations

from typing import assert_never

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph

from guide.model import FormField, Words
from guide.writers.pdf import fonts, widgets
from guide.writers.pdf.formcanvas import FormCanvas
from guide.writers.pdf.inline import draw_text
from guide.writers.pdf.styles import Styles
from guide.writers.pdf.tagging import structure_of

BLANK_CHOICE = ""


def form_of(canvas: Canvas) -> widgets.Form:
    """Return the form of the document `canvas` draws (the writer always draws on a FormCanvas)."""
    assert isinstance(canvas, FormCanvas), "the writer builds with canvasmaker=PageCountCanvas"
    return canvas.form


def draw_field_frame(canvas: Canvas, styles: Styles, width: float, height: float) -> None:
    """Draw a printed box of `width` x `height` at the origin, where a form field will sit."""
    canvas.saveState()
    canvas.setLineWidth(styles.metrics.field_line_width)
    canvas.setStrokeColor(styles.palette.muted)
    canvas.setFillColor(styles.palette.paper)
    canvas.rect(0, 0, width, height, stroke=1, fill=1)
    canvas.restoreState()


def draw_rule(canvas: Canvas, styles: Styles, start: float, end: float, y: float) -> None:
    """Draw a printed line from `start` to `end` at height `y`, to write or sign on."""
    canvas.saveState()
    canvas.setLineWidth(styles.metrics.field_line_width)
    canvas.setStrokeColor(styles.palette.muted)
    canvas.line(start, y, end, y)
    canvas.restoreState()


def widget_rectangle(
    styles: Styles, size: tuple[float, float], multiline: bool = False, reserve: float = 0
) -> tuple[float, float, float, float]:
    """Return (x, y, width, height) of a field widget inside a printed box of `size`.

    The widget is inset so typed text keeps clear of the box's edges; a one-line
    widget is centred vertically; `reserve` keeps room free at the end (for an arrow):
    at the right, or at the left in a right-to-left document.
    """
    width, height = size
    padding = styles.metrics.base * 0.3
    inner_width = max(width - 2 * padding - reserve, padding)
    left = padding + reserve if styles.right_to_left else padding
    if multiline:
        return left, padding, inner_width, height - 2 * padding
    inner_height = min(height, styles.metrics.field_font_size * 1.6)
    return left, (height - inner_height) / 2, inner_width, inner_height


def add_text_field(
    canvas: Canvas, styles: Styles, field: FormField, size: tuple[float, float], words: Words, part: int = 1
) -> None:
    """Add an empty text field for `field` (text, multi-line or date) inside a printed box of `size`.

    Values are filled in later, in the embedded fonts (see `fill`). A `part` after the
    first is a field of its own, where the answer continues beside a table row's text
    on a later page (see `FieldBox.continued`).
    """
    multiline = field.kind == "multiline"
    widgets.add_text(
        canvas,
        form_of(canvas),
        widgets.Box(*widget_rectangle(styles, size, multiline)),
        name=part_name(field.name, part),
        label=part_label(field.label, part),
        multiline=multiline,
        font_size=styles.metrics.field_font_size,
        colour=styles.palette.text,
        date_pattern=words.date_pattern if field.kind == "date" else "",
        right_to_left=styles.right_to_left,
    )


def add_choice_field(canvas: Canvas, styles: Styles, field: FormField, size: tuple[float, float]) -> None:
    """Add a drop-down list for choice `field`, its blank first option selected.

    The list starts with that blank option, so a choice can also be cleared; a value is
    selected later (see `fill`).
    """
    widgets.add_choice(
        canvas,
        form_of(canvas),
        widgets.Box(*widget_rectangle(styles, size, reserve=styles.metrics.base * 1.2)),
        name=field.name,
        label=field.label,
        options=(BLANK_CHOICE, *field.choices),
        font_size=styles.metrics.field_font_size,
        colour=styles.palette.text,
        right_to_left=styles.right_to_left,
    )


def draw_caption(canvas: Canvas, styles: Styles, text: str, left: float, baseline: float) -> float:
    """Draw `text` in the caption style from `left` on `baseline`; return its width."""
    return draw_text(canvas, text, styles.caption, styles.typeface, left, baseline)


def part_name(name: str, part: int) -> str:
    """Return the name of part `part` of the field `name`: its own name first, then `name-part-2`...

    Layouts' names have no `-` (see `model.NAME_PATTERN`), so a part's name is never theirs.
    """
    return name if part == 1 else f"{name}-part-{part}"


def part_label(label: str, part: int) -> str:
    """Return what screen readers and form tools call part `part` of the field `label`."""
    return label if part == 1 else f"{label} (part {part})"


class FieldBox(Flowable):
    """A printed box holding the AcroForm field for `field`: text, multiline, date or choice.

    `part` counts the pages a multi-line field continues over beside a long table row.
    """

    def __init__(self, field: FormField, styles: Styles, words: Words, part: int = 1) -> None:
        super().__init__()
        self.field = field
        self.styles = styles
        self.words = words
        self.part = part
        self.box_width = 0.0

    def continued(self) -> FieldBox | None:
        """Return the box that continues this multi-line field on the next page, beside its row's text."""
        if self.field.kind != "multiline":
            return None
        return FieldBox(self.field, self.styles, self.words, self.part + 1)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        """Return the size of the box at `availWidth`: dates and choices are narrower."""
        metrics = self.styles.metrics
        self.box_width = min(availWidth, self._natural_width(availWidth))
        self.width = availWidth
        multiline = self.field.kind == "multiline"
        self.height = metrics.base * self.field.box_height if multiline else metrics.field_height
        return self.width, self.height

    def _natural_width(self, available: float) -> float:
        metrics = self.styles.metrics
        match self.field.kind:
            case "text" | "multiline":
                return available
            case "date":
                return metrics.base * 12
            case "choice":
                longest = max(
                    fonts.text_width(choice, self.styles.typeface.regular, metrics.field_font_size)
                    for choice in self.field.choices
                )
                return max(metrics.base * 18, longest + metrics.base * 4)
            case _:
                assert_never(self.field.kind)

    def draw(self) -> None:
        """Draw the printed box, then the field on top of it; the label is its tooltip.

        A box narrower than the line starts it: at the left, or at the right in a
        right-to-left document, with its hint and its arrow mirrored.
        """
        field, size = self.field, (self.box_width, self.height)
        if self.styles.right_to_left:
            self.canv.translate(self.width - self.box_width, 0)
        draw_field_frame(self.canv, self.styles, *size)
        match field.kind:
            case "text" | "multiline" | "date":
                add_text_field(self.canv, self.styles, field, size, self.words, self.part)
                if field.kind == "date":
                    self._draw_hint(self.words.date_hint)
            case "choice":
                add_choice_field(self.canv, self.styles, field, size)
                self._draw_arrow()
            case _:
                assert_never(field.kind)

    def _draw_hint(self, text: str) -> None:
        """Draw `text` after the box: at its right, or at its left right to left."""
        styles = self.styles
        gap = styles.metrics.gutter
        x = (
            -gap - styles.typeface.width(text, styles.caption.fontSize)
            if styles.right_to_left
            else self.box_width + gap
        )
        draw_caption(self.canv, styles, text, x, (self.height - styles.caption.fontSize) / 2 + 1)

    def _draw_arrow(self) -> None:
        """Draw a small down-pointing triangle at the box's end, so print shows it is a choice."""
        side = self.styles.metrics.base * 0.6
        inset = self.styles.metrics.base * 0.6
        right = inset + side if self.styles.right_to_left else self.box_width - inset
        middle = self.height / 2
        path = self.canv.beginPath()
        path.moveTo(right - side, middle + side / 3)
        path.lineTo(right, middle + side / 3)
        path.lineTo(right - side / 2, middle - side / 3)
        path.close()
        self.canv.saveState()
        self.canv.setFillColor(self.styles.palette.muted)
        self.canv.drawPath(path, stroke=0, fill=1)
        self.canv.restoreState()


class SignatureFlowable(Flowable):
    """The signer's `label`, then a long line to sign on and a shorter one for the date.

    With a `date` field, the date line is that field, to type the date signed on.
    """

    def __init__(self, label: Paragraph, styles: Styles, words: Words, date: FormField | None = None) -> None:
        super().__init__()
        self.label = label
        self.styles = styles
        self.words = words
        self.date = date
        self.label_height = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        """Return the size: the label, room to sign, the lines and their captions."""
        _, self.label_height = self.label.wrap(availWidth, availHeight)
        self.width = availWidth
        self.height = self.label_height + self._signing_room() + self.styles.caption.leading
        return self.width, self.height

    def _signing_room(self) -> float:
        return self.styles.metrics.base * 3

    def getSpaceAfter(self) -> float:
        """Return the gap below the signature block."""
        return self.styles.metrics.block_gap

    def draw(self) -> None:
        """Draw the label, both lines and the captions under them.

        The signature line comes first: at the left, or at the right in a right-to-left
        document, where each caption starts at its line's right end.
        """
        self.label.drawOn(self.canv, 0, self.height - self.label_height)
        line_y = self.styles.caption.leading
        lines = [(0.0, self.width * 0.6), (self.width * 0.68, self.width)]
        if self.styles.right_to_left:
            lines = [(self.width - end, self.width - start) for start, end in lines]
        (signature_start, signature_end), (date_start, date_end) = lines
        draw_rule(self.canv, self.styles, signature_start, signature_end, line_y)
        draw_rule(self.canv, self.styles, date_start, date_end, line_y)
        if self.date is not None:
            self._add_date_field(date_start, date_end, line_y)
        baseline = line_y - self.styles.caption.fontSize * 1.1
        structure = structure_of(self.canv)
        for (start, end), caption_text in zip(lines, (self.words.signature, self.words.date), strict=True):
            if self.styles.right_to_left:
                start = end - self.styles.typeface.width(caption_text, self.styles.caption.fontSize)
            with structure.element("P"), structure.content(self.canv):
                draw_caption(self.canv, self.styles, caption_text, start, baseline)

    def _add_date_field(self, start: float, end: float, line_y: float) -> None:
        """Add the date field on the date line, from `start` to `end`."""
        assert self.date is not None
        height = self.styles.metrics.field_font_size * 1.6 + self.styles.metrics.base * 0.6
        self.canv.saveState()
        self.canv.translate(start, line_y)
        add_text_field(self.canv, self.styles, self.date, (end - start, height), self.words)
        self.canv.restoreState()


class LabelledField(Flowable):
    """A field's label, its box and (for choices) a printed list of the choices, never split.

    reportlab's KeepTogether cannot be split inside a table cell, so the parts are
    stacked here instead.
    """

    def __init__(self, parts: list[Flowable], styles: Styles) -> None:
        super().__init__()
        self.parts = parts
        self.styles = styles
        self.heights: list[float] = []

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        """Return the size of the parts stacked at `availWidth`."""
        self.heights = [part.wrap(availWidth, availHeight)[1] for part in self.parts]
        self.width = availWidth
        self.height = sum(self.heights) + self._gap() * (len(self.parts) - 1)
        return self.width, self.height

    def _gap(self) -> float:
        return self.styles.metrics.base * 0.25

    def continued(self) -> LabelledField | None:
        """Return the box that continues this field beside a row split over pages, if it is multi-line."""
        boxes = [part.continued() for part in self.parts if isinstance(part, FieldBox)]
        box = next((box for box in boxes if box is not None), None)
        return None if box is None else LabelledField([box], self.styles)

    def getSpaceAfter(self) -> float:
        """Return the gap below the field."""
        return self.styles.metrics.block_gap

    def draw(self) -> None:
        """Draw the parts from the top down."""
        top = self.height
        for part, height in zip(self.parts, self.heights, strict=True):
            part.drawOn(self.canv, 0, top - height)
            top -= height + self._gap()
