"""Time `guide validate` and `guide build -j 1` on generated ladders at the documented limits.

usage: .venv/bin/python benchmarks/limits.py [--cases dense-150x30,dense-200x50,...] [--runs 3]
           [--heavy-runs 1] [--keep DIR] [--json FILE]

The limits are those of docs/ladder-format.md: at most 1,000 items in a list (levels
included), 20 levels in a `next` and 20 levels promoted to one level, 50,000 characters
in a text and 2,000,000 bytes in a file. Each case is a ladder written by `ladder_yaml`
in the shape of data/product-management.yaml (ids, titles, codes, summaries, the three
lists, `next`, a track, criteria), never committed:

  dense-150x30   150 levels, each promoted to the next 30: past the promotion limit,
                 refused by `validate` with a message for each level (the ladder of issue 13)
  dense-200x50   200 levels, each promoted to the next 50: refused the same way
  dense-100x20   100 levels, each promoted to the next 20: the most promotions into and
                 out of each level that a ladder may have
  levels-1000    1,000 levels in a chain: the most levels a ladder may have
  file-2mb       1,000 levels, each promoted to the next 20, with texts as long as fit in
                 2,000,000 bytes: the largest file. Built with `--only handbook` (the
                 diagram and the promotion table)
  longest-texts  12 levels whose summary, path to the next level and one expectation each
                 hold 50,000 characters (1.8 MB)

Each run is a whole, fresh process, so start-up counts as a user would feel it; the
table gives the median seconds and the peak memory (the largest single process, the
command or one of its workers, from wait4). Heavy cases (`levels-1000`, `file-2mb`) run
`--heavy-runs` times, the others `--runs` times.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FILE_LIMIT = 2_000_000
TEXT_LIMIT = 50_000
WORDS = ["the", "team", "ships", "clear", "plans", "measured", "outcomes", "with", "partners", "across"]


@dataclass(frozen=True)
class Case:
    """A generated ladder: `levels` levels, each promoted to the next `fan_out`, with `text`
    characters in its long texts (0: one sentence; None: as many as fit in FILE_LIMIT)."""

    name: str
    levels: int
    fan_out: int
    text: int | None = 0
    only: str = ""
    heavy: bool = False


CASES = {
    case.name: case
    for case in (
        Case("dense-150x30", 150, 30),
        Case("dense-200x50", 200, 50),
        Case("dense-100x20", 100, 20),
        Case("levels-1000", 1000, 1, heavy=True),
        Case("file-2mb", 1000, 20, text=None, only="handbook", heavy=True),
        Case("longest-texts", 12, 1, text=TEXT_LIMIT),
    )
}


def prose(length: int, seed: int) -> str:
    """Return `length` characters of plain words (a sentence when `length` is 0), different per `seed`."""
    if not length:
        return f"Delivers outcome {seed} for the team."
    words = itertools.cycle(WORDS[seed % len(WORDS) :] + WORDS[: seed % len(WORDS)])
    text = ""
    while len(text) < length:
        text += next(words) + " "
    return text[: length - 1].rstrip() + "."


def promotions(case: Case, index: int) -> list[str]:
    """Return the ids level `index` is promoted to."""
    return [f"l{other}" for other in range(index + 1, min(case.levels, index + 1 + case.fan_out))]


def level_yaml(case: Case, index: int, text: int) -> list[str]:
    """Return the lines of one level, its long texts (`text` characters) as quoted YAML scalars."""
    lines = [
        f"  - id: l{index}",
        f"    title: Level {index}",
        f"    short: L{index}",
        f"    code: C{index}",
        f"    summary: {json.dumps(prose(text, index))}",
        f"    experience: {index} years",
        f"    responsibilities: [Owns area {index} end to end., Runs the planning of area {index}.]",
        f"    skills: [Skill {index} in writing., Skill {index} in data.]",
        f"    expectations: [{json.dumps(prose(text, index + 1))}, Raises the bar of level {index}.]",
    ]
    if targets := promotions(case, index):
        lines.append(f"    next: [{', '.join(targets)}]")
        lines.append(f"    path_to_next: {json.dumps(prose(text, index + 2))}")
    return lines


def ladder_yaml(case: Case, text: int) -> str:
    """Return the ladder file of `case`, with `text` characters in its long texts."""
    lines = [
        "schema: 1",
        "ladder:",
        f"  id: {case.name}",
        f"  title: Ladder {case.name}",
        "  organization: Example Co",
        "levels:",
    ]
    for index in range(case.levels):
        lines += level_yaml(case, index, text)
    lines += [
        "tracks:",
        "  - id: top",
        "    name: The top levels",
        f"    levels: [l{case.levels - 1}]",
        "promotion:",
        "  criteria:",
        "    - name: Impact",
        "      description: Work that changed an outcome the company tracks.",
    ]
    return "\n".join(lines) + "\n"


def write_ladder(case: Case, folder: Path) -> Path:
    """Write the ladder of `case` into `folder`, its texts as long as fit in FILE_LIMIT if not given."""
    text = case.text
    if text is None:  # the longest that fits, by bisection
        fits, too_long = 0, TEXT_LIMIT
        while too_long - fits > 1:
            middle = (fits + too_long) // 2
            fits, too_long = (
                (middle, too_long) if len(ladder_yaml(case, middle)) <= FILE_LIMIT else (fits, middle)
            )
        text = fits
    path = folder / f"{case.name}.yaml"
    path.write_text(ladder_yaml(case, text), encoding="utf-8")
    return path


def time_run(command: list[str]) -> tuple[float, float, int]:
    """Return the wall time in seconds, the peak memory in MB and the exit status of one `guide` process.

    A failure is reported, not raised: a ladder at a limit that `guide` refuses is a finding.
    """
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped by wait4; Popen must not wait again
        if process.returncode:
            errors.seek(0)
            message = errors.read().decode(errors="replace")[-2000:]
            print(f"exit {process.returncode}: {' '.join(command)}\n{message}", file=sys.stderr)
    # ru_maxrss is in kilobytes on Linux: the largest of the process and the workers it waited for
    return elapsed, usage.ru_maxrss / 1024, process.returncode


def measure(case: Case, ladder: Path, out: Path, runs: int) -> dict:
    """Return the medians of `guide validate` and `guide build -j 1` on `ladder`."""
    guide = [sys.executable, "-m", "guide"]
    build = [
        *guide,
        "build",
        str(ladder),
        "-o",
        str(out),
        "-j",
        "1",
        *(["--only", case.only] if case.only else []),
    ]
    row: dict = {"case": case.name, "bytes": ladder.stat().st_size, "built": case.only or "all"}
    for step, command in (("validate", [*guide, "validate", str(ladder)]), ("build", build)):
        results = [time_run(command) for _ in range(runs)]
        row[f"{step}_seconds"] = round(statistics.median(seconds for seconds, _, _ in results), 2)
        row[f"{step}_peak_mb"] = round(max(megabytes for _, megabytes, _ in results))
        row[f"{step}_status"] = max(status for _, _, status in results)
    return row


def print_table(rows: list[dict]) -> None:
    header = ("case", "bytes", "built", "validate s", "validate MB", "build -j 1 s", "build MB")
    keys = (
        "case",
        "bytes",
        "built",
        "validate_seconds",
        "validate_peak_mb",
        "build_seconds",
        "build_peak_mb",
    )
    cells = [header, *([_cell(row, key) for key in keys] for row in rows)]
    widths = [max(len(line[column]) for line in cells) for column in range(len(header))]
    for line in cells:
        print("  ".join(cell.rjust(width) for cell, width in zip(line, widths, strict=True)))


def _cell(row: dict, key: str) -> str:
    if key == "bytes":
        return f"{row[key]:,}"
    step = key.split("_")[0]
    if key.endswith("_seconds") and row[f"{step}_status"]:
        return f"{row[key]} (exit {row[f'{step}_status']})"
    return str(row[key])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", default=",".join(CASES), help="cases to run, comma-separated")
    parser.add_argument("--runs", type=int, default=3, help="runs per command (the median is reported)")
    parser.add_argument("--heavy-runs", type=int, default=1, help="runs per command of the heavy cases")
    parser.add_argument("--keep", type=Path, help="write the ladders here and keep them (and their outputs)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    arguments = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        folder = arguments.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        for name in arguments.cases.split(","):
            case = CASES[name]
            ladder = write_ladder(case, folder)
            runs = arguments.heavy_runs if case.heavy else arguments.runs
            rows.append(measure(case, ladder, folder / f"out-{case.name}", runs))
            print(
                f"{name}: validate {rows[-1]['validate_seconds']} s, build {rows[-1]['build_seconds']} s",
                file=sys.stderr,
                flush=True,
            )
    print_table(rows)
    if arguments.json:
        arguments.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
