"""Filled copies of a PDF form: the values and their printed look, appended to the blank form.

A packet is drawn once with empty fields. A filled copy is those bytes unchanged,
followed by an incremental update (PDF 32000-1, 7.5.6): a new version of each filled
field's widget, holding the value (`/V`) and an appearance stream that draws it in
the theme's fonts, then a cross-reference section for the new objects. Readers see
the newest versions; the fields stay editable. Right-to-left runs are drawn in
visual order, as on the pages.

A document that names a person field (a roster's packet) becomes the person's in the
same update: a new document information dictionary titles it for them, and the
running header's person line, a form XObject that every page after the first shows
and the blank form leaves empty (see `pages`), gets a new version that draws their
name and level.

Only forms that guide's own writer drew are read: one cross-reference table, widget
dictionaries in plain text, each empty field written as `/V ()`.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from reportlab.lib.rl_accel import fp_str
from reportlab.lib.styles import ParagraphStyle

from guide.model import (
    DEFAULT_LANGUAGE,
    FormField,
    Metadata,
    personal_identity,
    personal_line,
    personal_title,
    written_right_to_left,
)
from guide.scripts import seen_line, visual_order
from guide.theme import Theme
from guide.writers.pdf import fonts
from guide.writers.pdf.fields import BLANK_CHOICE
from guide.writers.pdf.pages import PERSON_LINE
from guide.writers.pdf.styles import build_styles
from guide.writers.pdf.subsets import Subsets, stream
from guide.writers.pdf.tagging import xmp_packet
from guide.writers.pdf.widgets import MULTILINE

LEADING = 1.2
"""Line spacing of multi-line values, in font sizes (as reportlab's own appearances)."""

INSET = 2.0
"""Distance in points of the text from the widget's left and top edges."""

MIN_FONT_SIZE = 4.0
"""The smallest size a value is shrunk to, to fit its field: small, but nothing typed is lost on paper."""


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
    offsets: dict[int, int]
    """The byte offset of each object in use."""
    person_line: tuple[int, tuple[float, float, float, float]] | None
    """The object number and bounding box of the running header's person line, if the form has one."""
    metadata: int | None
    """The object number of the XMP metadata, which names the title, if the form has it."""


def fill_pdf(data: bytes, fields: Iterable[FormField], theme: Theme, meta: Metadata | None = None) -> bytes:
    """Return the PDF form `data` with each of `fields` that has a value filled in, in `theme`'s fonts.

    With the document's `meta`, a document with a person field is titled and headed for its person.
    """
    fields = [field for field in fields if field.value]
    if not fields:
        return data
    update = _Update(read_form(data), theme, meta.language if meta is not None else DEFAULT_LANGUAGE)
    person = personal_line(meta, fields) if meta is not None else ""
    if person:
        assert meta is not None
        update.personalise(person, personal_title(meta, fields), meta, personal_identity(meta, fields))
    return update.filled(fields)


@functools.lru_cache(maxsize=32)
def read_form(data: bytes) -> BlankForm:
    """Return the widgets and trailer of a blank form that guide's PDF writer drew."""
    xref_offset = int(re.findall(rb"startxref\s+(\d+)\s+%%EOF", data)[-1])
    trailer = data[data.index(b"trailer", xref_offset) :]
    widgets = {}
    offsets = dict(_object_offsets(data, xref_offset))
    for number, offset in offsets.items():
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
        offsets=offsets,
        person_line=_find_person_line(data, offsets),
        metadata=_find_metadata(data),
    )


def _find_metadata(data: bytes) -> int | None:
    """Return the object number of the catalog's XMP metadata, if it has any."""
    found = re.search(rb"/Metadata (\d+) 0 R", data)
    return None if found is None else int(found.group(1))


def _find_person_line(
    data: bytes, offsets: dict[int, int]
) -> tuple[int, tuple[float, float, float, float]] | None:
    """Return the object number and bounding box of the form XObject that holds the person line, if any."""
    found = re.search(rb"/FormXob\.%s (\d+) 0 R" % PERSON_LINE.encode("ascii"), data)
    if found is None:
        return None
    number = int(found.group(1))
    head = data[offsets[number] : data.index(b"stream", offsets[number])]
    left, bottom, right, top = (
        float(value) for value in _entry(rb"/BBox \[\s*([-\d. ]+?)\s*\]", head).split()
    )
    return number, (left, bottom, right, top)


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
        multiline=bool(flags & MULTILINE) and b"/FT /Tx" in dictionary,
    )
    return _entry(rb"/T \(([\w-]+)\)", dictionary).decode("ascii"), widget


def _entry(pattern: bytes, text: bytes) -> bytes:
    found = re.search(pattern, text)
    if found is None:
        raise ValueError(f"not a blank form guide drew: no {pattern.decode()!r}")
    return found.group(1)


class _Update:
    """The objects of one incremental update, numbered after the blank form's own."""

    def __init__(self, form: BlankForm, theme: Theme, language: str) -> None:
        self.form = form
        self.theme = theme
        self.right_to_left = written_right_to_left(language)
        """Values are then drawn from the right, each line in the order its words are seen."""
        self.typeface = fonts.register_typeface(theme.fonts.for_language(language))
        self.objects: dict[int, bytes] = {}
        self.next_number = form.size
        self.subsets = Subsets()
        self.resources = self.add(b"")  # written last, once every font is known
        self.info = form.info

    def personalise(
        self, person: str, title: str, meta: Metadata, identity: tuple[tuple[str, str], ...]
    ) -> None:
        """Title the file `title` and name `person` in the running header (on pages after the first).

        The title is in the document information and in the XMP metadata alike, which
        also says what file this is and whose (`identity`).
        """
        info = self.form.data[self.form.offsets[int(self.form.info.split()[0])] :]
        info = info[info.index(b"<<") : info.index(b"endobj")].strip()
        pattern = rb"/Title \((?:\\.|[^\\)])*\)"
        titled, count = re.subn(pattern, _literally(b"/Title " + _text_string(title)), info)
        if count != 1:
            raise ValueError(f"not a form guide drew: its information has no title to replace ({count})")
        self.info = b"%d 0 R" % self.add(titled)
        if self.form.metadata is not None:
            packet = xmp_packet(title, meta.language, identity)
            head = b"<< /Type /Metadata /Subtype /XML /Length %d >>" % len(packet)
            self.objects[self.form.metadata] = head + b"\nstream\n" + packet + b"\nendstream"
        if self.form.person_line is not None:
            number, box = self.form.person_line
            self.objects[number] = self._person_line(person, box)

    def _person_line(self, person: str, box: tuple[float, float, float, float]) -> bytes:
        """Return the person line's form XObject, in the blank one's `box`, drawing `person` as headers do."""
        style = _furniture(self.theme)
        text = self.typeface.shortened(person, box[2], style.fontSize)
        colour = " ".join(fp_str(part) for part in style.textColor.rgb())
        text = self._drawn(text)
        left = box[2] - self.typeface.width(text, style.fontSize) if self.right_to_left else 0
        operators = [f"BT {colour} rg 1 0 0 1 {fp_str(left)} 0 Tm", *self._runs(text, style.fontSize), "ET"]
        return _form_xobject(box, self.resources, operators)

    def _drawn(self, line: str) -> str:
        """Return `line` as it is drawn: its right-to-left words joined, each in the order it is seen."""
        return seen_line(line) if self.right_to_left else visual_order(line)

    def _runs(self, drawn: str, size: float) -> list[str]:
        """Return the operators that show `drawn` at `size` from the current point, run by run."""
        return [
            f"/{name} {fp_str(size)} Tf <{codes.hex()}> Tj"
            for face, run in self.typeface.runs(drawn)
            for name, codes in self.subsets.encode(face, run)
        ]

    def _appearance(self, widget: Widget, value: str, start: float) -> bytes:
        """Return an appearance stream drawing `value` in `widget`, shrunk to fit if need be.

        Each line starts at the left, or ends at the right in a right-to-left document.

        A widget whose size the viewer fits (0 in its `/DA`) starts from `start`.
        """
        size, lines = _fitted(widget, value, widget.font_size or start, self.typeface)
        # the first baseline: below the top edge for several lines, else one line centred
        first = widget.height - INSET - size if widget.multiline else (widget.height - size) / 2 + size * 0.2
        operators = ["/Tx BMC q", f"1 1 {fp_str(widget.width - 2)} {fp_str(widget.height - 2)} re W n"]
        operators.append(f"BT {widget.colour}")
        for number, line in enumerate(lines):
            drawn = self._drawn(line)
            left = widget.width - INSET - self.typeface.width(drawn, size) if self.right_to_left else INSET
            operators.append(f"1 0 0 1 {fp_str(left)} {fp_str(first - number * size * LEADING)} Tm")
            operators += self._runs(drawn, size)
        operators.append("ET Q EMC")
        return _form_xobject((0, 0, widget.width, widget.height), self.resources, operators)

    def add(self, body: bytes) -> int:
        """Add a new object; return its number."""
        number = self.next_number
        self.next_number += 1
        self.objects[number] = body
        return number

    def filled(self, fields: list[FormField]) -> bytes:
        """Return the form's bytes followed by the update that fills `fields`."""
        start = self.theme.font_size.points  # where a field whose size the viewer fits starts
        for field in fields:
            widget = self.form.widgets.get(field.name)
            if widget is None:
                raise ValueError(f"the form has no field '{field.name}'")
            content = self._appearance(widget, field.value, start)
            self.objects[widget.number] = _filled_dictionary(widget, field, self.add(content))
        fonts_used = self.subsets.write_objects(self.add)
        listed = " ".join(f"/{name} {number} 0 R" for name, number in fonts_used.items())
        self.objects[self.resources] = f"<< /ProcSet [/PDF /Text] /Font << {listed} >> >>".encode("ascii")
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
            % (self.next_number, self.form.root, self.info, self.form.file_id, update_id,
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


def _form_xobject(box: tuple[float, float, float, float], resources: int, operators: list[str]) -> bytes:
    """Return a form XObject of bounding `box` that runs `operators` with the `resources` object."""
    bbox = " ".join(fp_str(value) for value in box)
    entries = b"/Type /XObject /Subtype /Form /FormType 1 /BBox [%s] /Resources %d 0 R" % (
        bbox.encode(),
        resources,
    )
    return stream(entries, "\n".join(operators).encode("ascii"))


@functools.lru_cache(maxsize=8)
def _furniture(theme: Theme) -> ParagraphStyle:
    """Return the running header's style in `theme` (the same for every filled copy)."""
    return build_styles(theme).furniture


def _text_string(text: str) -> bytes:
    """Return `text` as a PDF text string: UTF-16 with its byte order mark, in hex."""
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode("ascii") + b">"


def _filled_dictionary(widget: Widget, field: FormField, appearance: int) -> bytes:
    """Return the widget's dictionary holding `field`'s value, drawn by the `appearance` stream."""
    replacements = [
        (rb"/V \(\)", b"/V " + _text_string(field.value)),
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


def _fitted(widget: Widget, value: str, start: float, typeface: fonts.Typeface) -> tuple[float, list[str]]:
    """Return the font size and lines that show `value` whole in `widget`, as large as will fit.

    The size shrinks from `start` in half points down to MIN_FONT_SIZE; a value too long
    even then shows the lines that fit (the field still holds all of it).
    """
    width = widget.width - 2 * INSET
    size = start
    while True:
        if widget.multiline:
            lines = _wrapped(value, width, size, typeface)
            fits = len(lines) * size * LEADING <= widget.height - INSET
        else:
            lines = [" ".join(value.split())]
            fits = typeface.width(lines[0], size) <= width
        if fits or size <= MIN_FONT_SIZE:
            break
        size -= 0.5
    if widget.multiline:
        lines = lines[: max(1, int((widget.height - INSET) // (size * LEADING)))]
    return size, lines


URL_BREAK = re.compile(r"(?<=[/.?&=_-])(?=[^/.?&=_-])")
"""Where a word too long for its line may break: after the punctuation that separates a link's parts."""


def _wrapped(value: str, width: float, size: float, typeface: fonts.Typeface) -> list[str]:
    """Return the lines of `value`: its own line breaks, and words wrapped to `width`.

    A word wider than a line (a link) is broken after `/`, `.`, `?`, `&`, `=`, `_` or `-`,
    or, with none of those, between any two characters.
    """
    lines = []
    for paragraph in value.splitlines() or [""]:
        line = ""
        for piece, glued in _pieces(paragraph, width, size, typeface):
            candidate = line + piece if glued or not line else f"{line} {piece}"
            if line and typeface.width(candidate, size) > width:
                lines.append(line)
                line = piece
            else:
                line = candidate
        lines.append(line)
    return lines


def _pieces(
    paragraph: str, width: float, size: float, typeface: fonts.Typeface
) -> Iterator[tuple[str, bool]]:
    """Yield the words of `paragraph`, and whether each follows the last with no space between.

    A word wider than `width` comes in pieces, each glued to the one before.
    """
    for word in paragraph.split():
        if typeface.width(word, size) <= width:
            yield word, False
            continue
        parts = [
            piece
            for part in URL_BREAK.split(word)
            if part
            for piece in _characters_fitting(part, width, size, typeface)
        ]
        yield parts[0], False
        for part in parts[1:]:
            yield part, True


def _characters_fitting(part: str, width: float, size: float, typeface: fonts.Typeface) -> list[str]:
    """Return `part` cut between characters into pieces no wider than `width` (one character at least)."""
    pieces, piece = [], ""
    for character in part:
        if piece and typeface.width(piece + character, size) > width:
            pieces.append(piece)
            piece = ""
        piece += character
    return [*pieces, piece]
