"""The documents' structure, printed by the text writer, against golden files.

A change to a layout or to markup parsing shows here as a readable diff. After a
deliberate change, rewrite the files with
`GUIDE_UPDATE_GOLDEN=1 python -m pytest tests/end_to_end/test_golden.py`.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, TESTS
from guide import build
from guide.model import with_values
from guide.writers.text import write_text

GOLDEN = TESTS / "golden"
LADDER = FIXTURES / "ladders" / "valid" / "unicode_eleven_levels.yaml"
CASES = ["handbook", "checklists/l01-stagiaire", "checklists/m07-responsable", "packets/m08-directeur"]


@pytest.fixture(scope="module")
def documents() -> dict[str, str]:
    project = build.Project(ROOT)
    ladders = build.load_ladders([LADDER])
    outputs = build.prepare(project, ladders, Path("out"), build.PRODUCTS, ("docx",))
    return {
        str(output.files[0].with_suffix("").relative_to(Path("out") / ladders[0].id)): write_text(
            with_values(output.document, output.values)
        )
        for output in outputs
    }


@pytest.mark.parametrize("name", CASES)
def test_document_structure_matches_golden_file(documents: dict[str, str], name: str) -> None:
    golden = GOLDEN / f"{name.replace('/', '-')}.txt"
    if os.environ.get("GUIDE_UPDATE_GOLDEN"):
        golden.write_text(documents[name], "utf-8")
    assert documents[name] == golden.read_text("utf-8")
