"""Arguments in, exit status out. Exit 0: done; 1: bad input, every problem reported; 2: wrong usage."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from guide import __version__, build, init
from guide.console import NORMAL, QUIET, VERBOSE, Console, Tally, process_started
from guide.errors import GuideError
from guide.writing import Written, reporting_errors

EXAMPLES = {
    "build": "  guide build\n"
    "  guide build data/product-management.yaml -o out --only handbook --format pdf\n"
    "  guide -q build          # errors only",
    "validate": "  guide validate\n  guide validate data/product-management.yaml -v\n"
    "  guide validate product-management    # a ladder of data/, by its id",
    "packets": "  guide packets --roster cycle-2026-h2.csv\n"
    "  guide packets --roster roster.csv --ladder data/product-management.yaml --format docx -o out",
    "export": "  guide export --format json\n  guide export data/product-management.yaml -o - > ladder.json",
    "schema": "  guide schema > data/ladder.schema.json",
    "collect": "  guide collect returned/\n"
    "  guide collect ~/Downloads/*.pdf returned/ --ladder product-management -o out",
    "init": "  guide init my-ladder\n  cd my-ladder && guide build\n"
    "  guide init --layouts my-ladder    # also the layouts, to change what documents hold",
}

Run = Callable[[argparse.Namespace, Console], int]

PREPARING = "preparing the documents..."
"""Shown on a terminal while ladders are loaded and layouts rendered, before the first file is drawn."""

DRAWING = "drawing"
"""The progress bar's label until the first file is written: drawing the first documents takes longest."""


def main(argv: Sequence[str] | None = None, started: float | None = None) -> int:
    """Run the command in `argv`; return the exit status.

    `started`, a `time.perf_counter()` reading, is when the command started, from
    which the closing summary's time runs (default: now).
    """
    arguments = _parser().parse_args(argv)
    console = Console(arguments.verbosity, started)
    try:
        _check_environment()
        return int(arguments.run(arguments, console))
    except GuideError as error:
        for line in error.lines():
            console.error(line)
        return 1


LATEST_SOURCE_DATE = 4354819199
"""2107-12-31 23:59:59 UTC, the last moment a zip entry (and so a Word file) can hold. Earlier than
1980, which a zip cannot hold either, Word files are dated 1980-01-01 and PDFs as given."""


def _check_environment() -> None:
    """Refuse environment settings that would fail deep in a writer, before anything is written."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch and not (epoch.isascii() and epoch.isdigit()):  # int() takes other scripts' digits too
        raise GuideError(f"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, not '{epoch}'")
    if epoch and int(epoch) > LATEST_SOURCE_DATE:
        raise GuideError(
            f"SOURCE_DATE_EPOCH must be a date up to 2107, the last year Word files (zip files) can hold:"
            f" at most {LATEST_SOURCE_DATE} seconds since 1970, not {epoch}"
        )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="guide",
        description="Turn a career ladder written in YAML into a career handbook,\n"
        "promotion checklists and promotion packets, in PDF and Word.",
        epilog="examples:\n  guide init my-ladder\n  guide validate\n  guide build\n\n"
        "Run 'guide COMMAND --help' for a command's options.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"guide {__version__}")
    _add_verbosity(parser, default=NORMAL)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    # Also after the command: `guide build -q` as well as `guide -q build`.
    common = argparse.ArgumentParser(add_help=False)
    _add_verbosity(common, default=argparse.SUPPRESS)
    _add_build(commands, common)
    _add_validate(commands, common)
    _add_packets(commands, common)
    _add_export(commands, common)
    _add_collect(commands, common)
    _command(commands, common, "schema", "print the JSON Schema of the ladder format", _schema)
    init_command = _command(commands, common, "init", "create a new ladder project to edit", _init)
    init_command.add_argument("directory", nargs="?", type=Path, default=Path("."), metavar="DIR")
    init_command.add_argument("--layouts", action="store_true",
                              help="also copy the shipped layouts, to change what they hold")  # fmt: skip
    return parser


def _add_verbosity(parser: argparse.ArgumentParser, default: object) -> None:
    """Add -q and -v to `parser`; of the two, the one given last counts."""
    parser.add_argument("-q", "--quiet", dest="verbosity", action="store_const", const=QUIET,
                       default=default, help="print errors only")  # fmt: skip
    parser.add_argument("-v", "--verbose", dest="verbosity", action="store_const", const=VERBOSE,
                       default=default, help="also print each step and its time")  # fmt: skip


def _command(
    commands: argparse._SubParsersAction, common: argparse.ArgumentParser, name: str, summary: str, run: Run
) -> argparse.ArgumentParser:
    command: argparse.ArgumentParser = commands.add_parser(
        name,
        parents=[common],
        help=summary,
        description=summary,
        epilog=f"examples:\n{EXAMPLES[name]}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    command.set_defaults(run=run)
    return command


def _add_build(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    command = _command(
        commands, common, "build", "validate, then write every product of every ladder", _build
    )
    _add_ladders(command)
    command.add_argument("--only", type=_choices(build.PRODUCTS), default=build.PRODUCTS, metavar="LIST",
                         help="products to write: handbook,checklists,packets")  # fmt: skip
    _add_output(command, "where to write (default: output/)")


def _add_validate(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    command = _command(commands, common, "validate", "check ladders and layouts, writing nothing", _validate)
    _add_ladders(command)


def _add_packets(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    command = _command(commands, common, "packets", "fill one promotion packet per roster row", _packets)
    command.add_argument("--roster", type=Path, required=True, metavar="FILE",
                         help="CSV with the columns name, target_level and optional ones")  # fmt: skip
    command.add_argument("--ladder", type=Path, metavar="LADDER",
                         help="a ladder file, or a ladder's id in data/ (default: the only one)")  # fmt: skip
    _add_output(command, "where to write: DIR/<ladder-id>/roster/ (default: output/)")


def _add_export(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    command = _command(commands, common, "export", "write validated ladders as JSON, for other systems",
                       _export)  # fmt: skip
    _add_ladders(command)
    command.add_argument("--format", choices=("json",), default="json", help="the format to write: json")
    where = "write DIR/<ladder-id>/ladder.json (default: output/); '-': to stdout"
    command.add_argument("-o", "--output", type=Path, default=Path("output"), metavar="DIR", help=where)


def _add_collect(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    summary = "read filled packets and checklists back, and write the committee's summary and pack"
    command = _command(commands, common, "collect", summary, _collect)
    command.add_argument("paths", nargs="+", type=Path, metavar="PATH",
                         help="filled PDF and Word files, or folders to search for them")  # fmt: skip
    command.add_argument("--ladder", type=Path, metavar="LADDER",
                         help="a ladder file, or a ladder's id in data/ (default: all in data/)")  # fmt: skip
    command.add_argument("-o", "--output", type=Path, default=Path("output"), metavar="DIR",
                         help="where to write: DIR/<ladder-id>/committee/ (default: output/)")  # fmt: skip


def _add_ladders(command: argparse.ArgumentParser) -> None:
    command.add_argument("ladders", nargs="*", type=Path, metavar="LADDER",
                         help="ladder files or ids of ladders in data/ (default: all in data/)")  # fmt: skip


def _add_output(command: argparse.ArgumentParser, where: str) -> None:
    command.add_argument("-j", "--jobs", type=_count, default=os.cpu_count() or 1, metavar="N",
                         help="processes to draw files in (default: one per core)")  # fmt: skip
    command.add_argument("-o", "--output", type=Path, default=Path("output"), metavar="DIR", help=where)
    command.add_argument("--format", type=_choices(build.FORMATS), default=build.FORMATS, metavar="LIST",
                         help="formats to write: pdf,docx")  # fmt: skip


def _count(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError("takes a whole number from 1 up")
    return int(text)


def _choices(allowed: tuple[str, ...]) -> Callable[[str], tuple[str, ...]]:
    def parse(text: str) -> tuple[str, ...]:
        chosen = tuple(word.strip() for word in text.split(",") if word.strip())
        if not chosen or any(word not in allowed for word in chosen):
            raise argparse.ArgumentTypeError(f"choose from {','.join(allowed)} (comma-separated)")
        return chosen

    return parse


def _ladder_paths(arguments: argparse.Namespace, project: build.Project, console: Console) -> list[Path]:
    if arguments.ladders:
        return [_ladder_path(argument, project) for argument in arguments.ladders]
    paths = project.ladder_paths()
    if not paths:
        raise GuideError(f"no ladder files in {project.root / 'data'}: give one, or run 'guide init'")
    for path in sorted((project.root / "data").iterdir()):
        if path not in paths:
            console.step(f"skipped {path}: not a ladder (*.yaml, *.yml)")
    return paths


def _ladder_path(argument: Path, project: build.Project) -> Path:
    """Return the ladder file that `argument` names: a path, or the id or file stem of a ladder in `data/`.

    An argument with a folder in it or a .yaml/.yml suffix, or naming anything that
    exists, is a path: reading it says what is wrong with it. A bare word is looked
    up in `data/`, by file stem first (no file is read), then by each ladder's id.
    """
    if len(argument.parts) != 1 or argument.suffix in (".yaml", ".yml") or os.path.lexists(argument):
        return argument
    name = str(argument)
    paths = project.ladder_paths()
    by_stem = [path for path in paths if path.stem == name]
    if by_stem:
        return by_stem[0]
    ids = {path: _ladder_id(path) for path in paths}
    by_id = [path for path, ladder_id in ids.items() if ladder_id == name]
    if by_id:
        return by_id[0]
    raise GuideError(_no_such_ladder(name, project.root / "data", ids))


def _ladder_id(path: Path) -> str | None:
    """Return the id of the ladder in `path`, or None if it does not load."""
    try:
        return build.load_ladders([path])[0].id
    except GuideError:
        return None


def _no_such_ladder(name: str, data: Path, ids: dict[Path, str | None]) -> str:
    """Return the message for a ladder `name` that no file of `data` has, listing those that are there."""
    if not ids:
        return f"no ladder '{name}' in {data}/, which holds no ladder file: give a file, or run 'guide init'"
    listed = [f"{ladder_id} ({path})" if ladder_id else f"{path} (not valid: see 'guide validate')"
              for path, ladder_id in ids.items()]  # fmt: skip
    return f"no ladder '{name}' in {data}/: the ladders are {', '.join(listed)}"


def _build(arguments: argparse.Namespace, console: Console) -> int:
    project = build.Project(Path("."))
    with _Report(console) as report:
        paths = _ladder_paths(arguments, project, console)
        build.build(
            project, paths, arguments.only, arguments.format, arguments.output, arguments.jobs, report
        )
    return 0


def _validate(arguments: argparse.Namespace, console: Console) -> int:
    project = build.Project(Path("."))
    paths = _ladder_paths(arguments, project, console)
    with _Report(console, preparing=False) as report:
        build.validate(project, paths, report)
    for path in paths:
        console.ok(path)
    return 0


def _packets(arguments: argparse.Namespace, console: Console) -> int:
    """Write every good row's packet, then report the bad rows; exit 1 if there were any."""
    project = build.Project(Path("."))
    with _Report(console) as report:
        ladder = _ladder_path(arguments.ladder, project) if arguments.ladder else _only_ladder(project)
        problems = build.fill_packets(
            project, ladder, arguments.roster, arguments.format, arguments.output, arguments.jobs, report
        )
    for problem in problems:
        console.error(str(problem))
    return 1 if problems else 0


def _collect(arguments: argparse.Namespace, console: Console) -> int:
    """Collect every readable file, then report each problem; exit 1 if there were any."""
    project = build.Project(Path("."))
    with _Report(console) as report:
        if arguments.ladder:
            ladders = [_ladder_path(arguments.ladder, project)]
        else:
            ladders = _ladder_paths(argparse.Namespace(ladders=[]), project, console)
        problems = build.collect(
            project, ladders, arguments.paths, arguments.output, os.cpu_count() or 1, report
        )
    for problem in problems:
        console.error(str(problem))
    return 1 if problems else 0


def _export(arguments: argparse.Namespace, console: Console) -> int:
    """Write each ladder as JSON, after every one of them proved valid; `-o -` prints one."""
    from guide import export

    paths = _ladder_paths(arguments, build.Project(Path(".")), console)
    to_stdout = arguments.output == Path("-")
    if to_stdout and len(paths) != 1:
        console.error(f"guide export: -o - prints one ladder, and {len(paths)} are given: name one")
        return 2
    with _Report(console, preparing=False) as report:
        with report.stage(f"loaded {len(paths)} ladder{'' if len(paths) == 1 else 's'}"):
            ladders = build.load_ladders(paths)
        if to_stdout:
            sys.stdout.flush()
            sys.stdout.buffer.write(export.ladder_json(ladders[0]))
            sys.stdout.buffer.flush()
            return 0
        paths = [arguments.output / ladder.id / export.FILE_NAME for ladder in ladders]
        with build.output_folder(arguments.output, paths, report), report.writing(len(paths)) as shown:
            for path in reporting_errors(export.write_json(ladders, arguments.output)):
                shown(Written(path, None))
    return 0


def _schema(arguments: argparse.Namespace, console: Console) -> int:
    from guide.schema import schema_text

    sys.stdout.write(schema_text())
    return 0


class _Report:
    """What `build` tells, shown on the console: stages, notes, each file written and the closing summary.

    On a terminal, "preparing the documents..." shows until the first file is being
    written, then a progress bar while files are written.
    """

    def __init__(self, console: Console, preparing: bool = True) -> None:
        self.console = console
        self.preparing = contextlib.ExitStack()
        if preparing:
            self.preparing.enter_context(console.status(PREPARING))
        self.tally = Tally(started=console.started)

    def __enter__(self) -> _Report:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        """End the preparing line; once files were written, print the closing summary."""
        self.preparing.close()
        if kind is None and self.tally.files:
            self.console.summary(self.tally.summary())

    def stage(self, what: str) -> contextlib.AbstractContextManager[None]:
        return self.console.stage(what)

    def step(self, text: str) -> None:
        self.console.step(text)

    def note(self, text: str) -> None:
        self.console.note(text)

    @contextlib.contextmanager
    def writing(self, total: int) -> Iterator[Callable[[Written], None]]:
        """Print each file's path as it is written: on a terminal, above a progress bar."""
        self.preparing.close()
        if not self.console.shows_progress:
            yield self._printed
            return
        from tqdm import tqdm  # only for a terminal: it takes a tenth of a short build to import

        with tqdm(total=total, unit="file", file=sys.stderr, leave=False, desc=DRAWING) as bar:

            def shown(file: Written) -> None:
                self.tally.add(file)
                bar.write(str(file.path), file=sys.stdout)
                bar.set_description_str("", refresh=False)  # files are coming: the count says the rest
                bar.update()

            yield shown

    def _printed(self, file: Written) -> None:
        self.tally.add(file)
        self.console.result(str(file.path))


def _only_ladder(project: build.Project) -> Path:
    paths = project.ladder_paths()
    if len(paths) != 1:
        raise GuideError(f"{len(paths)} ladders in {project.root / 'data'}: name one with --ladder")
    return paths[0]


def _init(arguments: argparse.Namespace, console: Console) -> int:
    for path in init.create_project(arguments.directory, layouts=arguments.layouts):
        console.result(str(path))
    return 0


def main_entry() -> None:
    """The `guide` console command."""
    try:
        sys.exit(main(started=process_started()))
    except KeyboardInterrupt:  # Ctrl-C: files already written are whole; say no more than that
        print("interrupted", file=sys.stderr)
        sys.exit(130)
    except BrokenPipeError:  # the reader of our output went away (`guide build | head`): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so the exit flush cannot fail
        sys.exit(1)
