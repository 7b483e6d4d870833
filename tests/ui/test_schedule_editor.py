"""The editor widget: its public API, bulk actions, validation and signals."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from scheduler_gui.core.model import ItemSchedule, Schedule
from scheduler_gui.core.validate import Severity
from scheduler_gui.ui.grid.columns import Column, FindingsRole, IsEditedRole
from scheduler_gui.ui.grid.editor import ScheduleEditor
from scheduler_gui.ui.grid.model import ERROR_BG
from scheduler_gui.ui.grid.set_column_dialog import SetColumnDialog
from tests.ui.schedule_samples import DENVER, big_course, grid_editor, local, small_course

pytestmark = pytest.mark.gui


@pytest.fixture
def editor(qtbot: QtBot) -> ScheduleEditor:
    return grid_editor(qtbot, small_course(), size=(1000, 400))


def select_rows(editor: ScheduleEditor, ids: list[int]) -> None:
    selection = editor.view.selectionModel()
    selection.clearSelection()
    for item_id in ids:
        row = editor.model.row_of(item_id)
        assert row is not None
        index = editor.proxy.mapFromSource(editor.model.index(row, 0))
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        selection.select(index, flags)


def test_edits_emit_schedule_changed_and_revalidate(qtbot: QtBot, editor: ScheduleEditor) -> None:
    quiz = editor.current_schedule().by_id[4]
    with (
        qtbot.waitSignal(editor.schedule_changed),
        qtbot.waitSignal(editor.findings_changed) as found,
    ):
        assert editor.apply_items([quiz.with_dates(end=quiz.start)], "Empty quiz")
    assert [(f.severity, f.item_id, f.field) for f in found.args[0]] == [(Severity.ERROR, 4, "end")]
    assert editor.findings() == found.args[0]
    index = editor.proxy.mapFromSource(editor.model.index(editor.model.row_of(4) or 0, Column.END))
    assert index.data(Qt.ItemDataRole.BackgroundRole).color() == ERROR_BG
    assert "ends" in index.data(Qt.ItemDataRole.ToolTipRole)
    assert index.data(FindingsRole)[0].message in index.data(Qt.ItemDataRole.ToolTipRole)
    with qtbot.waitSignal(editor.findings_changed) as cleared:
        editor.undo_stack.undo()
    assert cleared.args[0] == []


def test_apply_items_is_one_undo_step(editor: ScheduleEditor) -> None:
    items = [editor.current_schedule().by_id[i].with_dates(due=local(2011, 3, 9)) for i in (2, 3)]
    assert editor.apply_items(items, "Import from Excel")
    assert editor.undo_stack.count() == 1
    assert editor.undo_stack.undoText() == "Import from Excel"
    assert not editor.apply_items(items, "Again")  # nothing left to change


def test_select_item_selects_the_cell_and_clears_hiding_filters(editor: ScheduleEditor) -> None:
    editor.filter_edit.setText("quiz")
    with_selection: list[list[int]] = []
    editor.selection_changed.connect(with_selection.append)
    editor.select_item(3, "due")
    assert editor.filter_edit.text() == ""
    current = editor.view.currentIndex()
    assert current.column() == Column.DUE
    assert current.data(Qt.ItemDataRole.DisplayRole) == "Tue 2011-03-08 23:59"
    assert editor.selected_ids() == [3]
    assert with_selection[-1] == [3]


def test_reset_to_inherited_and_make_explicit_act_on_the_selection(
    editor: ScheduleEditor,
) -> None:
    select_rows(editor, [3, 4])
    editor.edit_actions["reset_inherited"].trigger()
    assert all(editor.current_schedule().by_id[i].is_inherited for i in (3, 4))
    assert editor.undo_stack.count() == 1
    select_rows(editor, [2])
    editor.edit_actions["make_explicit"].trigger()
    assert not editor.current_schedule().by_id[2].is_inherited
    index = editor.proxy.mapFromSource(editor.model.index(editor.model.row_of(2) or 0, 1))
    assert index.data(IsEditedRole)
    editor.undo_stack.undo()
    editor.undo_stack.undo()
    assert editor.current_schedule() == editor.base_schedule()


def test_set_column_sets_the_selected_rows_in_one_step(
    editor: ScheduleEditor, monkeypatch: pytest.MonkeyPatch
) -> None:
    def choose(dialog: SetColumnDialog) -> int:
        dialog.column.setCurrentIndex(dialog.column.findData("end"))
        dialog.date_edit.set_value(local(2011, 3, 20, 17))
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(SetColumnDialog, "exec", choose)
    select_rows(editor, [3, 4])
    editor.set_column_for_selection()
    assert [editor.current_schedule().by_id[i].end for i in (3, 4)] == [local(2011, 3, 20, 17)] * 2
    assert editor.undo_stack.count() == 1


def test_set_column_can_keep_each_items_time_of_day(
    editor: ScheduleEditor, monkeypatch: pytest.MonkeyPatch
) -> None:
    def choose(dialog: SetColumnDialog) -> int:
        dialog.column.setCurrentIndex(dialog.column.findData("start"))
        dialog.date_edit.setText("2011-03-02")  # a date alone keeps each item's time
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(SetColumnDialog, "exec", choose)
    select_rows(editor, [3, 4])
    editor.set_column_for_selection()
    starts = [editor.current_schedule().by_id[i].start for i in (3, 4)]
    assert starts == [local(2011, 3, 2, 0), local(2011, 3, 2, 8)]


def test_set_column_flags(editor: ScheduleEditor, monkeypatch: pytest.MonkeyPatch) -> None:
    def choose(dialog: SetColumnDialog) -> int:
        dialog.column.setCurrentIndex(dialog.column.findData("can_access_after_end"))
        dialog.flag.setChecked(True)
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(SetColumnDialog, "exec", choose)
    select_rows(editor, [3, 4])
    editor.set_column_for_selection()
    assert all(editor.current_schedule().by_id[i].can_access_after_end for i in (3, 4))


def test_delete_clears_selected_due_dates_only(qtbot: QtBot, editor: ScheduleEditor) -> None:
    editor.show()
    editor.select_item(3, "start")
    qtbot.keyClick(editor.view, Qt.Key.Key_Delete)
    assert editor.undo_stack.count() == 0
    editor.select_item(3, "due")
    qtbot.keyClick(editor.view, Qt.Key.Key_Delete)
    assert editor.current_schedule().by_id[3].due is None


def test_select_children_adds_the_units_items(editor: ScheduleEditor) -> None:
    select_rows(editor, [1])
    editor.edit_actions["select_children"].trigger()
    assert editor.selected_ids() == [1, 2, 3, 4]


def test_copy_puts_rows_on_the_clipboard(editor: ScheduleEditor) -> None:
    select_rows(editor, [3])
    editor.edit_actions["copy"].trigger()
    lines = QGuiApplication.clipboard().text().splitlines()
    assert lines[0].startswith("Title\tId\tStart")
    assert lines[1].split("\t")[:5] == [
        "Assignment 3", "3", "Tue 2011-03-01 00:00", "Tue 2011-03-08 23:59", "Tue 2011-03-08 23:59"
    ]  # fmt: skip


def test_mark_saved_makes_the_edits_the_new_base(editor: ScheduleEditor) -> None:
    quiz = editor.current_schedule().by_id[4]
    editor.apply_items([quiz.with_dates(end=local(2011, 3, 7, 10))], "Longer quiz")
    assert editor.model.edited_count() == 1
    saved = editor.current_schedule()
    editor.mark_saved(saved)
    assert editor.base_schedule() == saved
    assert editor.model.edited_count() == 0


def test_draft_restore_and_time_zone(editor: ScheduleEditor) -> None:
    base = small_course()
    draft = base.with_items([base.by_id[3].with_dates(due=local(2011, 3, 9, 12))])
    editor.set_schedule(base, DENVER, draft)
    assert editor.current_schedule() == draft and editor.base_schedule() == base
    assert editor.time_zone() == DENVER
    assert editor.zone_label.text() == "Times in America/Denver (MST/MDT)"
    editor.set_time_zone(ZoneInfo("Europe/Berlin"))
    assert editor.zone_label.text() == "Times in Europe/Berlin (CET/CEST)"
    index = editor.proxy.mapFromSource(editor.model.index(2, Column.DUE))
    assert index.data() == "Wed 2011-03-09 20:00"


def test_loading_another_schedule_clears_the_undo_history(editor: ScheduleEditor) -> None:
    quiz = editor.current_schedule().by_id[4]
    editor.apply_items([quiz.with_dates(end=local(2011, 3, 7, 10))], "Longer quiz")
    editor.set_schedule(big_course(50), DENVER)
    assert editor.undo_stack.count() == 0
    assert len(editor.current_schedule()) == 50


def test_ten_thousand_rows_load_paint_and_bulk_edit(qtbot: QtBot) -> None:
    course = big_course(10_000)
    editor = grid_editor(qtbot, course, size=(1200, 800), shown=True)
    assert editor.grab().width() > 0
    editor.view.selectAll()
    assert len(editor.selected_ids()) == 10_000
    editor.apply_items([it.with_dates(due=local(2011, 6, 1)) for it in course.items], "All due")
    assert editor.undo_stack.count() == 1
    assert all(it.due == local(2011, 6, 1) for it in editor.current_schedule().items)
    editor.undo_stack.undo()
    assert editor.current_schedule() == course


def test_select_children_ends_on_a_tree_with_a_cycle(qtbot: QtBot) -> None:
    # A server that names two units as each other's parent: the walk must still end.
    unit_a = ItemSchedule(1, "Unit A", local(2011, 3, 1), local(2011, 3, 9), parent_id=2)
    unit_b = ItemSchedule(2, "Unit B", local(2011, 3, 1), local(2011, 3, 9), parent_id=1)
    page = ItemSchedule(3, "Page", local(2011, 3, 2), local(2011, 3, 3), parent_id=2)
    editor = grid_editor(qtbot, Schedule("1", [unit_a, unit_b, page]))
    select_rows(editor, [1])
    editor.edit_actions["select_children"].trigger()
    assert editor.selected_ids() == [1, 2, 3]
