"""The message catalogs: complete for every shipped language, and in step with the code."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from guide.i18n.catalogs import MESSAGES, SHIPPED, Catalogs, catalog_name, read_catalog
from guide.i18n.extract import extracted

PLACEHOLDER = re.compile(r"%\(\w+\)s")


def _id(message) -> str:
    return message.id[0] if isinstance(message.id, tuple | list) else message.id


def _forms(message) -> tuple[str, ...]:
    return tuple(message.string) if isinstance(message.string, tuple | list) else (message.string,)


@pytest.fixture(scope="module")
def code_messages() -> dict[str, object]:
    return {_id(message): message for message in extracted() if message.id}


def test_the_template_lists_every_message_of_the_layouts_and_the_code(code_messages) -> None:
    with (MESSAGES / "guide.pot").open("rb") as file:
        template = {_id(message) for message in read_po(file) if message.id}
    assert template == set(code_messages), "run python -m guide.i18n.extract"
    assert {"Contents", "Page %(page)s of %(pages)s", "Signature", "DD", "Tracks split here"} <= template


@pytest.mark.parametrize("name", SHIPPED)
def test_each_catalog_translates_every_message_of_the_code(name, code_messages) -> None:
    catalog = read_catalog(MESSAGES / f"{name}.po")
    translated = {_id(message): message for message in catalog if message.id}
    assert not set(code_messages) - set(translated), "messages no catalog entry has"
    assert not set(translated) - set(code_messages), "entries for messages the code no longer has"
    for key, message in translated.items():
        forms = _forms(message)
        assert all(form.strip() for form in forms), f"{name}: {key!r} is empty"
        assert len(forms) == (catalog.num_plurals if isinstance(message.id, tuple | list) else 1), key
        assert not list(message.check(catalog)), f"{name}: {key!r}: {list(message.check(catalog))}"
        plural = isinstance(message.id, tuple | list)
        wanted = set(PLACEHOLDER.findall(" ".join(message.id) if plural else message.id))
        assert all(set(PLACEHOLDER.findall(form)) <= wanted for form in forms), key
        if not plural:
            assert set(PLACEHOLDER.findall(forms[0])) == wanted, f"{name}: {key!r} loses a placeholder"


@pytest.mark.parametrize("name", ["ja", "zh_Hans", "ar"])
def test_catalogs_in_other_scripts_hold_no_latin_word(name) -> None:
    for message in read_catalog(MESSAGES / f"{name}.po"):
        for form in _forms(message) if message.id else ():
            assert not re.search("[A-Za-z]{2,}", PLACEHOLDER.sub("", form)), (name, message.id, form)


@pytest.mark.parametrize("name", ["de", "fr", "es"])
def test_catalogs_in_latin_script_translate_more_than_they_keep(name) -> None:
    """A message kept in English is a message not translated: only a few words are the same."""
    kept = [
        _id(message)
        for message in read_catalog(MESSAGES / f"{name}.po")
        if message.id
        and _forms(message)[0] == _id(message)
        and re.search("[A-Za-z]{3,}", PLACEHOLDER.sub("", _id(message)))
    ]
    assert len(kept) <= 6, kept


@pytest.mark.parametrize(
    ("tag", "name"),
    [("de", "de"), ("de-AT", "de"), ("zh", "zh_Hans"), ("zh-CN", "zh_Hans"), ("zh-Hans", "zh_Hans"),
     ("zh-TW", "zh_Hant"), ("ar-EG", "ar"), ("ja-JP", "ja")],
)  # fmt: skip
def test_a_language_finds_its_catalog_by_its_tag(tag, name) -> None:
    assert catalog_name(tag) == name


def test_plural_forms_follow_the_language() -> None:
    arabic = Catalogs().language("ar")
    assert [arabic.plural(n) for n in (0, 1, 2, 3, 11, 100)] == [0, 1, 2, 3, 4, 5]
    one, two, few = (arabic.ngettext("%(count)s candidate", "%(count)s candidates", n) for n in (1, 2, 3))
    assert len({one, two, few}) == 3 and "%(count)s" in few
    japanese = Catalogs().language("ja")
    assert japanese.ngettext("%(count)s candidate", "%(count)s candidates", 1) == japanese.ngettext(
        "%(count)s candidate", "%(count)s candidates", 5
    )


def test_a_language_without_a_catalog_prints_english_words() -> None:
    assert Catalogs().language("ko").gettext("Contents") == "Contents"
    assert not Catalogs().has("ko") and Catalogs().has("de-CH")
