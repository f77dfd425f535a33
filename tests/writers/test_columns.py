"""Column widths from cell content, and where words may break: the rules both writers share."""

from __future__ import annotations

import pytest

from guide.model import LINE_BREAK, BulletList, Cell, Paragraph, Span, Table
from guide.theme import FontFiles
from guide.writers.columns import (
    SAFETY,
    SOFT_HYPHEN,
    ZERO_WIDTH_SPACE,
    Break,
    Extent,
    Fitter,
    Geometry,
    Kind,
    Marking,
    Sizer,
    allowed_breaks,
    breaks,
    column_widths,
    fitted_breaks,
    table_widths,
)
from guide.writers.metrics import FontMeasure
from guide.writers.pdf.fonts import register_typeface
from guide.writers.pdf.tables import TypefaceMeasure

MEASURE = FontMeasure(FontFiles(), 10)
GEOMETRY = Geometry(padding=5, indent=15, em=10)
URL = "https://wiki.example.com/engineering/promotion-checklist?level=senior&track=ic"


def points(word: str, language: str = "en", kind: Kind | None = None) -> list[int]:
    return [point.offset for point in allowed_breaks(word, language) if kind is None or point.kind is kind]


def cell(text: str) -> Cell:
    return Cell((Paragraph((Span(text),)),))


# --- where words break -------------------------------------------------------------------


def test_a_plain_word_breaks_only_at_its_dictionary_points() -> None:
    assert allowed_breaks("Engineering", hyphenate=False) == []
    assert points("Engineering") == points("Engineering", kind=Kind.HYPHENATION) == [2, 4, 8]
    assert points("Softwareentwicklungsleiterin", "de") == [4, 6, 8, 11, 15, 20, 23, 25]
    assert points("Softwareentwicklungsleiterin", "de-DE") == points("Softwareentwicklungsleiterin", "de")


def test_a_hyphen_or_slash_is_a_break_without_a_drawn_hyphen() -> None:
    assert points("organisation-wide", kind=Kind.HYPHEN) == [13]
    assert points("Engineering/Product", kind=Kind.PUNCTUATION) == [12]
    assert points("1/2") == [] and points("L5-6") == []


def test_a_url_breaks_after_its_punctuation_and_is_never_hyphenated() -> None:
    breaks = allowed_breaks(URL)
    pieces = [URL[start:end] for start, end in zip([0, *points(URL)], [*points(URL), len(URL)], strict=True)]
    assert pieces[:4] == ["https://", "wiki.", "example.", "com/"]
    assert "level=senior&" in pieces and "checklist?" in pieces
    assert all(point.kind in (Kind.PUNCTUATION, Kind.HYPHEN) for point in breaks)


def test_a_url_written_against_chinese_is_still_a_url_and_never_hyphenated() -> None:
    text = "在" + URL + "维护"
    breaks = allowed_breaks(text)
    assert breaks[0] == Break(1, Kind.IDEOGRAPH) and Break(len(text) - 2, Kind.IDEOGRAPH) in breaks
    assert Kind.HYPHENATION not in {point.kind for point in breaks}
    long_piece = "在https://example.com/" + "a" * 30
    forced = fitted_breaks(long_piece, [1.0] * len(long_piece), 12, 1, "en")
    assert {point.kind for point in forced if point.offset > 21} == {Kind.LAST_RESORT}


def test_chinese_breaks_between_characters_but_not_before_closing_punctuation() -> None:
    text = "负责设计。下一步"
    assert points(text) == [1, 2, 3, 5, 6, 7]
    assert allowed_breaks(text)[0].kind is Kind.IDEOGRAPH


def test_a_language_without_a_dictionary_hyphenates_nothing() -> None:
    assert points("Softwareentwicklungsleiterin", "zh-Hans") == []


def test_a_too_wide_word_fills_each_line_as_far_as_a_dictionary_point_allows() -> None:
    word = "Softwareentwicklungsleiterin"
    breaks = fitted_breaks(word, [1.0] * len(word), 10, 1, "de")
    assert [point.offset for point in breaks] == [8, 15, 23]  # Software-|entwick-|lungslei-|terin
    assert all(point.kind is Kind.HYPHENATION for point in breaks)


def test_a_word_no_point_fits_breaks_at_the_last_letter_that_fits_with_a_hyphen() -> None:
    breaks = fitted_breaks("x" * 25, [1.0] * 25, 10, 1, "en")
    assert [(point.offset, point.kind) for point in breaks] == [(9, Kind.HYPHENATION), (18, Kind.HYPHENATION)]


def test_a_url_piece_too_wide_for_a_line_breaks_without_a_hyphen() -> None:
    url = "https://example.com/" + "a" * 30
    breaks = fitted_breaks(url, [1.0] * len(url), 12, 1, "en")
    assert breaks[0].offset == 8 and breaks[0].kind is Kind.PUNCTUATION
    assert {point.kind for point in breaks[2:]} == {Kind.LAST_RESORT}


# --- how wide cells want to be -----------------------------------------------------------


def test_the_measures_of_both_writers_agree() -> None:
    typeface = TypefaceMeasure(register_typeface(), 10)
    for text in ("Engineering Manager", "Qualitätssicherungsmaßnahmen", "负责单个功能模块", "ship it 🚀"):
        for bold in (False, True):
            assert MEASURE.width(text, bold) == pytest.approx(typeface.width(text, bold), abs=0.01)
    assert MEASURE.width("Engineering", bold=True) > MEASURE.width("Engineering")


def test_a_cell_wants_its_longest_word_at_least_and_its_line_at_most() -> None:
    extent = Sizer(MEASURE, GEOMETRY).cell_extent(cell("An Engineering Manager"))
    assert extent.minimum == pytest.approx(MEASURE.width("Engineering") * SAFETY)
    assert extent.natural == pytest.approx(MEASURE.width("An Engineering Manager") * SAFETY)
    assert extent.least < extent.minimum  # En-gi-neer-ing


def test_a_long_word_may_go_down_to_the_floor_and_no_further_before_the_least_width() -> None:
    word = Sizer(MEASURE, GEOMETRY, "de").word_extent("Softwareentwicklungsleiterin")
    assert word.minimum == pytest.approx(MEASURE.width("Softwareentwicklungsleiterin"))
    assert word.floor == pytest.approx(GEOMETRY.floor)
    assert word.least == pytest.approx(MEASURE.width("lungs-"))  # Soft-wa-re-ent-wick-lungs-lei-te-rin
    short = Sizer(MEASURE, GEOMETRY).word_extent("Scope")
    assert short.minimum == short.floor  # a word narrower than the floor stays whole


def test_header_cells_are_measured_bold_and_list_items_with_their_indent() -> None:
    sizer = Sizer(MEASURE, GEOMETRY)
    assert sizer.header_extent(cell("Architecture")).minimum == pytest.approx(
        MEASURE.width("Architecture", bold=True) * SAFETY
    )
    bullets = Cell((BulletList(((Span("Architecture"),),)),))
    assert sizer.cell_extent(bullets).minimum == pytest.approx(MEASURE.width("Architecture") * SAFETY + 15)


def test_a_column_is_as_wide_as_its_widest_cell() -> None:
    table = Table(
        ((cell("Aspect"), cell("Engineering Manager")),), ((cell("Scope"), cell("One team")),), (1, 1)
    )
    aspect, level = Sizer(MEASURE, GEOMETRY).column_extents(table)
    assert level.minimum == pytest.approx(MEASURE.width("Engineering", bold=True) * SAFETY)
    assert aspect.natural == pytest.approx(MEASURE.width("Aspect", bold=True) * SAFETY)


# --- how wide columns are ----------------------------------------------------------------


def extent(minimum: float, natural: float, floor: float | None = None, least: float | None = None) -> Extent:
    floor = minimum if floor is None else floor
    return Extent(minimum, floor, floor if least is None else least, natural)


def test_an_automatic_table_that_fits_gives_each_column_room_in_proportion_to_its_line() -> None:
    widths = column_widths([extent(20, 50), extent(30, 150)], (1, 1), 400, 0, automatic=True)
    assert widths == pytest.approx([100, 300])


def test_an_automatic_table_short_of_room_grows_every_column_from_its_minimum_at_one_pace() -> None:
    extents = [extent(40, 60), extent(50, 250), extent(50, 450)]
    widths = column_widths(extents, (1, 1, 1), 300, 5, automatic=True)
    assert sum(widths) == pytest.approx(300)
    grown = [
        (width - 10 - item.minimum) / (item.natural - item.minimum)
        for width, item in zip(widths, extents, strict=True)
    ]
    assert grown == pytest.approx([grown[0]] * 3)
    assert widths[0] < widths[1] < widths[2]


def test_a_fixed_table_keeps_its_proportions_unless_a_column_would_cut_a_word() -> None:
    assert column_widths([extent(10, 10)] * 3, (1, 2, 1), 400, 0, False) == pytest.approx([100, 200, 100])
    widths = column_widths([extent(10, 10), extent(10, 10), extent(150, 150)], (1, 2, 1), 400, 0, False)
    assert widths == pytest.approx([250 / 3, 500 / 3, 150])


def test_a_fixed_table_hyphenates_a_long_word_down_to_its_floor_before_leaving_its_proportions() -> None:
    long_word = extent(300, 300, floor=60, least=40)
    assert column_widths(
        [long_word, extent(10, 10), extent(10, 10)], (2, 1, 2), 500, 0, False
    ) == pytest.approx([200, 100, 200])
    widths = column_widths([extent(300, 300, floor=150), extent(10, 10)], (1, 3), 400, 0, False)
    assert widths == pytest.approx([150, 250])  # no further than the floor


def test_short_of_room_for_whole_words_the_longest_words_are_hyphenated_first() -> None:
    extents = [extent(60, 80), extent(200, 250, floor=60, least=40), extent(50, 300)]
    widths = column_widths(extents, (1, 1, 1), 250, 0, automatic=True)
    assert widths[0] == pytest.approx(60) and widths[2] == pytest.approx(50)  # their words stay whole
    assert widths[1] == pytest.approx(140)  # the long word's column gives way


def test_short_of_room_for_the_floors_columns_go_down_to_their_least_widths() -> None:
    extents = [extent(60, 80), extent(200, 250, floor=60, least=40), extent(50, 300)]
    widths = column_widths(extents, (1, 1, 1), 150, 0, automatic=True)
    assert sum(widths) == pytest.approx(150)
    assert all(width >= item.least - 1e-6 for width, item in zip(widths, extents, strict=True))


def test_a_table_too_wide_even_hyphenated_gives_no_column_more_than_its_share_for_its_words() -> None:
    extents = [extent(30, 30), extent(300, 300), extent(200, 900)]
    assert column_widths(extents, (1, 1, 1), 330, 0, False) == pytest.approx([110, 110, 110])
    grown = [30, 110 + 80 * 190 / 980, 110 + 80 * 790 / 980]  # the 80 left grow toward the lines
    assert column_widths(extents, (1, 1, 1), 330, 0, True) == pytest.approx(grown)


# --- marking the breaks a word needs ------------------------------------------------------


def test_forced_lines_break_a_too_wide_word_and_leave_words_that_fit() -> None:
    fitter = Fitter(Sizer(MEASURE, GEOMETRY, "de"), Marking.LINES)
    narrow = 10 + MEASURE.width("Softwareent-") * SAFETY + 1
    fitted = fitter.cell(cell("Die Softwareentwicklungsleiterin"), narrow, header=False)
    text = fitted.blocks[0].spans[0].text  # type: ignore[attr-defined]
    assert text.startswith("Die Softwareent-" + LINE_BREAK)
    assert text.replace("-" + LINE_BREAK, "") == "Die Softwareentwicklungsleiterin"
    fitting = cell("One team")
    assert fitter.cell(fitting, narrow, header=False) is fitting


def test_choices_mark_every_dictionary_point_and_url_punctuation_of_a_too_wide_word() -> None:
    fitter = Fitter(Sizer(MEASURE, GEOMETRY, "de"), Marking.CHOICES)
    fitted = fitter.cell(cell(f"Softwareentwicklungsleiterin {URL} Team"), 80, header=False)
    text = fitted.blocks[0].spans[0].text  # type: ignore[attr-defined]
    german, url, team = text.split(" ")
    assert german == SOFT_HYPHEN.join(["Soft", "wa", "re", "ent", "wick", "lungs", "lei", "te", "rin"])
    assert url.startswith(f"https://{ZERO_WIDTH_SPACE}wiki.{ZERO_WIDTH_SPACE}example.")
    assert SOFT_HYPHEN not in url and team == "Team"


def test_a_dictionary_is_read_only_for_a_table_short_of_room_for_whole_words(monkeypatch) -> None:
    def no_dictionary(language: str) -> None:
        raise AssertionError(f"the {language} dictionary was read")

    monkeypatch.setattr(breaks, "_dictionary", no_dictionary)
    table = Table((), ((cell("Zusammenarbeitsvereinbarung"), cell("Teamwork")),), (1, 1))
    sizer = Sizer(MEASURE, GEOMETRY, "nl")
    assert sum(table_widths(sizer, table, 400)) == pytest.approx(400)
    with pytest.raises(AssertionError, match="nl dictionary"):
        table_widths(sizer, table, 100)
