"""Delegates of the grid: indented titles, date-time editing in the course zone, checkboxes.

Dates live in the model as aware UTC datetimes. The editor shows and takes the wall-clock
time in the course time zone (a ``ZoneInfo``, not Qt's own zone database, so the grid,
Excel and shifting agree), and converts back to UTC on commit.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QDate,
    QDateTime,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    QTime,
    QTimeZone,
)
from PySide6.QtGui import QFocusEvent, QKeyEvent, QMouseEvent, QPainter
from PySide6.QtWidgets import (
    QApplication,
    QDateTimeEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from .columns import COLUMN_FIELDS, Column, DepthRole, ValueRole
from .model import ScheduleTableModel

INDENT = 18  # pixels per level of the unit tree
_UTC_SPEC = QTimeZone(QTimeZone.Initialization.UTC)
# The editor's "no date" value: QDateTimeEdit has no empty state, so the minimum stands in.
_NO_DATE = QDateTime(QDate(1900, 1, 1), QTime(0, 0), _UTC_SPEC)

Index = QModelIndex | QPersistentModelIndex


def wall_clock(value: datetime) -> QDateTime:
    """``value`` (already in the course zone) as a zone-less Qt date-time for the editor."""
    return QDateTime(
        QDate(value.year, value.month, value.day),
        QTime(value.hour, value.minute, value.second),
        _UTC_SPEC,
    )


def from_wall_clock(value: QDateTime, tz: Any) -> datetime:
    """The editor's wall-clock value, read in ``tz``, as an aware UTC datetime.

    A time that does not exist (the hour skipped by daylight saving) resolves the way
    ``zoneinfo`` does: the offset before the change applies.
    """
    d, t = value.date(), value.time()
    local = datetime(d.year(), d.month(), d.day(), t.hour(), t.minute(), t.second(), tzinfo=tz)
    return local.astimezone(UTC)


class DateTimeEditor(QDateTimeEdit):
    """A date-time field with a calendar popup; Delete on the selected text clears it."""

    def __init__(self, clearable: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.clearable = clearable
        self.setTimeZone(_UTC_SPEC)
        self.setCalendarPopup(True)
        self.setMinimumDateTime(_NO_DATE)
        if clearable:
            self.setSpecialValueText("No date")
        self.setToolTip(
            "Type the date and time or pick a day in the calendar (the time is kept)."
            + (" Select all and press Delete to remove the date." if clearable else "")
        )

    def set_value(self, value: datetime | None, seconds: bool) -> None:
        """Show ``value`` (in the course zone; None = no date)."""
        self.setDisplayFormat("yyyy-MM-dd HH:mm:ss" if seconds else "yyyy-MM-dd HH:mm")
        self.setDateTime(_NO_DATE if value is None else wall_clock(value))

    def is_cleared(self) -> bool:
        return self.clearable and self.dateTime() == _NO_DATE

    def focusInEvent(self, event: QFocusEvent) -> None:
        # Qt selects only the first section; with everything selected a whole typed date
        # ("2011-03-08 14:30") replaces the value, as in a spreadsheet.
        super().focusInEvent(event)
        self.selectAll()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        line = self.lineEdit()
        whole = line.hasSelectedText() and line.selectedText() == line.text()
        if self.clearable and whole and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.setDateTime(_NO_DATE)
            event.accept()
            return
        super().keyPressEvent(event)


class DateTimeDelegate(QStyledItemDelegate):
    """Edits Start/End/Due in the course time zone, keeping the time of day."""

    def __init__(self, model: ScheduleTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        field = COLUMN_FIELDS[index.column()]
        editor = DateTimeEditor(clearable=field == "due", parent=parent)
        editor.setFrame(False)
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, DateTimeEditor)
        value = index.data(ValueRole)
        tz = self._model.time_zone()
        if value is None:
            # A new due date starts at the item's end (else a week from now).
            end = index.sibling(index.row(), Column.END).data(ValueRole)
            start_from = end or datetime.now(UTC).replace(microsecond=0) + timedelta(days=7)
            editor.set_value(start_from.astimezone(tz), seconds=False)
        else:
            local = value.astimezone(tz)
            editor.set_value(local, seconds=bool(local.second))
        editor.selectAll()

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        assert isinstance(editor, DateTimeEditor)
        editor.interpretText()
        if editor.is_cleared():
            value = None
        else:
            value = from_wall_clock(editor.dateTime(), self._model.time_zone())
        if value != index.data(ValueRole):
            model.setData(index, value, Qt.ItemDataRole.EditRole)

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        size = super().sizeHint(option, index)
        widest = option.fontMetrics.horizontalAdvance("Wed 2011-09-28 23:59:59") + 36
        return QSize(max(size.width(), widest), size.height())


class FlagDelegate(QStyledItemDelegate):
    """A centred checkbox; a click on it or Space toggles the flag (one undo step)."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        style = opt.widget.style() if opt.widget else QApplication.style()
        checked = opt.checkState == Qt.CheckState.Checked
        opt.features &= ~QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator
        opt.text = ""
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        box = QStyleOptionViewItem(opt)
        box.rect = self._check_rect(option)
        box.state = (box.state & ~QStyle.StateFlag.State_HasFocus) | (
            QStyle.StateFlag.State_On if checked else QStyle.StateFlag.State_Off
        )
        style.drawPrimitive(
            QStyle.PrimitiveElement.PE_IndicatorItemViewItemCheck, box, painter, opt.widget
        )

    @staticmethod
    def _check_rect(option: QStyleOptionViewItem) -> QRect:
        style = option.widget.style() if option.widget else QApplication.style()
        side = style.pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth, option, option.widget)
        rect = QRect(0, 0, side, side)
        rect.moveCenter(option.rect.center())
        return rect

    def editorEvent(
        self,
        event: QEvent,
        model: QAbstractItemModel,
        option: QStyleOptionViewItem,
        index: Index,
    ) -> bool:
        if not index.flags() & Qt.ItemFlag.ItemIsUserCheckable:
            return False
        if isinstance(event, QMouseEvent):
            target = self._check_rect(option).adjusted(-4, -4, 4, 4)
            if event.button() != Qt.MouseButton.LeftButton or not target.contains(
                event.position().toPoint()
            ):
                return False
            if event.type() == QEvent.Type.MouseButtonRelease:
                return self._toggle(model, index)
            # Swallow press and double-click on the box so they do not toggle twice.
            return event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick)
        if (
            isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Space, Qt.Key.Key_Select)
        ):
            return self._toggle(model, index)
        return False

    @staticmethod
    def _toggle(model: QAbstractItemModel, index: Index) -> bool:
        checked = index.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
        new = Qt.CheckState.Unchecked if checked else Qt.CheckState.Checked
        return model.setData(index, new, Qt.ItemDataRole.CheckStateRole)


class TitleDelegate(QStyledItemDelegate):
    """The title, indented by the item's depth in the unit tree."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        depth = index.data(DepthRole) or 0
        if not depth:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        style = opt.widget.style() if opt.widget else QApplication.style()
        # Background and selection span the whole cell; only the content moves right.
        style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, opt, painter, opt.widget)
        opt.rect = opt.rect.adjusted(depth * INDENT, 0, 0, 0)
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width() + (index.data(DepthRole) or 0) * INDENT, size.height())
