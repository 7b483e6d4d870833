"""The toolbar's time zone box: it changes only when the user means it to.

Every date shown and typed depends on it, so a stray key or wheel turn must not change
it: Tab does not stop here (a click, or Course → Time zone…, does), the wheel and the
arrow keys never step through zones, and changing the open course's zone asks first.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QWheelEvent
from PySide6.QtWidgets import QComboBox, QCompleter, QMessageBox, QWidget

from scheduler_gui.core.zones import zone_names


def zone_question(parent: QWidget, name: str) -> QMessageBox:
    """Show and type this course's times in ``name``? Cancel is the default."""
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "Change the course time zone?",
        f"Show and type times in {name} for this course?",
        QMessageBox.StandardButton.Cancel,
        parent,
    )
    box.setInformativeText(
        "Dates stay the same moments; they are shown and typed on this zone's clock, and "
        "Excel exports and date shifts use it too."
    )
    box.addButton(f"Use {name}", QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    return box


class TimeZoneBox(QComboBox):
    """An editable list of IANA zones; :attr:`zone_chosen` once a change is confirmed."""

    #: The user chose this zone name (typed or picked, and confirmed when asked).
    zone_chosen = Signal(str)

    def __init__(self, zone: str, ask_first: Callable[[], bool], parent: QWidget) -> None:
        """``ask_first()``: whether a change needs the user's yes (a course is open)."""
        super().__init__(parent)
        self._ask_first = ask_first
        self._zone = zone
        self.question: QMessageBox | None = None
        self.setObjectName("TimeZone")
        self.setAccessibleName("Time zone")
        self.setToolTip("Dates are shown and edited in this time zone")
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # not on the Tab path from the grid
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.addItems(zone_names())
        self.setMinimumContentsLength(18)
        completer = QCompleter(self.model(), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.setCompleter(completer)
        self.setCurrentText(zone)
        # A name picked from the list (activated), or typed and confirmed (editingFinished).
        self.activated.connect(self._entered)
        line_edit = self.lineEdit()
        assert line_edit is not None
        line_edit.editingFinished.connect(self._entered)

    def show_zone(self, name: str) -> None:
        """The zone in use is ``name`` (set by the window, not a choice to confirm)."""
        self._zone = name
        self.setCurrentText(name)

    def start_typing(self) -> None:
        """Course → Time zone…: focus the box with its text selected, ready to type."""
        self.setFocus(Qt.FocusReason.ShortcutFocusReason)
        line_edit = self.lineEdit()
        if line_edit is not None:
            line_edit.selectAll()

    def wheelEvent(self, event: QWheelEvent) -> None:
        event.ignore()  # the wheel scrolls what is under the box; it never picks a zone

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp,
                           Qt.Key.Key_PageDown):  # fmt: skip
            self.showPopup()  # a list to choose from, not a step to the next zone
            return
        if event.key() == Qt.Key.Key_Escape:
            self.setCurrentText(self._zone)
        super().keyPressEvent(event)

    def _entered(self, *_args: object) -> None:
        name = self.currentText().strip()
        if name == self._zone or self.question is not None:
            return
        if name not in zone_names() or not self._ask_first():
            self.zone_chosen.emit(name)  # the window refuses unknown names
            return
        box = zone_question(self, name)
        box.finished.connect(lambda _r: self._answered(box, name))
        self.question = box
        box.open()

    def _answered(self, box: QMessageBox, name: str) -> None:
        self.question = None
        box.deleteLater()
        if box.buttonRole(box.clickedButton()) == QMessageBox.ButtonRole.AcceptRole:
            self.zone_chosen.emit(name)
        else:
            self.setCurrentText(self._zone)
