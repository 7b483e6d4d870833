"""The ``window`` most main-window tests use (a module may define its own instead)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from scheduler_gui.ui.shell.main_window import MainWindow
from tests.ui.gui_session import open_window


@pytest.fixture
def window(qtbot: QtBot, sandbox: Any, tmp_path: Path) -> Iterator[MainWindow]:
    """``gui_session.open_window`` (prof, DEMO-101, America/Denver); it is tidied before
    pytest-qt closes it (see ``open_window``)."""
    yield open_window(qtbot, sandbox.url, tmp_path)
