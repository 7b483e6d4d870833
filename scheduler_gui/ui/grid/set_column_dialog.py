""" "Set column…": one value for one column of the selected rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QStackedWidget,
    QWidget,
)

from scheduler_gui.core.model import DATE_FIELDS

from .columns import COLUMN_FIELDS, HEADERS
from .delegates import DateTimeEditor, from_wall_clock


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
        initial: datetime | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Set column")
        self._tz = tz
        self.column = QComboBox()
        for name, label in zip(COLUMN_FIELDS[1:], HEADERS[1:], strict=True):
            self.column.addItem(label, name)
        self.date_edit = DateTimeEditor(clearable=True)
        self.date_edit.set_value((initial or datetime.now(tz)).astimezone(tz), seconds=False)
        self.keep_time = QCheckBox("Change only the date; keep each item's time of day")
        self.flag = QCheckBox("On")
        self.values = QStackedWidget()
        self.values.addWidget(self.date_edit)
        self.values.addWidget(self.flag)
        form = QFormLayout(self)
        form.addRow(
            QLabel(f"Set one value for {count:,} selected item{'s' if count != 1 else ''}.")
        )
        form.addRow("Column:", self.column)
        form.addRow("Value:", self.values)
        form.addRow("", self.keep_time)
        form.addRow(QLabel(f"Times are in {tz.key}."))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.column.currentIndexChanged.connect(self._column_changed)
        self.column.setCurrentIndex(max(0, COLUMN_FIELDS.index(field) - 1))
        self._column_changed()

    def _column_changed(self) -> None:
        is_date = self.field() in DATE_FIELDS
        self.values.setCurrentIndex(0 if is_date else 1)
        self.date_edit.clearable = self.field() == "due"
        self.date_edit.setSpecialValueText("No date" if self.field() == "due" else "")
        self.keep_time.setVisible(is_date)

    def field(self) -> str:
        return str(self.column.currentData())

    def result_value(self) -> ColumnValue:
        """The chosen column and value (read after the dialog was accepted)."""
        field = self.field()
        if field not in DATE_FIELDS:
            return ColumnValue(field, self.flag.isChecked())
        if self.date_edit.is_cleared():
            return ColumnValue(field, None)
        value = from_wall_clock(self.date_edit.dateTime(), self._tz)
        return ColumnValue(field, value, keep_time=self.keep_time.isChecked())
