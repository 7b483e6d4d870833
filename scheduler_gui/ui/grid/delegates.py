"""Delegates of the grid: indented titles, date-time editing in the course zone, checkboxes.

Dates live in the model as aware UTC datetimes. A date cell is edited in a
:class:`~..widgets.date_field.DateField`: the text typed is read by the one date parser
in core (the forms the README lists; a date alone keeps the item's time of day), in the
course time zone (a ``ZoneInfo``, not Qt's zone database, so the grid, Excel and
shifting agree). Text that is not a date is shown as a problem right under the cell;
Enter does not close the editor then, and the cell keeps its value.
"""

from __future__ import annotations

from datetime import time
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QKeyEvent, QMouseEvent, QPainter
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from scheduler_gui.core.date_text import DEFAULT_TIMES, DateTextError

from ..widgets.date_field import DateField, ProblemLabel
from ..widgets.theme import is_dark
from .columns import COLUMN_FIELDS, Column, DepthRole, FindingsRole, IsEditedRole, ValueRole
from .model import ScheduleTableModel

INDENT = 18  # pixels per level of the unit tree
#: A changed cell that also has a warning or error shows the problem's colour, and this
#: edge on its left says it is changed too (the blue tint alone would be hidden).
EDITED_EDGE_WIDTH = 4
EDITED_EDGE = QColor("#1a5fd0")
EDITED_EDGE_DARK = QColor("#8ab4f8")

Index = QModelIndex | QPersistentModelIndex


class CellDateEditor(DateField):
    """The date field of one grid cell, with its problem shown under the cell."""

    def __init__(self, field: str, zone: Any, parent: QWidget) -> None:
        super().__init__(
            zone,
            clearable=field == "due",
            default_time=DEFAULT_TIMES.get(field, time(0, 0)),
            parent=parent,
        )
        self.setFrame(False)
        # A sibling in the viewport, not a child: a child could not draw outside the cell.
        self.bubble = ProblemLabel(parent)
        self.problem_changed.connect(self._show_problem)
        self.destroyed.connect(self.bubble.deleteLater)

    def _show_problem(self, text: str) -> None:
        self.bubble.show_problem(text)
        if not text:
            return
        area = self.parentWidget()
        width = max(self.width(), 320)
        if area is not None:
            width = min(width, area.width())
        self.bubble.setFixedWidth(width)
        self.bubble.adjustSize()
        below = self.geometry().bottom() + 2
        if area is not None and below + self.bubble.height() > area.height():
            below = self.geometry().top() - self.bubble.height() - 2  # no room: above
        left = self.x()
        if area is not None:
            left = max(0, min(left, area.width() - width))
        self.bubble.move(left, below)
        self.bubble.raise_()


class DateTimeDelegate(QStyledItemDelegate):
    """Edits Start/End/Due in the course time zone, keeping the time of day."""

    def __init__(self, model: ScheduleTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        editor = CellDateEditor(COLUMN_FIELDS[index.column()], self._model.time_zone(), parent)
        editor.setAccessibleName(f"{COLUMN_FIELDS[index.column()].title()} date and time")
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, CellDateEditor)
        editor.zone = self._model.time_zone()
        value = index.data(ValueRole)
        if value is None and index.column() == Column.DUE:
            # A new due date starts at the item's end, shown (never a hidden "now").
            end = index.sibling(index.row(), Column.END).data(ValueRole)
            editor.set_value(end)
        else:
            editor.set_value(value)
        editor.selectAll()

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        assert isinstance(editor, CellDateEditor)
        try:
            value = editor.value()
        except DateTextError:
            return  # not a date: the cell keeps its value (Enter showed why)
        if value != index.data(ValueRole):
            model.setData(index, value, Qt.ItemDataRole.EditRole)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Enter on text that is not a date shows why and keeps the editor open.
        if (
            isinstance(watched, CellDateEditor)
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab)
            and not watched.check()
        ):
            return True
        return super().eventFilter(watched, event)

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        size = super().sizeHint(option, index)
        widest = option.fontMetrics.horizontalAdvance("Wed 2011-09-28 23:59:59") + 36
        return QSize(max(size.width(), widest), size.height())

    def initStyleOption(self, option: QStyleOptionViewItem, index: Index) -> None:
        """A narrow column (a small window) drops the weekday before eliding the date."""
        super().initStyleOption(option, index)
        text = option.text
        if len(text) > 4 and text[3] == " " and text[:3].isalpha():
            # Room for the inherited mark whether this cell has it or not: one column,
            # one form of date.
            icon_room = option.decorationSize.width() + 8
            needed = option.fontMetrics.horizontalAdvance(text) + icon_room + 12
            if needed > option.rect.width():
                option.text = text[4:]

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        super().paint(painter, option, index)
        if index.data(IsEditedRole) and index.data(FindingsRole):
            paint_edited_edge(painter, option)


def edited_edge_colour(option: QStyleOptionViewItem) -> QColor:
    """The "changed" edge for the view's palette (light or dark)."""
    return EDITED_EDGE_DARK if is_dark(option.palette) else EDITED_EDGE


def paint_edited_edge(painter: QPainter, option: QStyleOptionViewItem) -> None:
    """A bar down the cell's left side: changed, not saved (under a warning's colour)."""
    rect = QRect(option.rect)
    rect.setWidth(EDITED_EDGE_WIDTH)
    painter.fillRect(rect, edited_edge_colour(option))


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
