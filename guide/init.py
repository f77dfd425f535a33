"""`guide init`: a new ladder project, ready to edit and build."""

from __future__ import annotations

import shutil
from pathlib import Path

from guide.errors import GuideError
from guide.render import SHIPPED_LAYOUTS
from guide.schema import schema_text

SHIPPED_LADDER = Path(__file__).parent / "ladders" / "product-management.yaml"

SCHEMA_NAME = "ladder.schema.json"
"""Beside the ladders: their first line, `# yaml-language-server: $schema=./ladder.schema.json`,
points editors to it, and the same line works in every ladder of `data/`."""

README = """\
# Career ladder

Edit `data/product-management.yaml` (or add more ladder files to `data/`), then run

    guide validate     # check every ladder and layout, with file:line:col for each problem
    guide build        # write the handbook, checklists and packets into output/

Editors that read JSON Schemas (VS Code with the YAML extension, and others
using yaml-language-server) complete keys and flag mistakes as you type, from
`data/ladder.schema.json`. Start every new ladder file with the first line of
`data/product-management.yaml` to get the same help. `guide schema` prints the
schema of the installed version of guide.

`layouts/` holds copies of the layouts and the theme (page size, margins,
colours, fonts). Change them to restyle every document; delete a file to go
back to the one that ships with guide.
"""


def create_project(directory: Path) -> list[Path]:
    """Create a ladder project in `directory`; return the files written.

    Raises GuideError, writing nothing, if any of those files exists already.
    """
    files = {directory / "data" / SHIPPED_LADDER.name: SHIPPED_LADDER}
    for layout in sorted(SHIPPED_LAYOUTS.iterdir()):
        files[directory / "layouts" / layout.name] = layout
    texts = {
        directory / "data" / SCHEMA_NAME: schema_text(),
        directory / "README.md": README,
        directory / ".gitignore": "output/\n",
    }
    existing = [str(path) for path in [*files, *texts] if path.exists()]
    if existing:
        raise GuideError(f"{directory}: would overwrite {', '.join(existing)}; choose an empty folder")
    for target, source in files.items():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    for target, text in texts.items():
        target.write_bytes(text.encode("utf-8"))  # "\n" line ends on every system, as in the package
    return [*files, *texts]
