"""Every message the code prints, read from the layouts and the Python source as Babel reads them.

`python -m guide.i18n.extract` writes the template `messages/guide.pot`, makes the
English catalog its own translation, and adds new messages (empty) to every other
catalog for translators; the catalog test fails until each is translated.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import write_po

from guide.i18n.catalogs import MESSAGES, SHIPPED, read_catalog

PACKAGE = Path(__file__).parent.parent
LAYOUT_KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
"""How layouts mark messages: Jinja's i18n functions, and N_ for one translated where it is used."""
LAYOUTS = ("layouts/*.j2", "jinja2.ext:babel_extract", {"extensions": "jinja2.ext.do", "trimmed": "true"})
SOURCE: tuple[str, str, dict[str, str]] = ("**.py", "python", {})
"""Python marks its messages with N_ alone (see `guide.i18n`): `_` is a throwaway name there."""


def extracted() -> Catalog:
    """Return a catalog of every message marked in the layouts and the Python source, untranslated."""
    catalog = Catalog(project="guide", charset="utf-8")
    for (pattern, method, options), keywords in ((LAYOUTS, LAYOUT_KEYWORDS), (SOURCE, {"N_": None})):
        found = extract_from_dir(
            str(PACKAGE), [(pattern, method)], options_map={pattern: options}, keywords=keywords,
            comment_tags=("Translators:",), strip_comment_tags=True,
        )  # fmt: skip
        for filename, line, message, comments, _context in found:
            catalog.add(message, locations=[(filename, line)], auto_comments=comments)
    return catalog


def _write(catalog: Catalog, path: Path) -> None:
    with path.open("wb") as file:
        write_po(file, catalog, width=100, omit_header=False, sort_output=True)


def main() -> None:
    template = extracted()
    _write(template, MESSAGES / "guide.pot")
    for name in sorted(SHIPPED, key=lambda name: name == "en"):  # English last: it fills in what it shares
        path = MESSAGES / f"{name}.po"
        catalog = read_catalog(path) if path.exists() else Catalog(locale=name)
        catalog.update(template, no_fuzzy_matching=True)
        if name == "en":
            for message in catalog:
                if message.id:
                    message.string = message.id
        _write(catalog, path)


if __name__ == "__main__":
    main()
