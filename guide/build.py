"""The pipeline, top to bottom: load -> check -> plan -> render -> write.

`build`, `validate` and `fill_packets` each read as those steps in order. Every
ladder, roster and layout is loaded, checked and rendered before the first file is
written, so a mistake anywhere leaves every existing output untouched. The steps
live in their own modules: `content` and `roster` load, `printable` checks what PDFs
print, `documents` plans and renders, `writing` draws, fills and writes. What the
person running guide sees goes through a `Report` (see `guide.cli`).
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from guide import files
from guide.content import load_ladder
from guide.documents import committee_piece, plan, render_pieces, render_roster
from guide.errors import ContentError, Location
from guide.i18n.catalogs import SHIPPED_TAGS, Catalogs
from guide.ladder import Ladder
from guide.printable import ladder_problems, row_problems
from guide.render import Layouts
from guide.theme import DEFAULT_THEME, Theme
from guide.themefile import load_theme
from guide.writing import Output, Written, reporting_errors, write

if TYPE_CHECKING:
    from guide.collect.collection import Collected

PRODUCTS = ("handbook", "checklists", "packets")
FORMATS = ("pdf", "docx")


@dataclass(frozen=True)
class Project:
    """A ladder project folder: ladders in `data/`, optional overrides in `layouts/`."""

    root: Path

    @functools.cached_property
    def layouts(self) -> Layouts:
        """The project's layouts over the shipped ones, with its `layouts/labels.yaml` read once."""
        return Layouts(self.root / "layouts")

    @functools.cached_property
    def theme(self) -> Theme:
        """The project's `layouts/theme.yaml` merged over the shipped theme, read once."""
        own = self.root / "layouts" / "theme.yaml"
        return load_theme(own if own.exists() else DEFAULT_THEME)  # a folder or pipe there: a message

    def ladder_paths(self) -> list[Path]:
        """Return every ladder file in `data/`, sorted by name.

        Every name ending in .yaml or .yml is kept, a folder, a pipe or a device among
        them: reading it then says what it is (see `guide.inputs`), rather than a
        ladder being left out without a word.
        """
        data = self.root / "data"
        return sorted(p for p in data.glob("*.y*ml") if p.suffix in (".yaml", ".yml"))


class Report(Protocol):
    """What the pipeline tells the person running it, as it goes."""

    def stage(self, what: str) -> contextlib.AbstractContextManager[None]:
        """Time the step done in the block, which `what` names once done."""

    def step(self, text: str) -> None:
        """Say what was just done (shown when verbose)."""

    def note(self, text: str) -> None:
        """Say what the run is doing or waiting for, or what it kept from the inputs."""

    def writing(self, files: int) -> contextlib.AbstractContextManager[Callable[[Written], None]]:
        """Return what is told of each of `files` files as it is written, for the block's length."""


def build(
    project: Project, paths: list[Path], products: tuple[str, ...], formats: tuple[str, ...], out_dir: Path,
    jobs: int, report: Report,
) -> None:  # fmt: skip
    """Write every product of every ladder in `paths` into `out_dir`, in `formats`."""
    ladders = _loaded(paths, report)
    with report.stage("checked and rendered every document"):
        outputs = prepare(project, ladders, out_dir, products, formats)
    write_outputs(outputs, project.theme, out_dir, jobs, report)


def validate(project: Project, paths: list[Path], report: Report) -> None:
    """Load, check and render every product of the ladders in `paths` in every format, writing nothing."""
    ladders = _loaded(paths, report)
    with report.stage("checked layouts, theme and fonts"):  # the PDF glyph check reads the theme
        prepare(project, ladders, Path("output"), PRODUCTS, FORMATS)


def prepare(
    project: Project,
    ladders: list[Ladder],
    out_dir: Path,
    products: tuple[str, ...],
    formats: tuple[str, ...],
) -> list[Output]:
    """Return every document of `ladders`, checked, planned and rendered, writing nothing."""
    _refuse(language_problems(ladders, project.layouts.catalogs))
    check_ladders(ladders, project.theme, formats)
    pieces = [(ladder, piece) for ladder in ladders for piece in plan(ladder, products, formats)]
    return render_pieces(project.layouts, project.theme.fonts.chain, pieces, out_dir)


def fill_packets(
    project: Project, ladder_path: Path, roster_path: Path, formats: tuple[str, ...], out_dir: Path,
    jobs: int, report: Report,
) -> list[Location]:  # fmt: skip
    """Write a packet for every good row of the roster at `roster_path`; return the problems of its bad rows.

    The packets of one level are rendered once and filled per row where the layout only
    prints the row's values (see `guide.documents.Renderer.roster`).
    """
    from guide.roster import load_roster

    (ladder,) = _loaded([ladder_path], report)
    with report.stage(f"read {roster_path}"):
        roster = load_roster(roster_path, ladder)
    for note in roster.notes:
        report.note(str(note))
    if roster.problems:
        report.step(f"skipped {len(roster.problems)} bad row{'' if len(roster.problems) == 1 else 's'}")
    candidates, chain = roster.candidates, project.theme.fonts.chain
    if "pdf" in formats:
        columns = [(c.line, (c.name, c.manager, c.cycle, c.employee_id, c.department)) for c in candidates]
        _refuse(ladder_problems(ladder, chain) + row_problems(roster_path, columns, chain))
    with report.stage(f"rendered {len(candidates)} packets"):
        outputs = render_roster(project.layouts, chain, ladder, candidates, out_dir, formats)
    if "pdf" in formats:  # an extra column a layout fills a field with
        values = [(c.line, [f.value for f in o.values]) for c, o in zip(candidates, outputs, strict=True)]
        _refuse(row_problems(roster_path, values, chain))
    write_outputs(outputs, project.theme, out_dir, jobs, report)
    return roster.problems


def collect(
    project: Project, ladder_paths: list[Path], paths: list[Path], out_dir: Path, jobs: int, report: Report
) -> list[Location]:
    """Read the filled forms under `paths` and write each ladder's committee folder; return the problems.

    No problem stops the rest: every file that can be read is collected (see `guide.collect`).
    """
    from guide.collect.shown import unshowable
    from guide.collect.summary import summary_csv, summary_json

    collected, problems = _read_returned(_loaded(ladder_paths, report), paths, project.layouts, report)
    if not collected:
        where = Path(", ".join(map(str, paths)))
        return [*problems, Location(where, None, None, "no filled packet or checklist of the ladder here")]
    chain = project.theme.fonts.chain
    problems += [problem for c in collected for problem in unshowable(c.forms, chain)]
    problems.sort(key=lambda problem: str(problem.path))  # each file's together, in the order found
    with report.stage("rendered the committee packs"):
        outputs = _committee_packs(project, collected, out_dir)
    data = tuple(
        (out_dir / c.ladder.id / "committee" / name, content)
        for c in collected
        for name, content in (("summary.csv", summary_csv(c)), ("summary.json", summary_json(c, problems)))
    )
    write_outputs(outputs, project.theme, out_dir, jobs, report, data)
    return problems


def _read_returned(
    ladders: list[Ladder], paths: list[Path], layouts: Layouts, report: Report
) -> tuple[list[Collected], list[Location]]:
    """Return what came back for each ladder under `paths`, and the problems found reading it."""
    from guide.collect.collection import Collector, files_under

    found, problems = files_under(paths)
    collector = Collector(ladders, layouts)
    with report.stage(f"read {len(found)} file{'' if len(found) == 1 else 's'}"):
        for path in found:
            collector.read(path)
    for path, why in collector.passed_over:
        report.step(f"passed over {path}: {why}")
    collected = collector.finish()
    return collected, problems + collector.problems


def _committee_packs(project: Project, collected: list[Collected], out_dir: Path) -> list[Output]:
    """Return each ladder's committee pack rendered: the PDF's with what its fonts lack shown as boxes."""
    from guide.collect.shown import shown

    chain = project.theme.fonts.chain
    pieces = [(c.ladder, piece) for c in collected for piece in (
        committee_piece(c.ladder, shown(tuple(c.cases), chain), ("pdf",)),
        committee_piece(c.ladder, tuple(c.cases), ("docx",)),
    )]  # fmt: skip
    return render_pieces(project.layouts, chain, pieces, out_dir)


def load_ladders(paths: list[Path]) -> list[Ladder]:
    """Return the ladders in `paths`; raise one ContentError listing every problem of every file."""
    ladders, problems = [], []
    for path in paths:
        try:
            ladders.append(load_ladder(path))
        except ContentError as error:
            problems.extend(error.problems)
    _refuse_shared_ids(ladders, problems)
    _refuse(problems)
    return ladders


def _loaded(paths: list[Path], report: Report) -> list[Ladder]:
    with report.stage(f"loaded {len(paths)} ladder{'' if len(paths) == 1 else 's'}"):
        ladders = load_ladders(paths)
    for ladder in ladders:
        report.step(f"loaded {ladder.source}: '{ladder.id}', {len(ladder.levels)} levels")
    return ladders


def check_ladders(ladders: list[Ladder], theme: Theme, formats: tuple[str, ...]) -> None:
    """Raise ContentError at every text of `ladders` that a PDF in `formats` could not show."""
    if "pdf" in formats:
        chains = {ladder.language: theme.fonts.for_language(ladder.language).chain for ladder in ladders}
        _refuse([problem for lad in ladders for problem in ladder_problems(lad, chains[lad.language])])


def write_outputs(
    outputs: list[Output], theme: Theme, out_dir: Path, jobs: int, report: Report,
    data: tuple[tuple[Path, bytes], ...] = (),
) -> None:  # fmt: skip
    """Write every file of `outputs`, and each path of `data` holding its bytes, below `out_dir`,
    holding it against other guide processes."""
    paths = [path for path, _ in data] + [path for output in outputs for path in output.files]
    with (
        output_folder(out_dir, paths, report),
        report.stage(f"drew and wrote {len(paths)} files"),
        report.writing(len(paths)) as written,
    ):
        for path in reporting_errors(_written_data(data)):
            written(Written(path, None))
        for file in write(outputs, theme, jobs):
            written(file)


def _written_data(data: tuple[tuple[Path, bytes], ...]) -> Iterator[Path]:
    for path, content in data:
        files.write_atomic(path, content)
        yield path


def output_folder(
    out_dir: Path, paths: list[Path], report: Report
) -> contextlib.AbstractContextManager[None]:
    """Return the hold on `out_dir` for writing `paths`: no link below it, no other guide writing there.

    Waiting for another guide process is said once, as cargo does for its build folder.
    """

    def waiting(pid: int | None) -> None:
        holder = f" (pid {pid})" if pid is not None else ""
        report.note(f"waiting for another guide writing into {out_dir}{holder}...")

    return files.output_folder(out_dir, paths, waiting)


def language_problems(ladders: list[Ladder], catalogs: Catalogs) -> list[Location]:
    """Return a problem at the `language` of each ladder in a language no catalog has words for."""
    problems = []
    for ladder in ladders:
        if not catalogs.has(ladder.language):
            place = next(iter(ladder.places.get(ladder.language, ())), None)
            line, col = (place.line, place.col) if place else (None, None)
            message = (
                f"guide has no words in '{ladder.language}' (it has {', '.join(SHIPPED_TAGS)}): give every "
                f"message in layouts/labels.yaml (see docs/languages.md), or write the ladder in one of those"
            )
            problems.append(Location(ladder.source, line, col, message))
    return problems


def _refuse(problems: list[Location]) -> None:
    if problems:
        raise ContentError(problems)


def _refuse_shared_ids(ladders: list[Ladder], problems: list[Location]) -> None:
    first: dict[str, Path] = {}
    for ladder in ladders:
        if ladder.id in first:
            message = f"ladder id '{ladder.id}' is also used by {first[ladder.id]}: outputs would collide"
            problems.append(Location(ladder.source, None, None, message))
        first.setdefault(ladder.id, ladder.source)
