"""`guide init`: a new ladder project, ready to edit and build."""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Callable
from pathlib import Path

from guide import files
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

`layouts/theme.yaml` sets the look of every document: page size, margins,
colours, fonts, logo. It lists guide's own theme, commented out: uncomment and
change only what should differ, and the rest follows guide's theme, also after
upgrades.
"""

README_LAYOUTS = """
The other files of `layouts/` are copies of the layouts that say what each
document holds. A file there overrides guide's own of the same name, also after
an upgrade brings a new one: delete a file to go back to guide's.
"""

README_NO_LAYOUTS = """
The layouts that say what each document holds are guide's own. To change one,
copy it from the installed package's `guide/layouts/` into `layouts/`, where it
overrides guide's file of the same name (`guide init --layouts` copies them all).
"""

THEME_HEADER = """\
# The look of this project's documents: page, fonts, colours, logo, Word styles.
#
# This file is merged key by key over the theme that ships with guide, which
# follows here commented out. Uncomment and change only what should differ (a
# colour, the logo, the page size); what stays commented follows guide's theme,
# also after upgrades. File paths (fonts, logo, word_reference) are relative to
# this file. Colours are "#RRGGBB", in quotes. guide's docs/themes.md has every key.

"""


def create_project(directory: Path, layouts: bool = False) -> list[Path]:
    """Create a ladder project in `directory`; return the files written.

    The project holds what a new project edits: the example ladder and its schema,
    and a theme that changes nothing yet; with `layouts`, copies of the shipped
    layouts too. Raises GuideError, writing nothing, if any of those files exists
    already (a dangling link too), or if `directory` or a folder they go in is a
    link or a file. No file or folder is made through a link. If writing fails
    part-way (a full disk, a folder that cannot be written), what was made is
    removed before the GuideError.
    """
    contents = _contents(layouts)
    paths = [directory / relative for relative in contents]
    undo: list[Callable[[], None]] = []
    with contextlib.ExitStack() as opened:  # folders stay open until what was made in them is undone
        try:
            _refuse_taken(directory, paths)
            _make(directory, contents, undo, opened)
        except BaseException as error:
            for step in reversed(undo):
                with contextlib.suppress(OSError):
                    step()
            if isinstance(error, OSError):
                raise _cannot_write(error, directory) from None
            raise
    return paths


def _refuse_taken(directory: Path, paths: list[Path]) -> None:
    """Raise GuideError if `directory` or a folder of `paths` is a link or a file, or if a path exists."""
    _refuse_file_as_project(directory)
    files.refuse_linked_folders(directory, paths)
    existing = [str(path) for path in paths if os.path.lexists(path)]
    if existing:
        raise GuideError(f"{directory}: would overwrite {', '.join(existing)}; choose an empty folder")


def _refuse_file_as_project(directory: Path) -> None:
    """Raise GuideError if `directory`, or the nearest of its parents that exists, is not a folder.

    A link to a folder is a folder here: where the project goes is the user's choice.
    """
    existing = next(path for path in (directory, *directory.parents, Path(".")) if os.path.lexists(path))
    if not existing.is_dir():
        raise GuideError(f"{existing}: is a file, not a folder: give guide init a new folder or an empty one")


def _cannot_write(error: OSError, directory: Path) -> GuideError:
    where = error.filename or directory
    return GuideError(f"{where}: cannot write: {error.strerror or error}; guide init left nothing behind")


def _contents(layouts: bool) -> dict[Path, bytes]:
    """Return the bytes of each file of a new project, by its path in the project.

    Layouts are copied only when asked for (`layouts`): a copy overrides the shipped
    file for good, and would hold back the fixes of every upgrade.
    """
    contents = {Path("data") / SHIPPED_LADDER.name: SHIPPED_LADDER.read_bytes()}
    if layouts:
        for layout in sorted(SHIPPED_LAYOUTS.glob("*.xml.j2")):
            contents[Path("layouts") / layout.name] = layout.read_bytes()
    readme = README + (README_LAYOUTS if layouts else README_NO_LAYOUTS)
    return contents | {
        Path("layouts") / "theme.yaml": commented_theme().encode("utf-8"),
        Path("data") / SCHEMA_NAME: schema_text().encode("utf-8"),
        Path("README.md"): readme.encode("utf-8"),  # "\n" line ends on every system, as in the package
        Path(".gitignore"): b"output/\n",
    }


def commented_theme() -> str:
    """Return a project theme that changes nothing: guide's own theme, its keys commented out.

    The shipped theme's opening comment gives way to one for the project; its other
    comments stay as they are. A theme file of comments only changes nothing.
    """
    shipped = (SHIPPED_LAYOUTS / "theme.yaml").read_text("utf-8")
    _opening, body = shipped.split("\n\n", 1)
    lines = [line if not line.strip() or line.lstrip().startswith("#") else f"# {line}"
             for line in body.splitlines()]  # fmt: skip
    return THEME_HEADER + "\n".join(lines).rstrip("\n") + "\n"


def _make(
    directory: Path, contents: dict[Path, bytes], undo: list[Callable[[], None]], opened: contextlib.ExitStack
) -> None:
    """Write `contents` into `directory`, adding to `undo` a step that removes each file and folder made."""
    for missing in reversed([p for p in (directory, *directory.parents) if not os.path.lexists(p)]):
        os.mkdir(missing)
        undo.append(functools.partial(os.rmdir, missing))
    folders = {Path("."): opened.enter_context(files.open_folder(directory))}
    for relative, data in contents.items():
        with files.about(directory / relative):
            folder = _subfolder(folders, relative.parent, undo, opened)
            handle = files.new_file(folder, relative.name)
            undo.append(functools.partial(os.unlink, folder.at(relative.name), dir_fd=folder.fd))
            with os.fdopen(handle, "wb") as file:
                file.write(data)


def _subfolder(
    folders: dict[Path, files.Folder],
    relative: Path,
    undo: list[Callable[[], None]],
    opened: contextlib.ExitStack,
) -> files.Folder:
    """Return the open folder at `relative` in the project, made (never through a link) if missing."""
    if relative not in folders:
        parent = _subfolder(folders, relative.parent, undo, opened)
        if files.make_subfolder(parent, relative.name):
            undo.append(functools.partial(os.rmdir, parent.at(relative.name), dir_fd=parent.fd))
        folders[relative] = opened.enter_context(files.open_subfolder(parent, relative.name))
    return folders[relative]
