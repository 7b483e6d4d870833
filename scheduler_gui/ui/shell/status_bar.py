"""The main window's status bar: the open course, its counts, problems, and load progress.

Messages that do not fit (a small window, a long explanation) get a Details button that
shows them whole; the course name gives way first (elided, whole in its tooltip).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QStatusBar,
    QToolButton,
    QWidget,
)

from ..widgets.elided_label import ElidedLabel

LOAD_STEPS = 3
#: Room the bar keeps around its message (margins, the size grip), in pixels.
MESSAGE_MARGINS = 40


class MessageDetails(QObject):
    """A "Details…" button beside a status message that is cut off; it shows it whole."""

    def __init__(self, bar: QStatusBar, permanent: list[QWidget]) -> None:
        super().__init__(bar)
        self.bar = bar
        self.permanent = permanent
        self.message = ""
        self.button = QToolButton()
        self.button.setText("Details…")
        self.button.setAccessibleName("Status message details")
        self.button.setAutoRaise(True)
        self.button.clicked.connect(self.show_details)
        self.button.hide()
        bar.insertPermanentWidget(0, self.button)
        bar.messageChanged.connect(self._message_changed)
        bar.installEventFilter(self)

    def room(self) -> int:
        """The width the message has beside the permanent widgets shown now."""
        taken = sum(w.width() for w in (self.button, *self.permanent) if w.isVisible())
        return self.bar.width() - taken - MESSAGE_MARGINS

    def fits(self, text: str) -> bool:
        return self.bar.fontMetrics().horizontalAdvance(text) <= self.room()

    def show_details(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, "Message", self.message,
                          QMessageBox.StandardButton.Close, self.bar.window())  # fmt: skip
        box.setObjectName("StatusMessageDetails")
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def _message_changed(self, text: str) -> None:
        if text:
            self.message = text
        self._update()

    def _update(self) -> None:
        text = self.bar.currentMessage()
        long = bool(text) and not self.fits(text)
        self.button.setVisible(long)
        self.button.setToolTip(text if long else "")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.bar and event.type() == QEvent.Type.Resize:
            self._update()
        return False


class WindowStatus:
    """The permanent widgets of the status bar (messages go to the bar itself)."""

    def __init__(self, bar: QStatusBar, cancel_load: Callable[[], None]) -> None:
        self.course = ElidedLabel()
        self.count = QLabel()
        self.edited = QLabel()
        self.findings = QLabel()
        for label in (self.course, self.count, self.edited, self.findings):
            bar.addPermanentWidget(label)
        # While a course loads: its steps, and a way out when the server is slow.
        self.load_progress = QProgressBar()
        self.load_progress.setRange(0, LOAD_STEPS)
        self.load_progress.setMaximumWidth(120)
        self.cancel_load_button = QPushButton("Cancel loading")
        self.cancel_load_button.clicked.connect(cancel_load)
        for widget in (self.load_progress, self.cancel_load_button):
            widget.hide()
            bar.addPermanentWidget(widget)
        permanent: list[QWidget] = [self.course, self.count, self.edited, self.findings,
                                    self.load_progress, self.cancel_load_button]  # fmt: skip
        self.details = MessageDetails(bar, permanent)

    def show_course(self, name: str, course_id: str, connection: str, count: int,
                    edited: int) -> None:  # fmt: skip
        self.course.setText(f"{name} (id {course_id})")
        self.course.setToolTip(connection)
        self.count.setText(f"{count:,} items")
        self.edited.setText(f"{edited:,} edited" if edited else "no unsaved changes")

    def clear_course(self) -> None:
        for label in (self.course, self.count, self.edited):
            label.clear()

    def show_findings(self, errors: int, warnings: int) -> None:
        parts = [
            f"{errors} error{'s' if errors != 1 else ''}",
            f"{warnings} warning{'s' if warnings != 1 else ''}",
        ]
        self.findings.setText(" · ".join(parts))
        self.findings.setToolTip("Saving is blocked while errors stand" if errors else "")

    def show_loading(self, loading: bool) -> None:
        self.load_progress.setValue(0)
        self.load_progress.setVisible(loading)
        self.cancel_load_button.setVisible(loading)

    def show_load_step(self, done: int) -> None:
        self.load_progress.setValue(done)
