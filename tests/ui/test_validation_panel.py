"""The validation panel: counts, the list, and jumping to the cell."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from scheduler_gui.core.validate import Finding, Severity
from scheduler_gui.ui.grid.columns import Column
from scheduler_gui.ui.shell.validation_panel import ValidationPanel
from tests.ui.schedule_samples import grid_editor, small_course

pytestmark = pytest.mark.gui

BIG_ID = 200_987_654_321  # LearningStudio ids do not fit in 32 bits
FINDINGS = [
    Finding(Severity.WARNING, 3, "due", "Assignment 3 is due after it closes."),
    Finding(Severity.ERROR, BIG_ID, "end", "Quiz ends before it starts."),
    Finding(Severity.ERROR, None, None, "Item 7 of the course is missing."),
]


@pytest.fixture
def panel(qtbot: QtBot) -> ValidationPanel:
    widget = ValidationPanel()
    qtbot.addWidget(widget)
    return widget


def test_lists_errors_first_with_counts(panel: ValidationPanel) -> None:
    panel.set_findings(FINDINGS)
    assert panel.counts() == (2, 1)
    assert panel.summary.text() == "2 errors, 1 warning. Fix the errors to save."
    model = panel.model
    rows = [[model.index(r, c).data() for c in range(4)] for r in range(3)]
    assert rows[0] == ["Error", str(BIG_ID), "End", "Quiz ends before it starts."]
    assert rows[1] == ["Error", "Course", "", "Item 7 of the course is missing."]
    assert rows[2][:3] == ["Warning", "3", "Due"]
    assert not model.index(0, 0).data(Qt.ItemDataRole.DecorationRole).isNull()


def test_names_items_by_title_when_given_the_schedule(panel: ValidationPanel) -> None:
    panel.set_findings(FINDINGS[:1], small_course())
    assert panel.model.index(0, 1).data() == "Assignment 3 (3)"
    assert panel.summary.text() == "1 warning. Saving is possible."
    panel.set_findings([])
    assert panel.summary.text() == "No problems found."
    assert panel.counts() == (0, 0)


def test_double_click_asks_to_jump_to_the_cell(qtbot: QtBot, panel: ValidationPanel) -> None:
    panel.set_findings(FINDINGS)
    panel.show()
    rect = panel.view.visualRect(panel.model.index(0, 3))
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(panel.jump_requested) as jump:  # Qt needs the press before it
        qtbot.mouseDClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert jump.args == [BIG_ID, "end"]
    jumps: list[object] = []
    panel.jump_requested.connect(lambda *args: jumps.append(args))
    panel.view.setCurrentIndex(panel.model.index(2, 0))
    qtbot.keyClick(panel.view, Qt.Key.Key_Return)
    assert jumps == [(3, "due")]


def test_jump_selects_the_cell_in_the_editor(qtbot: QtBot, panel: ValidationPanel) -> None:
    editor = grid_editor(qtbot, small_course())
    panel.jump_requested.connect(editor.select_item)
    panel.set_findings(FINDINGS, editor.current_schedule())
    panel.view.activated.emit(panel.model.index(2, 0))  # the warning on item 3's due date
    assert editor.selected_ids() == [3]
    assert editor.view.currentIndex().column() == Column.DUE


def test_the_list_shows_only_when_there_is_something_to_list(panel: ValidationPanel) -> None:
    panel.show()
    panel.set_findings([])
    assert panel.summary.text() == "No problems found."
    assert not panel.view.isVisible()
    panel.set_findings(FINDINGS)
    assert panel.view.isVisible()
    panel.set_findings([])
    assert not panel.view.isVisible()


def test_one_click_selects_the_cell_in_the_editor(qtbot: QtBot, panel: ValidationPanel) -> None:
    editor = grid_editor(qtbot, small_course(), shown=True)
    panel.jump_requested.connect(editor.select_item)
    panel.set_findings(FINDINGS, editor.current_schedule())
    panel.show()
    rect = panel.view.visualRect(panel.model.index(2, 3))  # the warning on item 3's due
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert editor.selected_ids() == [3]
    assert editor.view.currentIndex().column() == Column.DUE
