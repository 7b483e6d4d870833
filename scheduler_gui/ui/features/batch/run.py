"""The Batch window's background work: check, then write, reported as Qt signals.

The batch itself is ``session/batch.py`` (the same code ``schedctl`` runs); this module
runs it on the thread pool and turns its per-course events into queued signals, so the
window's table follows each course as it ends. Cancelling starts no further course; the
courses under way finish, their verify included.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject, Signal

from scheduler_gui.api.throttle import AdaptiveThrottle
from scheduler_gui.core.shift_order import ShiftOrder
from scheduler_gui.session.batch import (
    READY,
    CourseResult,
    Prepared,
    check_shifts,
    write_all,
)
from scheduler_gui.session.batch_runs import client_identity, key_of, open_journal
from scheduler_gui.store.backups import BackupStore
from scheduler_gui.store.journal import JournalInfo

from ...widgets.workers import Job, start_job

ZoneOf = Callable[[ShiftOrder, str], ZoneInfo]


class _Events:
    """``session.batch.BatchEvents`` that emit the run's signals (from worker threads)."""

    def __init__(self, run: BatchRun) -> None:
        self.run = run

    def started(self, course: str) -> None:
        self.run.course_started.emit(course)

    def finished(self, result: CourseResult) -> None:
        self.run.course_finished.emit(result)


class BatchRun(QObject):
    """One batch: :meth:`check` (read-only), then :meth:`write` the checked courses."""

    checked = Signal(object)  # list[Prepared]
    course_started = Signal(str)
    course_finished = Signal(object)  # CourseResult
    written = Signal(object)  # list[CourseResult]
    failed = Signal(object)  # the exception

    def __init__(
        self,
        client: Any,
        orders: Sequence[ShiftOrder],
        *,
        kind: str,
        zone_of: ZoneOf,
        jobs: int,
        earlier: JournalInfo | None = None,
        header: dict[str, Any] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.client = client
        self.orders = list(orders)
        self.kind = kind
        self.zone_of = zone_of
        self.throttle = AdaptiveThrottle(jobs)
        self.identity = client_identity(client)
        self.key = key_of(kind, self.identity, self.orders)
        self.earlier = earlier
        self.header = header or {}
        self.prepared: list[Prepared] = []
        self.job: Job | None = None

    @property
    def running(self) -> bool:
        return self.job is not None

    @property
    def ready(self) -> list[Prepared]:
        return [p for p in self.prepared if p.status == READY]

    def check(self) -> None:
        """Read and check every course (nothing is written)."""

        def work(_progress: Any, _cancelled: Callable[[], bool]) -> list[Prepared]:
            self.client.throttle = self.throttle
            return check_shifts(
                self.client,
                self.orders,
                throttle=self.throttle,
                zone_of=self.zone_of,
                journal=self.earlier,
                preview_limit=0,
            )

        self._start(work, self._checked, "batch check")

    def write(self) -> None:
        """Write the checked courses (journal, backups, one PUT each, verify)."""
        prepared = list(self.prepared)
        events = _Events(self)

        def work(_progress: Any, cancelled: Callable[[], bool]) -> list[CourseResult]:
            journal = open_journal(
                prepared, self.earlier, self.key, {"command": self.kind, **self.header},
                self.identity,
            )  # fmt: skip
            self.client.throttle = self.throttle
            return write_all(
                self.client,
                prepared,
                throttle=self.throttle,
                backups=BackupStore(base_url=self.identity[0]),
                journal=journal,
                reason=f"before {self.kind}",
                cancelled=cancelled,
                events=events,
            )

        self._start(work, self.written.emit, "batch write")

    def cancel(self) -> None:
        """Start no further course (those under way finish, verify included)."""
        if self.job is not None:
            self.job.cancel()

    def _checked(self, prepared: list[Prepared]) -> None:
        self.prepared = prepared
        self.checked.emit(prepared)

    def _start(self, work: Any, done: Callable[[Any], None], name: str) -> None:
        job = start_job(work, name=name, on_success=done, on_failure=self.failed.emit)
        job.signals.finished.connect(self._ended)
        self.job = job

    def _ended(self) -> None:
        self.job = None
