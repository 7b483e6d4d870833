"""Course → Shift dates…, installed on the main window (the dialog's modules, with the
shift and days-off code, load when it first opens)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from ..host import Feature, WindowHost


class ShiftDates(Feature):
    """The action (enabled once a course is open); its result is one undo step."""

    def __init__(self, host: WindowHost) -> None:
        super().__init__(host)
        self.action = host.add_action(
            "shift", "S&hift dates…", self.open_dialog, icon_name="shift",
            shortcut="Ctrl+Shift+D", tip="Move all or the selected dates to a new term",
        )  # fmt: skip
        self.action.setEnabled(host.has_course())
        host.course_loaded.connect(lambda _course: self.action.setEnabled(True))

    def open_dialog(self) -> None:
        host = self.host
        if not host.has_course():
            return
        from .dialog import ShiftDialog

        editor = host.editor
        dialog = ShiftDialog(
            editor.current_schedule(),
            host.time_zone,
            editor.selected_ids(),
            host.qt_window(),
            settings=host.settings,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(
            lambda: editor.apply_items(dialog.result_items(), dialog.undo_text())
        )
        dialog.open()


def install(host: WindowHost) -> ShiftDates:
    return ShiftDates(host)
