"""Course → Term rollover…, installed on the main window."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

from ..host import Feature, WindowHost

if TYPE_CHECKING:
    from .window import BatchWindow


class TermRollover(Feature):
    """The action, and the Batch window it opened last (:attr:`window`)."""

    def __init__(self, host: WindowHost) -> None:
        super().__init__(host)
        self.window: BatchWindow | None = None
        self.action = host.add_action(
            "term_rollover", "Term &rollover…", self.open_window, icon_name="shift",
            tip="Shift many courses at once, from a plan or a list (resumable)",
        )  # fmt: skip

    def open_window(self) -> None:
        host = self.host
        if host.client is None:
            host.show_message("Log in first: a batch works on the server's courses.", 5000)
            return
        if self.window is not None and self.window.isVisible():
            self.window.raise_()
            self.window.activateWindow()
            return
        from scheduler_gui.session.course_zones import CourseZones

        from .window import BatchWindow  # its modules (openpyxl...) load when first opened

        window = BatchWindow(host.client, host.time_zone, CourseZones().get, host.qt_window())
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.destroyed.connect(self._forget)
        self.window = window
        window.show()

    def _forget(self) -> None:
        self.window = None


def install(host: WindowHost) -> TermRollover:
    return TermRollover(host)
