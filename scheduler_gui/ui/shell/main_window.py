"""The main window: the schedule grid, the validation dock, menus, toolbar and status bar.

The window owns the session (API client), the course being edited and the save/draft
flow; the grid widget owns the editing. Features (``ui/features``) add their own actions
and docks through the :class:`~..features.host.WindowHost` protocol this window
implements; it keeps the handles they return in :attr:`MainWindow.features`.
"""

from __future__ import annotations

import importlib
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QKeySequence,
    QPaintEvent,
    QShowEvent,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QDockWidget,
    QMainWindow,
    QMenu,
    QMessageBox,
    QWidget,
)

from scheduler_gui import APP_NAME
from scheduler_gui.core.diff import diff_schedules
from scheduler_gui.core.model import ItemSchedule, Schedule
from scheduler_gui.core.validate import Severity
from scheduler_gui.core.zones import ZoneError, zone_or_none
from scheduler_gui.session.zones import system_zone
from scheduler_gui.store.backups import BackupStore
from scheduler_gui.store.drafts import DraftStore

from ..grid.editor import ScheduleEditor
from ..widgets.icons import app_icon
from ..widgets.workers import Job, spare_from_collector, start_job
from .chrome import ActionSlots, build_actions, build_menus, build_toolbar, make_action
from .course_loader import LoadedCourse, LoadRunner, load_course
from .draft_keeper import DraftKeeper
from .draft_offer import DraftOffer
from .feature_set import Features, install_features
from .follow_palette import PaletteFollower
from .prompts import close_prompt, reload_prompt
from .status_bar import WindowStatus
from .validation_panel import ValidationPanel
from .window_state import (
    DialogsOnScreen,
    keep_on_screen,
    restore_column_widths,
    restore_layout,
    save_column_widths,
    save_layout,
)
from .window_zones import WindowZones

if TYPE_CHECKING:  # the save dialogs load after the first course (see _load_save_flow)
    from ..save.flow import SaveFlow

SAVE_FLOW_MODULE = "scheduler_gui.ui.save.flow"
#: Once the course is painted (a --screenshot is taken by then) and before a first save.
SAVE_FLOW_AFTER_LOAD_MS = 250

log = logging.getLogger(__name__)

PROBLEMS_HEIGHT = 130


class MainWindow(QMainWindow):
    """The editor window. Start it with :meth:`set_client` and :meth:`open_course`."""

    #: A course finished loading (its id); also after a reload.
    course_loaded = Signal(str)
    #: A course failed to load (the message shown to the user).
    load_failed = Signal(str)
    #: A save was verified (the ``SaveReport``).
    saved = Signal(object)
    #: File → Save opened its preview (:attr:`save_flow`).
    save_opened = Signal()
    #: The user picked another time zone (the ``ZoneInfo``).
    time_zone_changed = Signal(object)

    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.zones = WindowZones(settings)
        self.client: Any = None
        self.connection_label = ""
        self.course_id: str | None = None
        self.course_title = ""
        self.time_zone = system_zone()  # the lookup schedctl uses too
        self.loader = LoadRunner(self)
        self._edited: tuple[Schedule, Schedule, frozenset[int]] | None = None  # edited_ids()
        self.close_prompt: QMessageBox | None = None
        self.draft_offer = DraftOffer(self, self)
        self.save_flow: SaveFlow | None = None
        self._save_flow_loading = False
        self._save_when_loaded = False
        self.backups: BackupStore | None = None
        self._close_after_save = False
        self._compact_docks_on_show = False
        self._requested_zone: tuple[str | None, bool] = (None, True)
        self._left_with_edits = ""  # the course opened before this load, if it had edits
        self.named_actions: dict[str, QAction] = {}
        self.action_slots = ActionSlots(self.named_actions)

        self.setWindowIcon(app_icon())
        self.setObjectName("MainWindow")
        self.undo_stack = QUndoStack(self)
        self.editor = ScheduleEditor(self.undo_stack, self)
        self.setCentralWidget(self.editor)
        self.drafts = DraftKeeper(self._draft_snapshot, self)
        self.drafts.failed.connect(lambda message: self.statusBar().showMessage(message, 15000))
        self.validation_dock = QDockWidget("Problems", self)
        self.validation_dock.setObjectName("ValidationDock")
        self.validation_panel = ValidationPanel(self.validation_dock)
        self.validation_dock.setWidget(self.validation_panel)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.validation_dock)

        build_actions(self, self.action_slots, self.editor.edit_actions)
        self.named_actions["problems"] = self.validation_dock.toggleViewAction()
        self.toolbar, self.tz_combo = build_toolbar(
            self, self.action_slots, self.time_zone.key, self.has_course
        )
        self.menus: dict[str, QMenu] = build_menus(self, self.action_slots)
        self.tz_combo.zone_chosen.connect(self.set_time_zone)
        self.status = WindowStatus(self.statusBar(), self.cancel_load)
        self._connect_editor()
        self._restore_window_state()
        self._update_title()
        self._update_actions()
        self.features: Features = install_features(self)
        self.editor.focus_grid()  # at start too: not the first box of the toolbar
        self._painted = False  # the deferred features are installed after the first paint
        # Re-colour our icons and markers on a theme switch.
        self.palette_follower = PaletteFollower(self, self.editor.model.restyle)

    # ------------------------------------------------------------------ building

    def add_action(
        self,
        key: str,
        text: str,
        slot: Callable[[], Any] | None = None,
        *,
        icon_name: str | None = None,
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
        tip: str = "",
    ) -> QAction:
        """Create an action, place it where the chrome lists ``key`` and connect ``slot``."""
        action = make_action(self, text, slot, icon_name=icon_name, shortcut=shortcut, tip=tip)
        self.action_slots.fill(key, action)
        return action

    def place_action(self, key: str, action: QAction) -> None:
        """Place an action made elsewhere (a dock's toggle) where the chrome lists ``key``."""
        self.action_slots.fill(key, action)

    def qt_window(self) -> QMainWindow:
        return self

    def show_message(self, text: str, msecs: int = 0) -> None:
        self.statusBar().showMessage(text, msecs)

    def _connect_editor(self) -> None:
        self.editor.schedule_changed.connect(self.drafts.changed)
        self.editor.schedule_changed.connect(self._on_schedule_changed)
        self.editor.findings_changed.connect(self._on_findings_changed)
        self.editor.selection_changed.connect(lambda _ids: self._update_actions())
        self.validation_panel.jump_requested.connect(self.editor.select_item)
        self.undo_stack.cleanChanged.connect(self._on_clean_changed)

    # ------------------------------------------------------------------ state

    def set_client(self, client: Any, label: str = "", server_id: str | None = None) -> None:
        """Use ``client`` (a LearningStudioClient) for loading and saving.

        Drafts and backups are kept per ``server_id`` (default: the client's base URL).
        """
        self.client = client
        self.connection_label = label
        server = server_id or str(getattr(client, "base_url", ""))
        self.backups = BackupStore(base_url=server)
        self.draft_store = DraftStore(base_url=server)
        self._update_actions()

    def base_and_current(self) -> tuple[Schedule, Schedule]:
        return self.editor.base_schedule(), self.editor.current_schedule()

    def backup(self, schedule: Schedule) -> Path:
        """The save pipeline's backup step (runs in a worker)."""
        store = self.backups or BackupStore()
        return store.write(schedule)

    def snapshot(self, schedule: Schedule, backup_path: Path) -> Path:
        """What a save sends, written beside its backup while the PUT runs (a worker)."""
        store = self.backups or BackupStore()
        return store.write_after(schedule, Path(backup_path))

    def _draft_snapshot(self) -> tuple[Schedule, Schedule] | None:
        return self.base_and_current() if self.has_course() else None

    @property
    def load_job(self) -> Job | None:
        """The course load running, if any."""
        return self.loader.job

    def has_course(self) -> bool:
        return self.course_id is not None

    def edited_ids(self) -> frozenset[int]:
        """Ids of the items a save would change."""
        if not self.has_course():
            return frozenset()
        base, current = self.editor.base_schedule(), self.editor.current_schedule()
        # Asked several times per change (title, status, actions); schedules are immutable,
        # so one diff per (base, current) pair does (a diff of 10,000 items takes ~5 ms).
        if self._edited is None or self._edited[0] is not base or self._edited[1] is not current:
            self._edited = (base, current, diff_schedules(base, current).changed_ids)
        return self._edited[2]

    def has_unsaved_changes(self) -> bool:
        return bool(self.edited_ids())

    def _error_count(self) -> int:
        return sum(1 for f in self.editor.findings() if f.severity is Severity.ERROR)

    def _on_clean_changed(self, clean: bool) -> None:
        self._update_title()
        if not clean:
            self._load_save_flow()

    def _load_save_flow(self) -> None:
        """Load the save dialogs off the GUI thread: a moment after a course loaded, or
        with the first edit, not at start-up (the course is painted first) nor when Save
        is pressed (the first save would freeze the window while they load)."""
        if SAVE_FLOW_MODULE not in sys.modules and not self._save_flow_loading:
            self._save_flow_loading = True
            start_job(
                lambda _p, _c: importlib.import_module(SAVE_FLOW_MODULE),
                name="save flow",
                owner=self,
                on_success=lambda _module: self._save_flow_loaded(),
                on_failure=self._save_flow_failed,
            )

    @property
    def save_pending(self) -> bool:
        """Save was pressed; its preview opens once the save dialogs have loaded."""
        return self._save_when_loaded

    def _save_flow_failed(self, error: BaseException) -> None:
        self._save_flow_loading = self._save_when_loaded = False
        log.error("The save dialogs could not be loaded: %s", error)
        self.statusBar().showMessage(
            f"Cannot save: a part of the program could not be loaded ({error}). "
            "Reinstall the app; your edits are kept as a draft.",
            30000,
        )

    def _save_flow_loaded(self) -> None:
        self._save_flow_loading = False
        if self._save_when_loaded:  # Save was pressed while they loaded
            self._save_when_loaded = False
            self.save()

    def _update_title(self) -> None:
        if self.has_course():
            name = self.course_title or f"Course {self.course_id}"
            self.setWindowTitle(f"{name}[*] — {APP_NAME}")
            self.setWindowModified(self.has_unsaved_changes())
        else:
            self.setWindowTitle(APP_NAME)
            self.setWindowModified(False)

    def _update_actions(self) -> None:
        loaded = self.has_course()
        selected = bool(loaded and self.editor.selected_ids())
        idle = self.load_job is None
        self.named_actions["reload"].setEnabled(loaded and idle and self.client is not None)
        self.named_actions["open"].setEnabled(idle and self.client is not None)
        self.named_actions["save"].setEnabled(
            loaded and idle and self.has_unsaved_changes() and self._error_count() == 0
        )
        for action in self.editor.edit_actions.values():  # the Edit menu's grid actions
            action.setEnabled(selected)
        self.named_actions["find"].setEnabled(loaded)

    def _update_status(self) -> None:
        if self.course_id is None:
            self.status.clear_course()
            return
        self.status.show_course(self.course_title or "Course", self.course_id,
                                self.connection_label, len(self.editor.current_schedule()),
                                len(self.edited_ids()))  # fmt: skip

    def _on_schedule_changed(self) -> None:
        self._update_title()
        self._update_status()
        self._update_actions()

    def _on_findings_changed(self, findings: list[Any]) -> None:
        errors = sum(1 for f in findings if f.severity is Severity.ERROR)
        self.status.show_findings(errors, len(findings) - errors)
        if self.has_course():
            self.validation_panel.set_findings(findings, self.editor.current_schedule())
        self._update_actions()

    # ------------------------------------------------------------------ loading

    def choose_course(self, initial: str = "") -> None:
        """Show the course picker and open the chosen course."""
        from ..dialogs.course_picker import CoursePicker

        picker = CoursePicker(self.client, self, initial)
        picker.course_chosen.connect(lambda course: self.open_course(course))
        picker.open()

    def reload(self) -> None:
        """Read the course again; asks first if that would drop unsaved edits."""
        if self.course_id is None:
            return
        course_id = self.course_id
        if not self.has_unsaved_changes():
            self.open_course(course_id)
            return
        box = reload_prompt(self, len(self.edited_ids()))
        box.finished.connect(lambda _r: self._reload_answered(box, course_id))
        box.open()

    def _reload_answered(self, box: QMessageBox, course_id: str) -> None:
        box.deleteLater()
        if box.standardButton(box.clickedButton()) == QMessageBox.StandardButton.Discard:
            self.discard_edits_and_reload(course_id)

    def discard_edits_and_reload(self, course_id: str | None = None) -> None:
        """Drop the edits (and their draft) and read the server's state."""
        course_id = course_id or self.course_id
        if course_id is None:
            return
        self.drafts.discard(course_id)
        self.open_course(course_id, force=True)

    def open_course(
        self,
        course: str,
        *,
        time_zone: str | None = None,
        zone_is_default: bool = True,
        force: bool = False,
    ) -> None:
        """Load ``course`` (id or ``ccn=…``) in the background and show it.

        ``time_zone`` is used for the course if none is remembered for it yet, or always
        when ``zone_is_default`` is false (an explicit ``--tz``). Unsaved edits of the
        open course are kept in its draft (so opening another course loses nothing).
        """
        if self.client is None or self.load_job is not None:
            return
        self._left_with_edits = ""
        if not force:
            self.drafts.flush()
            if self.has_unsaved_changes():
                self._left_with_edits = self.course_title or f"course {self.course_id}"
        self._requested_zone = (time_zone, zone_is_default)
        client = self.client
        # The zone _on_course_loaded will pick (known now for a numeric id), so the
        # worker can validate in it.
        zone = self._zone_for(course, time_zone, zone_is_default) if course.isdigit() else None

        drafts = self.draft_store
        self.statusBar().showMessage(f"Loading course {course}…")
        self.loader.start(
            course,
            lambda report: load_course(client, course, report, zone, drafts),
            self._load_progress,
            self._on_course_loaded,
            self._on_load_failed,
        )
        self.status.show_loading(True)
        self._update_actions()

    def cancel_load(self) -> None:
        """Stop waiting for the course being loaded; whatever it answers later is dropped.

        A request already on the wire cannot be recalled, but it only reads: the window
        is free at once, as it was before the load.
        """
        if not self.loader.cancel():
            return
        self.status.show_loading(False)
        self.statusBar().showMessage("Loading cancelled.", 10000)
        self._update_actions()

    def _load_progress(self, text: str, done: int) -> None:
        self.statusBar().showMessage(text)
        self.status.show_load_step(done)

    def _on_course_loaded(self, loaded: LoadedCourse) -> None:
        spare_from_collector()  # the course's objects, before the work below allocates
        self.status.show_loading(False)
        self._save_column_widths()
        self.course_id = loaded.course_id
        self.course_title = loaded.title
        self.time_zone = self._zone_for(loaded.course_id, *self._requested_zone)
        self._remember_zone(loaded.course_id)
        self.tz_combo.show_zone(self.time_zone.key)
        self.drafts.set_store(self.draft_store)
        self.undo_stack.clear()
        findings = loaded.findings if loaded.zone == self.time_zone else None
        self.editor.set_schedule(loaded.schedule, self.time_zone, findings=findings)
        self.undo_stack.setClean()
        restore_column_widths(self.editor, self.settings)
        self.settings.setValue("last_course", loaded.course_id)
        message = f"Loaded {len(loaded.schedule):,} items."
        if self._left_with_edits and self._left_with_edits != self.course_title:
            message += (
                f" Your unsaved changes to {self._left_with_edits} are kept as a draft:"
                " they are offered when you open it again."
            )
        self.statusBar().showMessage(message, 20000)
        self._on_schedule_changed()
        self.editor.focus_grid()
        self.draft_offer.offer(loaded)
        self.course_loaded.emit(loaded.course_id)
        spare_from_collector()
        QTimer.singleShot(SAVE_FLOW_AFTER_LOAD_MS, self, self._load_save_flow)

    def _on_load_failed(self, error: BaseException) -> None:
        self.status.show_loading(False)
        message = str(error) or type(error).__name__
        self.statusBar().showMessage("The course could not be loaded.", 10000)
        self._update_actions()
        self.load_failed.emit(message)
        box = QMessageBox(QMessageBox.Icon.Warning, "Course not loaded", message,
                          QMessageBox.StandardButton.Ok, self)  # fmt: skip
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    # ------------------------------------------------------------------ drafts

    @property
    def draft_prompt(self) -> QMessageBox | None:
        """The question about a draft found at load, while it is shown."""
        return self.draft_offer.prompt

    @property
    def draft_notice(self) -> QMessageBox | None:
        """The notice that a draft was kept (the server's answer lacks its items)."""
        return self.draft_offer.notice

    def editor_base(self) -> Schedule:
        return self.editor.base_schedule()

    def apply_restored(self, items: list[ItemSchedule], label: str) -> None:
        self.editor.apply_items(items, label)

    def show_status(self, message: str, timeout: int) -> None:
        self.statusBar().showMessage(message, timeout)

    # ------------------------------------------------------------------ time zone

    def _zone_for(self, course_id: str, requested: str | None, is_default: bool) -> ZoneInfo:
        return self.zones.for_course(course_id, requested, is_default, self.time_zone)

    def _remember_zone(self, course_id: str) -> None:
        problem = self.zones.remember(course_id, self.time_zone)
        if problem:
            self.statusBar().showMessage(problem, 10000)

    def set_time_zone(self, name: str) -> bool:
        """Show dates in ``name`` (IANA); remembered for the current course."""
        zone = zone_or_none(name)
        if zone is None or zone.key != name:
            self.statusBar().showMessage(str(ZoneError(name)), 10000)  # what to type instead
            self.tz_combo.show_zone(self.time_zone.key)
            return False
        self.tz_combo.show_zone(zone.key)
        if zone == self.time_zone:
            return True
        self.time_zone = zone
        if self.course_id is not None:
            self._remember_zone(self.course_id)
            self.editor.set_time_zone(zone)
        self.time_zone_changed.emit(zone)
        return True

    # ------------------------------------------------------------------ editing

    def focus_filter(self) -> None:
        self.editor.focus_filter()

    # ------------------------------------------------------------------ saving

    def save(self) -> None:
        """File → Save: preview, save in the background, report (see :mod:`.save_flow`)."""
        if self.save_flow is not None:
            return
        if not self.has_course() or not self.has_unsaved_changes():
            self.statusBar().showMessage("Nothing to save.", 5000)
            self._close_after_save = False
            return
        errors = self._error_count()
        if errors:
            self.statusBar().showMessage(
                f"Fix the {errors} error(s) listed under Problems before saving.", 10000
            )
            self.validation_dock.show()
            self._close_after_save = False
            return
        if self._save_flow_loading or SAVE_FLOW_MODULE not in sys.modules:
            # Save right after the first edit: the dialogs are still loading in the
            # background. The preview opens once they are in; the window never waits.
            self._save_when_loaded = True
            self._load_save_flow()
            return
        from ..save.flow import SaveFlow

        flow = SaveFlow(self, self)
        flow.saved.connect(self._on_saved)
        flow.merged.connect(self._on_merged)
        flow.reload_requested.connect(lambda: self.discard_edits_and_reload())
        flow.finished.connect(self._save_flow_finished)
        self.save_flow = flow
        flow.start()
        self.save_opened.emit()

    def _on_saved(self, report: Any) -> None:
        spare_from_collector()  # the schedule read back, before the work below allocates
        self.editor.mark_saved(report.schedule)
        self.undo_stack.setClean()
        if self.course_id is not None:
            self.drafts.discard(self.course_id)
        self.statusBar().showMessage(report.message, 20000)
        self.saved.emit(report)
        spare_from_collector()

    def _on_merged(self, remote: Schedule, merged: Schedule) -> None:
        self.undo_stack.clear()
        self.editor.set_schedule(remote, self.time_zone, current=merged)

    def _save_flow_finished(self, saved: bool) -> None:
        if self.save_flow is not None:
            self.save_flow.deleteLater()
        self.save_flow = None
        close, self._close_after_save = self._close_after_save, False
        if saved and close:
            self.close()

    # ------------------------------------------------------------------ showing, closing

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self, self.features.install_deferred)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not event.spontaneous():  # shown by us: now its frame is known, keep it all in view
            keep_on_screen(self)
        if self._compact_docks_on_show:  # first run: most of the height for the grid
            self._compact_docks_on_show = False
            QTimer.singleShot(0, self.compact_docks)

    def compact_docks(self) -> None:
        """A short Problems list under the grid (first run, and for screenshots)."""
        self.resizeDocks([self.validation_dock], [PROBLEMS_HEIGHT], Qt.Orientation.Vertical)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.has_unsaved_changes():
            event.ignore()
            self._ask_before_closing()
            return
        self._save_window_state()
        event.accept()

    def _ask_before_closing(self) -> None:
        if self.close_prompt is not None:
            self.close_prompt.raise_()
            return
        box = close_prompt(self, len(self.edited_ids()))
        box.finished.connect(lambda _r: self._close_answered(box))
        self.close_prompt = box
        box.open()

    def _close_answered(self, box: QMessageBox) -> None:
        self.close_prompt = None
        answer = box.standardButton(box.clickedButton())
        box.deleteLater()
        if answer == QMessageBox.StandardButton.Discard:
            self._discard_and_close()
        elif answer == QMessageBox.StandardButton.Save:
            self._close_after_save = True
            self.save()

    def _discard_and_close(self) -> None:
        if self.course_id is not None:
            self.drafts.discard(self.course_id)
        self.undo_stack.clear()
        self.editor.set_schedule(self.editor.base_schedule(), self.time_zone)
        self.close()

    # ------------------------------------------------------------------ settings

    def _restore_window_state(self) -> None:
        self._compact_docks_on_show = not restore_layout(self, self.settings)
        self._dialogs_on_screen = DialogsOnScreen(self)
        zone = zone_or_none(str(self.settings.value("time_zone", "")))
        if zone is not None:
            self.time_zone = zone
            self.tz_combo.show_zone(zone.key)

    def _save_column_widths(self) -> None:
        if self.has_course():
            save_column_widths(self.editor, self.settings)

    def _save_window_state(self) -> None:
        self._save_column_widths()
        save_layout(self, self.settings)
        self.settings.setValue("time_zone", self.time_zone.key)
        self.settings.sync()
