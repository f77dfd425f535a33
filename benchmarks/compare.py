"""Time `guide` beside its peer tools on the same content: medians of fresh processes, paired ratios, memory.

usage: .venv/bin/python benchmarks/compare.py [--quick] [--cases build,handbook,scale,roster,docxtpl]
           [--runs 3] [--heavy-runs 1] [--warmup 1] [--scales 10,100] [--rows 100,1000,10000]
           [--formats docx,pdf] [--docxtpl-rows 200] [--peers /tmp/peers] [--inputs DIR] [--json FILE]

What it measures, each run a whole process (start-up counts, as a user feels it):

  handbook  the handbook PDF alone (`--only handbook --format pdf`) of the peers' 9-level sample
            ladder, beside the bare reportlab script, WeasyPrint and Typst on the same content
  build     the full `guide build` of data/product-management.yaml (every product and format), with
            the default jobs and with `-j 1`, beside the bare reportlab handbook of the sample ladder
  scale     the 90-level (x10) and 900-level (x100) handbooks, beside reportlab and Typst
  roster    `guide packets` on generated rosters of the shipped ladder, `--format docx` and `pdf`
  docxtpl   200 Word packets filled by guide and by docxtpl from the peers' roster, per packet

Commands of a case run in rounds (A B A B ...), and a ratio is the median of the round-by-round
ratios, so drift on a shared machine cancels out. Peak memory is measured two ways: `peak MB`,
the largest single process (the command or one of its workers, from wait4), and `tree MB`, the
sum of proportional set sizes over the whole process tree, sampled every 0.1 s from /proc.

Peers run from their own virtualenv (default /tmp/peers; see benchmarks/README.md); without it,
or without one of its libraries, those rows are skipped with a note. The defaults take about
seven minutes on two idle cores, most of it in the x100 ladder and the 10,000-row roster (one
run each, `--heavy-runs`); `--quick` is a smoke run of under a minute (one round, x10, 100 rows).
"""

from __future__ import annotations

import argparse
import datetime
import importlib.util
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from roster import write_roster

ROOT = Path(__file__).resolve().parents[1]
PEER_SCRIPTS = ROOT.parent / "shared" / "bench"
PEERS = Path("/tmp/peers")
PEER_LIBRARIES = ("reportlab", "weasyprint", "typst", "docxtpl")  # each peer tool is named after its library
PEER_SETUP = """\
python3 -m venv {peers}
{peers}/bin/pip install reportlab python-docx jinja2 pyyaml weasyprint docxtpl typst pypandoc-binary"""
CASES = ("handbook", "build", "scale", "roster", "docxtpl")
HEAVY_SCALE = 100
HEAVY_ROWS = 10_000
SAMPLE_SECONDS = 0.1


@dataclass(frozen=True)
class Command:
    """One program to time: its label in the table, the program it runs, its arguments and what it writes."""

    tool: str
    program: str
    argv: tuple[str, ...]
    output: Path


@dataclass(frozen=True)
class Run:
    """One timed process: wall seconds, the largest single process and the sampled whole-tree memory."""

    seconds: float
    peak_mb: float
    tree_mb: float


@dataclass
class Case:
    """Commands timed in rounds on the same work; `reference` is the tool ratios divide by."""

    key: str
    work: str
    commands: list[Command]
    runs: int
    reference: str | None = None
    packets: int = 0
    results: dict[str, list[Run]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


class CommandFailed(Exception):
    """A timed command ended with a non-zero status."""

    def __init__(self, command: Command, message: str) -> None:
        super().__init__(message)
        self.command = command


class TreeMemory(threading.Thread):
    """Samples the summed memory of a process and all its descendants until told to stop."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_mb = 0.0
        self.stopped = threading.Event()

    def run(self) -> None:
        """Sample every SAMPLE_SECONDS, keeping the largest sum seen."""
        while not self.stopped.is_set():
            total = sum(process_megabytes(pid) for pid in process_tree(self.pid))
            self.peak_mb = max(self.peak_mb, total)
            self.stopped.wait(SAMPLE_SECONDS)

    def stop(self) -> float:
        """Stop sampling and return the peak in MB."""
        self.stopped.set()
        self.join()
        return self.peak_mb


def process_tree(root: int) -> list[int]:
    """Return `root` and every live descendant, read from /proc/<pid>/task/<tid>/children."""
    found, pending = [], [root]
    while pending:
        pid = pending.pop()
        found.append(pid)
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                children = Path(f"/proc/{pid}/task/{task}/children").read_text()
                pending.extend(int(child) for child in children.split())
        except OSError:
            continue
    return found


def process_megabytes(pid: int) -> float:
    """Return the proportional set size of `pid` in MB (shared pages counted once), 0 if it is gone."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return 0.0


def measure(command: Command) -> Run:
    """Run `command` once in a fresh process, into an empty output, and return its time and memory."""
    if command.output.is_dir():
        shutil.rmtree(command.output)
    command.output.unlink(missing_ok=True)
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(command.argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=errors)
        sampler = TreeMemory(process.pid)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        tree_mb = sampler.stop()
        process.returncode = status  # reaped by wait4; keeps Popen from waiting again
        if status:
            errors.seek(0)
            tail = errors.read().decode(errors="replace").strip().splitlines()[-3:]
            raise CommandFailed(command, f"{' '.join(command.argv)} failed: {' / '.join(tail)}")
    # ru_maxrss is in kilobytes on Linux: the largest of the process and its waited-for workers
    return Run(elapsed, usage.ru_maxrss / 1024, tree_mb)


def run_case(case: Case, warmup: int, warmed: set[str]) -> None:
    """Time the commands of `case` in rounds (A B A B ...), first warming up each program not run yet."""
    print(f"{case.work}: {case.runs} round(s) of {', '.join(c.tool for c in case.commands)}", flush=True)
    active = list(case.commands)
    for command in case.commands:
        if command.program not in warmed:
            warmed.add(command.program)  # untimed, so first-run effects (disk cache, font cache) stay out
            for _ in range(warmup):
                if command in active:
                    active = run_or_drop(case, active, command, record=False)
    for _ in range(case.runs):
        for command in list(active):
            active = run_or_drop(case, active, command, record=True)


def run_or_drop(case: Case, active: list[Command], command: Command, record: bool) -> list[Command]:
    """Run `command` once, keeping its run if `record`; return the commands still to run after it."""
    try:
        run = measure(command)
    except CommandFailed as failure:
        return drop_failed(case, active, failure)
    if record:
        case.results.setdefault(command.tool, []).append(run)
    return active


def drop_failed(case: Case, active: list[Command], failure: CommandFailed) -> list[Command]:
    """Stop on a failing guide; otherwise note the failing peer and return the commands left to run."""
    failed = failure.command
    if failed.program == "guide":
        raise SystemExit(str(failure))
    case.notes.append(f"{failed.tool} skipped: {failure}")
    case.results.pop(failed.tool, None)
    return [command for command in active if command is not failed]


def paired_ratio(case: Case | None, numerator: str, denominator: str) -> float | None:
    """Return the median of round-by-round ratios of two tools of `case`, None if either was not run."""
    tops, bottoms = (case.results.get(numerator), case.results.get(denominator)) if case else (None, None)
    if not tops or not bottoms:
        return None
    return statistics.median(top.seconds / bottom.seconds for top, bottom in zip(tops, bottoms, strict=False))


def median_seconds(case: Case | None, tool: str) -> float | None:
    """Return the median wall time of `tool` in `case`, None if it was not run."""
    runs = case.results.get(tool) if case else None
    return statistics.median(run.seconds for run in runs) if runs else None


def guide_command(*arguments: str, output: Path, tool: str = "guide") -> Command:
    """Return a `guide` command run with this interpreter, as benchmarks/roster.py does."""
    return Command(tool, "guide", (sys.executable, "-m", "guide", *arguments, "-o", str(output)), output)


def peer_command(tool: str, peers: Path, script: str, *arguments: Path) -> Command:
    """Return a peer script run with the peers' interpreter; its output is the last argument."""
    argv = (str(peers / "bin" / "python"), str(PEER_SCRIPTS / script), *map(str, arguments))
    return Command(tool, tool, argv, arguments[-1])


def available_peers(peers: Path) -> set[str]:
    """Return the peer libraries the peers' virtualenv can import, printing how to set it up if needed."""
    python = peers / "bin" / "python"
    found = set()
    if python.exists() and PEER_SCRIPTS.is_dir():
        for tool in PEER_LIBRARIES:
            check = [str(python), "-c", f"import {tool}"]
            if subprocess.run(check, capture_output=True).returncode == 0:
                found.add(tool)
    missing = sorted(set(PEER_LIBRARIES) - found)
    if missing:
        print(f"note: no {', '.join(missing)} in {peers} (scripts: {PEER_SCRIPTS}); their rows are skipped.")
        print("Set the peers up with:\n" + PEER_SETUP.format(peers=peers) + "\n", flush=True)
    return found


def make_inputs(inputs: Path, peers: Path, rows: int) -> None:
    """Write the peers' ladders (x1, x10, x100, both formats), roster and docxtpl template under `inputs`."""
    python = peers / "bin" / "python"
    interpreter = str(python) if python.exists() else sys.executable  # guide's has pyyaml and python-docx
    command = [interpreter, str(PEER_SCRIPTS / "make_inputs.py"), "--rows", str(rows), "--out", str(inputs)]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)


def handbook_cases(arguments: argparse.Namespace, inputs: Path, out: Path, peers: set[str]) -> list[Case]:
    """Return the handbook PDF cases: the sample ladder and its scaled copies, guide beside its peers."""
    scales = [1] if "handbook" in arguments.cases else []
    scales += [factor for factor in arguments.scales if "scale" in arguments.cases]
    cases = []
    for factor in scales:
        ladder = inputs / f"ladder_x{factor}"
        only_handbook = ("--only", "handbook", "--format", "pdf")
        commands = [guide_command("build", f"{ladder}.guide.yaml", *only_handbook, output=out / "guide")]
        tools = ["reportlab", "weasyprint", "typst"] if factor == 1 else ["reportlab", "typst"]
        for tool in (tool for tool in tools if tool in peers):
            script, pdf = f"render_{tool}.py", out / f"{tool}.pdf"
            commands.append(peer_command(tool, arguments.peers, script, Path(f"{ladder}.yaml"), pdf))
        runs = arguments.heavy_runs if factor >= HEAVY_SCALE else arguments.runs
        cases.append(
            Case(f"x{factor}", f"handbook pdf x{factor} ({9 * factor} levels)", commands, runs, "reportlab")
        )
    return cases


def build_case(arguments: argparse.Namespace, inputs: Path, out: Path, peers: set[str]) -> Case:
    """Return the full build of the shipped ladder, default jobs and -j 1, beside the reportlab handbook."""
    ladder = str(ROOT / "data" / "product-management.yaml")
    commands = [guide_command("build", ladder, output=out / "build", tool="guide build")]
    if not arguments.quick:
        commands.append(
            guide_command("build", ladder, "-j", "1", output=out / "build-1", tool="guide build -j 1")
        )
    if "reportlab" in peers:
        sample, pdf = inputs / "ladder_x1.yaml", out / "reportlab.pdf"
        commands.append(peer_command("reportlab", arguments.peers, "render_reportlab.py", sample, pdf))
    return Case("build", "full build, shipped ladder", commands, arguments.runs, "reportlab")


def roster_cases(arguments: argparse.Namespace, out: Path) -> list[Case]:
    """Return `guide packets` on generated rosters of the shipped ladder, one case per size."""
    cases, ladder = [], str(ROOT / "data" / "product-management.yaml")
    for rows in arguments.rows:
        roster = out / f"roster-{rows}.csv"
        write_roster(roster, rows)
        commands = []
        for kind in arguments.formats:
            packets = ("packets", "--roster", str(roster), "--ladder", ladder, "--format", kind)
            commands.append(guide_command(*packets, output=out / f"roster-{kind}", tool=f"guide {kind}"))
        runs = arguments.heavy_runs if rows >= HEAVY_ROWS else arguments.runs
        cases.append(Case(f"roster {rows}", f"roster {rows:,} rows", commands, runs, packets=rows))
    return cases


def docxtpl_case(arguments: argparse.Namespace, inputs: Path, out: Path, peers: set[str]) -> Case:
    """Return Word packets filled from the peers' roster by docxtpl and by guide, on the sample ladder."""
    commands = []
    if "docxtpl" in peers:
        fill = (inputs / "ladder_x1.yaml", inputs / "roster.csv", inputs / "packet_docxtpl.docx")
        commands.append(peer_command("docxtpl", arguments.peers, "roster_docxtpl.py", *fill, out / "docxtpl"))
    roster, ladder = inputs / "roster.guide.csv", inputs / "ladder_x1.guide.yaml"
    packets = ("packets", "--roster", str(roster), "--ladder", str(ladder), "--format", "docx")
    commands.append(guide_command(*packets, output=out / "guide-docx", tool="guide docx"))
    rows = arguments.docxtpl_rows
    return Case("word", f"word packets {rows} rows", commands, arguments.runs, packets=rows)


def table_rows(cases: list[Case]) -> list[dict]:
    """Return one result row per tool of every case: medians, ratio to the reference, peaks, packets/s."""
    rows = []
    for case in cases:
        for tool, runs in case.results.items():
            median = statistics.median(run.seconds for run in runs)
            ratio = paired_ratio(case, tool, case.reference) if case.reference else None
            row = {
                "work": case.work,
                "tool": tool,
                "runs": len(runs),
                "median_seconds": round(median, 3),
                "ratio_to_reportlab": None if ratio is None else round(ratio, 2),
                "peak_mb": round(max(run.peak_mb for run in runs)),
                "tree_mb": round(max(run.tree_mb for run in runs)),
                "seconds": [round(run.seconds, 3) for run in runs],
            }
            if case.packets:
                row["packets_per_second"] = round(case.packets / median, 1)
            rows.append(row)
    return rows


def target(name: str, value: float | None, limit: float, at_most: bool = True) -> dict:
    """Return a target with its measured value and whether it is met (None when not measured)."""
    met = None if value is None else (value <= limit if at_most else value >= limit)
    shown = None if value is None else round(value, 2)
    return {"target": name, "value": shown, "limit": f"{'<=' if at_most else '>='} {limit:g}", "met": met}


def pdf_packets_per_second(cases: list[Case]) -> float | None:
    """Return the PDF packets per second of the largest roster measured, None without one."""
    rosters = [case for case in cases if case.key.startswith("roster") and "guide pdf" in case.results]
    largest = max(rosters, key=lambda case: case.packets, default=None)
    return largest.packets / median_seconds(largest, "guide pdf") if largest else None


def largest_peak_mb(case: Case | None) -> float | None:
    """Return the larger of the single-process and whole-tree peaks over every run of `case`."""
    if case is None or not case.results:
        return None
    return max(max(run.peak_mb, run.tree_mb) for runs in case.results.values() for run in runs)


def check_targets(cases: list[Case]) -> list[dict]:
    """Return the performance targets of the issue, each with its measured value."""
    by_key = {case.key: case for case in cases}
    x10, x100 = (median_seconds(by_key.get(key), "guide") for key in ("x10", "x100"))
    pdf_rate = pdf_packets_per_second(cases)
    return [
        target(
            "handbook pdf x1: guide / reportlab", paired_ratio(by_key.get("x1"), "guide", "reportlab"), 1.2
        ),
        target(
            "handbook pdf x1: weasyprint / guide",
            paired_ratio(by_key.get("x1"), "weasyprint", "guide"),
            3,
            False,
        ),
        target("full build / reportlab x1", paired_ratio(by_key.get("build"), "guide build", "reportlab"), 4),
        target("handbook pdf x10: guide / typst", paired_ratio(by_key.get("x10"), "guide", "typst"), 2.5),
        target(
            "word packets: docxtpl / guide",
            paired_ratio(by_key.get("word"), "docxtpl", "guide docx"),
            20,
            False,
        ),
        target("pdf packets per second, largest roster", pdf_rate, 100, False),
        target(
            f"{HEAVY_ROWS:,}-row roster peak MB", largest_peak_mb(by_key.get(f"roster {HEAVY_ROWS}")), 300
        ),
        target("handbook pdf x100 / x10, medians", x100 / x10 if x10 and x100 else None, 11),
    ]


def print_table(rows: list[dict]) -> None:
    """Print the results: work, tool, runs, median seconds, ratio to reportlab, peak and tree MB, rate."""
    width = max((len(row["work"]) for row in rows), default=4)
    header = ("work", "tool", "runs", "median s", "/ reportlab", "peak MB", "tree MB", "rate")
    print(f"\n{{:<{width}}} {{:<17}} {{:>4}} {{:>9}} {{:>11}} {{:>8}} {{:>8}}  {{}}".format(*header))
    for row in rows:
        ratio = "" if row["ratio_to_reportlab"] is None else f"{row['ratio_to_reportlab']:.2f}x"
        rate = f"{row['packets_per_second']:,.0f} packets/s" if "packets_per_second" in row else ""
        cells = (row["work"], row["tool"], row["runs"], row["median_seconds"], ratio)
        print(f"{{:<{width}}} {{:<17}} {{:>4}} {{:>9.2f}} {{:>11}}".format(*cells), end=" ")
        print(f"{row['peak_mb']:>8} {row['tree_mb']:>8}  {rate}")


def print_targets(targets: list[dict], notes: list[str]) -> None:
    """Print every target as met, missed or not measured, then the notes on skipped rows."""
    print()
    for item in targets:
        verdict = {True: "met", False: "MISSED", None: "not measured"}[item["met"]]
        value = "-" if item["value"] is None else f"{item['value']:g}"
        print(f"{verdict:<13} {item['target']:<40} {value:>8}  (target {item['limit']})")
    for note in notes:
        print(f"note: {note}")


def machine() -> dict:
    """Return what the results depend on: the guide commit, the Python, the cores and the load."""
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    changes = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True)
    return {
        "guide_commit": commit.stdout.strip(),
        "uncommitted_changes": bool(changes.stdout.strip()),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average": [round(load, 2) for load in os.getloadavg()],
    }


def parse_arguments() -> argparse.Namespace:
    """Return the command line; --quick narrows it to one run of the small cases."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", default=",".join(CASES), help=f"cases to run, from {','.join(CASES)}")
    parser.add_argument("--runs", type=int, default=3, help="rounds per case (medians are reported)")
    parser.add_argument("--heavy-runs", type=int, default=1, help="rounds of the x100 ladder and 10,000 rows")
    parser.add_argument(
        "--warmup", type=int, default=1, help="untimed runs of each program before it is timed"
    )
    parser.add_argument("--scales", default="10,100", help="scaled ladders for the scale case")
    parser.add_argument("--rows", default="100,1000,10000", help="roster sizes for the roster case")
    parser.add_argument("--formats", default="docx,pdf", help="packet formats for the roster case")
    parser.add_argument("--docxtpl-rows", type=int, default=200, help="roster rows for guide beside docxtpl")
    parser.add_argument("--peers", type=Path, default=PEERS, help="the peers' virtualenv")
    parser.add_argument(
        "--inputs", type=Path, help="where to write the peers' inputs (default: a temporary one)"
    )
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument(
        "--quick", action="store_true", help="smoke run: one round of small cases, no warm-up"
    )
    arguments = parser.parse_args()
    if arguments.quick:
        arguments.runs, arguments.heavy_runs, arguments.warmup = 1, 1, 0
        arguments.scales, arguments.rows, arguments.docxtpl_rows = "10", "100", 20
    arguments.cases = [case for case in arguments.cases.split(",") if case]
    unknown = set(arguments.cases) - set(CASES)
    if unknown:
        parser.error(f"unknown cases {', '.join(sorted(unknown))}; choose from {', '.join(CASES)}")
    arguments.scales = [int(factor) for factor in arguments.scales.split(",") if factor]
    arguments.rows = [int(rows) for rows in arguments.rows.split(",") if rows]
    arguments.formats = [kind for kind in arguments.formats.split(",") if kind]
    return arguments


def plan_cases(arguments: argparse.Namespace, inputs: Path, out: Path, peers: set[str]) -> list[Case]:
    """Return the chosen cases in the order they run: small handbook, full build, scaled, rosters, docxtpl."""
    handbooks = handbook_cases(arguments, inputs, out, peers)
    small = [case for case in handbooks if case.key == "x1"]
    cases = small + ([build_case(arguments, inputs, out, peers)] if "build" in arguments.cases else [])
    cases += [case for case in handbooks if case.key != "x1"]
    cases += roster_cases(arguments, out) if "roster" in arguments.cases else []
    cases += [docxtpl_case(arguments, inputs, out, peers)] if "docxtpl" in arguments.cases else []
    return cases


def write_json(path: Path, arguments: argparse.Namespace, about: dict, elapsed: float, results: dict) -> None:
    """Write the settings, the machine and the results to `path`, to compare runs over time."""
    settings = {
        key: str(value) if isinstance(value, Path) else value for key, value in vars(arguments).items()
    }
    date = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    report = {
        "date": date,
        "machine": about,
        "settings": settings,
        "seconds_in_all": round(elapsed),
        **results,
    }
    path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


def main() -> None:
    arguments = parse_arguments()
    if importlib.util.find_spec("guide") is None:
        raise SystemExit(f"guide is not importable from {sys.executable}: run with .venv/bin/python")
    peers = available_peers(arguments.peers)
    started, about = time.perf_counter(), machine()
    with tempfile.TemporaryDirectory(prefix="guide-bench-") as scratch:
        out = Path(scratch)
        inputs = arguments.inputs or out / "inputs"
        make_inputs(inputs, arguments.peers, arguments.docxtpl_rows)
        cases, warmed = plan_cases(arguments, inputs, out, peers), set()
        for case in cases:
            run_case(case, arguments.warmup, warmed)
    rows, targets = table_rows(cases), check_targets(cases)
    notes = [note for case in cases for note in case.notes]
    missing = [tool for tool in PEER_LIBRARIES if tool not in peers]
    notes += [f"not in {arguments.peers}, so not run: {', '.join(missing)}"] if missing else []
    print_table(rows)
    print_targets(targets, notes)
    elapsed = time.perf_counter() - started
    print(f"\n{elapsed:.0f} s in all; load average now", ", ".join(f"{load:.2f}" for load in os.getloadavg()))
    if arguments.json:
        results = {"results": rows, "targets": targets, "notes": notes}
        write_json(arguments.json, arguments, about, elapsed, results)


if __name__ == "__main__":
    main()
