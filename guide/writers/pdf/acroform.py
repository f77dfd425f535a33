"""reportlab's AcroForm with one fix: every font of the form listed under a single `/DR /Font`.

Fields are always drawn empty here; values are filled in afterwards, in the
embedded fonts (see `fill`).
"""

from __future__ import annotations

from reportlab.pdfbase.acroform import AcroForm, PDFFromString
from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFDocument, PDFString
from reportlab.pdfgen.canvas import Canvas


class FontListingAcroForm(AcroForm):
    """reportlab's AcroForm, whose resource dictionary names every font it uses."""

    def format(self, doc: PDFDocument) -> bytes:
        """Return the form dictionary with all its fonts under one `/DR /Font`.

        reportlab writes one `/Font` key per font, of which readers keep the last, and
        leaves out ZapfDingbats, which checkbox appearances name (`/ZaDb`). A viewer that
        redraws fields needs both, or a ticked box shows as a dot.
        """
        if "ZaDb" not in self.fonts:
            dingbats = "<< /BaseFont /ZapfDingbats /Subtype /Type1 /Name /ZaDb /Type /Font >>"
            self.fonts["ZaDb"] = self.getRefStr(PDFFromString(dingbats))
        names = sorted(self.fonts)
        fonts = " ".join(f"/{name} {self.fonts[name]}" for name in names)
        form = {
            "Fields": PDFArray([self.getRef(field) for field in self.fields]),
            "DA": PDFString(f"/{'Helv' if 'Helv' in names else names[0]} 0 Tf 0 g"),
            "DR": PDFFromString(f"<< /Encoding << /RLAFencoding {self.encRefStr} >> /Font << {fonts} >> >>"),
        }
        if self.sigFlags:
            form["SigFlags"] = self.sigFlags
        form.update(self.extras)
        return PDFDictionary(form).format(doc)


class FormCanvas(Canvas):
    """A canvas whose `acroForm` is a FontListingAcroForm, created when the first field is drawn."""

    AcroForm: FontListingAcroForm  # set on first use, as reportlab's canvas does

    @property
    def acroForm(self) -> FontListingAcroForm:  # noqa: N802  (reportlab's name)
        """Return the document's form, creating it on first use (as reportlab's canvas does)."""
        try:
            return self.AcroForm
        except AttributeError:
            self.AcroForm = FontListingAcroForm(self)
            # the stubs leave out the canvas's `_doc` (its PDFDocument), which reportlab has
            self._doc._catalog.AcroForm = self.AcroForm  # type: ignore[attr-defined]
            return self.AcroForm
