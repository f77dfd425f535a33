"""The interactive form: text, choice and checkbox widgets, and the form dictionary that lists them.

Drawn here rather than through reportlab's AcroForm, which names only the
standard fonts (not embedded, one byte a character) in every field's `/DA`: a
viewer that draws a typed value itself then loses every letter outside Western
Europe. Here every text and choice field names the form's embedded font
(`formfont`), which has every script the form may hold; checkboxes name
ZapfDingbats, which viewers need only to redraw a tick.

Each widget is transparent and borderless: the printed boxes are part of the page
(see `fields`), so they show without the form layer. Fields are written empty;
values are filled in afterwards (see `fill`), which reads the widgets as written
here: their dictionaries in plain text, `/V ()` while empty.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.colors import Color
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFDictionary,
    PDFDocument,
    PDFName,
    PDFObject,
    PDFObjectReference,
    PDFStream,
    PDFString,
)
from reportlab.pdfgen.canvas import Canvas

from guide.writers.pdf.formfont import FormFont
from guide.writers.pdf.objects import RawObject
from guide.writers.pdf.subsets import subset_tag
from guide.writers.pdf.tagging import structure_of

FONT_RESOURCE = "GuideForm"
"""The name under which fields' `/DA` and the form's `/DR` know the embedded form font."""

DINGBATS_RESOURCE = "ZaDb"
"""The name under which checkboxes know ZapfDingbats, whose glyph 4 is the tick viewers redraw."""

PRINT = 4
"""Annotation flag 3: the widget is printed."""

MULTILINE = 1 << 12
COMBO = 1 << 17
RIGHT_ALIGNED = 2
"""A field's `/Q`: where viewers put its text; right-aligned in a right-to-left document."""
DO_NOT_SPELL_CHECK = 1 << 22


TICK = "4"
"""The tick in ZapfDingbats, which viewers draw when they redraw a checkbox."""


class Form(PDFObject):
    """A document's interactive form (its catalog's `/AcroForm`): the fields and the fonts they name."""

    def __init__(self, document: PDFDocument, font: FormFont) -> None:
        self.document = document
        self.fields: list[PDFObjectReference] = []
        self.font = _add_font(document, font)
        self.dingbats = document.Reference(
            RawObject("<< /Type /Font /Subtype /Type1 /BaseFont /ZapfDingbats >>")
        )

    def add(self, canvas: Canvas, widget: dict[str, object]) -> None:
        """Add the field and widget `widget` (a merged field and widget dictionary) to the current page."""
        widget.update(
            Type=PDFName("Annot"), Subtype=PDFName("Widget"), F=PRINT, P=self.document.thisPageRef()
        )
        annotation = PDFDictionary(widget)
        canvas._addAnnotation(annotation)  # type: ignore[attr-defined]  # reportlab's own, absent from its stubs
        reference = self.document.Reference(annotation)
        annotation.dict["StructParent"] = structure_of(canvas).annotation(canvas, reference, "Form")
        self.fields.append(reference)

    def format(self, document: PDFDocument) -> bytes:
        """Return the form dictionary: the fields, and a `/DR` that holds every font they name."""
        resources = PDFDictionary(
            {"Font": PDFDictionary({FONT_RESOURCE: self.font, DINGBATS_RESOURCE: self.dingbats})}
        )
        form = PDFDictionary(
            {
                "Fields": PDFArray(self.fields),
                "DA": PDFString(f"/{FONT_RESOURCE} 0 Tf 0 g"),
                "DR": resources,
            }
        )
        return form.format(document)


def _add_font(document: PDFDocument, font: FormFont) -> PDFObjectReference:
    """Add the objects of the embedded form font to `document`; return a reference to the font."""
    name = PDFName(f"{subset_tag(font.program)}GuideForm")
    program = PDFStream(
        PDFDictionary({"Filter": PDFName("FlateDecode"), "Length1": font.program_length}), font.program
    )
    descriptor = PDFDictionary({
        "Type": PDFName("FontDescriptor"), "FontName": name, "Flags": 32,
        "FontBBox": PDFArray(list(font.bbox)), "ItalicAngle": 0, "Ascent": font.ascent,
        "Descent": font.descent, "CapHeight": font.cap_height, "StemV": 80,
        "FontFile2": document.Reference(program),
    })  # fmt: skip
    glyphs = PDFDictionary({
        "Type": PDFName("Font"), "Subtype": PDFName("CIDFontType2"), "BaseFont": name,
        "CIDSystemInfo": RawObject("<< /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>"),
        "FontDescriptor": document.Reference(descriptor), "W": RawObject(f"[ {font.widths} ]"),
        "CIDToGIDMap": PDFName("Identity"), "DW": 1000,
    })  # fmt: skip
    to_unicode = PDFStream(PDFDictionary({"Filter": PDFName("FlateDecode")}), font.to_unicode)
    return document.Reference(
        PDFDictionary(
            {
                "Type": PDFName("Font"),
                "Subtype": PDFName("Type0"),
                "BaseFont": name,
                "Encoding": PDFName("Identity-H"),
                "DescendantFonts": PDFArray([document.Reference(glyphs)]),
                "ToUnicode": document.Reference(to_unicode),
            }
        )  # fmt: skip
    )


@dataclass(frozen=True)
class Box:
    """Where a widget sits, relative to the canvas's current origin, in points."""

    x: float
    y: float
    width: float
    height: float

    def rect(self, canvas: Canvas) -> PDFArray:
        """Return the widget's `/Rect` on the page (as reportlab's widgets do, for an unrotated canvas)."""
        left, bottom = canvas.absolutePosition(self.x, self.y)
        return PDFArray([left, bottom, left + self.width, bottom + self.height])


def _appearance(form: Form, box: Box, content: str, font: PDFObjectReference | None) -> PDFObjectReference:
    """Return a reference to a form XObject of `box`'s size drawing `content`, in `font` if given."""
    resources = PDFDictionary({"Font": PDFDictionary({FONT_RESOURCE: font})} if font else {})
    stream = PDFStream(
        PDFDictionary(
            {
                "Type": PDFName("XObject"),
                "Subtype": PDFName("Form"),
                "BBox": PDFArray([0, 0, box.width, box.height]),
                "Resources": resources,
            }
        ),  # fmt: skip
        content.encode("ascii"),
        filters=[],
    )
    return form.document.Reference(stream)


def _appearance_string(font_size: float, colour: Color) -> str:
    """Return a `/DA` naming the form font at `font_size` (0: fitted by the viewer) in `colour`."""
    return f"/{FONT_RESOURCE} {fp_str(font_size)} Tf {_colour(colour)} rg"


def _colour(colour: Color) -> str:
    return " ".join(fp_str(part) for part in colour.rgb())


def add_text(
    canvas: Canvas,
    form: Form,
    box: Box,
    *,
    name: str,
    label: str,
    multiline: bool,
    font_size: float,
    colour: Color,
    date_pattern: str = "",
    right_to_left: bool = False,
) -> None:
    """Add an empty text field: lines fitted by the viewer if `multiline`, a checked date if `date_pattern`.

    The pattern is in CLDR's letters (`dd.MM.yyyy`); viewers' forms library is told it in its own.
    """
    widget: dict[str, object] = {
        "FT": PDFName("Tx"),
        "T": PDFString(name),
        "TU": PDFString(label),
        "Ff": (MULTILINE if multiline else 0) | DO_NOT_SPELL_CHECK * bool(date_pattern),
        "DA": PDFString(_appearance_string(0 if multiline else font_size, colour)),
        "V": PDFString(""),
        "DV": PDFString(""),
        "Rect": box.rect(canvas),
        "AP": PDFDictionary({"N": _appearance(form, box, "/Tx BMC EMC", form.font)}),
    }
    if date_pattern:
        widget["AA"] = _date_actions(date_pattern)
    if right_to_left:
        widget["Q"] = RIGHT_ALIGNED
    form.add(canvas, widget)


def _date_actions(pattern: str) -> PDFDictionary:
    """Return actions that let a viewer take only a date, and show it in `pattern` (CLDR's letters)."""
    acrobat = pattern.replace("MM", "mm")  # the forms library's month; its d and y are CLDR's

    def script(function: str) -> PDFDictionary:
        return PDFDictionary({"S": PDFName("JavaScript"), "JS": PDFString(f'{function}("{acrobat}");')})

    return PDFDictionary({"K": script("AFDate_KeystrokeEx"), "F": script("AFDate_FormatEx")})


def add_choice(
    canvas: Canvas,
    form: Form,
    box: Box,
    *,
    name: str,
    label: str,
    options: tuple[str, ...],
    font_size: float,
    colour: Color,
    right_to_left: bool = False,
) -> None:
    """Add a drop-down list of `options`, the first one selected (shown at the right if `right_to_left`)."""
    form.add(
        canvas,
        {
            **({"Q": RIGHT_ALIGNED} if right_to_left else {}),
            "FT": PDFName("Ch"),
            "T": PDFString(name),
            "TU": PDFString(label),
            "Ff": COMBO,
            "Opt": PDFArray([PDFString(option) for option in options]),
            "I": PDFArray([0]),
            "DA": PDFString(_appearance_string(font_size, colour)),
            "V": PDFString(options[0]),
            "Rect": box.rect(canvas),
            "AP": PDFDictionary({"N": _appearance(form, box, "/Tx BMC EMC", form.font)}),
        },
    )


def add_checkbox(
    canvas: Canvas, form: Form, box: Box, *, name: str, label: str, checked: bool, tick: Box, colour: Color
) -> None:
    """Add a checkbox whose target is `box` and whose tick fills `tick` (inside `box`) when checked.

    The target may be larger than the printed box, so it is easy to hit; the tick is
    drawn as lines, in no font.
    """
    state = PDFName("Yes" if checked else "Off")
    on = _appearance(form, box, _tick_path(tick, box, colour), None)
    off = _appearance(form, box, "", None)
    form.add(
        canvas,
        {
            "FT": PDFName("Btn"),
            "T": PDFString(name),
            "TU": PDFString(label),
            "Ff": 0,
            "V": state,
            "AS": state,
            "DA": PDFString(f"/{DINGBATS_RESOURCE} 0 Tf {_colour(colour)} rg"),
            "MK": PDFDictionary({"CA": PDFString(TICK)}),
            "Rect": box.rect(canvas),
            "AP": PDFDictionary({"N": PDFDictionary({"Yes": on, "Off": off})}),
        },
    )


def _tick_path(tick: Box, box: Box, colour: Color) -> str:
    """Return operators stroking a tick inside `tick`, in the coordinates of the widget `box`."""
    left, bottom = tick.x - box.x, tick.y - box.y
    points = [(0.12, 0.52), (0.4, 0.2), (0.9, 0.85)]
    x0, y0, x1, y1, x2, y2 = (
        fp_str(value) for px, py in points for value in (left + px * tick.width, bottom + py * tick.height)
    )
    width = fp_str(max(tick.width * 0.14, 0.8))
    return f"q {_colour(colour)} RG {width} w 1 J 1 j {x0} {y0} m {x1} {y1} l {x2} {y2} l S Q"
