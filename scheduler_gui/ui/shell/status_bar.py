"""The main window's status bar: the open course, its counts, problems, and load progress."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton, QStatusBar

LOAD_STEPS = 3


class WindowStatus:
    """The permanent widgets of the status bar (messages go to the bar itself)."""

    def __init__(self, bar: QStatusBar, cancel_load: Callable[[], None]) -> None:
        self.course = QLabel()
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
