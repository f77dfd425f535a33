"""Shared fixtures: paths to the fixture files and a runner for the CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
FIXTURES = TESTS / "fixtures"
ROOT = TESTS.parent
SHIPPED_LADDER = ROOT / "data" / "product-management.yaml"


@pytest.fixture
def run_guide():
    """Return a function that runs `python -m guide ARGS` in `cwd` and returns the finished process."""

    def run(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "guide", *map(str, args)],
            cwd=cwd,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=300,
        )

    return run


@pytest.fixture(scope="session")
def build_ladder(tmp_path_factory):
    """Return a function that builds a ladder once per test run: (ladder, output folder, stdout lines).

    `only` names the products to build (as `--only` does), every one by default.
    """
    from guide.content import load_ladder

    done: dict[tuple[Path, str], tuple] = {}

    def build(path: Path, only: str = "") -> tuple:
        if (path, only) not in done:
            out = tmp_path_factory.mktemp("built")
            command = [sys.executable, "-m", "guide", "build", str(path), "-o", str(out)]
            command += ["--only", only] if only else []
            result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
            assert result.returncode == 0, result.stderr
            ladder = load_ladder(path)
            done[(path, only)] = (ladder, out / ladder.id, result.stdout.splitlines())
        return done[(path, only)]

    return build


def written_paths(outputs, theme, jobs: int = 1) -> list[Path]:
    """Write `outputs` as the build's write step does; return the path of each file written."""
    from guide.writing import write

    return [file.path for file in write(outputs, theme, jobs)]


def expected_problems(path: Path) -> list[str]:
    """Return the problems the `.errors` file beside input `path` expects, each after the input's path."""
    return [f"{path}{line}" for line in path.with_suffix(".errors").read_text("utf-8").splitlines()]


def assert_sound_pdf(data: bytes) -> bytes:
    """Return `data` after qpdf (through pikepdf) has read it without repair and found no problem."""
    import io

    import pikepdf

    with pikepdf.open(io.BytesIO(data), attempt_recovery=False) as pdf:
        assert pdf.check_pdf_syntax() == []
    return data


def system_tool(name: str) -> str:
    """Return the path of command `name`: skip the test without it, but fail in CI, which installs it."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is not installed; .ci/run installs it")
        pytest.skip(f"{name} is not installed")
    return path


def convert_with_libreoffice(sources: list[Path], out_dir: Path, to: str = "pdf") -> list[Path]:
    """Convert Word files with LibreOffice headless to PDF (or `to="docx"`: saved again); return the files."""
    soffice = system_tool("soffice")
    profile = f"-env:UserInstallation=file://{out_dir / 'lo-profile'}"
    command = [
        soffice,
        profile,
        "--headless",
        "--convert-to",
        to,
        "--outdir",
        str(out_dir),
        *map(str, sources),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=300)
    return [out_dir / f"{source.stem}.{to}" for source in sources]


def header_svgs(package) -> list[str]:
    """Return the SVG parts a Word file's headers show: its logo (the diagram's SVG is in the body)."""
    import re

    headers = [part for part in package.namelist() if re.fullmatch(r"word/_rels/header\d+\.xml\.rels", part)]
    targets = {
        target
        for rels in headers
        for target in re.findall(r'Target="([^"]+\.svg)"', package.read(rels).decode())
    }
    return sorted(f"word/{target}" for target in targets)
