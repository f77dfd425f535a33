"""The PDF's structure tree: what each mark on a page is, in reading order, for assistive technology.

reportlab draws pages but knows nothing of tagged PDF. Here a canvas keeps a tree
of structure elements (`Document`, `H1`, `P`, `L`/`LI`, `Table`/`TR`/`TD`, `TOC`,
`Link`, `Form`, `Figure`...) that the flowables open and close as they draw, in
the order they draw, which is the reading order. Text and pictures that belong to
an element are drawn inside a marked-content sequence (`/P <</MCID 3>> BDC ...
EMC`) that the element lists; whatever a page draws outside one (running headers
and footers, page numbers, rules, bands, table shading and lines, printed field
boxes) is wrapped as an artifact when the page ends, so every mark is one or the
other. Link and widget annotations are listed by their elements too.

When the canvas saves, the tree is written: the structure tree root with its
parent tree, `/MarkInfo`, the document's `/Lang`, XMP metadata naming the title and
PDF/UA-1, and a viewer preference to show the title.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from reportlab.pdfbase.pdfdoc import (
    LinkAnnotation,
    PDFArray,
    PDFDictionary,
    PDFDocument,
    PDFName,
    PDFObject,
    PDFObjectReference,
    PDFPage,
    PDFStream,
    PDFString,
)
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject

from guide.identity import NAMESPACE as IDENTITY_NAMESPACE
from guide.model import HeadingLevels
from guide.writers.pdf.objects import TRUE

ARTIFACT_START = "/Artifact BMC"
HEADING = re.compile(r"H[1-6]")
CONTENT_END = "EMC"


@dataclass(frozen=True)
class Tagging:
    """What the structure tree says of the whole document: its language, title, and link targets.

    `link_texts` names where each link destination leads (a heading's text, by the
    destination's name), to describe the link to readers who cannot see the page.
    """

    language: str
    title: str
    link_texts: Mapping[str, str] = field(default_factory=dict)
    identity: tuple[tuple[str, str], ...] = ()
    """What file this is, written into the XMP metadata (see `guide.identity`)."""


@dataclass(frozen=True)
class MarkedContent:
    """A marked-content sequence of an element: its page (a reference) and its MCID there."""

    page: PDFObjectReference
    mcid: int


@dataclass(frozen=True)
class AnnotationKid:
    """An annotation an element stands for (a link, a widget), on a page."""

    page: PDFObjectReference
    annotation: PDFObjectReference


@dataclass(eq=False)
class Element:
    """One structure element: its standard role, its parent, its kids in reading order."""

    role: str
    parent: Element | None = None
    kids: list[Element | MarkedContent | AnnotationKid] = field(default_factory=list)
    alt: str = ""
    lang: str = ""
    """The language of the element's text where it is not the document's (a name in Chinese)."""
    attributes: dict[str, Any] = field(default_factory=dict)
    group: object = None
    """What the element belongs to beyond its role: the list of a list's `L`."""


class Structure:
    """The structure tree of one document as a canvas draws it (see the module's docstring)."""

    def __init__(self, tagging: Tagging) -> None:
        self.tagging = tagging
        self.root = Element("Document")
        self.open: list[Element] = [self.root]
        self.page_contents: list[Element] = []
        """The element of each marked-content sequence of the current page, by MCID."""
        self.parents: dict[int, list[Element] | Element] = {}
        """The parent tree: each page's elements by MCID, each annotation's element, by key."""
        self.drawing: Element | None = None
        """The element whose marked content is being drawn, if any."""
        self.links: dict[str, Element] = {}
        """The `Link` of each destination in the paragraph being drawn, for its annotations."""
        self.headings = HeadingLevels()

    @property
    def current(self) -> Element:
        """Return the innermost open element: what is drawn now belongs to it."""
        return self.open[-1]

    @contextmanager
    def element(self, role: str, alt: str = "", lang: str = "", **attributes: Any) -> Iterator[Element]:
        """Open an element of `role` inside the current one for the `with` block."""
        element = self.begin(role, alt, lang, **attributes)
        try:
            yield element
        finally:
            self.close(element)

    def begin(self, role: str, alt: str = "", lang: str = "", **attributes: Any) -> Element:
        """Open an element of `role` inside the current one, until `close`."""
        element = Element(role, self.current, alt=alt, lang=lang, attributes=attributes)
        self.current.kids.append(element)
        self.open.append(element)
        return element

    def enter(self, element: Element) -> None:
        """Open `element` again (a list's `L` as its next item is drawn) until `close`."""
        self.open.append(element)

    def close(self, element: Element) -> None:
        """Close `element`, and whatever is still open inside it."""
        while self.open[-1] is not element:
            self.open.pop()
        self.open.pop()

    def grouped(self, role: str, group: object) -> Element:
        """Return the current element's last kid if it is a `role` of `group`, else a new one.

        The items of one list are drawn one after another, on any number of pages:
        they all go into one `L`.
        """
        kids = self.current.kids
        last = kids[-1] if kids else None
        if isinstance(last, Element) and last.role == role and last.group is group:
            return last
        element = Element(role, self.current, group=group)
        kids.append(element)
        return element

    def heading(self, role: str) -> str:
        """Return `role`, or for a heading one that never skips a level (a question under a chapter)."""
        if not HEADING.fullmatch(role):
            return role
        return f"H{self.headings.level(int(role[1:]))}"

    def add(self, role: str) -> Element:
        """Add an element of `role` to the current one without opening it (see `content`)."""
        element = Element(role, self.current)
        self.current.kids.append(element)
        return element

    @contextmanager
    def content(self, canvas: Canvas, element: Element | None = None) -> Iterator[None]:
        """Draw the `with` block as marked content of `element` (by default the current one)."""
        self._begin(canvas, element or self.current)
        try:
            yield
        finally:
            _code(canvas).append(CONTENT_END)
            self.drawing = None
            self.links = {}

    def link_starts(self, canvas: Canvas, text: list[str], destination: str) -> None:
        """Make the text just shown in the text object `text` (a link's) the start of a `Link`.

        reportlab says a link starts once its first piece is shown; a link that goes on
        from the line before goes on in the same `Link`.
        """
        paragraph = self.drawing
        if paragraph is None or paragraph.role == "Link":
            return
        link = self.links.get(destination)
        if link is None or link.parent is not paragraph:
            link = self.links[destination] = Element("Link", paragraph)
            paragraph.kids.append(link)
        text[-1:-1] = [CONTENT_END, self._marker(canvas, link)]

    def link_ends(self, canvas: Canvas, text: list[str]) -> None:
        """End the `Link` being shown in the text object `text`; its paragraph goes on."""
        link = self.drawing
        if link is not None and link.parent is not None and any(link is own for own in self.links.values()):
            text += [CONTENT_END, self._marker(canvas, link.parent)]

    @contextmanager
    def aside(self, canvas: Canvas) -> Iterator[None]:
        """Draw the `with` block as an artifact (a leader's dots), in or out of marked content."""
        drawing, code = self.drawing, _code(canvas)
        if drawing is not None:
            code.append(CONTENT_END)
        code.append(ARTIFACT_START)
        try:
            yield
        finally:
            code.append(CONTENT_END)
            if drawing is not None:
                self._begin(canvas, drawing)

    def switch(self, canvas: Canvas, element: Element) -> None:
        """End the marked content being drawn, and go on drawing as marked content of `element`."""
        _code(canvas).append(CONTENT_END)
        self._begin(canvas, element)

    def _begin(self, canvas: Canvas, element: Element) -> None:
        _code(canvas).append(self._marker(canvas, element))

    def _marker(self, canvas: Canvas, element: Element) -> str:
        """Return the operator that begins marked content of `element` on this page, now being drawn."""
        self.drawing = element
        mcid = len(self.page_contents)
        self.page_contents.append(element)
        element.kids.append(MarkedContent(_page_reference(canvas), mcid))
        return f"/{element.role} <</MCID {mcid}>> BDC"

    def annotation(
        self, canvas: Canvas, annotation: PDFObjectReference, role: str, alt: str = "", destination: str = ""
    ) -> int:
        """List `annotation` in a `role` element (`Link`, `Form`); return its key.

        The element is the `Link` that holds the text of a link to `destination` in the
        paragraph being drawn, or the current one if it is a `role` already (a contents
        entry's `Link`), else a new one in it. The key is the annotation's
        `/StructParent`, which leads back to its element.
        """
        element = self.current
        if role == "Link" and destination in self.links:
            element = self.links[destination]
            element.alt = element.alt or alt
        elif element.role != role:
            element = Element(role, self.current, alt=alt)
            self.current.kids.append(element)
        element.kids.append(AnnotationKid(_page_reference(canvas), annotation))
        key = len(self.parents)
        self.parents[key] = element
        return key

    def end_page(self, canvas: Canvas) -> int | None:
        """Wrap what the page drew outside marked content as artifacts; return the page's parent-tree key.

        Called as the page is shown; a page with no marked content has no key.
        """
        code = _code(canvas)
        code[:] = list(_with_artifacts(code))
        if not self.page_contents:
            return None
        key = len(self.parents)
        self.parents[key] = self.page_contents
        self.page_contents = []
        return key

    def write(self, document: PDFDocument) -> PDFObjectReference:
        """Write the tree into `document`; return a reference to its root."""
        references: dict[int, PDFObjectReference] = {}
        root = PDFDictionary({"Type": PDFName("StructTreeRoot")})
        root_reference = document.Reference(root)
        for element in _walk(self.root):
            references[id(element)] = document.Reference(_StructElement(element, references, root_reference))
        numbers: list[Any] = []
        for key, parent in sorted(self.parents.items()):
            if isinstance(parent, list):
                numbers += [key, PDFArray([references[id(element)] for element in parent])]
            else:
                numbers += [key, references[id(parent)]]
        root.dict.update(
            K=PDFArray([references[id(self.root)]]),
            ParentTree=PDFDictionary({"Nums": PDFArray(numbers)}),
            ParentTreeNextKey=len(self.parents),
        )
        return root_reference


class _StructElement(PDFObject):
    """A structure element's dictionary, written straight from its `Element`.

    A tree has an element for every paragraph, list item and table cell: written as
    reportlab dictionaries of names, arrays and dictionaries, they took a tenth of a
    document's build.
    """

    def __init__(
        self, element: Element, references: dict[int, PDFObjectReference], root: PDFObjectReference
    ) -> None:
        self.element = element
        self.references = references
        self.root = root

    def format(self, document: PDFDocument) -> bytes:
        """Return the dictionary: role, parent, page, kids, and any alternate text, language, attributes."""
        element = self.element

        def reference(target: PDFObjectReference) -> bytes:
            return b"%d %d R" % document.idToObjectNumberAndVersion[target.name]

        parent = self.references[id(element.parent)] if element.parent else self.root
        parts = [b"<< /Type /StructElem /S /", element.role.encode("ascii"), b" /P ", reference(parent)]
        page = next((kid.page for kid in element.kids if isinstance(kid, MarkedContent)), None)
        if page is not None:
            parts += [b" /Pg ", reference(page)]
        kids = []
        for kid in element.kids:
            if isinstance(kid, Element):
                kids.append(reference(self.references[id(kid)]))
            elif isinstance(kid, MarkedContent) and page is not None and kid.page.name == page.name:
                kids.append(b"%d" % kid.mcid)
            elif isinstance(kid, MarkedContent):
                kids.append(b"<< /Type /MCR /Pg %s /MCID %d >>" % (reference(kid.page), kid.mcid))
            else:
                kids.append(
                    b"<< /Type /OBJR /Pg %s /Obj %s >>" % (reference(kid.page), reference(kid.annotation))
                )
        parts += [b" /K ", kids[0] if len(kids) == 1 else b"[" + b" ".join(kids) + b"]"]
        for key, text in ((b"Alt", element.alt), (b"Lang", element.lang)):
            if text:
                parts += [b" /", key, b" ", PDFString(text).format(document)]
        if element.attributes:
            parts += [b" /A ", PDFDictionary(dict(element.attributes)).format(document)]
        return b"".join([*parts, b" >>"])


def _walk(element: Element) -> Iterator[Element]:
    yield element
    for kid in element.kids:
        if isinstance(kid, Element):
            yield from _walk(kid)


def _with_artifacts(code: list[str]) -> Iterator[str]:
    """Yield `code` with each run of operators outside marked content wrapped as one artifact."""
    depth, run = 0, []
    for operator in code:
        if depth == 0 and not _opens(operator):
            run.append(operator)
            continue
        if run:
            yield from _artifact(run)
            run = []
        depth += _opens(operator) - (operator == CONTENT_END)
        yield operator
    yield from _artifact(run)


def _opens(operator: str) -> bool:
    return operator.endswith((" BDC", " BMC"))


def _artifact(run: list[str]) -> list[str]:
    return [ARTIFACT_START, *run, CONTENT_END] if any(operator.strip() for operator in run) else run


def _code(canvas: Canvas) -> list[str]:
    code: list[str] = canvas._code  # type: ignore[attr-defined]  # reportlab's page operators
    return code


def _page_reference(canvas: Canvas) -> PDFObjectReference:
    reference: PDFObjectReference = canvas._doc.thisPageRef()  # type: ignore[attr-defined]  # reportlab's own
    return reference


class TaggedCanvas(Canvas):
    """A canvas that keeps the document's structure tree (`structure`) and writes it when it saves.

    It also ends each page as the tree needs (artifacts, the page's parent-tree key,
    tab order in structure order), lists link annotations with a description, and
    marks the document as tagged, in its language, titled, and claiming PDF/UA-1.
    """

    def __init__(self, *args: Any, tagging: Tagging, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.structure = Structure(tagging)
        self.page_key: int | None = None
        self.after_text: Callable[[], None] | None = None
        """Called once after the next text object is drawn (a list item's label, see `ListItem`)."""
        self.deferred: list[Callable[[Canvas], None]] = []
        """Drawing to do after a paragraph's own text, in its coordinates (see `ContentsEntry`)."""
        self.destination = ""
        """The destination of the link being added (see `linkRect`)."""
        self.line_ends: Iterator[bool] | None = None
        """For each line of the paragraph being drawn, whether a space ends it (see `beginText`)."""

    def beginText(self, x: float = 0, y: float = 0, direction: Any = None) -> PDFTextObject:
        """Return a text object that ends each line of a tagged paragraph with its space.

        reportlab drops the space where a line wraps, so the text that assistive technology
        reads ran the last word of a line into the first of the next ("ManagementCareer").
        """
        return _SpacedText(self, x, y, direction=direction)

    def drawText(self, aTextObject: Any) -> None:
        """Draw a text object; then do what `after_text` asks, once."""
        super().drawText(aTextObject)
        if self.after_text is not None:
            callback, self.after_text = self.after_text, None
            callback()

    def showPage(self) -> None:
        """End the page: what it drew outside marked content becomes artifacts."""
        self.page_key = self.structure.end_page(self)
        super().showPage()

    def _setAnnotations(self, page: PDFPage) -> None:
        """Give the page, as it is shown, its parent-tree key and a tab order that follows the structure."""
        super()._setAnnotations(page)  # type: ignore[misc]  # reportlab's own, absent from its stubs
        if not isinstance(page, PDFPage):  # a form XObject, which reportlab ends the same way
            return
        entries = {"Tabs": PDFName("S")} | ({} if self.page_key is None else {"StructParents": self.page_key})
        page.__NoDefault__ = [*page.__NoDefault__, *entries]  # the keys reportlab writes
        for key, value in entries.items():
            setattr(page, key, value)

    def linkRect(self, contents: str, destinationname: str, *args: Any, **kwargs: Any) -> None:
        """Add a link to the destination `destinationname`, described by where it leads."""
        description = contents or self.structure.tagging.link_texts.get(destinationname, "")
        self.destination = destinationname
        try:
            super().linkRect(description or destinationname, destinationname, *args, **kwargs)
        finally:
            self.destination = ""

    def _addAnnotation(self, annotation: Any, name: str | None = None, addtopage: int = 1) -> None:
        """Add an annotation; a link is listed in a `Link` element of what is being drawn."""
        count = self._annotationCount + 1  # type: ignore[attr-defined]  # reportlab's own
        name = name or f"NUMBER{count}"
        super()._addAnnotation(annotation, name, addtopage)  # type: ignore[misc]  # reportlab's own
        if isinstance(annotation, LinkAnnotation):
            reference = self._doc.refAnnotation(name)  # type: ignore[attr-defined]  # reportlab's own
            contents = str(annotation.Contents)
            key = self.structure.annotation(self, reference, "Link", contents, "#" + self.destination)
            annotation.permitted = (*annotation.permitted, "StructParent")
            annotation.otherkw["StructParent"] = key

    def save(self) -> None:
        """Write the structure tree and the catalog entries of a tagged document, then save."""
        document = self._doc  # type: ignore[attr-defined]  # reportlab's own
        tagging = self.structure.tagging
        catalog = document._catalog
        catalog.StructTreeRoot = self.structure.write(document)
        catalog.MarkInfo = PDFDictionary({"Marked": TRUE})
        catalog.Lang = PDFString(tagging.language)
        catalog.ViewerPreferences = PDFDictionary({"DisplayDocTitle": TRUE})
        catalog.Metadata = document.Reference(
            metadata_stream(tagging.title, tagging.language, tagging.identity)
        )
        super().save()


class _SpacedText(PDFTextObject):
    """A text object whose lines end with the space their paragraph wrapped at, when it asks."""

    def _textOut(self, text: str, TStar: int = 0) -> None:  # noqa: N803 - reportlab's name
        line_ends = getattr(self._canvas, "line_ends", None)  # type: ignore[attr-defined]  # reportlab's own
        if TStar and line_ends is not None and next(line_ends, False) and not text.endswith(" "):
            text += " "
        super()._textOut(text, TStar)  # type: ignore[misc]  # reportlab's own, absent from its stubs

    def _linkRecord(self, link: tuple[int, str], kind: str) -> None:
        """Mark a link's text as a `Link` as reportlab shows it (reportlab calls this at each end)."""
        canvas = self._canvas  # type: ignore[attr-defined]  # reportlab's own
        if not isinstance(canvas, TaggedCanvas):
            return
        code: list[str] = self._code  # type: ignore[attr-defined]  # reportlab's own
        if kind == "start":
            canvas.structure.link_starts(canvas, code, link[1])
        else:
            canvas.structure.link_ends(canvas, code)


def structure_of(canvas: Canvas) -> Structure:
    """Return the structure tree `canvas` keeps (the writer always draws on a TaggedCanvas)."""
    assert isinstance(canvas, TaggedCanvas), "the writer builds with canvasmaker=PageCountCanvas"
    return canvas.structure


def metadata_stream(title: str, language: str, identity: tuple[tuple[str, str], ...] = ()) -> PDFStream:
    """Return the XMP metadata stream of a document titled `title` (see `xmp_packet`), uncompressed."""
    dictionary = PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")})
    return PDFStream(dictionary, xmp_packet(title, language, identity), filters=[])


def xmp_packet(title: str, language: str, identity: tuple[tuple[str, str], ...] = ()) -> bytes:
    """Return the XMP metadata of a document titled `title` in `language`: its claim to PDF/UA-1, and
    what file it is (`identity`, in guide's namespace: see `guide.identity`)."""
    own = "".join(f"<guide:{name}>{escape(value)}</guide:{name}>\n" for name, value in identity)
    packet = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" xmlns:guide="{IDENTITY_NAMESPACE}">
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(title)}</rdf:li></rdf:Alt></dc:title>
<dc:language><rdf:Bag><rdf:li>{escape(language)}</rdf:li></rdf:Bag></dc:language>
<pdfuaid:part>1</pdfuaid:part>
{own}</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    return packet.encode("utf-8")
