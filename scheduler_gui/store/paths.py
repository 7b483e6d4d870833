"""Where the app keeps its files (per user, per platform) and how it writes them safely."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import tempfile
from pathlib import Path

import platformdirs

APP_NAME = "CourseScheduleEditor"


def config_dir() -> Path:
    """Settings (no secrets): e.g. ``~/.config/CourseScheduleEditor``."""
    return platformdirs.user_config_path(APP_NAME, appauthor=False)


def data_dir() -> Path:
    """Backups and drafts: e.g. ``~/.local/share/CourseScheduleEditor``."""
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def log_dir() -> Path:
    """The request log: e.g. ``~/.local/state/CourseScheduleEditor/log``."""
    return platformdirs.user_log_path(APP_NAME, appauthor=False)


def backups_dir() -> Path:
    return data_dir() / "backups"


def drafts_dir() -> Path:
    return data_dir() / "drafts"


class StoreError(Exception):
    """A file the app needs could not be written or read; the message says what to do."""

    exit_code = 1

    def __init__(self, message: str, errno_value: int | None = None) -> None:
        super().__init__(message)
        self.errno = errno_value


def safe_name(text: str) -> str:
    """A file-name-safe version of a course id or call number."""
    cleaned = re.sub(r"[^A-Za-z0-9=_.-]+", "_", text).strip("._")
    return cleaned[:80] or "_"


def describe_os_error(exc: OSError, path: Path) -> str:
    """A plain sentence for a failed write to ``path``."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"The disk holding {path.parent} is full. Free some space and try again."
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return (
            f"The folder {path.parent} is read-only. "
            "Fix its permissions or choose another data folder, then try again."
        )
    if isinstance(exc, (NotADirectoryError, FileExistsError)):
        return f"{path.parent} is not a folder the app can write to. Move the file in its way."
    return f"Could not write {path}: {exc.strerror or exc}. Check the folder and try again."


PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def private_dir(path: Path, *, top: Path | None = None) -> Path:
    """Create ``path`` (and its parents) readable by this user only (0700).

    Folders from ``top`` down to ``path`` that already exist are made private too (an
    older version created them with the default mode); folders above ``top`` are
    left as they are. Without ``top`` only ``path`` itself is. No-op off POSIX.
    """
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    if os.name != "posix":
        return path
    folders = [path]
    if top is not None and top in path.parents:
        folders += [p for p in path.parents if p == top or top in p.parents]
    for folder in folders:
        if stat.S_IMODE(folder.stat().st_mode) & 0o077:
            folder.chmod(PRIVATE_DIR)
    return path


def private_file(path: Path) -> Path:
    """Make ``path`` exist and be readable by this user only (0600), its folder 0700."""
    private_dir(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, PRIVATE_FILE)
    os.close(fd)
    if os.name == "posix" and stat.S_IMODE(path.stat().st_mode) != PRIVATE_FILE:
        path.chmod(PRIVATE_FILE)
    return path


def atomic_write(
    path: Path, data: bytes, *, mode: int | None = None, private_top: Path | None = None
) -> Path:
    """Write ``data`` to ``path`` so that a crash leaves the old file or the new, never half.

    Temp file in the same folder, fsync, rename over the target, fsync the folder. The
    file is 0600 (``mode`` to choose another). With ``private_top``, the folders from
    there down to the file's are made private (0700), see :func:`private_dir`.
    Raises :class:`StoreError` with a plain message (disk full, read-only, ...).
    """
    tmp_name: str | None = None
    try:
        if private_top is not None:
            private_dir(path.parent, top=private_top)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        if mode is not None and hasattr(os, "fchmod"):
            os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp_name).replace(path)
        tmp_name = None
        if os.name == "posix":
            dir_fd = os.open(path.parent, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
    except OSError as exc:
        raise StoreError(describe_os_error(exc, path), exc.errno) from exc
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                Path(tmp_name).unlink()
    return path


def write_output(path: Path, data: bytes) -> Path:
    """Write a file the user named (``-o FILE``), replacing nothing but a regular file.

    A regular file (or a new one) is written atomically, keeping an existing file's
    permissions; a symbolic link is followed and its target written, the link kept; a
    FIFO or character device (``/dev/null``, ``/dev/stdout``, a terminal) is written
    into as it is, never replaced; a folder, block device or socket is refused.
    Raises :class:`StoreError` with a plain message.
    """
    try:
        found = path.stat()  # follows symbolic links
    except FileNotFoundError:
        found = None
    except OSError as exc:
        raise StoreError(f"Cannot write {path}: {exc.strerror or exc}.", exc.errno) from exc
    if found is None or stat.S_ISREG(found.st_mode):
        try:
            target = path.resolve() if path.is_symlink() else path
        except (OSError, RuntimeError) as exc:  # a loop of links
            raise StoreError(f"Cannot write {path}: {exc}.") from exc
        return atomic_write(
            target, data, mode=None if found is None else stat.S_IMODE(found.st_mode)
        )
    if stat.S_ISFIFO(found.st_mode) or stat.S_ISCHR(found.st_mode):
        try:
            with path.open("wb") as handle:
                handle.write(data)
        except OSError as exc:
            raise StoreError(f"Cannot write {path}: {exc.strerror or exc}.", exc.errno) from exc
        return path
    raise _not_a_file(path, found)


def regular_output_path(path: Path) -> Path:
    """Where to write a file the user named that must be a regular file (a workbook):
    a symbolic link's target (the link is kept); anything else but a regular file or
    a new name is refused with :class:`StoreError`."""
    try:
        found = path.stat()
    except FileNotFoundError:
        found = None
    except OSError as exc:
        raise StoreError(f"Cannot write {path}: {exc.strerror or exc}.", exc.errno) from exc
    if found is not None and not stat.S_ISREG(found.st_mode):
        raise _not_a_file(path, found)
    try:
        return path.resolve() if path.is_symlink() else path
    except (OSError, RuntimeError) as exc:  # a loop of links
        raise StoreError(f"Cannot write {path}: {exc}.") from exc


def _not_a_file(path: Path, found: os.stat_result) -> StoreError:
    kind = "a folder" if stat.S_ISDIR(found.st_mode) else "not a regular file"
    return StoreError(f"Nothing was written: {path} is {kind}. Give the name of a file.")
