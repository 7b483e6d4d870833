"""Which item lands on the new start of "So the term starts on": :class:`AnchorBox`."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget

from scheduler_gui.core.model import Schedule
from scheduler_gui.core.shift import ShiftError
from scheduler_gui.core.times import format_local

DEFAULT_ANCHOR = "First dated item in the units"
ITEM_ID_ROLE = Qt.ItemDataRole.UserRole + 1


class AnchorBox(QComboBox):
    """The default anchor (the earliest date inside the course's units), then every
    dated item by title and earliest date. Pick one from the list, or type part of a
    title (the list narrows as you type) or an item id.
    """

    def __init__(self, schedule: Schedule, tz: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._schedule = schedule
        self.setObjectName("ShiftAnchor")
        model = QStandardItemModel(self)
        default = QStandardItem(DEFAULT_ANCHOR)
        default.setToolTip(
            "The earliest date inside the course's units (pages at the top of the course, "
            "such as an old Course Home, do not count)"
        )
        rows = [default]
        for item in schedule.items:
            dates = [value for value in (item.start, item.end, item.due) if value is not None]
            if not dates:
                continue
            row = QStandardItem(f"{item.title or 'Untitled'} · {format_local(min(dates), tz)}")
            row.setData(item.item_id, ITEM_ID_ROLE)
            row.setToolTip(f"Item {item.item_id}")
            rows.append(row)
        model.invisibleRootItem().appendRows(rows)  # one insert: fast for 10,000 items
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setModel(model)
        self.setMaxVisibleItems(20)
        self.setMinimumContentsLength(28)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setToolTip(
            "The item whose earliest date lands on the new start: pick it from the list or "
            "type part of its title"
        )
        completer = QCompleter(model, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)
        self.setAccessibleName("Anchor item")

    def anchor_id(self) -> int | None:
        """The item chosen or typed (None: the default).

        Raises:
            ShiftError: the text names no item, or several.
        """
        text = self.currentText().strip()
        if not text or text == DEFAULT_ANCHOR:
            return None
        index = self.findText(text, Qt.MatchFlag.MatchFixedString)
        if index > 0:
            return int(self.itemData(index, ITEM_ID_ROLE))
        if text.isdigit():
            return int(text)
        needle = text.casefold()
        items = self._schedule.items
        titled = [item for item in items if item.title.casefold() == needle]
        if not titled:
            titled = [item for item in items if needle in item.title.casefold()]
        if len(titled) == 1:
            return titled[0].item_id
        if not titled:
            raise ShiftError(f"no item is titled {text!r}: pick the anchor item from the list")
        shown = ", ".join(item.title for item in titled[:3])
        raise ShiftError(
            f"{len(titled)} items match {text!r} ({shown}…): pick the anchor item from the list"
        )

    def select(self, item_id: int | None) -> None:
        """Choose the item ``item_id`` (None, or an id not listed: the default)."""
        index = 0 if item_id is None else self.findData(item_id, ITEM_ID_ROLE)
        self.setCurrentIndex(max(index, 0))
