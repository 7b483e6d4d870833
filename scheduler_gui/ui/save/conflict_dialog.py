"""Someone else changed the course while you edited: show the three-way situation, let the
user choose Reload, Merge or Overwrite (the last after a second confirmation).

Rows are the (item, field) pairs that you or the server changed since the course was
loaded, with the value as loaded (base), yours and the server's. Merge keeps every change
that does not clash, from both sides (``core.merge``); a field both sides changed
differently (⚠) gets a "Keep" choice, mine or theirs, and Merge waits until each has one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from scheduler_gui.core.diff import describe_value, diff_schedules
from scheduler_gui.core.merge import (
    INHERITED,
    MergeConflict,
    MergeResult,
    Side,
    resolve,
    three_way_merge,
)
from scheduler_gui.core.model import Schedule

from ..widgets.icons import icon
from .dialog import FIELD_LABELS

RELOAD, MERGE, OVERWRITE = "reload", "merge", "overwrite"
KEEP_COLUMN = 5
_CHOICES: tuple[tuple[str, Side | None], ...] = (
    ("Choose…", None),
    ("Keep mine", "mine"),
    ("Keep theirs", "theirs"),
)


@dataclass(frozen=True)
class ThreeWayRow:
    item_id: int
    title: str
    field: str
    base: Any
    local: Any
    remote: Any
    #: Both sides changed this field differently: the user picks mine or theirs.
    clash: bool = False

    @property
    def overlaps(self) -> bool:
        """Both sides changed this field, to different values."""
        return self.clash or bool(
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


def merge_rows(
    base: Schedule, local: Schedule, remote: Schedule, result: MergeResult
) -> list[ThreeWayRow]:
    """The table: changes that merge cleanly, and one row per clash (as the merge sees it:
    an inherited date clashes as "inherited", not as the parent's date shown)."""
    clashes = {(c.item_id, c.field): c for c in result.conflicts if c.field is not None}
    clash_items = {item_id for item_id, _field in clashes}
    rows = [
        row
        for row in three_way_rows(base, local, remote)
        if (row.item_id, row.field) not in clashes
        and not (row.overlaps and row.item_id in clash_items)  # shown by its clash rows
    ]
    for conflict in clashes.values():
        rows.append(_clash_row(conflict))
    order = remote.positions
    fields = ("start", "end", "due", "can_access_before_start", "can_access_after_end")
    rows.sort(
        key=lambda r: (
            order.get(r.item_id, 0),
            fields.index(r.field) if r.field in fields else -1,
        )
    )
    return rows


def _clash_row(conflict: MergeConflict) -> ThreeWayRow:
    assert conflict.field is not None
    return ThreeWayRow(
        conflict.item_id,
        conflict.title,
        conflict.field,
        conflict.base,
        conflict.local,
        conflict.remote,
        clash=True,
    )


def _value(schedule: Schedule, item_id: int, field: str) -> Any:
    item = schedule.get(item_id)
    return None if item is None else getattr(item, field)


def _describe(row: ThreeWayRow, value: Any, tz: tzinfo) -> str:
    if row.field == "is_inherited":
        return "inherited" if value else "own dates"
    if value is INHERITED:
        return "inherited from its unit"
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
        self.resize(1100, 540)
        self.base, self.local, self.remote = base, local, remote
        self.merge_result = three_way_merge(base, local, remote)
        self.rows = merge_rows(base, local, remote, self.merge_result)
        self.gone = [c for c in self.merge_result.conflicts if c.field is None]
        self.confirm_box: QMessageBox | None = None
        self.keep_boxes: dict[tuple[int, str], QComboBox] = {}
        clashes = sum(row.clash for row in self.rows)

        text = (
            "<b>Someone else changed this course after you opened it.</b> Nothing was "
            "saved. The table shows each date or setting that you or they changed: as "
            "loaded, yours, and what the server has now."
        )
        if clashes:
            text += (
                f"<br><b>{clashes} field{'s were' if clashes != 1 else ' was'} changed on "
                "both sides</b> (marked ⚠): choose <i>Keep mine</i> or <i>Keep theirs</i> "
                "for each, then <b>Merge</b>. Every other change, yours and theirs, is kept."
            )
        else:
            text += "<br>Your changes and theirs do not overlap: <b>Merge</b> keeps both."
        if self.gone:
            names = ", ".join(f'"{c.title}"' for c in self.gone[:3])
            more = f" and {len(self.gone) - 3} more" if len(self.gone) > 3 else ""
            text += (
                f"<br>The server no longer has {names}{more}: your changes to "
                f"{'them' if len(self.gone) > 1 else 'it'} cannot be kept."
            )
        self.explanation = QLabel(text)
        self.explanation.setWordWrap(True)

        self.table = QTableView()
        self.table.setAccessibleName("Changes on both sides")
        self.table.setModel(self._model(tz))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        widest = self.table.fontMetrics().horizontalAdvance("Wed 2011-09-28 23:59 MDT")
        for column in (2, 3, 4):
            self.table.setColumnWidth(column, widest * 12 // 10 + 16)  # room for bold text
        self.table.setColumnWidth(KEEP_COLUMN, 130)
        self._add_keep_boxes()

        self.all_mine = QPushButton("Keep &mine for all ⚠")
        self.all_theirs = QPushButton("Keep &theirs for all ⚠")
        self.all_mine.clicked.connect(lambda: self._choose_all("mine"))
        self.all_theirs.clicked.connect(lambda: self._choose_all("theirs"))
        bulk = QHBoxLayout()
        bulk.addStretch(1)
        bulk.addWidget(self.all_mine)
        bulk.addWidget(self.all_theirs)
        for button in (self.all_mine, self.all_theirs):
            button.setVisible(clashes > 1)

        buttons = QDialogButtonBox()
        self.reload_button = buttons.addButton(
            "&Reload (discard my edits)", QDialogButtonBox.ButtonRole.DestructiveRole
        )
        self.reload_button.setIcon(icon("reload"))
        self.merge_button = buttons.addButton("M&erge", QDialogButtonBox.ButtonRole.AcceptRole)
        self.merge_button.setIcon(icon("copy"))
        self.overwrite_button = buttons.addButton(
            "&Overwrite theirs…", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.overwrite_button.setIcon(icon("warning"))
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.rejected.connect(self.reject)
        self.reload_button.clicked.connect(lambda: self._decide(RELOAD))
        self.merge_button.clicked.connect(lambda: self._decide(MERGE))
        self.overwrite_button.clicked.connect(self._confirm_overwrite)
        self._update_merge()

        if self.keep_boxes:  # the first question is where the keyboard starts
            next(iter(self.keep_boxes.values())).setFocus()

        layout = QVBoxLayout(self)
        layout.addWidget(self.explanation)
        layout.addWidget(self.table, 1)
        layout.addLayout(bulk)
        layout.addWidget(buttons)

    def _model(self, tz: tzinfo) -> QStandardItemModel:
        model = QStandardItemModel(0, 6, self)
        model.setHorizontalHeaderLabels(
            ["Item", "Field", "As loaded", "Yours", "Server now", "Keep"]
        )
        bold = QFont()
        bold.setBold(True)
        for row in self.rows:
            cells = [
                QStandardItem(row.title or f"Item {row.item_id}"),
                QStandardItem(FIELD_LABELS.get(row.field, row.field)),
                *(QStandardItem(_describe(row, v, tz)) for v in (row.base, row.local, row.remote)),
                QStandardItem("" if row.clash else self._kept_side(row)),
            ]
            for cell, value in ((cells[3], row.local), (cells[4], row.remote)):
                if value != row.base:  # bold: the side(s) that changed this field
                    cell.setFont(bold)
            if row.clash:
                cells[0].setIcon(icon("warning"))
                cells[0].setToolTip("Changed on both sides: choose which to keep")
            model.appendRow(cells)
        return model

    @staticmethod
    def _kept_side(row: ThreeWayRow) -> str:
        if row.local == row.remote:
            return "same on both"
        return "yours" if row.local != row.base else "theirs"

    def _add_keep_boxes(self) -> None:
        for index, row in enumerate(self.rows):
            if not row.clash:
                continue
            box = QComboBox()
            box.setAccessibleName(f"Keep for {row.title or row.item_id}, {row.field}")
            for text, side in _CHOICES:
                box.addItem(text, side)
            box.currentIndexChanged.connect(lambda _i: self._update_merge())
            self.table.setIndexWidget(self.table.model().index(index, KEEP_COLUMN), box)
            self.keep_boxes[(row.item_id, row.field)] = box

    def choices(self) -> dict[tuple[int, str], Side]:
        """The side chosen for each clashing field answered so far."""
        return {key: box.currentData() for key, box in self.keep_boxes.items() if box.currentData()}

    def choose(self, item_id: int, field: str, side: Side) -> None:
        box = self.keep_boxes[(item_id, field)]
        box.setCurrentIndex(box.findData(side))

    def _choose_all(self, side: Side) -> None:
        for item_id, field in self.keep_boxes:
            self.choose(item_id, field, side)

    def unanswered(self) -> int:
        return len(self.keep_boxes) - len(self.choices())

    def _update_merge(self) -> None:
        left = self.unanswered()
        self.merge_button.setEnabled(left == 0)
        self.merge_button.setDefault(left == 0)
        self.merge_button.setToolTip(
            "Keep every change that does not clash, from both sides, and the side you chose "
            "for each ⚠ field; then preview and save on top of the server's state"
            if left == 0
            else f"Choose mine or theirs for {left} more ⚠ field{'s' if left != 1 else ''}"
        )

    def merged_schedule(self) -> Schedule:
        """What Merge saves: both sides' clean changes, each clash as chosen."""
        return resolve(self.merge_result, self.local, self.choices())

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
