"""The message catalogs: one gettext `.po` file per language, and a project's own labels over them.

Catalogs are read with Babel when a language is first asked for, so installing
needs no compile step. A language is found by its BCP 47 tag: `de-AT` takes the
German catalog, `zh-CN` and `zh-Hans` the Simplified Chinese one.
"""

from __future__ import annotations

import dataclasses
import functools
import gettext
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

from guide import model
from guide.i18n import N_
from guide.i18n.dates import DateStyle

MESSAGES = Path(__file__).parent / "messages"
"""The shipped catalogs, `<name>.po`, and their template `guide.pot`."""

SHIPPED = ("en", "de", "fr", "es", "ja", "zh_Hans", "ar")
"""The languages whose catalogs ship, by catalog name."""
SHIPPED_TAGS = tuple(name.replace("_", "-") for name in SHIPPED)
"""The same, as a ladder names them (`zh-Hans`)."""

Forms = tuple[str, ...]
"""A message's translation: one text, or one per plural form of the language."""


def catalog_name(tag: str) -> str:
    """Return the catalog name for the BCP 47 `tag`: its language, with the script for Chinese."""
    subtags = tag.replace("_", "-").split("-")
    language = subtags[0].lower()
    if language != "zh":
        return language
    rest = {subtag.lower() for subtag in subtags[1:]}
    return "zh_Hant" if rest & {"hant", "tw", "hk", "mo"} else "zh_Hans"


def babel_locale(tag: str) -> Locale:
    """Return Babel's locale for `tag`, or for its language alone if Babel knows no more of it."""
    for candidate in (tag.replace("-", "_"), catalog_name(tag), "en"):
        try:
            return Locale.parse(candidate)
        except (ValueError, UnknownLocaleError):
            continue
    raise AssertionError("Babel knows English")


def read_catalog(path: Path) -> Catalog:
    """Return the catalog in the `.po` file at `path`."""
    with path.open("rb") as file:
        return read_po(file, charset="utf-8")


def translations_of(catalog: Catalog) -> dict[str, Forms]:
    """Return the translated messages of `catalog` by id (a plural message by its singular)."""
    found: dict[str, Forms] = {}
    for message in catalog:
        if not message.id:
            continue  # the header
        key = message.id[0] if isinstance(message.id, tuple | list) else message.id
        texts = message.string if isinstance(message.string, tuple | list) else (message.string,)
        if all(texts):
            found[key] = tuple(str(text) for text in texts)
    return found


@dataclass(frozen=True)
class Language:
    """One language's messages, plural rule and dates: what a document in it prints."""

    tag: str
    messages: Mapping[str, Forms]
    plural: Callable[[int], int]
    dates: DateStyle
    """How dates are written, in the language's locale."""

    def gettext(self, message: str) -> str:
        """Return `message` in this language (as it is, if the catalog lacks it)."""
        forms = self.messages.get(message)
        return forms[0] if forms else message

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        """Return the form of `singular`/`plural` this language uses for `count`."""
        forms = self.messages.get(singular)
        if not forms:
            return singular if count == 1 else plural
        return forms[min(self.plural(count), len(forms) - 1)]

    @functools.cached_property
    def words(self) -> model.Words:
        """The writers' words in this language, with its date pattern."""
        translated = {
            field.name: self.gettext(str(field.default))
            for field in dataclasses.fields(model.Words)
            if field.name not in ("date_pattern", "date_hint")
        }
        # Translators: DD, MM and YYYY spell a date field's pattern (DD.MM.YYYY): use your language's letters
        day, month, year = N_("DD"), N_("MM"), N_("YYYY")
        hint = self.dates.hint(self.gettext(day), self.gettext(month), self.gettext(year))
        return model.Words(**translated, date_pattern=self.dates.pattern, date_hint=hint)

    def number(self, value: int) -> str:
        """Return the whole number `value` as the language writes it (`1.234` in German)."""
        return format_decimal(value, locale=self.dates.locale)


class Catalogs:
    """The shipped catalogs with a project's own labels over them (see `overrides`)."""

    def __init__(self, own: Mapping[str, Mapping[str, Forms]] | None = None) -> None:
        self.own = own or {}
        """The project's labels, by catalog name, then message id."""

    def has(self, tag: str) -> bool:
        """Return True if documents in `tag` can print every word in that language."""
        name = catalog_name(tag)
        return name in SHIPPED or set(english_messages()) <= set(self.own.get(name, {}))

    @functools.cache  # noqa: B019  # one per project, kept for the run
    def language(self, tag: str) -> Language:
        """Return the messages, plural rule and dates of `tag` (English words where it has no catalog)."""
        name = catalog_name(tag)
        shipped = shipped_messages(name if name in SHIPPED else "en")
        messages = {**shipped, **self.own.get(name, {})}
        locale = babel_locale(tag)
        return Language(tag, messages, plural_rule(locale), DateStyle.of(locale))


@functools.cache
def shipped_catalog(name: str) -> Catalog:
    """Return the shipped catalog `name` (one of SHIPPED)."""
    return read_catalog(MESSAGES / f"{name}.po")


@functools.cache
def shipped_messages(name: str) -> dict[str, Forms]:
    return translations_of(shipped_catalog(name))


def english_messages() -> dict[str, Forms]:
    """Return every message the code prints, by id: the English catalog, which is complete."""
    return shipped_messages("en")


def plural_rule(locale: Locale) -> Callable[[int], int]:
    """Return the gettext plural rule of `locale`: the index of the form a count takes."""
    expression = Catalog(locale=locale).plural_expr
    return gettext.c2py(expression)
