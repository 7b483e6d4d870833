"""Course → Copy dates from…, installed on the main window (the dialog's modules load
when it first opens)."""

from __future__ import annotations

from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt

from scheduler_gui.session.course_zones import CourseZones

from ..host import Feature, WindowHost

if TYPE_CHECKING:
    from .dialog import CopyDatesDialog


class CopyDates(Feature):
    """The action, and the dialog it opened last (:attr:`dialog`)."""

    def __init__(self, host: WindowHost) -> None:
        super().__init__(host)
        self.dialog: CopyDatesDialog | None = None
        self.action = host.add_action(
            "copy_dates", "&Copy dates from…", self.open_dialog, icon_name="copy",
            tip="Copy the dates of another section into this course (matched by title path)",
        )  # fmt: skip

    def zone_for(self, course_id: str) -> ZoneInfo:
        """The zone saved for ``course_id`` (by the app or schedctl), else the window's."""
        return CourseZones().get(course_id) or self.host.time_zone

    def open_dialog(self) -> None:
        host = self.host
        if not host.has_course():
            return
        from .dialog import CopyDatesDialog

        editor = host.editor
        dialog = CopyDatesDialog(
            host.client, editor.current_schedule(), editor.time_zone(), self.zone_for,
            host.qt_window(),
        )  # fmt: skip
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(
            lambda: editor.apply_items(dialog.result_items(), dialog.undo_text())
        )
        self.dialog = dialog
        dialog.open()


def install(host: WindowHost) -> CopyDates:
    return CopyDates(host)
