"""PDF objects reportlab has no class for."""

from __future__ import annotations

from reportlab.pdfbase.pdfdoc import PDFDocument, PDFObject


class RawObject(PDFObject):
    """A PDF object written exactly as given (reportlab's objects quote or escape their contents)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def format(self, document: PDFDocument) -> bytes:
        """Return the object's text."""
        return self.text.encode("ascii")


TRUE = RawObject("true")
"""The boolean true (reportlab writes Python's True as 1, which a reader may not take for true)."""
