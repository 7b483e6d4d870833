"""Where the app keeps its files (per user, per platform) and how it writes them safely."""

from __future__ import annotations

import contextlib
import errno
import os
import re
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


def atomic_write(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` so that a crash leaves the old file or the new, never half.

    Temp file in the same folder, fsync, rename over the target, fsync the folder.
    Raises :class:`StoreError` with a plain message (disk full, read-only, ...).
    """
    tmp_name: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
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
