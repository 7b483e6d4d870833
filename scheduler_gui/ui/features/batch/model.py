"""The Batch window's table: one row per course, its preview counts and how it went."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from scheduler_gui.session.batch import (
    ALREADY_DONE,
    DONE,
    FAILED_STATUS,
    NOT_STARTED,
    PROBLEM,
    READY,
    STOPPED_STATUS,
    UNCHANGED,
    CourseResult,
    Prepared,
)

from ...widgets.table_model import ListTableModel
from ...widgets.theme import cell_colours

WRITING = "writing…"
STATUS_TEXT = {
    READY: "ready",
    UNCHANGED: "nothing to change",
    ALREADY_DONE: "already done (earlier run)",
    PROBLEM: "problem",
    DONE: "verified",
    FAILED_STATUS: "failed",
    STOPPED_STATUS: "stopped: not written",
    NOT_STARTED: "not started",
    WRITING: WRITING,
}


@dataclass
class CourseRow:
    course: str
    course_id: str = ""
    items: int = 0
    dates: int = 0
    status: str = ""
    detail: str = ""

    @property
    def label(self) -> str:
        if self.course_id and self.course_id != self.course:
            return f"{self.course} ({self.course_id})"
        return self.course


class BatchTableModel(ListTableModel):
    """Course | Items | Dates | Status | Details."""

    HEADERS = ("Course", "Items", "Dates", "Status", "Details")

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[CourseRow] = []

    def entry_count(self) -> int:
        return len(self.rows)

    def set_courses(self, courses: list[str]) -> None:
        self.beginResetModel()
        self.rows = [CourseRow(course) for course in courses]
        self.endResetModel()

    def set_checked(self, checked: list[Prepared]) -> None:
        """The check's outcome: preview counts and status per course."""
        self.beginResetModel()
        self.rows = [
            CourseRow(
                p.course,
                p.course_id,
                p.changed_items,
                p.moves,
                p.status,
                "; ".join(p.problems) or p.summary,
            )
            for p in checked
        ]
        self.endResetModel()

    def mark(self, course: str, status: str, detail: str = "", items: int | None = None) -> None:
        for row_number, row in enumerate(self.rows):
            if row.course == course:
                row.status = status
                row.detail = detail or row.detail
                if items is not None:
                    row.items = items
                first, last = self.index(row_number, 0), self.index(row_number, 4)
                self.dataChanged.emit(first, last)
                return

    def finished(self, result: CourseResult) -> None:
        detail = result.error or (f"backup: {result.backup_path}" if result.backup_path else "")
        items = result.changed_items if result.status == DONE else None
        self.mark(result.course, result.status, detail, items)

    def count(self, *statuses: str) -> int:
        return sum(row.status in statuses for row in self.rows)

    def data(
        self,
        index: QModelIndex | QPersistentModelIndex,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                row.label,
                str(row.items) if row.status else "",
                str(row.dates) if row.status else "",
                STATUS_TEXT.get(row.status, row.status),
                row.detail,
            )[column]
        if role == Qt.ItemDataRole.ToolTipRole and column in (3, 4):
            return row.detail or None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (1, 2):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column == 3:
            colours = cell_colours()
            if row.status in (PROBLEM, FAILED_STATUS):
                return colours.error_fg
        return None
