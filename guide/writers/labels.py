"""What both writers say of a document's logo (their words are the document's `Words`)."""

from __future__ import annotations

from guide.model import Metadata
from guide.theme import Logo


def logo_alt(logo: Logo, meta: Metadata) -> str:
    """Return what `logo` says to readers who cannot see it: the theme's words, else the organization."""
    return logo.alt or meta.organization or meta.title
