"""Shared fixtures: paths to the fixture files and a runner for the CLI."""

from __future__ import annotations

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
            cwd=cwd, capture_output=True, text=True, encoding="utf-8", timeout=300,
        )

    return run
