"""Backups of the server's schedule, written before every PUT (no backup, no PUT).

One JSON file per backup: the server's full ``itemSchedules`` document (GET shape, every
field kept) plus a ``backup`` block of metadata. The file is itself a valid schedules
document, so ``schedctl put`` and ``restore`` can send it back. When the schedule still
has the server's JSON body (``Schedule.source``), that body is written as it came, which
is both the most faithful copy and the fastest to write; otherwise (XML, or a schedule
made here) it is written from the parsed items.

Beside each backup, the schedule the save then sent: its "after save" snapshot
(``<backup name>.after.json``, same shape). If another person's save overwrites this one
within the moment between this save's read and its PUT, what this one sent is still here.

Layout: ``<data dir>/backups/<server>/<course id>/<UTC time>-<fingerprint>.json``, one
folder per server (base URL), private to the user (0700; files 0600). Backups an older
version wrote to ``backups/<course id>/`` are still listed for the server they name.
A backup that cannot be read is listed as damaged, in its place, so numbers stay put.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from ..core import codec
from ..core.model import Schedule
from ..core.times import TimestampError, format_timestamp, parse_timestamp
from .paths import StoreError, atomic_write, backups_dir, data_dir, safe_name

FORMAT_VERSION = 1
AFTER_SUFFIX = ".after.json"
_NAME_TIME = "%Y%m%dT%H%M%S%fZ"
#: One encoder for every item: ``json.dumps(..., ensure_ascii=False)`` builds a new
#: one per call, a fifth of the time of a 10,000-item snapshot.
_ENCODER = json.JSONEncoder(ensure_ascii=False)


def public_url(url: str) -> str:
    """``url`` without user info, query or fragment, scheme and host in lower case and
    no trailing slash (safe to store; equal for equal servers)."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return url.strip()
    host = (parts.hostname or "") + (f":{port}" if port else "")
    return urlunsplit((parts.scheme.lower(), host, parts.path.rstrip("/"), "", ""))


def server_folder(base_url: str) -> str:
    """The folder name for one server: readable host, plus a hash of the whole URL."""
    public = public_url(base_url)
    host = urlsplit(public).netloc or "server"
    return f"{safe_name(host.replace(':', '_'))}-{hashlib.sha256(public.encode()).hexdigest()[:8]}"


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
    items = ",\n".join(map(_ENCODER.encode, document[codec.ROOT]))
    meta_text = json.dumps(meta, ensure_ascii=False)
    return f'{{"backup": {meta_text},\n"{codec.ROOT}": [\n{items}\n]}}\n'.encode()


@dataclass(frozen=True, slots=True)
class BackupInfo:
    """What a backup file says about itself.

    ``damaged`` says why a file could not be read (then the other fields are what its
    name and folder tell); ``after`` is its after-save snapshot, if there is one.
    """

    path: Path
    course_id: str
    created: datetime
    fingerprint: str
    base_url: str
    items: int
    reason: str = ""
    damaged: str = ""
    after: Path | None = None


class BackupStore:
    """Backups per server and course in ``root`` (default: the user data dir)."""

    def __init__(self, root: Path | None = None, *, base_url: str = "") -> None:
        self.root = root if root is not None else backups_dir()
        self._private_top = root if root is not None else data_dir()
        self.base_url = public_url(base_url) if base_url else ""

    def course_dir(self, course_id: str) -> Path:
        """This server's folder for the course (without a base URL: the old layout)."""
        course = safe_name(str(course_id))
        if not self.base_url:
            return self.root / course
        return self.root / server_folder(self.base_url) / course

    def _meta(self, schedule: Schedule, created: datetime, reason: str) -> dict[str, object]:
        return {
            "courseId": schedule.course_id,
            "createdAt": format_timestamp(created),
            "fingerprint": schedule.fingerprint(),
            "baseUrl": self.base_url,
            "items": len(schedule),
            "reason": reason,
            "formatVersion": FORMAT_VERSION,
        }

    def _write(self, path: Path, schedule: Schedule, meta: dict[str, object]) -> Path:
        data = _with_meta(schedule.source, meta) if schedule.source_format == "json" else None
        if data is None:
            data = _document_with_meta(schedule, meta)
        return atomic_write(path, data, private_top=self._private_top)

    def write(self, schedule: Schedule, *, reason: str = "before save") -> Path:
        """Write ``schedule`` as a new backup; raises :class:`StoreError` if it cannot."""
        created = datetime.now(UTC)
        meta = self._meta(schedule, created, reason)
        name = f"{created.strftime(_NAME_TIME)}-{meta['fingerprint']}.json"
        return self._write(self.course_dir(schedule.course_id) / name, schedule, meta)

    __call__ = write  # a BackupStore is the ``backup`` callable of the save pipeline

    def write_after(
        self, schedule: Schedule, backup_path: Path, *, reason: str = "after save"
    ) -> Path:
        """Write the schedule a save sends beside that save's backup (the pipeline's
        ``snapshot`` callable); raises :class:`StoreError` if it cannot."""
        meta = self._meta(schedule, datetime.now(UTC), reason)
        meta["snapshotOf"] = backup_path.name
        path = backup_path.with_name(backup_path.name.removesuffix(".json") + AFTER_SUFFIX)
        return self._write(path, schedule, meta)

    def for_course(self, course_id: str) -> list[BackupInfo]:
        """Backups of one course on this server, newest first; damaged ones included."""
        folders = [self.course_dir(course_id)]
        legacy = self.root / safe_name(str(course_id))
        if self.base_url and legacy not in folders:
            folders.append(legacy)
        infos = []
        for folder in folders:
            if not folder.is_dir():
                continue
            for path in folder.glob("*.json"):
                if path.name.endswith(AFTER_SUFFIX):
                    continue
                info = self._info(path, str(course_id))
                if folder == legacy and (info.damaged or info.base_url != self.base_url):
                    continue  # another server's, or nobody can tell whose
                infos.append(info)
        return sorted(infos, key=lambda info: (info.created, info.path.name), reverse=True)

    def _info(self, path: Path, course_id: str = "") -> BackupInfo:
        after = path.with_name(path.name.removesuffix(".json") + AFTER_SUFFIX)
        snapshot = after if after.is_file() else None
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
                after=snapshot,
            )
        except OSError as exc:
            problem = f"cannot be read: {exc.strerror or exc}"
        except (ValueError, KeyError, TypeError, TimestampError, RecursionError) as exc:
            problem = _damage(exc)
        return self._damaged(path, course_id or path.parent.name, problem, snapshot)

    def _damaged(self, path: Path, course_id: str, problem: str, after: Path | None) -> BackupInfo:
        """What the file's name and folder tell: when it was written, of what."""
        stamp, _, fingerprint = path.stem.partition("-")
        try:
            # Seconds, as the metadata has them: the file sorts where it did when whole.
            created = datetime.strptime(stamp, _NAME_TIME).replace(tzinfo=UTC, microsecond=0)
        except ValueError:
            try:
                created = datetime.fromtimestamp(path.stat().st_mtime, UTC)
            except OSError:
                created = datetime.fromtimestamp(0, UTC)
        return BackupInfo(
            path, course_id, created, fingerprint, self.base_url, 0, "", problem, after
        )

    def find(self, course_id: str, which: str) -> Path:
        """A backup by path, by file name, or by number in :meth:`for_course` (1 = newest)."""
        return self.find_info(course_id, which).path

    def find_info(self, course_id: str, which: str) -> BackupInfo:
        """Like :meth:`find`, with what the file says about itself (a path outside the
        store too: check its ``base_url`` and ``course_id``; a file given by path that
        is not a backup is taken as a schedules document of an unknown server)."""
        candidate = Path(which).expanduser()
        if candidate.is_file():
            info = self._info(candidate, str(course_id))
            if info.damaged:  # any schedules file will do; :meth:`load` says if it is none
                return BackupInfo(candidate, str(course_id), info.created, "", "", 0)
            return info
        backups = self.for_course(course_id)
        if which.isdigit() and 1 <= int(which) <= len(backups):
            return backups[int(which) - 1]
        for info in backups:
            if which in (info.path.name, info.path.stem):
                return info
            if info.after is not None and which in (info.after.name, info.after.stem):
                return self._info(info.after, str(course_id))
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
        info = self._info(path, course_id or "")
        course = course_id or (info.course_id if not info.damaged else "")
        try:
            schedule = codec.parse(data, course, "json")
        except codec.ScheduleFormatError as exc:
            raise StoreError(f"{path} is not a usable backup: {exc}.") from exc
        return (None if info.damaged else info), schedule


def _damage(exc: Exception) -> str:
    """A short reason a backup file cannot be used."""
    if isinstance(exc, KeyError):
        return f"no backup information ({exc} missing)"
    if isinstance(exc, json.JSONDecodeError):
        return "not valid JSON (cut short or overwritten?)"
    return f"not a backup ({type(exc).__name__})"
