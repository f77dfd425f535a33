"""Writing output files whole or not at all, into real folders only, one guide process at a time.

Every file goes to a temporary file beside it, then is renamed into place. The
folders below an output folder are opened one by one from it, never through a
symbolic link: a link committed below `output/` (git stores them), or planted
while a build runs, cannot send a file or a clean-up elsewhere. New files and
folders get the modes the umask allows (the system takes the umask's bits off the
mode asked for), and a file replaced keeps its mode. `output_folder` refuses links
before anything is written and holds the output folder's lock while writing.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import stat
from collections.abc import Callable, Collection, Iterator
from pathlib import Path

from guide.errors import GuideError

try:
    import fcntl
except ImportError:  # Windows: no advisory locks, and builds there go without
    fcntl = None  # type: ignore[assignment]

PART_SUFFIX = ".part"
LOCK_NAME = ".guide.lock"

_PART_NAME = re.compile(r"\.(?P<name>.+)\.(?P<pid>\d+)\.[0-9a-z_]+" + re.escape(PART_SUFFIX))
"""Our temporaries: `.<output name>.<writer's pid>.<random>.part`."""

_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_NO_LINK = getattr(os, "O_NOFOLLOW", 0)
_FOLDER = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _CLOEXEC
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NO_LINK | _CLOEXEC | getattr(os, "O_BINARY", 0)

_BY_DESCRIPTOR = os.open in os.supports_dir_fd and hasattr(os, "O_DIRECTORY")
"""Folders are reached through open descriptors, so no path is looked up twice; not on Windows."""

_OUTPUT_FOLDERS: list[Path] = []
"""The output folders this process writes into now: see `output_folder` and `adopt_output_folders`."""

_CLEANED: set[object] = set()
"""The folders whose abandoned temporaries this process removed: once each, as a roster fills one."""


class Folder:
    """An open folder, whose entries are reached from it without looking its path up again.

    `fd` is its descriptor, given as `dir_fd` with the name `at` returns; None where
    the system has no `dir_fd` (Windows), where entries are reached by path.
    """

    def __init__(self, path: Path, fd: int | None) -> None:
        self.path = path
        self.fd = fd

    def at(self, name: str) -> str:
        """Return what names entry `name` of this folder, given with `dir_fd=self.fd`."""
        return name if self.fd is not None else str(self.path / name)

    def entries(self) -> Iterator[os.DirEntry[str]]:
        """Yield the entries of this folder."""
        with os.scandir(self.fd) if self.fd is not None else os.scandir(self.path) as entries:
            yield from entries

    def __enter__(self) -> Folder:
        return self

    def __exit__(self, *exception: object) -> None:
        if self.fd is not None:
            os.close(self.fd)


def open_folder(path: Path) -> Folder:
    """Return the folder at `path`, following a link: a folder that a user names is theirs to choose."""
    if not _BY_DESCRIPTOR:
        os.listdir(path)  # raises as opening would: missing, not a folder, not allowed
        return Folder(path, None)
    return Folder(path, os.open(path, _FOLDER))


def open_subfolder(parent: Folder, name: str) -> Folder:
    """Return folder `name` of `parent`; raise GuideError if it is a symbolic link: never followed."""
    path = parent.path / name
    if not _BY_DESCRIPTOR:
        if os.path.islink(path):
            raise linked_folder(path)
        return open_folder(path)
    try:
        return Folder(path, os.open(name, _FOLDER | _NO_LINK, dir_fd=parent.fd))
    except OSError:
        if _is_link(parent, name):
            raise linked_folder(path) from None
        raise


def make_subfolder(parent: Folder, name: str) -> bool:
    """Create folder `name` in `parent` unless the name is taken (by a link too); return True if made."""
    try:
        os.mkdir(parent.at(name), 0o777, dir_fd=parent.fd)
    except FileExistsError:
        return False
    return True


def new_file(folder: Folder, name: str) -> int:
    """Create file `name` in `folder`; return its descriptor, open for writing.

    Raises FileExistsError if anything has that name, a dangling link too. Its mode
    is 0o666 less the umask's bits.
    """
    return os.open(folder.at(name), _NEW_FILE, 0o666, dir_fd=folder.fd)


def linked_folder(path: Path) -> GuideError:
    """Return the error for a symbolic link at `path` where guide writes a folder."""
    return GuideError(
        f"{path}: is a symbolic link, and guide writes only into real folders: "
        "replace it with a folder (the link's target is left alone)"
    )


def refuse_linked_folders(root: Path, paths: Collection[Path]) -> None:
    """Raise GuideError if a folder that `paths` go into, below `root`, is a symbolic link or a file.

    Only looks: folders still missing are made when written into.
    """
    for folder in sorted({path.parent.relative_to(root) for path in paths}):
        below = root
        for name in folder.parts:
            below /= name
            try:
                mode = os.lstat(below).st_mode
            except FileNotFoundError:
                break
            if stat.S_ISLNK(mode):
                raise linked_folder(below)
            if not stat.S_ISDIR(mode):
                raise GuideError(f"{below}: is a file where guide writes a folder: move it away")


@contextlib.contextmanager
def output_folder(
    root: Path, paths: Collection[Path], waiting: Callable[[int | None], None]
) -> Iterator[None]:
    """Get `root` ready for writing `paths` below it, and hold it while the block writes them.

    Raises GuideError, making nothing, if a folder of `paths` below `root` is a link
    (`refuse_linked_folders`). Then waits for any other guide process writing into
    `root`, calling `waiting` once with its process id (None if unknown), and holds
    `root`'s lock until the block ends. In the block (and in worker processes that
    `adopt_output_folders`), `write_atomic` opens every folder from `root` down
    without following a link.
    """
    try:
        refuse_linked_folders(root, paths)
        root.mkdir(parents=True, exist_ok=True)
        lock = None if fcntl is None else _take_lock(root / LOCK_NAME, waiting)
    except OSError as error:  # `root` is a file, or cannot be written
        raise GuideError(f"{error.filename or root}: cannot write: {error.strerror or error}") from None
    _OUTPUT_FOLDERS.append(root)
    try:
        yield
    finally:
        _OUTPUT_FOLDERS.remove(root)
        if lock is not None:
            _let_go(root / LOCK_NAME, lock)


def output_folders() -> tuple[Path, ...]:
    """Return the output folders this process writes into now, to hand to its worker processes."""
    return tuple(_OUTPUT_FOLDERS)


def adopt_output_folders(folders: tuple[Path, ...]) -> None:
    """Make `write_atomic` in this worker process walk down from `folders`, as its parent's does.

    For a worker started fresh ('spawn'), which `output_folder`'s record does not reach;
    `folders` come from `output_folders()` in the parent.
    """
    _OUTPUT_FOLDERS[:] = folders


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder and a rename.

    A reader (or a build killed half-way) sees the old file or the new one, never a part.
    The temporary file's name holds the writer's process id, so the temporary files a
    killed build leaves are removed by the next build writing into the same folder.
    Raises GuideError if a folder between the output folder and `path` is a link.
    """
    with about(path), _folder_of(path) as folder:
        _remove_abandoned_parts(folder)
        _replace(folder, path.name, data)


@contextlib.contextmanager
def about(path: Path) -> Iterator[None]:
    """Re-raise an OSError of the block as one about `path`: names given with `dir_fd` are short."""
    try:
        yield
    except OSError as error:
        raise OSError(error.errno, error.strerror, str(path)) from error


@contextlib.contextmanager
def _folder_of(path: Path) -> Iterator[Folder]:
    """Yield `path`'s folder, made if missing, opened from its output folder down without following links.

    Outside every output folder of `output_folder`, `path`'s folder is opened as given.
    """
    root = next((root for root in _OUTPUT_FOLDERS if path.parent.is_relative_to(root)), path.parent)
    root.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as opened:
        folder = opened.enter_context(open_folder(root))
        for name in path.parent.relative_to(root).parts:
            make_subfolder(folder, name)
            folder = opened.enter_context(open_subfolder(folder, name))
        yield folder


def _replace(folder: Folder, name: str, data: bytes) -> None:
    """Write `data` to a new temporary file in `folder`, then rename it to `name`.

    The new file takes the mode of the file it replaces, if any.
    """
    mode = _mode_of(folder, name)
    handle, temporary = _new_temporary(folder, name)
    try:
        with os.fdopen(handle, "wb") as file:
            if mode is not None and os.chmod in os.supports_fd:
                os.chmod(file.fileno(), mode)
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(folder.at(temporary), folder.at(name), src_dir_fd=folder.fd, dst_dir_fd=folder.fd)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(folder.at(temporary), dir_fd=folder.fd)
        raise


def _mode_of(folder: Folder, name: str) -> int | None:
    """Return the permission bits of the regular file `name` in `folder`; None if there is none."""
    try:
        status = os.stat(folder.at(name), dir_fd=folder.fd, follow_symlinks=False)
    except FileNotFoundError:
        return None
    return stat.S_IMODE(status.st_mode) & 0o777 if stat.S_ISREG(status.st_mode) else None


def _new_temporary(folder: Folder, name: str) -> tuple[int, str]:
    """Return a new temporary file for `name` in `folder`, open for writing, and its name."""
    while True:
        temporary = f".{name}.{os.getpid()}.{secrets.token_hex(4)}{PART_SUFFIX}"
        with contextlib.suppress(FileExistsError):  # a name some writer took: draw another
            return new_file(folder, temporary), temporary


def _is_link(folder: Folder, name: str) -> bool:
    try:
        return stat.S_ISLNK(os.stat(folder.at(name), dir_fd=folder.fd, follow_symlinks=False).st_mode)
    except OSError:
        return False


def _remove_abandoned_parts(folder: Folder) -> None:
    """Remove the temporary files in `folder` of writers that no longer run (a killed build).

    Only regular files named exactly as ours; never a link, a folder or a file of another name.
    """
    key = _identity(folder)
    if key in _CLEANED:
        return
    _CLEANED.add(key)
    abandoned = [entry.name for entry in folder.entries() if _is_abandoned(entry)]
    for name in abandoned:
        with contextlib.suppress(OSError):  # gone already, or changed since: it is not ours to force
            os.unlink(folder.at(name), dir_fd=folder.fd)


def _identity(folder: Folder) -> object:
    if folder.fd is None:
        return folder.path.resolve()
    status = os.fstat(folder.fd)
    return status.st_dev, status.st_ino


def _is_abandoned(entry: os.DirEntry[str]) -> bool:
    ours = _PART_NAME.fullmatch(entry.name)
    return ours is not None and entry.is_file(follow_symlinks=False) and not _running(int(ours["pid"]))


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _take_lock(path: Path, waiting: Callable[[int | None], None]) -> int:
    """Return the descriptor of lock file `path`, locked for us, with our process id in it.

    A holder removes the file before it lets go, so a waiter may then hold the lock
    of a removed file: it tries again, with the file in place now or made anew.
    """
    told = False
    while True:
        handle = os.open(path, os.O_RDWR | os.O_CREAT | _NO_LINK | _CLOEXEC, 0o666)
        try:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if not told:
                    waiting(_holder(handle))
                    told = True
                fcntl.flock(handle, fcntl.LOCK_EX)
            if _names(path, handle):
                os.ftruncate(handle, 0)
                os.pwrite(handle, f"{os.getpid()}\n".encode(), 0)
                return handle
        except BaseException:
            os.close(handle)
            raise
        os.close(handle)


def _let_go(path: Path, handle: int) -> None:
    """Remove lock file `path`, then let go of its lock: see `_take_lock`."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
    os.close(handle)


def _holder(handle: int) -> int | None:
    """Return the process id in lock file `handle`, written by its holder; None if not there yet."""
    text = os.pread(handle, 32, 0).decode("ascii", "replace").strip()
    return int(text) if text.isdigit() else None


def _names(path: Path, handle: int) -> bool:
    """Return True if `path` still names the file open at `handle`."""
    try:
        named = os.stat(path, follow_symlinks=False)
    except FileNotFoundError:
        return False
    held = os.fstat(handle)
    return (named.st_dev, named.st_ino) == (held.st_dev, held.st_ino)
