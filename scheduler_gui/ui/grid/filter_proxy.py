"""Filtering (text, kind, changed/invalid/inherited) and sorting of the grid.

Filters read the source model's Python state directly (no ``data()`` round trips), so
10,000 rows filter in milliseconds. Sorting is handed to the source model, which sorts
by its ``SortRole`` values with one Python ``sorted`` (see ``ScheduleTableModel.sort``).

Rows are filtered again when their data changes only while a filter is on: with none,
every row is shown anyway, and re-asking ``filterAcceptsRow`` (a Python call per row)
after each change of all 10,000 rows (time zone, findings, a save) held the window for
tens of milliseconds. A filter that does not change filters nothing again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from .columns import SortRole
from .model import ScheduleTableModel


class ScheduleFilterProxy(QSortFilterProxyModel):
    """Rows of a :class:`ScheduleTableModel` that match every active filter."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SortRole)
        self.setDynamicSortFilter(False)  # on while a filter is (see _change)
        self._schedule: ScheduleTableModel | None = None
        self._text = ""
        self._kind: str | None = None
        self._changed_only = False
        self._invalid_only = False
        self._inherited_only = False

    def setSourceModel(self, model: QAbstractItemModel) -> None:
        if not isinstance(model, ScheduleTableModel):
            raise TypeError("ScheduleFilterProxy filters a ScheduleTableModel")
        self._schedule = model
        super().setSourceModel(model)

    # ------------------------------------------------------------------ filters

    def _state(self) -> tuple[str, str | None, bool, bool, bool]:
        return (self._text, self._kind, self._changed_only, self._invalid_only,
                self._inherited_only)  # fmt: skip

    def _set_state(self, state: tuple[str, str | None, bool, bool, bool]) -> None:
        (self._text, self._kind, self._changed_only, self._invalid_only,
         self._inherited_only) = state  # fmt: skip

    def _change(self, apply: Callable[[], None]) -> None:
        before = self._state()
        apply()
        after = self._state()
        if after == before:
            return  # the same filter: nothing to filter again
        self._set_state(before)
        self.beginFilterChange()
        self._set_state(after)
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        self.setDynamicSortFilter(self.filtering())

    def filtering(self) -> bool:
        """True if some filter is on (rows may be hidden)."""
        return self._state() != ("", None, False, False, False)

    def set_text(self, text: str) -> None:
        """Show rows whose title or id contains ``text`` (case-insensitive)."""
        self._change(lambda: setattr(self, "_text", text.strip().casefold()))

    def set_kind(self, kind: str | None) -> None:
        """Show only items of ``kind`` ("Unit", "Assignment", ...); None = all kinds."""
        self._change(lambda: setattr(self, "_kind", kind or None))

    def set_changed_only(self, on: bool) -> None:
        self._change(lambda: setattr(self, "_changed_only", on))

    def set_invalid_only(self, on: bool) -> None:
        """Show only rows with findings (errors or warnings)."""
        self._change(lambda: setattr(self, "_invalid_only", on))

    def set_inherited_only(self, on: bool) -> None:
        self._change(lambda: setattr(self, "_inherited_only", on))

    def clear_filters(self) -> None:
        def clear() -> None:
            self._text, self._kind = "", None
            self._changed_only = self._invalid_only = self._inherited_only = False

        self._change(clear)

    def filterAcceptsRow(
        self,
        source_row: int,
        source_parent: QModelIndex | QPersistentModelIndex,
    ) -> bool:
        model = self._schedule
        if model is None:
            return True
        if self._changed_only and not model.is_row_edited(source_row):
            return False
        if self._invalid_only and not model.row_has_findings(source_row):
            return False
        item = model.item_at(source_row)
        if self._inherited_only and not item.is_inherited:
            return False
        if self._kind is not None and model.kind_at(source_row) != self._kind:
            return False
        text = self._text
        return not text or text in item.title.casefold() or text in str(item.item_id)

    # ------------------------------------------------------------------ sorting

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by ``column`` (-1 = the course's own order) in the source model."""
        if self._schedule is not None:
            self._schedule.sort(column, order)
