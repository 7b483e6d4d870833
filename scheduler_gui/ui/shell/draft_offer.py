"""After a load: offer the unsaved edits a crash or an earlier session left in a draft.

- The draft's edits are merged into the server's state field by field (see
  :func:`~.draft_keeper.restored_schedule`): a colleague's change to another field of an
  edited item stays. Fields both changed are listed in the question; the user restores
  with the server's values for them, or with their own, or discards the draft.
- A draft whose items the server's answer lacks (an empty or cut-short answer, an item
  removed) is never deleted: it is kept on disk, not claimed (so nothing of this session
  removes or overwrites it), and a notice says why.
"""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QAbstractButton, QMessageBox, QWidget

from scheduler_gui.core.diff import diff_schedules
from scheduler_gui.core.model import ItemSchedule, Schedule
from scheduler_gui.core.validate import describe
from scheduler_gui.store.drafts import Draft

from .course_loader import LoadedCourse, PendingDraft
from .draft_keeper import DraftKeeper
from .prompts import draft_prompt, kept_draft_notice


class DraftHost(Protocol):
    """What the offer needs of the main window."""

    drafts: DraftKeeper
    course_id: str | None
    time_zone: Any

    def editor_base(self) -> Schedule: ...

    def apply_restored(self, items: list[ItemSchedule], label: str) -> None: ...

    def show_status(self, message: str, timeout: int) -> None: ...


def _saved_at(draft: Draft, zone: Any) -> str:
    return draft.saved_at.astimezone(zone).strftime("%a %Y-%m-%d %H:%M")


class DraftOffer(QObject):
    """Asks about a course's draft after it loads; ``prompt``/``notice`` while shown."""

    def __init__(self, host: DraftHost, parent: QWidget) -> None:
        super().__init__(parent)
        self.host, self.parent_widget = host, parent
        self.prompt: QMessageBox | None = None
        self.notice: QMessageBox | None = None

    def offer(self, loaded: LoadedCourse) -> None:
        server, pending = loaded.schedule, loaded.draft
        if pending is not None and pending.error:
            self.host.show_status(pending.error, 20000)
        draft = pending.draft if pending is not None else None
        if pending is None or draft is None:
            self.host.drafts.claim()
            return
        if pending.missing:
            self._keep(draft, pending.missing)  # not claimed: nothing deletes it
            return
        if pending.restored is None and pending.restored_mine is None:
            self.host.drafts.claim()
            self.host.drafts.discard(server.course_id)  # its edits are on the server
            return
        self._ask(server, draft, pending)

    def _ask(self, server: Schedule, draft: Draft, pending: PendingDraft) -> None:
        zone = self.host.time_zone
        widest = pending.restored_mine or pending.restored
        count = len(diff_schedules(server, widest).changed_ids) if widest is not None else 0
        clashes = [conflict.describe(zone) for conflict in pending.conflicts]
        changed_meanwhile = draft.base_fingerprint != server.fingerprint()
        box, restore = draft_prompt(
            self.parent_widget, count, _saved_at(draft, zone), changed_meanwhile, clashes
        )
        mine: QAbstractButton | None = None
        if clashes:
            mine = box.addButton("Restore, mine on clashes", QMessageBox.ButtonRole.AcceptRole)

        def answered(_result: int) -> None:
            clicked = box.clickedButton()
            chosen = (
                pending.restored
                if clicked is restore
                else pending.restored_mine
                if mine is not None and clicked is mine
                else None
            )
            self._answered(clicked in (restore, mine), server, chosen)

        box.finished.connect(answered)
        self.prompt = box
        box.open()

    def _keep(self, draft: Draft, missing: list[ItemSchedule]) -> None:
        names = [describe(item) for item in missing]
        saved_at = _saved_at(draft, self.host.time_zone)
        box = kept_draft_notice(
            self.parent_widget, len(draft.edited), saved_at, names, len(missing)
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda _r: setattr(self, "notice", None))
        self.notice = box
        box.open()

    def _answered(self, restore: bool, server: Schedule, restored: Schedule | None) -> None:
        if self.prompt is not None:
            self.prompt.deleteLater()
        self.prompt = None
        if self.host.course_id != server.course_id or self.host.editor_base() is not server:
            return  # another load happened meanwhile; the draft stays for next time
        self.host.drafts.claim()
        if not restore:
            self.host.drafts.discard(server.course_id)
            self.host.show_status("Unsaved changes discarded.", 10000)
            return
        # One undo step: Undo shows the server's state, Redo the draft again.
        changed = diff_schedules(server, restored).changed_ids if restored is not None else set()
        items = [item for item in restored.items if item.item_id in changed] if restored else []
        if items:
            self.host.apply_restored(items, f"Restore unsaved changes ({len(items):,} items)")
        self.host.show_status(
            "Unsaved changes restored (Ctrl+Z undoes)."
            if items
            else "Nothing restored: the server's values were kept for every clash.",
            10000,
        )
