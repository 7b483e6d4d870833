"""Keyboard shortcuts: every common action has one, none is taken twice, and they work."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from scheduler_gui.ui.dialogs.documentation import DocumentationDialog
from scheduler_gui.ui.shell.main_window import MainWindow
from tests.ui.gui_session import activate, open_window, visible_dialogs

pytestmark = pytest.mark.gui

STD = QKeySequence.StandardKey
#: The README's "Keyboard shortcuts" table lists these (action key → what it does).
COMMON = {
    "open": "Open course",
    "reload": "Reload from the server",
    "save": "Save (with preview)",
    "undo": "Undo",
    "redo": "Redo",
    "find": "Find (filter by title or id)",
    "shift": "Shift dates",
    "import": "Import from Excel",
    "export": "Export to Excel",
    "set_column": "Set a column for the selected items",
    "open_in_learningstudio": "Open the course in LearningStudio",
    "preview_item": "Preview the selected item",
    "docs": "Documentation",
    "quit": "Quit",
}
#: Where Qt has a standard key for the action, we use it (it differs per platform).
STANDARD = {
    "open": STD.Open,
    "reload": STD.Refresh,
    "save": STD.Save,
    "undo": STD.Undo,
    "redo": STD.Redo,
    "find": STD.Find,
    "docs": STD.HelpContents,
}


@pytest.fixture
def bare_window(qtbot: QtBot, tmp_path: Path) -> MainWindow:
    window = MainWindow(QSettings(str(tmp_path / "gui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.features.install_deferred()  # never shown: as it would after its first paint
    return window


@pytest.fixture
def window(qtbot: QtBot, sandbox: Any, tmp_path: Path) -> MainWindow:
    return activate(qtbot, open_window(qtbot, sandbox.url, tmp_path))


def bindings(window: MainWindow) -> dict[str, list[str]]:
    """Every key sequence bound in the window → the names of what it triggers."""
    bound: dict[str, list[str]] = defaultdict(list)
    for action in window.findChildren(QAction):
        for key in dict.fromkeys(s.toString() for s in action.shortcuts() if not s.isEmpty()):
            bound[key].append(action.text().replace("&", ""))
    for shortcut in window.findChildren(QShortcut):
        for sequence in shortcut.keys():  # noqa: SIM118  (QShortcut.keys(), not a dict)
            bound[sequence.toString()].append(f"QShortcut {shortcut.objectName()}")
    return bound


def test_every_common_action_has_a_shortcut(bare_window: MainWindow) -> None:
    missing = [key for key in COMMON if bare_window.named_actions[key].shortcut().isEmpty()]
    assert not missing


def test_standard_keys_are_used_where_qt_has_one(bare_window: MainWindow) -> None:
    for key, standard in STANDARD.items():
        wanted = {s.toString() for s in QKeySequence.keyBindings(standard)}
        have = {s.toString() for s in bare_window.named_actions[key].shortcuts()}
        assert wanted <= have, key


def test_no_key_triggers_two_actions(bare_window: MainWindow) -> None:
    clashes = {key: names for key, names in bindings(bare_window).items() if len(names) > 1}
    assert not clashes


def test_no_action_lists_the_same_key_twice(bare_window: MainWindow) -> None:
    # Qt treats a repeated key of one action as ambiguous: the key then does nothing.
    for action in bare_window.findChildren(QAction):
        keys = [s.toString() for s in action.shortcuts()]
        assert len(keys) == len(set(keys)), (action.text(), keys)


def test_tooltips_name_the_shortcut(bare_window: MainWindow) -> None:
    for key in ("save", "reload", "find", "shift", "import", "export"):
        action = bare_window.named_actions[key]
        assert action.shortcut().toString(QKeySequence.SequenceFormat.NativeText) in (
            action.toolTip()
        ), key


def test_f1_opens_the_documentation(qtbot: QtBot, window: MainWindow) -> None:
    QTest.keyClick(window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: bool(visible_dialogs(DocumentationDialog)))
    visible_dialogs(DocumentationDialog)[0].close()


def test_find_undo_and_redo_work_from_the_keyboard(qtbot: QtBot, window: MainWindow) -> None:
    QTest.keySequence(window, QKeySequence(STD.Find))
    assert window.editor.filter_edit.hasFocus()

    editor = window.editor
    item = next(i for i in editor.current_schedule().items if i.end and not i.is_inherited)
    assert item.end is not None
    later = item.with_dates(end=item.end + timedelta(days=1))
    editor.apply_items([later], "Move one end date")
    assert editor.current_schedule().by_id[item.item_id].end == later.end

    QTest.keySequence(window, QKeySequence(STD.Undo))
    assert editor.current_schedule().by_id[item.item_id].end == item.end
    redo_keys = window.named_actions["redo"].shortcuts()
    typed = [k for k in redo_keys if k[0].key() != Qt.Key.Key_Redo]  # type: ignore[index]
    assert "Ctrl+Y" in [k.toString() for k in typed]
    for redo in typed:  # each of them works (a dedicated Redo key cannot be typed in tests)
        QTest.keySequence(window, redo)
        assert editor.current_schedule().by_id[item.item_id].end == later.end
        QTest.keySequence(window, QKeySequence(STD.Undo))
