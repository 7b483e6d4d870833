"""Focus is where work is: in the grid after a load, never parked in the time zone box.

Driven with real keys and wheel events on an active window, as a user has it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QPoint, QPointF, QSettings, Qt
from PySide6.QtGui import QAction, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QApplication, QMenu, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from scheduler_gui.session.course_zones import CourseZones
from scheduler_gui.ui.grid.columns import Column
from scheduler_gui.ui.shell.main_window import MainWindow
from tests.ui.gui_session import LOAD_TIMEOUT, activate, open_window

pytestmark = pytest.mark.gui
#: Popups (a combo's list, a completer) on the offscreen platform: harmless notices.
OFFSCREEN_POPUP = pytest.mark.qt_log_ignore(
    "This plugin does not support raise", "This plugin does not support grabbing"
)


@pytest.fixture
def window(qtbot: QtBot, sandbox: Any, tmp_path: Path) -> MainWindow:
    """The demo course loaded in an active window (keys go where a user's would)."""
    return activate(qtbot, open_window(qtbot, sandbox.url, tmp_path))


def focused() -> QWidget | None:
    return QApplication.focusWidget()


def test_a_new_window_puts_the_focus_in_the_grid(qtbot: QtBot, tmp_path: Path) -> None:
    window = MainWindow(QSettings(str(tmp_path / "gui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    activate(qtbot, window)
    assert focused() is window.editor.view


def test_after_loading_just_typing_edits_the_current_cell(qtbot: QtBot, window: MainWindow) -> None:
    view = window.editor.view
    assert focused() is view
    current = view.currentIndex()
    assert current.isValid() and current.column() == Column.START
    assert not window.editor.selected_ids()  # current, not chosen: Shift dates takes all
    QTest.keyClicks(focused(), "2")
    assert view.state() == QAbstractItemView.State.EditingState
    QTest.keyClick(focused(), Qt.Key.Key_Escape)
    assert not window.has_unsaved_changes()


def test_tab_from_the_filters_follows_the_bar_then_the_grid_and_skips_the_zone_box(
    qtbot: QtBot, window: MainWindow
) -> None:
    editor = window.editor
    editor.filter_edit.setFocus()
    visited: list[QWidget | None] = []
    for _ in range(40):
        QTest.keyClick(focused(), Qt.Key.Key_Tab)
        if focused() is editor.filter_edit:
            break
        visited.append(focused())
    bar = [editor.kind_combo, editor.changed_button, editor.problems_button,
           editor.inherited_button, editor.view]  # fmt: skip
    assert visited[: len(bar)] == bar
    assert window.tz_combo not in visited


def wheel(widget: QWidget, steps: int) -> None:
    """Turn the mouse wheel over ``widget`` (positive: away from the user)."""
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(
        centre, QPointF(widget.mapToGlobal(centre.toPoint())), QPoint(), QPoint(0, 120 * steps),
        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase,
        False,
    )  # fmt: skip
    QApplication.sendEvent(widget, event)


@OFFSCREEN_POPUP
def test_the_wheel_and_arrow_keys_never_change_the_time_zone(
    qtbot: QtBot, window: MainWindow
) -> None:
    box = window.tz_combo
    before = window.time_zone.key
    wheel(box, -3)  # the mouse passing over the toolbar, wheel turning
    assert box.currentText() == before and window.time_zone.key == before
    QTest.mouseClick(box.lineEdit(), Qt.MouseButton.LeftButton)
    assert box.hasFocus()
    wheel(box, 2)
    QTest.keyClick(focused(), Qt.Key.Key_Down)  # opens the list, does not step
    assert box.view().isVisible()
    box.hidePopup()
    assert box.currentText() == before and window.time_zone.key == before


@OFFSCREEN_POPUP
def test_changing_the_course_zone_asks_once_and_cancel_keeps_it(
    qtbot: QtBot, window: MainWindow
) -> None:
    QTest.keySequence(window, "Ctrl+T")  # Course → Time zone…
    box = window.tz_combo
    assert focused() is box
    QTest.keyClicks(focused(), "America/Detroit")
    box.completer().popup().hide()
    QTest.keyClick(focused(), Qt.Key.Key_Return)
    question = box.question
    assert question is not None and question.isVisible()
    assert "Show and type times in America/Detroit for this course?" in question.text()
    assert question.defaultButton() is question.button(QMessageBox.StandardButton.Cancel)
    window.editor.view.setFocus()  # focus leaving the box does not ask again
    assert box.question is question
    QTest.keyClick(question, Qt.Key.Key_Escape)
    assert box.question is None
    assert window.time_zone.key == "America/Denver"
    assert box.currentText() == "America/Denver"

    box.start_typing()
    QTest.keyClicks(focused(), "America/Detroit")
    box.completer().popup().hide()
    QTest.keyClick(focused(), Qt.Key.Key_Return)
    question = box.question
    assert question is not None
    use = next(b for b in question.buttons() if b.text() == "Use America/Detroit")
    QTest.mouseClick(use, Qt.MouseButton.LeftButton)
    assert window.time_zone.key == "America/Detroit"
    assert window.editor.time_zone().key == "America/Detroit"
    assert CourseZones().get("123456") == ZoneInfo("America/Detroit")
    window.editor.view.setFocus()
    assert box.question is None  # asked once


def menu_actions(menu: QMenu) -> Iterator[QAction]:
    for action in menu.actions():
        sub = action.menu()
        if isinstance(sub, QMenu):
            yield from menu_actions(sub)
        elif action.isVisible() and not action.isSeparator():
            yield action


def test_every_toolbar_and_window_action_is_in_a_menu(window: MainWindow) -> None:
    in_menus = {a for m in window.menus.values() for a in menu_actions(m)}
    toolbar = [a for a in window.toolbar.actions() if a.text() and a.isVisible()]
    missing = [a.text() for a in [*toolbar, *window.named_actions.values()]
               if a not in in_menus and a.text()]  # fmt: skip
    assert missing == []


def test_reload_puts_the_focus_back_in_the_grid(qtbot: QtBot, window: MainWindow) -> None:
    window.editor.filter_edit.setFocus()
    with qtbot.waitSignal(window.course_loaded, timeout=LOAD_TIMEOUT):
        window.named_actions["reload"].trigger()
    assert focused() is window.editor.view
