"""Markup (the XML that layouts emit) -> Document. See docs/markup.md for the elements.

Whitespace in text collapses as in HTML; `<br/>` and LINE SEPARATOR (U+2028, which
layouts print for a newline in a value) are line breaks. Any element or attribute
this module does not know is a LayoutError naming the layout and line.
"""

from __future__ import annotations

import re
import typing
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from dataclasses import dataclass, field

from guide import model
from guide.errors import LayoutError

_SPACE = re.compile(r"[ \t\n\r\f\v]+")
"""Runs of the whitespace XML and HTML collapse; no-break and thin spaces are content."""
_INLINE_TAGS = {"b", "i", "a", "br"}
_TRUE = {"true": True, "false": False}

LINE_SEPARATOR = "\u2028"
"""A line break carried through XML text and attribute values alike."""


class MarkupError(Exception):
    """A mistake in markup; `element` is the tag it concerns, `attribute` the attribute, if any.

    `value` is the attribute's value at fault, which tells one element of that tag from another.
    """

    def __init__(
        self, message: str, element: str | None = None, attribute: str | None = None, value: str | None = None
    ) -> None:
        super().__init__(message)
        self.element = element
        self.attribute = attribute
        self.value = value


MAX_NESTING = 40
"""The deepest elements may nest: a table in a table cell with a bold link is six deep, and
nothing a page can show needs forty; deeper markup would exhaust the reader's and writers' stacks."""


def parse_document(text: str) -> model.Document:
    """Return the Document that markup `text` describes; raise MarkupError if it is not valid."""
    try:
        root = _nesting_checked(ElementTree.fromstring(text))
    except ElementTree.ParseError as error:
        line, col = error.position
        near = text.splitlines()[line - 1].strip()[:60] if line <= len(text.splitlines()) else ""
        raise MarkupError(
            f"the markup is not well-formed ({str(error).split(':')[0]}) "
            f"at output line {line}, col {col}, near: {near}"
        ) from None
    return _document(root)


def _document(root: ElementTree.Element) -> model.Document:
    if root.tag != "document":
        raise MarkupError(f"the markup must start with <document>, not <{root.tag}>", root.tag)
    attributes = _attributes(
        root,
        {"title"},
        {
            "subtitle",
            "organization",
            "version",
            "kind",
            "cover",
            "person-field",
            "person-id-field",
            "language",
        },
    )
    meta = model.Metadata(
        title=attributes["title"],
        subtitle=attributes.get("subtitle", ""),
        organization=attributes.get("organization", ""),
        version=attributes.get("version", ""),
        kind=attributes.get("kind", ""),
        cover=_flag(root, attributes.get("cover", "false")),
        person_field=attributes.get("person-field", ""),
        person_id_field=attributes.get("person-id-field", ""),
        language=attributes.get("language") or model.DEFAULT_LANGUAGE,
    )
    try:
        return model.Document(meta, _blocks(root))
    except model.RuleError as error:
        raise MarkupError(str(error), error.element, error.attribute, error.value) from None
    except ValueError as error:
        raise MarkupError(str(error)) from None


@dataclass(frozen=True)
class Blank:
    """Markup with its fields' values taken out: what documents that differ only in values share."""

    shape: tuple[object, ...]
    """Every element's tag, attributes, text and tail: equal for equal markup, cheaper than its text."""
    root: ElementTree.Element = field(compare=False)

    def document(self) -> model.Document:
        """Return the Document the markup describes, its fields empty; raise MarkupError if not valid."""
        return _document(self.root)

    def text(self) -> str:
        """Return the markup itself."""
        return ElementTree.tostring(self.root, encoding="unicode")


def split_values(text: str) -> tuple[Blank, dict[str, str]]:
    """Return markup `text` with its fields' values taken out, and those values by field name.

    A roster's packets share one Blank per level: each is parsed and drawn once, and
    filled per row. Raises MarkupError if `text` is not well-formed (`parse_document`
    says where).
    """
    try:
        root = _nesting_checked(ElementTree.fromstring(text))
    except ElementTree.ParseError as error:
        raise MarkupError(str(error)) from None
    values = {}
    for element in root.iter("field"):
        value = _field_value(element)
        if value:
            values[element.get("name", "")] = value
    shape = tuple((e.tag, tuple(e.attrib.items()), e.text, e.tail) for e in root.iter())
    return Blank(shape, root), values


def attribute_value(text: str) -> str:
    """Return what a field's value attribute written as `text` holds, as `split_values` reads it."""
    return _field_value(ElementTree.fromstring(f'<v value="{text}"/>'))


def _field_value(element: ElementTree.Element) -> str:
    return element.attrib.pop("value", "").replace(LINE_SEPARATOR, "\n")


def _nesting_checked(root: ElementTree.Element) -> ElementTree.Element:
    """Return `root`, or raise MarkupError at the first element nested deeper than MAX_NESTING."""
    level = [root]
    for _ in range(MAX_NESTING):
        level = [child for element in level for child in element]
        if not level:
            return root
    deepest = level[0]
    message = f"elements nest more than {MAX_NESTING} deep (a <{deepest.tag}> lies {MAX_NESTING + 1} deep)"
    raise MarkupError(message, deepest.tag)


def _blocks(parent: ElementTree.Element) -> tuple[model.Block, ...]:
    if (parent.text or "").strip():
        raise MarkupError(f"text must sit inside a block element in <{parent.tag}>", parent.tag)
    blocks = []
    for element in parent:
        parse = _BLOCK_PARSERS.get(element.tag)
        if parse is None:
            raise MarkupError(f"unknown element <{element.tag}> in <{parent.tag}>", element.tag)
        blocks.append(parse(element))
        if (element.tail or "").strip():
            raise MarkupError(f"text must sit inside a block element after <{element.tag}>", element.tag)
    return tuple(blocks)


def _heading(element: ElementTree.Element) -> model.Heading:
    attributes = _attributes(element, set(), {"id", "new-page"})
    return model.Heading(
        level=int(element.tag[1]),
        spans=_inline(element),
        anchor=attributes.get("id"),
        new_page=_flag(element, attributes.get("new-page", "false")),
    )


def _paragraph(element: ElementTree.Element) -> model.Paragraph:
    role = _attributes(element, set(), {"role"}).get("role", "body")
    try:
        return model.Paragraph(_inline(element), role)
    except ValueError as error:
        raise MarkupError(str(error), "p", "role", role) from None


def _bullets(element: ElementTree.Element) -> model.BulletList:
    _attributes(element, set(), set())
    for item in element:
        if item.tag != "li":
            raise MarkupError(f"<ul> holds only <li>, not <{item.tag}>", item.tag)
    return model.BulletList(tuple(_inline(item) for item in element))


def _table(element: ElementTree.Element) -> model.Table:
    text = _attributes(element, {"widths"}, set())["widths"]
    header: list[tuple[model.Cell, ...]] = []
    rows: list[tuple[model.Cell, ...]] = []
    for child in element:
        if child.tag == "thead":
            header.extend(_row(row) for row in child)
        elif child.tag == "tr":
            rows.append(_row(child))
        else:
            raise MarkupError(f"<table> holds <thead> and <tr>, not <{child.tag}>", child.tag)
    automatic = text.strip() == "auto"
    first = (*header, *rows)[:1]
    widths = (1.0,) * len(first[0]) if automatic and first else _widths(text)
    try:
        return model.Table(tuple(header), tuple(rows), widths, automatic)
    except ValueError as error:
        raise MarkupError(str(error), "table") from None


def _widths(text: str) -> tuple[float, ...]:
    """Return the column widths `text` lists; raise MarkupError naming `text` if a table cannot have them."""
    try:
        widths = tuple(float(width) for width in text.split())
    except ValueError:
        raise MarkupError(f"<table widths> must be numbers, not '{text}'", "table", "widths", text) from None
    try:
        model.check_widths(widths)
    except ValueError as error:
        raise MarkupError(str(error), "table", "widths", text) from None
    return widths


def _row(element: ElementTree.Element) -> tuple[model.Cell, ...]:
    if element.tag != "tr":
        raise MarkupError(f"<thead> holds only <tr>, not <{element.tag}>", element.tag)
    cells = []
    for cell in element:
        if cell.tag != "td":
            raise MarkupError(f"<tr> holds only <td>, not <{cell.tag}>", cell.tag)
        cells.append(model.Cell(_cell_blocks(cell)))
    return tuple(cells)


def _cell_blocks(cell: ElementTree.Element) -> tuple[model.Block, ...]:
    """A cell holds blocks, or inline content that becomes one paragraph.

    Raises MarkupError naming the element of a block no cell may hold.
    """
    if all(child.tag in _INLINE_TAGS for child in cell):
        return (model.Paragraph(_inline(cell)),)
    blocks = _blocks(cell)
    for child, block in zip(cell, blocks, strict=True):
        problem = model.cell_problem(block)
        if problem:
            raise MarkupError(problem, child.tag)
    return blocks


def _check(element: ElementTree.Element) -> model.CheckItem:
    attributes = _attributes(element, {"name"}, {"evidence", "checked", "label"})
    try:
        return model.CheckItem(
            name=attributes["name"],
            spans=_inline(element),
            evidence=_flag(element, attributes.get("evidence", "false")),
            checked=_flag(element, attributes.get("checked", "false")),
            label=attributes.get("label", ""),
        )
    except ValueError as error:
        raise MarkupError(str(error), "check") from None


def _field(element: ElementTree.Element) -> model.FormField:
    attributes = _attributes(element, {"name", "label"}, {"kind", "value", "show-label", "lines"})
    kind = attributes.get("kind", "text")
    if kind not in typing.get_args(model.FieldKind):
        raise MarkupError(f"<field kind> must be text, multiline, date or choice, not '{kind}'", "field")
    choices = []
    for option in element:
        if option.tag != "option":
            raise MarkupError(f"<field> holds only <option>, not <{option.tag}>", option.tag)
        choices.append(model.plain_text(_inline(option)))
    try:
        return model.FormField(
            attributes["name"],
            attributes["label"],
            typing.cast(model.FieldKind, kind),
            tuple(choices),
            attributes.get("value", ""),
            show_label=_flag(element, attributes.get("show-label", "true")),
            lines=_whole_number(attributes.get("lines", "0")),
        )
    except ValueError as error:
        raise MarkupError(str(error), "field") from None


def _whole_number(text: str) -> int:
    """Return `text` as a whole number, or -1 (which no rule accepts) if it is not one."""
    return int(text) if text.isascii() and text.isdigit() and len(text) < 4 else -1


def _signature(element: ElementTree.Element) -> model.SignatureLine:
    """A signature line; with `date-field`, its date is a date field of that name, called `date-label`."""
    attributes = _attributes(element, {"label"}, {"date-field", "date-label"})
    label, name = attributes["label"], attributes.get("date-field")
    if name is None:
        return model.SignatureLine(label)
    date_label = attributes.get("date-label")
    if not date_label:
        message = "<signature date-field> needs date-label: what screen readers call the date field"
        raise MarkupError(message, "signature", "date-field", name)
    try:
        date = model.FormField(name, date_label, kind="date", show_label=False)
    except ValueError as error:
        raise MarkupError(str(error), "signature", "date-field", name) from None
    return model.SignatureLine(label, date)


def _diagram(element: ElementTree.Element) -> model.Diagram:
    description = _attributes(element, {"description"}, set())["description"]
    parts: dict[str, list] = {"column": [], "node": [], "edge": []}
    for child in element:
        if child.tag not in parts:
            raise MarkupError(f"<diagram> holds <column>, <node> and <edge>, not <{child.tag}>", child.tag)
        parts[child.tag].append(_diagram_part(child))
    try:
        return model.Diagram(description, tuple(parts["node"]), tuple(parts["edge"]), tuple(parts["column"]))
    except ValueError as error:
        raise MarkupError(str(error), "diagram") from None


def _diagram_part(
    element: ElementTree.Element,
) -> model.DiagramNode | model.DiagramEdge | model.DiagramColumn:
    if element.tag == "column":
        attributes = _attributes(element, {"id", "name"}, set())
        return model.DiagramColumn(attributes["id"], attributes["name"])
    if element.tag == "edge":
        attributes = _attributes(element, {"from", "to"}, set())
        return model.DiagramEdge(attributes["from"], attributes["to"])
    attributes = _attributes(element, {"id", "label"}, {"note", "column"})
    return model.DiagramNode(
        attributes["id"], attributes["label"], attributes.get("note", ""), attributes.get("column", "")
    )


def _toc(element: ElementTree.Element) -> model.TableOfContents:
    return model.TableOfContents(_attributes(element, set(), {"title"}).get("title", "Contents"))


def _page_break(element: ElementTree.Element) -> model.PageBreak:
    _attributes(element, set(), set())
    return model.PageBreak()


_BLOCK_PARSERS: dict[str, Callable[[ElementTree.Element], model.Block]] = {
    "h1": _heading,
    "h2": _heading,
    "h3": _heading,
    "p": _paragraph,
    "ul": _bullets,
    "table": _table,
    "check": _check,
    "field": _field,
    "signature": _signature,
    "diagram": _diagram,
    "toc": _toc,
    "pagebreak": _page_break,
}


def _inline(element: ElementTree.Element) -> model.Inline:
    """Return the runs of `element`'s mixed content, whitespace collapsed, ends trimmed."""
    spans: list[model.Span] = []
    _collect(element, model.Span(""), spans)
    return _trim(_merge(spans))


def _collect(element: ElementTree.Element, style: model.Span, spans: list[model.Span]) -> None:
    if element.text:
        spans.append(_styled(style, element.text))
    for child in element:
        if child.tag == "br":
            _attributes(child, set(), set())
            spans.append(_styled(style, model.LINE_BREAK, collapse=False))
        elif child.tag in ("b", "i", "a"):
            _collect(child, _child_style(child, style), spans)
        else:
            raise MarkupError(f"unknown element <{child.tag}> in text", child.tag)
        if child.tail:
            spans.append(_styled(style, child.tail))


def _child_style(element: ElementTree.Element, style: model.Span) -> model.Span:
    if element.tag == "b":
        _attributes(element, set(), set())
        return model.Span("", True, style.italic, style.link)
    if element.tag == "i":
        _attributes(element, set(), set())
        return model.Span("", style.bold, True, style.link)
    target = _attributes(element, {"to"}, set())["to"]
    return model.Span("", style.bold, style.italic, target)


def _styled(style: model.Span, text: str, collapse: bool = True) -> model.Span:
    if collapse:
        lines = text.split(LINE_SEPARATOR)
        text = model.LINE_BREAK.join(_SPACE.sub(" ", line) for line in lines)
    return model.Span(text, style.bold, style.italic, style.link)


def _merge(spans: list[model.Span]) -> list[model.Span]:
    """Join neighbouring runs of the same look; drop doubled spaces between them."""
    merged: list[model.Span] = []
    for span in spans:
        previous = merged[-1] if merged else None
        text = span.text
        if previous and previous.text.endswith((" ", "\n")) and text.startswith(" "):
            text = text.lstrip(" ")
        if previous and text.startswith("\n"):
            merged[-1] = model.Span(previous.text.rstrip(" "), previous.bold, previous.italic, previous.link)
            previous = merged[-1]
        if not text:
            continue
        if previous and (previous.bold, previous.italic, previous.link) == (
            span.bold,
            span.italic,
            span.link,
        ):
            merged[-1] = model.Span(previous.text + text, span.bold, span.italic, span.link)
        else:
            merged.append(model.Span(text, span.bold, span.italic, span.link))
    return merged


def _trim(spans: list[model.Span]) -> model.Inline:
    if spans:
        first, last = spans[0], spans[-1]
        spans[0] = model.Span(first.text.lstrip(" "), first.bold, first.italic, first.link)
        spans[-1] = model.Span(spans[-1].text.rstrip(" "), last.bold, last.italic, last.link)
    return tuple(span for span in spans if span.text)


def _attributes(element: ElementTree.Element, required: set[str], optional: set[str]) -> dict[str, str]:
    for name in element.attrib:
        if name not in required | optional:
            raise MarkupError(f"unknown attribute '{name}' on <{element.tag}>", element.tag, name)
    for name in required:
        if name not in element.attrib:
            raise MarkupError(f"<{element.tag}> needs the attribute '{name}'", element.tag)
    return {name: value.replace(LINE_SEPARATOR, "\n") for name, value in element.attrib.items()}


def _flag(element: ElementTree.Element, value: str) -> bool:
    if value not in _TRUE:
        raise MarkupError(f"a flag on <{element.tag}> must be true or false, not '{value}'", element.tag)
    return _TRUE[value]


def located(error: MarkupError, layout_file: str, layout_text: str) -> LayoutError:
    """Return a LayoutError pointing at the layout line that writes the element.

    The markup no longer knows its layout lines, so the line is found by searching the
    layout: the first that writes the element with the attribute at fault, else the
    first that writes the element.
    """
    if not error.element:
        return LayoutError(f"{layout_file}: {error}")
    element = re.compile(rf"<{re.escape(error.element)}\b")
    attribute = re.compile(rf"\s{re.escape(error.attribute)}\s*=") if error.attribute else None
    writing = [(n, line) for n, line in enumerate(layout_text.splitlines(), 1) if element.search(line)]
    with_attribute = [(n, line) for n, line in writing if attribute and attribute.search(line)]
    with_value = [n for n, line in with_attribute if _writes_value(line, error)]
    numbers = with_value or [n for n, _ in with_attribute] or [n for n, _ in writing]
    return LayoutError(f"{layout_file}:{numbers[0]}: {error}" if numbers else f"{layout_file}: {error}")


def _writes_value(line: str, error: MarkupError) -> bool:
    """Return whether layout `line` writes the attribute of `error` with its value, as text (no `{{ }}`)."""
    if not (error.attribute and error.value):
        return False
    quoted = "|".join(rf"{quote}{re.escape(error.value)}{quote}" for quote in ('"', "'"))
    return re.search(rf"\s{re.escape(error.attribute)}\s*=\s*(?:{quoted})", line) is not None
