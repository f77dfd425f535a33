"""Time `guide packets` on generated rosters: packets per second and peak memory, medians of fresh processes.

usage: python benchmarks/roster.py [--rows 100,1000] [--runs 3] [--formats docx pdf docx,pdf] [--json FILE]

Rosters are generated (never committed) for the shipped ladder, one row per
candidate, cycling through every promotion target. Each run is a whole
`guide packets` process, so start-up counts as a user would feel it.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
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


def time_run(roster: Path, formats: str, out: Path) -> tuple[float, float]:
    """Return the wall time in seconds and the peak memory in MB of one `guide packets` process."""
    command = [sys.executable, "-m", "guide", "packets", "--roster", str(roster), "--format", formats]
    started = time.perf_counter()
    process = subprocess.Popen([*command, "-o", str(out)], cwd=ROOT, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if status:
        raise SystemExit(f"guide packets failed: {' '.join(command)}")
    return elapsed, usage.ru_maxrss / 1024  # kilobytes on Linux; the largest of the process and its workers


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", default="100,1000", help="roster sizes, comma-separated")
    parser.add_argument("--runs", type=int, default=3, help="runs per case (the median is reported)")
    parser.add_argument("--formats", nargs="+", default=["docx", "pdf", "docx,pdf"], help="cases to time")
    parser.add_argument("--json", type=Path, help="also write the results here")
    arguments = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as scratch:
        for rows in (int(size) for size in arguments.rows.split(",")):
            roster = Path(scratch) / f"roster-{rows}.csv"
            write_roster(roster, rows)
            for formats in arguments.formats:
                runs = [time_run(roster, formats, Path(scratch) / "out") for _ in range(arguments.runs)]
                median = statistics.median(seconds for seconds, _ in runs)
                peak = max(megabytes for _, megabytes in runs)
                rate = rows / median
                results.append({"rows": rows, "formats": formats, "median_seconds": round(median, 3),
                                "packets_per_second": round(rate, 1), "peak_mb": round(peak)})  # fmt: skip
                print(f"{rows:>6} rows  {formats:<9} median {median:7.2f} s  "
                      f"{rate:7.1f} packets/s  peak {peak:5.0f} MB")  # fmt: skip
    if arguments.json:
        arguments.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
