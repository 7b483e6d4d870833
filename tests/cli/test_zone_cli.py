"""schedctl and the app share the connection settings and each course's time zone.

The due date of the API page's example item (Mon 2011-03-07 23:59 in Denver, MST) shifted
by 14 days must stay 23:59 in Denver (MDT): 2011-03-22T05:59:00Z. Shifted on UTC's wall
clock it lands at 00:59 the next day (06:59Z).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from scheduler_gui.store.settings import load_settings, save_settings
from tests.helpers import logged_requests, schedctl, schedctl_login

DEMO = "123456"
ASSIGNMENT_1 = 987456123
KEPT_2359_DENVER = "2011-03-22T05:59:00Z"


@pytest.fixture
def env(sandbox: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    schedctl_login(monkeypatch, sandbox.url, "prof", retries=1)
    monkeypatch.setenv("TZ", "UTC")  # the computer's zone, as on the reporter's machine


def due_after_shift(capsys: pytest.CaptureFixture[str]) -> str:
    code, out, err = schedctl(capsys, "shift", DEMO, "--days", "14", "--yes", tz=None)
    assert code == 0, err
    code, out, _ = schedctl(capsys, "get", DEMO, tz=None)
    assert code == 0
    items = {e["itemId"]: e["schedule"] for e in json.loads(out)["itemSchedules"]}
    return str(items[ASSIGNMENT_1]["dueDate"])


def test_zone_saved_for_the_course_is_used_by_shift(
    env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = schedctl(capsys, "zone", DEMO, "America/Denver", tz=None)
    assert code == 0, err
    assert "America/Denver" in out
    code, out, _ = schedctl(capsys, "zone", DEMO, tz=None)
    assert "America/Denver (saved for this course)" in out
    assert due_after_shift(capsys) == KEPT_2359_DENVER


def test_tz_option_still_wins_for_one_run(env: None, capsys: pytest.CaptureFixture[str]) -> None:
    schedctl(capsys, "zone", DEMO, "Asia/Tokyo", tz=None)
    code, out, _ = schedctl(capsys, "shift", DEMO, "--days", "14", "--dry-run")
    assert code == 0 and "(wall clock of America/Denver)" in out


def test_windows_computer_zone_is_used_when_no_zone_is_saved(
    env: None, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A Windows machine set to Mountain time: no TZ, no /etc/localtime; the registry
    # holds the Windows zone name. (Before, schedctl used UTC on every Windows machine.)
    import scheduler_gui.session.zones as zones

    monkeypatch.delenv("TZ")
    monkeypatch.setattr(zones, "_platform", lambda: "win32")
    monkeypatch.setattr(zones, "_read_windows_zone_key", lambda: "Mountain Standard Time")
    _, out, _ = schedctl(capsys, "zone", DEMO, tz=None)
    assert "no zone saved; commands use this computer's zone, America/Denver" in out
    assert due_after_shift(capsys) == KEPT_2359_DENVER


def test_a_bad_zone_is_a_usage_error_naming_it(
    env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = schedctl(capsys, "zone", DEMO, "Mars/Olympus", tz=None)
    assert code == 2 and "Unknown time zone 'Mars/Olympus'" in err
    code, _, err = schedctl(capsys, "shift", DEMO, "--days", "1", "--dry-run", tz="Mars/Olympus")
    assert code == 2 and "Unknown time zone 'Mars/Olympus'" in err
    code, _, err = schedctl(capsys, "zone", "ccn=DEMO-101", "America/Denver", tz=None)
    assert code == 2 and "not a numeric course id" in err


def test_forget(env: None, capsys: pytest.CaptureFixture[str]) -> None:
    schedctl(capsys, "zone", DEMO, "America/Denver", tz=None)
    code, out, _ = schedctl(capsys, "zone", DEMO, "--forget", tz=None)
    assert code == 0 and "forgotten" in out
    code, out, _ = schedctl(capsys, "zone", DEMO, tz=None)
    assert "no zone saved; commands use this computer's zone, UTC" in out


def test_saved_wire_format_is_used(env: None, capsys: pytest.CaptureFixture[str]) -> None:
    settings = load_settings()
    settings.wire_format = "xml"
    save_settings(settings)
    code, _, err = schedctl(capsys, "get", DEMO)
    assert code == 0, err
    assert any("itemSchedules.xml" in line for line in logged_requests())
    assert not any("itemSchedules.json" in line for line in logged_requests())
    code, _, err = schedctl(capsys, "--format", "json", "get", DEMO)
    assert code == 0 and any("itemSchedules.json" in line for line in logged_requests())
