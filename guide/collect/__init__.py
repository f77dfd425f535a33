"""Reading filled forms back: what each returned file is and holds, and what the committee reads.

`returned` reads a file (a PDF in `pdfform`, a Word file in `wordform`) as the
controls it holds and what it says it is, within the bounds of `limits`.
`answers` puts each control's value to the field of the form it was made as, by
name, else by title and order (what LibreOffice's saves leave). `candidates` turns
the answers into what the committee reads, with the problems found on the way, and
`summary` writes them as CSV and JSON. The pipeline is `guide.build.collect`.
"""
