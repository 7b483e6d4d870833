"""The app and schedctl connect alike and share each course's time zone.

Two bugs this guards: the app built its client without the ``retries`` and
``wire_format`` settings, and kept course zones in its own ``gui.ini``, so ``schedctl
shift`` on a UTC machine moved a 23:59 Denver due date to 00:59 across DST.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from scheduler_gui.session.course_zones import CourseZones
from scheduler_gui.store.logs import close_logging, setup_logging
from scheduler_gui.store.settings import Settings, load_settings, save_settings
from scheduler_gui.ui.dialogs.login import LoginDialog
from scheduler_gui.ui.shell.main_window import MainWindow
from tests.helpers import logged_requests, schedctl, schedctl_login
from tests.ui.gui_session import DEMO, LOAD_TIMEOUT, fill_login, open_window, sandbox_client, tidy

pytestmark = pytest.mark.gui

ASSIGNMENT_1 = 987456123  # due Mon 2011-03-07 23:59 MST (2011-03-08T06:59:00Z)


def test_the_apps_login_builds_its_client_from_the_settings(qtbot: QtBot, sandbox: Any) -> None:
    setup_logging()
    save_settings(Settings(wire_format="xml", retries=4))
    sandbox.set_faults("retry_after=0,status503=4@GET:/me")  # 4 tries fail, the 5th answers
    dialog = LoginDialog()
    qtbot.addWidget(dialog)
    fill_login(dialog, sandbox.url, "prof")
    with qtbot.waitSignal(dialog.logged_in, timeout=LOAD_TIMEOUT) as blocker:
        dialog.login_button.click()
    client = blocker.args[0].client
    try:
        assert client.get_schedule(DEMO).course_id == DEMO
        requests = [line for line in logged_requests() if "/me" in line or "Schedules" in line]
    finally:
        client.close()
        close_logging()
    assert requests and all(".xml" in line for line in requests)
    assert sum(" 503 " in line for line in requests) == 4
    assert load_settings().wire_format == "xml"  # the login kept the other settings


def test_zone_chosen_in_the_app_is_used_by_schedctl(
    qtbot: QtBot, sandbox: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    schedctl_login(monkeypatch, sandbox.url, "prof", retries=1)
    monkeypatch.setenv("TZ", "UTC")  # the machine schedctl runs on is in UTC
    window = open_window(qtbot, sandbox.url, tmp_path)  # DEMO-101 shown in America/Denver
    assert window.time_zone.key == "America/Denver"
    tidy(qtbot, window)

    code, out, err = schedctl(capsys, "shift", DEMO, "--days", "14", "--yes", tz=None)
    assert code == 0, err
    assert "(wall clock of America/Denver)" in out
    code, out, _ = schedctl(capsys, "get", DEMO, tz=None)
    due = {e["itemId"]: e["schedule"] for e in json.loads(out)["itemSchedules"]}
    assert due[ASSIGNMENT_1]["dueDate"] == "2011-03-22T05:59:00Z"  # Mon 23:59 MDT


def test_zone_set_with_schedctl_is_shown_by_the_app(
    qtbot: QtBot, sandbox: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = schedctl(capsys, "zone", DEMO, "Asia/Tokyo", tz=None)
    assert code == 0, err
    window = open_window(qtbot, sandbox.url, tmp_path)  # default zone Denver: Tokyo wins
    assert window.time_zone.key == "Asia/Tokyo"
    assert window.editor.time_zone().key == "Asia/Tokyo"
    assert window.set_time_zone("Europe/Berlin")
    assert CourseZones().get(DEMO).key == "Europe/Berlin"  # type: ignore[union-attr]


def test_zones_the_app_kept_in_gui_ini_are_moved_once(
    qtbot: QtBot, sandbox: Any, tmp_path: Path
) -> None:
    old = QSettings(str(tmp_path / "gui.ini"), QSettings.Format.IniFormat)
    old.setValue(f"courses/{DEMO}/time_zone", "Asia/Tokyo")
    old.setValue("courses/555/time_zone", "Mars/Olympus")  # never valid: dropped
    old.setValue(f"courses/{DEMO}/activity_users", "me")  # other per-course keys stay
    old.sync()
    save_settings(Settings(course_time_zones={"777": "Europe/Berlin"}))
    window = MainWindow(QSettings(str(tmp_path / "gui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    assert CourseZones().names() == {DEMO: "Asia/Tokyo", "777": "Europe/Berlin"}
    assert window.settings.value(f"courses/{DEMO}/time_zone") is None
    assert window.settings.value(f"courses/{DEMO}/activity_users") == "me"
    window.set_client(sandbox_client(sandbox.url))
    with qtbot.waitSignal(window.course_loaded, timeout=LOAD_TIMEOUT):
        window.open_course(DEMO, time_zone="America/Denver")
    assert window.time_zone.key == "Asia/Tokyo"
    tidy(qtbot, window)
