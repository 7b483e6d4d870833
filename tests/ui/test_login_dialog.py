"""The login dialog against the sandbox: errors inline, nothing typed is lost."""

from __future__ import annotations

from typing import Any

import keyring
import pytest
from PySide6.QtCore import QPoint, Qt

from scheduler_gui.store.settings import load_settings, settings_path
from scheduler_gui.ui.dialogs.login import LoginDialog, Session
from tests.store.test_stores import MemoryKeyring

pytestmark = pytest.mark.gui


@pytest.fixture
def dialog(qtbot: Any) -> LoginDialog:
    dialog = LoginDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def fill(dialog: LoginDialog, url: str, password: str) -> None:
    dialog.base_url.setText(url)
    dialog.client_string.setText("sandbox")
    dialog.application_id.setText("sandbox-app")
    dialog.username.setText("prof")
    dialog.password.setText(password)


def test_wrong_password_shows_a_message_and_keeps_every_field(
    qtbot: Any, dialog: LoginDialog, sandbox: Any
) -> None:
    fill(dialog, sandbox.url, "not-the-password")
    dialog.login_button.click()
    qtbot.waitUntil(lambda: dialog.error_box.isVisible() and dialog.job is None)
    assert "did not accept the login" in dialog.error.text()
    assert dialog.isVisible() and dialog.session is None
    assert dialog.base_url.text() == sandbox.url
    assert dialog.client_string.text() == "sandbox"
    assert dialog.application_id.text() == "sandbox-app"
    assert dialog.username.text() == "prof"
    assert dialog.password.text() == "not-the-password"
    assert dialog.login_button.isEnabled()


def test_unreachable_server_is_explained(qtbot: Any, dialog: LoginDialog) -> None:
    fill(dialog, "http://127.0.0.1:9", "prof")  # the discard port: connection refused
    dialog.login_button.click()
    qtbot.waitUntil(lambda: dialog.error_box.isVisible() and dialog.job is None, timeout=30000)
    assert dialog.error.text()
    assert "Traceback" not in dialog.error.text()
    assert dialog.password.text() == "prof"


def test_empty_fields_are_named(dialog: LoginDialog) -> None:
    dialog.client_string.clear()
    dialog.username.setText("prof")
    dialog.login_button.click()
    assert dialog.error_box.isVisible()
    assert "client string" in dialog.error.text() and "password" in dialog.error.text()
    assert dialog.job is None


def test_right_password_logs_in_and_remembers_the_connection(
    qtbot: Any, dialog: LoginDialog, sandbox: Any
) -> None:
    fill(dialog, sandbox.url, "prof")
    with qtbot.waitSignal(dialog.logged_in, timeout=20000) as blocker:
        dialog.login_button.click()
    session = blocker.args[0]
    assert isinstance(session, Session)
    assert session.client.get_schedule("123456").course_id == "123456"
    session.client.close()
    assert not dialog.isVisible()
    saved = load_settings()
    assert (saved.base_url, saved.client_string, saved.username) == (sandbox.url, "sandbox", "prof")
    assert saved.application_id == "sandbox-app"


def box(dialog: LoginDialog) -> QPoint:
    """Where the check box's square is (its middle may be past its text)."""
    return QPoint(8, dialog.remember.height() // 2)


def test_without_a_keyring_remember_me_is_disabled_with_the_reason(
    qtbot: Any, sandbox: Any
) -> None:
    settings = load_settings()
    settings.remember_password = True  # ticked last time, on a machine that had a keyring
    dialog = LoginDialog(settings=settings)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.keyring_checked):  # asked once the dialog is on screen
        dialog.show()
    assert not dialog.remember.isEnabled() and not dialog.remember.isChecked()
    assert dialog.keyring_note.isVisible()  # said before logging in, not after
    assert "cannot be remembered" in dialog.keyring_note.text()
    assert dialog.remember.toolTip() == dialog.keyring_note.text()
    # Whole: the dialog grew for the note (it was cut off under the buttons).
    note = dialog.keyring_note
    qtbot.waitUntil(lambda: note.height() >= note.heightForWidth(note.width()))
    bottom = note.mapTo(dialog, note.rect().bottomLeft()).y()
    assert bottom < dialog.login_button.mapTo(dialog, dialog.login_button.rect().topLeft()).y()
    qtbot.mouseClick(dialog.remember, Qt.MouseButton.LeftButton, pos=box(dialog))
    assert not dialog.remember.isChecked()  # a click does nothing
    fill(dialog, sandbox.url, "not-the-password")  # an error under it: the note stays whole
    dialog.login_button.click()
    qtbot.waitUntil(lambda: dialog.error_box.isVisible() and dialog.job is None)
    qtbot.waitUntil(lambda: note.height() >= note.heightForWidth(note.width()))
    fill(dialog, sandbox.url, "prof")
    with qtbot.waitSignal(dialog.logged_in, timeout=20000) as blocker:
        dialog.login_button.click()
    assert not dialog.remember.isEnabled()  # not re-enabled after the busy state
    session = blocker.args[0]
    session.client.close()
    assert session.notice == ""  # nothing was promised, so nothing to take back


def test_with_a_keyring_remember_me_is_offered(qtbot: Any) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    try:
        dialog = LoginDialog()
        qtbot.addWidget(dialog)
        with qtbot.waitSignal(dialog.keyring_checked):
            dialog.show()
        assert dialog.remember.isEnabled() and not dialog.keyring_note.isVisible()
        assert dialog.remember.isChecked()  # the default
        qtbot.mouseClick(dialog.remember, Qt.MouseButton.LeftButton, pos=box(dialog))
        assert not dialog.remember.isChecked()
    finally:
        keyring.set_keyring(previous)


def test_a_new_dialog_keeps_the_last_connection_but_not_the_password(
    qtbot: Any, dialog: LoginDialog, sandbox: Any
) -> None:
    fill(dialog, sandbox.url, "prof")
    with qtbot.waitSignal(dialog.logged_in, timeout=20000) as blocker:
        dialog.login_button.click()
    blocker.args[0].client.close()
    again = LoginDialog()
    qtbot.addWidget(again)
    assert again.base_url.text() == sandbox.url
    assert again.username.text() == "prof"
    assert again.password.text() == ""  # no keyring here: typed again
    stored = settings_path().read_text(encoding="utf-8")
    assert '"password"' not in stored and ': "prof"' in stored  # the user name only
