"""The grid's table model: what each cell shows and how edits go through the undo stack."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QBrush, QFont, QUndoStack
from pytestqt.qtbot import QtBot

from scheduler_gui.core.model import ItemSchedule, Schedule
from scheduler_gui.core.validate import Finding, Severity
from scheduler_gui.ui.grid.columns import (
    Column,
    DepthRole,
    FindingsRole,
    IsEditedRole,
    IsInheritedRole,
    ItemIdRole,
    KindRole,
    SortRole,
    ValueRole,
    kind_of,
)
from scheduler_gui.ui.grid.model import ERROR_BG, ScheduleTableModel
from tests.ui.schedule_samples import DENVER, big_course, demo_course, local, small_course

pytestmark = pytest.mark.gui

DISPLAY = Qt.ItemDataRole.DisplayRole
EDIT = Qt.ItemDataRole.EditRole
CHECK = Qt.ItemDataRole.CheckStateRole
TIP = Qt.ItemDataRole.ToolTipRole


@pytest.fixture
def stack(qtbot: QtBot) -> QUndoStack:
    return QUndoStack()


@pytest.fixture
def model(stack: QUndoStack) -> ScheduleTableModel:
    model = ScheduleTableModel(stack)
    model.set_time_zone(DENVER)
    model.set_schedule(small_course())
    return model


def cell(model: ScheduleTableModel, item_id: int, column: Column) -> QModelIndex:
    row = model.row_of(item_id)
    assert row is not None
    return model.index(row, column)


def test_cells_show_titles_dates_in_the_course_zone_and_flags(model: ScheduleTableModel) -> None:
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in Column] == [
        "Title", "Start", "End", "Due", "Open early", "Open late"
    ]  # fmt: skip
    assert cell(model, 3, Column.TITLE).data(DISPLAY) == "Assignment 3"
    assert cell(model, 3, Column.END).data(DISPLAY) == "Tue 2011-03-08 23:59"
    assert cell(model, 3, Column.DUE).data(DISPLAY) == "Tue 2011-03-08 23:59"
    assert cell(model, 4, Column.DUE).data(DISPLAY) == ""
    assert cell(model, 3, Column.OPEN_BEFORE).data(CHECK) == Qt.CheckState.Checked
    assert cell(model, 3, Column.OPEN_AFTER).data(CHECK) == Qt.CheckState.Unchecked
    assert cell(model, 3, Column.OPEN_AFTER).data(TIP) == (
        "Students may open the item after its end date: no"
    )
    assert "MST" in cell(model, 3, Column.END).data(TIP)
    assert "America/Denver" in model.headerData(Column.START, Qt.Orientation.Horizontal, TIP)
    model.set_time_zone(ZoneInfo("UTC"))
    assert cell(model, 3, Column.END).data(DISPLAY) == "Wed 2011-03-09 06:59"


def test_seconds_are_shown_only_when_set(stack: QUndoStack) -> None:
    model = ScheduleTableModel(stack)
    model.set_time_zone(DENVER)
    start = datetime(2011, 3, 1, 7, 0, 30, tzinfo=ZoneInfo("UTC"))
    model.set_schedule(Schedule("1", [ItemSchedule(1, "A", start, local(2011, 3, 2))]))
    assert model.index(0, Column.START).data(DISPLAY) == "Tue 2011-03-01 00:00:30"
    assert model.index(0, Column.END).data(DISPLAY) == "Wed 2011-03-02 00:00"


@pytest.mark.parametrize(
    ("column", "value"),
    [
        (Column.START, local(2011, 3, 2, 9, 15)),
        (Column.END, local(2011, 3, 9, 17, 0)),
        (Column.DUE, local(2011, 3, 9, 12, 0)),
        (Column.DUE, None),
    ],
)
def test_dates_round_trip_through_set_data(
    model: ScheduleTableModel, stack: QUndoStack, column: Column, value: datetime | None
) -> None:
    index = cell(model, 3, column)
    assert model.setData(index, value, EDIT)
    assert index.data(EDIT) == value
    assert index.data(ValueRole) == value
    assert index.data(IsEditedRole)
    assert stack.count() == 1
    field = ("start", "end", "due")[column - 1]
    assert getattr(model.current_schedule().get(3), field) == value
    assert getattr(model.base_schedule().get(3), field) != value


@pytest.mark.parametrize("column", [Column.OPEN_BEFORE, Column.OPEN_AFTER])
def test_flags_round_trip_as_checkboxes(
    model: ScheduleTableModel, stack: QUndoStack, column: Column
) -> None:
    index = cell(model, 4, column)
    assert index.flags() & Qt.ItemFlag.ItemIsUserCheckable
    assert model.setData(index, Qt.CheckState.Checked.value, CHECK)
    assert index.data(CHECK) == Qt.CheckState.Checked
    assert index.data(EDIT) is True
    assert model.setData(index, False, EDIT)
    assert index.data(CHECK) == Qt.CheckState.Unchecked
    assert stack.count() == 2


def test_titles_and_bad_values_are_refused(model: ScheduleTableModel, stack: QUndoStack) -> None:
    assert not cell(model, 3, Column.TITLE).flags() & Qt.ItemFlag.ItemIsEditable
    assert not model.setData(cell(model, 3, Column.TITLE), "New title", EDIT)
    assert not model.setData(cell(model, 3, Column.START), None, EDIT)  # only due may be empty
    assert not model.setData(cell(model, 3, Column.START), datetime(2011, 3, 1), EDIT)  # naive
    assert not model.setData(cell(model, 3, Column.START), "2011-03-01", EDIT)
    assert stack.count() == 0
    assert model.current_schedule() == model.base_schedule()


def test_setting_the_same_value_adds_no_undo_step(
    model: ScheduleTableModel, stack: QUndoStack
) -> None:
    index = cell(model, 3, Column.START)
    assert model.setData(index, index.data(EDIT), EDIT)
    assert stack.count() == 0


def test_inherited_dates_look_different_and_name_the_parent(model: ScheduleTableModel) -> None:
    start = cell(model, 2, Column.START)
    assert start.data(IsInheritedRole)
    assert start.data(Qt.ItemDataRole.FontRole).italic()
    assert isinstance(start.data(Qt.ItemDataRole.ForegroundRole), QBrush)
    assert not start.data(Qt.ItemDataRole.DecorationRole).isNull()
    assert "Inherited from Unit 3: Ecology" in start.data(TIP)
    top_level = model.base_schedule().by_id[5].reset_to_inherited()
    model.set_schedule(model.base_schedule().with_items([top_level]))
    assert "Inherited from the course" in cell(model, 5, Column.START).data(TIP)
    own = cell(model, 3, Column.START)
    assert not own.data(IsInheritedRole)
    assert own.data(Qt.ItemDataRole.DecorationRole) is None
    assert not cell(model, 2, Column.DUE).data(IsInheritedRole)  # due dates are never inherited


def test_editing_an_inherited_date_makes_the_item_explicit(model: ScheduleTableModel) -> None:
    assert model.setData(cell(model, 2, Column.START), local(2011, 3, 1, 8), EDIT)
    item = model.current_schedule().get(2)
    assert item is not None and not item.is_inherited
    assert not cell(model, 2, Column.START).data(IsInheritedRole)
    assert cell(model, 2, Column.START).data(IsEditedRole)
    assert cell(model, 2, Column.END).data(IsEditedRole)  # now its own, so it changed too


def test_inherited_dates_follow_their_unit(model: ScheduleTableModel, stack: QUndoStack) -> None:
    new_start = local(2011, 2, 27, 8)
    assert model.setData(cell(model, 1, Column.START), new_start, EDIT)
    assert cell(model, 2, Column.START).data(EDIT) == new_start
    assert not cell(model, 2, Column.START).data(IsEditedRole)  # the unit changed, not it
    assert "Moved with its unit (was Mon 2011-02-28 00:00 MST)" in cell(model, 2, 1).data(TIP)
    assert cell(model, 3, Column.START).data(EDIT) == local(2011, 3, 1)  # explicit: unmoved
    stack.undo()
    assert cell(model, 2, Column.START).data(EDIT) == local(2011, 2, 28)


def test_edited_cells_are_bold_and_tinted_until_saved(model: ScheduleTableModel) -> None:
    index = cell(model, 3, Column.DUE)
    assert index.data(Qt.ItemDataRole.BackgroundRole) is None
    model.setData(index, local(2011, 3, 7, 23, 59), EDIT)
    font = index.data(Qt.ItemDataRole.FontRole)
    assert isinstance(font, QFont) and font.bold()
    assert isinstance(index.data(Qt.ItemDataRole.BackgroundRole), QBrush)
    assert "was Tue 2011-03-08 23:59 MST" in index.data(TIP)
    assert model.edited_count() == 1
    model.mark_saved(model.current_schedule())
    assert not index.data(IsEditedRole)
    assert index.data(Qt.ItemDataRole.BackgroundRole) is None
    assert model.edited_count() == 0


def test_a_restored_draft_shows_its_edits(stack: QUndoStack) -> None:
    base = small_course()
    draft = base.with_items([base.by_id[4].with_dates(end=local(2011, 3, 7, 10))])
    model = ScheduleTableModel(stack)
    model.set_schedule(base, draft)
    assert cell(model, 4, Column.END).data(IsEditedRole)
    assert model.current_schedule() == draft
    assert model.base_schedule() == base
    assert stack.count() == 0


def test_a_draft_with_other_items_is_refused(stack: QUndoStack) -> None:
    model = ScheduleTableModel(stack)
    with pytest.raises(ValueError, match="same items"):
        model.set_schedule(small_course(), Schedule("123456", [ItemSchedule(99, "X")]))


def test_invalid_cells_are_red_with_the_reason(model: ScheduleTableModel) -> None:
    error = Finding(Severity.ERROR, 4, "end", "Quiz 3 ends before it starts.")
    warning = Finding(Severity.WARNING, 3, "due", "Due after it closes.")
    whole_item = Finding(Severity.ERROR, 5, None, "Course Home appears twice.")
    model.set_findings([error, warning, whole_item])
    end = cell(model, 4, Column.END)
    assert end.data(Qt.ItemDataRole.BackgroundRole).color() == ERROR_BG
    assert "Error: Quiz 3 ends before it starts." in end.data(TIP)
    assert end.data(FindingsRole) == [error]
    assert "Warning: Due after it closes." in cell(model, 3, Column.DUE).data(TIP)
    assert cell(model, 5, Column.TITLE).data(FindingsRole) == [whole_item]
    assert cell(model, 4, Column.START).data(FindingsRole) == []
    model.set_findings([])
    assert end.data(Qt.ItemDataRole.BackgroundRole) is None


def test_custom_roles_expose_raw_values(stack: QUndoStack) -> None:
    model = ScheduleTableModel(stack)
    model.set_schedule(big_course(60))
    index = model.index(1, Column.TITLE)
    assert index.data(ItemIdRole) == 100_000_000_001  # more than 32 bits survives
    assert index.data(DepthRole) == 1
    assert model.index(0, Column.TITLE).data(KindRole) == "Unit"
    assert model.index(1, Column.START).data(SortRole) == model.item_at(1).start
    assert model.index(1, Column.TITLE).data(SortRole) == "item 1"  # titles sort by casefold


def test_kinds_come_from_the_server_or_the_title() -> None:
    assert kind_of(ItemSchedule(1, "Whatever", item_extra={"contentType": "THREAD"}), False) == (
        "Discussion"
    )
    assert kind_of(ItemSchedule(1, "Week 3 Quiz"), False) == "Exam"
    assert kind_of(ItemSchedule(1, "Week 3"), True) == "Unit"
    assert kind_of(ItemSchedule(1, "Week 1 Overview"), False) == "Page"
    assert kind_of(ItemSchedule(1, "Introduction"), False) == "Page"


def test_sorting_reorders_rows_but_not_the_schedule(model: ScheduleTableModel) -> None:
    model.sort(Column.START, Qt.SortOrder.DescendingOrder)
    starts = [model.item_at(row).start for row in range(model.rowCount())]
    assert starts == sorted(filter(None, starts), reverse=True)
    assert [it.item_id for it in model.current_schedule().items] == [1, 2, 3, 4, 5]
    model.sort(Column.DUE)
    assert model.item_at(0).item_id == 3  # the only due date first; blanks last
    model.sort(-1)
    assert [model.item_at(row).item_id for row in range(5)] == [1, 2, 3, 4, 5]


def test_model_passes_qt_model_tester(qtmodeltester, model: ScheduleTableModel) -> None:  # type: ignore[no-untyped-def]
    model.set_findings([Finding(Severity.ERROR, 4, "end", "bad")])
    qtmodeltester.check(model)
    model.set_schedule(demo_course())
    qtmodeltester.check(model)


def test_ten_thousand_rows_build_and_bulk_edit_in_one_signal(
    qtbot: QtBot, stack: QUndoStack
) -> None:
    from scheduler_gui.ui.grid.undo import SetColumnCommand

    model = ScheduleTableModel(stack)
    course = big_course(10_000)
    model.set_schedule(course)
    assert model.rowCount() == 10_000
    due = local(2011, 5, 1, 23, 59)
    repaints: list[object] = []
    model.dataChanged.connect(lambda *args: repaints.append(args))
    with qtbot.waitSignal(model.items_changed) as changed:
        stack.push(SetColumnCommand(model, [it.item_id for it in course.items], "due", due))
    assert len(changed.args[0]) == 10_000
    assert len(repaints) == 1  # one dataChanged for the whole range, not one per cell
    assert stack.count() == 1
    assert all(item.due == due for item in model.current_schedule().items)
    assert model.edited_count() == 10_000
    stack.undo()
    assert model.current_schedule() == course
    assert model.edited_count() == 0
