"""The Jinja environment: strict, sandboxed, autoescaped; project layouts override shipped ones."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from guide.errors import LayoutError
from guide.render import Layouts


def layouts_with(tmp_path: Path, text: str) -> Layouts:
    (tmp_path / "layouts").mkdir()
    (tmp_path / "layouts" / "page.xml.j2").write_text(text, "utf-8")
    return Layouts(tmp_path / "layouts")


def test_values_are_escaped_and_never_evaluated(tmp_path: Path) -> None:
    layouts = layouts_with(tmp_path, "<p>{{ text }}</p>")
    out = layouts.render("page.xml.j2", {"text": "R&D <b>x</b> {{ 7*7 }} {% if %}"})
    assert out == "<p>R&amp;D &lt;b&gt;x&lt;/b&gt; {{ 7*7 }} {% if %}</p>"


def test_newlines_in_values_become_line_breaks_in_text_and_in_attributes(tmp_path: Path) -> None:
    from guide.markup import parse_document
    from guide.model import LINE_BREAK, Span, form_fields

    layouts = layouts_with(
        tmp_path,
        '<document title="t"><p>{{ text }}</p>'
        '<field name="f" label="l" kind="multiline" value="{{ text }}"/></document>',
    )
    document = parse_document(layouts.render("page.xml.j2", {"text": "a <\nb"}))
    assert document.blocks[0].spans == (Span(f"a <{LINE_BREAK}b"),)
    assert form_fields(document)[0].value == "a <\nb"


def test_undefined_names_are_errors(tmp_path: Path) -> None:
    layouts = layouts_with(tmp_path, "line one\n{{ missing }}")
    with pytest.raises(LayoutError, match=r"page\.xml\.j2:2: 'missing' is undefined"):
        layouts.render("page.xml.j2", {})


def test_project_layout_overrides_shipped_one(tmp_path: Path) -> None:
    (tmp_path / "layouts").mkdir()
    (tmp_path / "layouts" / "handbook.xml.j2").write_text("mine", "utf-8")
    assert Layouts(tmp_path / "layouts").render("handbook.xml.j2", {}) == "mine"
    assert "checklist.xml.j2" in Layouts(tmp_path / "layouts").names()


def test_missing_layout_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(LayoutError, match="not found"):
        Layouts(tmp_path).render("nope.xml.j2", {})


def test_a_layout_that_loops_without_end_is_stopped_at_its_line(tmp_path: Path, monkeypatch) -> None:
    from guide import render

    monkeypatch.setattr(render, "MAX_RENDER_SECONDS", 1)
    layouts = layouts_with(
        tmp_path, "start\n{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}"
    )
    with pytest.raises(LayoutError, match=r"page\.xml\.j2:2: the layout took longer than 1 s to render"):
        layouts.render("page.xml.j2", {})


def sparse_file(path: Path) -> None:
    path.write_bytes(b"")
    os.truncate(path, 2_000_000)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (os.mkfifo, "is a pipe or a socket, not a file"),
        (lambda path: path.symlink_to("/dev/zero"), "is a device, not a file"),
        (Path.mkdir, "is a folder, not a file"),
        (sparse_file, "is larger than 1,000,000 bytes"),
        (lambda path: path.write_bytes(b"<document title='\xe9'/>"), "not UTF-8 (byte 0xe9)"),
    ],
    ids=["pipe", "device", "folder", "too-large", "not-utf8"],
)
def test_a_layout_that_is_no_readable_file_is_named(tmp_path: Path, make, message: str) -> None:
    """Jinja's own loader passed such a layout over for the shipped one, or read it without end."""
    (tmp_path / "layouts").mkdir()
    make(tmp_path / "layouts" / "handbook.xml.j2")
    with pytest.raises(LayoutError, match=f"handbook.xml.j2: {re.escape(message)}"):
        Layouts(tmp_path / "layouts").render("handbook.xml.j2", {})
