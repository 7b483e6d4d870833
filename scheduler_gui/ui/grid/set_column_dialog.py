""" "Set column…": one value for one column of the selected rows.

The value field starts from what the selected rows hold in that column when they all
agree, and is empty when they differ: never from the clock. It takes a date as typed
(the one parser in core): a date with a time sets both; a date alone changes only the
day and keeps each item's own time of day. What is written has exactly the seconds shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from scheduler_gui.core.date_text import DEFAULT_TIMES, to_instant
from scheduler_gui.core.model import DATE_FIELDS

from ..widgets.date_field import DateField, ProblemLabel
from .columns import COLUMN_FIELDS, HEADERS


@dataclass(frozen=True)
class ColumnValue:
    """What the dialog asks for: ``value`` is a UTC datetime, None (no due date) or a bool."""

    field: str
    value: datetime | bool | None
    #: For dates: change only the calendar day and keep each item's own time of day.
    keep_time: bool = False


class SetColumnDialog(QDialog):
    """Pick a column and a value; the result applies to every selected row as one step."""

    def __init__(
        self,
        count: int,
        tz: ZoneInfo,
        field: str = "start",
        shared: Mapping[str, datetime | None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """``shared``: per date field, the value all selected rows hold (None: they differ
        or have none); the field starts from it."""
        super().__init__(parent)
        self.setWindowTitle("Set column")
        self._tz = tz
        self._shared = dict(shared or {})
        self.column = QComboBox()
        self.column.setAccessibleName("Column")
        for name, label in zip(COLUMN_FIELDS[1:], HEADERS[1:], strict=True):
            self.column.addItem(label, name)
        self.date_edit = DateField(tz)
        self.date_edit.setMinimumWidth(260)
        self.date_edit.setAccessibleName("Value")
        self.problem = ProblemLabel()
        self.date_edit.problem_changed.connect(self.problem.show_problem)
        self.no_due = QCheckBox("No due date (remove it)")
        self.no_due.toggled.connect(lambda on: self.date_edit.setEnabled(not on))
        self.flag = QCheckBox("On")
        date_page = QWidget()
        date_box = QVBoxLayout(date_page)
        date_box.setContentsMargins(0, 0, 0, 0)
        for widget in (self.date_edit, self.problem, self.no_due):
            date_box.addWidget(widget)
        self.values = QStackedWidget()
        self.values.addWidget(date_page)
        self.values.addWidget(self.flag)
        self.hint = QLabel(
            f"Times are in {tz.key}. Type a date alone (2011-03-08) to keep each item's "
            "time of day."
        )
        self.hint.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(
            QLabel(f"Set one value for {count:,} selected item{'s' if count != 1 else ''}.")
        )
        form.addRow("&Column:", self.column)
        form.addRow("&Value:", self.values)
        form.addRow(self.hint)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.column.currentIndexChanged.connect(self._column_changed)
        self.column.setCurrentIndex(max(0, COLUMN_FIELDS.index(field) - 1))
        self._column_changed()

    def _column_changed(self) -> None:
        field = self.field()
        is_date = field in DATE_FIELDS
        self.values.setCurrentIndex(0 if is_date else 1)
        self.hint.setVisible(is_date)
        self.no_due.setVisible(field == "due")
        self.no_due.setChecked(False)
        if is_date:
            self.date_edit.default_time = DEFAULT_TIMES[field]
            shared = self._shared.get(field)
            self.date_edit.set_value(shared)
            self.date_edit.setPlaceholderText("type a date, e.g. 2011-03-08 23:59")
            self.date_edit.setFocus()
            self.date_edit.selectAll()

    def field(self) -> str:
        return str(self.column.currentData())

    def accept(self) -> None:
        """OK: only with a date that reads well (the problem is shown under the field)."""
        typing = self.field() in DATE_FIELDS and not self.no_due.isChecked()
        if typing and not self.date_edit.check():
            self.date_edit.setFocus()
            return
        super().accept()

    def result_value(self) -> ColumnValue:
        """The chosen column and value (read after the dialog was accepted)."""
        field = self.field()
        if field not in DATE_FIELDS:
            return ColumnValue(field, self.flag.isChecked())
        if field == "due" and self.no_due.isChecked():
            return ColumnValue(field, None)
        typed = self.date_edit.typed()  # accept() made sure it reads
        if isinstance(typed, date) and not isinstance(typed, datetime):
            # A date alone: that day, at each item's own time of day.
            day = to_instant(typed, None, self._tz, DEFAULT_TIMES[field])
            return ColumnValue(field, day, keep_time=True)
        return ColumnValue(field, self.date_edit.value())
