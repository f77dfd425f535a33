"""Every fixed word of every product, in the ladder's language.

Layouts mark their words for Jinja2's i18n extension (`{% trans %}`, `_()`); the
words the writers print beside a document's own (page numbers, captions, hints)
are `model.Words`, marked with `N_`. Both come from one gettext catalog per
language, `messages/<language>.po`, read with Babel when first needed; a
project's `layouts/labels.yaml` overrides any message (see `overrides`).
"""


def N_(message: str) -> str:  # noqa: N802  # gettext's name for a message marked, translated later
    """Return `message` as it is: marks it for the catalog, to be translated where it is used."""
    return message
