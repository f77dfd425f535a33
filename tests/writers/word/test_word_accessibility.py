"""Accessible Word files: languages on text, alt text on pictures, marked header rows, headings in order.

Read back from the package's XML: the shipped ladder, a ladder in Chinese, Arabic and
Hebrew, and a project whose theme has a logo.
"""

from __future__ import annotations

import re
import zipfile

import pytest
from lxml import etree

from conftest import FIXTURES, ROOT, SHIPPED_LADDER, written_paths
from guide import build

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NAMESPACES = {
    "w": W,
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "adec": "http://schemas.microsoft.com/office/drawing/2017/decorative",
}
HAN = re.compile("[\u4e00-\u9fff]")
ARABIC = re.compile("[\u0600-\u06ff]")
HEBREW = re.compile("[\u0590-\u05ff]")


@pytest.fixture(scope="module")
def packages(tmp_path_factory) -> dict[str, zipfile.ZipFile]:
    """Build the Word files of the ladders and of a branded project; return them by path below the output."""
    out = tmp_path_factory.mktemp("word")
    ladders = build.load_ladders([SHIPPED_LADDER, FIXTURES / "ladders" / "valid" / "world_scripts.yaml"])
    shipped, branded = build.Project(ROOT), build.Project(FIXTURES / "projects" / "branded")
    outputs = build.prepare(shipped, ladders, out, ("handbook", "packets"), ("docx",))
    written = written_paths(outputs, shipped.theme)
    outputs = build.prepare(branded, ladders[:1], out / "branded", ("handbook",), ("docx",))
    written += written_paths(outputs, branded.theme)
    return {
        path.relative_to(out).as_posix(): zipfile.ZipFile(path) for path in written if path.suffix == ".docx"
    }


def xml(package: zipfile.ZipFile, part: str) -> etree._Element:
    return etree.fromstring(package.read(part))


def runs(package: zipfile.ZipFile) -> list[tuple[str, dict[str, str]]]:
    """Return each run's text and the attributes of its own `w:lang`, if it has one."""
    found = []
    for run in xml(package, "word/document.xml").iter(f"{{{W}}}r"):
        text = "".join(run.xpath(".//w:t/text()", namespaces=NAMESPACES))
        lang = run.find(f"{{{W}}}rPr/{{{W}}}lang")
        attributes = (
            {} if lang is None else {etree.QName(key).localname: value for key, value in lang.attrib.items()}
        )
        found.append((text, attributes))
    return found


def test_chinese_arabic_and_hebrew_runs_say_their_language(packages) -> None:
    text_runs = runs(packages["world-scripts/handbook.docx"])
    chinese = [lang for text, lang in text_runs if HAN.search(text)]
    arabic = [lang for text, lang in text_runs if ARABIC.search(text)]
    hebrew = [lang for text, lang in text_runs if HEBREW.search(text)]
    assert chinese and all(lang.get("eastAsia") == "zh-CN" for lang in chinese)
    assert arabic and all(lang.get("bidi") == "ar-SA" for lang in arabic)
    assert hebrew and all(lang.get("bidi") == "he-IL" for lang in hebrew)


def test_the_document_defaults_to_the_ladders_language_not_the_templates_japanese(packages) -> None:
    for name in ("world-scripts/handbook.docx", "product-management/handbook.docx"):
        package = packages[name]
        defaults = xml(package, "word/styles.xml").find(f".//{{{W}}}rPrDefault//{{{W}}}lang")
        theme_languages = xml(package, "word/settings.xml").find(f"{{{W}}}themeFontLang")
        assert defaults.get(f"{{{W}}}val") == theme_languages.get(f"{{{W}}}val") == "en-US"
        east_asian = theme_languages.get(f"{{{W}}}eastAsia")
        assert east_asian == ("zh-CN" if name.startswith("world") else "en-US")


def test_every_picture_says_what_it_shows_or_that_it_is_decorative(packages) -> None:
    pictures = 0
    for package in packages.values():
        parts = [name for name in package.namelist() if re.fullmatch(r"word/(document|header\d+)\.xml", name)]
        for part in parts:
            for properties in xml(package, part).iter(f"{{{NAMESPACES['wp']}}}docPr"):
                pictures += 1
                decorative = properties.xpath(".//adec:decorative/@val", namespaces=NAMESPACES) == ["1"]
                assert properties.get("descr") or decorative, etree.tostring(properties)[:200]
    branded = xml(packages["branded/product-management/handbook.docx"], "word/document.xml")
    assert "Example Co" in branded.xpath("//wp:docPr/@descr", namespaces=NAMESPACES)
    assert pictures >= 5


def test_header_rows_are_marked_and_headings_never_skip_a_level(packages) -> None:
    for name, package in packages.items():
        document = xml(package, "word/document.xml")
        for table in document.iter(f"{{{W}}}tbl"):
            shaded = table.xpath("w:tr[1]/w:tc[1]/w:tcPr/w:shd/@w:fill", namespaces=NAMESPACES)
            if shaded and table.xpath("w:tr[1]/w:tc", namespaces=NAMESPACES):
                header = table.xpath("w:tr[1]/w:trPr/w:tblHeader", namespaces=NAMESPACES)
                assert header or shaded == ["FFFFFF"], name
        levels = [
            outline_level(paragraph) for paragraph in document.iter(f"{{{W}}}p") if outline_level(paragraph)
        ]
        assert levels and levels[0] == 1, name
        assert all(level <= previous + 1 for previous, level in zip(levels, levels[1:], strict=False)), name


def outline_level(paragraph: etree._Element) -> int:
    """Return the heading level of `paragraph` as readers take it: its own outline level, else its style's."""
    own = paragraph.xpath("w:pPr/w:outlineLvl/@w:val", namespaces=NAMESPACES)
    style = paragraph.xpath("w:pPr/w:pStyle/@w:val", namespaces=NAMESPACES)
    if not style or not re.fullmatch(r"Heading[1-3]", style[0]):
        return 0
    return int(own[0]) + 1 if own else int(style[0][-1])


def test_the_title_is_set(packages) -> None:
    for name, package in packages.items():
        title = xml(package, "docProps/core.xml").find("{http://purl.org/dc/elements/1.1/}title")
        assert title is not None and title.text, name
