"""The list of validation findings; double-click one to jump to its cell."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from scheduler_gui.core.model import Schedule
from scheduler_gui.core.validate import Finding, Severity, summarize

from ..grid.columns import field_label
from ..widgets.icons import icon
from ..widgets.table_model import ListTableModel
from ..widgets.theme import cell_colours


class FindingsModel(ListTableModel):
    """Findings as rows: errors first, then warnings, each in the order found."""

    HEADERS = ("Severity", "Item", "Field", "Message")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._findings: list[Finding] = []
        self._titles: dict[int, str] = {}

    def set_findings(self, findings: list[Finding], titles: dict[int, str]) -> None:
        self.beginResetModel()
        self._findings = sorted(findings, key=lambda f: f.severity is not Severity.ERROR)
        self._titles = titles
        self.endResetModel()

    def finding(self, row: int) -> Finding:
        return self._findings[row]

    def entry_count(self) -> int:
        return len(self._findings)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        finding = self._findings[index.row()]
        column = index.column()
        error = finding.severity is Severity.ERROR
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return "Error" if error else "Warning"
            if column == 1:
                return self._item_label(finding)
            if column == 2:
                return field_label(finding.field) if finding.field else ""
            return finding.message
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            colours = cell_colours()
            return icon("error", colours.error_fg) if error else icon("warning", colours.warning_fg)
        if role == Qt.ItemDataRole.ToolTipRole:
            return finding.message
        return None

    def _item_label(self, finding: Finding) -> str:
        if finding.item_id is None:
            return "Course"
        title = self._titles.get(finding.item_id)
        return f"{title} ({finding.item_id})" if title else str(finding.item_id)


class ValidationPanel(QWidget):
    """Counts and a list of findings; ``jump_requested(item_id, field)`` on a click or Enter.

    ``field`` is "" when the finding is about the whole item.
    """

    jump_requested = Signal(object, str)  # object: item ids exceed 32 bits

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel()
        # Top-aligned: with nothing listed the label is alone in the dock.
        self.summary.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.model = FindingsModel(self)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setWordWrap(False)
        self.view.setShowGrid(False)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.view.horizontalHeader()
        header.setStretchLastSection(True)
        header.resizeSection(0, 90)
        header.resizeSection(1, 220)
        header.resizeSection(2, 80)
        self.view.activated.connect(self._jump)  # Enter (or a double-click)
        self.view.clicked.connect(self._jump)  # one click, as in the Activity panel
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(self.view)
        self.set_findings([])

    def set_findings(self, findings: list[Finding], schedule: Schedule | None = None) -> None:
        """Show ``findings``; ``schedule`` (optional) names the items by title."""
        titles: dict[int, str] = {}
        if schedule is not None:
            wanted = {f.item_id for f in findings}
            titles = {item.item_id: item.title for item in schedule.items if item.item_id in wanted}
        self.model.set_findings(list(findings), titles)
        errors = sum(1 for f in findings if f.severity is Severity.ERROR)
        # An empty table under "No problems found." is clutter: show the table only when
        # there is something to list.
        self.view.setVisible(bool(findings))
        if not findings:
            self.summary.setText("No problems found.")
        elif errors:
            self.summary.setText(f"{summarize(findings).capitalize()}. Fix the errors to save.")
        else:
            self.summary.setText(f"{summarize(findings).capitalize()}. Saving is possible.")

    def counts(self) -> tuple[int, int]:
        """(errors, warnings) shown."""
        errors = sum(
            1
            for row in range(self.model.rowCount())
            if self.model.finding(row).severity is Severity.ERROR
        )
        return errors, self.model.rowCount() - errors

    def _jump(self, index: QModelIndex) -> None:
        finding = self.model.finding(index.row())
        if finding.item_id is not None:
            self.jump_requested.emit(finding.item_id, finding.field or "")
