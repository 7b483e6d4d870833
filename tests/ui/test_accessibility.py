"""Every control has a name a screen reader can say: the window, its docks, each dialog.

Each surface is opened as a user opens it (menu actions on a loaded course) and every
shown, enabled control in it is checked with :func:`unnamed_controls`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot

from scheduler_gui.ui.dialogs.login import LoginDialog
from scheduler_gui.ui.save.conflict_dialog import ConflictDialog
from scheduler_gui.ui.shell.main_window import MainWindow
from tests.ui.accessible_names import unnamed_controls
from tests.ui.gui_session import LOAD_TIMEOUT, features, first_explicit, one_day_later

pytestmark = pytest.mark.gui


def test_every_control_of_the_window_and_its_docks_has_a_name(
    qtbot: QtBot, window: MainWindow
) -> None:
    _ = features(window)  # installed after the first paint otherwise
    window.named_actions["activity"].trigger()
    activity = features(window).dock
    qtbot.waitUntil(lambda: activity.isVisible())
    quiz = first_explicit(window.editor.current_schedule(), "Quiz 1")
    window.editor.select_item(quiz.item_id)
    assert unnamed_controls(window) == ""
    window.named_actions["show_timeline"].trigger()
    assert unnamed_controls(window) == ""


def shown_dialog(kind: type[QWidget] = QDialog) -> QWidget | None:
    shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
    return shown[-1] if shown else None


def check_dialog_opened_by(qtbot: QtBot, open_it: Callable[[], Any]) -> str:
    """Open a dialog (modal or not), list its unnamed controls, and close it."""
    found: list[str] = []

    def inspect() -> None:
        dialog = shown_dialog()
        if dialog is None:
            QTimer.singleShot(20, inspect)
            return
        found.append(unnamed_controls(dialog))
        dialog.close()

    QTimer.singleShot(0, inspect)
    open_it()  # returns once a modal dialog's own loop ends
    qtbot.waitUntil(lambda: bool(found), timeout=LOAD_TIMEOUT)
    return found[0]


@pytest.mark.parametrize(
    "action",
    ["open", "set_column", "shift", "copy_dates", "term_rollover", "show_log", "docs", "about"],
)
def test_every_control_of_each_dialog_has_a_name(
    qtbot: QtBot, window: MainWindow, action: str
) -> None:
    quiz = first_explicit(window.editor.current_schedule(), "Quiz 1")
    window.editor.select_item(quiz.item_id, "end")
    assert check_dialog_opened_by(qtbot, window.named_actions[action].trigger) == ""


def test_every_control_of_the_save_preview_has_a_name(qtbot: QtBot, window: MainWindow) -> None:
    quiz = first_explicit(window.editor.current_schedule(), "Quiz 1")
    window.editor.apply_items([one_day_later(quiz)], "one day later")
    assert check_dialog_opened_by(qtbot, window.named_actions["save"].trigger) == ""


def test_every_control_of_the_item_preview_has_a_name(qtbot: QtBot, window: MainWindow) -> None:
    panel = features(window).preview
    with qtbot.waitSignal(panel.shown, timeout=LOAD_TIMEOUT):
        quiz = first_explicit(window.editor.current_schedule(), "Quiz 1")
        window.editor.select_item(quiz.item_id)
        window.named_actions["preview_item"].trigger()
    assert unnamed_controls(panel) == ""
    panel.close()


def test_every_control_of_the_login_and_conflict_dialogs_has_a_name(
    qtbot: QtBot, window: MainWindow
) -> None:
    login = LoginDialog()
    qtbot.addWidget(login)
    login.show()
    assert unnamed_controls(login) == ""
    base = window.editor.base_schedule()
    quiz = first_explicit(base, "Quiz 1")
    mine = base.with_items([one_day_later(quiz)])
    theirs = base.with_items([one_day_later(one_day_later(quiz))])
    conflict = ConflictDialog(base, mine, theirs, window.time_zone, window)
    qtbot.addWidget(conflict)
    conflict.show()
    assert unnamed_controls(conflict) == ""
