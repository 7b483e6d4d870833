"""Filtering and sorting the grid."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from scheduler_gui.ui.grid.columns import Column, ItemIdRole
from scheduler_gui.ui.grid.editor import ScheduleEditor
from tests.ui.schedule_samples import (
    big_course,
    demo_course,
    grid_editor,
    local,
    small_course,
)

pytestmark = pytest.mark.gui


@pytest.fixture
def editor(qtbot: QtBot) -> ScheduleEditor:
    return grid_editor(qtbot, demo_course())


def shown_titles(editor: ScheduleEditor) -> list[str]:
    proxy = editor.proxy
    return [proxy.index(row, 0).data() for row in range(proxy.rowCount())]


def test_text_filter_matches_title_or_id(editor: ScheduleEditor) -> None:
    editor.filter_edit.setText("quiz")
    assert shown_titles(editor) == ["Quiz 1", "Quiz 2", "Quiz 3"]
    assert editor.count_label.text() == "3 of 61 items"
    editor.filter_edit.setText("987600003")
    assert shown_titles(editor) == ["Module 1: Foundations"]
    editor.filter_edit.clear()
    assert editor.count_label.text() == "61 items"


def test_type_filter_lists_the_kinds_present(editor: ScheduleEditor) -> None:
    kinds = [editor.kind_combo.itemText(i) for i in range(editor.kind_combo.count())]
    assert kinds == ["All types", "Unit", "Page", "Assignment", "Exam", "Discussion"]
    editor.kind_combo.setCurrentText("Exam")
    assert shown_titles(editor) == ["Quiz 1", "Quiz 2", "Quiz 3"]
    editor.kind_combo.setCurrentText("Unit")
    assert all(t.startswith(("Module", "Week")) for t in shown_titles(editor))


def test_changed_only_shows_edited_rows_and_follows_undo(editor: ScheduleEditor) -> None:
    quiz = next(i for i in editor.current_schedule().items if i.title == "Quiz 2")
    editor.changed_button.setChecked(True)
    assert shown_titles(editor) == []
    editor.apply_items([quiz.with_dates(end=local(2011, 3, 18, 11))], "Longer quiz")
    assert shown_titles(editor) == ["Quiz 2"]
    editor.undo_stack.undo()
    assert shown_titles(editor) == []


def test_invalid_only_shows_rows_with_findings(editor: ScheduleEditor) -> None:
    quiz = next(i for i in editor.current_schedule().items if i.title == "Quiz 2")
    editor.problems_button.setChecked(True)
    assert shown_titles(editor) == []
    assert quiz.start is not None
    editor.apply_items([quiz.with_dates(end=quiz.start)], "Empty window")
    assert shown_titles(editor) == ["Quiz 2"]


def test_inherited_only_and_combined_filters(editor: ScheduleEditor) -> None:
    editor.inherited_button.setChecked(True)
    titles = shown_titles(editor)
    assert len(titles) == 30 and all(t.startswith(("Reading", "Week")) for t in titles)
    editor.filter_edit.setText("discussion")
    assert len(shown_titles(editor)) == 15
    editor.clear_filters()
    assert not editor.inherited_button.isChecked()
    assert len(shown_titles(editor)) == 61


def test_sorting_by_any_column_and_back_to_course_order(editor: ScheduleEditor) -> None:
    view = editor.view
    view.sortByColumn(Column.DUE, Qt.SortOrder.DescendingOrder)
    first = editor.proxy.index(0, Column.DUE).data(Qt.ItemDataRole.EditRole)
    dues = [editor.proxy.index(r, Column.DUE).data(Qt.ItemDataRole.EditRole) for r in range(61)]
    present = [d for d in dues if d is not None]
    assert present == sorted(present, reverse=True) and first == present[0]
    assert dues[len(present) :] == [None] * (61 - len(present))  # no due date: at the end
    view.sortByColumn(Column.TITLE, Qt.SortOrder.AscendingOrder)
    titles = shown_titles(editor)
    assert titles == sorted(titles, key=str.casefold)
    view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
    assert shown_titles(editor)[:3] == ["Course Home", "Syllabus", "Module 1: Foundations"]


def test_sorting_keeps_the_selection_on_the_same_item(editor: ScheduleEditor) -> None:
    editor.select_item(987600003)
    editor.view.sortByColumn(Column.TITLE, Qt.SortOrder.DescendingOrder)
    assert editor.view.currentIndex().data(ItemIdRole) == 987600003
    assert editor.selected_ids() == [987600003]


def test_proxy_passes_qt_model_tester(qtmodeltester, editor: ScheduleEditor) -> None:  # type: ignore[no-untyped-def]
    editor.filter_edit.setText("week")
    editor.view.sortByColumn(Column.START, Qt.SortOrder.AscendingOrder)
    qtmodeltester.check(editor.proxy)


def test_ten_thousand_rows_filter_and_sort(qtbot: QtBot) -> None:
    editor = grid_editor(qtbot, big_course(10_000))
    editor.filter_edit.setText("unit 4")
    assert editor.proxy.rowCount() == 12  # Unit 4, Unit 40-49, Unit 400 (of 400 units)
    editor.filter_edit.clear()
    editor.view.sortByColumn(Column.START, Qt.SortOrder.DescendingOrder)
    assert editor.proxy.rowCount() == 10_000
    first = editor.proxy.index(0, Column.START).data(Qt.ItemDataRole.EditRole)
    last = editor.proxy.index(9_999, Column.START).data(Qt.ItemDataRole.EditRole)
    assert first > last


def test_small_course_sorts_by_flag(qtbot: QtBot) -> None:
    editor = grid_editor(qtbot, small_course())
    editor.view.sortByColumn(Column.OPEN_BEFORE, Qt.SortOrder.DescendingOrder)
    flags = [
        editor.proxy.index(r, Column.OPEN_BEFORE).data(Qt.ItemDataRole.EditRole) for r in range(5)
    ]
    assert flags == [True, True, False, False, False]


def test_edits_land_on_the_right_item_while_sorted_and_filtered(editor: ScheduleEditor) -> None:
    editor.filter_edit.setText("assignment")
    editor.view.sortByColumn(Column.DUE, Qt.SortOrder.DescendingOrder)
    top = editor.proxy.index(0, Column.DUE)
    item_id = top.data(ItemIdRole)
    assert editor.current_schedule().by_id[item_id].title == "Assignment 8"
    assert editor.proxy.setData(top, local(2011, 5, 1, 12), Qt.ItemDataRole.EditRole)
    assert editor.current_schedule().by_id[item_id].due == local(2011, 5, 1, 12)
    assert editor.proxy.index(0, Column.DUE).data(ItemIdRole) == item_id  # still on top
    editor.undo_stack.undo()
    assert editor.current_schedule() == editor.base_schedule()
