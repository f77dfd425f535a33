"""The words writers print beside a document's own: hints and captions, the same in PDF and Word."""

from __future__ import annotations

from collections.abc import Sequence

from guide.model import Metadata
from guide.theme import Logo

DATE_HINT = "YYYY-MM-DD"
"""Printed beside a date field: the form it takes."""

SIGNATURE = "Signature"
DATE = "Date"
"""The captions under a signature line and under its date line."""


def logo_alt(logo: Logo, meta: Metadata) -> str:
    """Return what `logo` says to readers who cannot see it: the theme's words, else the organization."""
    return logo.alt or meta.organization or meta.title


def choices_hint(choices: Sequence[str]) -> str:
    """Return the line printed under a choice field: what it may hold, for paper and for readers."""
    return "One of: " + " · ".join(choices)
