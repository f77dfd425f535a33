"""The PDF writer: the only part of guide that imports reportlab.

Modules, one concern each: `fonts` (DejaVu Sans), `styles` (the theme as named
styles), `inline` (escaped markup for runs), `blocks` (one case per node type),
`sections` (headings kept with what follows), `tables`, `fields` and
`checkitems` (printed boxes with form fields), `widgets` (the form's fields and
dictionary), `formfont` (the one embedded font typed values are drawn in),
`formcanvas` (the canvas that holds the form), `pagination` (the pages headings
fall on, for the Word contents), `fill` and `subsets` (values
filled into a drawn form, in embedded fonts), `canvas` ("Page N of M"),
`pages` (templates, header, footer, outline, contents) and `writer`
(draw_pdf, write_pdf). What a document must meet is checked before it reaches here: by
the model, and by `guide.build` for the characters the fonts can draw.
"""

from guide.writers.pdf.fill import fill_pdf
from guide.writers.pdf.writer import draw_pdf, write_pdf

__all__ = ["draw_pdf", "fill_pdf", "write_pdf"]
