"""Someone else changed the course while you edited: show the three-way situation, let the
user choose Reload, Merge or Overwrite (the last after a second confirmation).

Rows are the (item, field) pairs that you or the server changed since the course was
loaded, with the value as loaded (base), yours and the server's. Rows where both sides
changed the same field differently are the overlaps that block a merge.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from scheduler_gui.core.diff import diff_schedules
from scheduler_gui.core.model import Schedule

from ..widgets.icons import icon
from .dialog import FIELD_LABELS

RELOAD, MERGE, OVERWRITE = "reload", "merge", "overwrite"


@dataclass(frozen=True)
class ThreeWayRow:
    item_id: int
    title: str
    field: str
    base: Any
    local: Any
    remote: Any

    @property
    def overlaps(self) -> bool:
        """Both sides changed this field, to different values."""
        return bool(
            self.local != self.base and self.remote != self.base and self.local != self.remote
        )


def three_way_rows(base: Schedule, local: Schedule, remote: Schedule) -> list[ThreeWayRow]:
    """Every field changed by you or by the server since ``base``, in course order."""
    touched: dict[tuple[int, str], str] = {}
    for diff in (diff_schedules(base, local), diff_schedules(base, remote)):
        for change in diff.changes:
            touched.setdefault((change.item_id, change.field), change.title)
    order = remote.positions
    rows = []
    for (item_id, field), title in sorted(touched.items(), key=lambda kv: order.get(kv[0][0], 0)):
        values = [_value(schedule, item_id, field) for schedule in (base, local, remote)]
        rows.append(ThreeWayRow(item_id, title, field, *values))
    return rows


def _value(schedule: Schedule, item_id: int, field: str) -> Any:
    item = schedule.get(item_id)
    return None if item is None else getattr(item, field)


def _describe(row: ThreeWayRow, value: Any, tz: tzinfo) -> str:
    from scheduler_gui.core.diff import describe_value

    if row.field == "is_inherited":
        return "inherited" if value else "own dates"
    return describe_value(value, tz)


class ConflictDialog(QDialog):
    """Emits :attr:`decided` with ``"reload"``, ``"merge"`` or ``"overwrite"``."""

    decided = Signal(str)

    def __init__(
        self,
        base: Schedule,
        local: Schedule,
        remote: Schedule,
        tz: tzinfo,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("The course changed on the server")
        self.setWindowIcon(icon("warning"))
        self.resize(960, 520)
        self.base, self.local, self.remote = base, local, remote
        self.rows = three_way_rows(base, local, remote)
        self.merge_result = _merge(base, local, remote)
        self.confirm_box: QMessageBox | None = None
        overlaps = sum(row.overlaps for row in self.rows)
        mergeable = self.merge_result is not None and not self.merge_result.conflicts

        text = (
            "<b>Someone else changed this course after you opened it.</b> Nothing was "
            "saved. The table shows each date or setting that you or they changed: as "
            "loaded, yours, and what the server has now."
        )
        if overlaps:
            text += (
                f"<br><b>{overlaps} field{'s were' if overlaps != 1 else ' was'} changed on "
                "both sides</b> (marked ⚠), so the changes cannot be merged automatically."
            )
        elif mergeable:
            text += "<br>Your changes and theirs do not overlap: <b>Merge</b> keeps both."
        self.explanation = QLabel(text)
        self.explanation.setWordWrap(True)

        self.table = QTableView()
        self.table.setModel(self._model(tz))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (2, 3, 4):
            self.table.setColumnWidth(column, 200)

        buttons = QDialogButtonBox()
        self.reload_button = buttons.addButton(
            "&Reload (discard my edits)", QDialogButtonBox.ButtonRole.DestructiveRole
        )
        self.reload_button.setIcon(icon("reload"))
        self.merge_button = buttons.addButton("&Merge", QDialogButtonBox.ButtonRole.AcceptRole)
        self.merge_button.setIcon(icon("copy"))
        self.merge_button.setEnabled(mergeable)
        self.merge_button.setToolTip(
            "Apply your changes on top of the server's current state"
            if mergeable
            else "Not possible: the same fields were changed on both sides"
        )
        self.overwrite_button = buttons.addButton(
            "&Overwrite theirs…", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.overwrite_button.setIcon(icon("warning"))
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.rejected.connect(self.reject)
        self.reload_button.clicked.connect(lambda: self._decide(RELOAD))
        self.merge_button.clicked.connect(lambda: self._decide(MERGE))
        self.overwrite_button.clicked.connect(self._confirm_overwrite)
        if mergeable:
            self.merge_button.setDefault(True)

        layout = QVBoxLayout(self)
        layout.addWidget(self.explanation)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)

    def _model(self, tz: tzinfo) -> QStandardItemModel:
        model = QStandardItemModel(0, 5, self)
        model.setHorizontalHeaderLabels(["Item", "Field", "As loaded", "Yours", "Server now"])
        bold = QFont()
        bold.setBold(True)
        for row in self.rows:
            cells = [
                QStandardItem(row.title or f"Item {row.item_id}"),
                QStandardItem(FIELD_LABELS.get(row.field, row.field)),
                *(QStandardItem(_describe(row, v, tz)) for v in (row.base, row.local, row.remote)),
            ]
            for cell, value in ((cells[3], row.local), (cells[4], row.remote)):
                if value != row.base:  # bold: the side(s) that changed this field
                    cell.setFont(bold)
            if row.overlaps:
                cells[0].setIcon(icon("warning"))
                cells[0].setToolTip("Changed on both sides: cannot be merged")
            model.appendRow(cells)
        return model

    def _decide(self, choice: str) -> None:
        self.decided.emit(choice)
        self.accept()

    def _confirm_overwrite(self) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Overwrite the server's changes?",
            "Saving now replaces the other person's changes with your version of the "
            "whole course. A backup of the server's current state is written first.",
            QMessageBox.StandardButton.Cancel,
            self,
        )
        overwrite = box.addButton("Overwrite", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.finished.connect(lambda _r: self._overwrite_answered(box.clickedButton() is overwrite))
        self.confirm_box = box
        box.open()

    def _overwrite_answered(self, confirmed: bool) -> None:
        self.confirm_box = None
        if confirmed:
            self._decide(OVERWRITE)


def _merge(base: Schedule, local: Schedule, remote: Schedule) -> Any:
    from scheduler_gui.core.merge import three_way_merge

    return three_way_merge(base, local, remote)
