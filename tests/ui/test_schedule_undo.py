"""Undo and redo: every edit is one step, bulk edits included."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from pytestqt.qtbot import QtBot

from scheduler_gui.ui.grid.columns import Column
from scheduler_gui.ui.grid.model import ScheduleTableModel
from scheduler_gui.ui.grid.undo import (
    MakeExplicitCommand,
    ReplaceItemsCommand,
    ResetToInheritedCommand,
    SetCellCommand,
    SetColumnCommand,
    push,
)
from tests.ui.schedule_samples import DENVER, local, small_course

pytestmark = pytest.mark.gui


@pytest.fixture
def model(qtbot: QtBot) -> ScheduleTableModel:
    model = ScheduleTableModel(QUndoStack())
    model.set_time_zone(DENVER)
    model.set_schedule(small_course())
    return model


def test_single_edit_undoes_and_redoes(model: ScheduleTableModel) -> None:
    stack = model.undo_stack
    base = model.current_schedule()
    assert push(model, SetCellCommand(model, 4, "end", local(2011, 3, 7, 10)))
    assert stack.undoText() == 'Set End of "Quiz 3"'
    assert model.item(4).end == local(2011, 3, 7, 10)
    stack.undo()
    assert model.current_schedule() == base
    assert model.edited_count() == 0
    stack.redo()
    assert model.item(4).end == local(2011, 3, 7, 10)


def test_bulk_column_edit_is_one_step(model: ScheduleTableModel) -> None:
    stack = model.undo_stack
    due = local(2011, 3, 13, 23, 59)
    assert push(model, SetColumnCommand(model, [2, 3, 4], "due", due))
    assert stack.count() == 1
    assert stack.undoText() == "Set Due of 3 items"
    assert [model.item(i).due for i in (2, 3, 4)] == [due] * 3
    stack.undo()
    assert model.item(2).due is None and model.item(3).due == local(2011, 3, 8, 23, 59)
    stack.redo()
    assert model.item(4).due == due


def test_clearing_a_column_names_it(model: ScheduleTableModel) -> None:
    assert push(model, SetColumnCommand(model, [3], "due", None))
    assert model.undo_stack.undoText() == "Clear Due of 1 item"
    assert model.item(3).due is None


def test_reset_to_inherited_takes_the_units_dates(model: ScheduleTableModel) -> None:
    unit = model.item(1)
    assert push(model, ResetToInheritedCommand(model, [3, 4]))
    for item_id in (3, 4):
        item = model.item(item_id)
        assert item.is_inherited and (item.start, item.end) == (unit.start, unit.end)
    row = model.row_of(3)
    assert row is not None
    assert model.index(row, Column.START).data(Qt.ItemDataRole.ToolTipRole).startswith("Mon")
    model.undo_stack.undo()
    assert not model.item(3).is_inherited
    assert model.item(3).start == local(2011, 3, 1)


def test_make_explicit_keeps_the_dates_shown(model: ScheduleTableModel) -> None:
    before = model.item(2)
    assert push(model, MakeExplicitCommand(model, [2]))
    after = model.item(2)
    assert not after.is_inherited and (after.start, after.end) == (before.start, before.end)
    assert model.edited_count() == 1
    model.undo_stack.undo()
    assert model.item(2).is_inherited


def test_replace_items_is_one_step_and_skips_no_ops(model: ScheduleTableModel) -> None:
    unchanged = ReplaceItemsCommand(model, [model.item(3)], "nothing")
    assert unchanged.is_noop()
    assert not push(model, unchanged)
    moved = [model.item(i).with_dates(due=local(2011, 3, 10, 12)) for i in (3, 4)]
    assert push(model, ReplaceItemsCommand(model, moved, "Shift dates"))
    assert model.undo_stack.count() == 1
    assert model.undo_stack.undoText() == "Shift dates"
    with pytest.raises(KeyError, match="not in this course"):
        ReplaceItemsCommand(model, [moved[0].__class__(999, "stranger")], "bad")
