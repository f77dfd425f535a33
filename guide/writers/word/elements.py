"""Building raw OOXML elements safely, and putting them where the schema wants them.

Data only ever enters an element through `.text` or an attribute value (lxml
escapes both), never through an XML string (PITFALLS D3). Word refuses, or
"repairs", a part whose children are out of schema order, so every insertion
into a properties element goes through `insert_in_order` with the sequence
copied from the schema (ECMA-376 part 1, as python-docx spells it).
"""

from __future__ import annotations

import weakref
from typing import Any, Protocol

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.text.run import CT_R
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run
from lxml import etree

PARAGRAPH_PROPERTIES = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr",
    "w:widowControl", "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs",
    "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
    "w:pPrChange",
)  # fmt: skip
"""Children of `w:pPr` in schema order (CT_PPr)."""

RUN_PROPERTIES = (
    "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps",
    "w:strike", "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof",
    "w:snapToGrid", "w:vanish", "w:webHidden", "w:color", "w:spacing", "w:w", "w:kern",
    "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd",
    "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
    "w:specVanish", "w:oMath",
)  # fmt: skip
"""Children of `w:rPr` in schema order (CT_RPr)."""

TABLE_PROPERTIES = (
    "w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
    "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd",
    "w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption",
    "w:tblDescription", "w:tblPrChange",
)  # fmt: skip
"""Children of `w:tblPr` in schema order (CT_TblPr)."""

ROW_PROPERTIES = (
    "w:cnfStyle", "w:divId", "w:gridBefore", "w:gridAfter", "w:wBefore", "w:wAfter",
    "w:cantSplit", "w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden",
    "w:ins", "w:del", "w:trPrChange",
)  # fmt: skip
"""Children of `w:trPr` in schema order (CT_TrPr)."""

CELL_PROPERTIES = (
    "w:cnfStyle", "w:tcW", "w:gridSpan", "w:hMerge", "w:vMerge", "w:tcBorders", "w:shd",
    "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark",
    "w:headers", "w:cellIns", "w:cellDel", "w:cellMerge", "w:tcPrChange",
)  # fmt: skip
"""Children of `w:tcPr` in schema order (CT_TcPr)."""

STYLE_CHILDREN = (
    "w:name", "w:aliases", "w:basedOn", "w:next", "w:link", "w:autoRedefine", "w:hidden",
    "w:uiPriority", "w:semiHidden", "w:unhideWhenUsed", "w:qFormat", "w:locked",
    "w:personal", "w:personalCompose", "w:personalReply", "w:rsid", "w:pPr", "w:rPr",
    "w:tblPr", "w:trPr", "w:tcPr", "w:tblStylePr",
)  # fmt: skip
"""Children of `w:style` in schema order (CT_Style)."""

SETTINGS_AFTER_DOCUMENT_PROTECTION = (
    "w:autoFormatOverride", "w:styleLockTheme", "w:styleLockQFSet", "w:defaultTabStop",
    "w:autoHyphenation", "w:consecutiveHyphenLimit", "w:hyphenationZone", "w:doNotHyphenateCaps",
    "w:showEnvelope", "w:summaryLength", "w:clickAndTypeStyle", "w:defaultTableStyle",
    "w:evenAndOddHeaders", "w:bookFoldRevPrinting", "w:bookFoldPrinting", "w:bookFoldPrintingSheets",
    "w:drawingGridHorizontalSpacing", "w:drawingGridVerticalSpacing",
    "w:displayHorizontalDrawingGridEvery", "w:displayVerticalDrawingGridEvery",
    "w:doNotUseMarginsForDrawingGridOrigin", "w:drawingGridHorizontalOrigin",
    "w:drawingGridVerticalOrigin", "w:doNotShadeFormData", "w:noPunctuationKerning",
    "w:characterSpacingControl", "w:printTwoOnOne", "w:strictFirstAndLastChars",
    "w:noLineBreaksAfter", "w:noLineBreaksBefore", "w:savePreviewPicture",
    "w:doNotValidateAgainstSchema", "w:saveInvalidXml", "w:ignoreMixedContent",
    "w:alwaysShowPlaceholderText", "w:doNotDemarcateInvalidXml", "w:saveXmlDataOnly",
    "w:useXSLTWhenSaving", "w:saveThroughXslt", "w:showXMLTags", "w:alwaysMergeEmptyNamespace",
    "w:updateFields",
)  # fmt: skip
"""Children of `w:settings` from `w:documentProtection` on to `w:updateFields` (CT_Settings).

The rest follow in SETTINGS_AFTER_UPDATE_FIELDS."""

SETTINGS_AFTER_UPDATE_FIELDS = (
    "w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars",
    "w:rsids", "m:mathPr", "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping",
    "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures", "w:forceUpgrade",
    "w:captions", "w:readModeInkLockDown", "w:smartTagType", "sl:schemaLibrary",
    "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator",
)  # fmt: skip
"""Children of `w:settings` that come after `w:updateFields` (CT_Settings)."""

BORDER_SIDES = ("w:top", "w:left", "w:bottom", "w:right", "w:insideH", "w:insideV")
"""Children of `w:tblBorders`, `w:tcBorders` and `w:pBdr` in schema order (as far as used)."""


def element(tag: str, **attributes: str | int) -> etree._Element:
    """Return a new element `tag` (such as "w:tag") with `attributes` given as `w_val="x"`.

    An attribute name spells its prefix with an underscore: `w_val` is `w:val`,
    `w14_font` is `w14:font`.
    """
    new = OxmlElement(tag)
    for name, value in attributes.items():
        new.set(qn(name.replace("_", ":", 1)), str(value))
    return new


def new_run_element() -> CT_R:
    """Return a new, empty `w:r`: python-docx's own class for it, which a Run wraps."""
    new = element("w:r")
    assert isinstance(new, CT_R), "python-docx makes each w:r a CT_R"
    return new


def text_element(tag: str, text: str) -> etree._Element:
    """Return a new element `tag` holding `text`, with its spaces kept (for w:t, w:instrText)."""
    new = element(tag)
    new.text = text
    new.set(qn("xml:space"), "preserve")
    return new


def insert_in_order(parent: etree._Element, child: etree._Element, order: tuple[str, ...]) -> None:
    """Put `child` into `parent` before the first sibling that `order` says comes after it.

    An existing child with the same tag is replaced.
    """
    for old in parent.findall(child.tag):
        parent.remove(old)
    qualified = [qn(name) for name in order]
    successors = set(qualified[qualified.index(child.tag) + 1 :])
    for index, sibling in enumerate(parent):
        if sibling.tag in successors:
            parent.insert(index, child)
            return
    parent.append(child)


def borders(
    tag: str, sides: tuple[str, ...], color: str, *, width: int = 4, space: int = 0
) -> etree._Element:
    """Return a borders element `tag` with a single line on each of `sides` ("w:bottom").

    `color` is "#RRGGBB"; `width` is in eighths of a point; `space` (points) is the
    gap between a paragraph's text and its border.
    """
    container = element(tag)
    for side in BORDER_SIDES:
        if side in sides:
            line = element(side, w_val="single", w_sz=width, w_space=space, w_color=color[1:])
            container.append(line)
    return container


def shading(fill: str) -> etree._Element:
    """Return a `w:shd` that fills with `fill` ("#RRGGBB")."""
    return element("w:shd", w_val="clear", w_color="auto", w_fill=fill[1:])


class ParagraphContainer(Protocol):
    """Where paragraphs go: the python-docx document or a table cell."""

    def add_paragraph(self, text: str = "", style: str | None = None) -> DocxParagraph: ...


def add_styled(container: ParagraphContainer, style: str | None, text: str = "") -> DocxParagraph:
    """Append a paragraph of `text` in the paragraph style named `style` (None: Normal) to `container`."""
    paragraph = container.add_paragraph(text)
    return paragraph if style is None else set_style(paragraph, style)


def set_style(paragraph: DocxParagraph, style: str) -> DocxParagraph:
    """Give `paragraph` the paragraph style named `style`; return it.

    By id, through the XML: python-docx's own `style=` scans every style of the
    document on each call, which made style look-ups most of a packet's build time.
    """
    _set_first(_first_child(paragraph._p, "w:pPr"), "w:pStyle", _style_id(paragraph, style))
    return paragraph


def set_run_style(run: Run, style: str) -> None:
    """Give `run` the character style named `style` (by id, as `set_style` does)."""
    _set_first(_first_child(run._r, "w:rPr"), "w:rStyle", _style_id(run, style))


def set_table_style(table: DocxTable, style: str) -> None:
    """Give `table` the table style named `style` (by id, as `set_style` does)."""
    _set_first(_first_child(table._tbl, "w:tblPr"), "w:tblStyle", _style_id(table, style))


def _first_child(parent: etree._Element, tag: str) -> etree._Element:
    """Return `parent`'s child `tag`, which the schema puts first (w:pPr, w:rPr, w:tblPr), made if missing.

    Straight in the XML: python-docx finds a child's place among every tag the schema
    allows after it, which made setting styles a large part of writing a document.
    """
    child = parent.find(qn(tag))
    if child is None:
        child = element(tag)
        parent.insert(0, child)
    return child


def _set_first(properties: etree._Element, tag: str, value: str) -> None:
    """Set `properties`' first child `tag` (w:pStyle, w:rStyle, w:tblStyle) to `value`."""
    _first_child(properties, tag).set(qn("w:val"), value)


def _style_id(item: DocxParagraph | Run | DocxTable, name: str) -> str:
    """Return the id of the style named `name` in `item`'s document, looked up once per document."""
    package = item.part.package
    ids = _STYLE_IDS.setdefault(package, {})
    if name not in ids:
        ids[name] = package.main_document_part.styles[name].style_id
    return ids[name]


_STYLE_IDS: weakref.WeakKeyDictionary[Any, dict[str, str]] = weakref.WeakKeyDictionary()
"""Style ids by name, for each document being written: python-docx finds a style by a search."""
