"""The course picker: the user's courses (``GET /me/courses``), filterable, or a typed id.

A typed entry may be a numeric course id or ``ccn=CALLNUMBER``; anything else is
refused inline with an example of what works.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from scheduler_gui.api.errors import LearningStudioError

from ..widgets.icons import icon
from ..widgets.workers import start_job

#: Read code and title for at most this many courses (one request each).
MAX_DETAILS = 100
#: What a column sorts by: codes and titles without regard to case, ids as numbers.
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
_TYPED_COURSE = re.compile(r"^\s*(?:\d+|ccn=\S+)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class CourseRow:
    course_id: str
    code: str
    title: str


def course_rows(courses: Any) -> list[CourseRow]:
    """Rows for the table from whatever ``my_courses()`` returned (dicts or objects)."""
    rows = []
    for course in courses or []:
        get = course.get if isinstance(course, dict) else lambda k, c=course: getattr(c, k, "")
        course_id = str(get("id") or get("course_id") or get("courseId") or "").strip()
        if not course_id:
            continue
        code = str(get("displayCourseCode") or get("code") or "")
        rows.append(CourseRow(course_id, code, str(get("title") or "")))
    return rows


def list_courses(client: Any, limit: int = MAX_DETAILS) -> list[CourseRow]:
    """The user's courses with code and title (runs in a worker).

    ``/me/courses`` answers with ids and links; each course's own route has its code and
    title, so the first ``limit`` courses are read one by one (a failure leaves the id).
    """
    rows = course_rows(client.my_courses())
    detailed = []
    for number, row in enumerate(rows):
        if number < limit and not (row.code or row.title):
            try:
                course = client.get_course(row.course_id)
            except LearningStudioError:
                course = None
            if isinstance(course, dict):
                row = course_rows([{**course, "id": row.course_id}])[0]
        detailed.append(row)
    return detailed


def typed_course(text: str) -> str | None:
    """A typed course reference normalised (``123`` or ``ccn=ABC``), or None if invalid."""
    if not _TYPED_COURSE.match(text):
        return None
    text = text.strip()
    return "ccn=" + text[4:] if text.lower().startswith("ccn=") else text


class CoursePicker(QDialog):
    """Choose a course; emits :attr:`course_chosen` with an id or ``ccn=…``."""

    course_chosen = Signal(str)

    def __init__(self, client: Any, parent: QWidget | None = None, initial: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("Open course")
        self.setWindowIcon(icon("open"))
        self.resize(620, 460)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter your courses by code or title…")
        self.filter.setClearButtonEnabled(True)
        self.filter.setAccessibleName("Filter courses")
        self.model = QStandardItemModel(0, 3, self)
        self.model.setHorizontalHeaderLabels(["Code", "Title", "Course id"])
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setSortRole(SORT_ROLE)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)

        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setAccessibleName("Your courses")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        # Qt starts with Z to A on the first column: start A to Z by code instead.
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _index: self.choose())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._row_selected())

        self.typed = QLineEdit(initial)
        self.typed.setAccessibleName("Course id")
        self.typed.setPlaceholderText("or type a course id (e.g. 123456) or ccn=CALLNUMBER")
        self.status = QLabel("Loading your courses…")
        self.status.setWordWrap(True)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.choose)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.typed)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.filter.setFocus()

        if client is not None:
            start_job(
                lambda _p, _c: list_courses(client),
                name="my courses",
                on_success=self.set_courses,
                on_failure=self._courses_failed,
            )

    def set_courses(self, rows: list[CourseRow]) -> None:
        self.model.setRowCount(0)
        for row in rows:
            cells = [
                QStandardItem(row.code),
                QStandardItem(row.title),
                QStandardItem(row.course_id),
            ]
            keys: list[object] = [row.code.casefold(), row.title.casefold()]
            keys.append(int(row.course_id) if row.course_id.isdigit() else row.course_id)
            for cell, key in zip(cells, keys, strict=True):
                cell.setData(row.course_id, Qt.ItemDataRole.UserRole)
                cell.setData(key, SORT_ROLE)
            self.model.appendRow(cells)
        self.table.resizeColumnToContents(0)
        self.status.setText(
            f"{len(rows)} course{'s' if len(rows) != 1 else ''}."
            if rows
            else "You have no courses listed; type a course id or call number."
        )

    def _courses_failed(self, error: BaseException) -> None:
        self.status.setText(f"Your courses could not be listed: {error}. Type a course id.")

    def _row_selected(self) -> None:
        indexes = self.table.selectionModel().selectedRows()
        if indexes:
            self.typed.setText(str(indexes[0].data(Qt.ItemDataRole.UserRole)))

    def choose(self) -> None:
        course = typed_course(self.typed.text())
        if course is None:
            self.status.setText(
                "Choose a course from the list, or type a numeric course id (e.g. 123456) "
                "or ccn= followed by the call number."
            )
            self.typed.setFocus()
            return
        self.course_chosen.emit(course)
        self.accept()
