"""Markup -> Document: the elements, whitespace rules and the errors layouts can make."""

from __future__ import annotations

import pytest

from guide import model
from guide.markup import MarkupError, parse_document


def blocks(body: str) -> tuple[model.Block, ...]:
    return parse_document(f'<document title="T">{body}</document>').blocks


def test_whitespace_collapses_and_br_breaks_lines() -> None:
    (paragraph,) = blocks("<p>\n   Owns   the <b>roadmap</b>\n and<br/>  more  </p>")
    assert paragraph == model.Paragraph(
        (
            model.Span("Owns the "),
            model.Span("roadmap", bold=True),
            model.Span(" and\nmore"),
        )
    )


def test_escaped_text_stays_literal() -> None:
    (paragraph,) = blocks("<p>R&amp;D &lt;b&gt;x&lt;/b&gt; {{ y }}</p>")
    assert model.plain_text(paragraph.spans) == "R&D <b>x</b> {{ y }}"


def test_links_and_nested_styles() -> None:
    _, paragraph = blocks('<h2 id="level-pm">PM</h2><p><b>Next: <a to="level-pm"><i>PM</i></a></b></p>')
    assert paragraph.spans == (
        model.Span("Next: ", bold=True),
        model.Span("PM", bold=True, italic=True, link="level-pm"),
    )


def test_table_cells_hold_text_or_blocks() -> None:
    (table,) = blocks(
        '<table widths="1 2"><thead><tr><td>A</td><td>B</td></tr></thead>'
        '<tr><td>x</td><td><ul><li>y</li></ul><field name="f" label="F"/></td></tr></table>'
    )
    assert isinstance(table, model.Table)
    assert table.widths == (1.0, 2.0)
    assert table.rows[0][1].blocks == (model.BulletList(((model.Span("y"),),)), model.FormField("f", "F"))


def test_form_elements() -> None:
    check, field, signature = blocks(
        '<check name="skills_1" evidence="true">SQL</check>'
        '<field name="decision" label="Decision" kind="choice">'
        "<option>Yes</option><option>No</option></field>"
        '<signature label="Manager"/>'
    )
    assert check == model.CheckItem("skills_1", (model.Span("SQL"),), evidence=True)
    assert field == model.FormField("decision", "Decision", "choice", ("Yes", "No"))
    assert signature == model.SignatureLine("Manager")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("<blink/>", "unknown element <blink> in <document>"),
        ('<p colour="red">x</p>', "unknown attribute 'colour' on <p>"),
        ("<p>a <u>b</u></p>", "unknown element <u> in text"),
        ("loose text", "text must sit inside a block element in <document>"),
        ('<table widths="1"><tr><td>a</td><td>b</td></tr></table>', "table row has 2 cells for 1 columns"),
        ('<check name="a.b">x</check>', "the form name 'a.b' is not letters, digits and _"),
        (
            '<check name="a" evidence="true">x</check><field name="a_evidence" label="E"/>',
            "the form name 'a_evidence' is used twice",
        ),
        ('<h1 id="x">A</h1><h2 id="x">B</h2>', "the heading anchor 'x' is used twice"),
        ('<p><a to="nowhere">x</a></p>', "a link points at 'nowhere', which no heading anchors"),
        (
            '<field name="d" label="D" kind="choice" value="Maybe"><option>Yes</option></field>',
            "has the value 'Maybe', not one of its choices",
        ),
        ('<check name="a">x</check><check name="a">y</check>', "the form name 'a' is used twice"),
        ('<field name="d" label="D" kind="choice"/>', "choice field 'd' has no choices"),
        ('<h1 new-page="yes">x</h1>', "must be true or false"),
    ],
)
def test_markup_mistakes_are_errors(body: str, message: str) -> None:
    with pytest.raises(MarkupError, match=message.replace("(", r"\(").replace(".", r"\.")):
        blocks(body)


def test_document_metadata() -> None:
    document = parse_document('<document title="T" organization="O" version="1" kind="K" cover="true"/>')
    assert document.meta == model.Metadata("T", organization="O", version="1", kind="K", cover=True)
