"""A canvas that holds the document's interactive form, created when its first field is drawn."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from guide.writers.pdf.formfont import FormFont
from guide.writers.pdf.tagging import TaggedCanvas
from guide.writers.pdf.widgets import Form


class FormCanvas(TaggedCanvas):
    """A canvas whose `form` names the font `form_font` returns for typed text (see `widgets`).

    The font is asked for when the first field is drawn: a document without fields
    (a handbook) never builds one.
    """

    def __init__(self, *args: Any, form_font: Callable[[], FormFont], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.form_font = form_font
        self._form: Form | None = None

    @property
    def form(self) -> Form:
        """Return the document's form, creating it (and listing it in the catalog) on first use."""
        if self._form is None:
            # the stubs leave out the canvas's `_doc` (its PDFDocument), which reportlab has
            document = self._doc  # type: ignore[attr-defined]
            self._form = Form(document, self.form_font())
            document._catalog.AcroForm = self._form
        return self._form
