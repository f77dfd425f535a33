"""Time `guide packets` on generated rosters: packets per second, as the median of fresh-process runs.

usage: python benchmarks/roster.py [--rows 20,100] [--runs 3] [--format docx,pdf] [--json FILE]

Rosters are generated (never committed) for the shipped ladder, one row per
candidate, cycling through every promotion target. Each run is a whole
`guide packets` process, so start-up counts as a user would feel it.
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGETS = [
    "pm",
    "senior-pm",
    "staff-pm",
    "pm-manager",
    "principal-pm",
    "director",
    "distinguished-pm",
    "vp",
    "cpo",
]


def write_roster(path: Path, rows: int) -> None:
    """Write a roster of `rows` candidates, each with an employee id and a manager."""
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["name", "target_level", "manager", "cycle", "employee_id", "department"])
        for number in range(rows):
            target = TARGETS[number % len(TARGETS)]
            writer.writerow(
                [f"Candidate {number}", target, "Dana Lee", "2026 H2", f"E-{number:05d}", "Product"]
            )


def time_run(roster: Path, formats: str, out: Path) -> float:
    """Return the wall time in seconds of one `guide packets` process."""
    command = [
        sys.executable,
        "-m",
        "guide",
        "packets",
        "--roster",
        str(roster),
        "--format",
        formats,
        "-o",
        str(out),
    ]
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", default="20,100", help="roster sizes, comma-separated")
    parser.add_argument("--runs", type=int, default=3, help="runs per size (the median is reported)")
    parser.add_argument("--format", default="docx,pdf", help="formats to write")
    parser.add_argument("--json", type=Path, help="also write the results here")
    arguments = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as scratch:
        for rows in (int(size) for size in arguments.rows.split(",")):
            roster = Path(scratch) / f"roster-{rows}.csv"
            write_roster(roster, rows)
            times = [time_run(roster, arguments.format, Path(scratch) / "out") for _ in range(arguments.runs)]
            median = statistics.median(times)
            results.append({"rows": rows, "format": arguments.format, "median_seconds": round(median, 3),
                            "packets_per_second": round(rows / median, 1)})  # fmt: skip
            rate = rows / median
            print(f"{rows:>6} rows  {arguments.format:<9} median {median:7.2f} s  {rate:7.1f} packets/s")
    if arguments.json:
        arguments.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
