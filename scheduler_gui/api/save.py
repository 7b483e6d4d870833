"""The one safe save pipeline, shared by ``schedctl put`` and the editor window.

validate -> GET the server's current schedule -> conflict check (or three-way merge, or
force) -> back up the server's state -> ONE PUT with every item -> GET again and verify
every item -> :class:`SaveReport`.

Nothing is lost at any step: the backup is written before the PUT (no backup, no PUT),
the caller keeps the edits (draft or file), and each failure is a typed error whose
message says what happened and what to do. A save is reported as done only after the
server's own copy was read back and matched what was sent.

Speed (10,000 items, measured by ``python -m benchmarks``), none of it skipping a step:
the items are validated once (after the GET only the item ids are checked again, unless
a merge made new items); the client does not parse again a body byte for byte the one
it parsed last, and a body equal to the base's means unchanged without hashing; the PUT
body is encoded while the server answers the first GET; the backup is the server's own
body, written as it came.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, tzinfo
from pathlib import Path
from typing import Any, Protocol, TypeVar

from ..core.diff import ScheduleDiff, diff_schedules
from ..core.gc_pause import collector_paused
from ..core.merge import three_way_merge
from ..core.model import ItemSchedule, Schedule
from ..core.validate import (
    describe,
    has_errors,
    identity_findings,
    validate,
)
from .errors import LearningStudioError, NetworkError, ServerError
from .save_errors import (
    BackupFailedError,
    ConcurrentSaveError,
    SaveCancelledError,
    SaveConflictError,
    SaveNotAppliedError,
    SaveOutcomeUnknownError,
    ValidationFailedError,
    VerificationFailedError,
)

#: ``progress(message, step, steps)``: step counts from 1.
Progress = Callable[[str, int, int], None]
#: Writes the server's current schedule somewhere safe and returns where.
Backup = Callable[[Schedule], Path | str]
#: Writes the schedule a save sends, beside the backup (given), and returns where.
Snapshot = Callable[[Schedule, Path], Path | str]
STEPS = 5
T = TypeVar("T")


class ScheduleClient(Protocol):
    """What the pipeline needs from :class:`~.client.LearningStudioClient`."""

    def get_schedule(self, course: str | int, *, with_parents: bool = True) -> Schedule: ...

    def put_body(self, schedule: Schedule, *, previous: Schedule | None = None) -> bytes: ...

    def put_schedule(
        self,
        course_id: str | int,
        schedule: Schedule,
        *,
        previous: Schedule | None = None,
        body: bytes | None = None,
    ) -> None: ...


# --------------------------------------------------------------------------- report


@dataclass(frozen=True, slots=True)
class SaveReport:
    """What a save did.

    Attributes:
        course_id: the numeric course id written to.
        changed_items: how many items the PUT changed (0 with ``nothing_to_save``).
        changes: the field-level diff from the server's state to what was sent.
        backup_path: where the server's previous state was written (None if no PUT).
        snapshot_path: where the schedule as sent was written, beside the backup (None
            if no PUT, or no snapshot was asked for or it could not be written).
        schedule: the server's schedule after the save (verified); the new base.
        merged: True if server changes made meanwhile were merged in.
        nothing_to_save: True if the edits equal the server's state (no PUT was sent).
        note: an extra sentence for the user (e.g. the connection dropped but the save
            was verified).
        timings: seconds per step.
    """

    course_id: str
    changed_items: int
    changes: ScheduleDiff
    backup_path: Path | None
    schedule: Schedule
    merged: bool = False
    nothing_to_save: bool = False
    note: str = ""
    timings: dict[str, float] = field(default_factory=dict)
    snapshot_path: Path | None = None

    @property
    def message(self) -> str:
        """One or two sentences for the status bar or the terminal."""
        if self.nothing_to_save:
            return "Nothing to save: the server already has this schedule."
        merged = " (merged with changes made on the server)" if self.merged else ""
        text = (
            f"Saved {self.changed_items} changed item(s) of {len(self.schedule)}{merged}; "
            f"the server's copy was checked. Backup of the previous schedule: {self.backup_path}."
        )
        return f"{text} {self.note}".strip()


# --------------------------------------------------------------------------- pipeline


def written_key(item: ItemSchedule) -> tuple[Any, ...]:
    """What a PUT writes for ``item``: ``schedule_key`` without an inherited item's dates."""
    key = item.schedule_key()
    if item.is_inherited:
        return (*key[:2], None, None, *key[4:])
    return key


def mismatches(sent: Schedule, stored: Schedule) -> list[ItemSchedule]:
    """Items of ``sent`` that ``stored`` does not hold as sent (missing ones included)."""
    stored_by_id = stored.by_id
    bad = []
    for item in sent.items:
        other = stored_by_id.get(item.item_id)
        if other is None:
            bad.append(item)
        elif _fields(other) != _fields(item) and written_key(other) != written_key(item):
            bad.append(item)  # equal fields write equal keys: only the rest are formatted
    return bad


def _fields(item: ItemSchedule) -> tuple[Any, ...]:
    """The fields ``written_key`` is made of, unformatted (cheap to compare)."""
    return (
        item.is_inherited,
        item.start,
        item.end,
        item.can_access_before_start,
        item.can_access_after_end,
        item.due,
    )


def _unchanged_since(base: Schedule | str, remote: Schedule) -> bool:
    """True if the server's schedule is still the one the edit started from.

    The same body from the server is the same schedule, which spares hashing every item;
    anything else is decided by the fingerprints.
    """
    if isinstance(base, Schedule):
        if remote.source is not None and remote.source == base.source:
            # Same body, same items: the base's hash (if made) serves the backup's name.
            known = base.__dict__.get("_fingerprint")
            if known is not None:
                remote.__dict__.setdefault("_fingerprint", known)
            return True
        return remote.fingerprint() == base.fingerprint()
    return remote.fingerprint() == base


def _in_background(work: Callable[[], T]) -> Future[T]:
    """Start ``work`` on a thread of its own; the future gives its result or error."""
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="save")
    future = pool.submit(work)
    pool.shutdown(wait=False)  # the thread ends with ``work``
    return future


def _early_put_body(client: ScheduleClient, edited: Schedule, base: Schedule | str) -> bytes | None:
    """Work done while the server answers the first GET (~0.1 s for 10,000 items).

    Returns the PUT body of the edit against the base, which is exactly the body to send
    if the server still has the base; and hashes the base for the conflict check.
    """
    if not isinstance(base, Schedule):
        return None
    body = client.put_body(edited, previous=base)
    base.fingerprint()  # cached on the base
    return body


def _with_parents_of(schedule: Schedule, source: Schedule) -> Schedule:
    parents = {item.item_id: item.parent_id for item in source.items}
    if not any(parents.values()):
        return schedule
    return schedule.with_parents(parents)


class _Steps:
    def __init__(self, progress: Progress | None, cancelled: Callable[[], bool] | None) -> None:
        self.progress, self.cancelled = progress, cancelled
        self.timings: dict[str, float] = {}
        self.number = 0
        self._name = ""
        self._started = 0.0

    def start(self, name: str, message: str, *, cancellable: bool = True) -> None:
        self.finish()
        if cancellable and self.cancelled is not None and self.cancelled():
            raise SaveCancelledError()
        self.number += 1
        self._name, self._started = name, time.monotonic()
        if self.progress is not None:
            self.progress(message, self.number, STEPS)

    def finish(self) -> None:
        if self._name:
            self.timings[self._name] = time.monotonic() - self._started
            self._name = ""


# Parsing, hashing and encoding 10,000 items make ~100,000 objects and no cycles; without
# the pause, the collector's full passes over the heap cost ~5% of a save.
@collector_paused()
def save_schedule(
    client: ScheduleClient,
    course_id: str | int,
    *,
    base: Schedule | str,
    edited: Schedule,
    backup: Backup,
    snapshot: Snapshot | None = None,
    merge: bool = False,
    force: bool = False,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    tz: tzinfo = UTC,
    validated: bool = False,
) -> SaveReport:
    """Save ``edited`` to the course safely; see the module docstring.

    Args:
        client: the API client.
        course_id: numeric id or ``ccn=CALLNUMBER``.
        base: the schedule the edit started from (or its fingerprint; merge needs the
            schedule).
        edited: every item as it should be after the save.
        backup: writes the server's current schedule; must succeed or nothing is sent.
        snapshot: writes the schedule as sent beside the backup (the "after save"
            snapshot), while the PUT is on its way: if another writer's save overwrites
            this one, what this one sent is still on disk.
        merge: if the server changed meanwhile, merge non-overlapping changes.
        force: if the server changed meanwhile, overwrite it anyway.
        progress: called at the start of each step.
        cancelled: checked between steps up to the PUT (never during or after it).
        tz: the course time zone, for messages.
        validated: the caller has just validated ``edited`` with ``tz`` and stopped on
            errors (``schedctl put`` does, to list them): it is not validated again.

    Raises:
        ValidationFailedError, SaveConflictError, BackupFailedError, SaveCancelledError,
        VerificationFailedError, SaveNotAppliedError, SaveOutcomeUnknownError, or any
        LearningStudioError of the client.
    """
    steps = _Steps(progress, cancelled)
    steps.start("validate", "Checking the schedule")
    if not validated:
        findings = validate(edited, tz=tz)
        if has_errors(findings):
            raise ValidationFailedError(findings)

    steps.start("read", "Reading the course from the server")
    early_body = _in_background(lambda: _early_put_body(client, edited, base))
    # Parents are not read here: nothing below needs them but what is handed back.
    remote = client.get_schedule(course_id, with_parents=False)
    base_schedule = base if isinstance(base, Schedule) else None
    to_send, merged = edited, False
    changes = diff_schedules(remote, edited)
    unchanged = _unchanged_since(base, remote)
    if changes and not force and not unchanged:
        if not (merge and base_schedule is not None):
            raise SaveConflictError(base_schedule, edited, _with_parents_of(remote, edited), tz=tz)
        result = three_way_merge(base_schedule, edited, remote)
        if result.conflicts:
            raise SaveConflictError(
                base_schedule, edited, _with_parents_of(remote, edited), result.conflicts, tz=tz
            )
        to_send, merged = _with_parents_of(result.schedule, edited), True
    to_send = Schedule(remote.course_id, to_send.items, source_format=remote.source_format)
    # The items were validated above; a merge made new ones, which are checked in full.
    expected = list(remote.by_id)
    if merged:
        findings = validate(to_send, expected_ids=expected, tz=tz)
        changes = diff_schedules(remote, to_send)
    else:
        findings = identity_findings(to_send, expected)
    if has_errors(findings):
        raise ValidationFailedError(findings)
    if not changes:
        steps.finish()
        remote = _with_parents_of(remote, edited)
        return SaveReport(
            remote.course_id, 0, changes, None, remote, merged, True, timings=steps.timings
        )

    steps.start("backup", "Backing up the server's current schedule")
    try:
        backup_path = Path(backup(remote))
    except LearningStudioError:
        raise
    except Exception as exc:
        raise BackupFailedError(
            f"Nothing was saved: the backup of the server's schedule could not be written "
            f"({exc}). Free some disk space or fix the data folder's permissions, then retry."
        ) from exc

    steps.start("put", f"Saving all {len(to_send)} items")  # the last chance to cancel
    note = ""
    # The early body is the body of exactly these items and this server state only if
    # the items are the edit's and the server still has the base.
    body = early_body.result() if unchanged and not merged else None
    # Written while the server works on the PUT and answers the verify GET (the backup,
    # fsynced above, already protects the data); waited for before any outcome is
    # reported, so none comes without it on disk.
    snapshot_job = (
        _in_background(lambda: Path(snapshot(to_send, backup_path)))
        if snapshot is not None
        else None
    )
    try:
        client.put_schedule(remote.course_id, to_send, previous=remote, body=body)
    except (NetworkError, ServerError) as exc:
        snapshot_path, _ = _snapshot_result(snapshot_job)
        # The PUT may or may not have been applied: ask the server.
        try:
            now = client.get_schedule(remote.course_id, with_parents=False)
        except LearningStudioError:
            raise SaveOutcomeUnknownError(backup_path) from exc
        if mismatches(to_send, now):
            if now.fingerprint() == remote.fingerprint():
                raise SaveNotAppliedError(backup_path) from exc
            raise SaveOutcomeUnknownError(backup_path) from exc
        note = "The connection failed after sending, but the server has every change."
    except BaseException:
        _snapshot_result(snapshot_job)
        raise

    steps.start("verify", "Checking what the server saved", cancellable=False)
    try:
        stored = client.get_schedule(remote.course_id, with_parents=False)
    except LearningStudioError as exc:
        _snapshot_result(snapshot_job)
        raise SaveOutcomeUnknownError(backup_path, exc, read_back=True) from exc
    except BaseException:
        _snapshot_result(snapshot_job)
        raise
    snapshot_path, snapshot_note = _snapshot_result(snapshot_job)
    note = f"{note} {snapshot_note}".strip()
    _verify(to_send, stored, remote, backup_path, snapshot_path)
    steps.finish()
    return SaveReport(
        remote.course_id,
        len(changes.changed_ids),
        changes,
        backup_path,
        _with_parents_of(stored, edited),
        merged,
        False,
        note,
        steps.timings,
        snapshot_path,
    )


def _snapshot_result(job: Future[Path] | None) -> tuple[Path | None, str]:
    """Where the snapshot went, or a note saying it could not be written."""
    if job is None:
        return None, ""
    try:
        return job.result(), ""
    except Exception as exc:  # the save itself goes on: the backup was written
        return None, f"The after-save snapshot could not be written ({exc})."


def _verify(
    sent: Schedule,
    stored: Schedule,
    before: Schedule,
    backup_path: Path | None,
    snapshot_path: Path | None,
) -> None:
    """Raise unless ``stored`` holds ``sent`` exactly, naming the items and the cause.

    An item this save did not change that the server now holds differently from before
    is another writer's change: a :class:`ConcurrentSaveError`. Items missing, extra
    or stored differently are a :class:`VerificationFailedError` that names them.
    """
    bad = mismatches(sent, stored)
    sent_ids = sent.by_id
    extra = [item for item in stored.items if item.item_id not in sent_ids]
    if not bad and not extra and len(stored) == len(sent):
        return
    stored_by_id, before_by_id = stored.by_id, before.by_id
    missing = [item for item in bad if item.item_id not in stored_by_id]
    others, neither = [], []
    for item in bad:
        now, then = stored_by_id.get(item.item_id), before_by_id.get(item.item_id)
        if now is None or then is None or written_key(now) == written_key(then):
            continue  # missing, or the server kept what it had
        neither.append(now)
        if written_key(item) == written_key(then):  # not ours to change: someone else's
            others.append(now)
    if others and not missing and not extra:
        raise ConcurrentSaveError(bad, others, backup_path, snapshot_path)
    error = VerificationFailedError(
        bad, backup_path, extra=extra, missing=missing, snapshot_path=snapshot_path
    )
    if neither and not missing and not extra:
        error.message = (
            f"{error.message} The server holds {describe(neither[0])} as neither what was "
            "sent nor what it had before: someone else may have saved it at the same time."
        )
        error.args = (error.message,)
    raise error


__all__ = [
    "STEPS",
    "Backup",
    "BackupFailedError",
    "ConcurrentSaveError",
    "Progress",
    "SaveCancelledError",
    "SaveConflictError",
    "SaveNotAppliedError",
    "SaveOutcomeUnknownError",
    "SaveReport",
    "Snapshot",
    "ValidationFailedError",
    "VerificationFailedError",
    "mismatches",
    "save_schedule",
    "written_key",
]
