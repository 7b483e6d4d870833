"""Crash safety for the editor: unsaved edits are written to a draft file in the background.

The keeper writes within :data:`DELAY_MS` of each edit, even while edits keep coming (the
timer is not restarted by the next edit: a crash a second after any edit loses nothing),
and every 30 s as a safety net, on a worker thread (a 10,000-item draft takes a while to
serialise; a draft holds only the edited items, so it is usually a few kilobytes), through
:class:`~scheduler_gui.store.drafts.DraftStore`. It deletes a draft only once it owns it:
a draft found when a course opens belongs to the user's decision (restore or discard)
until the window calls :meth:`DraftKeeper.claim`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from scheduler_gui.core.diff import diff_schedules
from scheduler_gui.core.merge import MergeConflict, Side, resolve, three_way_merge
from scheduler_gui.core.model import ItemSchedule, Schedule
from scheduler_gui.store.drafts import Draft, DraftStore
from scheduler_gui.store.paths import StoreError

from ..widgets.workers import Job, start_job

log = logging.getLogger(__name__)

#: At most this long from an edit to its draft write starting (writing takes a few ms).
DELAY_MS = 250
INTERVAL_MS = 30000

#: Returns ``(base, current)`` of the open course, or None when none is open.
Snapshot = Callable[[], tuple[Schedule, Schedule] | None]


@dataclass(frozen=True)
class DraftRestore:
    """What a draft gives on top of the server's state now.

    ``schedule``: the server's schedule with the draft's edits merged in field by field
    (None: the draft holds no edits any more). ``conflicts``: fields both the draft and
    the server changed since the draft's base (the server's value is in ``schedule``).
    ``missing``: edited items the server's answer lacks; then nothing is restored and
    the draft must be kept, since the answer may be incomplete.
    """

    schedule: Schedule | None
    conflicts: list[MergeConflict] = field(default_factory=list)
    missing: list[ItemSchedule] = field(default_factory=list)
    #: As ``schedule``, with the draft's value for each clashing field.
    mine: Schedule | None = None


def restored_schedule(draft: Draft, server: Schedule) -> DraftRestore:
    """The draft's edits merged onto ``server`` (see :class:`DraftRestore`).

    The draft's edits are the items that differ from the state the draft started from
    (its saved base, else the server's state now); a draft may hold only those items
    (see :func:`edited_items`). They are merged with the three-way merge of
    :mod:`scheduler_gui.core.merge` against that base, so a colleague's change to
    another field of an edited item survives and a field both changed is a conflict.
    """
    base = draft.base if draft.base is not None else server
    base_keys = {item.item_id: item.schedule_key() for item in base.items}
    edits = [
        item for item in draft.edited.items if base_keys.get(item.item_id) != item.schedule_key()
    ]
    known = server.by_id
    missing = [item for item in edits if item.item_id not in known]
    if missing:
        return DraftRestore(None, missing=missing)
    if not edits:
        return DraftRestore(None)
    local = Schedule(server.course_id, edits)
    result = three_way_merge(base, local, server)
    mine = result.schedule
    if result.conflicts:
        choices: dict[tuple[int, str], Side] = {
            (c.item_id, c.field): "mine" for c in result.conflicts if c.field is not None
        }
        mine = resolve(result, local, choices)

    def changed(schedule: Schedule) -> Schedule | None:
        return schedule if diff_schedules(server, schedule) else None

    return DraftRestore(changed(result.schedule), result.conflicts, [], changed(mine))


def edited_items(base: Schedule, current: Schedule) -> tuple[Schedule, Schedule]:
    """Only what a draft needs: the edited items, and the same items as loaded.

    A draft of three edits in a 10,000-item course stays a few kilobytes, so writing it
    after each pause and reading it at the next start cost next to nothing.
    """
    before = base.by_id
    changed = [
        item
        for item in current.items
        if item.item_id in before
        and before[item.item_id] is not item
        and before[item.item_id].schedule_key() != item.schedule_key()
    ]
    originals = [before[item.item_id] for item in changed]
    return Schedule(current.course_id, changed), Schedule(current.course_id, originals)


class DraftKeeper(QObject):
    """Autosaves the open course's edits; see the module docstring."""

    #: A draft was written (its path).
    written = Signal(object)
    #: Writing a draft failed (a message saying what to do).
    failed = Signal(str)

    def __init__(
        self,
        snapshot: Snapshot,
        parent: QObject | None = None,
        *,
        delay_ms: int = DELAY_MS,
        interval_ms: int = INTERVAL_MS,
    ) -> None:
        super().__init__(parent)
        self.store: DraftStore | None = None
        self._snapshot = snapshot
        self._dirty = False
        self._owns_draft = False
        self._job: Job | None = None
        self._discard_after_job: str | None = None
        self._queued: Callable[[], Path | None] | None = None
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.setInterval(delay_ms)
        self._soon.timeout.connect(self.flush)
        self._interval = QTimer(self)
        self._interval.setInterval(interval_ms)
        self._interval.timeout.connect(self.flush)
        self._interval.start()

    def set_store(self, store: DraftStore | None) -> None:
        """Drafts go to ``store`` (one per server); a new course is not owned yet."""
        self.store = store
        self._owns_draft = False
        self._dirty = False

    def claim(self) -> None:
        """The user decided about any existing draft: from now on the keeper manages it."""
        self._owns_draft = True

    @property
    def busy(self) -> bool:
        return self._job is not None

    def changed(self) -> None:
        """The schedule changed: write a draft within ``delay_ms`` (not "once the user
        pauses": a steady stream of edits must not hold the draft back)."""
        self._dirty = True
        if not self._soon.isActive():
            self._soon.start()

    def flush(self) -> None:
        """Write (or remove) the draft now, in the background, if anything changed.

        The state is taken now; if a write is still in flight, this one follows it (so
        an older state never lands last), even if another course is opened meanwhile.
        """
        if not self._dirty or self.store is None or not self._owns_draft:
            return
        snapshot = self._snapshot()
        if snapshot is None:
            return
        self._dirty = False
        write = _writer(self.store, *snapshot)
        if self.busy:
            self._queued = write  # the latest state wins
        else:
            self._run(write)

    def discard(self, course_id: str) -> None:
        """Forget the draft of ``course_id`` now (after a save, or on the user's word).

        Only a draft the keeper owns: one found at load and not claimed (it could not be
        restored on what the server sent) is none of this session's edits, and stays.
        """
        self._dirty = False
        self._queued = None
        self._soon.stop()
        if self.store is None or not self._owns_draft:
            return
        if self.busy:  # a write in flight would bring the file back
            self._discard_after_job = course_id
        try:
            self.store.discard(course_id)
        except StoreError as exc:
            self.failed.emit(str(exc))

    def _run(self, write: Callable[[], Path | None]) -> None:
        self._job = start_job(
            lambda _p, _c: write(), name="draft", on_success=self._done, on_failure=self._failed
        )

    def _done(self, path: Path | None) -> None:
        self._job = None
        if self._discard_after_job is not None:
            course_id, self._discard_after_job = self._discard_after_job, None
            self.discard(course_id)
            return
        if path is not None:
            self.written.emit(path)
        if self._queued is not None:
            write, self._queued = self._queued, None
            self._run(write)
        elif self._dirty:  # edited while writing: write again soon
            self._soon.start()

    def _failed(self, error: BaseException) -> None:
        self._job = None
        self._discard_after_job = None
        self._dirty = True
        self.failed.emit(f"Unsaved edits could not be kept on disk: {error}")
        if self._queued is not None:
            write, self._queued = self._queued, None
            self._run(write)


def _writer(store: DraftStore, base: Schedule, current: Schedule) -> Callable[[], Path | None]:
    """The background write for this state: the edited items, or no draft at all.

    Everything runs in the worker, the diff included (the schedules never change): a
    draft is written a quarter second after an edit, often while a save is running, and
    diffing 10,000 items on the GUI thread would stall the window for ~20 ms each time.
    """

    def write() -> Path | None:
        if not diff_schedules(base, current):
            store.discard(current.course_id)
            return None
        edited, before = edited_items(base, current)
        return store.save(edited, base.fingerprint(), base=before)

    return write
