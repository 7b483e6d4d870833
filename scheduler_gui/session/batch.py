"""Many courses at once: bounded, adaptive concurrency on one client, resumable journal.

A batch has two phases, both run on up to ``jobs`` courses at once on one shared
client (one login; its token is renewed once for everybody, see ``api/auth.py``):

1. **check** (:func:`check_shifts`, read-only): read every course, work out its edit,
   validate it; unknown courses, missing permission and dates that would land outside
   1990–2100 are all listed, and nothing is written while any stands. With a journal of
   an earlier run of the same batch, a course whose server state already is the
   journal's "after" is *already done*; one that is neither "before" nor "after" is a
   problem (someone changed it meanwhile).
2. **write** (:func:`write_all`): each course through the one save pipeline
   (``api/save.py``: validate, conflict check, backup, one PUT, verify), every step
   recorded in the journal and fsynced before the next, so a batch killed at any moment
   can be run again and never writes a course twice.

A 429 slows the whole batch (:class:`~scheduler_gui.api.throttle.AdaptiveThrottle`).
Cancelling (the app's Cancel, Ctrl+C) starts no further course; the courses already
under way finish, their verify included, so none is left half done. Qt-free: the CLI
and the Batch window drive it and show its events.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar
from zoneinfo import ZoneInfo

from ..api.errors import AuthenticationError, LearningStudioError
from ..api.save import STEPS, SaveCancelledError, save_schedule, written_key
from ..api.throttle import AdaptiveThrottle
from ..core.model import Schedule
from ..core.shift import ShiftError, preview_lines, shift_schedule
from ..core.shift_order import OrderError, ShiftOrder
from ..core.validate import Severity, validate
from ..store.journal import (
    BACKED_UP,
    FAILED,
    PLANNED,
    SKIPPED,
    STOPPED,
    VERIFIED,
    WRITTEN,
    BatchJournal,
    JournalInfo,
)
from ..store.paths import StoreError

DEFAULT_JOBS = 4
MAX_JOBS = 32

# What became of a course.
READY = "ready"  # checked, will be written
UNCHANGED = "nothing to change"
ALREADY_DONE = "already done"  # by an earlier run of this batch (journal + server agree)
PROBLEM = "problem"  # found by the check: nothing of the batch is written
DONE = "verified"
FAILED_STATUS = "failed"
STOPPED_STATUS = "stopped"  # stopped before its PUT (a journal that broke): not written
NOT_STARTED = "not started"  # cancelled before it began

T = TypeVar("T")
R = TypeVar("R")


class BackupWriter(Protocol):
    """What a batch needs of :class:`~scheduler_gui.store.backups.BackupStore`."""

    def write(self, schedule: Schedule, *, reason: str = ...) -> Any: ...

    def write_after(self, schedule: Schedule, backup_path: Path, *, reason: str = ...) -> Any: ...


def written_fingerprint(schedule: Schedule) -> str:
    """A hash of what a PUT of ``schedule`` writes, in item-id order.

    Inherited items count without their (computed) dates, exactly as the save
    pipeline's verify compares them: the server's copy after a PUT of ``edited`` has the
    same written fingerprint as ``edited``, though its inherited dates follow their units.
    """
    keys = sorted((written_key(item) for item in schedule.items), key=lambda key: key[0])
    payload = json.dumps(keys, separators=(",", ":"), default=str)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def batch_key(kind: str, base_url: str, user: str, tasks: Iterable[Any]) -> str:
    """The identity of a batch: the same command on the same server is the same batch."""
    payload = json.dumps(
        [kind, base_url.rstrip("/").lower(), user.lower(), list(tasks)],
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:24]


def clamp_jobs(jobs: int | None) -> int:
    return DEFAULT_JOBS if jobs is None else max(1, min(MAX_JOBS, jobs))


# --------------------------------------------------------------------------- results


@dataclass
class Prepared:
    """One course, read and checked: what it is now and what it will be."""

    course: str  # as the user wrote it
    course_id: str = ""  # numeric, once read
    base: Schedule | None = None
    edited: Schedule | None = None
    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))
    status: str = READY
    problems: list[str] = field(default_factory=list)
    summary: str = ""
    preview: list[str] = field(default_factory=list)
    changed_items: int = 0
    moves: int = 0
    order: ShiftOrder | None = None

    @property
    def label(self) -> str:
        return self.course_id or self.course


@dataclass
class CourseResult:
    """How writing one course went (the report's row)."""

    course: str
    course_id: str
    status: str
    changed_items: int = 0
    backup_path: str = ""
    error: str = ""
    exit_code: int = 0
    seconds: float = 0.0
    message: str = ""  # the save's own report, for a few courses

    @property
    def failed(self) -> bool:
        return self.status in (FAILED_STATUS,)


class BatchEvents(Protocol):
    """What a batch tells its watcher (called from worker threads)."""

    def started(self, course: str) -> None: ...

    def finished(self, result: CourseResult) -> None: ...


class _NoEvents:
    def started(self, course: str) -> None:
        pass

    def finished(self, result: CourseResult) -> None:
        pass


# --------------------------------------------------------------------------- running


def run_each(
    items: Sequence[T],
    work: Callable[[T], R],
    throttle: AdaptiveThrottle,
) -> list[R]:
    """``work(item)`` for every item on up to ``throttle.limit`` threads; results in
    input order. If ``work`` raises, the first such error (in input order) is raised once
    every item has been tried."""
    if not items:
        return []

    def one(item: T) -> R:
        with throttle.slot():
            return work(item)

    workers = min(throttle.max_jobs, len(items))
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="batch")
    try:
        return list(pool.map(one, items))
    except BaseException:
        # Ctrl+C (or an error): start no further item; those under way finish.
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    finally:
        pool.shutdown(wait=True)


ZoneOf = Callable[[ShiftOrder, str], ZoneInfo]


def check_shifts(
    client: Any,
    orders: Sequence[ShiftOrder],
    *,
    throttle: AdaptiveThrottle,
    zone_of: ZoneOf,
    journal: JournalInfo | None = None,
    preview_limit: int | None = 20,
    on_checked: Callable[[Prepared], None] | None = None,
) -> list[Prepared]:
    """Read and shift every course (see the module docstring, phase 1).

    Raises:
        AuthenticationError: the login itself failed (no course can be read).
    """
    login_failed: list[AuthenticationError] = []

    def check(order: ShiftOrder) -> Prepared:
        prepared = Prepared(order.course, order=order)
        if login_failed:
            prepared.status = PROBLEM
            return prepared
        try:
            _check_one(client, order, prepared, zone_of, journal, preview_limit)
        except AuthenticationError as exc:
            login_failed.append(exc)
            prepared.status = PROBLEM
        except LearningStudioError as exc:
            prepared.status = PROBLEM
            prepared.problems.append(f"{_where(order, '')}: {exc}")
        if on_checked is not None:
            on_checked(prepared)
        return prepared

    checked = run_each(orders, check, throttle)
    if login_failed:
        raise login_failed[0]
    _flag_duplicates(checked)
    return checked


def _check_one(
    client: Any,
    order: ShiftOrder,
    prepared: Prepared,
    zone_of: ZoneOf,
    journal: JournalInfo | None,
    preview_limit: int | None,
) -> None:
    current = client.get_schedule(order.course, with_parents=order.needs_parents)
    prepared.course_id, prepared.base = current.course_id, current
    where = _where(order, current.course_id)
    try:
        prepared.zone = zone_of(order, current.course_id)
        spec = order.spec()
        result = shift_schedule(current, spec, prepared.zone)
    except (OrderError, ShiftError, ValueError) as exc:
        prepared.status = PROBLEM
        prepared.problems.append(f"{where}: {exc}")
        return
    prepared.edited = result.schedule
    prepared.changed_items, prepared.moves = len(result.changed), len(result.moves)
    prepared.summary = shift_summary(result)
    if preview_limit != 0:  # 0: not shown (a big batch shows one line per course)
        prepared.preview = preview_lines(result, prepared.zone, preview_limit)
    entry = journal.entries.get(current.course_id) if journal is not None else None
    if entry is not None and entry.after and entry.before != entry.after:
        if written_fingerprint(current) == entry.after:
            prepared.status = ALREADY_DONE
            prepared.changed_items = prepared.moves = 0
            prepared.preview = []
            return
        if entry.before and current.fingerprint() != entry.before:
            prepared.status = PROBLEM
            prepared.problems.append(
                f"{where}: changed on the server since this batch planned it ({entry.state} "
                f"at {entry.at}); it is neither as it was nor as the batch leaves it. Check "
                "it, then run with --restart to plan again from what the server has now."
            )
            return
    findings = validate(result.schedule, tz=prepared.zone)
    errors = [f for f in findings if f.severity is Severity.ERROR]
    if errors:  # one line per course: a term can have hundreds
        prepared.status = PROBLEM
        many = f"{len(errors)} problems after the shift, the first: " if len(errors) > 1 else ""
        prepared.problems.append(f"{where}: {many}{errors[0]}")
        return
    if not result.changed:
        prepared.status = UNCHANGED


def _where(order: ShiftOrder, course_id: str) -> str:
    """``Course 123`` or, for a plan's row, ``Plan row 5, course ccn=X (123)``."""
    text = f"Course {order.course}"
    if course_id and course_id != order.course:
        text += f" ({course_id})"
    row = order.extra.get("row")
    if row is not None:
        text = f"{order.extra.get('sheet') or 'Plan'} row {row}, {text[0].lower()}{text[1:]}"
    return text


def _flag_duplicates(checked: list[Prepared]) -> None:
    seen: dict[str, Prepared] = {}
    for prepared in checked:
        if not prepared.course_id:
            continue
        first = seen.setdefault(prepared.course_id, prepared)
        if first is not prepared:
            prepared.status = PROBLEM
            prepared.problems.append(
                f"Course {prepared.course}: the same course as {first.course} "
                f"({prepared.course_id}); list each course once"
            )


def shift_summary(result: Any) -> str:
    """``12 date(s) of 9 item(s) move by +7 days; 1 moved off holidays/blackouts``."""
    from ..core.shift import NoteKind

    if not result.moves:
        return "nothing moves"
    text = f"{len(result.moves)} date(s) of {len(result.changed)} item(s) move"
    if result.days is not None:
        text += f" by {result.days:+d} days"
    labels = {
        NoteKind.HOLIDAY: "moved off holidays/blackouts",
        NoteKind.WEEKDAY: "rounded to keep weekdays",
        NoteKind.DST_GAP: "in a DST gap (moved later)",
        NoteKind.DST_AMBIGUOUS: "at a repeated hour (first used)",
        NoteKind.ORDER: "now end before start",
    }
    counts = result.notes_count
    extra = [f"{counts[kind]} {label}" for kind, label in labels.items() if counts.get(kind)]
    return text + (f"; {', '.join(extra)}" if extra else "")


def problems_of(checked: Iterable[Prepared]) -> list[str]:
    return [problem for prepared in checked for problem in prepared.problems]


# --------------------------------------------------------------------------- writing


class _Stop:
    """The batch's stop flag: the user's cancel, or a journal that cannot be written."""

    def __init__(self, cancelled: Callable[[], bool] | None) -> None:
        self._cancelled = cancelled
        self._broken = threading.Event()
        self.reason = ""

    def __call__(self) -> bool:
        return self._broken.is_set() or (self._cancelled is not None and self._cancelled())

    def journal_broken(self, reason: str) -> None:
        self.reason = reason
        self._broken.set()


def write_all(
    client: Any,
    prepared: Sequence[Prepared],
    *,
    throttle: AdaptiveThrottle,
    backups: BackupWriter,
    journal: BatchJournal | None,
    reason: str,
    cancelled: Callable[[], bool] | None = None,
    events: BatchEvents | None = None,
    force: bool = False,
) -> list[CourseResult]:
    """Write every ``READY`` course through the save pipeline (phase 2).

    Courses already done or with nothing to change are returned as such (and recorded in
    the journal, so that it knows the batch reached them). Never raises for one course:
    its failure is in its result.
    """
    watcher: BatchEvents = events or _NoEvents()
    stop = _Stop(cancelled)

    def write(item: Prepared) -> CourseResult:
        if item.status != READY:
            result = CourseResult(item.course, item.course_id, item.status)
            if journal is not None and item.status in (UNCHANGED, ALREADY_DONE):
                entry = journal.entry(item.course_id)
                if entry is None or entry.state != VERIFIED:
                    _quietly(
                        lambda *a, **k: _safe_record(journal, stop, item.course_id, *a, **k),
                        SKIPPED,
                        reason=item.status,
                    )
            watcher.finished(result)
            return result
        if stop():
            result = CourseResult(item.course, item.course_id, NOT_STARTED, error=stop.reason)
            watcher.finished(result)
            return result
        watcher.started(item.course)
        result = _write_one(client, item, backups, journal, reason, stop, force, early)
        watcher.finished(result)
        return result

    early = ThreadPoolExecutor(max_workers=throttle.max_jobs, thread_name_prefix="backup")
    try:
        results = run_each(prepared, write, throttle)
        if journal is not None and not stop.reason:
            _safe_record_end(journal, "cancelled" if stop() else "finished")
    finally:
        early.shutdown(wait=True)
        if journal is not None:
            journal.close()
    return results


def _safe_record(
    journal: BatchJournal, stop: _Stop, course_id: str, state: str, **fields: Any
) -> None:
    try:
        journal.record(course_id, state, **fields)
    except StoreError as exc:
        stop.journal_broken(f"the batch journal could not be written: {exc}")
        raise


def _safe_record_end(journal: BatchJournal, how: str) -> None:
    with contextlib.suppress(StoreError):  # the courses' own lines are in: enough to resume
        journal.end(how)


def _write_one(
    client: Any,
    item: Prepared,
    backups: BackupWriter,
    journal: BatchJournal | None,
    reason: str,
    stop: _Stop,
    force: bool,
    early: ThreadPoolExecutor,
) -> CourseResult:
    assert item.base is not None and item.edited is not None
    base = item.base
    started = time.monotonic()
    course_id = item.course_id
    backup_path = ""
    # The backup of the course as the check read it, written while the pipeline reads
    # the course again: when the server sends the same bytes, that file is the backup
    # of exactly this state, and the PUT need not wait for the disk.
    early_backup: Future[Any] | None = None
    if base.source is not None:
        early_backup = early.submit(backups.write, base, reason=reason)

    def record(state: str, **fields: Any) -> None:
        if journal is not None:
            _safe_record(journal, stop, course_id, state, **fields)

    def backup(schedule: Schedule) -> Any:
        nonlocal backup_path
        if early_backup is not None and schedule.source == base.source:
            path = early_backup.result()
        else:
            path = backups.write(schedule, reason=reason)
        backup_path = str(path)
        try:
            planned_on_disk()  # before any PUT: what a resume relies on
        except StoreError as exc:
            stop.journal_broken(f"the batch journal could not be written: {exc}")
            raise
        record(BACKED_UP, sync=False, backup=backup_path)
        return path

    def progress(_message: str, step: int, _steps: int) -> None:
        if step == STEPS:  # the verify step: the PUT was answered
            # Not fsynced: "planned" with its "after" is what resuming needs.
            _quietly(record, WRITTEN, sync=False)

    def result(status: str, **fields: Any) -> CourseResult:
        return CourseResult(
            item.course,
            course_id,
            status,
            backup_path=backup_path,
            seconds=time.monotonic() - started,
            **fields,
        )

    try:
        before, after = item.base.fingerprint(), written_fingerprint(item.edited)
        record(PLANNED, sync=False, before=before, after=after)
        # Flushed while the pipeline reads the course; waited for before the PUT.
        planned_on_disk = journal.durable() if journal is not None else _nothing
        report = save_schedule(
            client,
            course_id,
            base=item.base,
            edited=item.edited,
            backup=backup,
            snapshot=lambda schedule, path: backups.write_after(
                schedule, Path(path), reason=reason.replace("before", "after", 1)
            ),
            force=force,
            progress=progress,
            # Not ``cancelled``: a course under way finishes, verify included.
            tz=item.zone,
        )
    except SaveCancelledError:
        _settle(early_backup)
        _quietly(record, STOPPED)
        return result(STOPPED_STATUS, error=stop.reason or "cancelled before it was written")
    except StoreError as exc:
        _settle(early_backup)
        if stop.reason:  # the journal itself: nothing more is recorded
            return result(FAILED_STATUS, error=stop.reason, exit_code=5)
        _quietly(record, FAILED, error=str(exc))
        return result(FAILED_STATUS, error=str(exc), exit_code=exc.exit_code)
    except LearningStudioError as exc:
        _settle(early_backup)
        _quietly(record, FAILED, error=str(exc))
        return result(FAILED_STATUS, error=str(exc), exit_code=exc.exit_code)
    _settle(early_backup)
    if report.nothing_to_save:
        _quietly(record, SKIPPED, reason=UNCHANGED)
        return result(UNCHANGED)
    # Not fsynced on its own (the next line's fsync or the end's covers it): lost only if
    # the machine itself went down, and then a rerun finds the server as "after" anyway.
    with contextlib.suppress(StoreError):
        record(VERIFIED, sync=False, changed=report.changed_items)
    return result(DONE, changed_items=report.changed_items, message=report.message)


def _nothing() -> None:
    pass


def _settle(job: Future[Any] | None) -> None:
    """Wait for a background job whose outcome no longer matters (so no write outlives
    its course)."""
    if job is not None:
        with contextlib.suppress(Exception):
            job.result()


def _quietly(record: Callable[..., None], state: str, **fields: Any) -> None:
    with contextlib.suppress(StoreError):
        record(state, **fields)


__all__ = [
    "ALREADY_DONE",
    "DEFAULT_JOBS",
    "DONE",
    "FAILED_STATUS",
    "MAX_JOBS",
    "NOT_STARTED",
    "PROBLEM",
    "READY",
    "STOPPED_STATUS",
    "UNCHANGED",
    "BatchEvents",
    "CourseResult",
    "Prepared",
    "batch_key",
    "check_shifts",
    "clamp_jobs",
    "problems_of",
    "run_each",
    "shift_summary",
    "write_all",
]
