"""Column widths from what the cells hold, and where a word may break: the same for every writer.

Widths follow browsers' automatic table layout (`widths`). Each cell has an
`Extent` (`extents`): its widest piece that may not break (its longest word or
URL part), a `floor` it may go down to with its words wider than the floor
hyphenated, a `least` width with every word hyphenated, and its natural width
(its longest line, unbroken). A column gets at least its widest piece; short of
room, the columns with the widest pieces give way first, down to their floors,
then to their least widths. The columns share what is left:

- a fixed table (the layout's `widths`, the default) in the layout's
  proportions: content only stops a column from being narrower than its words;
- an automatic table (`Table.automatic`, markup `widths="auto"`) grows every
  column from its least width toward its natural width at one pace, and past it
  in proportion to it.

Words break only at allowed points (`breaks`): spaces, after hyphens, after `/`,
after `.` `?` `&` inside URLs, beside ideographs, and at the hyphenation points
of the document's language, with a hyphen drawn, when a word alone is wider than
its column. Writers mark those points in the cells' text (`fitting`): the PDF
writer as forced line breaks (reportlab knows no break without a space), the Word
writer as soft hyphens and zero-width spaces, among which Word and LibreOffice
choose.
"""

from guide.writers.columns.breaks import (
    DEFAULT_LANGUAGE,
    Break,
    Kind,
    allowed_breaks,
    fitted_breaks,
    hyphenation_points,
)
from guide.writers.columns.extents import SAFETY, Extent, Geometry, Measure, Sizer
from guide.writers.columns.fitting import SOFT_HYPHEN, ZERO_WIDTH_SPACE, Fitter, Marking
from guide.writers.columns.widths import column_widths, is_automatic, table_widths

__all__ = [
    "DEFAULT_LANGUAGE",
    "SAFETY",
    "SOFT_HYPHEN",
    "ZERO_WIDTH_SPACE",
    "Break",
    "Extent",
    "Fitter",
    "Geometry",
    "Kind",
    "Marking",
    "Measure",
    "Sizer",
    "allowed_breaks",
    "column_widths",
    "fitted_breaks",
    "hyphenation_points",
    "is_automatic",
    "table_widths",
]
