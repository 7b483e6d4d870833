"""The grid's table model: a thin Qt adapter over a core :class:`Schedule`.

The model keeps two schedules: the *base* (as loaded or last saved) and the *current*
items (with the user's edits). Edits never happen in place: ``setData`` pushes a
``QUndoCommand`` (see ``undo.py``) and the command calls :meth:`replace_items`, so every
change can be undone. Rows may be sorted (see :meth:`sort`); ``current_schedule`` is
always in server order.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QFont, QIcon, QUndoStack

from scheduler_gui.core.inherit import descendants, follow_ancestors
from scheduler_gui.core.model import DATE_FIELDS, ItemSchedule, Schedule
from scheduler_gui.core.times import format_local
from scheduler_gui.core.validate import Finding, Severity

from ..widgets import icons
from ..widgets.theme import LIGHT, cell_colours
from .columns import (
    COLUMN_FIELDS,
    DATE_COLUMNS,
    FIELD_COLUMNS,
    FLAG_COLUMNS,
    HEADER_TIPS,
    HEADERS,
    KINDS,
    Column,
    DepthRole,
    FindingsRole,
    IsEditedRole,
    IsInheritedRole,
    ItemIdRole,
    KindRole,
    SortRole,
    ValueRole,
    format_cell,
    kind_of,
    shown_title,
    zone_label,
)
from .undo import SetCellCommand

# The light theme's error background; cells use theme.cell_colours() (dark themes differ).
ERROR_BG = LIGHT.error_bg
_KIND_ICONS = {"Discussion": "thread", "Link": "browser"}


def _editable_values(item: ItemSchedule) -> tuple[Any, ...]:
    """What a save would change (like ``schedule_key``, without formatting timestamps)."""
    return (item.is_inherited, item.start, item.end, item.due, item.can_access_before_start,
            item.can_access_after_end)  # fmt: skip


class _PlannedItems(Mapping[int, ItemSchedule]):
    """The model's items by id with ``planned`` replacements, without copying 10,000."""

    def __init__(
        self, planned: dict[int, ItemSchedule], items: list[ItemSchedule], index_of: dict[int, int]
    ) -> None:
        self._planned, self._items, self._index_of = planned, items, index_of

    def __getitem__(self, item_id: int) -> ItemSchedule:
        planned = self._planned.get(item_id)
        return planned if planned is not None else self._items[self._index_of[item_id]]

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._index_of

    def __iter__(self) -> Iterator[int]:
        return iter(self._index_of)

    def __len__(self) -> int:
        return len(self._index_of)


class ScheduleTableModel(QAbstractTableModel):
    """All item schedules of a course as table rows; edits go through ``undo_stack``."""

    #: Emitted with the ids of the items that changed (after an edit, undo or redo).
    items_changed = Signal(list)

    def __init__(self, undo_stack: QUndoStack, parent: Any = None) -> None:
        super().__init__(parent)
        self.undo_stack = undo_stack
        self._tz = ZoneInfo("UTC")
        self._base = Schedule("", [])
        self._items: list[ItemSchedule] = []
        self._order: list[int] = []  # display row -> index into _items (server order)
        self._row_of: list[int] = []  # index into _items -> display row
        self._index_of: dict[int, int] = {}  # item id -> index into _items
        self._children: dict[int, list[int]] = {}
        self._kinds: list[str] = []
        self._edited: set[int] = set()  # indices of items that differ from the base
        self._findings: dict[int, dict[int, list[Finding]]] = {}  # index -> column -> list
        self._current: Schedule | None = None
        self._styles: dict[str, Any] = {}

    # ------------------------------------------------------------------ loading

    def set_schedule(self, base: Schedule, current: Schedule | None = None) -> None:
        """Show ``base``; ``current`` (same items, e.g. a restored draft) carries edits."""
        self.beginResetModel()
        self._base = base
        self._index_of = dict(reversed([(it.item_id, i) for i, it in enumerate(base.items)]))
        self._items = list(base.items) if current is None else self._align(current)
        self._order = list(range(len(self._items)))
        self._row_of = list(self._order)
        self._children = {
            parent: ids for parent, ids in base.children.items() if parent in self._index_of
        }
        self._kinds = [kind_of(item, item.item_id in self._children) for item in base.items]
        self._edited = set() if current is None else set(filter(self._differs, self._order))
        self._findings = {}
        self._current = None
        self.endResetModel()

    def _align(self, current: Schedule) -> list[ItemSchedule]:
        """The current items in base order (a draft must hold the same items)."""
        if len(current.items) != len(self._base.items) or any(
            self._index_of.get(item.item_id) is None for item in current.items
        ):
            raise ValueError("the draft does not hold the same items as the course")
        items = list(self._base.items)
        for item in current.items:
            items[self._index_of[item.item_id]] = item
        return items

    def mark_saved(self, new_base: Schedule) -> None:
        """After a save: ``new_base`` becomes the base; the edit markers follow."""
        if [it.item_id for it in new_base.items] != [it.item_id for it in self._base.items]:
            self.set_schedule(new_base)
            return
        self._base = new_base
        self._edited = {i for i in range(len(self._items)) if self._differs(i)}
        self._emit_rows_changed(range(len(self._items)))

    def set_time_zone(self, tz: ZoneInfo) -> None:
        self._tz = tz
        if self._items:
            self.dataChanged.emit(
                self.index(0, Column.START), self.index(len(self._items) - 1, Column.DUE)
            )
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, Column.START, Column.DUE)

    def time_zone(self) -> ZoneInfo:
        return self._tz

    # ------------------------------------------------------------------ reading

    def base_schedule(self) -> Schedule:
        return self._base

    def current_schedule(self) -> Schedule:
        if self._current is None:
            self._current = Schedule(
                self._base.course_id, self._items, source_format=self._base.source_format
            )
        return self._current

    def item(self, item_id: int) -> ItemSchedule:
        return self._items[self._index_of[item_id]]

    def item_at(self, row: int) -> ItemSchedule:
        """The current item shown in display ``row``."""
        return self._items[self._order[row]]

    def row_of(self, item_id: int) -> int | None:
        index = self._index_of.get(item_id)
        return None if index is None else self._row_of[index]

    def kinds(self) -> list[str]:
        """The kinds present, in ``KINDS`` order (unknown server kinds last)."""
        present = set(self._kinds)
        return [k for k in KINDS if k in present] + sorted(present - set(KINDS))

    def kind_at(self, row: int) -> str:
        return self._kinds[self._order[row]]

    def is_row_edited(self, row: int) -> bool:
        return self._order[row] in self._edited

    def row_has_findings(self, row: int) -> bool:
        return self._order[row] in self._findings

    def edited_count(self) -> int:
        return len(self._edited)

    def with_descendants(self, item_ids: Iterable[int]) -> list[int]:
        """``item_ids`` and every item inside those units (each once, even in a cycle)."""
        return descendants(self._children, item_ids)

    # ------------------------------------------------------------------ findings

    def set_findings(self, findings: Iterable[Finding]) -> None:
        """Mark the cells that ``findings`` name (unknown fields mark the title)."""
        new: dict[int, dict[int, list[Finding]]] = {}
        for finding in findings:
            index = None if finding.item_id is None else self._index_of.get(finding.item_id)
            if index is None:
                continue
            column = FIELD_COLUMNS.get(finding.field or "", Column.TITLE)
            new.setdefault(index, {}).setdefault(column, []).append(finding)
        touched = self._findings.keys() | new.keys()
        self._findings = new
        self._emit_rows_changed(touched)

    # ------------------------------------------------------------------ editing

    def plan_items(self, changed: Iterable[ItemSchedule]) -> list[ItemSchedule]:
        """The full set of replacements ``changed`` implies, without no-ops.

        Items that inherit their dates follow their parent: when a unit's start or end
        changes (or an item is reset to inherited), the inherited dates below it are
        recomputed so that the grid and validation show what the server will do.
        """
        planned = {item.item_id: item for item in changed}
        unknown = [item_id for item_id in planned if item_id not in self._index_of]
        if unknown:
            raise KeyError(f"not in this course: {unknown[:5]}")

        # The changed items and everything below them follow the one rule (core.inherit).
        current = _PlannedItems(planned, self._items, self._index_of)
        scope = descendants(self._children, planned)
        for item_id, followed in follow_ancestors(current, only=scope).items():
            planned[item_id] = followed.item
        return [item for item in planned.values() if item != self.item(item.item_id)]

    def replace_items(self, items: Sequence[ItemSchedule]) -> None:
        """Put ``items`` in place (commands call this; use the undo stack instead)."""
        if not items:
            return
        indices = []
        for item in items:
            index = self._index_of[item.item_id]
            self._items[index] = item
            if self._differs(index):
                self._edited.add(index)
            else:
                self._edited.discard(index)
            indices.append(index)
        self._current = None
        self._emit_rows_changed(indices)
        self.items_changed.emit([item.item_id for item in items])

    def _differs(self, index: int) -> bool:
        return _editable_values(self._items[index]) != _editable_values(self._base.items[index])

    def _cell_edited(self, index: int, column: int) -> bool:
        if index not in self._edited or column == Column.TITLE:
            return False
        item, base = self._items[index], self._base.items[index]
        if column in (Column.START, Column.END) and item.is_inherited != base.is_inherited:
            return True
        if column in (Column.START, Column.END) and item.is_inherited:
            return False  # inherited dates follow the parent: the change is the parent's
        field = COLUMN_FIELDS[column]
        return bool(getattr(item, field) != getattr(base, field))

    def _emit_rows_changed(self, indices: Iterable[int]) -> None:
        rows = [self._row_of[i] for i in indices]
        if rows:
            last = len(COLUMN_FIELDS) - 1
            self.dataChanged.emit(self.index(min(rows), 0), self.index(max(rows), last))

    # ------------------------------------------------------------------ sorting

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort rows by ``column`` (by the SortRole value); column -1 = server order.

        Done here in one Python ``sorted`` rather than by comparisons in a proxy: a proxy
        asks for two values per comparison, which takes seconds on 10,000 rows.
        """
        old_order = self._order
        order_list = list(range(len(self._items)))
        if 0 <= column < len(COLUMN_FIELDS):
            keys = [self._sort_key(i, column) for i in order_list]
            present = [i for i in order_list if keys[i] is not None]
            present.sort(key=keys.__getitem__, reverse=order == Qt.SortOrder.DescendingOrder)
            order_list = present + [i for i in order_list if keys[i] is None]  # blanks last
        if order_list == old_order:
            return  # already in that order (a load restoring the header's sort, say)
        self.layoutAboutToBeChanged.emit()
        self._order = order_list
        self._row_of = [0] * len(order_list)
        for row, index in enumerate(order_list):
            self._row_of[index] = row
        old = self.persistentIndexList()
        new = [self.index(self._row_of[old_order[p.row()]], p.column()) for p in old]
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()

    def _sort_key(self, index: int, column: int) -> Any:
        item = self._items[index]
        if column == Column.TITLE:
            return item.title.casefold()
        return getattr(item, COLUMN_FIELDS[column])

    # ------------------------------------------------------------------ Qt model API

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMN_FIELDS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = HEADER_TIPS[section]
            return f"{tip}, in {zone_label(self._tz)}" if section in DATE_COLUMNS else tip
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() in DATE_COLUMNS:
            flags |= Qt.ItemFlag.ItemIsEditable
        elif index.column() in FLAG_COLUMNS:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        position = self._order[index.row()]
        item = self._items[position]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == Column.TITLE:
                return shown_title(item.title)
            if column in DATE_COLUMNS:
                return format_cell(getattr(item, COLUMN_FIELDS[column]), self._tz)
            return None
        if role in (Qt.ItemDataRole.EditRole, ValueRole):
            return getattr(item, COLUMN_FIELDS[column])
        if role == SortRole:
            return self._sort_key(position, column)
        if role == Qt.ItemDataRole.CheckStateRole:
            if column in FLAG_COLUMNS:
                checked = getattr(item, COLUMN_FIELDS[column])
                return Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
            return None
        if role == Qt.ItemDataRole.FontRole:
            return self._font(position, column, item)
        if role == Qt.ItemDataRole.ForegroundRole:
            if column in self._findings.get(position, {}) and self._has_error(position, column):
                return self._style("error_fg", lambda: QBrush(cell_colours().error_fg))
            if self._inherited(item, column):
                return self._style("inherited_fg", lambda: QBrush(cell_colours().inherited_fg))
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._background(position, column)
        if role == Qt.ItemDataRole.DecorationRole:
            return self._decoration(position, column, item)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(position, column, item)
        if role == ItemIdRole:
            return item.item_id
        if role == IsInheritedRole:
            return self._inherited(item, column)
        if role == IsEditedRole:
            return self._cell_edited(position, column)
        if role == FindingsRole:
            return list(self._findings.get(position, {}).get(column, []))
        if role == DepthRole:
            return self._base.depths.get(item.item_id, 0)
        if role == KindRole:
            return self._kinds[position]
        return None

    def setData(
        self,
        index: QModelIndex | QPersistentModelIndex,
        value: Any,
        role: int = Qt.ItemDataRole.EditRole,
    ) -> bool:
        """Push an undoable edit; returns False for a value the cell cannot take."""
        if not index.isValid():
            return False
        column = index.column()
        field = COLUMN_FIELDS[column]
        if column in FLAG_COLUMNS and role == Qt.ItemDataRole.CheckStateRole:
            value = Qt.CheckState(value) == Qt.CheckState.Checked
        elif column in FLAG_COLUMNS and role == Qt.ItemDataRole.EditRole:
            if not isinstance(value, bool):
                return False
        elif column in DATE_COLUMNS and role == Qt.ItemDataRole.EditRole:
            if not self.accepts(field, value):
                return False
        else:
            return False
        item = self.item_at(index.row())
        command = SetCellCommand(self, item.item_id, field, value)
        if command.is_noop():
            return True
        self.undo_stack.push(command)
        return True

    @staticmethod
    def accepts(field: str, value: Any) -> bool:
        """Whether ``value`` can go into ``field`` (only the due date may be cleared)."""
        if value is None:
            return field == "due"
        if field in DATE_FIELDS:
            return isinstance(value, datetime) and value.utcoffset() is not None
        return isinstance(value, bool)

    # ------------------------------------------------------------------ presentation

    def restyle(self) -> None:
        """Forget the cached brushes and fonts (the palette changed) and repaint every cell."""
        self._styles.clear()
        if self._order:
            last = self.index(len(self._order) - 1, self.columnCount() - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def _style(self, key: str, make: Any) -> Any:
        if key not in self._styles:
            self._styles[key] = make()
        return self._styles[key]

    @staticmethod
    def _inherited(item: ItemSchedule, column: int) -> bool:
        return item.is_inherited and column in (Column.START, Column.END)

    def _has_error(self, position: int, column: int) -> bool:
        cell = self._findings.get(position, {}).get(column, ())
        return any(f.severity is Severity.ERROR for f in cell)

    def _font(self, position: int, column: int, item: ItemSchedule) -> QFont | None:
        edited = self._cell_edited(position, column)
        italic = self._inherited(item, column)
        if column == Column.TITLE and item.item_id in self._children:
            key = "unit"
        elif not (edited or italic):
            return None
        else:
            key = f"{edited}-{italic}"

        def make() -> QFont:
            font = QFont()
            font.setBold(edited or key == "unit")
            font.setItalic(italic)
            return font

        return self._style(key, make)  # type: ignore[no-any-return]

    def _background(self, position: int, column: int) -> QBrush | None:
        cell = self._findings.get(position, {}).get(column)
        if cell:
            if self._has_error(position, column):
                return self._style("error_bg", lambda: QBrush(cell_colours().error_bg))  # type: ignore[no-any-return]
            return self._style("warning_bg", lambda: QBrush(cell_colours().warning_bg))  # type: ignore[no-any-return]
        if self._cell_edited(position, column):
            return self._style("edited_bg", lambda: QBrush(cell_colours().edited_bg))  # type: ignore[no-any-return]
        return None

    def _decoration(self, position: int, column: int, item: ItemSchedule) -> QIcon | None:
        if column == Column.TITLE:
            kind = self._kinds[position]
            return icons.icon(_KIND_ICONS.get(kind, kind.lower()))
        cell = self._findings.get(position, {}).get(column)
        if cell:
            if self._has_error(position, column):
                return icons.icon("error", cell_colours().error_fg)
            return icons.icon("warning", cell_colours().warning_fg)
        if self._inherited(item, column):
            return icons.icon("inherited", cell_colours().inherited_fg)
        return None

    def _tooltip(self, position: int, column: int, item: ItemSchedule) -> str:
        lines: list[str] = []
        base = self._base.items[position]
        if column == Column.TITLE:
            lines.append(
                f"{shown_title(item.title) or '(untitled)'}\n"
                f"{self._kinds[position]} · id {item.item_id}"
            )
            parent = self._base.parent_of(item)
            if parent is not None:
                lines.append(f"In {shown_title(parent.title)}")
        elif column in DATE_COLUMNS:
            value = getattr(item, COLUMN_FIELDS[column])
            lines.append(
                format_local(value, self._tz) + f"  ({value.astimezone(UTC):%Y-%m-%d %H:%M} UTC)"
                if value is not None
                else "No date"
            )
            if self._inherited(item, column):
                lines.append(f"Inherited from {self._parent_name(item)}.")
                old = getattr(base, COLUMN_FIELDS[column])
                if base.is_inherited and old != value:
                    shown = "no date" if old is None else format_local(old, self._tz)
                    lines.append(f"Moved with its unit (was {shown}).")
                lines.append("Edit the date to give the item its own, or use Make explicit.")
            elif column != Column.DUE and item.parent_id is not None:
                lines.append("Own date (not inherited).")
        else:
            allowed = "yes" if getattr(item, COLUMN_FIELDS[column]) else "no"
            lines.append(f"{HEADER_TIPS[column]}: {allowed}")
        if self._cell_edited(position, column):
            old = getattr(base, COLUMN_FIELDS[column])
            if column in DATE_COLUMNS:
                shown = "no date" if old is None else format_local(old, self._tz)
                if base.is_inherited and column != Column.DUE:
                    shown += ", inherited"
            else:
                shown = "yes" if old else "no"
            lines.append(f"Changed, not saved yet (was {shown}).")
        for finding in self._findings.get(position, {}).get(column, ()):
            label = "Error" if finding.severity is Severity.ERROR else "Warning"
            lines.append(f"{label}: {finding.message}")
        return "\n".join(lines)

    def _parent_name(self, item: ItemSchedule) -> str:
        parent = self._base.parent_of(item)
        if parent is not None:
            return shown_title(parent.title) or f"item {parent.item_id}"
        # With the unit tree loaded, a top-level item inherits from the course itself.
        return "the course" if self._children and item.parent_id is None else "its parent unit"
