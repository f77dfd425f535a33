"""No output carries a DOCTYPE or a reference outside itself, and a reference document is read with bounds.

The shipped ladder is built with a hostile theme: an SVG logo holding every way
to reach outside itself (`tests/fixtures/themes/svg_hostile.svg`) and a reference
document whose theme part has a DOCTYPE declaring external entities. Every part of
every Word file is then read with zipfile, and every object of every PDF with
pikepdf, streams decompressed. Reference documents that lie about their sizes, or
that hold too many parts or use their DOCTYPE's entities, are theme errors.
"""

from __future__ import annotations

import functools
import re
import resource
import shutil
import struct
import subprocess
import sys
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest
from lxml import etree

from conftest import FIXTURES, SHIPPED_LADDER, header_svgs

THEMES = FIXTURES / "themes"
MINIMAL = FIXTURES / "ladders" / "valid" / "minimal.yaml"
REFERENCE_LINE = "layouts/theme.yaml:1:17: word_reference 'reference.docx'"
"""Where the theme `word_reference: reference.docx` reports a problem with the document."""

EXTERNAL_DOCTYPE = (
    b'<!DOCTYPE a:theme [<!ENTITY hostname SYSTEM "file:///etc/hostname">'
    b'<!ENTITY tracker SYSTEM "https://tracker.example/theme.dtd">]>'
)
FORBIDDEN = (
    b"<!DOCTYPE",
    b"<!ENTITY",
    b"file:",
    b"javascript:",
    b"<script",
    b"tracker.example",
    b"etc/hostname",
)
SCHEMA_ADDRESSES = (
    b"http://schemas.openxmlformats.org/",
    b"http://schemas.microsoft.com/",
    b"http://purl.org/dc/",
    b"http://www.w3.org/",
)
"""Where an address may appear in a Word file: the namespaces and types of its own schemas."""
ADDRESS = re.compile(rb"""https?://[^\s"'<>)]*""")


def with_part(source: Path, target: Path, name: str, change: Callable[[bytes], bytes]) -> Path:
    """Write to `target` the Word document `source` with its part `name` changed by `change`; return it."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for entry in old.infolist():
            data = old.read(entry)
            new.writestr(entry.filename, change(data) if entry.filename == name else data)
    return target


def with_doctype(doctype: bytes) -> Callable[[bytes], bytes]:
    """Return a change that puts `doctype` after a part's XML declaration."""

    def change(data: bytes) -> bytes:
        declaration, end, rest = data.partition(b"?>")
        return declaration + end + doctype + rest

    return change


def run_guide(*arguments: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "guide", *map(str, arguments)]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=600)


# --- the shipped ladder, built with a hostile theme ----------------------------------------


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory) -> Path:
    """Return the output folder of the shipped ladder built with the hostile logo and reference."""
    project = tmp_path_factory.mktemp("hostile")
    (project / "data").mkdir()
    shutil.copy(SHIPPED_LADDER, project / "data")
    layouts = project / "layouts"
    layouts.mkdir()
    shutil.copy(THEMES / "svg_hostile.svg", layouts / "logo.svg")
    theme_part = "word/theme/theme1.xml"
    with_part(
        THEMES / "reference.docx", layouts / "reference.docx", theme_part, with_doctype(EXTERNAL_DOCTYPE)
    )
    (layouts / "theme.yaml").write_text("word_reference: reference.docx\nlogo: logo.svg\n", "utf-8")
    result = run_guide("build", "-o", "out", cwd=project)
    assert result.returncode == 0, result.stderr
    return project / "out"


def word_parts(folder: Path) -> list[tuple[str, bytes]]:
    """Return (file and part name, content) of every part of every Word file below `folder`."""
    parts = []
    for path in sorted(folder.rglob("*.do[ct]x")):
        with zipfile.ZipFile(path) as package:
            file = path.relative_to(folder)
            parts += [(f"{file}:{name}", package.read(name)) for name in package.namelist()]
    return parts


def test_no_word_part_has_a_doctype_or_a_foreign_reference(hostile_build: Path) -> None:
    parts = word_parts(hostile_build)
    files = {name.split(":")[0] for name, _ in parts}
    assert len(files) > 10  # the handbook, checklists, packets, templates
    for name, data in parts:
        for forbidden in FORBIDDEN:
            assert forbidden not in data, f"{forbidden!r} in {name}"
        foreign = [address for address in ADDRESS.findall(data) if not address.startswith(SCHEMA_ADDRESSES)]
        assert not foreign, f"{foreign} in {name}"


def test_the_word_logo_is_the_cleaned_svg_and_the_theme_part_the_references(hostile_build: Path) -> None:
    package = zipfile.ZipFile(hostile_build / "product-management" / "handbook.docx")
    (logo,) = header_svgs(package)
    root = etree.fromstring(package.read(logo))
    svg = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{svg}svg" and root.get("onload") is None
    assert {etree.QName(element).localname for element in root.iter(etree.Element)} == {
        "svg", "style", "defs", "linearGradient", "stop", "rect", "circle", "image", "use", "a"
    }  # fmt: skip
    for element in root.iter(etree.Element):
        assert not [name for name in element.attrib if name.startswith("{") or name in ("href", "onclick")]
    assert root.find(f"{svg}rect").get("fill") == "#8A1538"  # the internal entity &brand;, written out
    with zipfile.ZipFile(THEMES / "reference.docx") as reference:
        theirs = etree.fromstring(reference.read("word/theme/theme1.xml"))
    ours = etree.fromstring(package.read("word/theme/theme1.xml"))
    assert etree.tostring(ours) == etree.tostring(theirs)


def test_no_pdf_holds_a_doctype_or_a_foreign_reference(hostile_build: Path) -> None:
    pdfs = sorted(hostile_build.rglob("*.pdf"))
    assert len(pdfs) > 10  # the handbook, checklists, packets
    for path in pdfs:
        with pikepdf.open(path) as pdf:
            for number, item in enumerate(pdf.objects):
                data = item.read_bytes() if isinstance(item, pikepdf.Stream) else item.unparse()
                for forbidden in FORBIDDEN:
                    assert forbidden not in data, f"{forbidden!r} in {path.name}, object {number}"


# --- reference documents read with bounds --------------------------------------------------


MEMORY_CAP = 400 << 20
"""The address space `guide validate` runs in here: enough for guide, not for a 500 MB part unpacked whole.

A cap rather than a measure: a child's peak memory counts the pages of the process
it was forked from, which in a long test run is large already."""


def validate_with_reference(project: Path, reference: Path) -> tuple[int, list[str]]:
    """Run `guide validate` with `reference` as the theme's Word reference, within MEMORY_CAP.

    Return its exit status and the lines it wrote to stderr.
    """
    layouts = project / "layouts"
    layouts.mkdir(parents=True)
    shutil.copy(reference, layouts / "reference.docx")
    (layouts / "theme.yaml").write_text("word_reference: reference.docx\n", "utf-8")
    command = [sys.executable, "-m", "guide", "validate", str(MINIMAL)]
    capped = functools.partial(resource.setrlimit, resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))
    result = subprocess.run(
        command, cwd=project, capture_output=True, text=True, timeout=120, preexec_fn=capped
    )
    return result.returncode, result.stderr.splitlines()


def lying_reference(target: Path, unpacked_megabytes: int = 500, declared: int = 1000) -> Path:
    """Write a reference whose styles part says it holds `declared` bytes but unpacks to 500 MB of zeros.

    The deflate stream is one megabyte of zeros packed once and repeated (a full flush
    makes each copy stand alone), 500 KB in all. zipfile writes it stored; its headers
    are then patched to say deflated, with the size and checksum of `declared` zeros.
    """
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    megabyte = compressor.compress(bytes(1 << 20)) + compressor.flush(zlib.Z_FULL_FLUSH)
    stream = megabyte * unpacked_megabytes + compressor.flush()
    with zipfile.ZipFile(THEMES / "reference.docx") as old, zipfile.ZipFile(target, "w") as new:
        for entry in old.infolist():
            if entry.filename == "word/styles.xml":
                new.writestr(zipfile.ZipInfo(entry.filename), stream)
            else:
                new.writestr(entry.filename, old.read(entry), zipfile.ZIP_DEFLATED)
    data = bytearray(target.read_bytes())
    with zipfile.ZipFile(target) as package:
        local, central = package.getinfo("word/styles.xml").header_offset, package.start_dir
    while data[central + 46 : central + 46 + len(b"word/styles.xml")] != b"word/styles.xml":
        name, extra, comment = struct.unpack_from("<HHH", data, central + 28)
        central += 46 + name + extra + comment
    checksum = zlib.crc32(bytes(declared))
    for method, crc, size in (
        (local + 8, local + 14, local + 22),
        (central + 10, central + 16, central + 24),
    ):
        struct.pack_into("<H", data, method, zipfile.ZIP_DEFLATED)
        struct.pack_into("<I", data, crc, checksum)
        struct.pack_into("<I", data, size, declared)
    target.write_bytes(bytes(data))
    return target


def test_a_reference_whose_zip_headers_lie_is_read_in_bounded_chunks(tmp_path: Path) -> None:
    reference = lying_reference(tmp_path / "lying.docx")
    assert reference.stat().st_size < 1_000_000
    with zipfile.ZipFile(reference) as package:  # the lie: the part says it is small
        assert package.getinfo("word/styles.xml").file_size == 1000
    status, lines = validate_with_reference(tmp_path / "project", reference)
    assert status == 1 and not any("Traceback" in line for line in lines)
    (line,) = lines  # unpacked whole, the part alone would be a MemoryError within MEMORY_CAP
    assert line.startswith(f"{REFERENCE_LINE} has a damaged part word/styles.xml: ")  # 1,000 zeros


def test_a_reference_with_too_many_parts_is_refused(tmp_path: Path) -> None:
    reference = Path(shutil.copy(THEMES / "reference.docx", tmp_path / "many.docx"))
    with zipfile.ZipFile(reference, "a") as package:
        for number in range(10_000):
            package.writestr(f"customXml/empty{number}.xml", b"")
        count = len(package.namelist())
    status, lines = validate_with_reference(tmp_path / "project", reference)
    assert status == 1
    assert lines == [f"{REFERENCE_LINE} has {count:,} parts, more than a Word document has (10,000)"]


@pytest.mark.parametrize("part", ["word/theme/theme1.xml", "word/styles.xml"])
def test_a_reference_part_that_uses_its_doctypes_entities_is_refused(part: str, tmp_path: Path) -> None:
    """Without its DOCTYPE, such a part would not read; the DOCTYPE itself may not go into a Word file."""

    def use_entity(data: bytes) -> bytes:
        declaration, end, rest = data.partition(b"?>")
        root, close, body = rest.partition(b">")
        return (
            declaration + end + b'<!DOCTYPE x [<!ENTITY brand "Brand">]>' + root + close + b"&brand;" + body
        )

    reference = with_part(THEMES / "reference.docx", tmp_path / "entity.docx", part, use_entity)
    status, lines = validate_with_reference(tmp_path / "project", reference)
    assert status == 1
    assert lines == [
        f"{REFERENCE_LINE} has a part {part} that uses entities of a DOCTYPE, which Word documents"
        " may not hold: save it again from Word"
    ]
