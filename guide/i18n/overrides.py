"""A project's own labels: `layouts/labels.yaml`, any message of the catalog in any language.

An HR author changes a word without copying a layout, or adds a language guide
does not ship, in a file like this:

    de:
      Promotion packet: Beförderungsantrag
      "%(count)s candidate": ["%(count)s Kandidatin oder Kandidat", "%(count)s Kandidatinnen und Kandidaten"]

Keys are the English messages (the ids of the catalog, `guide.pot`), and those
the project's own layouts mark; a plural message takes a list of the language's
plural forms. Every mistake is said at its
line: an unknown language or message, an empty text, a placeholder lost or added.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog, Message

from guide.content import LANGUAGE_TAG
from guide.errors import ContentError, Location
from guide.i18n.catalogs import Forms, babel_locale, catalog_name, shipped_catalog
from guide.yamlfile import Node, read_yaml

PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def read_labels(path: Path, own: Iterable[Message] = ()) -> dict[str, dict[str, Forms]]:
    """Return the labels in the file at `path` by catalog name, then message id; raise ContentError.

    Its keys are the catalog's messages, and `own`: those the project's own layouts mark.
    """
    problems: list[Location] = []
    root = read_yaml(path, problems, may_be_empty=True)
    known = {_singular(message.id): message for message in [*shipped_catalog("en"), *own] if message.id}
    labels: dict[str, dict[str, Forms]] = {}
    for tag, messages in root.pairs:
        if tag.kind != "text" or not LANGUAGE_TAG.fullmatch(tag.value):  # type: ignore[arg-type]
            problems.append(
                Location.at(path, tag, "each key must be a language, a BCP 47 tag such as de or zh-Hans")
            )
            continue
        if messages.kind != "map":
            problems.append(
                Location.at(path, messages, "a language holds messages: 'English message: its text'")
            )
            continue
        forms_wanted = Catalog(locale=babel_locale(tag.text)).num_plurals
        language = labels.setdefault(catalog_name(tag.text), {})
        for key, value in messages.pairs:
            found = _label(path, key, value, known, forms_wanted, problems)
            if found is not None:
                language[key.text] = found
    if problems:
        raise ContentError(problems)
    return labels


def _label(
    path: Path, key: Node, value: Node, known: dict, forms_wanted: int, problems: list[Location]
) -> Forms | None:
    """Return the forms `value` gives message `key`, or None after adding what is wrong to `problems`."""
    message = known.get(key.value) if key.kind == "text" else None
    if message is None:
        problems.append(Location.at(path, key, _unknown(key, known)))
        return None
    plural = isinstance(message.id, tuple | list)
    texts = [value] if value.kind == "text" else value.items if value.kind == "list" else []
    if plural and (value.kind != "list" or len(texts) != forms_wanted):
        problems.append(Location.at(path, value, f"a plural message takes a list of {forms_wanted} forms"))
        return None
    if not plural and value.kind != "text":
        problems.append(Location.at(path, value, "the message's text must be text"))
        return None
    wanted = set(PLACEHOLDER.findall(" ".join(message.id) if plural else message.id))
    for text in texts:
        if text.kind != "text" or not text.text.strip():
            problems.append(Location.at(path, text, "the message's text is empty"))
            return None
        if "%" in PLACEHOLDER.sub("", text.text).replace("%%", ""):  # "%d", "%(count)99s", a bare "%"
            message_text = "write a percent sign as %%; a placeholder only as %(name)s"
            problems.append(Location.at(path, text, message_text))
            return None
        held = set(PLACEHOLDER.findall(text.text))
        if held - wanted or (not plural and held != wanted):  # a plural form may leave out the count
            names = ", ".join(f"%({name})s" for name in sorted(wanted)) or "no placeholder"
            problems.append(Location.at(path, text, f"the text must hold {names}, as the message does"))
            return None
    return tuple(text.text for text in texts)


def _unknown(key: Node, known: dict) -> str:
    if key.kind != "text":
        return "each message must be the English text of a catalog message"
    close = difflib.get_close_matches(key.text, list(known), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else "; the messages are listed in guide.pot"
    return f"no message {key.text!r} in the catalog{hint}"


def _singular(message_id: str | tuple | list) -> str:
    return message_id[0] if isinstance(message_id, tuple | list) else message_id
