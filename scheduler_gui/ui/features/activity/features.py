"""The activity features of the main window: the activity dock, the item preview with
the activity clock, and "Open in LearningStudio" (see :func:`install`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication

from scheduler_gui.api.activity import course_entry
from scheduler_gui.api.clock import clock_for_client

from ...widgets.icons import icon
from ...widgets.workers import start_job
from ..host import Feature, WindowHost
from .dock import DOCK_WIDTH, ActivityDock
from .link import CopyLinkDialog, open_link_quietly
from .preview import ClockDriver, ItemPreview


class ActivityFeatures(Feature):
    """The activity dock, the item preview with its clock, and "Open in LearningStudio".

    The clock belongs to the logged-in client: it is ended when the window closes, when
    the app quits and on :meth:`end_session` (logout), so it never runs on unattended.
    """

    def __init__(self, host: WindowHost) -> None:
        super().__init__(host)
        window = host.qt_window()
        self.driver: ClockDriver | None = None
        self._driver_client: Any = None
        self.dock = ActivityDock(host.settings, window)
        self.preview = ItemPreview(window)
        # The Activity dock goes where the user left it at the last quit (the window restored
        # its layout before this dock existed); the preview is about one item: starts closed.
        for dock in (self.dock, self.preview):
            if dock is self.preview or not window.restoreDockWidget(dock):
                window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
                dock.hide()

        self.open_action = host.add_action(
            "open_in_learningstudio", "Open in &LearningStudio", self.open_in_learningstudio,
            icon_name="browser", shortcut="Ctrl+Shift+L",
            tip="Open this course's home page in LearningStudio in the web browser",
        )  # fmt: skip
        self.preview_action = host.add_action(
            "preview_item", "&Preview item", self.preview_selected, icon_name="page",
            shortcut="Ctrl+Shift+P",
            tip="Show the selected item's details; time on task is recorded while it is open",
        )  # fmt: skip
        toggle = self.dock.toggleViewAction()
        toggle.setIcon(icon("activity"))
        toggle.setText("&Activity")
        toggle.setToolTip("Who did what, when, on which item of this course")
        host.place_action("activity", toggle)

        host.course_loaded.connect(self._course_loaded)
        host.time_zone_changed.connect(self._zone_changed)
        host.editor.selection_changed.connect(self._selection_changed)
        self.dock.item_activated.connect(self._select_in_grid)
        self.dock.visibilityChanged.connect(self._dock_shown)
        self.preview.closed.connect(self._preview_closed)
        window.installEventFilter(self)
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.end_session)
        self._update_actions()
        if host.course_id is not None:  # installed after a course loaded (deferred)
            self._course_loaded(host.course_id)

    # ------------------------------------------------------------------ session

    def end_session(self) -> None:
        """Logout or quit: close the preview and end the clock, waiting for the endping."""
        self.preview.hide()
        if self.driver is not None:
            driver, self.driver = self.driver, None
            driver.shutdown()  # stays our child: its thread may still report once

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # A non-spontaneous Hide of the window is a close (minimizing is spontaneous).
        hidden = watched is self.parent() and event.type() == QEvent.Type.Hide
        if hidden and not event.spontaneous():
            self.end_session()
        return False

    def _clock_driver(self) -> ClockDriver:
        client = self.host.client
        if self.driver is not None and self._driver_client is not client:
            self.end_session()  # another login: end the old user's clock first
        if self.driver is None:
            minutes = _number(self.host.settings.value("activity/idle_minutes", 10), 10.0)
            clock = clock_for_client(client, idle_timeout=max(1.0, minutes) * 60)
            self.driver = ClockDriver(clock, self)
            self._driver_client = client
            self.driver.failed.connect(self._clock_failed)
            self.driver.went_idle.connect(self._clock_idle)
            self.driver.resumed.connect(self._clock_resumed)
        return self.driver

    # ------------------------------------------------------------------ slots

    def _update_actions(self) -> None:
        ready = self.host.client is not None and self.host.course_id is not None
        self.open_action.setEnabled(ready)
        self.preview_action.setEnabled(ready and bool(self.host.editor.selected_ids()))

    def _course_loaded(self, course_id: str) -> None:
        if self.preview.course_id not in (None, course_id):
            self.preview.close()
        schedule = self.host.editor.current_schedule()
        self.dock.set_time_zone(self.host.time_zone)
        self.dock.set_course(self.host.client, course_id, schedule)
        self._update_actions()

    def _selection_changed(self, ids: Sequence[int]) -> None:
        self._update_actions()
        if ids and self.preview.isVisible() and self.preview.item_id != ids[0]:
            self.show_preview(ids[0])

    def _dock_shown(self, visible: bool) -> None:
        if visible and self.dock.width() < DOCK_WIDTH:
            self.host.qt_window().resizeDocks([self.dock], [DOCK_WIDTH], Qt.Orientation.Horizontal)

    def _select_in_grid(self, item_id: int) -> None:
        self.host.editor.select_item(item_id)

    def preview_selected(self) -> None:
        ids = self.host.editor.selected_ids()
        if ids:
            self.show_preview(ids[0])

    def show_preview(self, item_id: int) -> None:
        """Show ``item_id`` in the preview and record time against it."""
        course_id, client = self.host.course_id, self.host.client
        if course_id is None or client is None:
            return
        self.preview.show_item(client, course_id, item_id, self.host.editor.current_schedule())
        self._clock_driver().open(course_id, item_id)

    def _preview_closed(self) -> None:
        if self.driver is not None:
            self.driver.close()

    def _zone_changed(self, _zone: object) -> None:
        self.dock.set_time_zone(self.host.time_zone)

    def _clock_idle(self) -> None:
        self.preview.set_clock_state("paused: no activity for a while")

    def _clock_resumed(self) -> None:
        self.preview.set_clock_state("recording")

    def _clock_failed(self, message: str) -> None:
        self.preview.set_clock_state("not recorded (see the log)")
        self.host.show_message(message, 10000)

    def open_in_learningstudio(self) -> None:
        """Ask for a fresh entry URL and open it at once (it expires in minutes)."""
        course_id, client = self.host.course_id, self.host.client
        if course_id is None or client is None:
            return
        self.host.show_message("Asking LearningStudio for a course link…")
        start_job(
            lambda _p, _c: course_entry(client, course_id),
            name="course entry",
            on_success=self._open_url,
            on_failure=self._entry_failed,
        )

    def _entry_failed(self, exc: BaseException) -> None:
        self.host.show_message(f"Could not open the course in LearningStudio: {exc}", 10000)

    def _open_url(self, url: str) -> None:
        if open_link_quietly(url):
            self.host.show_message("Opened the course in the web browser.", 5000)
            return
        self.host.show_message("No web browser could be started: copy the course link.", 10000)
        title = self.host.course_title or f"course {self.host.course_id}"
        dialog = CopyLinkDialog(url, title, self.host.qt_window())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()


def _number(value: Any, default: float) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


def install(host: WindowHost) -> ActivityFeatures:
    """The activity dock, the item preview with its clock, and "Open in LearningStudio"."""
    return ActivityFeatures(host)
