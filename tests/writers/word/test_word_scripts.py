"""Word files and text in other scripts: right-to-left runs, Chinese, accents."""

from __future__ import annotations

from test_word_writer import body, build, paragraph, xpath


def runs(data: bytes) -> list[tuple[str, bool]]:
    """Return each run's text and whether it is marked right to left."""
    return [("".join(xpath(run, ".//w:t/text()")), bool(xpath(run, "w:rPr/w:rtl")))
            for run in xpath(body(data), "//w:r")]  # fmt: skip


def test_arabic_and_hebrew_runs_are_marked_right_to_left() -> None:
    data = build(paragraph("Manager: محمد علي and שלום (HR)"))
    assert runs(data) == [
        ("Manager: ", False), ("محمد علي", True), (" and ", False), ("שלום", True), (" (HR)", False),
    ]  # fmt: skip


def test_chinese_and_accented_text_is_kept_as_written() -> None:
    data = build(paragraph("深圳创新科技 · Zoë Ødegård"))
    assert runs(data) == [("深圳创新科技 · Zoë Ødegård", False)]
