"""Draw the pictures in README.md: a few real pages of each product of the shipped ladder.

Run from anywhere with the project's Python:

    .venv/bin/python docs/pictures.py

It builds data/product-management.yaml into a temporary folder with `guide build`,
draws the chosen pages with poppler's `pdftoppm` (and the Word packet through
LibreOffice, when `soffice` is on the machine), and writes small palette PNGs into
docs/pictures/. Pages are found by the words on them, not by their numbers, so the
pictures stay right when the ladder or the layouts grow.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
LADDER = ROOT / "data" / "product-management.yaml"
PICTURES = ROOT / "docs" / "pictures"

RESOLUTION = 60
"""Dots per inch: an A4 page becomes 496 x 702 pixels, a readable thumbnail."""

COLOURS = 48
"""Palette size: text, the theme's few colours and their anti-aliasing."""


@dataclass(frozen=True)
class Picture:
    """One page to draw: the file it comes from, words that pick the page, and the PNG to write."""

    name: str
    source: str
    """Path of the built file, relative to output/<ladder-id>/."""
    words: tuple[str, ...] = ()
    """Words that must all be on the page; the first page that has them is drawn (none: page 1)."""
    word: bool = False
    """True when `source` is a Word file, drawn as LibreOffice shows it."""


PICTURES_TO_DRAW = (
    Picture("handbook-cover.png", "handbook.pdf"),
    Picture("handbook-level.png", "handbook.pdf", ("Product Manager (L4)", "Key responsibilities")),
    Picture("handbook-tracks.png", "handbook.pdf", ("Tracks split here",)),
    Picture("checklist.png", "checklists/senior-pm.pdf"),
    Picture("packet-pdf.png", "packets/senior-pm.pdf"),
    Picture("packet-word.png", "packets/senior-pm.docx", word=True),
)


def main() -> int:
    """Build the shipped ladder, draw every picture; return the exit status."""
    if shutil.which("pdftoppm") is None:
        print("pdftoppm is missing: install poppler-utils", file=sys.stderr)
        return 1
    PICTURES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="guide-pictures-") as temporary:
        work = Path(temporary)
        built = build(work / "output")
        for picture in PICTURES_TO_DRAW:
            pdf = built / picture.source
            if picture.word:
                if shutil.which("soffice") is None:
                    print(f"skipped {picture.name}: LibreOffice (soffice) is missing", file=sys.stderr)
                    continue
                pdf = word_to_pdf(pdf, work / "word" / picture.name, work / "libreoffice-profile")
            target = PICTURES / picture.name
            draw(pdf, page_with(pdf, picture.words), target, work / "page")
            print(f"{target.relative_to(ROOT)}  {target.stat().st_size // 1024} KB")
    return 0


def build(output: Path) -> Path:
    """Build every product of the shipped ladder into `output`; return the ladder's folder in it."""
    command = [sys.executable, "-m", "guide", "build", str(LADDER), "-o", str(output)]
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    (folder,) = output.iterdir()
    return folder


def word_to_pdf(document: Path, folder: Path, profile: Path) -> Path:
    """Return a PDF of the Word file `document` as LibreOffice lays it out, written into `folder`."""
    command = [
        "soffice",
        f"-env:UserInstallation={profile.as_uri()}",  # its own profile: another LibreOffice may be open
        "--headless",
        "--norestore",
        "--convert-to",
        "pdf",
        "--outdir",
        str(folder),
        str(document),
    ]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return folder / f"{document.stem}.pdf"


def page_with(pdf: Path, words: tuple[str, ...]) -> int:
    """Return the number of the first page of `pdf` that holds every one of `words` (1 if none given)."""
    if not words:
        return 1
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    for number, page in enumerate(text.split("\f"), 1):
        if all(word in page for word in words):
            return number
    raise SystemExit(f"{pdf.name}: no page holds all of {', '.join(map(repr, words))}")


def draw(pdf: Path, page: int, target: Path, scratch: Path) -> None:
    """Write page `page` of `pdf` to `target` as a small palette PNG."""
    pages = ["-f", str(page), "-l", str(page)]
    command = ["pdftoppm", "-png", "-r", str(RESOLUTION), *pages, "-singlefile", str(pdf), str(scratch)]
    subprocess.run(command, check=True)
    drawn = scratch.with_suffix(".png")
    with Image.open(drawn) as image:
        small = image.convert("RGB").quantize(colors=COLOURS, dither=Image.Dither.NONE)
        small.save(target, optimize=True)
    drawn.unlink()


if __name__ == "__main__":
    sys.exit(main())
