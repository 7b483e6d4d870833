"""The app's log: a rotating file in the user log dir, with secrets filtered out.

Each HTTP exchange is one line (method, path, status, duration). The client never puts
secrets into log records, and :class:`RedactingFilter` strips anything token- or
password-like anyway, plus any exact secret registered with :func:`register_secret`.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
from pathlib import Path
from typing import Any, Protocol

from ..core.redaction import redact as redact  # re-exported: the log's redaction
from ..core.redaction import register_secret as register_secret
from .paths import PRIVATE_FILE, log_dir, private_dir, private_file

LOGGER = "scheduler_gui"
REQUEST_LOGGER = "scheduler_gui.requests"
LOG_FILE = "scheduler-gui.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log whose every file (the first and each new one after a rotation) is
    created readable by this user only (0600): requests name courses and users."""

    def _open(self) -> Any:
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, PRIVATE_FILE)
        return os.fdopen(fd, "a", encoding=self.encoding, errors=self.errors)


class RedactingFilter(logging.Filter):
    """Rewrites each record's message (args merged in) without secrets."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = redact(record.getMessage())
        record.msg, record.args = message, None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


def log_file() -> Path:
    return log_dir() / LOG_FILE


def setup_logging(directory: Path | None = None, level: int = logging.INFO) -> Path:
    """Attach the rotating, redacting file handler once; returns the log file path."""
    path = (directory or log_dir()) / LOG_FILE
    logger = logging.getLogger(LOGGER)
    logger.setLevel(level)
    for old in list(logger.handlers):
        if isinstance(old, logging.handlers.RotatingFileHandler):
            if Path(old.baseFilename) == path.resolve():
                return path
            logger.removeHandler(old)  # one log file at a time (the user dir moved)
            old.close()
    try:
        private_dir(path.parent)
        private_file(path)  # an older version's log file too
        handler = PrivateRotatingFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8", delay=True
        )
    except OSError:
        return path  # no log is better than no app
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter())
    logger.addHandler(handler)
    return path


def close_logging() -> None:
    """Detach and close the file handlers (tests, app exit)."""
    logger = logging.getLogger(LOGGER)
    for handler in list(logger.handlers):
        if isinstance(handler, logging.handlers.RotatingFileHandler):
            logger.removeHandler(handler)
            handler.close()


class RequestLike(Protocol):
    @property
    def method(self) -> str: ...
    @property
    def path(self) -> str: ...
    @property
    def status(self) -> int | None: ...
    @property
    def duration(self) -> float: ...
    @property
    def error(self) -> str: ...


def log_request(record: RequestLike) -> None:
    """One line per HTTP exchange; fits the client's ``on_request`` hook."""
    status = record.status if record.status is not None else f"no answer ({record.error})"
    logging.getLogger(REQUEST_LOGGER).info(
        "%s %s %s %.3fs", record.method, record.path, status, record.duration
    )
