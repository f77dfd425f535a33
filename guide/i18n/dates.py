"""Dates in a language's own form: typed into fields, shown in print, read back.

A date field takes the locale's short numeric form (`dd.MM.yyyy` in German,
`yyyy/MM/dd` in Japanese) with the day and month always two digits and the year
four, so a printed hint and a typed date look alike and read back one way. Dates
shown in running text take the locale's long form ("5. März 2026").
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from babel import Locale
from babel.dates import format_date, get_date_format

DIRECTION_MARKS = re.compile("[\u200e\u200f\u061c]")
"""Marks CLDR puts into right-to-left patterns to keep digits in order: a form's pattern goes without."""

_PATTERN_LETTERS = re.compile(r"y+|M+|d+")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


@dataclass(frozen=True)
class DateStyle:
    """How one locale writes a date: `pattern` in a field, in CLDR's letters (`dd.MM.yyyy`)."""

    locale: Locale
    pattern: str

    @classmethod
    def of(cls, locale: Locale) -> DateStyle:
        """Return the date style of `locale`, its field pattern made from its short date format."""
        short = DIRECTION_MARKS.sub("", get_date_format("short", locale).pattern)
        return cls(locale, _PATTERN_LETTERS.sub(lambda letters: _FULL[letters[0][0]], short))

    def hint(self, day: str, month: str, year: str) -> str:
        """Return the field pattern spelt with the locale's own letters for a day, a month and a year."""
        return _PATTERN_LETTERS.sub(
            lambda letters: {"d": day, "M": month, "y": year}[letters[0][0]], self.pattern
        )

    def field_text(self, date: datetime.date) -> str:
        """Return `date` as it is typed into a field: in the field pattern."""
        return format_date(date, self.pattern, locale=self.locale)

    def shown(self, text: str) -> str:
        """Return `text` in the long form if it is a date (ISO or the field pattern), else as it is."""
        date = self.read(text)
        return text if date is None else format_date(date, "long", locale=self.locale)

    def read(self, text: str) -> datetime.date | None:
        """Return the date `text` holds, in the field pattern or ISO 8601, or None if it holds none."""
        text = DIRECTION_MARKS.sub("", text).strip()
        iso = _ISO_DATE.fullmatch(text)
        if iso:
            return _date(*(int(part) for part in iso.groups()))
        order = [letters[0] for letters in _PATTERN_LETTERS.findall(self.pattern)]
        numbers = re.fullmatch(r"\D*(\d{1,4})\D+(\d{1,2})\D+(\d{1,4})\D*", text)
        if numbers is None or len(order) != 3:
            return None
        parts = dict(zip(order, (int(number) for number in numbers.groups()), strict=True))
        return _date(parts["y"], parts["M"], parts["d"])


_FULL = {"y": "yyyy", "M": "MM", "d": "dd"}


def _date(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day) if year >= 1000 else None
    except ValueError:
        return None
