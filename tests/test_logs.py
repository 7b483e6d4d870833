"""The request log: real requests of the CLI and the GUI, one line each, no secrets, rotating.

Each line ends ``METHOD PATH STATUS DURATIONs`` (or ``no answer (...)`` when the server
never answered). ``tests/store/test_stores.py`` checks the format and the redaction on
hand-made records; here the requests are real, against the sandbox.
"""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from scheduler_gui.api.client import RetryPolicy
from scheduler_gui.cli import main
from scheduler_gui.store import logs, paths
from scheduler_gui.store.logs import close_logging, log_request, setup_logging
from scheduler_gui.store.settings import Settings, save_settings
from scheduler_gui.ui.dialogs.log_viewer import LogViewer
from scheduler_gui.ui.dialogs.login import LoginForm, connect
from scheduler_gui.ui.shell.main_window import MainWindow
from tests.helpers import sandbox_client
from tests.ui.gui_session import LOAD_TIMEOUT, tidy, visible_dialogs

PASSWORD = "L0g-test-Passw0rd!"
LINE = re.compile(
    r"scheduler_gui\.requests: (?P<method>GET|POST|PUT|DELETE) (?P<path>/\S*) "
    r"(?:(?P<status>\d{3}) (?P<duration>\d+\.\d{3})s|no answer \((?P<error>[^)]*)\) "
    r"(?P<failed_after>\d+\.\d{3})s)$"
)


def requests_in(text: str) -> list[dict[str, str]]:
    """The request lines of a log text, as their fields."""
    found = []
    for line in text.splitlines():
        match = LINE.search(line)
        if match:
            found.append({k: v for k, v in match.groupdict().items() if v is not None})
    return found


def tokens(sandbox: Any) -> list[str]:
    return [row["token"] for row in sandbox.state.store.all("SELECT token FROM tokens")]


@pytest.fixture
def prof(sandbox: Any) -> Any:
    sandbox.state.store.execute(
        "UPDATE users SET password = ? WHERE user_name = 'prof'", (PASSWORD,)
    )
    return sandbox


def test_cli_requests_are_logged_with_method_path_status_and_duration(
    prof: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    env = {"LS_BASE_URL": prof.url, "LS_CLIENT_STRING": "sandbox", "LS_APP_ID": "sandbox-app",
           "LS_USERNAME": "prof", "LS_PASSWORD": PASSWORD}  # fmt: skip
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    save_settings(Settings(retries=2))
    prof.set_faults("status503=1@GET:/itemschedules,retry_after=0")
    try:
        assert main(["--tz", "UTC", "get", "123456"]) == 0
    finally:
        close_logging()
    capsys.readouterr()

    path = paths.log_dir() / logs.LOG_FILE
    text = path.read_text()
    lines = requests_in(text)
    assert {"method": "POST", "path": "/token", "status": "200"}.items() <= lines[0].items()
    schedules = [r for r in lines if r["path"] == "/courses/123456/itemSchedules.json"]
    assert [r["status"] for r in schedules] == ["503", "200"]  # the retry is logged too
    assert all(float(r["duration"]) >= 0 for r in lines)
    for secret in (PASSWORD, *tokens(prof)):
        assert secret not in text


def test_a_request_without_an_answer_is_logged_as_such(sandbox: Any, tmp_path: Path) -> None:
    path = setup_logging(tmp_path)
    sandbox.set_faults("drop=1@GET:/me")
    try:
        with sandbox_client(
            sandbox.url, retry=RetryPolicy(attempts=2, base_delay=0.0), on_request=log_request
        ) as client:
            assert client.me()["userName"] == "prof"
    finally:
        close_logging()
    me = [r for r in requests_in(path.read_text()) if r["path"] == "/me.json"]
    assert len(me) == 2 and "error" in me[0] and me[1]["status"] == "200"


def test_the_log_rotates_and_keeps_a_bounded_number_of_files(
    sandbox: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(logs, "MAX_BYTES", 400)
    path = setup_logging(tmp_path)
    try:
        with sandbox_client(sandbox.url, on_request=log_request) as client:
            for _ in range(40):  # about 4 kB of lines: more than 6 files of 400 bytes
                client.me()
    finally:
        close_logging()
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == [logs.LOG_FILE] + [f"{logs.LOG_FILE}.{n}" for n in range(1, 6)]
    assert all(p.stat().st_size <= 400 for p in tmp_path.iterdir())
    assert requests_in(path.read_text())[-1]["path"] == "/me.json"


@pytest.mark.gui
def test_help_show_log_shows_the_windows_requests_without_secrets(
    qtbot: QtBot, prof: Any, tmp_path: Path
) -> None:
    setup_logging()
    window = MainWindow(QSettings(str(tmp_path / "gui.ini"), QSettings.Format.IniFormat))
    try:
        session = connect(LoginForm(prof.url, "sandbox", "sandbox-app", "prof", PASSWORD, False))
        window.set_client(session.client, session.label)
        window.show()
        with qtbot.waitSignal(window.course_loaded, timeout=LOAD_TIMEOUT):
            window.open_course("123456", time_zone="America/Denver")
        window.named_actions["show_log"].trigger()
        viewer = visible_dialogs(LogViewer)[0]
        shown = viewer.text.toPlainText()
        assert viewer.path == paths.log_dir() / logs.LOG_FILE
        viewer.close()
        tidy(qtbot, window)
    finally:
        close_logging()
        window.close()
        window.deleteLater()
    lines = requests_in(shown)
    schedules = next(r for r in lines if r["path"] == "/courses/123456/itemSchedules.json")
    assert schedules["method"] == "GET" and schedules["status"] == "200"
    assert any(r["path"] == "/token" for r in lines) and all("duration" in r for r in lines)
    for secret in (PASSWORD, *tokens(prof)):
        assert secret not in shown
