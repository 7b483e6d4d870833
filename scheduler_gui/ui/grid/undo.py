"""Undoable edits of the grid: each command is one step on the ``QUndoStack``.

Every command boils down to "replace these items with those": it computes the new items
once (including inherited dates that follow a changed unit, see
``ScheduleTableModel.plan_items``), keeps the old ones, and swaps them on redo/undo.
The model emits one ``dataChanged`` per swap, so a 10,000-row edit stays one repaint.

Commands call the model's API as :class:`EditedSchedule` names it; they never import
the model (which imports them), like orange-canvas-core's document commands.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from PySide6.QtGui import QUndoCommand, QUndoStack

from scheduler_gui.core.model import DATE_FIELDS, ItemSchedule, Schedule

from .columns import field_label


class EditedSchedule(Protocol):
    """What the commands use of the grid's model (``EditedSchedule``)."""

    @property
    def undo_stack(self) -> QUndoStack: ...

    def base_schedule(self) -> Schedule:
        """As loaded or last saved."""
        ...

    def item(self, item_id: int) -> ItemSchedule:
        """As shown now (edits included)."""
        ...

    def plan_items(self, changed: Iterable[ItemSchedule]) -> list[ItemSchedule]:
        """``changed`` plus the inherited items whose dates follow them, minus no-ops."""
        ...

    def replace_items(self, items: Sequence[ItemSchedule]) -> None: ...


def with_field(item: ItemSchedule, field: str, value: Any) -> ItemSchedule:
    """``item`` with one field set; setting start or end makes an inherited item explicit."""
    if field in DATE_FIELDS:
        return item.with_dates(**{field: value})
    if field == "can_access_before_start":
        return dataclasses.replace(item, can_access_before_start=bool(value))
    if field == "can_access_after_end":
        return dataclasses.replace(item, can_access_after_end=bool(value))
    raise ValueError(f"{field} cannot be edited")


def _items_text(count: int) -> str:
    return f"{count:,} item{'s' if count != 1 else ''}"


class ReplaceItemsCommand(QUndoCommand):
    """Replace items (matched by id) in one undo step: the base of all other commands.

    Shift dialogs and Excel imports use it directly with the items they computed.
    """

    def __init__(
        self,
        model: EditedSchedule,
        new_items: Iterable[ItemSchedule],
        text: str,
        parent: QUndoCommand | None = None,
    ) -> None:
        super().__init__(text, parent)
        self._model = model
        self._new = model.plan_items(new_items)
        self._old = [model.item(item.item_id) for item in self._new]

    def is_noop(self) -> bool:
        """True when nothing would change (callers then skip pushing it)."""
        return not self._new

    def changed_ids(self) -> list[int]:
        return [item.item_id for item in self._new]

    def redo(self) -> None:
        self._model.replace_items(self._new)

    def undo(self) -> None:
        self._model.replace_items(self._old)


class SetCellCommand(ReplaceItemsCommand):
    """Set one field of one item (what typing in a cell or ticking a box does)."""

    def __init__(self, model: EditedSchedule, item_id: int, field: str, value: Any) -> None:
        item = model.item(item_id)
        title = item.title or f"item {item_id}"
        verb = "Clear" if value is None else "Set"
        text = f'{verb} {field_label(field)} of "{title}"'
        super().__init__(model, [with_field(item, field, value)], text)


class SetColumnCommand(ReplaceItemsCommand):
    """Set one field to the same value for many items, as one step."""

    def __init__(
        self, model: EditedSchedule, item_ids: Iterable[int], field: str, value: Any
    ) -> None:
        items = [with_field(model.item(item_id), field, value) for item_id in item_ids]
        verb = "Clear" if value is None else "Set"
        super().__init__(model, items, f"{verb} {field_label(field)} of {_items_text(len(items))}")


class ResetToInheritedCommand(ReplaceItemsCommand):
    """Make items inherit start and end from their parent unit again."""

    def __init__(self, model: EditedSchedule, item_ids: Iterable[int]) -> None:
        base = model.base_schedule()
        items = []
        for item_id in item_ids:
            loaded = base.get(item_id)
            # Until the parent's dates are known (see plan_items), show what the server
            # showed when it last inherited, if it did.
            if loaded is not None and loaded.is_inherited:
                items.append(model.item(item_id).reset_to_inherited(loaded.start, loaded.end))
            else:
                items.append(model.item(item_id).reset_to_inherited())
        super().__init__(model, items, f"Reset {_items_text(len(items))} to inherited dates")


class MakeExplicitCommand(ReplaceItemsCommand):
    """Give items their own start and end (the dates shown now) instead of inheriting."""

    def __init__(self, model: EditedSchedule, item_ids: Iterable[int]) -> None:
        items = [model.item(item_id).make_explicit() for item_id in item_ids]
        super().__init__(model, items, f"Give {_items_text(len(items))} their own dates")


def push(model: EditedSchedule, command: ReplaceItemsCommand) -> bool:
    """Push ``command`` unless it changes nothing; True if it was pushed."""
    if command.is_noop():
        return False
    model.undo_stack.push(command)
    return True
