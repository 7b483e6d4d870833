"""The Batch window: check many courses, then shift them, with a table and Cancel.

1. **Check** reads every course (a plan file's, or the listed ones with one shift) and
   fills the table with what would change: items and dates per course, or the problem
   (unknown course, no permission, dates outside 1990–2100). Nothing is written.
2. **Run** (enabled once a check found no problem) writes the courses, several at once,
   each through the save pipeline; the table follows each course and the bar counts
   them. **Cancel** lets the courses under way finish (their verify included) and
   starts no other.
3. A batch interrupted earlier (here or by ``schedctl``) is offered for **Resume**: its
   courses as planned, those already done recognised on the server and skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from scheduler_gui.core.shift_order import OrderError, ShiftOrder
from scheduler_gui.core.zones import ZoneError, parse_zone
from scheduler_gui.session.batch import (
    ALREADY_DONE,
    DONE,
    FAILED_STATUS,
    NOT_STARTED,
    PROBLEM,
    STOPPED_STATUS,
    UNCHANGED,
    CourseResult,
    Prepared,
)
from scheduler_gui.session.batch_runs import client_identity, earlier_run, orders_of, resumable
from scheduler_gui.store.journal import JournalInfo
from scheduler_gui.store.settings import load_settings

from .form import BatchForm, FormError
from .model import WRITING, BatchTableModel
from .run import BatchRun

#: ``zone_for(course_id)``: the zone saved for a course, or None.
ZoneFor = Callable[[str], ZoneInfo | None]


class BatchWindow(QDialog):
    """See the module docstring. ``zone_for`` gives a course's saved time zone."""

    #: Emitted with the results when a run has ended (every course reached or stopped).
    batch_finished = Signal(object)

    def __init__(
        self,
        client: Any,
        default_zone: ZoneInfo,
        zone_for: ZoneFor,
        parent: QWidget | None = None,
        *,
        confirm: Callable[[QWidget, str], bool] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Term rollover")
        self.client = client
        self.default_zone = default_zone
        self.zone_for = zone_for
        self._confirm = confirm or _ask
        self.run: BatchRun | None = None
        self._interrupted: JournalInfo | None = None
        self._checked_inputs: object = None

        self.form = BatchForm()
        self.form.jobs.setValue(load_settings().batch_jobs or self.form.jobs.value())
        self.resume_label = QLabel()
        self.resume_label.setWordWrap(True)
        self.resume_button = QPushButton("Resu&me")
        self.resume_button.clicked.connect(self.resume)
        self.resume_bar = QWidget()
        resume_row = QHBoxLayout(self.resume_bar)
        resume_row.setContentsMargins(0, 0, 0, 0)
        resume_row.addWidget(self.resume_label, 1)
        resume_row.addWidget(self.resume_button)
        self.model = BatchTableModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Courses of the batch")
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.progress = QProgressBar()
        self.progress.setFormat("%v of %m courses")
        self.progress.hide()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox()
        self.check_button = buttons.addButton("Ch&eck", QDialogButtonBox.ButtonRole.ActionRole)
        self.run_button = buttons.addButton("&Run", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = buttons.addButton("Cance&l", QDialogButtonBox.ButtonRole.RejectRole)
        self.close_button = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.check_button.clicked.connect(self.check)
        self.run_button.clicked.connect(self.start_writing)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button.clicked.connect(self.close)
        self.run_button.setEnabled(False)
        self.cancel_button.setEnabled(False)

        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(self.resume_bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.summary)
        layout.addWidget(buttons)
        self.resize(820, 640)
        self.refresh_interrupted()

    # ------------------------------------------------------------------ the steps

    def refresh_interrupted(self) -> None:
        """Offer the newest interrupted batch of this server and user, if any."""
        found = resumable(client_identity(self.client))
        self._interrupted = found[0] if found else None
        info = self._interrupted
        self.resume_bar.setVisible(info is not None)
        if info is not None:
            counts = info.counts()
            left = info.total - info.done
            self.resume_label.setText(
                f"An interrupted batch ({info.header.get('command', 'shift')}, started "
                f"{info.created}): {info.done} of {info.total} courses done, {left} left. "
                f"{_counts_text(counts)}"
            )

    def check(self) -> None:
        """Read and check every course; fill the table with what would change."""
        try:
            orders, kind, header = self.form.orders()
        except FormError as exc:
            self._show_problem(str(exc))
            return
        self._start_check(orders, kind, header, earlier=None)

    def resume(self) -> None:
        """Check the interrupted batch's courses as it planned them (Run continues it)."""
        info = self._interrupted
        if info is None:
            return
        try:
            orders = orders_of(info)
        except OrderError as exc:
            self._show_problem(f"The interrupted batch cannot be resumed: {exc}.")
            return
        kind = str(info.header.get("command", "shift"))
        extra = {key: str(info.header[key]) for key in ("plan",) if key in info.header}
        self._start_check(orders, kind, extra, earlier=info)

    def _start_check(
        self,
        orders: list[ShiftOrder],
        kind: str,
        header: dict[str, str],
        earlier: JournalInfo | None,
    ) -> None:
        run = BatchRun(
            self.client, orders, kind=kind, zone_of=self._zone_of, jobs=self.form.jobs.value(),
            earlier=earlier, header=header, parent=self,
        )  # fmt: skip
        if earlier is None:  # the same batch started before (here or by schedctl)
            run.earlier = earlier_run(run.key)
        run.checked.connect(self._checked)
        run.failed.connect(self._failed)
        run.course_started.connect(lambda course: self.model.mark(course, WRITING))
        run.course_finished.connect(self._course_finished)
        run.written.connect(self._written)
        self.run = run
        self.model.set_courses([order.course for order in orders])
        self.summary.setText(f"Checking {len(orders)} course(s)…")
        self._busy(True)
        run.check()

    def _checked(self, prepared: list[Prepared]) -> None:
        self._busy(False)
        self.model.set_checked(prepared)
        problems = [p for p in prepared if p.status == PROBLEM]
        ready = self.model.count("ready")
        done = self.model.count(ALREADY_DONE)
        items = sum(p.changed_items for p in prepared if p.status == "ready")
        if problems:
            self.summary.setText(
                f"Nothing can be written: {len(problems)} course(s) have problems "
                "(see the table). Fix them and check again."
            )
        else:
            earlier = " (continuing the earlier run)" if self.run and self.run.earlier else ""
            self.summary.setText(
                f"{ready} course(s) ready to write{earlier}: {items} item(s) change. "
                f"{done} already done, {self.model.count(UNCHANGED)} with nothing to change."
            )
        self.run_button.setEnabled(not problems and ready > 0)

    def start_writing(self) -> None:
        """Write the checked courses (asks first)."""
        run = self.run
        if run is None or not run.ready or run.running:
            return
        question = (
            f"Write the shifted dates of {len(run.ready)} course(s)? Each is backed up "
            "first and read back after."
        )
        if not self._confirm(self, question):
            return
        self.progress.setRange(0, len(run.prepared))
        self.progress.setValue(0)
        self.progress.show()
        self.summary.setText("Writing…")
        self._busy(True, writing=True)
        run.write()

    def cancel(self) -> None:
        """Stop: the courses under way finish and are verified; no other one starts."""
        if self.run is not None and self.run.running:
            self.run.cancel()
            self.cancel_button.setEnabled(False)
            self.summary.setText(
                "Stopping: the courses being written finish and are verified; "
                "no other course is started."
            )

    # ------------------------------------------------------------------ reports

    def _course_finished(self, result: CourseResult) -> None:
        self.model.finished(result)
        self.progress.setValue(self.progress.value() + 1)

    def _written(self, results: list[CourseResult]) -> None:
        self._busy(False)
        self.run_button.setEnabled(False)
        counts: dict[str, int] = {}
        for result in results:
            counts[result.status] = counts.get(result.status, 0) + 1
        text = _counts_text(counts)
        failed = [r.course_id or r.course for r in results if r.status == FAILED_STATUS]
        left = counts.get(STOPPED_STATUS, 0) + counts.get(NOT_STARTED, 0)
        if failed:
            text += f" Failed: {', '.join(failed)}."
        if failed or left:
            text += " Check again (or Resume) to finish: done courses are not written twice."
        self.summary.setText(text)
        self.refresh_interrupted()
        self.batch_finished.emit(results)

    def _failed(self, error: BaseException) -> None:
        self._busy(False)
        self._show_problem(str(error))

    def _show_problem(self, text: str) -> None:
        self.summary.setText(text)
        self.run_button.setEnabled(False)

    def _busy(self, busy: bool, *, writing: bool = False) -> None:
        self.form.set_enabled(not busy)
        self.check_button.setEnabled(not busy)
        self.resume_button.setEnabled(not busy)
        self.close_button.setEnabled(not busy)
        self.cancel_button.setEnabled(busy and writing)
        if busy:
            self.run_button.setEnabled(False)

    def _zone_of(self, order: ShiftOrder, course_id: str) -> ZoneInfo:
        if order.time_zone:
            try:
                return parse_zone(order.time_zone)
            except ZoneError as exc:
                raise OrderError(str(exc)) from None
        return self.zone_for(course_id) or self.default_zone

    def closeEvent(self, event: Any) -> None:
        if self.run is not None and self.run.running:
            event.ignore()  # a batch in flight finishes (or is cancelled) first
            return
        super().closeEvent(event)

    def reject(self) -> None:
        if self.run is not None and self.run.running:
            return  # Escape does not walk away from a running batch
        super().reject()


#: How a count of courses in a state reads, in the order the summary lists them.
COUNT_LABELS = (
    (DONE, "verified"), (ALREADY_DONE, "already done"), (UNCHANGED, "nothing to change"),
    (FAILED_STATUS, "failed"), (STOPPED_STATUS, "stopped"), (NOT_STARTED, "not started"),
    ("planned", "planned"), ("backed_up", "backed up"), ("skipped", "skipped"),
    ("left", "not reached"),
)  # fmt: skip


def _counts_text(counts: dict[str, int]) -> str:
    parts = [f"{counts[key]} {label}" for key, label in COUNT_LABELS if counts.get(key)]
    return (", ".join(parts) + ".") if parts else ""


def _ask(parent: QWidget, question: str) -> bool:
    answer = QMessageBox.question(parent, "Term rollover", question)
    return answer == QMessageBox.StandardButton.Yes
