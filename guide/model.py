"""The neutral document model: a small, closed set of frozen blocks.

Layouts produce it (through `markup.py`); writers consume it. It knows nothing
of PDF, Word or YAML. Every block is a frozen dataclass holding tuples, so a
document can be shared between writers and compared in tests.

Each block checks its own rules in `__post_init__` (roles, widths, table shape,
what a cell may hold), raising ValueError: a document that exists is one every
writer can draw, so writers keep no checks of their own.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Literal

from guide.i18n import N_


class RuleError(ValueError):
    """A rule of a whole document broken by one element's attribute: what markup needs to say where."""

    def __init__(self, message: str, element: str, attribute: str, value: str) -> None:
        super().__init__(message)
        self.element = element
        self.attribute = attribute
        self.value = value


DEFAULT_LANGUAGE = "en"
"""The language of a document that names none."""

RIGHT_TO_LEFT_LANGUAGES = frozenset({"ar", "he", "fa", "ur", "yi", "ps", "dv", "ckb", "sd", "ug"})
"""Languages written right to left, by their primary subtag: their documents are mirrored."""


def written_right_to_left(language: str) -> bool:
    """Return True if the BCP 47 `language` is written right to left."""
    return language.split("-")[0].lower() in RIGHT_TO_LEFT_LANGUAGES


NAME_PATTERN = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
"""Form field names: safe in PDF (where `.` separates a hierarchy) and Word tags."""


@dataclass(frozen=True)
class Span:
    """A run of text with one look; `link` is the anchor of a heading in the same document."""

    text: str
    bold: bool = False
    italic: bool = False
    link: str | None = None


Inline = tuple[Span, ...]
"""The text of a paragraph, heading or list item: runs in reading order."""

LINE_BREAK = "\n"
"""Inside a span's text, a forced line break (from a newline in the ladder text)."""


def plain_text(spans: Inline) -> str:
    """Return the characters of `spans` without their formatting."""
    return "".join(span.text for span in spans)


@dataclass(frozen=True)
class Heading:
    """A section title; level 1 is a chapter. `anchor` is the target of links and the outline."""

    level: int
    spans: Inline
    anchor: str | None = None
    new_page: bool = False

    def __post_init__(self) -> None:
        if self.level not in (1, 2, 3):
            raise ValueError(f"heading level must be 1, 2 or 3, not {self.level}")


PARAGRAPH_ROLES = ("body", "lead", "note", "title", "subtitle", "meta")
"""The roles a paragraph may have: each names a style every theme defines."""


@dataclass(frozen=True)
class Paragraph:
    """Body text; `role` names the theme style that draws it (one of PARAGRAPH_ROLES)."""

    spans: Inline
    role: str = "body"

    def __post_init__(self) -> None:
        if self.role not in PARAGRAPH_ROLES:
            roles = ", ".join(PARAGRAPH_ROLES[:-1]) + f" or {PARAGRAPH_ROLES[-1]}"
            raise ValueError(f"unknown paragraph role '{self.role}': use {roles}")


@dataclass(frozen=True)
class BulletList:
    """A list of items, each an inline run."""

    items: tuple[Inline, ...]


@dataclass(frozen=True)
class Cell:
    """A table cell holding blocks (usually one paragraph); never a heading, contents or page break."""

    blocks: tuple[Block, ...]

    def __post_init__(self) -> None:
        for block in self.blocks:
            problem = cell_problem(block)
            if problem:
                raise ValueError(problem)


def cell_problem(block: Block) -> str | None:
    """Return why `block` cannot sit in a table cell, or None if it can.

    Headings make the outline and the table of contents, which list the document's
    own sections, not the insides of a table; a page break cannot break a row.
    """
    match block:
        case Heading():
            return "a heading cannot sit inside a table cell: put it above the table"
        case TableOfContents():
            return "a table of contents cannot sit inside a table cell: put it outside the table"
        case PageBreak():
            return "a page break cannot sit inside a table cell: put it before or after the table"
    return None


MAX_WIDTH = 10_000
"""The largest relative column width: far more than any proportion needs, and a sum that stays finite."""


@dataclass(frozen=True)
class Table:
    """Rows of cells; the `header` rows repeat on every page the table spans.

    `widths` are relative column widths (they need not add up to anything), one per
    column, each above 0 and at most MAX_WIDTH. A table has at least one row, header
    or body, and every row has a cell for each column. Writers never make a column
    narrower than its longest word when the table has room for it; an `automatic`
    table's columns are sized from their content alone, as browsers' automatic table
    layout does, and its `widths` only count its columns.
    """

    header: tuple[tuple[Cell, ...], ...]
    rows: tuple[tuple[Cell, ...], ...]
    widths: tuple[float, ...]
    automatic: bool = False

    def __post_init__(self) -> None:
        check_widths(self.widths)
        if not self.header and not self.rows:
            raise ValueError("a table needs at least one row: leave the table out when it has none")
        for row in (*self.header, *self.rows):
            if len(row) != len(self.widths):
                raise ValueError(f"table row has {len(row)} cells for {len(self.widths)} columns")


def check_widths(widths: tuple[float, ...]) -> None:
    """Raise ValueError unless `widths` are relative column widths a table can have (see Table)."""
    if not widths:
        raise ValueError("a table needs at least one column: give one width for each")
    if not all(0 < width <= MAX_WIDTH for width in widths):  # also false for NaN
        shown = " ".join(f"{width:g}" for width in widths)
        raise ValueError(
            f"table column widths must be numbers above 0 and at most {MAX_WIDTH:,}, not '{shown}'"
        )


@dataclass(frozen=True)
class CheckItem:
    """A tickable item: a box followed by its text, and a line for evidence if `evidence`."""

    name: str
    spans: Inline
    evidence: bool = False
    checked: bool = False
    label: str = ""
    """What the box is, short ("Expectation 3"): with the text, its accessible name."""

    def __post_init__(self) -> None:
        _check_name(self.name)

    @property
    def accessible_name(self) -> str:
        """Return what screen readers and form tools call the box: its label and its text."""
        return f"{self.label}: {self._text}" if self.label else self._text

    @property
    def evidence_label(self) -> str:
        """Return the accessible name of the evidence field beside the box."""
        return f"Evidence: {self.label or self._text}"

    @property
    def _text(self) -> str:
        return " ".join(plain_text(self.spans).split())

    @property
    def evidence_name(self) -> str | None:
        """Return the name of the evidence field beside the box, if it has one."""
        return f"{self.name}_evidence" if self.evidence else None


FieldKind = Literal["text", "multiline", "date", "choice"]


@dataclass(frozen=True)
class FormField:
    """A place to fill in: a labelled text, multi-line, date or choice field.

    With `show_label` False the label is not printed (a table's header names the
    column) but still names the field for screen readers and form tools.
    """

    name: str
    label: str
    kind: FieldKind = "text"
    choices: tuple[str, ...] = ()
    value: str = ""
    show_label: bool = True
    lines: int = 0
    """How many lines of text a multi-line field's printed box holds; 0 for DEFAULT_FIELD_LINES."""

    def __post_init__(self) -> None:
        _check_name(self.name)
        if not 0 <= self.lines <= MAX_FIELD_LINES or (self.lines and self.kind != "multiline"):
            raise ValueError(
                f"lines must be a whole number from 1 to {MAX_FIELD_LINES}, on a multiline field"
            )
        if self.kind != "multiline" and LINE_BREAKS.search(self.value):
            # one line in every writer and every viewer: a break would be dropped, or shown as nothing
            object.__setattr__(self, "value", one_line(self.value))
        if self.kind == "choice" and not self.choices:
            raise ValueError(f"choice field {self.name!r} has no choices")
        if self.kind == "choice" and self.value and self.value not in self.choices:
            raise ValueError(
                f"choice field {self.name!r} has the value {self.value!r}, not one of its choices"
            )

    @property
    def box_height(self) -> float:
        """Return the height of a multi-line field's printed box in font sizes: its lines and a margin.

        Both writers draw it this tall, so a PDF form and its Word twin hold the same answer.
        """
        return 1.2 * (self.lines or DEFAULT_FIELD_LINES) + 0.9


DEFAULT_FIELD_LINES = 5.5
"""The lines a multi-line field's box holds when the layout does not say."""

MAX_FIELD_LINES = 40
"""A page holds about forty lines of a field's text."""

LINE_BREAKS = re.compile(r"[ \t]*(?:\r\n|[\r\n\x0b\x0c\x85\u2028\u2029])[ \t]*")


def one_line(text: str) -> str:
    """Return `text` with each line break, and the spaces around it, as one space."""
    return LINE_BREAKS.sub(" ", text).strip()


def shortened(text: str, length: int) -> str:
    """Return `text` cut with an ellipsis to at most `length` characters, if it is longer."""
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _check_name(name: str) -> None:
    if not NAME_PATTERN.fullmatch(name):
        raise ValueError(f"the form name {name!r} is not letters, digits and _, starting with a letter")


@dataclass(frozen=True)
class SignatureLine:
    """A line to sign on by hand, with the signer's role and a date."""

    label: str
    date: FormField | None = None
    """The date signed, as a date field to fill in (a sign-off a collected form shows);
    None for a line to write it on by hand."""


@dataclass(frozen=True)
class DiagramNode:
    """A box of a diagram: `label` large, `note` small below it; `column` names a column or is ""."""

    id: str
    label: str
    note: str = ""
    column: str = ""


@dataclass(frozen=True)
class DiagramEdge:
    """An arrow from one node to another (a promotion, in a ladder diagram)."""

    source: str
    target: str


@dataclass(frozen=True)
class DiagramColumn:
    """A named column of a diagram (a track, in a ladder diagram)."""

    id: str
    name: str


@dataclass(frozen=True)
class Diagram:
    """Boxes joined by arrows, laid out in ranks from the first box up (see guide/diagram/).

    Nodes with a `column` stand in that column; nodes without one are shared by all
    columns and centred below them. `description` is the text for readers who cannot
    see the drawing (alt text).
    """

    description: str
    nodes: tuple[DiagramNode, ...]
    edges: tuple[DiagramEdge, ...] = ()
    columns: tuple[DiagramColumn, ...] = ()

    def __post_init__(self) -> None:
        ids = [node.id for node in self.nodes]
        _check_unique("diagram node", ids)
        _check_unique("diagram column", [column.id for column in self.columns])
        columns = {column.id for column in self.columns}
        for node in self.nodes:
            if node.column and node.column not in columns:
                raise ValueError(
                    f"diagram node '{node.id}' names the column '{node.column}', which is not there"
                )
        for edge in self.edges:
            for end in (edge.source, edge.target):
                if end not in ids:
                    raise ValueError(f"a diagram arrow names the node '{end}', which is not there")
        if cycle := _nodes_in_cycles(ids, self.edges):
            raise ValueError(f"the diagram's arrows go round in a cycle through {', '.join(cycle)}")


def _nodes_in_cycles(ids: list[str], edges: tuple[DiagramEdge, ...]) -> list[str]:
    """Return the nodes that arrows lead back to, or reach only from such nodes; [] for none.

    A diagram stacks each box above the boxes its arrows come from, which a cycle
    makes impossible. Nodes are taken away once nothing leads to them (Kahn's order).
    """
    successors: dict[str, list[str]] = {node: [] for node in ids}
    waiting = dict.fromkeys(ids, 0)
    for edge in edges:
        successors[edge.source].append(edge.target)
        waiting[edge.target] += 1
    ready = deque(node for node, count in waiting.items() if count == 0)
    while ready:
        for target in successors[ready.popleft()]:
            waiting[target] -= 1
            if waiting[target] == 0:
                ready.append(target)
    return [node for node, count in waiting.items() if count]


@dataclass(frozen=True)
class TableOfContents:
    """The list of chapters (level 1 and 2 headings) with their pages."""

    title: str = "Contents"


@dataclass(frozen=True)
class PageBreak:
    """Start the next block on a new page."""


Block = (
    Heading
    | Paragraph
    | BulletList
    | Table
    | CheckItem
    | FormField
    | SignatureLine
    | Diagram
    | TableOfContents
    | PageBreak
)


@dataclass(frozen=True)
class Words:
    """The words writers print beside a document's own, and how its dates are written.

    The build sets them from the catalog of the document's language (see `guide.i18n`);
    the defaults are the catalog's message ids. Messages take `%(name)s` placeholders.
    """

    page_of_pages: str = N_("Page %(page)s of %(pages)s")
    signature: str = N_("Signature")
    """The caption under a signature line."""
    date: str = N_("Date")
    """The caption under a signature's date line."""
    one_of: str = N_("One of: %(choices)s")
    """The line under a choice field, for paper and for readers."""
    evidence: str = N_("Evidence")
    """The caption of a check item's evidence field."""
    diagram: str = N_("Diagram")
    """What a drawing is called where it has no description of its own."""
    tracks_split: str = N_("Tracks split here")
    """The label where a diagram's tracks part."""
    date_pattern: str = "yyyy-MM-dd"
    """A date field's pattern, in CLDR's letters (`dd.MM.yyyy`)."""
    date_hint: str = "YYYY-MM-DD"
    """The pattern as printed beside a date field, in the language's own letters (`TT.MM.JJJJ`)."""

    def page_line(self, page: int | str, pages: int | str) -> str:
        """Return "Page `page` of `pages`" in the document's language."""
        return self.page_of_pages % {"page": page, "pages": pages}

    def choices(self, choices: Iterable[str]) -> str:
        """Return the line printed under a choice field of `choices`.

        A line that wraps breaks after a dot, never before one: each dot is bound to the choice before it.
        """
        return self.one_of % {"choices": "\u00a0· ".join(choices)}


@dataclass(frozen=True)
class Metadata:
    """What a document says about itself: in running headers, footers and file properties.

    `kind` names the product ("Career handbook", "Promotion checklist").
    """

    title: str
    subtitle: str = ""
    organization: str = ""
    version: str = ""
    kind: str = ""
    cover: bool = False
    """True when the first page is a cover, which carries no running header or footer."""
    person_field: str = ""
    """The field naming whose document this is: filled, the person is named in the running
    header from page 2 on and in the file's title (see `personal_line`)."""
    language: str = DEFAULT_LANGUAGE
    """The document's language, a BCP 47 tag: its words are hyphenated by that language's dictionary."""
    identity: tuple[tuple[str, str], ...] = ()
    """What file this is, in its metadata (see `guide.identity`): set by the build, not by layouts."""
    person_id_field: str = ""
    """The field holding the person's id (an employee number): filled, the file's metadata names it."""
    words: Words = field(default_factory=Words)
    """The writers' own words in the document's language: set by the build, not by layouts."""

    @property
    def right_to_left(self) -> bool:
        """True if the document's language is written right to left: its pages are mirrored."""
        return written_right_to_left(self.language)


@dataclass(frozen=True)
class Document:
    """A whole document: metadata and blocks in reading order.

    Form names and heading anchors are unique, and every link names an anchor.
    """

    meta: Metadata
    blocks: tuple[Block, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        _check_unique_in_fields("form name", self._names(_form_names), "name")
        _check_unique_in_fields("field label", self._names(_accessible_names), "label", LABEL_HINT)
        fields = {block.name for block in walk(self.blocks) if isinstance(block, FormField)}
        for attribute, name in (
            ("person-field", self.meta.person_field),
            ("person-id-field", self.meta.person_id_field),
        ):
            if name and name not in fields:
                message = f"the {attribute.replace('-', ' ')} '{name}' is not a field of the document"
                raise RuleError(message, "document", attribute, name)
        anchors = self.anchors()
        _check_unique("heading anchor", anchors)
        for inline in inlines(self.blocks):
            for span in inline:
                if span.link is not None and span.link not in anchors:
                    raise ValueError(f"a link points at '{span.link}', which no heading anchors")

    def form_names(self) -> list[str]:
        """Return the names of every form field and check item (with its evidence), in reading order."""
        return [name for name, _ in self._names(_form_names)]

    def accessible_names(self) -> list[str]:
        """Return what screen readers call each field and box, in reading order: each says what it is."""
        return [name for name, _ in self._names(_accessible_names)]

    def _names(self, names_of: Callable[[CheckItem | FormField], list[str]]) -> list[tuple[str, str]]:
        """Return (name, element) for each name `names_of` gives a field or check item, in reading order."""
        return [
            (name, "field" if isinstance(block, FormField) else "check")
            for block in walk(self.blocks)
            if isinstance(block, CheckItem | FormField)
            for name in names_of(block)
        ]

    def anchors(self) -> list[str]:
        """Return the anchors of the headings, in reading order."""
        return [block.anchor for block in walk(self.blocks) if isinstance(block, Heading) and block.anchor]


LABEL_HINT = ": screen readers say it, so give each field its own"


def _form_names(block: CheckItem | FormField) -> list[str]:
    if isinstance(block, CheckItem) and block.evidence_name:
        return [block.name, block.evidence_name]
    return [block.name]


def _accessible_names(block: CheckItem | FormField) -> list[str]:
    if isinstance(block, FormField):
        return [block.label]
    return [block.accessible_name, *([block.evidence_label] if block.evidence else [])]


def _check_unique(what: str, names: list[str]) -> None:
    """Raise ValueError for the first of `names` used twice."""
    twice = _first_twice(names)
    if twice is not None:
        raise ValueError(f"the {what} '{twice}' is used twice")


def _check_unique_in_fields(what: str, names: list[tuple[str, str]], attribute: str, why: str = "") -> None:
    """Raise RuleError for the first of `names` ((name, element) pairs) used twice, at its `attribute`."""
    twice = _first_twice([name for name, _ in names])
    if twice is not None:
        element = [element for name, element in names if name == twice][-1]  # the second to use it
        raise RuleError(f"the {what} '{twice}' is used twice{why}", element, attribute, twice)


def _first_twice(names: list[str]) -> str | None:
    seen: set[str] = set()
    for name in names:
        if name in seen:
            return name
        seen.add(name)
    return None


def form_fields(document: Document) -> list[FormField]:
    """Return the form fields of `document` that hold a value, in reading order."""
    return [block for block in walk(document.blocks) if isinstance(block, FormField) and block.value]


def filled_fields(document: Document, values: dict[str, str]) -> tuple[FormField, ...]:
    """Return the fields of `document` that `values` names, each holding its value.

    Raises ValueError for a name no field has, or a value a choice does not offer.
    """
    fields = {block.name: block for block in walk(document.blocks) if isinstance(block, FormField)}
    unknown = sorted(values.keys() - fields.keys())
    if unknown:
        raise ValueError(f"no field is named {', '.join(map(repr, unknown))}")
    return tuple(replace(fields[name], value=value) for name, value in values.items())


def personal_line(meta: Metadata, fields: Iterable[FormField]) -> str:
    """Return whose document this is ("Zoë Martin · Senior PM (L5)"), or "" when its person field is empty."""
    person = " ".join(next((field.value for field in fields if field.name == meta.person_field), "").split())
    if not meta.person_field or not person:
        return ""
    return " · ".join(part for part in (one_line(person), meta.subtitle) if part)


def personal_identity(meta: Metadata, fields: Iterable[FormField]) -> tuple[tuple[str, str], ...]:
    """Return what file this is (`meta.identity`) and, where its person fields are filled, whose.

    A document the build did not name (no identity) says neither.
    """
    if not meta.identity:
        return ()
    values = {field.name: one_line(" ".join(field.value.split())) for field in fields if field.value}
    whose = (
        ("person", values.get(meta.person_field, "")),
        ("person_id", values.get(meta.person_id_field, "")),
    )
    return meta.identity + tuple((name, value) for name, value in whose if value)


def personal_title(meta: Metadata, fields: Iterable[FormField]) -> str:
    """Return the title of a filled copy: whose document it is and what it is, else the document's title."""
    line = personal_line(meta, fields)
    return " · ".join(part for part in (line, meta.kind) if part) if line else meta.title


def without_values(document: Document) -> Document:
    """Return `document` with every form field empty: what filled copies of it share."""
    return _changing_fields(document, lambda field: replace(field, value=""))


def with_values(document: Document, fields: Iterable[FormField]) -> Document:
    """Return `document` with the values of `fields` in its fields of the same names."""
    values = {field.name: field.value for field in fields}
    return _changing_fields(document, lambda field: replace(field, value=values.get(field.name, field.value)))


def _changing_fields(document: Document, change: Callable[[FormField], FormField]) -> Document:
    """Return `document` with `change` applied to every form field, in tables too."""

    def changed(block: Block) -> Block:
        if isinstance(block, FormField):
            return change(block)
        if isinstance(block, SignatureLine) and block.date is not None:
            return replace(block, date=change(block.date))
        if isinstance(block, Table):
            return replace(block, header=changed_rows(block.header), rows=changed_rows(block.rows))
        return block

    def changed_rows(rows: tuple[tuple[Cell, ...], ...]) -> tuple[tuple[Cell, ...], ...]:
        return tuple(
            tuple(Cell(tuple(changed(inner) for inner in cell.blocks)) for cell in row) for row in rows
        )

    return replace(document, blocks=tuple(changed(block) for block in document.blocks))


def has_contents(document: Document) -> bool:
    """Return True if `document` holds a table of contents (and so shows its headings' pages)."""
    return any(isinstance(block, TableOfContents) for block in walk(document.blocks))


def walk(blocks: tuple[Block, ...]) -> Iterator[Block]:
    """Yield every block of `blocks`, the blocks inside table cells and signatures' date fields, in
    reading order."""
    for block in blocks:
        yield block
        if isinstance(block, SignatureLine) and block.date is not None:
            yield block.date
        if isinstance(block, Table):
            for row in (*block.header, *block.rows):
                for cell in row:
                    yield from walk(cell.blocks)


def sections(blocks: tuple[Block, ...]) -> Iterator[tuple[Block, ...]]:
    """Yield `blocks` in parts cut before each run of headings and before each new-page heading.

    Every part but perhaps the first starts with its headings; the first holds what
    comes before any heading.
    """
    start = 0
    for index in range(1, len(blocks)):
        block, previous = blocks[index], blocks[index - 1]
        if isinstance(block, Heading) and (block.new_page or not isinstance(previous, Heading)):
            yield blocks[start:index]
            start = index
    if blocks:
        yield blocks[start:]


def leading_headings(blocks: tuple[Block, ...]) -> list[Heading]:
    """Return the headings `blocks` starts with, up to its first other block."""
    headings: list[Heading] = []
    for block in blocks:
        if not isinstance(block, Heading):
            break
        headings.append(block)
    return headings


class HeadingLevels:
    """The levels headings are read at, in order: never more than one below the heading above them.

    A layout may skip a level for the look (questions under a chapter in a smaller
    style); screen readers and outlines must not. Headings at one written level under
    the same heading are read at one level.
    """

    def __init__(self) -> None:
        self.open: list[tuple[int, int]] = []
        """The written and read level of each heading the next one may sit under."""

    def level(self, written: int) -> int:
        """Return the level the next heading, written at level `written`, is read at."""
        while self.open and self.open[-1][0] >= written:
            self.open.pop()
        read = self.open[-1][1] + 1 if self.open else 1
        self.open.append((written, read))
        return read


def inlines(blocks: tuple[Block, ...]) -> Iterator[Inline]:
    """Yield the text runs of every heading, paragraph, list item and check item of `blocks`."""
    for block in walk(blocks):
        if isinstance(block, Heading | Paragraph | CheckItem):
            yield block.spans
        elif isinstance(block, BulletList):
            yield from block.items


def drawn_texts(document: Document) -> Iterator[str]:
    """Yield every text a writer draws in its own fonts: all but the values typed into fields."""
    meta = document.meta
    yield from (meta.title, meta.subtitle, meta.organization, meta.version, meta.kind)
    for inline in inlines(document.blocks):
        yield plain_text(inline)
    for block in walk(document.blocks):
        match block:
            case FormField(label=label, choices=choices):
                yield label
                yield from choices
            case SignatureLine(label=label) | TableOfContents(title=label):
                yield label
