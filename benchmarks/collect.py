"""Time `guide collect` on a generated cycle: filled packets read per second, medians of fresh processes.

usage: python benchmarks/collect.py [--rows 1000] [--runs 3] [--formats pdf docx] [--json FILE]

A roster of `rows` candidates is written and its packets made with `guide packets`
(the roster's values are in their fields); a tenth of them then get answers typed
by pypdf or python-docx (a decision, a case summary, a sign-off date), as a
client leaves them. Each run is a whole `guide collect` process over the folder,
start-up included, writing the summaries and the committee pack; the time its
reading of the files took (what `-v` says: "read N files in") is reported beside it.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from roster import write_roster

ROOT = Path(__file__).resolve().parents[1]
ANSWERS = {
    "decision": "Approved",
    "decision_date": "2026-11-30",
    "case_summary": "Led the relaunch.\nGrew revenue.",
    "signoff_manager_date": "2026-11-28",
}


def make_cycle(folder: Path, rows: int, formats: str) -> Path:
    """Make the packets of a `rows`-row roster in `formats` below `folder`; answer a tenth; return them."""
    folder.mkdir()
    roster = folder / "roster.csv"
    write_roster(roster, rows)
    command = [sys.executable, "-m", "guide", "-q", "packets", "--roster", str(roster), "--format", formats]
    subprocess.run([*command, "-o", str(folder / "out")], cwd=ROOT, check=True)
    (returned,) = (folder / "out").glob("*/roster")
    for number, path in enumerate(sorted(returned.iterdir())):
        if number % 10 == 0:
            _answer(path)
    return returned


def _answer(path: Path) -> None:
    if path.suffix == ".pdf":
        import pypdf

        logging.getLogger("pypdf").setLevel(logging.ERROR)  # its word on fonts, for every packet
        writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(path))
        for page in writer.pages:
            writer.update_page_form_field_values(page, ANSWERS, auto_regenerate=False)
        writer.write(path)
        return
    import docx
    from docx.oxml.ns import qn

    document = docx.Document(path)
    for control in document.element.body.iter(qn("w:sdt")):
        tag = control.find(f"{qn('w:sdtPr')}/{qn('w:tag')}").get(qn("w:val"))
        if tag in ANSWERS:
            control.find(f".//{qn('w:t')}").text = ANSWERS[tag]
    document.save(path)


def time_run(returned: Path, out: Path) -> tuple[float, float]:
    """Return the wall time in seconds of one `guide collect` process over `returned`, and of its reading."""
    started = time.perf_counter()
    command = [sys.executable, "-m", "guide", "-v", "collect", str(returned), "-o", str(out)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)  # problems: exit status 1
    elapsed = time.perf_counter() - started
    reading = re.search(r"^read [0-9]+ files in ([0-9.]+) s$", done.stderr, re.MULTILINE)
    if reading is None:
        raise SystemExit(f"guide collect failed: {done.stderr[-2000:]}")
    return elapsed, float(reading[1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1000, help="candidates in the cycle")
    parser.add_argument("--runs", type=int, default=3, help="runs per case (the median is reported)")
    parser.add_argument("--formats", nargs="+", default=["pdf", "docx"], help="cases to time")
    parser.add_argument("--json", type=Path, help="also write the results here")
    arguments = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as scratch:
        for formats in arguments.formats:
            returned = make_cycle(Path(scratch) / formats, arguments.rows, formats)
            runs = [time_run(returned, Path(scratch) / "committee") for _ in range(arguments.runs)]
            median = statistics.median(seconds for seconds, _ in runs)
            reading = statistics.median(read for _, read in runs)
            rate = arguments.rows / reading
            results.append({"rows": arguments.rows, "format": formats, "median_seconds": round(median, 3),
                            "median_reading_seconds": reading,
                            "packets_read_per_second": round(rate, 1)})  # fmt: skip
            print(f"{arguments.rows:>6} {formats:<5} packets  read in {reading:6.2f} s ({rate:6.1f}/s)  "
                  f"whole command, committee pack included: {median:7.2f} s")  # fmt: skip
    if arguments.json:
        arguments.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
