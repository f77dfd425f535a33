"""Filling guide's PDF forms as other programs do, for tests that read the filled files back."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pypdf

from conftest import FIXTURES, system_tool

MUPDF_FILL = FIXTURES / "clients" / "mupdf-fill.js"


def pypdf_fill(source: Path, target: Path, values: dict[str, str]) -> Path:
    """Fill `values` by field name with pypdf's defaults, as most scripts do (it asks viewers to redraw).

    A checkbox takes its on state's name, "/Yes".
    """
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(source))
    for page in writer.pages:
        writer.update_page_form_field_values(page, values)
    writer.write(target)
    return target


def mupdf_fill(source: Path, target: Path, values: dict[str, str]) -> Path:
    """Fill `values` by field label with MuPDF, which draws the appearances itself."""
    pairs = [f"{label}={value}" for label, value in values.items()]
    subprocess.run([system_tool("mutool"), "run", str(MUPDF_FILL), str(source), str(target), *pairs],
                   check=True, capture_output=True, timeout=60)  # fmt: skip
    return target
