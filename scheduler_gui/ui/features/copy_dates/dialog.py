"""Course → Copy dates from…: take another section's dates into the open course.

The source course is read in the background; its items are matched to the open
course's by title path (``core.copy_dates``). Items of the open course that found no
partner get a combo to pick one by hand; the preview lists every change. Applying
lands in the grid as one undo step (saved later through the usual pipeline).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from scheduler_gui.core.copy_dates import (
    CopyDatesError,
    CopyResult,
    Matching,
    copy_dates,
    match_items,
    title_path,
)
from scheduler_gui.core.diff import FieldChange, diff_schedules
from scheduler_gui.core.model import ItemSchedule, Schedule
from scheduler_gui.core.shift import ByDays, ShiftError, ShiftSpec
from scheduler_gui.core.times import format_local

from ...dialogs.course_picker import CourseRow, list_courses, typed_course
from ...grid.columns import field_label
from ...widgets.icons import icon
from ...widgets.table_model import ListTableModel
from ...widgets.workers import start_job

NO_SOURCE = "— keep its dates —"
Index = QModelIndex | QPersistentModelIndex


class ChangesModel(ListTableModel):
    """The preview: one row per changed field (item, field, now, after the copy)."""

    HEADERS = ("Item", "Field", "Now", "After copy")

    def __init__(self, tz: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tz = tz
        self.changes: Sequence[FieldChange] = ()

    def set_changes(self, changes: Sequence[FieldChange]) -> None:
        self.beginResetModel()
        self.changes = changes
        self.endResetModel()

    def entry_count(self) -> int:
        return len(self.changes)

    def data(self, index: Index, role: int = 0) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or not index.isValid():
            return None
        change = self.changes[index.row()]
        column = index.column()
        if column == 0:
            return f"{change.title.strip()} ({change.item_id})"
        if column == 1:
            return field_label(change.field)
        return self._text(change.old if column == 2 else change.new)

    def _text(self, value: object) -> str:
        if value is None:
            return "—"
        if isinstance(value, datetime):
            return format_local(value, self.tz)
        if isinstance(value, bool):
            return "yes" if value else "no"
        return str(value)


class CopyDatesDialog(QDialog):
    """Choose a source course, check the matches, map leftovers, apply as one step.

    Args:
        client: the session's ``LearningStudioClient`` (``get_schedule``, ``my_courses``).
        target: the open course as it is now (edits included).
        tz: the open course's time zone.
        zone_for: the time zone remembered for another course id (for wall-clock copies).
    """

    def __init__(
        self,
        client: Any,
        target: Schedule,
        tz: ZoneInfo,
        zone_for: Callable[[str], ZoneInfo] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.client = client
        self.target = target
        self.tz = tz
        self.zone_for = zone_for or (lambda _course: tz)
        self.source: Schedule | None = None
        self.auto: Matching | None = None  # matching without manual pairs
        self.copy_result: CopyResult | None = None
        self._unmatched_ids: list[int] = []  # target ids of the "map by hand" rows
        self.setWindowTitle(f"Copy dates into course {target.course_id}")
        self.setWindowIcon(icon("copy"))
        self.resize(900, 640)
        self._build()
        self._update()
        # Code and title of each course, as the course picker lists them (a worker:
        # one request per course).
        start_job(lambda _p, _c: list_courses(client), name="my courses",
                  on_success=self._fill_courses, on_failure=lambda _e: None)  # fmt: skip

    # ------------------------------------------------------------------ building

    def _build(self) -> None:
        self.course_combo = QComboBox()
        self.course_combo.setEditable(True)
        self.course_combo.setAccessibleName("Copy dates from")
        self.course_combo.setMinimumContentsLength(30)
        line = self.course_combo.lineEdit()
        assert line is not None  # editable
        line.setPlaceholderText("Course id or ccn=CALLNUMBER")
        self.load_button = QPushButton(icon("reload"), "Load")
        self.load_button.clicked.connect(self.load_source)
        line.returnPressed.connect(self.load_source)
        source_row = QHBoxLayout()
        source_row.addWidget(self.course_combo, 1)
        source_row.addWidget(self.load_button)
        self.days = QSpinBox()
        self.days.setRange(-3650, 3650)
        self.days.setSuffix(" days")
        self.days.setToolTip(
            "Move the copied dates by whole days on the wall clock of the course time zone "
            "(23:59 stays 23:59 across daylight saving); 0 copies them as they are"
        )
        self.days.valueChanged.connect(lambda _v: self._recompute())
        form = QFormLayout()
        form.addRow("Copy dates from", source_row)
        form.addRow("Shift them by", self.days)
        self.summary = QLabel("Choose the course to copy from and press Load.")
        self.summary.setWordWrap(True)

        self.unmatched = QTableWidget(0, 2)
        self.unmatched.setHorizontalHeaderLabels(["Not matched in this course", "Take dates from"])
        self.unmatched.setAccessibleName("Items not matched")
        self.unmatched.verticalHeader().hide()
        self.unmatched.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.unmatched.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.unmatched.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.changes_model = ChangesModel(self.tz, self)
        self.changes = QTableView()
        self.changes.setModel(self.changes_model)
        self.changes.setAccessibleName("Changes the copy makes")
        self.changes.verticalHeader().hide()
        self.changes.setAlternatingRowColors(True)
        self.changes.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.changes.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        splitter = QSplitter(Qt.Orientation.Vertical)
        for title, widget in (("Map by hand", self.unmatched), ("Preview", self.changes)):
            box = QWidget()
            layout = QVBoxLayout(box)
            layout.setContentsMargins(0, 4, 0, 0)
            heading = QLabel(f"<b>{title}</b>")
            layout.addWidget(heading)
            layout.addWidget(widget)
            splitter.addWidget(box)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.apply_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.apply_button.setText("Apply to the grid")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.buttons)

    def _fill_courses(self, courses: list[CourseRow]) -> None:
        typed = self.course_combo.currentText()
        for row in courses:
            if row.course_id != self.target.course_id:
                label = " · ".join(part for part in (row.code, row.title) if part)
                self.course_combo.addItem(f"{label} ({row.course_id})", row.course_id)
        self.course_combo.setCurrentText(typed)

    # ------------------------------------------------------------------ loading

    def chosen_course(self) -> str | None:
        index = self.course_combo.currentIndex()
        text = self.course_combo.currentText()
        if index >= 0 and self.course_combo.itemText(index) == text:
            return str(self.course_combo.itemData(index))
        return typed_course(text)

    def load_source(self) -> None:
        course = self.chosen_course()
        if course is None:
            self.summary.setText("Type a course id (123456) or ccn=CALLNUMBER, or pick one.")
            return
        self.load_button.setEnabled(False)
        self.summary.setText(f"Reading course {course}…")
        start_job(
            lambda _p, _c: self.client.get_schedule(course),
            name="copy source",
            on_success=self.set_source,
            on_failure=self._load_failed,
        )

    def _load_failed(self, error: BaseException) -> None:
        self.load_button.setEnabled(True)
        self.summary.setText(f"Could not read that course: {error}")

    def set_source(self, source: Schedule) -> None:
        """Use ``source`` (loaded) as the course to copy from; match and preview."""
        self.load_button.setEnabled(True)
        if source.course_id == self.target.course_id:
            self.summary.setText("That is the open course: choose another section.")
            return
        self.source = source
        self.auto = match_items(source, self.target)
        self._fill_unmatched()
        self._recompute()

    def _fill_unmatched(self) -> None:
        assert self.source is not None and self.auto is not None
        self.unmatched.setRowCount(0)
        self.unmatched.setRowCount(len(self.auto.unmatched_target))
        self._unmatched_ids = [item.item_id for item in self.auto.unmatched_target]
        choices = [(title_path(self.source, i), i.item_id) for i in self.auto.unmatched_source]
        for row, item in enumerate(self.auto.unmatched_target):
            cell = QTableWidgetItem(title_path(self.target, item))
            cell.setToolTip(f"Item {item.item_id}")
            self.unmatched.setItem(row, 0, cell)
            combo = QComboBox()
            combo.addItem(NO_SOURCE, None)
            for path, source_id in choices:
                combo.addItem(path, source_id)
            combo.currentIndexChanged.connect(lambda _i, r=row: self._mapped(r))
            self.unmatched.setCellWidget(row, 1, combo)

    def combo_for(self, target_id: int) -> QComboBox:
        """The "take dates from" combo of an unmatched item of the open course."""
        for row in range(self.unmatched.rowCount()):
            if self._unmatched_ids[row] == target_id:
                combo = self.unmatched.cellWidget(row, 1)
                assert isinstance(combo, QComboBox)
                return combo
        raise KeyError(target_id)

    def _mapped(self, changed_row: int) -> None:
        """One source item maps to one target: a second pick clears the first."""
        combo = self.unmatched.cellWidget(changed_row, 1)
        assert isinstance(combo, QComboBox)
        picked = combo.currentData()
        for row in range(self.unmatched.rowCount()):
            other = self.unmatched.cellWidget(row, 1)
            taken = isinstance(other, QComboBox) and other.currentData() == picked
            if row != changed_row and picked is not None and taken:
                assert isinstance(other, QComboBox)
                other.blockSignals(True)
                other.setCurrentIndex(0)
                other.blockSignals(False)
        self._recompute()

    def mapping(self) -> dict[int, int]:
        """Source id -> target id chosen by hand."""
        pairs: dict[int, int] = {}
        for row in range(self.unmatched.rowCount()):
            combo = self.unmatched.cellWidget(row, 1)
            if isinstance(combo, QComboBox) and combo.currentData() is not None:
                pairs[int(combo.currentData())] = self._unmatched_ids[row]
        return pairs

    # ------------------------------------------------------------------ preview

    def _recompute(self) -> None:
        if self.source is None:
            self._update()
            return
        days = self.days.value()
        try:
            self.copy_result = copy_dates(
                self.source,
                self.target,
                mapping=self.mapping(),
                shift=ShiftSpec(ByDays(days)) if days else None,
                source_tz=self.zone_for(self.source.course_id),
                target_tz=self.tz,
            )
        except (CopyDatesError, ShiftError) as exc:
            self.copy_result = None
            self.summary.setText(str(exc))
            self._update()
            return
        diff = diff_schedules(self.target, self.copy_result.schedule)
        self.changes_model.set_changes(diff.changes)
        matching = self.copy_result.matching
        missing = ", ".join(i.title.strip() for i in matching.unmatched_source[:5])
        more = len(matching.unmatched_source) - 5
        text = (
            f"Matched {len(matching.matches)} of {len(self.source)} items of course "
            f"{self.source.course_id}; {len(diff.changed_ids)} item(s) of this course change."
        )
        if matching.unmatched_source:
            text += f" Not copied (no partner here): {missing}" + (
                f" and {more} more." if more > 0 else "."
            )
        if matching.unmatched_target:
            text += f" {len(matching.unmatched_target)} item(s) here keep their dates."
        self.summary.setText(text)
        self._update()

    def _update(self) -> None:
        self.apply_button.setEnabled(
            self.copy_result is not None and bool(self.copy_result.changed)
        )

    # ------------------------------------------------------------------ result

    def result_items(self) -> list[ItemSchedule]:
        """The changed items of the open course (for ``editor.apply_items``)."""
        return list(self.copy_result.changed) if self.copy_result is not None else []

    def undo_text(self) -> str:
        source = self.source.course_id if self.source is not None else "?"
        count = len(self.result_items())
        return f"Copy dates from course {source} ({count:,} items)"
