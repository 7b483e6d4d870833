"""The app's side of issue 17: no password over plain http to another host, no course
link that is not https opened, no formula smuggled out through Copy rows.

Real widgets offscreen; the sandbox over loopback, or httpx.MockTransport for a server
that sends a hostile course link.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from scheduler_gui.api.client import LearningStudioClient
from scheduler_gui.ui.dialogs.login import LoginDialog
from scheduler_gui.ui.shell.main_window import MainWindow
from tests.ui.gui_session import (
    LOAD_TIMEOUT,
    UrlCatcher,
    catching_urls,
    fill_login,
    open_window,
    tidy,
)

pytestmark = pytest.mark.gui


# ------------------------------------------------------------------ login over http


@pytest.mark.parametrize("url", ["http://lms.campus.invalid", "http://10.20.30.40:8080/api"])
def test_the_login_dialog_refuses_a_password_over_plain_http_to_another_host(
    qtbot: QtBot, url: str
) -> None:
    dialog = LoginDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    fill_login(dialog, url, "Correct-Horse-9", client_string="campus", app_id="app")
    dialog.login_button.click()
    qtbot.waitUntil(lambda: dialog.error_box.isVisible() and dialog.job is None)
    message = dialog.error.text()
    assert "not encrypted" in message and "https://" in message
    assert "Correct-Horse-9" not in message
    assert dialog.password.text() == "Correct-Horse-9"  # nothing typed is lost


def test_the_login_dialog_still_logs_in_to_the_sandbox_over_loopback_http(
    qtbot: QtBot, sandbox: Any
) -> None:
    dialog = LoginDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    for field, value in (
        (dialog.base_url, sandbox.url),
        (dialog.client_string, "sandbox"),
        (dialog.application_id, "sandbox-app"),
        (dialog.username, "prof"),
        (dialog.password, "prof"),
    ):
        field.setText(value)
    with qtbot.waitSignal(dialog.logged_in, timeout=LOAD_TIMEOUT) as signal:
        dialog.login_button.click()
    signal.args[0].client.close()


# ------------------------------------------------------------------ course links


SCHEMES = ("file", "javascript", "smb", "http", "https")


@pytest.fixture
def desktop() -> Iterator[UrlCatcher]:
    with catching_urls(*SCHEMES) as catcher:
        yield catcher


def hostile_server(entry_url: str) -> LearningStudioClient:
    def answer(request: httpx.Request) -> httpx.Response:
        assert request.url.path.endswith("/courseEntry.json")
        return httpx.Response(200, json={"courseEntry": {"entryUrl": entry_url}})

    return LearningStudioClient(
        "https://lms.campus.invalid", None, transport=httpx.MockTransport(answer)
    )


@pytest.mark.parametrize(
    "entry_url", ["file:///etc/passwd", "javascript:alert(1)", "smb://evil.campus.invalid/s"]
)
def test_open_in_learningstudio_refuses_a_link_that_is_not_https(
    qtbot: QtBot, sandbox: Any, tmp_path: Path, desktop: UrlCatcher, entry_url: str
) -> None:
    window: MainWindow = open_window(qtbot, sandbox.url, tmp_path)
    real = window.client
    window.client = hostile_server(entry_url)
    try:
        window.named_actions["open_in_learningstudio"].trigger()
        qtbot.waitUntil(
            lambda: "only https:// links" in window.statusBar().currentMessage(),
            timeout=LOAD_TIMEOUT,
        )
        assert desktop.urls == []  # nothing was handed to the desktop
    finally:
        window.client.close()
        window.client = real
    tidy(qtbot, window)


# ------------------------------------------------------------------ Copy rows


@pytest.mark.parametrize(
    ("title", "pasted"),
    [
        ('=HYPERLINK("https://evil.campus.invalid","Quiz")', "'=HYPERLINK("),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd"),
        ("-2+3", "'-2+3"),
        ("@SUM(1,1)", "'@SUM(1,1)"),
        ("\t=1+1", "'"),
        ("\r=1+1", "'"),
    ],
)
def test_copy_rows_neutralises_cells_a_spreadsheet_would_run(
    qtbot: QtBot, sandbox: Any, tmp_path: Path, title: str, pasted: str
) -> None:
    store = sandbox.state.store
    row = store.one("SELECT item_id FROM items WHERE course_id = 123456 ORDER BY position")
    store.execute("UPDATE items SET title = ? WHERE item_id = ?", (title, row["item_id"]))
    window = open_window(qtbot, sandbox.url, tmp_path)
    editor = window.editor
    source = editor.model.index(editor.model.row_of(row["item_id"]) or 0, 0)
    editor.view.selectRow(editor.proxy.mapFromSource(source).row())
    assert editor.selected_ids() == [row["item_id"]]
    editor.copy_selection()
    lines = QGuiApplication.clipboard().text().splitlines()
    assert len(lines) == 2  # the header and one row: no tab or line break got through
    cells = lines[1].split("\t")
    assert len(cells) == 8 and cells[0].startswith(pasted)
    assert cells[1] == str(row["item_id"])
    tidy(qtbot, window)
