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

import re
from collections.abc import Iterable

from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.text.run import Run
from lxml import etree

from guide.writers.word.elements import RUN_PROPERTIES, element, insert_in_order

WORD_TAGS = {
    "en": "en-US", "de": "de-DE", "fr": "fr-FR", "es": "es-ES", "it": "it-IT", "pt": "pt-BR",
    "nl": "nl-NL", "pl": "pl-PL", "ru": "ru-RU", "tr": "tr-TR", "ar": "ar-SA", "he": "he-IL",
    "zh": "zh-CN", "zh-hans": "zh-CN", "zh-hant": "zh-TW", "ja": "ja-JP", "ko": "ko-KR",
}  # fmt: skip
"""Word names languages by language and region: the region a language alone most often means,
and the region of a script subtag, which Word does not know."""

KANA = re.compile("[\u3040-\u30ff\u31f0-\u31ff]")
HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")
HEBREW = re.compile("[\u0590-\u05ff\ufb1d-\ufb4f]")
ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")


def word_language(tag: str) -> str:
    """Return the BCP 47 `tag` as Word names the language (`zh-Hans` is `zh-CN`)."""
    return WORD_TAGS.get(tag.lower(), tag)


def east_asian_language(text: str, language: str) -> str | None:
    """Return the language of the East Asian characters of `text`, or None if it has none.

    Kana is Japanese and Hangul Korean; Chinese characters alone are Chinese, unless the
    document's `language` is Japanese or Korean.
    """
    if KANA.search(text):
        return "ja-JP"
    if HANGUL.search(text):
        return "ko-KR"
    if HAN.search(text):
        own = word_language(language)
        return own if own[:2] in ("ja", "ko", "zh") else "zh-CN"
    return None


def right_to_left_language(text: str, language: str) -> str | None:
    """Return the language of the Hebrew or Arabic letters of `text`, or None if it has none."""
    own = word_language(language)
    if HEBREW.search(text):
        return own if own[:2] == "he" else "he-IL"
    if ARABIC.search(text):
        return own if own[:2] in ("ar", "fa", "ur") else "ar-SA"
    return None


def set_run_language(run: Run, text: str, language: str) -> None:
    """Say in `run`, which shows `text`, what language its East Asian or right-to-left text is in.

    Other text needs nothing: it is in the document's `language`, the default.
    """
    east_asian, right_to_left = east_asian_language(text, language), right_to_left_language(text, language)
    if east_asian is None and right_to_left is None:
        return
    attributes = {"w_val": word_language(language)}
    if east_asian is not None:
        attributes["w_eastAsia"] = east_asian
    if right_to_left is not None:
        attributes["w_bidi"] = right_to_left
    insert_in_order(run._r.get_or_add_rPr(), element("w:lang", **attributes), RUN_PROPERTIES)


def set_document_languages(document: DocxDocument, language: str, texts: Iterable[str]) -> None:
    """Make `language` the document's, and the East Asian and right-to-left ones those of `texts`.

    They go into the default run properties and into the theme's font languages.
    """
    text = "".join(texts)
    languages = {
        "w:val": word_language(language),
        "w:eastAsia": east_asian_language(text, language) or word_language(language),
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
