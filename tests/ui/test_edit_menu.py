"""Every action of the grid's context menu is in the Edit menu too (the README: "every
action is in the menus"), and works from there on what is selected."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from scheduler_gui.ui.grid.columns import Column
from scheduler_gui.ui.shell.main_window import MainWindow
from tests.ui.gui_session import open_window

pytestmark = pytest.mark.gui

QUIZ_1 = 987600006  # due Sun 2011-01-16 23:59 in the demo course


def menu_actions(window: MainWindow) -> dict[str, QAction]:
    """Menu title → its visible actions, by text without '&' and the shortcut part."""
    found: dict[str, QAction] = {}
    for top in window.menuBar().actions():
        menu = top.menu()
        assert isinstance(menu, QMenu)
        for action in menu.actions():
            if action.isVisible() and not action.isSeparator():
                found[action.text().replace("&", "").split("\t")[0]] = action
    return found


@pytest.fixture
def window(qtbot: QtBot, sandbox: Any, tmp_path: Path) -> MainWindow:
    return open_window(qtbot, sandbox.url, tmp_path)


def test_every_grid_action_is_in_a_menu(window: MainWindow) -> None:
    in_menus = set(menu_actions(window).values())
    missing = [
        action.text() for action in window.editor.edit_actions.values() if action not in in_menus
    ]
    assert not missing, f"only in the grid's context menu: {missing}"


def test_clear_due_from_the_edit_menu_clears_the_selected_rows_due(window: MainWindow) -> None:
    window.editor.select_item(QUIZ_1)  # its title: a whole-row choice, not the Due cell
    action = menu_actions(window)["Clear due date"]
    assert action.isEnabled()
    action.trigger()
    assert window.editor.current_schedule().by_id[QUIZ_1].due is None
    assert window.undo_stack.count() == 1
    window.undo_stack.undo()
    assert window.editor.current_schedule().by_id[QUIZ_1].due is not None


def test_delete_on_a_start_cell_still_clears_nothing(qtbot: QtBot, window: MainWindow) -> None:
    from PySide6.QtCore import Qt

    window.editor.select_item(QUIZ_1, "start")
    assert window.editor.view.currentIndex().column() == Column.START
    qtbot.keyClick(window.editor.view, Qt.Key.Key_Delete)
    assert window.undo_stack.count() == 0  # Del clears due dates only on Due cells


def test_grid_actions_in_the_menus_wait_for_a_selection(window: MainWindow) -> None:
    window.editor.view.clearSelection()
    actions = menu_actions(window)
    for name in ("Clear due date", "Select children", "Copy"):
        assert not actions[name].isEnabled(), name
    window.editor.select_item(QUIZ_1)
    for name in ("Clear due date", "Select children", "Copy"):
        assert actions[name].isEnabled(), name
