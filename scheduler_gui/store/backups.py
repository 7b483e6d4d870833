"""Backups of the server's schedule, written before every PUT (no backup, no PUT).

One JSON file per backup: the server's full ``itemSchedules`` document (GET shape, every
field kept) plus a ``backup`` block of metadata. The file is itself a valid schedules
document, so ``schedctl put`` and ``restore`` can send it back. When the schedule still
has the server's JSON body (``Schedule.source``), that body is written as it came, which
is both the most faithful copy and the fastest to write; otherwise (XML, or a schedule
made here) it is written from the parsed items.
Layout: ``<data dir>/backups/<course id>/<UTC time>-<fingerprint>.json``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from ..core import codec
from ..core.model import Schedule
from ..core.times import TimestampError, format_timestamp, parse_timestamp
from .paths import StoreError, atomic_write, backups_dir, safe_name

FORMAT_VERSION = 1


def public_url(url: str) -> str:
    """``url`` without user info, query or fragment (safe to store)."""
    parts = urlsplit(url)
    host = (parts.hostname or "") + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def _read(path: Path) -> bytes:
    """The file's bytes; past the codec's size limit only enough to know it is too big."""
    with path.open("rb") as handle:
        return handle.read(codec.MAX_BODY_BYTES + 1)


def _with_meta(body: bytes | None, meta: dict[str, object]) -> bytes | None:
    """The server's JSON body verbatim, with ``"backup": meta`` added as its last key.

    Last, because a JSON reader keeps the last of two equal keys: the metadata wins even
    over a top-level "backup" the server might send. ``None`` when the body is not a plain
    UTF-8 JSON object (e.g. UTF-16), which is then written from the parsed schedule.
    """
    if body is None:
        return None
    document = body.rstrip()
    if not (document.startswith(b"{") and document.endswith(b"}")):
        return None
    if document[:-1].rstrip() == b"{":  # an empty object takes no comma
        return None
    meta_text = json.dumps(meta, ensure_ascii=False).encode("utf-8")
    return document[:-1] + b',\n"backup": ' + meta_text + b"}\n"


def _document_with_meta(schedule: Schedule, meta: dict[str, object]) -> bytes:
    """The schedule as a GET-shaped document plus ``"backup": meta``."""
    document = codec.to_obj(schedule)
    # One item per line, like a schedules file: readable and diffable. Not ``indent=``:
    # it makes ``json`` use its pure-Python encoder, ~0.25 s for 10,000 items.
    items = ",\n".join(json.dumps(item, ensure_ascii=False) for item in document[codec.ROOT])
    meta_text = json.dumps(meta, ensure_ascii=False)
    return f'{{"backup": {meta_text},\n"{codec.ROOT}": [\n{items}\n]}}\n'.encode()


@dataclass(frozen=True, slots=True)
class BackupInfo:
    """What a backup file says about itself."""

    path: Path
    course_id: str
    created: datetime
    fingerprint: str
    base_url: str
    items: int
    reason: str = ""


class BackupStore:
    """Backups per course in ``root`` (default: the user data dir)."""

    def __init__(self, root: Path | None = None, *, base_url: str = "") -> None:
        self.root = root if root is not None else backups_dir()
        self.base_url = public_url(base_url) if base_url else ""

    def course_dir(self, course_id: str) -> Path:
        return self.root / safe_name(str(course_id))

    def write(self, schedule: Schedule, *, reason: str = "before save") -> Path:
        """Write ``schedule`` as a new backup; raises :class:`StoreError` if it cannot."""
        created = datetime.now(UTC)
        fingerprint = schedule.fingerprint()
        meta = {
            "courseId": schedule.course_id,
            "createdAt": format_timestamp(created),
            "fingerprint": fingerprint,
            "baseUrl": self.base_url,
            "items": len(schedule),
            "reason": reason,
            "formatVersion": FORMAT_VERSION,
        }
        data = _with_meta(schedule.source, meta) if schedule.source_format == "json" else None
        if data is None:
            data = _document_with_meta(schedule, meta)
        name = f"{created.strftime('%Y%m%dT%H%M%S%fZ')}-{fingerprint}.json"
        return atomic_write(self.course_dir(schedule.course_id) / name, data)

    __call__ = write  # a BackupStore is the ``backup`` callable of the save pipeline

    def for_course(self, course_id: str) -> list[BackupInfo]:
        """Backups of one course, newest first (unreadable files are skipped)."""
        folder = self.course_dir(course_id)
        if not folder.is_dir():
            return []
        infos = []
        for path in folder.glob("*.json"):
            info = self._info(path)
            if info is not None:
                infos.append(info)
        return sorted(infos, key=lambda info: (info.created, info.path.name), reverse=True)

    def _info(self, path: Path) -> BackupInfo | None:
        try:
            meta = json.loads(_read(path))["backup"]
            return BackupInfo(
                path,
                str(meta["courseId"]),
                parse_timestamp(meta["createdAt"]),
                str(meta["fingerprint"]),
                str(meta.get("baseUrl", "")),
                int(meta.get("items", 0)),
                str(meta.get("reason", "")),
            )
        except (OSError, ValueError, KeyError, TypeError, TimestampError, RecursionError):
            return None

    def find(self, course_id: str, which: str) -> Path:
        """A backup by path, by file name, or by number in :meth:`for_course` (1 = newest)."""
        candidate = Path(which).expanduser()
        if candidate.is_file():
            return candidate
        backups = self.for_course(course_id)
        if which.isdigit() and 1 <= int(which) <= len(backups):
            return backups[int(which) - 1].path
        for info in backups:
            if info.path.name == which or info.path.stem == which:
                return info.path
        raise StoreError(
            f"No backup {which!r} for course {course_id}. "
            f"List them with: schedctl backups {course_id}"
        )

    def load(self, path: Path, course_id: str | None = None) -> tuple[BackupInfo | None, Schedule]:
        """Read a backup (or any schedules JSON file) back into a schedule."""
        try:
            data = _read(path)
        except OSError as exc:
            raise StoreError(f"Could not read the backup {path}: {exc.strerror or exc}.") from exc
        info = self._info(path)
        course = course_id or (info.course_id if info else "")
        try:
            schedule = codec.parse(data, course, "json")
        except codec.ScheduleFormatError as exc:
            raise StoreError(f"{path} is not a usable backup: {exc}.") from exc
        return info, schedule
