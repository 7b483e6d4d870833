"""Quitting with unsaved edits: the question defaults to Cancel, never to a direct save.

A quit typed by mistake (Ctrl+Q, then Enter out of habit) must neither lose the edits nor
send them; "Review and save…" goes through the save preview like File → Save.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from scheduler_gui.ui.save.dialog import SaveDialog
from scheduler_gui.ui.shell.main_window import MainWindow
from tests.ui.gui_session import (
    activate,
    first_explicit,
    one_day_later,
    open_window,
    server_schedule,
    visible_dialogs,
)

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot: QtBot, sandbox: Any, tmp_path: Path) -> MainWindow:
    """The demo course with one unsaved edit, in the active window."""
    win = open_window(qtbot, sandbox.url, tmp_path)
    quiz = first_explicit(win.editor.current_schedule(), "Quiz 1")
    win.editor.apply_items([one_day_later(quiz)], "mine")
    return activate(qtbot, win)


def sent_nothing(window: MainWindow, sandbox: Any) -> bool:
    loaded = first_explicit(window.editor.base_schedule(), "Quiz 1")  # as loaded
    return first_explicit(server_schedule(sandbox.url), "Quiz 1").end == loaded.end


def quit_by_keyboard(qtbot: QtBot, window: MainWindow) -> QMessageBox:
    QTest.keySequence(window, "Ctrl+Q")
    box = window.close_prompt
    assert box is not None and box.isVisible()
    return box


def test_enter_on_the_quit_question_cancels_and_keeps_the_edits(
    qtbot: QtBot, window: MainWindow, sandbox: Any
) -> None:
    box = quit_by_keyboard(qtbot, window)
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.Cancel)
    assert box.button(QMessageBox.StandardButton.Save).text() == "Review and save…"
    QTest.keyClick(box, Qt.Key.Key_Return)
    assert window.close_prompt is None
    assert window.isVisible() and window.has_unsaved_changes()
    assert window.save_flow is None and not visible_dialogs(SaveDialog)
    assert sent_nothing(window, sandbox)

    box = quit_by_keyboard(qtbot, window)
    QTest.keyClick(box, Qt.Key.Key_Escape)
    assert window.isVisible() and window.has_unsaved_changes()


def test_review_and_save_shows_the_save_preview_first(
    qtbot: QtBot, window: MainWindow, sandbox: Any
) -> None:
    box = quit_by_keyboard(qtbot, window)
    QTest.mouseClick(box.button(QMessageBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert window.save_flow is not None and window.save_flow.dialog is not None
    preview = window.save_flow.dialog
    assert preview.isVisible() and preview.model.rowCount() == 1
    preview.reject()  # changed my mind: still open, still edited, nothing sent
    qtbot.waitUntil(lambda: window.save_flow is None)
    assert window.isVisible() and window.has_unsaved_changes()
    assert sent_nothing(window, sandbox)
