"""Filled copies of a PDF form: the values and their printed look, appended to the blank form.

A packet is drawn once with empty fields. A filled copy is those bytes unchanged,
followed by an incremental update (PDF 32000-1, 7.5.6): a new version of each filled
field's widget, holding the value (`/V`) and an appearance stream that draws it in
the theme's fonts, then a cross-reference section for the new objects. Readers see
the newest versions; the fields stay editable. Right-to-left runs are drawn in
visual order, as on the pages.

Only forms that guide's own writer drew are read: one cross-reference table, widget
dictionaries in plain text, each empty field written as `/V ()`.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from reportlab.lib.rl_accel import fp_str

from guide.model import FormField
from guide.scripts import visual_order
from guide.theme import FontFiles
from guide.writers.pdf import fonts
from guide.writers.pdf.fields import BLANK_CHOICE
from guide.writers.pdf.subsets import Subsets, stream

MULTILINE_FLAG = 1 << 12
"""Bit 13 of a text field's `/Ff`: the field takes several lines."""

LEADING = 1.2
"""Line spacing of multi-line values, in font sizes (as reportlab's own appearances)."""

INSET = 2.0
"""Distance in points of the text from the widget's left and top edges."""

MIN_FONT_SIZE = 6.0
"""The smallest size a value is shrunk to, to fit its field: still legible in print."""


@dataclass(frozen=True)
class Widget:
    """A field's widget in the blank form: its object and what its appearance needs."""

    number: int
    dictionary: bytes
    width: float
    height: float
    font_size: float
    colour: str
    multiline: bool


@dataclass(frozen=True)
class BlankForm:
    """A blank PDF form ready to be filled: its bytes, widgets by field name, and trailer."""

    data: bytes
    widgets: dict[str, Widget]
    size: int
    root: bytes
    info: bytes
    file_id: bytes
    xref_offset: int


def fill_pdf(data: bytes, fields: Iterable[FormField], font_files: FontFiles = fonts.DEFAULT_FONTS) -> bytes:
    """Return the PDF form `data` with each of `fields` that has a value filled in, in `font_files`."""
    fields = [field for field in fields if field.value]
    if not fields:
        return data
    return _Update(read_form(data), fonts.register_typeface(font_files)).filled(fields)


@functools.lru_cache(maxsize=32)
def read_form(data: bytes) -> BlankForm:
    """Return the widgets and trailer of a blank form that guide's PDF writer drew."""
    xref_offset = int(re.findall(rb"startxref\s+(\d+)\s+%%EOF", data)[-1])
    trailer = data[data.index(b"trailer", xref_offset) :]
    widgets = {}
    for number, offset in _object_offsets(data, xref_offset):
        body = data[offset : data.index(b"endobj", offset)]
        if _FILLABLE.search(body) and b"stream" not in body:
            name, widget = _widget(number, body[body.index(b"<<") : body.rindex(b">>") + 2])
            widgets[name] = widget
    return BlankForm(
        data=data,
        widgets=widgets,
        size=int(_entry(rb"/Size (\d+)", trailer)),
        root=_entry(rb"/Root (\d+ \d+ R)", trailer),
        info=_entry(rb"/Info (\d+ \d+ R)", trailer),
        file_id=_entry(rb"/ID\s*\[\s*<([0-9a-fA-F]+)>", trailer),
        xref_offset=xref_offset,
    )


_FILLABLE = re.compile(rb"/FT /(Tx|Ch)\b")
"""Text and choice fields: the kinds a form field's value fills (checkboxes hold none)."""


def _object_offsets(data: bytes, xref_offset: int) -> list[tuple[int, int]]:
    """Return (object number, byte offset) of each object in use, from the cross-reference table."""
    offsets = []
    lines = iter(data[xref_offset : data.index(b"trailer", xref_offset)].split(b"\n")[1:])
    for line in lines:
        if not line.strip():
            continue
        first, count = (int(part) for part in line.split())
        for number in range(first, first + count):
            offset, _, kind = next(lines).split()
            if kind == b"n":
                offsets.append((number, int(offset)))
    return offsets


def _widget(number: int, dictionary: bytes) -> tuple[str, Widget]:
    x0, y0, x1, y1 = (float(value) for value in _entry(rb"/Rect \[([-\d. ]+)\]", dictionary).split())
    size, colour = _entry(rb"/DA \(/\w+ ([\d.]+ Tf [^)]*)\)", dictionary).split(b" Tf ")
    flags = int(_entry(rb"/Ff (\d+)", dictionary))
    widget = Widget(
        number=number,
        dictionary=dictionary,
        width=x1 - x0,
        height=y1 - y0,
        font_size=float(size),
        colour=colour.decode("ascii"),
        multiline=bool(flags & MULTILINE_FLAG) and b"/FT /Tx" in dictionary,
    )
    return _entry(rb"/T \((\w+)\)", dictionary).decode("ascii"), widget


def _entry(pattern: bytes, text: bytes) -> bytes:
    found = re.search(pattern, text)
    if found is None:
        raise ValueError(f"not a blank form guide drew: no {pattern.decode()!r}")
    return found.group(1)


class _Update:
    """The objects of one incremental update, numbered after the blank form's own."""

    def __init__(self, form: BlankForm, typeface: fonts.Typeface) -> None:
        self.form = form
        self.typeface = typeface
        self.objects: dict[int, bytes] = {}
        self.next_number = form.size

    def add(self, body: bytes) -> int:
        """Add a new object; return its number."""
        number = self.next_number
        self.next_number += 1
        self.objects[number] = body
        return number

    def filled(self, fields: list[FormField]) -> bytes:
        """Return the form's bytes followed by the update that fills `fields`."""
        subsets = Subsets()
        resources = self.add(b"")  # written last, once every font is known
        for field in fields:
            widget = self.form.widgets.get(field.name)
            if widget is None:
                raise ValueError(f"the form has no field '{field.name}'")
            appearance = self.add(_appearance(widget, field.value, subsets, resources, self.typeface))
            self.objects[widget.number] = _filled_dictionary(widget, field, appearance)
        fonts_used = subsets.write_objects(self.add)
        listed = " ".join(f"/{name} {number} 0 R" for name, number in fonts_used.items())
        self.objects[resources] = f"<< /ProcSet [/PDF /Text] /Font << {listed} >> >>".encode("ascii")
        return self._bytes()

    def _bytes(self) -> bytes:
        parts = [self.form.data]
        offset = len(self.form.data)
        offsets = {}
        for number in sorted(self.objects):
            offsets[number] = offset
            part = b"%d 0 obj\n%s\nendobj\n" % (number, self.objects[number])
            parts.append(part)
            offset += len(part)
        update_id = hashlib.md5(b"".join(parts[1:])).hexdigest().encode("ascii")
        parts.append(_xref(offsets))
        parts.append(
            b"trailer\n<< /Size %d /Root %s /Info %s /ID [<%s><%s>] /Prev %d >>\nstartxref\n%d\n%%%%EOF\n"
            % (self.next_number, self.form.root, self.form.info, self.form.file_id, update_id,
               self.form.xref_offset, offset)
        )  # fmt: skip
        return b"".join(parts)


def _xref(offsets: dict[int, int]) -> bytes:
    """Return a cross-reference section with a subsection per run of consecutive numbers."""
    lines = [b"xref"]
    numbers = sorted(offsets)
    start = 0
    for index in range(1, len(numbers) + 1):
        if index == len(numbers) or numbers[index] != numbers[index - 1] + 1:
            run = numbers[start:index]
            lines.append(b"%d %d" % (run[0], len(run)))
            lines.extend(b"%010d 00000 n " % offsets[number] for number in run)
            start = index
    return b"\n".join(lines) + b"\n"


def _literally(replacement: bytes) -> Callable[[re.Match[bytes]], bytes]:
    """Return a `re.sub` replacement that puts in `replacement` as it is (no escapes or groups)."""
    return lambda _: replacement


def _filled_dictionary(widget: Widget, field: FormField, appearance: int) -> bytes:
    """Return the widget's dictionary holding `field`'s value, drawn by the `appearance` stream."""
    value = b"<FEFF" + field.value.encode("utf-16-be").hex().upper().encode("ascii") + b">"
    replacements = [
        (rb"/V \(\)", b"/V " + value),
        (rb"/AP <<\s*/N \d+ 0 R\s*>>", b"/AP << /N %d 0 R >>" % appearance),
    ]
    if field.kind == "choice":
        index = [BLANK_CHOICE, *field.choices].index(field.value)
        replacements.append((rb"/I \[ 0 \]", b"/I [ %d ]" % index))
    dictionary = widget.dictionary
    for pattern, replacement in replacements:
        dictionary, count = re.subn(pattern, _literally(replacement), dictionary)
        if count != 1:
            raise ValueError(f"field {field.name!r} is not blank in the form: {pattern.decode()!r}")
    return dictionary


def _appearance(
    widget: Widget, value: str, subsets: Subsets, resources: int, typeface: fonts.Typeface
) -> bytes:
    """Return an appearance stream drawing `value` in `widget`, left-aligned, shrunk to fit if need be."""
    size, lines = _fitted(widget, value, typeface)
    # the first baseline: below the top edge for several lines, else one line centred
    first = widget.height - INSET - size if widget.multiline else (widget.height - size) / 2 + size * 0.2
    operators = [
        "/Tx BMC q",
        f"1 1 {fp_str(widget.width - 2)} {fp_str(widget.height - 2)} re W n",
        f"BT {widget.colour}",
    ]
    for number, line in enumerate(lines):
        operators.append(f"1 0 0 1 {fp_str(INSET)} {fp_str(first - number * size * LEADING)} Tm")
        for face, run in typeface.runs(visual_order(line)):
            for name, codes in subsets.encode(face, run):
                operators.append(f"/{name} {fp_str(size)} Tf <{codes.hex()}> Tj")
    operators.append("ET Q EMC")
    content = "\n".join(operators).encode("ascii")
    entries = b"/Type /XObject /Subtype /Form /FormType 1 /BBox [0 0 %s %s] /Resources %d 0 R" % (
        fp_str(widget.width).encode(),
        fp_str(widget.height).encode(),
        resources,
    )
    return stream(entries, content)


def _fitted(widget: Widget, value: str, typeface: fonts.Typeface) -> tuple[float, list[str]]:
    """Return the font size and lines that show `value` whole in `widget`, as large as will fit.

    The size shrinks in half points down to MIN_FONT_SIZE; a value too long even then
    shows the lines that fit (the field still holds all of it).
    """
    width = widget.width - 2 * INSET
    size = widget.font_size
    while True:
        if widget.multiline:
            lines = _wrapped(value, width, size, typeface)
            fits = len(lines) * size * LEADING <= widget.height - INSET
        else:
            lines = [" ".join(value.split())]
            fits = _width(lines[0], size, typeface) <= width
        if fits or size <= MIN_FONT_SIZE:
            break
        size -= 0.5
    if widget.multiline:
        lines = lines[: max(1, int((widget.height - INSET) // (size * LEADING)))]
    return size, lines


def _wrapped(value: str, width: float, size: float, typeface: fonts.Typeface) -> list[str]:
    """Return the lines of `value`: its own line breaks, and words wrapped to `width`."""
    lines = []
    for paragraph in value.splitlines() or [""]:
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            if line and _width(candidate, size, typeface) > width:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return lines


def _width(text: str, size: float, typeface: fonts.Typeface) -> float:
    return sum(fonts.text_width(run, face, size) for face, run in typeface.runs(text))
