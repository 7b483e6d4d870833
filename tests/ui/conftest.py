"""The ``window`` most main-window tests use and a ``client`` of the sandbox (a module may
define its own instead), and the demo course as the sandbox serves it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from scheduler_gui.api.client import LearningStudioClient
from scheduler_gui.core.model import Schedule

# The app loads the save dialogs in the background (after a course, or with the first
# edit) and opens the preview once they are in; tests that press Save and look at the
# preview at once have them loaded. test_main_window tests the background path.
from scheduler_gui.ui.save import flow as _save_flow  # noqa: F401
from scheduler_gui.ui.shell.main_window import MainWindow
from tests.conftest import running_sandbox
from tests.ui.gui_session import DEMO, open_window, sandbox_client


@pytest.fixture
def window(qtbot: QtBot, sandbox: Any, tmp_path: Path) -> Iterator[MainWindow]:
    """``gui_session.open_window`` (prof, DEMO-101, America/Denver); it is tidied before
    pytest-qt closes it (see ``open_window``)."""
    yield open_window(qtbot, sandbox.url, tmp_path)


@pytest.fixture
def client(sandbox: Any) -> Iterator[LearningStudioClient]:
    """A client of the sandbox, logged in as prof."""
    with sandbox_client(sandbox.url) as session:
        yield session


@pytest.fixture(scope="module")
def demo_schedule(_sandbox_holder: dict[str, Any]) -> Schedule:
    """The demo course (123456) as the sandbox seeds it, fetched once per module (reset
    first: an earlier test may have changed the course or prof's password)."""
    server = running_sandbox(_sandbox_holder)
    server.reset()
    with sandbox_client(server.url) as client:
        return client.get_schedule(DEMO)
