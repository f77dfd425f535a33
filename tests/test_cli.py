"""The command line: exit statuses, where messages go, and `guide init`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import FIXTURES, SHIPPED_LADDER, expected_problems
from guide import __version__
from guide.cli import main

INVALID = FIXTURES / "ladders" / "invalid"


def test_validate_ok(run_guide) -> None:
    result = run_guide("validate", SHIPPED_LADDER)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == f"ok {SHIPPED_LADDER}\n"


def test_validate_with_no_arguments_reads_data_folder(run_guide) -> None:
    result = run_guide("validate")
    assert result.returncode == 0
    assert result.stdout == "ok data/product-management.yaml\n"


def test_bad_ladder_exits_1_with_every_error_on_stderr(run_guide) -> None:
    path = INVALID / "wrong_types.yaml"
    result = run_guide("validate", path)
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 9
    assert all(line.startswith(f"{path}:") for line in lines)
    assert "Traceback" not in result.stderr


def test_errors_of_several_ladders_come_together(run_guide) -> None:
    result = run_guide("validate", INVALID / "unknown_schema.yaml", INVALID / "empty.yaml")
    assert result.returncode == 1
    assert "unknown_schema.yaml:1:9:" in result.stderr and "empty.yaml: file is empty" in result.stderr


def test_missing_file_is_a_message(run_guide, tmp_path: Path) -> None:
    result = run_guide("validate", tmp_path / "nope.yaml")
    assert result.returncode == 1
    assert result.stderr == f"{tmp_path / 'nope.yaml'}: does not exist\n"


def test_wrong_usage_exits_2(run_guide) -> None:
    assert run_guide("build", "--only", "posters").returncode == 2
    assert run_guide("build", "--jobs", "0").returncode == 2
    assert run_guide("frobnicate").returncode == 2
    assert run_guide().returncode == 2


def test_version(run_guide) -> None:
    result = run_guide("--version")
    assert (result.returncode, result.stdout) == (0, f"guide {__version__}\n")


COMMANDS = ("build", "validate", "packets", "export", "schema", "init")


def test_help_of_every_command_has_examples(capsys) -> None:
    for arguments in ([], *([command] for command in COMMANDS)):
        with pytest.raises(SystemExit) as exit:
            main([*arguments, "--help"])
        assert exit.value.code == 0
        assert "examples:\n  guide " in capsys.readouterr().out, arguments


def test_bad_ladder_leaves_existing_outputs_untouched(run_guide, tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "minimal").mkdir(parents=True)
    (out / "minimal" / "handbook.pdf").write_bytes(b"previous")
    result = run_guide(
        "build", FIXTURES / "ladders" / "valid" / "minimal.yaml", INVALID / "promotion_cycle.yaml", "-o", out
    )
    assert result.returncode == 1
    assert (out / "minimal" / "handbook.pdf").read_bytes() == b"previous"
    assert sorted(p.name for p in out.rglob("*")) == ["handbook.pdf", "minimal"]


def test_init_creates_a_project_that_validates(run_guide, tmp_path: Path) -> None:
    result = run_guide("init", tmp_path / "new")
    assert result.returncode == 0
    project = tmp_path / "new"
    assert (project / "data" / "product-management.yaml").read_bytes() == SHIPPED_LADDER.read_bytes()
    # The ladder's first line points editors to the schema beside it.
    assert (project / "data" / "ladder.schema.json").read_bytes() == (
        SHIPPED_LADDER.parent / "ladder.schema.json"
    ).read_bytes()
    assert not (project / "layouts" / "handbook.xml.j2").exists()  # the shipped layouts serve, upgrades too
    assert (project / "layouts" / "theme.yaml").is_file()
    assert run_guide("validate", cwd=project).returncode == 0


def test_init_refuses_to_overwrite(run_guide, tmp_path: Path) -> None:
    assert run_guide("init", tmp_path).returncode == 0
    again = run_guide("init", tmp_path)
    assert again.returncode == 1 and "would overwrite" in again.stderr


def test_text_the_pdf_font_cannot_show_stops_the_build_at_its_place(run_guide, tmp_path: Path) -> None:
    path = FIXTURES / "ladders" / "pdf_unprintable" / "no_font_has_it.yaml"
    expected = expected_problems(path)
    result = run_guide("build", path, "-o", tmp_path / "out")
    assert result.returncode == 1
    assert result.stderr.splitlines() == expected
    assert not (tmp_path / "out").exists()
    assert run_guide("build", path, "-o", tmp_path / "out", "--format", "docx").returncode == 0


def run_on_terminal(*arguments: str | Path, **environment: str) -> tuple[int, str]:
    """Run `python -m guide ARGUMENTS` with stdout and stderr on a terminal; return its status and screen.

    Colour settings of the test's own environment are dropped; `environment` adds its own.
    """
    import fcntl
    import os
    import pty
    import struct
    import subprocess
    import sys
    import termios

    from conftest import ROOT

    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))  # rows, columns
    command = [sys.executable, "-m", "guide", *map(str, arguments)]
    process = subprocess.run(command, cwd=ROOT, stdout=terminal, stderr=terminal, timeout=300,
                             env=without_colour_settings() | environment)  # fmt: skip
    os.close(terminal)
    shown = b""
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(controller)
    return process.returncode, shown.decode()


def without_colour_settings() -> dict[str, str]:
    import os

    return {name: value for name, value in os.environ.items() if name not in ("NO_COLOR", "FORCE_COLOR")}


ANSI = re.compile(r"\x1b\[[0-9;]*m")


def test_a_terminal_sees_each_file_a_progress_bar_and_a_summary(tmp_path: Path) -> None:
    from pypdf import PdfReader

    status, shown = run_on_terminal("build", SHIPPED_LADDER, "--only", "checklists", "-o", tmp_path)
    assert status == 0
    # Each stage says itself before the first file: preparing, then the bar, labelled, at 0.
    assert shown.startswith("preparing the documents...\r\x1b[2K\r")
    first_file = shown.index(str(tmp_path))
    assert re.search(r"drawing: +0%\| +\| 0/20 \[", shown[:first_file])
    for name in ("apm.pdf", "apm.docx", "cpo.pdf"):
        assert f"{tmp_path / 'product-management' / 'checklists' / name}\r\n" in shown
    assert re.search(r"\| +[1-9]\d*/20 \[", shown)  # the bar, redrawn as files are written
    pages = sum(len(PdfReader(path).pages) for path in tmp_path.rglob("*.pdf"))
    summary = f"wrote 20 files ({pages} PDF pages) in "
    assert shown.splitlines()[-1].startswith(f"\x1b[32m{summary}")  # green
    assert ANSI.sub("", shown).splitlines()[-1].startswith(summary)


def test_a_terminal_sees_colour_unless_no_color_is_set() -> None:
    broken = INVALID / "unknown_schema.yaml"
    assert run_on_terminal("validate", SHIPPED_LADDER) == (0, f"\x1b[32mok\x1b[0m {SHIPPED_LADDER}\r\n")
    status, shown = run_on_terminal("validate", broken)
    assert (status, shown) == (1, f"\x1b[31m{expected_problems(broken)[0]}\x1b[0m\r\n")
    for environment in ({"NO_COLOR": "1"}, {"NO_COLOR": "1", "FORCE_COLOR": "1"}):
        assert run_on_terminal("validate", SHIPPED_LADDER, **environment) == (0, f"ok {SHIPPED_LADDER}\r\n")
        assert "\x1b" not in run_on_terminal("validate", broken, **environment)[1]
    # An empty NO_COLOR is no setting at all.
    assert "\x1b[32m" in run_on_terminal("validate", SHIPPED_LADDER, NO_COLOR="")[1]


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path: Path) -> None:
    import subprocess
    import sys

    from conftest import ROOT

    command = [sys.executable, "-m", "guide", "build", SHIPPED_LADDER, "--only", "checklists", "-o", tmp_path]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()  # as `guide build | head -1` does
    errors = process.stderr.read().decode()
    assert process.wait(timeout=300) == 1
    assert first.strip().endswith(b"apm.pdf")
    assert errors == ""


def test_source_date_epoch_dates_every_file_and_a_bad_one_is_refused(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys
    import zipfile

    import docx
    import pypdf

    from conftest import ROOT

    command = [sys.executable, "-m", "guide", "build", SHIPPED_LADDER, "--only", "handbook", "-o", tmp_path]
    environment = os.environ | {"SOURCE_DATE_EPOCH": "1767225600"}  # 2026-01-01 00:00 UTC
    subprocess.run(command, cwd=ROOT, env=environment, check=True, capture_output=True, timeout=300)
    folder = tmp_path / "product-management"
    assert pypdf.PdfReader(folder / "handbook.pdf").metadata["/CreationDate"].startswith("D:20260101000000")
    assert docx.Document(str(folder / "handbook.docx")).core_properties.created.year == 2026
    assert {entry.date_time for entry in zipfile.ZipFile(folder / "handbook.docx").infolist()} == {
        (2026, 1, 1, 0, 0, 0)
    }
    environment["SOURCE_DATE_EPOCH"] = "yesterday"
    refused = subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300)
    assert (refused.returncode, refused.stderr) == (
        1,
        "SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, not 'yesterday'\n",
    )


def test_an_output_folder_that_cannot_be_written_is_a_message_not_a_traceback(
    tmp_path: Path, run_guide
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the output folder should be", "utf-8")
    result = run_guide("build", SHIPPED_LADDER, "--only", "handbook", "-o", blocker)
    assert result.returncode == 1
    assert result.stderr == f"{blocker / 'product-management'}: cannot write: Not a directory\n"


@pytest.fixture
def no_colour_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)


def test_output_that_is_not_a_terminal_has_no_colour(capsys, no_colour_settings) -> None:
    assert main(["validate", str(SHIPPED_LADDER)]) == 0
    assert main(["validate", str(INVALID / "wrong_types.yaml")]) == 1
    captured = capsys.readouterr()
    assert "\x1b" not in captured.out + captured.err
    assert captured.out == f"ok {SHIPPED_LADDER}\n"


def test_force_color_colours_output_that_is_not_a_terminal(capsys, monkeypatch, no_colour_settings) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    broken = INVALID / "unknown_schema.yaml"
    assert main(["validate", str(SHIPPED_LADDER)]) == 0
    assert main(["validate", str(broken)]) == 1
    captured = capsys.readouterr()
    assert captured.out == f"\x1b[32mok\x1b[0m {SHIPPED_LADDER}\n"
    assert captured.err == f"\x1b[31m{expected_problems(broken)[0]}\x1b[0m\n"
    monkeypatch.setenv("NO_COLOR", "1")  # wins over FORCE_COLOR
    assert main(["validate", str(broken)]) == 1
    assert "\x1b" not in capsys.readouterr().err


@pytest.mark.parametrize("where", ["before", "after"])
def test_quiet_prints_nothing_on_success(where: str, tmp_path: Path, capsys) -> None:
    def run(*arguments: str) -> int:
        command, rest = arguments[0], list(arguments[1:])
        return main(["-q", command, *rest] if where == "before" else [command, *rest, "--quiet"])

    assert run("validate") == 0
    assert run("export", "-o", str(tmp_path / "json")) == 0
    assert run("init", str(tmp_path / "project")) == 0
    assert (
        run("build", str(SHIPPED_LADDER), "--only", "checklists", "-o", str(tmp_path / "out"), "-j", "1") == 0
    )
    assert capsys.readouterr() == ("", "")
    assert len(list((tmp_path / "out").rglob("*.pdf"))) == 10


def test_quiet_still_prints_errors(capsys) -> None:
    assert main(["-q", "validate", str(INVALID / "unknown_schema.yaml")]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and "schema 2 is not known" in captured.err


def test_of_quiet_and_verbose_the_last_one_counts(capsys) -> None:
    assert main(["-v", "validate", "-q"]) == 0
    assert capsys.readouterr() == ("", "")
    assert main(["validate", "-q", "-v"]) == 0
    assert "loaded 1 ladder in" in capsys.readouterr().err


def test_verbose_says_what_is_done_and_how_long_it_took(capsys) -> None:
    assert main(["validate", "-v"]) == 0
    captured = capsys.readouterr()
    assert captured.out == "ok data/product-management.yaml\n"
    steps = [re.sub(r"\d+\.\d+ s$", "N s", line) for line in captured.err.splitlines()]
    assert steps == [
        "skipped data/ladder.schema.json: not a ladder (*.yaml, *.yml)",
        "loaded 1 ladder in N s",
        "loaded data/product-management.yaml: 'product-management', 10 levels",
        "checked layouts, theme and fonts in N s",
    ]


SUMMARY = re.compile(r"wrote (\d+) files? \((\d+) PDF pages?\) in \d+\.\d s")


def pdf_pages(paths: list[Path]) -> int:
    from pypdf import PdfReader

    return sum(len(PdfReader(path).pages) for path in paths if path.suffix == ".pdf")


def test_the_summary_counts_the_files_written_and_their_pdf_pages(tmp_path: Path, capsys) -> None:
    arguments = ["build", str(SHIPPED_LADDER), "--only", "checklists,packets", "-o", str(tmp_path), "-j", "1"]
    assert main([*arguments, "-v"]) == 0
    captured = capsys.readouterr()
    written = [Path(line) for line in captured.out.splitlines()]
    assert sorted(written) == sorted(path for path in tmp_path.rglob("*") if path.is_file())
    assert "rendered every document in " in captured.err and "\r" not in captured.err  # no bar
    summary = SUMMARY.fullmatch(captured.err.splitlines()[-1])
    assert summary is not None, captured.err
    assert (int(summary[1]), int(summary[2])) == (len(written), pdf_pages(written))
    assert main(arguments) == 0  # no terminal, not verbose: stdout lists files, stderr stays empty
    assert capsys.readouterr().err == ""


def test_the_summary_of_a_roster_counts_the_pages_of_filled_packets(tmp_path: Path, capsys) -> None:
    roster = FIXTURES / "rosters" / "cycle_mixed.csv"
    assert main(["packets", "--roster", str(roster), "-o", str(tmp_path), "-v", "-j", "1"]) == 1
    captured = capsys.readouterr()
    written = [Path(line) for line in captured.out.splitlines()]
    summaries = [SUMMARY.fullmatch(line) for line in captured.err.splitlines()]
    (summary,) = [match for match in summaries if match]
    assert (int(summary[1]), int(summary[2])) == (len(written), pdf_pages(written))
    assert "skipped 3 bad rows" in captured.err


def test_validate_loads_no_writer_library() -> None:
    import subprocess
    import sys

    from conftest import ROOT

    program = "import sys; from guide.cli import main; main(['-q', 'validate']); print(*sorted(sys.modules))"
    result = subprocess.run([sys.executable, "-c", program], cwd=ROOT, capture_output=True, text=True,
                            timeout=300, check=True)  # fmt: skip
    top_level = {name.split(".")[0] for name in result.stdout.split()}
    assert "guide" in top_level
    assert top_level & {"reportlab", "docx", "lxml", "PIL"} == set()


def test_the_writers_load_no_yaml_reader() -> None:
    """Writers read the theme's data (`guide.theme`); its reader (`guide.themefile`) brings PyYAML."""
    import subprocess
    import sys

    from conftest import ROOT

    program = "import sys, guide.writers.pdf, guide.writers.word, guide.writing; print(*sorted(sys.modules))"
    result = subprocess.run([sys.executable, "-c", program], cwd=ROOT, capture_output=True, text=True,
                            timeout=300, check=True)  # fmt: skip
    loaded = set(result.stdout.split())
    assert {"guide.writers.pdf.writer", "guide.writers.word.writer", "guide.theme"} <= loaded
    assert {"yaml", "guide.themefile", "guide.yamlfile"} & loaded == set()


def test_export_to_stdout_takes_one_ladder(run_guide) -> None:
    result = run_guide("export", SHIPPED_LADDER, FIXTURES / "ladders" / "valid" / "minimal.yaml", "-o", "-")
    assert (result.returncode, result.stdout) == (2, "")


def test_the_summary_counts_the_pages_the_writers_counted(run_guide, tmp_path: Path) -> None:
    from guide.console import Tally
    from guide.writing import Written

    tally = Tally()
    for written in (
        Written(tmp_path / "a.pdf", 3),
        Written(tmp_path / "a.docx", None),
        Written(tmp_path / "b.pdf", 1),
    ):
        tally.add(written)
    assert re.fullmatch(r"wrote 3 files \(4 PDF pages\) in \d+\.\d s", tally.summary())
    result = run_guide("-v", "build", SHIPPED_LADDER, "-o", tmp_path / "out", "--only", "handbook")
    pages = sum(len(PdfReader(path).pages) for path in (tmp_path / "out").rglob("*.pdf"))
    assert f"wrote 2 files ({pages} PDF pages)" in result.stderr


def test_a_ladder_is_named_by_its_id_or_file_stem_and_a_wrong_one_lists_those_there(
    run_guide, tmp_path: Path
) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "pm.yaml").write_bytes(SHIPPED_LADDER.read_bytes())  # id: product-management
    (tmp_path / "data" / "draft.yaml").write_text("schema: 1\n", "utf-8")
    for name in ("product-management", "pm"):
        result = run_guide("validate", name, cwd=tmp_path)
        assert (result.returncode, result.stdout, result.stderr) == (0, "ok data/pm.yaml\n", "")
    listed = "data/draft.yaml (not valid: see 'guide validate'), product-management (data/pm.yaml)"
    for arguments in (
        ["validate", "engineering"],
        ["packets", "--roster", "r.csv", "--ladder", "engineering"],
    ):
        result = run_guide(*arguments, cwd=tmp_path)
        assert (result.returncode, result.stdout) == (1, "")
        assert result.stderr == f"no ladder 'engineering' in data/: the ladders are {listed}\n"
    (tmp_path / "data" / "draft.yaml").unlink()
    (tmp_path / "data" / "pm.yaml").unlink()
    result = run_guide("export", "engineering", "-o", "-", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("no ladder 'engineering' in data/, which holds no ladder file:")


def test_packets_take_the_ladder_by_its_id(tmp_path: Path, capsys, monkeypatch) -> None:
    import docx

    roster = tmp_path / "roster.csv"
    roster.write_text("name,target_level\nZoë Martin,senior-pm\n", "utf-8")
    arguments = ["packets", "--roster", str(roster), "--ladder", "product-management", "--format", "docx"]
    assert main([*arguments, "-o", str(tmp_path / "out"), "-j", "1"]) == 0
    (written,) = [Path(line) for line in capsys.readouterr().out.splitlines()]
    assert written.parent == tmp_path / "out" / "product-management" / "roster"
    assert "Zoë Martin" in docx.Document(str(written)).element.xml


SECONDS = re.compile(r"wrote 1 file in (\d+\.\d) s")


def test_the_summary_time_runs_from_the_start_of_the_command(tmp_path: Path, capsys, monkeypatch) -> None:
    import time

    from guide import build

    load_ladders = build.load_ladders

    def slow_load(paths: list[Path]) -> object:
        time.sleep(1.0)  # as a large ladder takes, before any file is written
        return load_ladders(paths)

    monkeypatch.setattr(build, "load_ladders", slow_load)
    assert main(["export", str(SHIPPED_LADDER), "-o", str(tmp_path), "-v"]) == 0
    summary = SECONDS.fullmatch(capsys.readouterr().err.splitlines()[-1])
    assert summary is not None and float(summary[1]) >= 1.0


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="only Linux tells when a process started")
def test_the_summary_time_of_the_guide_command_runs_from_the_start_of_its_process(tmp_path: Path) -> None:
    """Python's start and the imports count too: the time is the one the person waited."""
    import subprocess
    import sys

    from conftest import ROOT

    arguments = ["guide", "export", str(SHIPPED_LADDER), "-o", str(tmp_path), "-v"]
    program = f"import sys, time; time.sleep(1.0); sys.argv = {arguments!r}; import guide.__main__"
    result = subprocess.run(
        [sys.executable, "-c", program], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    summary = SECONDS.fullmatch(result.stderr.splitlines()[-1])
    assert summary is not None and float(summary[1]) >= 1.0, result.stderr


def test_the_readme_says_which_python_guide_needs_and_how_to_set_up_on_windows() -> None:
    import tomllib

    from conftest import ROOT

    needed = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["requires-python"]
    assert needed == ">=3.11"
    set_up = (ROOT / "README.md").read_text("utf-8").split("## Set up", 1)[1].split("\n## ", 1)[0]
    assert "Python 3.11 or newer" in set_up
    assert "py -3.11 -m venv .venv; .venv\\Scripts\\pip install -q .; .venv\\Scripts\\guide build" in set_up
    assert "py -3.11 -m venv .venv; .venv\\Scripts\\pip install -q -e '.[test]'" in set_up
