"""The command line: exit statuses, where messages go, and `guide init`."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import FIXTURES, SHIPPED_LADDER, expected_problems
from guide import __version__

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
    assert result.stderr == f"{tmp_path / 'nope.yaml'}: cannot read: No such file or directory\n"


def test_wrong_usage_exits_2(run_guide) -> None:
    assert run_guide("build", "--only", "posters").returncode == 2
    assert run_guide("build", "--jobs", "0").returncode == 2
    assert run_guide("frobnicate").returncode == 2
    assert run_guide().returncode == 2


def test_version(run_guide) -> None:
    result = run_guide("--version")
    assert (result.returncode, result.stdout) == (0, f"guide {__version__}\n")


def test_help_has_examples(run_guide) -> None:
    result = run_guide("build", "--help")
    assert result.returncode == 0 and "examples:" in result.stdout


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
    assert (project / "layouts" / "handbook.xml.j2").is_file()
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


def test_a_terminal_sees_each_file_a_progress_bar_and_a_summary(tmp_path: Path) -> None:
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
    command = [sys.executable, "-m", "guide", "build", SHIPPED_LADDER, "--only", "checklists", "-o", tmp_path]
    process = subprocess.run(command, cwd=ROOT, stdout=terminal, stderr=terminal, timeout=300)
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
    text = shown.decode()
    assert process.returncode == 0
    for name in ("apm.pdf", "apm.docx", "cpo.pdf"):
        assert f"{tmp_path / 'product-management' / 'checklists' / name}\r\n" in text
    assert re.search(r"\| +[1-9]\d*/20 \[", text)  # the bar, redrawn as files are written
    assert text.splitlines()[-1].startswith("20 files written in ")


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
