"""Arguments in, exit status out. Exit 0: done; 1: bad input, every problem reported; 2: wrong usage."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from guide import __version__, build, init
from guide.errors import GuideError

EXAMPLES = {
    "build": "examples:\n  guide build\n"
    "  guide build data/product-management.yaml -o out --only handbook --format pdf",
    "validate": "examples:\n  guide validate\n  guide validate data/product-management.yaml",
    "init": "examples:\n  guide init my-ladder\n  cd my-ladder && guide build",
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command in `argv`; return the exit status."""
    arguments = _parser().parse_args(argv)
    try:
        return int(arguments.run(arguments))
    except GuideError as error:
        for line in error.lines():
            print(line, file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="guide",
        description="Turn a career ladder written in YAML into a career handbook, "
        "promotion checklists and promotion packets, in PDF and Word.",
    )
    parser.add_argument("--version", action="version", version=f"guide {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build_command = _command(commands, "build", "validate, then write every product of every ladder")
    build_command.add_argument(
        "ladders",
        nargs="*",
        type=Path,
        metavar="LADDER",
        help="ladder files (default: every *.yaml in data/)",
    )
    build_command.add_argument(
        "-o",
        "--output",
        type=Path,
        default=Path("output"),
        metavar="DIR",
        help="where to write (default: output/)",
    )
    build_command.add_argument(
        "--only",
        type=_choices(build.PRODUCTS),
        default=build.PRODUCTS,
        metavar="LIST",
        help="products to write: handbook,checklists,packets",
    )
    build_command.add_argument(
        "--format",
        type=_choices(build.FORMATS),
        default=build.FORMATS,
        metavar="LIST",
        help="formats to write: pdf,docx",
    )
    build_command.set_defaults(run=_build)

    validate_command = _command(commands, "validate", "check ladders and layouts, writing nothing")
    validate_command.add_argument(
        "ladders",
        nargs="*",
        type=Path,
        metavar="LADDER",
        help="ladder files (default: every *.yaml in data/)",
    )
    validate_command.set_defaults(run=_validate)

    init_command = _command(commands, "init", "create a new ladder project to edit")
    init_command.add_argument("directory", nargs="?", type=Path, default=Path("."), metavar="DIR")
    init_command.set_defaults(run=_init)
    return parser


def _command(commands: argparse._SubParsersAction, name: str, summary: str) -> argparse.ArgumentParser:
    return commands.add_parser(
        name,
        help=summary,
        description=summary,
        epilog=EXAMPLES[name],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def _choices(allowed: tuple[str, ...]):  # type: ignore[no-untyped-def]
    def parse(text: str) -> tuple[str, ...]:
        chosen = tuple(word.strip() for word in text.split(",") if word.strip())
        if not chosen or any(word not in allowed for word in chosen):
            raise argparse.ArgumentTypeError(f"choose from {','.join(allowed)} (comma-separated)")
        return chosen

    return parse


def _ladder_paths(arguments: argparse.Namespace, project: build.Project) -> list[Path]:
    paths = arguments.ladders or project.ladder_paths()
    if not paths:
        raise GuideError(f"no ladder files in {project.root / 'data'}: give one, or run 'guide init'")
    return paths


def _build(arguments: argparse.Namespace) -> int:
    project = build.Project(Path("."))
    ladders = build.load_ladders(_ladder_paths(arguments, project))
    outputs = build.prepare(project, ladders, arguments.output, arguments.only, arguments.format)
    for path in build.write(outputs, project.theme()):
        print(path)
    return 0


def _validate(arguments: argparse.Namespace) -> int:
    project = build.Project(Path("."))
    paths = _ladder_paths(arguments, project)
    ladders = build.load_ladders(paths)
    project.theme()
    build.prepare(project, ladders, Path("output"), build.PRODUCTS, build.FORMATS)
    for path in paths:
        print(f"ok {path}")
    return 0


def _init(arguments: argparse.Namespace) -> int:
    for path in init.create_project(arguments.directory):
        print(path)
    return 0


def main_entry() -> None:
    """The `guide` console command."""
    sys.exit(main())
