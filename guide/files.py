"""Writing output files whole or not at all."""

from __future__ import annotations

import contextlib
import functools
import os
import tempfile
from pathlib import Path

PART_SUFFIX = ".part"


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder and a rename.

    A reader (or a build killed half-way) sees the old file or the new one, never a part.
    The temporary file's name holds the writer's process id, so the temporary files a
    killed build leaves are removed by the next build writing into the same folder.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    _remove_abandoned_parts(path.parent.resolve())
    prefix = f".{path.name}.{os.getpid()}."
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=prefix, suffix=PART_SUFFIX)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.remove(temporary)
        raise


@functools.cache
def _remove_abandoned_parts(folder: Path) -> None:
    """Remove the temporary files in `folder` of writers that no longer run (a killed build).

    Once per folder and process: a roster writes thousands of files into one folder.
    """
    for part in folder.glob(f".*{PART_SUFFIX}"):
        writer = part.name.removesuffix(PART_SUFFIX).split(".")[-2]
        if writer.isdigit() and not _running(int(writer)):
            with contextlib.suppress(FileNotFoundError):
                part.unlink()


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True
