"""Save: preview what changes, run the save pipeline in the background, report the outcome.

One dialog, three pages: the preview (a table of the field changes and a summary), the
progress of the pipeline (validate, read the server, back up, PUT, verify; cancel works
between steps), and the report (what changed, where the backup is, whether the server
state was verified). A conflict (someone else changed the course meanwhile) closes the
dialog with :attr:`SaveDialog.conflict` so the window can show the three-way choice.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import tzinfo
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from scheduler_gui.api.save import (
    STEPS,
    SaveOutcomeUnknownError,
    SaveReport,
    VerificationFailedError,
)
from scheduler_gui.core.diff import (
    FieldChange,
    ScheduleDiff,
    describe_value,
    diff_schedules,
    render_text,
)
from scheduler_gui.core.model import Schedule
from scheduler_gui.core.validate import Finding, Severity, validate

from ..widgets.icons import icon
from ..widgets.table_model import ListTableModel
from ..widgets.theme import cell_colours
from ..widgets.workers import Job, start_job

FIELD_LABELS = {
    "is_inherited": "Dates",
    "start": "Start",
    "end": "End",
    "due": "Due",
    "can_access_before_start": "Open early",
    "can_access_after_end": "Open late",
}

#: How many findings the preview lists (the rest are counted).
SHOWN_FINDINGS = 50
#: Courses up to this size are checked for the preview at once; bigger ones in a worker.
VALIDATE_HERE = 2000
#: The pipeline's PUT step: from there on, cancelling is no longer possible.
PUT_STEP = STEPS - 1
#: ``save(progress, cancelled) -> report``: the pipeline, bound to client and schedules.
SaveFn = Callable[[Callable[[str, int, int], None], Callable[[], bool]], Any]

_Index = QModelIndex | QPersistentModelIndex


def describe_field(change: FieldChange, which: str, tz: tzinfo) -> str:
    """The old or new value of one change, in words."""
    value = change.old if which == "old" else change.new
    if change.field == "is_inherited":
        return "inherited from its unit" if value else "its own dates"
    return describe_value(value, tz)


class DiffModel(ListTableModel):
    """The field changes of a diff as rows: item, field, before, after (lazy for big diffs)."""

    HEADERS = ("Item", "Field", "Before", "After")

    def __init__(self, diff: ScheduleDiff, tz: tzinfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.diff = diff
        self.tz = tz
        self.changes = diff.changes
        self._bold = QFont()
        self._bold.setBold(True)
        # Shade every other *item* (not row), so an item's fields read as one block.
        self._shaded: list[bool] = []
        shade, previous = True, None
        for change in self.changes:
            if change.item_id != previous:
                shade, previous = not shade, change.item_id
            self._shaded.append(shade)

    def entry_count(self) -> int:
        return len(self.changes)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        change = self.changes[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == 0:
                first = index.row() == 0 or self.changes[index.row() - 1].item_id != change.item_id
                title = change.title or f"Item {change.item_id}"
                if role == Qt.ItemDataRole.ToolTipRole:
                    return f"{title} (id {change.item_id})"
                return title if first else ""
            if column == 1:
                return FIELD_LABELS.get(change.field, change.field)
            return describe_field(change, "old" if column == 2 else "new", self.tz)
        if role == Qt.ItemDataRole.FontRole and column == 3:
            return self._bold
        if role == Qt.ItemDataRole.BackgroundRole and self._shaded[index.row()]:
            return QGuiApplication.palette().alternateBase()
        return None


def summary(diff: ScheduleDiff, total_items: int) -> str:
    """One or two sentences: how many items and fields change, what stays."""
    items = len(diff.changed_ids)
    fields = len(diff.changes)
    unchanged = total_items - items
    text = (
        f"<b>{items} item{'s' if items != 1 else ''}</b> will change "
        f"({fields} field{'s' if fields != 1 else ''}). "
        f"The other {unchanged:,} item{'s' if unchanged != 1 else ''} are written back "
        "exactly as they are; inherited dates stay inherited."
    )
    if diff.missing_ids or diff.unknown_ids:
        text += (
            f" <b>{len(diff.missing_ids)} missing and {len(diff.unknown_ids)} unknown items "
            "block the save.</b>"
        )
    return text


def report_text(report: SaveReport) -> str:
    """The outcome of a (verified) save for people."""
    if report.nothing_to_save:
        return "<b>Nothing to save:</b> the server already has exactly this schedule."
    count = report.changed_items
    merged = " Changes made on the server meanwhile were kept." if report.merged else ""
    lines = [
        f"<b>Saved.</b> {count} item{'s' if count != 1 else ''} changed on the server, "
        f"in one request with all {len(report.schedule):,} items.{merged}"
    ]
    if report.note:  # e.g. the connection dropped, yet the save is verified
        lines.append(html.escape(report.note))
    lines.append("The server was read back: every item matches what was sent.")
    if report.backup_path is not None:
        lines.append(
            "The course as it was before is backed up in "
            f"<code>{html.escape(str(report.backup_path))}</code> "
            "(<i>schedctl restore</i> puts it back)."
        )
    return "<br><br>".join(lines)


class SaveDialog(QDialog):
    """Preview → progress → report. Open with ``open()``; the window listens to the signals."""

    #: The save finished and was verified (the ``SaveReport``).
    saved = Signal(object)
    #: The server changed meanwhile (the conflict error, with base/local/remote).
    conflict = Signal(object)

    def __init__(
        self,
        base: Schedule,
        edited: Schedule,
        tz: tzinfo,
        save: SaveFn,
        parent: QWidget | None = None,
        *,
        heading: str = "",
        findings: list[Finding] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Save changes")
        self.setWindowIcon(icon("save"))
        self.resize(860, 560)
        self.save_fn = save
        self.job: Job | None = None
        self.report: Any = None
        self.error: BaseException | None = None
        self.diff = diff_schedules(base, edited)
        self.tz = tz
        #: What validation still says about the schedule to be saved (warnings allow it).
        self.findings: list[Finding] = []

        self.pages = QStackedWidget()
        self.pages.addWidget(self._preview_page(heading, edited, findings))
        self.pages.addWidget(self._progress_page())
        self.pages.addWidget(self._result_page())
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)

    # ------------------------------------------------------------------ pages

    def _preview_page(
        self, heading: str, edited: Schedule, findings: list[Finding] | None
    ) -> QWidget:
        page = QWidget()
        self.summary = QLabel(
            (f"<p>{heading}</p>" if heading else "") + summary(self.diff, len(edited))
        )
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.model = DiffModel(self.diff, self.tz, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, width in ((1, 110), (2, 220), (3, 220)):
            self.table.setColumnWidth(column, width)
        zone = QLabel(f"Times in {getattr(self.tz, 'key', str(self.tz))}.")

        self.preview_buttons = QDialogButtonBox()
        self.save_button = self.preview_buttons.addButton(
            "&Save to LearningStudio", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.save_button.setIcon(icon("save"))
        self.save_button.setDefault(True)
        self.save_button.setEnabled(bool(self.diff) and not self._blocked())
        copy = self.preview_buttons.addButton(
            "&Copy as text", QDialogButtonBox.ButtonRole.ActionRole
        )
        copy.setIcon(icon("copy"))
        copy.clicked.connect(self.copy_as_text)
        self.preview_buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.preview_buttons.accepted.connect(self.start_save)
        self.preview_buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(page)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(zone)
        self.findings_label = QLabel()
        self.findings_list = QListWidget()
        self.findings_list.setObjectName("SaveFindings")
        self.findings_list.setAccessibleName("Open warnings")
        self.findings_list.setWordWrap(True)
        # Information, not a choice, like the table above: nothing to select or focus.
        self.findings_list.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.findings_list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout.addWidget(self.findings_label)
        layout.addWidget(self.findings_list)
        layout.addWidget(self.preview_buttons)
        self._check(edited, findings)
        return page

    def _check(self, edited: Schedule, findings: list[Finding] | None) -> None:
        """Show ``findings`` (the grid's, for its own edits), else validate what is about
        to be saved: a small course now, a big one off the GUI thread (the list fills in
        when it is done; saving does not wait for it)."""
        self._show_findings(findings or [])
        if findings is not None:
            return
        if len(edited) <= VALIDATE_HERE:
            self._show_findings(validate(edited, tz=self.tz))
            return
        tz = self.tz
        start_job(
            lambda _progress, _cancelled: validate(edited, tz=tz),
            name="save preview checks",
            owner=self,
            on_success=self._show_findings,
            on_failure=lambda _error: None,  # the pipeline validates again before the PUT
        )

    def _show_findings(self, findings: list[Finding]) -> None:
        """The warnings that still stand, so nobody saves past them unseen."""
        self.findings = findings
        self.findings_list.clear()
        self.findings_label.setVisible(bool(findings))
        self.findings_list.setVisible(bool(findings))
        if not findings:
            return
        warnings = sum(1 for f in self.findings if f.severity is Severity.WARNING)
        errors = len(self.findings) - warnings
        parts = [f"{warnings} warning{'s' if warnings != 1 else ''}"] if warnings else []
        parts += [f"{errors} error{'s' if errors != 1 else ''}"] if errors else []
        them = "it" if len(self.findings) == 1 else "them"
        self.findings_label.setText(
            f"<b>{' and '.join(parts)} still open</b> (also in the Problems panel)"
            + (f": saving is allowed, but check {them} first." if not errors else ".")
        )
        colours = cell_colours()
        for finding in self.findings[:SHOWN_FINDINGS]:  # errors come first
            warning = finding.severity is Severity.WARNING
            mark = (
                icon("warning", colours.warning_fg) if warning else icon("error", colours.error_fg)
            )
            entry = QListWidgetItem(mark, finding.message)
            entry.setToolTip(finding.message)
            self.findings_list.addItem(entry)
        more = len(self.findings) - SHOWN_FINDINGS
        if more > 0:  # a list of thousands says no more than its count, and costs seconds
            self.findings_list.addItem(f"… and {more:,} more: see the Problems panel.")
        # Room for up to three findings of two lines each; more scroll.
        rows = min(len(self.findings), 3)
        self.findings_list.setFixedHeight(rows * (2 * self.fontMetrics().height() + 6) + 6)

    def _progress_page(self) -> QWidget:
        page = QWidget()
        self.step = QLabel("Starting…")
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setFormat("%v of %m steps")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.cancel_button)
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addWidget(self.step)
        layout.addWidget(self.progress)
        layout.addLayout(row)
        layout.addStretch(1)
        return page

    def _result_page(self) -> QWidget:
        page = QWidget()
        self.result_icon = QLabel()
        self.result_text = QLabel()
        self.result_text.setWordWrap(True)
        self.result_text.setTextFormat(Qt.TextFormat.RichText)
        self.result_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        top = QHBoxLayout()
        top.addWidget(self.result_icon, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.result_text, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.accept)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        layout = QVBoxLayout(page)
        layout.addLayout(top)
        layout.addStretch(1)
        layout.addWidget(buttons)
        return page

    # ------------------------------------------------------------------ actions

    def _blocked(self) -> bool:
        return bool(self.diff.missing_ids or self.diff.unknown_ids)

    def copy_as_text(self) -> None:
        QGuiApplication.clipboard().setText(render_text(self.diff, self.tz))

    def start_save(self) -> None:
        """Run the pipeline in the background and show its progress."""
        if self.job is not None or not self.save_button.isEnabled():
            return
        self.pages.setCurrentIndex(1)
        self.job = start_job(
            self.save_fn,
            name="save",
            on_progress=self._on_progress,
            on_success=self._on_saved,
            on_failure=self._on_failed,
        )

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.cancel_button.setEnabled(False)
            self.step.setText("Cancelling after the current step…")

    def _on_progress(self, text: str, done: int, total: int) -> None:
        if not (self.job is not None and self.job.cancelled):
            self.step.setText(f"Step {done} of {total}: {text}…" if total else text)
        if done >= PUT_STEP and self.job is not None and not self.job.cancelled:
            self.cancel_button.setEnabled(False)  # the PUT is on its way: too late
            self.cancel_button.setToolTip("The changes are being sent; this cannot be stopped")
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(done)

    def _on_saved(self, report: SaveReport) -> None:
        self.job = None
        self.report = report
        self._show_result("ok", report_text(report))
        self.saved.emit(report)

    def _on_failed(self, error: BaseException) -> None:
        self.job = None
        self.error = error
        if _is_conflict(error):
            self.conflict.emit(error)
            self.done(QDialog.DialogCode.Rejected)
            return
        self._show_result("error", failure_text(error))

    def _show_result(self, icon_name: str, text: str) -> None:
        self.result_icon.setPixmap(icon(icon_name).pixmap(32, 32))
        self.result_text.setText(text)
        self.pages.setCurrentIndex(2)
        self.close_button.setFocus()

    def reject(self) -> None:
        if self.job is not None:  # Esc while saving means cancel, not "walk away"
            self.cancel()
            return
        super().reject()


def _is_conflict(error: BaseException) -> bool:
    from scheduler_gui.api.errors import ConflictError

    return isinstance(error, ConflictError)


def failure_text(error: BaseException) -> str:
    """A failed or cancelled save for people: what happened and that nothing was lost."""
    message = html.escape(str(error) or type(error).__name__)
    # Only say "not saved" when that is known: after a PUT the server may hold the edits.
    if isinstance(error, SaveOutcomeUnknownError):
        headline = "Not confirmed: the server may or may not have your changes."
    elif isinstance(error, VerificationFailedError):
        headline = "Sent, but the server stored something else."
    else:
        headline = "Not saved."
    return (
        f"<b>{headline}</b> {message}<br><br>Your edits are still in the editor "
        "(and in the draft), so nothing is lost."
    )
