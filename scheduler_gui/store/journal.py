"""Batch journals: what a many-course batch did to each course, fsynced as it goes.

One file per batch, ``<data dir>/journals/<batch id>.jsonl``: JSON lines, the first one
the batch's header (its key, the command, the courses and what to do to each), then one
line per step of a course::

    {"course": "700001", "state": "planned", "before": "<fp>", "after": "<fp>", "at": ...}
    {"course": "700001", "state": "backed_up", "backup": "/.../backups/700001/....json"}
    {"course": "700001", "state": "written"}
    {"course": "700001", "state": "verified", "changed": 12}

``before`` is the fingerprint of the server's schedule the course was planned from,
``after`` the fingerprint of what the batch writes (see
:func:`scheduler_gui.session.batch.written_fingerprint`). Each line is one ``write`` of
an ``O_APPEND`` file, so a batch killed at any moment leaves every line before the last
whole; a torn last line is ignored when reading. A killed process loses no
line it wrote (the kernel has it); against a machine that goes down, the line a resume
relies on is fsynced before the step that depends on it: ``backed_up`` (and with it the
``planned`` line before it) before the course's PUT. Other lines ride on the next
fsync, at the latest the batch's ``end`` line. The fsync runs outside the lock, so the
courses in flight share the disk's flushes.
Running the same batch again finds its journal by key and continues: a course whose
server state matches ``after`` is done and is never written twice.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..core.times import format_timestamp
from .paths import StoreError, data_dir, describe_os_error

FORMAT_VERSION = 1

PLANNED = "planned"
BACKED_UP = "backed_up"
WRITTEN = "written"
VERIFIED = "verified"
FAILED = "failed"
STOPPED = "stopped"  # cancelled before its PUT: nothing was written
SKIPPED = "skipped"  # already done (by an earlier run) or nothing to change
#: Steps after which the course may hold what the batch wrote.
MAY_BE_WRITTEN = (BACKED_UP, WRITTEN, FAILED)


def journals_dir() -> Path:
    return data_dir() / "journals"


def _now() -> str:
    return format_timestamp(datetime.now(UTC))


@dataclass
class CourseEntry:
    """Everything the journal says about one course (later lines win)."""

    course_id: str
    state: str = ""
    before: str = ""
    after: str = ""
    backup: str = ""
    error: str = ""
    changed: int = 0
    at: str = ""

    def update(self, record: dict[str, Any]) -> None:
        self.state = str(record.get("state", self.state))
        for name in ("before", "after", "backup", "error", "at"):
            if name in record:
                setattr(self, name, str(record[name]))
        if isinstance(record.get("changed"), int):
            self.changed = record["changed"]


@dataclass
class JournalInfo:
    """A journal as read from disk: header, course entries, how it ended."""

    path: Path
    header: dict[str, Any]
    entries: dict[str, CourseEntry] = field(default_factory=dict)
    ended: str = ""  # "", "finished", "cancelled"
    superseded: bool = False

    @property
    def batch_id(self) -> str:
        return str(self.header.get("id", self.path.stem))

    @property
    def key(self) -> str:
        return str(self.header.get("key", ""))

    @property
    def created(self) -> str:
        return str(self.header.get("created", ""))

    @property
    def total(self) -> int:
        return len(self.header.get("courses", ())) or len(self.entries)

    def counts(self) -> dict[str, int]:
        """Courses per state; courses the batch never reached count as ``left``."""
        counts: dict[str, int] = {}
        for entry in self.entries.values():
            counts[entry.state] = counts.get(entry.state, 0) + 1
        reached = len(self.entries)
        if self.total > reached:
            counts["left"] = self.total - reached
        return counts

    @property
    def done(self) -> int:
        return sum(1 for e in self.entries.values() if e.state in (VERIFIED, SKIPPED))

    @property
    def complete(self) -> bool:
        return self.done >= self.total and self.total > 0


class BatchJournal:
    """An open journal that appends records (thread-safe).

    Durability is a group commit: :meth:`durable` asks a background thread to fsync
    everything written so far and returns a call that waits for it, so a course can
    have its line flushed while it waits for the server, and one fsync covers the lines
    of every course in flight.
    """

    def __init__(self, info: JournalInfo) -> None:
        self.info = info
        self._changed = threading.Condition()
        self._fd: int | None = None
        self._written = self._synced = self._wanted = 0  # lines
        self._error: OSError | None = None
        self._syncer: threading.Thread | None = None
        self._closing = False

    @property
    def path(self) -> Path:
        return self.info.path

    @property
    def batch_id(self) -> str:
        return self.info.batch_id

    def entry(self, course_id: str) -> CourseEntry | None:
        return self.info.entries.get(str(course_id))

    def record(self, course_id: str, state: str, *, sync: bool = True, **fields: Any) -> None:
        """Append one step of a course; with ``sync`` wait until it is on disk.
        :class:`StoreError` if it cannot be written."""
        record = {"course": str(course_id), "state": state, **fields, "at": _now()}
        line = _line(record)
        try:
            with self._changed:
                os.write(self._open(), line)  # one write: whole or torn, never interleaved
                self._written += 1
                entry = self.info.entries.setdefault(str(course_id), CourseEntry(str(course_id)))
                entry.update(record)
        except OSError as exc:
            raise StoreError(describe_os_error(exc, self.path), exc.errno) from exc
        if sync:
            self.durable()()

    def durable(self) -> Callable[[], None]:
        """Start flushing every line written so far; the returned call waits for it
        (and raises :class:`StoreError` if the disk refused)."""
        with self._changed:
            target = self._written
            self._wanted = max(self._wanted, target)
            if self._syncer is None:
                self._syncer = threading.Thread(
                    target=self._sync_loop, name="journal-fsync", daemon=True
                )
                self._syncer.start()
            self._changed.notify_all()

        def wait() -> None:
            with self._changed:
                while self._synced < target and self._error is None:
                    self._changed.wait()
                if self._error is not None and self._synced < target:
                    error = self._error
                    raise StoreError(describe_os_error(error, self.path), error.errno)

        return wait

    def _sync_loop(self) -> None:
        while True:
            with self._changed:
                while self._wanted <= self._synced and not self._closing:
                    self._changed.wait()
                if self._wanted <= self._synced:
                    return  # closing, nothing left to flush
                target, fd = self._written, self._open()
            try:
                os.fsync(fd)
            except OSError as exc:
                with self._changed:
                    self._error = exc
                    self._changed.notify_all()
                return
            with self._changed:
                self._synced = max(self._synced, target)
                self._changed.notify_all()

    def end(self, how: str) -> None:
        """Mark the batch finished (every course reached) or cancelled; close the file."""
        self.close()
        _append(self.path, {"type": "end", "how": how, "at": _now()})
        self.info.ended = how

    def _open(self) -> int:
        if self._fd is None:
            self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        return self._fd

    def close(self) -> None:
        """Flush what was written, stop the flusher, close the file."""
        with self._changed:
            self._closing = True
            self._changed.notify_all()
            syncer = self._syncer
        if syncer is not None:
            syncer.join()
        with self._changed:
            if self._fd is not None:
                try:
                    if self._synced < self._written and self._error is None:
                        os.fsync(self._fd)
                except OSError:
                    pass  # the lines are with the kernel; a later run reads them
                finally:
                    os.close(self._fd)
                    self._fd = None
            self._syncer, self._closing = None, False


def _line(record: dict[str, Any]) -> bytes:
    return (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


def _append(path: Path, record: dict[str, Any]) -> None:
    """Append one line to ``path`` and fsync it (own file handle)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, _line(record))
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        raise StoreError(describe_os_error(exc, path), exc.errno) from exc


def _age(info: JournalInfo) -> tuple[float, str]:
    started = info.header.get("startedAt")
    return (started if isinstance(started, float) else 0.0), info.created


def _new_file(root: Path, stem: str) -> tuple[str, Path]:
    """A journal file of its own (a batch restarted within the same second gets ``-2``)."""
    for number in range(1, 1000):
        batch_id = stem if number == 1 else f"{stem}-{number}"
        path = root / f"{batch_id}.jsonl"
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            continue
        return batch_id, path
    raise FileExistsError(f"too many batches named {stem} in {root}")


def read_journal(path: Path) -> JournalInfo | None:
    """Fold a journal file; ``None`` if it has no readable header."""
    try:
        text = path.read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return None
    lines = text.split("\n")
    try:
        header = json.loads(lines[0])
    except ValueError:
        return None
    if not isinstance(header, dict) or header.get("type") != "batch":
        return None
    info = JournalInfo(path, header)
    for line in lines[1:]:
        try:
            record = json.loads(line)
        except ValueError:
            continue  # the torn last line of a killed batch (or an empty one)
        if not isinstance(record, dict):
            continue
        kind = record.get("type")
        if kind == "end":
            info.ended = str(record.get("how", "finished"))
        elif kind == "superseded":
            info.superseded = True
        elif "course" in record:
            course = str(record["course"])
            info.entries.setdefault(course, CourseEntry(course)).update(record)
    return info


class JournalStore:
    """The journals folder (default: in the user data dir)."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root if root is not None else journals_dir()

    def create(self, key: str, header: dict[str, Any]) -> BatchJournal:
        """Start a new journal for the batch ``key``; ``header`` is kept verbatim."""
        created = datetime.now(UTC)
        stem = f"{created.strftime('%Y%m%d-%H%M%S')}-{key[:8]}"
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            batch_id, path = _new_file(self.root, stem)
        except OSError as exc:
            raise StoreError(describe_os_error(exc, self.root / stem), exc.errno) from exc
        full = {
            "type": "batch",
            "id": batch_id,
            "key": key,
            "created": format_timestamp(created),
            "startedAt": created.timestamp(),  # orders batches started in the same second
            "formatVersion": FORMAT_VERSION,
            **header,
        }
        _append(path, full)
        return BatchJournal(JournalInfo(path, full))

    def all(self) -> list[JournalInfo]:
        """Every readable journal, newest first."""
        if not self.root.is_dir():
            return []
        infos = [info for path in self.root.glob("*.jsonl") if (info := read_journal(path))]
        return sorted(infos, key=_age, reverse=True)

    def latest(self, key: str) -> JournalInfo | None:
        """The newest journal of batch ``key`` that was not superseded by ``--restart``."""
        return next((i for i in self.all() if i.key == key and not i.superseded), None)

    def unfinished(self) -> list[JournalInfo]:
        """Journals of batches that stopped before reaching every course, newest first."""
        return [i for i in self.all() if not i.superseded and not i.complete]

    def find(self, batch_id: str) -> JournalInfo:
        """A journal by id (or a unique prefix); :class:`StoreError` names the choices."""
        journals = self.all()
        matches = [i for i in journals if i.batch_id == batch_id]
        matches = matches or [i for i in journals if i.batch_id.startswith(batch_id)]
        if len(matches) == 1:
            return matches[0]
        known = ", ".join(i.batch_id for i in journals[:5]) or "none yet"
        what = "Several batches match" if matches else "No batch"
        raise StoreError(f"{what} {batch_id!r}. Recent batches: {known}.")

    def open(self, info: JournalInfo) -> BatchJournal:
        """Continue appending to an existing journal."""
        return BatchJournal(info)

    def supersede(self, info: JournalInfo) -> None:
        """Mark a journal as replaced (``--restart``): it stays on disk for the record."""
        _append(info.path, {"type": "superseded", "at": _now()})
        info.superseded = True


__all__ = [
    "BACKED_UP",
    "FAILED",
    "MAY_BE_WRITTEN",
    "PLANNED",
    "SKIPPED",
    "STOPPED",
    "VERIFIED",
    "WRITTEN",
    "BatchJournal",
    "CourseEntry",
    "JournalInfo",
    "JournalStore",
    "journals_dir",
    "read_journal",
]
