"""Where drawing a handbook PDF spends its time: reportlab, Python's own library, guide, guide's tagging.

usage: .venv/bin/python benchmarks/shares.py LADDER [LADDER...] [--top 8]

Each ladder is loaded and rendered, its handbook drawn once to warm the fonts, then
drawn again under cProfile. Time is each function's own time (not its callees'),
summed by where the function lives, so the table says how much of the drawing is
guide's to make faster and how much is the floor of the libraries it draws with.
Profiling slows every call alike; read the shares, not the seconds.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import time
from pathlib import Path

from guide import build
from guide.writers.pdf import write_pdf

ROOT = Path(__file__).resolve().parents[1]
PLACES = (
    ("guide: tagging", ("/guide/writers/pdf/tagging.py", "/guide/writers/pdf/tagged.py")),
    ("guide: the rest", ("/guide/",)),
    ("reportlab", ("/reportlab/",)),
    ("fontTools", ("/fontTools/",)),
)


def place_of(filename: str) -> str:
    """Return the name of the place a function of `filename` belongs to."""
    return next(
        (name for name, parts in PLACES if any(part in filename for part in parts)), "Python and the rest"
    )


def profile(ladder: Path, top: int) -> None:
    """Print how the handbook of `ladder` spends its drawing time, and guide's own slowest functions."""
    project = build.Project(ROOT)
    started = time.perf_counter()
    ladders = build.load_ladders([ladder])
    (output,) = build.prepare(project, ladders, Path("out"), ("handbook",), ("pdf",))
    prepared = time.perf_counter()
    write_pdf(output.document, project.theme)  # fonts registered and read once, as in any build
    profiler = cProfile.Profile()
    profiler.enable()
    write_pdf(output.document, project.theme)
    profiler.disable()
    stats = pstats.Stats(profiler)
    shares: dict[str, float] = {}
    for (filename, _, _), (_, _, own, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        shares[place_of(filename)] = shares.get(place_of(filename), 0.0) + own
    total = sum(shares.values())
    print(
        f"{ladder.name}: {len(ladders[0].levels)} levels, loaded and rendered in {prepared - started:.2f} s"
    )
    for name, seconds in sorted(shares.items(), key=lambda item: -item[1]):
        print(f"  {name:<22} {100 * seconds / total:5.1f}%")
    if top:
        stats.sort_stats("tottime").print_stats("/guide/", top)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("ladders", nargs="+", type=Path, metavar="LADDER")
    parser.add_argument("--top", type=int, default=8, help="guide's slowest functions to list (0: none)")
    arguments = parser.parse_args()
    for ladder in arguments.ladders:
        profile(ladder, arguments.top)


if __name__ == "__main__":
    main()
