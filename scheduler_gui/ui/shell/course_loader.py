"""Loading a course, off the GUI thread: everything the window needs in one result.

:class:`LoadRunner` runs it for the window, one load at a time (cancel drops the answer).

:func:`load_course` runs in a worker (see :mod:`.workers`): it resolves the course,
reads its title and every item schedule, validates them in the course time zone, warms
the schedule's caches, and reads any draft left from an earlier session, so that the
GUI thread only has to show the result.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject

from scheduler_gui.api.errors import ForbiddenError, NotFoundError
from scheduler_gui.core.merge import MergeConflict
from scheduler_gui.core.model import ItemSchedule, Schedule
from scheduler_gui.core.validate import Finding, validate
from scheduler_gui.store.drafts import Draft, DraftStore
from scheduler_gui.store.paths import StoreError

from ..widgets.workers import Job, start_job
from .draft_keeper import restored_schedule


@dataclass(frozen=True)
class LoadedCourse:
    """What a course load delivers to the window."""

    course_id: str
    title: str
    schedule: Schedule
    #: ``validate(schedule, tz=zone)``, computed in the worker (None: not computed).
    findings: list[Finding] | None = None
    zone: zoneinfo.ZoneInfo | None = None
    #: Unsaved edits left from an earlier session, read and merged in the worker too
    #: (a 10,000-item draft takes most of a second to parse).
    draft: PendingDraft | None = None


@dataclass(frozen=True)
class PendingDraft:
    """A draft found when a course loads: the edits on top of the server's state now."""

    draft: Draft | None  # None if the file could not be read (see ``error``)
    restored: Schedule | None  # None: no edits any more, or ``missing`` items
    findings: list[Finding] | None = None
    error: str = ""
    #: Fields the draft and the server both changed (the server's value is restored).
    conflicts: list[MergeConflict] = field(default_factory=list)
    #: Edited items the server's answer lacks: the draft is kept, not restored.
    missing: list[ItemSchedule] = field(default_factory=list)
    #: As ``restored``, with the draft's value for each clashing field.
    restored_mine: Schedule | None = None


def load_course(
    client: Any,
    course: str,
    progress: Callable[[str, int, int], None],
    zone: zoneinfo.ZoneInfo | None = None,
    drafts: DraftStore | None = None,
) -> LoadedCourse:
    """Runs in a worker: resolve the course, read its title and every item schedule.

    With ``zone``, also validate the schedule in it (10,000 items take ~20 ms, better
    spent here than on the GUI thread). With ``drafts``, also read the course's draft
    and put its edits on top of the server's state (see :func:`pending_draft`).
    """
    progress("Finding the course…", 0, 3)
    course_id = str(client.resolve_course_id(course))
    progress("Reading the course…", 1, 3)
    try:
        title = course_title(client.get_course(course_id), course_id)
    except (NotFoundError, ForbiddenError):  # the title is a nicety; the schedules matter
        title = f"Course {course_id}"
    progress("Reading the item schedules…", 2, 3)
    schedule = client.get_schedule(course_id)
    warm_up(schedule)
    findings = validate(schedule, tz=zone) if zone is not None else None
    draft = pending_draft(drafts, schedule, zone) if drafts is not None else None
    progress("Loaded.", 3, 3)
    return LoadedCourse(course_id, title, schedule, findings, zone, draft)


def pending_draft(
    drafts: DraftStore, server: Schedule, zone: zoneinfo.ZoneInfo | None
) -> PendingDraft | None:
    """The course's draft, its edits on top of ``server`` and their findings (a worker)."""
    try:
        draft = drafts.load(server.course_id)
    except StoreError as exc:
        return PendingDraft(None, None, error=str(exc))
    if draft is None:
        return None
    merged = restored_schedule(draft, server)
    restored = merged.schedule
    findings = validate(restored, tz=zone) if restored is not None and zone else None
    return PendingDraft(
        draft, restored, findings, "", merged.conflicts, merged.missing, merged.mine
    )


def warm_up(schedule: Schedule) -> None:
    """Compute the schedule's cached indexes here in the worker, not on the GUI thread."""
    _ = schedule.by_id, schedule.positions, schedule.depths, schedule.fingerprint()


def course_title(course: Any, course_id: str) -> str:
    """A short display name such as ``DEMO-101 · Demo course`` from a course object."""
    if not isinstance(course, dict):
        return f"Course {course_id}"
    code = str(course.get("displayCourseCode") or "").strip()
    title = str(course.get("title") or "").strip()
    return " · ".join(part for part in (code, title) if part) or f"Course {course_id}"


class LoadRunner(QObject):
    """Runs one :func:`load_course` at a time on the thread pool for the window.

    A cancelled (or superseded) load's late answer is dropped: each start counts, and
    only the current count's outcome is delivered.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.job: Job | None = None
        self._number = 0

    def start(
        self,
        course: str,
        load: Callable[[Callable[[str, int, int], None]], LoadedCourse],
        on_progress: Callable[[str, int], None],
        on_loaded: Callable[[LoadedCourse], None],
        on_failed: Callable[[BaseException], None],
    ) -> None:
        """Run ``load(progress)`` in a worker; report to the callbacks while current."""
        self._number += 1
        number = self._number  # no reference to the job: no cycle through the window

        def progress(text: str, done: int, _total: int) -> None:
            if number == self._number:
                on_progress(text, done)

        def deliver(handler: Callable[[Any], None]) -> Callable[[Any], None]:
            def call(outcome: Any) -> None:
                if number == self._number:  # a cancelled load's answer is dropped
                    self.job = None
                    handler(outcome)

            return call

        self.job = start_job(
            lambda report, _cancelled: load(report),
            name=f"load {course}",
            owner=self,
            on_success=deliver(on_loaded),
            on_failure=deliver(on_failed),
            on_progress=progress,
        )

    def cancel(self) -> bool:
        """Stop waiting for the current load; False if none was running."""
        if self.job is None:
            return False
        self.job.cancel()
        self.job = None
        self._number += 1
        return True
