"""Editing through the delegates, the way a professor does: open the cell, type, commit."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QDate, QModelIndex, Qt
from PySide6.QtWidgets import QTableView, QToolButton
from pytestqt.qtbot import QtBot

from scheduler_gui.core.model import ItemSchedule, Schedule
from scheduler_gui.ui.grid.columns import Column
from scheduler_gui.ui.grid.delegates import CellDateEditor as DateTimeEditor
from scheduler_gui.ui.grid.editor import ScheduleEditor
from tests.ui.schedule_samples import grid_editor, local, small_course

pytestmark = pytest.mark.gui


@pytest.fixture
def editor(qtbot: QtBot) -> ScheduleEditor:
    return grid_editor(qtbot, small_course(), size=(1000, 400), shown=True)


def open_editor(editor: ScheduleEditor, item_id: int, column: Column) -> DateTimeEditor:
    editor.select_item(item_id, ("title", "start", "end", "due")[column])
    index = editor.view.currentIndex()
    editor.view.edit(index)
    widget = editor.view.indexWidget(index)
    assert isinstance(widget, DateTimeEditor)
    return widget


def commit(qtbot: QtBot, widget: DateTimeEditor) -> None:
    """Press Enter; the view commits and closes the editor on its next event-loop turn."""
    viewport = widget.parentWidget()
    view = viewport.parentWidget() if viewport is not None else None
    assert isinstance(view, QTableView)
    index = view.currentIndex()
    qtbot.keyClick(widget, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.indexWidget(index) is None)


def test_typed_date_is_read_in_the_course_zone(qtbot: QtBot, editor: ScheduleEditor) -> None:
    widget = open_editor(editor, 3, Column.START)
    assert widget.text() == "2011-03-01 00:00"
    widget.selectAll()
    qtbot.keyClicks(widget, "2011-03-02 14:30")
    commit(qtbot, widget)
    start = editor.current_schedule().by_id[3].start
    assert start == datetime(2011, 3, 2, 21, 30, tzinfo=UTC)  # 14:30 MST = UTC-7
    assert editor.undo_stack.count() == 1


def test_f2_opens_the_editor_with_the_text_selected_for_typing(
    qtbot: QtBot, editor: ScheduleEditor
) -> None:
    editor.select_item(4, "start")
    qtbot.keyClick(editor.view, Qt.Key.Key_F2)
    widget = editor.view.indexWidget(editor.view.currentIndex())
    assert isinstance(widget, DateTimeEditor) and widget.hasFocus()
    assert widget.selectedText() == "2011-03-07 08:00"
    qtbot.keyClicks(widget, "2011-03-08 08:15")
    commit(qtbot, widget)
    assert editor.current_schedule().by_id[4].start == local(2011, 3, 8, 8, 15)


def test_typing_on_a_selected_cell_starts_editing(qtbot: QtBot, editor: ScheduleEditor) -> None:
    editor.select_item(4, "end")
    qtbot.keyClicks(editor.view, "2")  # the first key opens the editor and goes into it
    widget = editor.view.indexWidget(editor.view.currentIndex())
    assert isinstance(widget, DateTimeEditor) and widget.hasFocus()
    qtbot.keyClicks(widget, "011-03-09 10:45")  # the rest goes to the focused editor
    commit(qtbot, widget)
    assert editor.current_schedule().by_id[4].end == local(2011, 3, 9, 10, 45)


def test_summer_time_converts_with_the_summer_offset(qtbot: QtBot, editor: ScheduleEditor) -> None:
    widget = open_editor(editor, 4, Column.END)
    widget.selectAll()
    qtbot.keyClicks(widget, "2011-07-04 09:00")
    commit(qtbot, widget)
    assert editor.current_schedule().by_id[4].end == datetime(2011, 7, 4, 15, 0, tzinfo=UTC)


def pick_in_calendar(qtbot: QtBot, widget: DateTimeEditor, day: QDate) -> None:
    """Open the calendar from the field's button and choose ``day`` with the keyboard."""
    button = widget.findChild(QToolButton)
    assert button is not None and button.isVisible()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    popup = widget.calendar_popup
    assert popup is not None and popup.isVisible()
    popup.calendar.setSelectedDate(day.addDays(-1))
    view = popup.calendar.findChild(QTableView)
    assert view is not None
    qtbot.keyClick(view, Qt.Key.Key_Right)  # one day on, as a user would move
    qtbot.keyClick(view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: widget.calendar_popup is None or not popup.isVisible())


# The offscreen platform cannot raise or grab for a popup window; a desktop can.
POPUP_ON_OFFSCREEN = pytest.mark.qt_log_ignore(
    "This plugin does not support (raise|grabbing)", extend=True
)


@POPUP_ON_OFFSCREEN
def test_picking_a_day_keeps_the_time_of_day(qtbot: QtBot, editor: ScheduleEditor) -> None:
    widget = open_editor(editor, 3, Column.END)
    pick_in_calendar(qtbot, widget, QDate(2011, 3, 15))
    assert widget.text() == "2011-03-15 23:59"
    commit(qtbot, widget)
    assert editor.current_schedule().by_id[3].end == local(2011, 3, 15, 23, 59)


def test_another_zone_shows_and_reads_its_own_wall_clock(
    qtbot: QtBot, editor: ScheduleEditor
) -> None:
    editor.set_time_zone(ZoneInfo("Europe/Berlin"))
    widget = open_editor(editor, 3, Column.END)
    assert widget.text() == "2011-03-09 07:59"
    widget.selectAll()
    qtbot.keyClicks(widget, "2011-03-10 07:59")
    commit(qtbot, widget)
    assert editor.current_schedule().by_id[3].end == datetime(2011, 3, 10, 6, 59, tzinfo=UTC)


def test_seconds_are_shown_and_kept(qtbot: QtBot) -> None:
    start = datetime(2011, 3, 1, 7, 0, 30, tzinfo=UTC)
    widget = grid_editor(
        qtbot, Schedule("1", [ItemSchedule(1, "A", start, local(2011, 3, 9))]), shown=True
    )
    date_editor = open_editor(widget, 1, Column.START)
    assert date_editor.text() == "2011-03-01 00:00:30"
    date_editor.selectAll()
    qtbot.keyClicks(date_editor, "2011-03-02")  # a date alone keeps the time, seconds too
    commit(qtbot, date_editor)
    assert widget.current_schedule().by_id[1].start == datetime(2011, 3, 2, 7, 0, 30, tzinfo=UTC)


def test_due_date_can_be_cleared_in_the_editor(qtbot: QtBot, editor: ScheduleEditor) -> None:
    widget = open_editor(editor, 3, Column.DUE)
    widget.selectAll()
    qtbot.keyClick(widget, Qt.Key.Key_Delete)
    assert widget.text() == ""
    commit(qtbot, widget)
    assert editor.current_schedule().by_id[3].due is None
    assert editor.undo_stack.undoText() == 'Clear Due of "Assignment 3"'


def test_a_new_due_date_starts_at_the_items_end(qtbot: QtBot, editor: ScheduleEditor) -> None:
    widget = open_editor(editor, 4, Column.DUE)
    assert widget.text() == "2011-03-07 09:30"
    commit(qtbot, widget)
    assert editor.current_schedule().by_id[4].due == local(2011, 3, 7, 9, 30)


def test_start_cannot_be_cleared(qtbot: QtBot, editor: ScheduleEditor) -> None:
    widget = open_editor(editor, 3, Column.START)
    assert not widget.clearable
    widget.selectAll()
    qtbot.keyClick(widget, Qt.Key.Key_Delete)
    qtbot.keyClick(widget, Qt.Key.Key_Return)
    assert editor.view.indexWidget(editor.view.currentIndex()) is widget  # still editing
    assert "Type a date" in widget.bubble.text() and widget.bubble.isVisible()
    qtbot.keyClick(widget, Qt.Key.Key_Escape)
    assert editor.current_schedule() == editor.base_schedule()


def flag_index(editor: ScheduleEditor, item_id: int, column: Column) -> QModelIndex:
    editor.select_item(item_id)
    return editor.view.currentIndex().siblingAtColumn(column)


def test_clicking_the_checkbox_toggles_the_flag(qtbot: QtBot, editor: ScheduleEditor) -> None:
    index = flag_index(editor, 4, Column.OPEN_BEFORE)
    centre = editor.view.visualRect(index).center()
    qtbot.mouseClick(editor.view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert editor.current_schedule().by_id[4].can_access_before_start is True
    assert editor.undo_stack.count() == 1
    qtbot.mouseDClick(editor.view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert editor.undo_stack.count() == 1  # a double-click is not two more toggles


def test_clicking_beside_the_checkbox_only_selects(qtbot: QtBot, editor: ScheduleEditor) -> None:
    index = flag_index(editor, 4, Column.OPEN_AFTER)
    left_edge = editor.view.visualRect(index).center()
    left_edge.setX(editor.view.visualRect(index).left() + 2)
    qtbot.mouseClick(editor.view.viewport(), Qt.MouseButton.LeftButton, pos=left_edge)
    assert editor.undo_stack.count() == 0


def test_space_toggles_the_current_flag(qtbot: QtBot, editor: ScheduleEditor) -> None:
    index = flag_index(editor, 3, Column.OPEN_AFTER)
    editor.view.setCurrentIndex(index)
    qtbot.keyClick(editor.view, Qt.Key.Key_Space)
    assert editor.current_schedule().by_id[3].can_access_after_end is True
    editor.undo_stack.undo()
    assert editor.current_schedule().by_id[3].can_access_after_end is False
