"""The languages of a Word file's text: the document's own, its East Asian and right-to-left runs'.

Word reads three languages off each run (`w:lang`): one for Latin text, one for East
Asian (`w:eastAsia`) and one for complex scripts such as Arabic and Hebrew
(`w:bidi`). They choose fonts, spelling and line breaking, and screen readers read
them. The template python-docx starts from says English and, for East Asian text,
Japanese (`w:themeFontLang`), so Chinese was drawn and read as Japanese: here the
document default is the ladder's language, East Asian and right-to-left runs say
which language they are in, and the theme's East Asian language follows the text.
"""

from __future__ import annotations

from collections.abc import Iterable

from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.text.run import Run
from lxml import etree

from guide.scripts import east_asian_language, regional_language, right_to_left_language
from guide.writers.word.elements import RUN_PROPERTIES, element, insert_in_order


def set_run_language(run: Run, text: str, language: str) -> None:
    """Say in `run`, which shows `text`, what language its East Asian or right-to-left text is in.

    Other text needs nothing: it is in the document's `language`, the default.
    """
    east_asian, right_to_left = east_asian_language(text, language), right_to_left_language(text, language)
    if east_asian is None and right_to_left is None:
        return
    attributes = {"w_val": regional_language(language)}
    if east_asian is not None:
        attributes["w_eastAsia"] = east_asian
    if right_to_left is not None:
        attributes["w_bidi"] = right_to_left
    insert_in_order(run._r.get_or_add_rPr(), element("w:lang", **attributes), RUN_PROPERTIES)


def set_east_asian_font(document: DocxDocument, family: str) -> None:
    """Make `family` the font Word draws East Asian text in (a Japanese font for a Japanese document)."""
    defaults = document.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    fonts = defaults.find(qn("w:rFonts"))
    fonts.attrib.pop(qn("w:eastAsiaTheme"), None)
    fonts.set(qn("w:eastAsia"), family)


def set_document_languages(document: DocxDocument, language: str, texts: Iterable[str]) -> None:
    """Make `language` the document's, and the East Asian and right-to-left ones those of `texts`.

    They go into the default run properties and into the theme's font languages.
    """
    text = "".join(texts)
    languages = {
        "w:val": regional_language(language),
        "w:eastAsia": east_asian_language(text, language) or regional_language(language),
        "w:bidi": right_to_left_language(text, language) or "ar-SA",
    }
    defaults = document.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    _set_attributes(defaults, "w:lang", languages)
    settings = document.settings.element
    _set_attributes(settings, "w:themeFontLang", languages)


def _set_attributes(parent: etree._Element, tag: str, attributes: dict[str, str]) -> None:
    found = parent.find(qn(tag))
    assert found is not None, f"python-docx's template has {tag}"
    for name, value in attributes.items():
        found.set(qn(name), value)
