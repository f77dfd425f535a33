"""Every input is a bounded read: devices, pipes, folders, oversized files and picture bombs are messages.

Each case runs the command line in a child process under a memory limit and a
time-out, so that a regression fails (a MemoryError, a TimeoutExpired) instead of
filling the machine's memory or waiting for ever.
"""

from __future__ import annotations

import io
import os
import resource
import struct
import subprocess
import sys
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import FIXTURES, SHIPPED_LADDER, expected_problems
from guide.csvfile import MAX_CSV_BYTES
from guide.errors import ContentError
from guide.theme import MAX_FONT_BYTES, MAX_LOGO_BYTES
from guide.yamlfile import MAX_FILE_BYTES

MINIMAL = FIXTURES / "ladders" / "valid" / "minimal.yaml"
GUARD_SECONDS = 60
"""Time-out of a child process: a guard against waiting for ever on a pipe, not a speed check."""
MEMORY_BYTES = 3 * 2**30
"""Address space of a child process: reading /dev/zero whole fails at this, not at the machine's limit."""


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))


def guide(*arguments: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run `python -m guide ARGUMENTS` in `cwd`, bounded in memory and time; return the finished process."""
    command = [sys.executable, "-m", "guide", *map(str, arguments)]
    return subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, encoding="utf-8",
        timeout=GUARD_SECONDS, preexec_fn=_limit_memory,
    )  # fmt: skip


def assert_refused(result: subprocess.CompletedProcess[str], *lines: str) -> None:
    """Assert that `result` exited 1 printing exactly `lines` on stderr (so no traceback)."""
    assert (result.returncode, result.stderr.splitlines()) == (1, list(lines)), result.stderr


def sparse_file(path: Path, size: int) -> Path:
    """Make `path` a file of `size` bytes that takes no room on disk (a hole of zero bytes)."""
    with path.open("wb") as file:
        file.truncate(size)
    return path


# --- ladders -------------------------------------------------------------------------------


def test_a_device_given_as_a_ladder_is_refused_unread(tmp_path: Path) -> None:
    assert_refused(guide("validate", "/dev/zero", cwd=tmp_path), "/dev/zero: is a device, not a file")


def test_a_ladder_over_the_size_limit_is_refused_by_its_size(tmp_path: Path) -> None:
    path = sparse_file(tmp_path / "huge.yaml", MAX_FILE_BYTES + 1)
    assert_refused(guide("validate", path, cwd=tmp_path), f"{path}: is larger than {MAX_FILE_BYTES:,} bytes")


NOT_FILES: dict[str, tuple[Callable[[Path], None], str]] = {
    "folder": (lambda path: path.mkdir(), "is a folder, not a file"),
    "pipe": (os.mkfifo, "is a pipe or a socket, not a file"),
    "link to /dev/zero": (lambda path: path.symlink_to("/dev/zero"), "is a device, not a file"),
}
"""Things that are not files, each with how to make one at a path and what guide says of it."""


@pytest.mark.parametrize("kind", NOT_FILES)
def test_a_ladder_in_data_that_is_not_a_file_is_named_not_read_nor_skipped(tmp_path: Path, kind: str) -> None:
    make, message = NOT_FILES[kind]
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "a.yaml").write_bytes(MINIMAL.read_bytes())
    make(tmp_path / "data" / "x.yaml")
    assert_refused(guide("validate", cwd=tmp_path), f"data/x.yaml: {message}")


def test_a_build_stops_at_a_pipe_in_data(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "a.yaml").write_bytes(MINIMAL.read_bytes())
    os.mkfifo(tmp_path / "data" / "x.yaml")
    result = guide("build", "-o", "out", cwd=tmp_path)
    assert_refused(result, "data/x.yaml: is a pipe or a socket, not a file")
    assert not (tmp_path / "out").exists()


def test_the_glyph_check_places_characters_without_reading_the_ladder_again(tmp_path: Path) -> None:
    """Characters no font has are placed from the loaded ladder: its file may be a pipe by then."""
    from guide.content import load_ladder
    from guide.glyphs import DEFAULT_CHAIN
    from guide.printable import ladder_problems

    path = tmp_path / "ladder.yaml"
    path.write_bytes((FIXTURES / "ladders" / "pdf_unprintable" / "no_font_has_it.yaml").read_bytes())
    ladder = load_ladder(path)
    path.unlink()
    os.mkfifo(path)  # reading it now would block
    problems = [str(problem) for problem in ladder_problems(ladder, DEFAULT_CHAIN)]
    assert problems == [
        line.replace(str(FIXTURES / "ladders" / "pdf_unprintable" / "no_font_has_it.yaml"), str(path))
        for line in expected_problems(FIXTURES / "ladders" / "pdf_unprintable" / "no_font_has_it.yaml")
    ]


# --- rosters -------------------------------------------------------------------------------


def packets(roster: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return guide("packets", "--roster", roster, "--ladder", SHIPPED_LADDER, "-o", "out", cwd=cwd)


def test_a_device_given_as_a_roster_is_refused_unread(tmp_path: Path) -> None:
    assert_refused(packets(Path("/dev/urandom"), tmp_path), "/dev/urandom: is a device, not a file")


def test_a_pipe_given_as_a_roster_is_refused_without_waiting(tmp_path: Path) -> None:
    pipe = tmp_path / "roster.csv"
    os.mkfifo(pipe)
    assert_refused(packets(pipe, tmp_path), f"{pipe}: is a pipe or a socket, not a file")


def test_a_roster_over_the_size_limit_is_refused_by_its_size(tmp_path: Path) -> None:
    roster = sparse_file(tmp_path / "roster.csv", MAX_CSV_BYTES + 1)
    assert_refused(packets(roster, tmp_path), f"{roster}: is larger than {MAX_CSV_BYTES:,} bytes")


def test_a_roster_that_grows_past_the_limit_while_read_is_refused(tmp_path: Path, monkeypatch) -> None:
    """The size is checked when the roster is opened, and its stream stops at the limit too."""
    from guide import csvfile

    roster = tmp_path / "roster.csv"
    roster.write_text("name,target_level\n")
    monkeypatch.setattr(csvfile, "MAX_CSV_BYTES", 100)
    with csvfile.open_text(roster) as file:
        with roster.open("a") as writer:
            writer.write("Ann,pm\n" * 100)
        with pytest.raises(ContentError) as caught:
            file.read()
    assert str(caught.value) == f"{roster}: is larger than 100 bytes"


# --- themes --------------------------------------------------------------------------------


def png_header_only(width: int, height: int) -> bytes:
    """Return a PNG file of a few dozen bytes whose header says `width` x `height` grey pixels.

    The chunks carry valid checksums, so a reader believes the header; the image
    data is empty, as nothing may decode it.
    """

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b""))
        + chunk(b"IEND", b"")
    )


def cut_png() -> bytes:
    """Return the first two thirds of a 200 x 100 PNG of noise: a file whose download stopped."""
    from PIL import Image

    whole = io.BytesIO()
    Image.effect_noise((200, 100), 50).save(whole, "PNG")
    return whole.getvalue()[: len(whole.getvalue()) * 2 // 3]


def themed_build(project: Path, theme: str) -> subprocess.CompletedProcess[str]:
    """Build the minimal ladder's PDF handbook in `project`, whose layouts/theme.yaml holds `theme`."""
    (project / "layouts").mkdir(exist_ok=True)
    (project / "layouts" / "theme.yaml").write_text(theme, "utf-8")
    return guide("build", MINIMAL, "--only", "handbook", "--format", "pdf", "-o", "out", cwd=project)


PIXELS = (
    "scale it down to at most 10,000 pixels on a side and 25,000,000 in all (5 cm at 600 dpi is 1,200 pixels)"
)


@pytest.mark.parametrize(
    ("width", "height", "message"),
    [
        (20_000, 20_000, f"has more pixels than a logo needs: {PIXELS}"),
        (12_000, 12_000, f"is 12,000 x 12,000 pixels, more than a logo needs: {PIXELS}"),
        (10_001, 100, f"is 10,001 x 100 pixels, more than a logo needs: {PIXELS}"),
    ],
)
def test_a_logo_of_too_many_pixels_is_refused_at_its_theme_line(
    tmp_path: Path, width: int, height: int, message: str
) -> None:
    (tmp_path / "layouts").mkdir()
    (tmp_path / "layouts" / "logo.png").write_bytes(png_header_only(width, height))
    result = themed_build(tmp_path, "page:\n  size: A4\nlogo: logo.png\n")
    assert_refused(result, f"layouts/theme.yaml:3:7: logo 'logo.png' {message}")


def test_a_cut_logo_is_a_theme_error(tmp_path: Path) -> None:
    (tmp_path / "layouts").mkdir()
    (tmp_path / "layouts" / "logo.png").write_bytes(cut_png())
    result = themed_build(tmp_path, "logo: {file: logo.png}\n")
    message = "is a damaged picture (image file is truncated): save or export it again"
    assert_refused(result, f"layouts/theme.yaml:1:14: logo 'logo.png' {message}")


THEME_FILES = {
    "logo": ("logo: {name}\n", "1:7: logo"),
    "font": ("fonts:\n  regular: {name}\n", "2:12: regular"),
    "word_reference": ("word_reference: {name}\n", "1:17: word_reference"),
}
"""Each key of a theme that names a file: the theme naming `{name}` there, and where the message is."""


@pytest.mark.parametrize("key", THEME_FILES)
@pytest.mark.parametrize("kind", NOT_FILES)
def test_a_theme_file_that_is_not_a_file_is_refused_at_its_line(tmp_path: Path, key: str, kind: str) -> None:
    make, message = NOT_FILES[kind]
    theme, place = THEME_FILES[key]
    (tmp_path / "layouts").mkdir()
    make(tmp_path / "layouts" / "brand.ttf")
    result = themed_build(tmp_path, theme.format(name="brand.ttf"))
    assert_refused(result, f"layouts/theme.yaml:{place} 'brand.ttf' {message}")


@pytest.mark.parametrize(
    ("theme", "name", "limit", "place"),
    [
        ("logo: logo.png\n", "logo.png", MAX_LOGO_BYTES, "1:7: logo"),
        ("fonts:\n  bold: bold.ttf\n", "bold.ttf", MAX_FONT_BYTES, "2:9: bold"),
    ],
)
def test_a_theme_file_over_its_size_limit_is_refused_by_its_size(
    tmp_path: Path, theme: str, name: str, limit: int, place: str
) -> None:
    (tmp_path / "layouts").mkdir()
    sparse_file(tmp_path / "layouts" / name, limit + 1)
    result = themed_build(tmp_path, theme)
    assert_refused(result, f"layouts/theme.yaml:{place} '{name}' is larger than {limit:,} bytes")


def test_a_theme_file_that_is_a_pipe_is_refused_not_passed_over(tmp_path: Path) -> None:
    (tmp_path / "layouts").mkdir()
    os.mkfifo(tmp_path / "layouts" / "theme.yaml")
    result = guide("validate", MINIMAL, cwd=tmp_path)
    assert_refused(result, "layouts/theme.yaml: is a pipe or a socket, not a file")
