"""Shared set-up for the main-window tests: a window logged in to the sandbox."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QSettings, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from scheduler_gui.core.model import ItemSchedule, Schedule
from scheduler_gui.ui.dialogs.login import LoginDialog, LoginForm, connect
from scheduler_gui.ui.features.activity import ActivityFeatures
from scheduler_gui.ui.shell.main_window import MainWindow
from scheduler_gui.ui.widgets.workers import running_jobs
from tests.helpers import sandbox_client

DEMO = "123456"
ZONE = "America/Denver"
LOAD_TIMEOUT = 60_000


def fill_login(
    dialog: LoginDialog,
    url: str,
    password: str,
    *,
    client_string: str = "sandbox",
    app_id: str = "sandbox-app",
) -> None:
    """Type prof's login for the server at ``url`` into the login dialog."""
    dialog.base_url.setText(url)
    dialog.client_string.setText(client_string)
    dialog.application_id.setText(app_id)
    dialog.username.setText("prof")
    dialog.password.setText(password)


def open_window(qtbot: QtBot, url: str, tmp_path: Path, course: str = DEMO) -> MainWindow:
    """A shown main window with ``course`` loaded from the sandbox at ``url``."""
    settings = QSettings(str(tmp_path / "gui.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings)
    # Tidied before pytest-qt closes and deletes it (that happens before fixture teardown):
    # a job still running when the window is deleted would deliver to a dead window.
    qtbot.addWidget(window, before_close_func=lambda w: tidy(qtbot, w))
    form = LoginForm(url, "sandbox", "sandbox-app", "prof", "prof", remember=False)
    session = connect(form)  # the login dialog's own code path (logging hook included)
    window.set_client(session.client, session.label)
    window.show()
    with qtbot.waitSignal(window.course_loaded, timeout=LOAD_TIMEOUT):
        window.open_course(course, time_zone=ZONE)
    return window


def activate(qtbot: QtBot, window: Any) -> Any:
    """``window``, made the active window (keys go where a user's would)."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    return window


class UrlCatcher(QObject):
    """Stands in for the programs the desktop would hand a URL to (the browser...):
    Qt hands it the URLs ``QDesktopServices.openUrl()`` is asked to open."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url.toString(QUrl.ComponentFormattingOption.FullyEncoded))


@contextmanager
def catching_urls(*schemes: str) -> Iterator[UrlCatcher]:
    """The URLs of ``schemes`` opened inside the block, caught instead of opened."""
    catcher = UrlCatcher()
    for scheme in schemes:
        QDesktopServices.setUrlHandler(scheme, catcher, "open")
    try:
        yield catcher
    finally:
        for scheme in schemes:
            QDesktopServices.unsetUrlHandler(scheme)


@contextmanager
def prof_window(qtbot: QtBot, url: str, tmp_path: Path) -> Iterator[MainWindow]:
    """The main window with a plain client (no login dialog), logged in as prof with
    DEMO-101 loaded; after: background jobs waited for, window closed, client closed."""
    window = MainWindow(QSettings(str(tmp_path / "gui.ini"), QSettings.Format.IniFormat))
    # pytest-qt closes and deletes the window before fixture teardown: jobs must end first.
    qtbot.addWidget(window, before_close_func=lambda _w: wait_for_jobs(qtbot))
    client = sandbox_client(url)
    window.set_client(client, "prof")
    window.show()
    with qtbot.waitSignal(window.course_loaded, timeout=LOAD_TIMEOUT):
        window.open_course(DEMO)
    yield window
    wait_for_jobs(qtbot)
    if shiboken6.isValid(window):  # pytest-qt may have closed and deleted it already
        window.close()
    client.close()


def features(window: MainWindow) -> ActivityFeatures:
    return window.features.activity


def wait_for_jobs(qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: running_jobs() == 0, timeout=LOAD_TIMEOUT)


def tidy(qtbot: QtBot, window: MainWindow) -> None:
    """Teardown: let background jobs end, drop edits so closing does not ask, close.

    ``open_window`` also runs it just before pytest-qt closes and deletes the window; a
    later call (a fixture's teardown) then finds the window gone and has nothing to do.
    """
    wait_for_jobs(qtbot)
    if not shiboken6.isValid(window):
        return
    for widget in QApplication.topLevelWidgets():
        if widget is not window and widget.isVisible():
            widget.close()
    if window.has_course():
        window.undo_stack.clear()
        window.editor.set_schedule(window.editor.base_schedule(), window.time_zone)
    window.client.close()


def first_explicit(schedule: Schedule, title: str) -> ItemSchedule:
    return next(i for i in schedule.items if i.title == title and not i.is_inherited)


def one_day_later(item: ItemSchedule, field: str = "end") -> ItemSchedule:
    value = getattr(item, field)
    assert value is not None
    return item.with_dates(**{field: value + timedelta(days=1)})


def server_schedule(url: str, course: str = DEMO) -> Schedule:
    with sandbox_client(url) as client:
        return client.get_schedule(course)


def visible_dialogs(kind: type[Any]) -> list[Any]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
