"""The ``window`` most main-window tests use (a module may define its own instead)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from scheduler_gui.ui.main_window import MainWindow
from tests.ui.gui_session import open_window, tidy


@pytest.fixture
def window(qtbot: QtBot, sandbox: Any, tmp_path: Path) -> Iterator[MainWindow]:
    """``gui_session.open_window`` (prof, DEMO-101, America/Denver), tidied afterwards."""
    win = open_window(qtbot, sandbox.url, tmp_path)
    yield win
    tidy(qtbot, win)
