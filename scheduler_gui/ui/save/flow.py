"""The save conversation of the main window: preview → pipeline → report, and conflicts.

:class:`SaveFlow` drives one save: it opens :class:`~.save_dialog.SaveDialog` with the
pipeline bound to the window's client and course, and on a conflict opens
:class:`~.conflict_dialog.ConflictDialog`, then reloads, merges (and previews again) or
overwrites (after a second confirmation) as the user chose. Every dialog is opened with
``open()`` (window-modal, never a nested event loop), so tests can click through it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from scheduler_gui.api.save import SaveConflictError, SaveReport, save_schedule
from scheduler_gui.core.model import Schedule
from scheduler_gui.core.validate import Finding

from .conflict_dialog import MERGE, OVERWRITE, RELOAD, ConflictDialog
from .dialog import SaveDialog


class _Validated(Protocol):
    """What the flow reads of the grid (the grid itself is no import of save's)."""

    def findings(self) -> list[Finding]: ...


class SaveHost(Protocol):
    """What the flow needs from the main window."""

    client: Any
    course_id: str | None
    time_zone: ZoneInfo

    @property
    def editor(self) -> _Validated:
        """The grid: its findings are those of the current schedule (checked on each edit)."""
        ...

    def base_and_current(self) -> tuple[Schedule, Schedule]: ...

    def backup(self, schedule: Schedule) -> Any: ...

    def snapshot(self, schedule: Schedule, backup_path: Path) -> Any: ...


class SaveFlow(QObject):
    """One save from preview to report; emits :attr:`finished` exactly once."""

    #: The save was verified (the ``SaveReport``); the window makes it the new base.
    saved = Signal(object)
    #: The user chose to drop the edits and read the server's state.
    reload_requested = Signal()
    #: Merged server changes in: ``(server state, merged schedule)`` for the grid.
    merged = Signal(object, object)
    #: The flow is over (True if something was saved).
    finished = Signal(bool)

    def __init__(self, host: SaveHost, parent_widget: QWidget) -> None:
        super().__init__(parent_widget)
        self.host = host
        self.parent_widget = parent_widget
        self.dialog: SaveDialog | None = None
        self.conflict_dialog: ConflictDialog | None = None
        self.report: SaveReport | None = None
        self._conflict: SaveConflictError | None = None

    def start(self) -> None:
        base, current = self.host.base_and_current()
        # The grid has just validated these edits: the preview shows its findings.
        self._preview(base, base, current, force=False, findings=self.host.editor.findings())

    # ------------------------------------------------------------------ steps

    def _preview(
        self,
        shown_base: Schedule,
        base: Schedule,
        edited: Schedule,
        *,
        force: bool,
        heading: str = "",
        findings: list[Finding] | None = None,
    ) -> None:
        """Show the diff ``shown_base`` → ``edited``; saving sends ``edited`` over ``base``."""
        dialog = SaveDialog(
            shown_base,
            edited,
            self.host.time_zone,
            self._pipeline(base, edited, force=force),
            self.parent_widget,
            heading=heading,
            findings=findings,
        )
        dialog.saved.connect(self._saved)
        dialog.conflict.connect(self._conflicted)
        dialog.finished.connect(lambda _r: self._dialog_closed(dialog))
        self.dialog = dialog
        dialog.open()

    def _pipeline(
        self, base: Schedule, edited: Schedule, *, force: bool
    ) -> Callable[[Callable[[str, int, int], None], Callable[[], bool]], SaveReport]:
        client, course_id, tz, backup, snapshot = (
            self.host.client,
            self.host.course_id or edited.course_id,
            self.host.time_zone,
            self.host.backup,
            self.host.snapshot,
        )

        def run(progress: Callable[[str, int, int], None], cancelled: Callable[[], bool]) -> Any:
            return save_schedule(
                client,
                course_id,
                base=base,
                edited=edited,
                backup=backup,
                snapshot=snapshot,
                force=force,
                progress=progress,
                cancelled=cancelled,
                tz=tz,
            )

        return run

    def _saved(self, report: SaveReport) -> None:
        self.report = report
        self.saved.emit(report)

    def _conflicted(self, error: SaveConflictError) -> None:
        self._conflict = error

    def _dialog_closed(self, dialog: SaveDialog) -> None:
        dialog.deleteLater()
        self.dialog = None
        if self._conflict is not None:
            self._show_conflict(self._conflict)
            self._conflict = None
            return
        self.finished.emit(self.report is not None)

    def _show_conflict(self, error: SaveConflictError) -> None:
        base = error.base if error.base is not None else self.host.base_and_current()[0]
        dialog = ConflictDialog(
            base, error.local, error.remote, self.host.time_zone, self.parent_widget
        )
        dialog.decided.connect(lambda choice: self._decided(choice, dialog))
        dialog.rejected.connect(lambda: self._conflict_closed(dialog))
        self.conflict_dialog = dialog
        dialog.open()

    def _conflict_closed(self, dialog: ConflictDialog) -> None:
        dialog.deleteLater()
        self.conflict_dialog = None
        self.finished.emit(False)

    def _decided(self, choice: str, dialog: ConflictDialog) -> None:
        dialog.deleteLater()
        self.conflict_dialog = None
        remote, local = dialog.remote, dialog.local
        if choice == RELOAD:
            self.reload_requested.emit()
            self.finished.emit(False)
        elif choice == MERGE:
            merged = dialog.merged_schedule()  # saved over the server's state, as base
            self.merged.emit(remote, merged)
            heading = "Your changes were merged with the changes made on the server."
            self._preview(remote, remote, merged, force=False, heading=heading)
        elif choice == OVERWRITE:
            heading = (
                "<b>Overwrite:</b> the server's version is replaced by yours, including "
                "their changes listed below."
            )
            self._preview(remote, remote, local, force=True, heading=heading)
