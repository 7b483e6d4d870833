"""Passwords and tokens live only in memory and the keyring: a whole GUI session, then grep.

The session: a failed and a successful login through the login dialog (remember my
password on, a working keyring), the main window with the app's real settings file,
a token that expires mid-session, an edit autosaved as a draft, a save (backup + PUT +
verify), Help → Show log, then ``schedctl -v`` reusing the remembered password and
failing on purpose. Every file under the user's config/data/state/cache folders, every
message shown and every line printed is then searched for the password and for every
token the server handed out. (``tests/cli/test_schedctl.py`` does the same for the CLI.)
"""

from __future__ import annotations

import dataclasses
import io
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
from pytestqt.qtbot import QtBot

from scheduler_gui.api.auth import OAuth2PasswordAuth
from scheduler_gui.api.client import LearningStudioClient
from scheduler_gui.api.errors import AuthenticationError
from scheduler_gui.app import app_settings
from scheduler_gui.cli import main
from scheduler_gui.store.logs import close_logging, setup_logging
from scheduler_gui.store.settings import Settings, load_settings
from scheduler_gui.ui.dialogs.log_viewer import LogViewer
from scheduler_gui.ui.dialogs.login import LoginDialog, Session
from scheduler_gui.ui.shell.main_window import MainWindow
from tests.helpers import MemoryKeyring
from tests.ui.gui_session import (
    LOAD_TIMEOUT,
    fill_login,
    first_explicit,
    one_day_later,
    tidy,
    visible_dialogs,
)

PASSWORD = "Gui-S3cret-pass!7731"  # set on the sandbox's prof for this test
WRONG = "Wr0ng-guess-pass!0042"


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def log_in(qtbot: QtBot, url: str, password: str) -> LoginDialog:
    dialog = LoginDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    fill_login(dialog, url, password)
    dialog.remember.setChecked(True)
    dialog.login_button.click()
    qtbot.waitUntil(lambda: dialog.job is None, timeout=LOAD_TIMEOUT)
    return dialog


def gui_session(qtbot: QtBot, sandbox: Any, shown: list[str]) -> None:
    """Everything a user does in the app that could leak a secret somewhere."""
    refused = log_in(qtbot, sandbox.url, WRONG)
    assert refused.session is None and "did not accept the login" in refused.error.text()
    shown.append(refused.error.text())
    refused.close()

    dialog = log_in(qtbot, sandbox.url, PASSWORD)
    session = dialog.session
    assert isinstance(session, Session)

    window = MainWindow(app_settings())  # the app's real QSettings file (gui.ini)
    window.set_client(session.client, session.label)
    window.show()
    try:
        with qtbot.waitSignal(window.course_loaded, timeout=LOAD_TIMEOUT):
            window.open_course("123456", time_zone="America/Denver")
        sandbox.expire_tokens()  # the next request refreshes: a second pair of tokens
        quiz = first_explicit(window.editor.current_schedule(), "Quiz 1")
        with qtbot.waitSignal(window.drafts.written, timeout=LOAD_TIMEOUT):
            window.editor.apply_items([one_day_later(quiz)], "edit")
        window.save()
        assert window.save_flow is not None and window.save_flow.dialog is not None
        save_dialog = window.save_flow.dialog
        with qtbot.waitSignal(window.saved, timeout=LOAD_TIMEOUT):
            save_dialog.save_button.click()
        shown.append(save_dialog.result_text.text())
        save_dialog.close_button.click()
        # An unsaved edit at the end, so a draft file stays on disk to be searched.
        with qtbot.waitSignal(window.drafts.written, timeout=LOAD_TIMEOUT):
            edited = window.editor.current_schedule().by_id[quiz.item_id]
            window.editor.apply_items([one_day_later(edited, "start")], "edit")
        window.named_actions["show_log"].trigger()
        viewer = visible_dialogs(LogViewer)[0]
        shown.append(viewer.text.toPlainText())
        viewer.close()
        shown.append(window.statusBar().currentMessage())
        window.settings.sync()
    finally:
        tidy(qtbot, window)
        window.close()
        window.deleteLater()


def schedctl(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    main(["--tz", "America/Denver", *argv])
    out, err = capsys.readouterr()
    return out + err


@pytest.mark.gui
def test_no_secret_outside_memory_and_the_keyring(
    qtbot: QtBot,
    sandbox: Any,
    memory_keyring: MemoryKeyring,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    _isolated_user_dirs: Path,
) -> None:
    sandbox.state.store.execute(
        "UPDATE users SET password = ? WHERE user_name = 'prof'", (PASSWORD,)
    )
    setup_logging()
    shown: list[str] = []
    try:
        gui_session(qtbot, sandbox, shown)

        # The keyring holds the password; the CLI finds it there (no LS_PASSWORD).
        assert PASSWORD in memory_keyring.data.values()
        for name in ("LS_PASSWORD", "LS_BASE_URL", "LS_USERNAME", "LS_CLIENT_STRING"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setattr(sys, "stdin", io.StringIO(""))
        output = schedctl(capsys, "-v", "get", "123456")
        assert '"itemSchedules"' in output
        shown.append(output)
        shown.append(schedctl(capsys, "-v", "get", "999999"))  # an error, verbosely
        sandbox.set_faults("expire_tokens=1")
        shown.append(schedctl(capsys, "-v", "backups", "123456"))

        # Errors raised by the client, as a program or a log would print them.
        auth = OAuth2PasswordAuth(sandbox.url, "sandbox-app", "sandbox", "prof", WRONG)
        with (
            LearningStudioClient(sandbox.url, auth) as client,
            pytest.raises(AuthenticationError) as caught,
        ):
            client.me()
        shown += [str(caught.value), repr(caught.value), repr(auth)]
    finally:
        close_logging()

    tokens = [row["token"] for row in sandbox.state.store.all("SELECT token FROM tokens")]
    assert len(tokens) >= 4, "logins, a refresh and the CLI should have made tokens"
    files = [path for path in _isolated_user_dirs.rglob("*") if path.is_file()]
    names = {path.name for path in files}
    assert {"gui.ini", "settings.json", "scheduler-gui.log"} <= names
    assert any("drafts" in path.parts for path in files)
    assert any("backups" in path.parts for path in files)
    texts = {str(path): path.read_bytes().decode("utf-8", "replace") for path in files}
    texts.update({f"shown #{number}": text for number, text in enumerate(shown)})
    for secret in (PASSWORD, WRONG, *tokens):
        leaks = [where for where, text in texts.items() if secret in text]
        assert leaks == [], f"a secret is in {leaks}"
    assert (
        "PUT /courses/123456/itemSchedules.json 204"
        in texts[str(next(path for path in files if path.name == "scheduler-gui.log"))]
    )


def test_certificate_checks_cannot_be_turned_off_only_given_a_ca_bundle() -> None:
    with pytest.raises(ValueError, match="CA bundle"):
        LearningStudioClient("https://api.example.test", None, verify=False)
    fields = {field.name for field in dataclasses.fields(Settings)}
    assert "ca_bundle" in fields
    assert not {name for name in fields if "verify" in name or "insecure" in name}
    settings = load_settings()
    assert settings.ca_bundle == ""  # default: the system's trusted certificates
