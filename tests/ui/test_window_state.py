"""The window remembers its layout: geometry, docks, column widths, course and time zone.

Each test closes one window and opens a second on the same settings file (QSettings in
a temp dir), as a user quitting and starting the app again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from scheduler_gui.ui.grid.columns import Column
from scheduler_gui.ui.shell.main_window import MainWindow
from tests.ui.gui_session import LOAD_TIMEOUT, open_window, sandbox_client, tidy

pytestmark = pytest.mark.gui


def settings_file(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "gui.ini"), QSettings.Format.IniFormat)


def restart(qtbot: QtBot, sandbox: Any, tmp_path: Path, first: MainWindow) -> MainWindow:
    """Close ``first`` (saving its state) and open a new window on the same settings."""
    assert first.close()
    tidy(qtbot, first)
    return open_window(qtbot, sandbox.url, tmp_path)


def test_geometry_docks_and_column_widths_survive_a_restart(
    qtbot: QtBot, sandbox: Any, tmp_path: Path
) -> None:
    first = open_window(qtbot, sandbox.url, tmp_path)
    first.resize(790, 560)  # the offscreen screen is 800 x 600
    first.removeDockWidget(first.validation_dock)
    first.addDockWidget(Qt.DockWidgetArea.TopDockWidgetArea, first.validation_dock)
    first.validation_dock.show()
    first.toolbar.hide()
    header = first.editor.view.horizontalHeader()
    header.resizeSection(Column.START, 222)  # (the title column takes the rest)
    header.resizeSection(Column.DUE, 155)
    size = first.size()  # as laid out (the docks may ask for a few more pixels)

    again = restart(qtbot, sandbox, tmp_path, first)
    assert again.size() == size
    assert again.dockWidgetArea(again.validation_dock) == Qt.DockWidgetArea.TopDockWidgetArea
    assert again.toolbar.isHidden()
    header = again.editor.view.horizontalHeader()
    assert header.sectionSize(Column.START) == 222
    assert header.sectionSize(Column.DUE) == 155
    tidy(qtbot, again)


def test_a_dock_added_by_an_extension_is_restored_too(
    qtbot: QtBot, sandbox: Any, tmp_path: Path
) -> None:
    first = open_window(qtbot, sandbox.url, tmp_path)
    first.named_actions["activity"].trigger()  # the Activity dock (activity_dock.install)
    assert first.named_actions["activity"].isChecked()
    again = restart(qtbot, sandbox, tmp_path, first)
    assert again.named_actions["activity"].isChecked()
    tidy(qtbot, again)


def test_hidden_docks_stay_hidden(qtbot: QtBot, sandbox: Any, tmp_path: Path) -> None:
    first = open_window(qtbot, sandbox.url, tmp_path)
    first.validation_dock.hide()
    again = restart(qtbot, sandbox, tmp_path, first)
    assert again.validation_dock.isHidden()
    assert not again.named_actions["activity"].isChecked()
    tidy(qtbot, again)


def test_last_course_and_its_time_zone_are_remembered(
    qtbot: QtBot, sandbox: Any, tmp_path: Path
) -> None:
    first = open_window(qtbot, sandbox.url, tmp_path)
    assert first.set_time_zone("Europe/Berlin")
    assert first.close()
    tidy(qtbot, first)

    settings = settings_file(tmp_path)
    assert settings.value("last_course") == "123456"
    again = MainWindow(settings)
    qtbot.addWidget(again)
    assert again.tz_combo.currentText() == "Europe/Berlin"  # before any course loads
    again.set_client(sandbox_client(sandbox.url))
    with qtbot.waitSignal(again.course_loaded, timeout=LOAD_TIMEOUT):
        again.open_course(str(settings.value("last_course")), time_zone="America/Denver")
    # The course's own remembered zone wins over the default handed to open_course.
    assert again.time_zone.key == "Europe/Berlin"
    assert again.editor.current_schedule().course_id == "123456"
    tidy(qtbot, again)


def test_a_first_start_has_sensible_defaults(qtbot: QtBot, tmp_path: Path) -> None:
    window = MainWindow(settings_file(tmp_path))
    qtbot.addWidget(window)
    window.show()
    assert window.width() >= 700
    assert not window.validation_dock.isHidden()
    # The activity feature is installed once the window has painted (start-up time).
    qtbot.waitUntil(lambda: "activity" in window.named_actions)
    assert not window.named_actions["activity"].isChecked()
    assert QApplication.instance() is not None
