"""AcroForm support for any text: field values stay exact, appearances use PDFDocEncoding.

reportlab draws a field's printed appearance in a standard-14 font whose encoding
is PDFDocEncoding, but passes the text through unconverted, so a prefilled value
such as "Łukasz" raised KeyError. The value itself (`/V`) is stored exactly either
way; here the appearance text is converted to that encoding first. Characters the
encoding lacks show as "?" in the stored appearance, and the form then asks viewers
to redraw appearances themselves (`/NeedAppearances true`).
"""

from __future__ import annotations

import reportlab.pdfbase.pdfdoc  # noqa: F401  (registers the "pdfdoc" codec)
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.acroform import AcroForm, PDFFromString
from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFObjectReference, PDFString
from reportlab.pdfgen.canvas import Canvas

from guide.scripts import visual_order
from guide.writers.pdf import fonts

APPEARANCE_ENCODING = "pdfdoc"


def appearance_text(value: str) -> tuple[str, bool]:
    """Return `value` as the one-byte characters of a form appearance, and whether all fitted."""
    encoded = value.encode(APPEARANCE_ENCODING, errors="replace")
    exact = encoded.decode(APPEARANCE_ENCODING, errors="replace") == value
    return encoded.decode("latin-1"), exact


class PdfDocAcroForm(AcroForm):
    """reportlab's AcroForm, whose text fields show any value the embedded fonts can draw.

    A value PDFDocEncoding holds is drawn by reportlab in Helvetica. Any other (a
    Chinese or Arabic name) is drawn here in the embedded fonts, run by run and
    right-to-left runs in visual order, as the page text is.
    """

    def txAP(self, key, value, iFontName, rFontName, fontSize, **options):  # noqa: N802, N803
        """Return the appearance stream of a text field holding `value`."""
        text, exact = appearance_text(value)
        if exact:
            return super().txAP(key, text, iFontName, rFontName, fontSize, **options)
        frame = super().txAP(key, "", iFontName, rFontName, fontSize, **options).content
        drawn, used = self._embedded_text(value, fontSize, options["height"])
        resources = PDFDictionary({"ProcSet": PDFArray([PDFName("PDF"), PDFName("Text")]), "Font": used})
        content = frame.replace("Q\nEMC", f"{drawn}\nQ\nEMC", 1)
        return self.makeStream(options["width"], options["height"], content, Resources=resources)

    def _embedded_text(self, value: str, size: float, height: float) -> tuple[str, PDFDictionary]:
        """Return text operators drawing `value` in the embedded fonts, and the fonts they name."""
        document = self.canv._doc
        used: dict[str, PDFObjectReference] = {}
        operators = [f"BT 0 g 1 0 0 1 2 {fp_str((height - size) / 2 + size * 0.2)} Tm"]
        for face, run in fonts.font_runs(visual_order(" ".join(value.split()))):
            font = pdfmetrics.getFont(face)
            for subset, chunk in font.splitString(run, document):
                name = font.getSubsetInternalName(subset, document)[1:]
                used[name] = PDFObjectReference(name)
                operators.append(f"/{name} {fp_str(size)} Tf <{chunk.hex()}> Tj")
        operators.append("ET")
        return "\n".join(operators), PDFDictionary(used)

    def format(self, doc):  # noqa: ANN001, ANN201  (reportlab's signature)
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
    """A canvas whose `acroForm` is a PdfDocAcroForm, created when the first field is drawn."""

    @property
    def acroForm(self) -> AcroForm:  # noqa: N802  (reportlab's name)
        """Return the document's form, creating it on first use (as reportlab's canvas does)."""
        try:
            return self.AcroForm
        except AttributeError:
            self.AcroForm = PdfDocAcroForm(self)
            self._doc._catalog.AcroForm = self.AcroForm
            return self.AcroForm
