"""Reading a returned PDF form: its fields' values, and what it says it is from its XMP.

Read with pikepdf (qpdf), which opens what pdf.js, MuPDF, pypdf and Acrobat-style
viewers save, repairs what a cut-off download left when it can (said in the notes),
and reads objects only when asked. Values are each field's `/V`, whatever its
appearance shows: viewers that redraw appearances keep it. A field continued on a
later page (`name-part-2`, see `guide.writers.pdf.fields.part_name`) is read as its
first part's value, the parts joined by line breaks.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pikepdf

from guide.collect.limits import (
    MAX_DEPTH,
    MAX_FIELDS,
    MAX_PART_BYTES,
    MAX_VALUE_CHARS,
    Refused,
    inflated,
    parse_xml,
)
from guide.collect.returned import Control, ControlKind, Returned
from guide.identity import NAMESPACE

MULTILINE_FLAG = 1 << 12
"""`/Ff` bit 13 of a text field (PDF 32000-1, table 228)."""

PART = re.compile(r"(?P<name>.+)-part-(?P<number>[0-9]+)")


def read_pdf(path: Path) -> Returned:
    """Return the fields of the PDF at `path` and what it says it is; raise Refused if it will not open."""
    try:
        pdf = pikepdf.open(path)
    except pikepdf.PasswordError:
        raise Refused("the PDF is locked with a password: save it again without one") from None
    except (pikepdf.PdfError, ValueError) as error:
        raise Refused(f"a damaged PDF that cannot be read ({_first_line(error, path)})") from None
    with pdf:
        try:
            controls = _joined(list(_fields(pdf)))
            identity = _identity(pdf)
        except pikepdf.PdfError as error:
            raise Refused(f"a damaged PDF ({_first_line(error, path)})") from None
        warnings = pdf.get_warnings()
    notes = [
        f"a damaged PDF, repaired to be read: check its answers ({_first_line(w, path)})"
        for w in warnings[:1]
    ]
    return Returned(path, identity, tuple(controls), tuple(notes))


def _fields(pdf: pikepdf.Pdf) -> Iterator[Control]:
    """Yield the form's fields with a value, checkbox or choice, in the order of the field tree."""
    form = pdf.Root.get("/AcroForm")
    fields = form.get("/Fields") if isinstance(form, pikepdf.Dictionary) else None
    if not isinstance(fields, pikepdf.Array):
        return
    count = 0
    stack: list[tuple[pikepdf.Object, str, dict[str, pikepdf.Object], int]] = [
        (field, "", {}, 0) for field in reversed(list(fields))
    ]
    seen: set[tuple[int, int]] = set()
    while stack:
        node, parent_name, inherited, depth = stack.pop()
        if not isinstance(node, pikepdf.Dictionary) or depth > MAX_DEPTH or _seen(node, seen):
            continue
        count += 1
        if count > MAX_FIELDS:
            raise Refused(
                f"more than {MAX_FIELDS:,} form fields, far more than any form guide writes: not read"
            )
        own = {key: node[key] for key in ("/FT", "/Ff", "/V", "/TU") if key in node}
        values = {**inherited, **own}
        partial = node.get("/T")
        name = _text(partial) if partial is not None else ""
        full = f"{parent_name}.{name}" if parent_name and name else name or parent_name
        kids = [kid for kid in node.get("/Kids", []) if isinstance(kid, pikepdf.Dictionary) and "/T" in kid]
        if kids:
            stack.extend((kid, full, values, depth + 1) for kid in reversed(kids))
        elif full:
            control = _control(full, values, node)
            if control is not None:
                yield control


def _seen(node: pikepdf.Object, seen: set[tuple[int, int]]) -> bool:
    """Return True if `node` was met before (a field tree that loops back on itself), noting it if not."""
    if not node.is_indirect:
        return False
    key = node.objgen
    if key in seen:
        return True
    seen.add(key)
    return False


def _control(name: str, values: dict[str, pikepdf.Object], node: pikepdf.Dictionary) -> Control | None:
    """Return the control that field `name` is, or None for a kind guide never writes (a signature)."""
    kind = str(values.get("/FT", ""))
    title = _text(values.get("/TU", ""))
    value = values.get("/V")
    if kind == "/Btn":
        state = value if isinstance(value, pikepdf.Name) else node.get("/AS")
        return Control(name, title, "check", checked=state is not None and str(state) not in ("/Off", ""))
    if kind == "/Ch":
        chosen = value[0] if isinstance(value, pikepdf.Array) and len(value) else value
        return Control(name, title, "choice", _text(chosen))
    if kind == "/Tx":
        multiline = int(values.get("/Ff", 0)) & MULTILINE_FLAG
        text_kind: ControlKind = "multiline" if multiline else "text"
        return Control(name, title, text_kind, _text(value))
    return None


def _text(value: object) -> str:
    """Return a field's text value as Python text, line breaks as \\n, cut to MAX_VALUE_CHARS."""
    if isinstance(value, pikepdf.String):
        text = str(value)
    elif isinstance(value, pikepdf.Name):
        text = str(value)[1:]
    else:
        text = value if isinstance(value, str) else ""
    return text.replace("\r\n", "\n").replace("\r", "\n")[:MAX_VALUE_CHARS]


def _joined(controls: list[Control]) -> list[Control]:
    """Return `controls` with each field's later parts (`name-part-2`...) joined into its first."""
    parts: dict[str, list[tuple[int, str]]] = {}
    kept = []
    for control in controls:
        match = PART.fullmatch(control.name)
        if match:
            parts.setdefault(match["name"], []).append((int(match["number"]), control.value))
        else:
            kept.append(control)
    return [_with_parts(control, sorted(parts.get(control.name, []))) for control in kept]


def _with_parts(control: Control, parts: list[tuple[int, str]]) -> Control:
    texts = [control.value, *(value for _, value in parts)]
    value = "\n".join(text for text in texts if text.strip())
    return Control(control.name, control.title, control.kind, value[:MAX_VALUE_CHARS], control.checked)


def _identity(pdf: pikepdf.Pdf) -> dict[str, str]:
    """Return guide's properties from the document's XMP metadata (see `guide.identity`), or {}."""
    stream = pdf.Root.get("/Metadata")
    if not isinstance(stream, pikepdf.Stream):
        return {}
    raw = stream.read_raw_bytes()
    filters = stream.get("/Filter")
    if filters == pikepdf.Name.FlateDecode:
        raw = inflated(raw, "the PDF's metadata")
    elif filters is not None and not (isinstance(filters, pikepdf.Array) and len(filters) == 0):
        return {}  # another filter: no program that keeps guide's metadata writes it so
    if len(raw) > MAX_PART_BYTES:
        raise Refused(f"the PDF's metadata is over {MAX_PART_BYTES >> 20} MB: not read")
    root = parse_xml(raw, "the PDF's metadata")
    prefix = f"{{{NAMESPACE}}}"
    return {
        element.tag[len(prefix) :]: " ".join((element.text or "").split())
        for element in root.iter(f"{prefix}*")
        if isinstance(element.tag, str)
    }


def _first_line(error: object, path: Path) -> str:
    """Return the first line of qpdf's message, without the file name it starts with."""
    text = str(error).strip().removeprefix(f"{path}: ")
    return text.splitlines()[0] if text else type(error).__name__
