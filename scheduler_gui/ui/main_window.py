"""The main window: the schedule grid, the validation dock, menus, toolbar and status bar.

The window owns the session (API client), the course being edited and the save/draft
flow; the grid widget owns the editing. Other parts of the app add their own actions and
docks through :data:`EXTENSIONS` (see :func:`install_extensions`).
"""

from __future__ import annotations

import importlib
import logging
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDockWidget,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QToolBar,
    QWidget,
)

from .. import APP_NAME
from ..core.diff import diff_schedules
from ..core.model import Schedule
from .icons import app_icon, icon
from .workers import Job, start_job

log = logging.getLogger(__name__)

#: Modules that add actions or docks: each defines ``install(window: MainWindow) -> None``.
#: Add one line here for a new feature module (see the module docstring).
EXTENSIONS: list[str] = []

DOCS_URL = "https://github.com/coursescheduleeditor/scheduler-gui#readme"
AUTOSAVE_DELAY_MS = 2000
AUTOSAVE_INTERVAL_MS = 30000


@dataclass(frozen=True)
class LoadedCourse:
    """What a course load delivers to the window."""

    course_id: str
    title: str
    schedule: Schedule


class MainWindow(QMainWindow):
    """The editor window. Start it with :meth:`set_client` and :meth:`open_course`."""

    #: A course finished loading (its id); also after a reload.
    course_loaded = Signal(str)
    #: A course failed to load (the message shown to the user).
    load_failed = Signal(str)

    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.client: Any = None
        self.connection_label = ""
        self.course_id: str | None = None
        self.course_title = ""
        self.time_zone = _local_zone()
        self.load_job: Job | None = None
        self.close_prompt: QMessageBox | None = None
        self._requested_zone: tuple[str | None, bool] = (None, True)
        self.named_actions: dict[str, QAction] = {}
        self.menus: dict[str, QMenu] = {}

        self.setWindowIcon(app_icon())
        self.setObjectName("MainWindow")
        self.undo_stack = QUndoStack(self)
        self.editor = _make_editor(self.undo_stack, self)
        self.setCentralWidget(self.editor)
        self.validation_dock = QDockWidget("Problems", self)
        self.validation_dock.setObjectName("ValidationDock")
        self.validation_panel = _make_validation_panel(self.validation_dock)
        self.validation_dock.setWidget(self.validation_panel)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.validation_dock)

        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._build_status_bar()
        self._connect_editor()
        self._restore_window_state()
        self._update_title()
        self._update_actions()
        install_extensions(self)

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
        """Create an action, remember it under ``key`` and connect ``slot``."""
        action = QAction(text, self)
        if icon_name:
            action.setIcon(icon(icon_name))
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(f"{tip} ({action.shortcut().toString()})" if shortcut else tip)
        if slot is not None:
            action.triggered.connect(slot)
        self.named_actions[key] = action
        return action

    def _build_actions(self) -> None:
        std = QKeySequence.StandardKey
        add = self.add_action
        add("open", "&Open course…", self.choose_course, icon_name="open",
            shortcut=std.Open, tip="Open another course")  # fmt: skip
        add("reload", "&Reload", self.reload, icon_name="reload", shortcut=std.Refresh,
            tip="Read the course from the server again")  # fmt: skip
        add("save", "&Save…", self.save, icon_name="save", shortcut=std.Save,
            tip="Preview the changes and save them to LearningStudio")  # fmt: skip
        add("import", "&Import from Excel…", icon_name="import", shortcut="Ctrl+I",
            tip="Import dates from a spreadsheet")  # fmt: skip
        add("export", "&Export to Excel…", icon_name="export", shortcut="Ctrl+E",
            tip="Export the schedule to a spreadsheet")  # fmt: skip
        add("quit", "&Quit", self.close, icon_name="quit", shortcut=std.Quit)
        undo = self.undo_stack.createUndoAction(self, "&Undo")
        undo.setIcon(icon("undo"))
        undo.setShortcut(QKeySequence(std.Undo))
        self.named_actions["undo"] = undo
        redo = self.undo_stack.createRedoAction(self, "&Redo")
        redo.setIcon(icon("redo"))
        redo.setShortcuts([QKeySequence(std.Redo), QKeySequence("Ctrl+Y")])
        self.named_actions["redo"] = redo
        add("find", "&Find…", self.focus_filter, icon_name="find", shortcut=std.Find,
            tip="Filter the items by title")  # fmt: skip
        add("set_column", "Set &column…", self.set_column, icon_name="calendar",
            shortcut="Ctrl+Shift+C", tip="Set one date or flag for all selected items")  # fmt: skip
        add("reset_inherited", "Reset to &inherited", self.reset_to_inherited,
            icon_name="inherited", shortcut="Ctrl+Shift+I",
            tip="Selected items take their dates from their unit again")  # fmt: skip
        add("make_explicit", "Make e&xplicit", self.make_explicit, icon_name="explicit",
            shortcut="Ctrl+Shift+X",
            tip="Selected items keep their dates even if their unit changes")  # fmt: skip
        add("shift", "S&hift dates…", self.shift_dates, icon_name="shift",
            shortcut="Ctrl+Shift+D", tip="Move all or the selected dates to a new term",
        )  # fmt: skip
        add("show_log", "Show &log", self.show_log, icon_name="log",
            tip="The log of requests to the server")  # fmt: skip
        add("docs", "&Documentation", self.open_documentation, icon_name="help",
            shortcut=std.HelpContents)  # fmt: skip
        add("about", f"&About {APP_NAME}", self.show_about, icon_name="about")
        for key in ("import", "export"):
            self.named_actions[key].setEnabled(False)

    def _build_menus(self) -> None:
        layout: dict[str, tuple[str, list[str | None]]] = {
            "file": ("&File", ["open", "reload", "save", None, "import", "export", None, "quit"]),
            "edit": ("&Edit", ["undo", "redo", None, "find", None, "set_column",
                               "reset_inherited", "make_explicit"]),
            "course": ("&Course", ["shift"]),
            "view": ("&View", []),
            "help": ("&Help", ["show_log", "docs", None, "about"]),
        }  # fmt: skip
        for key, (title, entries) in layout.items():
            menu = self.menuBar().addMenu(title)
            self.menus[key] = menu
            for entry in entries:
                if entry is None:
                    menu.addSeparator()
                else:
                    menu.addAction(self.named_actions[entry])
        self.menus["view"].addAction(self.validation_dock.toggleViewAction())

    def _build_toolbar(self) -> None:
        bar = QToolBar("Main toolbar", self)
        bar.setObjectName("MainToolbar")
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for key in ("open", "reload", "save", None, "undo", "redo", None, "find", "shift"):
            if key is None:
                bar.addSeparator()
            else:
                bar.addAction(self.named_actions[key])
        for key in ("open", "reload", "undo", "redo", "find"):
            widget = bar.widgetForAction(self.named_actions[key])
            if widget is not None:
                widget.setProperty("iconOnly", True)
        bar.addSeparator()
        bar.addWidget(QLabel(" Time zone: "))
        self.tz_combo = QComboBox(bar)
        self.tz_combo.setObjectName("TimeZone")
        self.tz_combo.setEditable(True)
        self.tz_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.tz_combo.addItems(sorted(zoneinfo.available_timezones()))
        self.tz_combo.setMinimumContentsLength(18)
        self.tz_combo.setToolTip("Dates are shown and edited in this time zone")
        completer = QCompleter(self.tz_combo.model(), self.tz_combo)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.tz_combo.setCompleter(completer)
        self.tz_combo.setCurrentText(self.time_zone.key)
        self.tz_combo.activated.connect(lambda _i: self.set_time_zone(self.tz_combo.currentText()))
        bar.addWidget(self.tz_combo)
        self.addToolBar(bar)
        self.toolbar = bar
        self.menus["view"].addAction(bar.toggleViewAction())

    def _build_status_bar(self) -> None:
        self.course_status = QLabel()
        self.count_status = QLabel()
        self.edited_status = QLabel()
        self.findings_status = QLabel()
        bar = self.statusBar()
        bar.addWidget(self.course_status)
        for label in (self.count_status, self.edited_status, self.findings_status):
            bar.addPermanentWidget(label)

    def _connect_editor(self) -> None:
        self.editor.schedule_changed.connect(self._on_schedule_changed)
        self.editor.findings_changed.connect(self._on_findings_changed)
        self.editor.selection_changed.connect(lambda _ids: self._update_actions())
        self.validation_panel.jump_requested.connect(self.editor.select_item)
        self.undo_stack.cleanChanged.connect(lambda _clean: self._update_title())

    # ------------------------------------------------------------------ state

    def set_client(self, client: Any, label: str = "") -> None:
        """Use ``client`` (a LearningStudioClient) for loading and saving."""
        self.client = client
        self.connection_label = label

    def has_course(self) -> bool:
        return self.course_id is not None

    def edited_ids(self) -> frozenset[int]:
        """Ids of the items a save would change."""
        if not self.has_course():
            return frozenset()
        return diff_schedules(
            self.editor.base_schedule(), self.editor.current_schedule()
        ).changed_ids

    def has_unsaved_changes(self) -> bool:
        return bool(self.edited_ids())

    def _error_count(self) -> int:
        return sum(1 for f in self.editor.findings() if f.severity.name == "ERROR")

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
        for key in ("set_column", "reset_inherited", "make_explicit"):
            self.named_actions[key].setEnabled(selected)
        self.named_actions["shift"].setEnabled(loaded)
        self.named_actions["find"].setEnabled(loaded)

    def _update_status(self) -> None:
        if not self.has_course():
            for label in (self.course_status, self.count_status, self.edited_status):
                label.clear()
            return
        self.course_status.setText(
            f"{self.course_title or 'Course'} · id {self.course_id}"
            + (f" · {self.connection_label}" if self.connection_label else "")
        )
        count = len(self.editor.current_schedule())
        self.count_status.setText(f"{count:,} items")
        edited = len(self.edited_ids())
        self.edited_status.setText(f"{edited:,} edited" if edited else "no unsaved changes")

    def _on_schedule_changed(self) -> None:
        self._update_title()
        self._update_status()
        self._update_actions()

    def _on_findings_changed(self, findings: list[Any]) -> None:
        errors = sum(1 for f in findings if f.severity.name == "ERROR")
        warnings = len(findings) - errors
        parts = []
        parts.append(f"{errors} error{'s' if errors != 1 else ''}")
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
        self.findings_status.setText(" · ".join(parts))
        self.findings_status.setToolTip("Saving is blocked while errors stand" if errors else "")
        self.validation_panel.set_findings(findings)
        self._update_actions()

    # ------------------------------------------------------------------ loading

    def choose_course(self, initial: str = "") -> None:
        """Show the course picker and open the chosen course."""
        from .course_picker import CoursePicker

        picker = CoursePicker(self.client, self, initial)
        picker.course_chosen.connect(self.open_course)
        picker.open()

    def reload(self) -> None:
        if self.course_id is not None:
            self.open_course(self.course_id)

    def open_course(
        self, course: str, *, time_zone: str | None = None, zone_is_default: bool = True
    ) -> None:
        """Load ``course`` (id or ``ccn=…``) in the background and show it.

        ``time_zone`` is used for the course if none is remembered for it yet, or always
        when ``zone_is_default`` is false (an explicit ``--tz``).
        """
        if self.client is None or self.load_job is not None:
            return
        self._requested_zone = (time_zone, zone_is_default)
        client = self.client

        def job(progress: Callable[[str, int, int], None], cancelled: Callable[[], bool]) -> Any:
            return load_course(client, course, progress)

        self.statusBar().showMessage(f"Loading course {course}…")
        self.load_job = start_job(
            job,
            name=f"load {course}",
            on_success=self._on_course_loaded,
            on_failure=self._on_load_failed,
            on_progress=lambda text, _d, _t: self.statusBar().showMessage(text),
        )
        self._update_actions()

    def _on_course_loaded(self, loaded: LoadedCourse) -> None:
        self.load_job = None
        self.course_id = loaded.course_id
        self.course_title = loaded.title
        self.time_zone = self._zone_for(loaded.course_id, *self._requested_zone)
        self.settings.setValue(f"courses/{loaded.course_id}/time_zone", self.time_zone.key)
        self.tz_combo.setCurrentText(self.time_zone.key)
        self.undo_stack.clear()
        self.editor.set_schedule(loaded.schedule, self.time_zone)
        self.undo_stack.setClean()
        self.settings.setValue("last_course", loaded.course_id)
        self.statusBar().showMessage(f"Loaded {len(loaded.schedule):,} items.", 5000)
        self._on_schedule_changed()
        self.course_loaded.emit(loaded.course_id)

    def _on_load_failed(self, error: BaseException) -> None:
        self.load_job = None
        message = str(error) or type(error).__name__
        self.statusBar().showMessage("The course could not be loaded.", 10000)
        self._update_actions()
        self.load_failed.emit(message)
        box = QMessageBox(QMessageBox.Icon.Warning, "Course not loaded", message,
                          QMessageBox.StandardButton.Ok, self)  # fmt: skip
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    # ------------------------------------------------------------------ time zone

    def _zone_for(
        self, course_id: str, requested: str | None, is_default: bool
    ) -> zoneinfo.ZoneInfo:
        remembered = _zone(str(self.settings.value(f"courses/{course_id}/time_zone", "")))
        wanted = _zone(requested or "")
        if wanted is not None and (not is_default or remembered is None):
            return wanted
        return remembered or self.time_zone

    def set_time_zone(self, name: str) -> bool:
        """Show dates in ``name`` (IANA); remembered for the current course."""
        zone = _zone(name)
        if zone is None or zone.key != name:
            self.statusBar().showMessage(f"Unknown time zone: {name}", 5000)
            self.tz_combo.setCurrentText(self.time_zone.key)
            return False
        self.time_zone = zone
        self.tz_combo.setCurrentText(zone.key)
        if self.course_id is not None:
            self.settings.setValue(f"courses/{self.course_id}/time_zone", zone.key)
            self.editor.set_time_zone(zone)
        return True

    # ------------------------------------------------------------------ editing

    def focus_filter(self) -> None:
        self.editor.focus_filter()

    def set_column(self) -> None:
        self.editor.set_column_for_selection()

    def reset_to_inherited(self) -> None:
        self.editor.reset_selection_to_inherited()

    def make_explicit(self) -> None:
        self.editor.make_selection_explicit()

    def shift_dates(self) -> None:
        self.statusBar().showMessage("Shifting dates arrives with the shift dialog.", 5000)

    # ------------------------------------------------------------------ saving

    def save(self) -> None:
        self.statusBar().showMessage("Saving is not wired yet.", 5000)

    # ------------------------------------------------------------------ help

    def show_log(self) -> None:
        from .log_viewer import LogViewer

        viewer = LogViewer(log_file_path(), self)
        viewer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        viewer.open()

    def open_documentation(self) -> None:
        from PySide6.QtCore import QUrl

        QDesktopServices.openUrl(QUrl(DOCS_URL))

    def show_about(self) -> None:
        from .about import AboutDialog

        dialog = AboutDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    # ------------------------------------------------------------------ closing

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
        buttons = (
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel
        )
        count = len(self.edited_ids())
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Unsaved changes",
            f"{count} item{'s' if count != 1 else ''} of this course have unsaved changes.",
            buttons,
            self,
        )
        box.setInformativeText("Save them to LearningStudio before closing?")
        box.setDefaultButton(QMessageBox.StandardButton.Save)
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
            self.save()

    def _discard_and_close(self) -> None:
        self.editor.set_schedule(self.editor.base_schedule(), self.time_zone)
        self.undo_stack.clear()
        self.close()

    # ------------------------------------------------------------------ settings

    def _restore_window_state(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1200, 760)
        state = self.settings.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        zone = _zone(str(self.settings.value("time_zone", "")))
        if zone is not None:
            self.time_zone = zone
            self.tz_combo.setCurrentText(zone.key)

    def _save_window_state(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.setValue("time_zone", self.time_zone.key)
        self.settings.sync()


# ---------------------------------------------------------------------- helpers


def load_course(
    client: Any, course: str, progress: Callable[[str, int, int], None]
) -> LoadedCourse:
    """Runs in a worker: resolve the course, read its title and every item schedule."""
    progress("Finding the course…", 0, 3)
    course_id = str(client.resolve_course_id(course))
    progress("Reading the course…", 1, 3)
    title = course_title(client.get_course(course_id), course_id)
    progress("Reading the item schedules…", 2, 3)
    schedule = client.get_schedule(course_id)
    progress("Loaded.", 3, 3)
    return LoadedCourse(course_id, title, schedule)


def course_title(course: Any, course_id: str) -> str:
    """A short display name such as ``DEMO-101 · Demo course`` from a course object."""
    if not isinstance(course, dict):
        return f"Course {course_id}"
    code = str(course.get("displayCourseCode") or "").strip()
    title = str(course.get("title") or "").strip()
    return " · ".join(part for part in (code, title) if part) or f"Course {course_id}"


def log_file_path() -> Path:
    """Where the request log lives (the store's rotating log file)."""
    from platformdirs import user_log_dir

    return Path(user_log_dir("scheduler-gui", appauthor=False)) / "requests.log"


def install_extensions(window: MainWindow) -> None:
    """Let each module in :data:`EXTENSIONS` add its actions and docks."""
    for name in EXTENSIONS:
        module = importlib.import_module(name)
        module.install(window)


def _zone(name: str) -> zoneinfo.ZoneInfo | None:
    try:
        return zoneinfo.ZoneInfo(name) if name else None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def _local_zone() -> zoneinfo.ZoneInfo:
    """The system's IANA zone if it can be found, else UTC."""
    from PySide6.QtCore import QTimeZone

    name = bytes(QTimeZone.systemTimeZoneId().data()).decode("ascii", "replace")
    return _zone(name) or zoneinfo.ZoneInfo("UTC")


class _PlaceholderEditor(QLabel):
    """Stands in for the grid until ``ui/schedule_editor.py`` lands."""

    schedule_changed = Signal()
    findings_changed = Signal(list)
    selection_changed = Signal(list)

    def __init__(self, undo_stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._base: Schedule | None = None
        self._current: Schedule | None = None
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)

    def set_schedule(self, base: Schedule, tz: Any, current: Schedule | None = None) -> None:
        self._base, self._current = base, current or base
        self.setText(f"{len(base)} items")
        self.schedule_changed.emit()

    def base_schedule(self) -> Schedule:
        assert self._base is not None
        return self._base

    def current_schedule(self) -> Schedule:
        assert self._current is not None
        return self._current

    def apply_items(self, items: list[Any], text: str) -> None:
        assert self._current is not None
        self._current = self._current.with_items(items)
        self.schedule_changed.emit()

    def mark_saved(self, new_base: Schedule) -> None:
        self._base = self._current = new_base
        self.schedule_changed.emit()

    def set_time_zone(self, tz: Any) -> None:
        pass

    def selected_ids(self) -> list[int]:
        return []

    def select_item(self, item_id: int, field: str | None = None) -> None:
        pass

    def findings(self) -> list[Any]:
        return []


class _PlaceholderPanel(QLabel):
    jump_requested = Signal(int, str)

    def set_findings(self, findings: list[Any]) -> None:
        self.setText(f"{len(findings)} findings")


def _make_editor(undo_stack: QUndoStack, parent: QWidget) -> Any:
    return _PlaceholderEditor(undo_stack, parent)


def _make_validation_panel(parent: QWidget) -> Any:
    return _PlaceholderPanel(parent)
