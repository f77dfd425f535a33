"""The Word writer: a document model and a theme in, the bytes of a .docx or .dotx out.

The only package of `guide` that imports python-docx and lxml. Modules, one concern each:
`writer` (the pipeline), `styles` (every named style, from the theme), `page` (size,
margins, header, footer), `blocks` (one case per model node), `inline` (runs, links,
bookmarks), `outline` (bookmark names, contents entries), `contents` (the TOC),
`tables` (widths, header rows), `controls` (content controls), `protection` (a form's
text read-only, its controls editable), `fields` (PAGE, TOC...), `elements` (raw OOXML
in schema order), `package` (properties, reproducible zip) and `fill` (values set in a
written file's controls, and whose copy it is).
"""

from guide.writers.word.fill import fill_docx
from guide.writers.word.writer import write_docx

__all__ = ["fill_docx", "write_docx"]
