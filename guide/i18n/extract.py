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
LAYOUT_OPTIONS = {"extensions": "jinja2.ext.do", "trimmed": "true"}


def extracted() -> Catalog:
    """Return a catalog of every message marked in the layouts and the Python source, untranslated."""
    catalog = Catalog(project="guide", charset="utf-8")
    _extract(catalog, PACKAGE, "layouts/*.j2", "jinja2.ext:babel_extract", LAYOUT_OPTIONS, LAYOUT_KEYWORDS)
    # Python marks its messages with N_ alone (see `guide.i18n`): `_` is a throwaway name there
    _extract(catalog, PACKAGE, "**.py", "python", {}, {"N_": None})
    return catalog


def layout_messages(folder: Path) -> Catalog:
    """Return a catalog of the messages the layouts in `folder` (a project's own) mark."""
    catalog = Catalog(charset="utf-8")
    _extract(catalog, folder, "*.j2", "jinja2.ext:babel_extract", LAYOUT_OPTIONS, LAYOUT_KEYWORDS)
    return catalog


def _extract(
    catalog: Catalog, folder: Path, pattern: str, method: str, options: dict[str, str], keywords: dict
) -> None:
    """Add to `catalog` the messages that `method` finds in the files of `folder` that match `pattern`."""
    found = extract_from_dir(
        str(folder), [(pattern, method)], options_map={pattern: options}, keywords=keywords,
        comment_tags=("Translators:",), strip_comment_tags=True,
    )  # fmt: skip
    for filename, line, message, comments, _context in found:
        catalog.add(message, locations=[(filename, line)], auto_comments=comments)


def _write(catalog: Catalog, path: Path) -> None:
    with path.open("wb") as file:
        write_po(file, catalog, width=100, omit_header=False, sort_output=True)


def main() -> None:
    template = extracted()
    _write(template, MESSAGES / "guide.pot")
    # English last: `update` shares the template's messages with each catalog, and English
    # sets their text to their id, which the other catalogs would then start from
    for name in sorted(SHIPPED, key=lambda name: name == "en"):
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
