"""A typed date is the date typed (issue 19, items 1 and 2), in the grid and in Set column.

Driven as a professor does it: double-click a cell or just start typing on it, type,
press Enter; select rows, Ctrl+E, type, click OK.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox
from pytestqt.qtbot import QtBot

from scheduler_gui.core.model import ItemSchedule, Schedule
from scheduler_gui.ui.features.shift.dialog import ShiftDialog
from scheduler_gui.ui.grid.columns import Column
from scheduler_gui.ui.grid.delegates import CellDateEditor
from scheduler_gui.ui.grid.editor import ScheduleEditor
from scheduler_gui.ui.grid.set_column_dialog import SetColumnDialog
from tests.ui.schedule_samples import DENVER, grid_editor

pytestmark = pytest.mark.gui


def denver(year: int, month: int, day: int, hour: int, minute: int, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=DENVER).astimezone(
        ZoneInfo("UTC")
    )


def last_term() -> Schedule:
    """Five assignments of last January, due 23:59; #5 is due at 23:59:30."""
    items = [
        ItemSchedule(
            n,
            f"Assignment {n}",
            denver(2011, 1, 10, 0, 0),
            denver(2011, 1, 21, 23, 59),
            due=denver(2011, 1, 14 + n, 23, 59, 30 if n == 5 else 0),
        )
        for n in range(1, 6)
    ]
    return Schedule("123456", items)


@pytest.fixture
def grid(qtbot: QtBot) -> ScheduleEditor:
    return grid_editor(qtbot, last_term(), size=(1000, 400), shown=True)


def double_click_cell(
    qtbot: QtBot, grid: ScheduleEditor, item_id: int, field: str
) -> CellDateEditor:
    grid.select_item(item_id, field)
    index = grid.view.currentIndex()
    centre = grid.view.visualRect(index).center()
    viewport = grid.view.viewport()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=centre)  # a double-click is a
    qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=centre)  # click, then another
    editor = grid.view.indexWidget(index)
    assert isinstance(editor, CellDateEditor)
    return editor


def press_enter(qtbot: QtBot, grid: ScheduleEditor, editor: CellDateEditor) -> None:
    index = grid.view.currentIndex()
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: grid.view.indexWidget(index) is None)


def shown(grid: ScheduleEditor, item_id: int, field: str) -> datetime:
    value = getattr(grid.current_schedule().by_id[item_id], field)
    return value.astimezone(DENVER).replace(tzinfo=None)


def test_typing_a_new_year_over_a_double_clicked_cell_gives_that_year(
    qtbot: QtBot, grid: ScheduleEditor
) -> None:
    editor = double_click_cell(qtbot, grid, 1, "end")
    assert editor.text() == "2011-01-21 23:59" and editor.selectedText() == editor.text()
    qtbot.keyClicks(editor, "2012-01-22 23:59")
    press_enter(qtbot, grid, editor)
    assert shown(grid, 1, "end") == datetime(2012, 1, 22, 23, 59)  # not 2011-01-22


def test_just_typing_on_a_selected_cell_replaces_the_whole_date(
    qtbot: QtBot, grid: ScheduleEditor
) -> None:
    grid.select_item(2, "end")
    grid.view.setFocus()
    qtbot.keyClicks(grid.view, "2")  # the first key opens the editor and goes into it
    editor = grid.view.indexWidget(grid.view.currentIndex())
    assert isinstance(editor, CellDateEditor) and editor.hasFocus()
    qtbot.keyClicks(editor, "012-01-22 23:59")
    press_enter(qtbot, grid, editor)
    assert shown(grid, 2, "end") == datetime(2012, 1, 22, 23, 59)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2011-03-08 23:59", datetime(2011, 3, 8, 23, 59)),
        ("08.03.2011 23:59", datetime(2011, 3, 8, 23, 59)),
        ("8 Mar 2011", datetime(2011, 3, 8, 23, 59)),  # a date alone keeps 23:59
        ("March 8, 2011 5:00 PM", datetime(2011, 3, 8, 17, 0)),
        ("12/25/2011 11:59 PM", datetime(2011, 12, 25, 23, 59)),  # reads one way only
        ("Tue 2011-03-08 23:59:30", datetime(2011, 3, 8, 23, 59, 30)),  # as the grid shows
    ],
)
def test_every_date_form_the_readme_accepts_works_in_a_cell(
    qtbot: QtBot, grid: ScheduleEditor, typed: str, expected: datetime
) -> None:
    editor = double_click_cell(qtbot, grid, 3, "end")
    qtbot.keyClicks(editor, typed)
    press_enter(qtbot, grid, editor)
    assert shown(grid, 3, "end") == expected


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("2/9/2011 11:59 PM", "ambiguous (9 February 2011 or 2 September 2011?)"),
        ("next friday", '"next friday" is not a date (write it like 2011-03-08 23:59)'),
        ("2011-02-30 23:59", '"2011-02-30 23:59" is not a date'),
    ],
)
def test_garbage_or_an_ambiguous_date_is_shown_under_the_cell_which_keeps_its_value(
    qtbot: QtBot, grid: ScheduleEditor, typed: str, said: str
) -> None:
    editor = double_click_cell(qtbot, grid, 4, "due")
    qtbot.keyClicks(editor, typed)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert grid.view.indexWidget(grid.view.currentIndex()) is editor  # still editing
    assert editor.bubble.isVisible() and said in editor.bubble.text()
    assert editor.bubble.geometry().top() >= editor.geometry().bottom()  # under the cell
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert grid.current_schedule() == grid.base_schedule() and grid.undo_stack.count() == 0


def test_fixing_the_text_clears_the_message_and_saves_the_fix(
    qtbot: QtBot, grid: ScheduleEditor
) -> None:
    editor = double_click_cell(qtbot, grid, 4, "due")
    qtbot.keyClicks(editor, "2011-13-01")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert editor.bubble.isVisible()
    editor.selectAll()
    qtbot.keyClicks(editor, "2011-01-31")
    assert not editor.bubble.isVisible()  # gone as soon as it reads
    press_enter(qtbot, grid, editor)
    assert shown(grid, 4, "due") == datetime(2011, 1, 31, 23, 59)


# -- Set column ---------------------------------------------------------------------------


def run_set_column(
    qtbot: QtBot,
    grid: ScheduleEditor,
    monkeypatch: pytest.MonkeyPatch,
    ids: list[int],
    typed: str | None,
) -> SetColumnDialog:
    """Select the Due cells of ``ids``, press Ctrl+E, type ``typed`` and click OK."""
    seen: list[SetColumnDialog] = []

    def run(dialog: SetColumnDialog) -> int:
        seen.append(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        if typed is not None:
            dialog.date_edit.setFocus()
            dialog.date_edit.selectAll()
            qtbot.keyClicks(dialog.date_edit, typed)
            ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
            qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        if dialog.isVisible():
            dialog.reject()
        return dialog.result()

    monkeypatch.setattr(SetColumnDialog, "exec", run)
    grid.select_item(ids[0], "due")
    for item_id in ids[1:]:
        index = grid.proxy.mapFromSource(
            grid.model.index(grid.model.row_of(item_id) or 0, Column.DUE)
        )
        grid.view.selectionModel().select(index, grid.view.selectionModel().SelectionFlag.Select)
    grid.view.setFocus()
    qtbot.keyClick(grid.view, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert seen, "Ctrl+E opens Set column"
    return seen[0]


def test_set_column_starts_empty_when_the_selected_values_differ_never_from_the_clock(
    qtbot: QtBot, grid: ScheduleEditor, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = run_set_column(qtbot, grid, monkeypatch, [1, 2, 3, 4, 5], None)
    assert dialog.field() == "due" and dialog.date_edit.text() == ""
    assert grid.current_schedule() == grid.base_schedule()


def test_set_column_starts_from_the_value_the_selected_rows_share(
    qtbot: QtBot, grid: ScheduleEditor, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = run_set_column(qtbot, grid, monkeypatch, [5], None)
    assert dialog.date_edit.text() == "2011-01-19 23:59:30"  # the seconds it has, shown


def test_set_column_writes_exactly_the_date_typed_with_the_seconds_shown(
    qtbot: QtBot, grid: ScheduleEditor, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = run_set_column(qtbot, grid, monkeypatch, [1, 2, 3, 4, 5], "2012-01-22 23:59")
    assert dialog.result() == QDialog.DialogCode.Accepted
    dues = {shown(grid, item_id, "due") for item_id in range(1, 6)}
    assert dues == {datetime(2012, 1, 22, 23, 59, 0)}  # not 2011, and no :06 seconds
    assert grid.undo_stack.count() == 1


def test_set_column_with_a_date_alone_keeps_each_items_time_of_day(
    qtbot: QtBot, grid: ScheduleEditor, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_set_column(qtbot, grid, monkeypatch, [4, 5], "8 Mar 2012")
    assert shown(grid, 4, "due") == datetime(2012, 3, 8, 23, 59)
    assert shown(grid, 5, "due") == datetime(2012, 3, 8, 23, 59, 30)


def test_set_column_refuses_garbage_inline_and_changes_nothing(
    qtbot: QtBot, grid: ScheduleEditor, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = run_set_column(qtbot, grid, monkeypatch, [1, 2], "3/4/2012")
    assert dialog.result() == QDialog.DialogCode.Rejected  # OK did not close it
    assert "ambiguous (4 March 2012 or 3 April 2012?)" in dialog.problem.text()
    assert grid.current_schedule() == grid.base_schedule()


# -- day fields (Shift dates, Activity) ------------------------------------------------


def test_the_new_term_start_typed_in_shift_dates_is_the_day_typed(qtbot: QtBot) -> None:
    dialog = ShiftDialog(last_term(), DENVER)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.to_start, Qt.MouseButton.LeftButton)
    field = dialog.new_start
    assert field.text() == "Mon 2011-01-10"  # the first day of the course's teaching
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, "2012-01-09")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert field.day() == date(2012, 1, 9) and field.text() == "Mon 2012-01-09"  # not 2011
    result = dialog.shift_result()
    assert result is not None and result.days == (date(2012, 1, 9) - date(2011, 1, 10)).days

    field.selectAll()
    qtbot.keyClicks(field, "9 Jan 2013")  # any form the README lists
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert field.day() == date(2013, 1, 9)

    field.selectAll()
    qtbot.keyClicks(field, "1/9/2012")  # 9 January or 1 September: asked, never guessed
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert "ambiguous" in field.problem() and "ambiguous" in field.toolTip()
    assert field.day() == date(2013, 1, 9)  # the last day that read well
