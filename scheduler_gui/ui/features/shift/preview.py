"""The Shift dates preview table: every date that moves, then the items that stay.

Holiday moves get a yellow background, daylight-saving notes brown text. Items that
inherit their dates from the course itself (no unit above them has its own) cannot move
with any shift; they are listed after the moves in grey, saying so, so nobody expects
them in the new term.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from scheduler_gui.core.model import ItemSchedule
from scheduler_gui.core.shift import DateMove, NoteKind
from scheduler_gui.core.times import format_local

from ...widgets.table_model import ListTableModel
from ...widgets.theme import cell_colours

HOLIDAY_BG = QColor("#fff3c4")
DST_FG = QColor("#8a4b00")
DARK_FG = QColor("#1f2328")
_DST_KINDS = (NoteKind.DST_GAP, NoteKind.DST_AMBIGUOUS)
FIELD_NAMES = {"start": "Start", "end": "End", "due": "Due"}
STAYING_NEW = "does not move"
STAYING_NOTE = (
    "inherits from the course itself, not from a unit: no shift moves it "
    "(give it its own dates to move it)"
)


class ShiftPreviewModel(ListTableModel):
    """Rows = date moves, then the items inheriting from the course (which stay)."""

    HEADERS = ("Item", "Date", "Old", "New", "Notes")

    def __init__(self, tz: ZoneInfo, parent: Any = None) -> None:
        super().__init__(parent)
        self._tz = tz
        self._moves: list[DateMove] = []
        self._staying: list[ItemSchedule] = []

    def set_moves(self, moves: Iterable[DateMove], staying: Iterable[ItemSchedule] = ()) -> None:
        self.beginResetModel()
        self._moves = list(moves)
        self._staying = list(staying)
        self.endResetModel()

    def entry_count(self) -> int:
        return len(self._moves) + len(self._staying)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if row >= len(self._moves):
            return self._staying_data(self._staying[row - len(self._moves)], column, role)
        move = self._moves[row]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(move, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join(note.text for note in move.notes) or None
        if role == Qt.ItemDataRole.BackgroundRole and move.has(NoteKind.HOLIDAY):
            return QBrush(HOLIDAY_BG)
        if role == Qt.ItemDataRole.ForegroundRole:
            if any(move.has(kind) for kind in _DST_KINDS):
                on_yellow = move.has(NoteKind.HOLIDAY)
                return QBrush(DST_FG if on_yellow else cell_colours().warning_fg)
            if move.has(NoteKind.HOLIDAY):
                return QBrush(DARK_FG)  # readable on the yellow in dark themes too
        return None

    def _text(self, move: DateMove, column: int) -> str:
        if column == 0:
            return f"{move.title or 'Untitled'} ({move.item_id})"
        if column == 1:
            return FIELD_NAMES.get(move.field, move.field)
        if column == 2:
            return format_local(move.old, self._tz)
        if column == 3:
            return format_local(move.new, self._tz)
        return "; ".join(note.text for note in move.notes)

    def _staying_data(self, item: ItemSchedule, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(cell_colours().inherited_fg)
        if role == Qt.ItemDataRole.ToolTipRole:
            return STAYING_NOTE[:1].upper() + STAYING_NOTE[1:] + "."
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == 0:
            return f"{item.title or 'Untitled'} ({item.item_id})"
        if column == 1:
            return "Start/End"
        if column == 2:
            return "no date" if item.start is None else format_local(item.start, self._tz)
        if column == 3:
            return STAYING_NEW
        return STAYING_NOTE
