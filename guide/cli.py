"""Arguments in, exit status out. Exit 0: done; 1: bad input, every problem reported; 2: wrong usage."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from guide import __version__, build, init
from guide.errors import GuideError

EXAMPLES = {
    "build": "examples:\n  guide build\n"
    "  guide build data/product-management.yaml -o out --only handbook --format pdf",
    "validate": "examples:\n  guide validate\n  guide validate data/product-management.yaml",
    "packets": "examples:\n  guide packets --roster cycle-2026-h2.csv\n"
    "  guide packets --roster roster.csv --ladder data/product-management.yaml --format docx -o out",
    "init": "examples:\n  guide init my-ladder\n  cd my-ladder && guide build",
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command in `argv`; return the exit status."""
    arguments = _parser().parse_args(argv)
    try:
        _check_environment()
        return int(arguments.run(arguments))
    except GuideError as error:
        for line in error.lines():
            print(line, file=sys.stderr)
        return 1


def _check_environment() -> None:
    """Refuse environment settings that would fail deep in a writer."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch and not (epoch.isdigit() and int(epoch) < 253402300800):  # before the year 10000
        raise GuideError(f"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, not '{epoch}'")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="guide",
        description="Turn a career ladder written in YAML into a career handbook, "
        "promotion checklists and promotion packets, in PDF and Word.",
    )
    parser.add_argument("--version", action="version", version=f"guide {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build_command = _command(commands, "build", "validate, then write every product of every ladder")
    _add_ladders(build_command)
    products = "products to write: handbook,checklists,packets"
    build_command.add_argument(
        "--only", type=_choices(build.PRODUCTS), default=build.PRODUCTS, metavar="LIST", help=products
    )
    _add_output(build_command, "where to write (default: output/)")
    build_command.set_defaults(run=_build)

    validate_command = _command(commands, "validate", "check ladders and layouts, writing nothing")
    _add_ladders(validate_command)
    validate_command.set_defaults(run=_validate)

    packets_command = _command(commands, "packets", "fill one promotion packet per roster row")
    packets_command.add_argument(
        "--roster",
        type=Path,
        required=True,
        metavar="FILE",
        help="CSV with the columns name, target_level and optional ones",
    )
    packets_command.add_argument(
        "--ladder", type=Path, metavar="LADDER", help="the ladder file (default: the only one in data/)"
    )
    _add_output(packets_command, "where to write: DIR/<ladder-id>/roster/ (default: output/)")
    packets_command.set_defaults(run=_packets)

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


def _add_ladders(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "ladders",
        nargs="*",
        type=Path,
        metavar="LADDER",
        help="ladder files (default: every *.yaml in data/)",
    )


def _add_output(command: argparse.ArgumentParser, where: str) -> None:
    command.add_argument("-j", "--jobs", type=_count, default=os.cpu_count() or 1, metavar="N",
                         help="processes to draw files in (default: one per core)")  # fmt: skip
    command.add_argument("-o", "--output", type=Path, default=Path("output"), metavar="DIR", help=where)
    command.add_argument(
        "--format",
        type=_choices(build.FORMATS),
        default=build.FORMATS,
        metavar="LIST",
        help="formats to write: pdf,docx",
    )


def _count(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError("takes a whole number from 1 up")
    return int(text)


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
    _write(outputs, project.theme(), arguments.jobs)
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


def _packets(arguments: argparse.Namespace) -> int:
    """Write every good row's packet, then report the bad rows; exit 1 if there were any."""
    from guide.roster import read_roster

    project = build.Project(Path("."))
    (ladder,) = build.load_ladders([arguments.ladder or _only_ladder(project)])
    candidates, problems = read_roster(arguments.roster, ladder)
    outputs = build.prepare_roster(
        project, ladder, arguments.roster, candidates, arguments.output, arguments.format
    )
    _write(outputs, project.theme(), arguments.jobs)
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


def _write(outputs: list[build.Output], theme: build.Theme, jobs: int) -> None:
    """Write `outputs`, printing each file's path; on a terminal, under a progress bar, with a summary."""
    from tqdm import tqdm

    total = sum(len(output.files) for output in outputs)
    showing = sys.stdout.isatty()
    started = time.perf_counter()
    with tqdm(total=total, unit="file", disable=not showing, file=sys.stderr, leave=False) as progress:
        try:
            for path in build.write(outputs, theme, jobs):
                if showing:
                    progress.write(str(path), file=sys.stdout)  # above the bar, which is then redrawn
                    progress.update()
                else:
                    print(path)
        except BrokenPipeError:
            raise
        except OSError as error:  # the output folder: read-only, a file, a full disk
            where = error.filename or "output"
            raise GuideError(f"{where}: cannot write: {error.strerror or error}") from None
    if showing:
        print(f"{total} files written in {time.perf_counter() - started:.1f} s", file=sys.stderr)


def _only_ladder(project: build.Project) -> Path:
    paths = project.ladder_paths()
    if len(paths) != 1:
        raise GuideError(f"{len(paths)} ladders in {project.root / 'data'}: name one with --ladder")
    return paths[0]


def _init(arguments: argparse.Namespace) -> int:
    for path in init.create_project(arguments.directory):
        print(path)
    return 0


def main_entry() -> None:
    """The `guide` console command."""
    try:
        sys.exit(main())
    except KeyboardInterrupt:  # Ctrl-C: files already written are whole; say no more than that
        print("interrupted", file=sys.stderr)
        sys.exit(130)
    except BrokenPipeError:  # the reader of our output went away (`guide build | head`): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so the exit flush cannot fail
        sys.exit(1)
