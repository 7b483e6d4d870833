"""``schedctl --auth oauth1`` against the sandbox: every command a server-to-server tool
uses, signed the way the vendor's libraries sign (issue 16), and a refused login that
says what to check."""

from __future__ import annotations

import io
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from scheduler_gui.api.activity import begin_ping
from scheduler_gui.api.auth import OAuth1CmacAuth
from scheduler_gui.api.client import LearningStudioClient
from scheduler_gui.sandbox import facts
from scheduler_gui.store.logs import close_logging
from scheduler_gui.store.settings import Settings, save_settings
from tests.helpers import ZONE, explicit_rows, logged_requests, schedctl

DEMO = str(facts.DEMO_COURSE_ID)
PROF = str(facts.USERS["prof"][0])
JDOE = str(facts.USERS["jdoe"][0])
ASSIGNMENT_1 = facts.ASSIGNMENT_1_ID  # due 2011-03-08T06:59:00Z (the page's example)


@pytest.fixture
def oauth1_env(sandbox: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """OAuth 1 credentials in the environment and nothing of an OAuth 2 login."""
    for name in ("LS_CLIENT_STRING", "LS_USERNAME", "LS_PASSWORD", "LS_APP_NAME", "TZ"):
        monkeypatch.delenv(name, raising=False)
    for name, value in {
        "LS_BASE_URL": sandbox.url,
        "LS_TOKEN_KEY_MONIKER": facts.TOKEN_KEY_MONIKER,
        "LS_APP_ID": facts.APPLICATION_ID,
        "LS_SHARED_SECRET": facts.SHARED_SECRET,
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # not a terminal: --yes needed
    save_settings(Settings(retries=0))
    yield sandbox
    close_logging()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code, out, err = schedctl(capsys, "--auth", "oauth1", *argv, tz=ZONE)
    assert not [line for line in logged_requests() if " 401 " in line], err
    return code, out, err


def server_items(capsys: pytest.CaptureFixture[str]) -> dict[int, dict[str, Any]]:
    code, out, err = run(capsys, "get", DEMO)
    assert code == 0, err
    return {entry["itemId"]: entry["schedule"] for entry in json.loads(out)["itemSchedules"]}


@pytest.mark.parametrize(("course", "wire"), [("ccn=DEMO-101", "json"), (DEMO, "xml")])
def test_get_and_put(
    oauth1_env: Any, capsys: pytest.CaptureFixture[str], tmp_path: Path, course: str, wire: str
) -> None:
    """A JSON or an XML body, signed as the vendor's libraries sign it."""
    code, out, err = run(capsys, "get", course)
    assert code == 0, err
    document = json.loads(out)
    entry = next(e for e in document["itemSchedules"] if e["itemId"] == ASSIGNMENT_1)
    entry["schedule"]["dueDate"] = "2011-03-09T06:59:00Z"
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(document), encoding="utf-8")
    code, out, err = run(capsys, "--format", wire, "--yes", "put", DEMO, str(edited))
    assert code == 0, err
    assert server_items(capsys)[ASSIGNMENT_1]["dueDate"] == "2011-03-09T06:59:00Z"
    assert [line for line in logged_requests() if " PUT " in line]


def test_export_and_import(
    oauth1_env: Any, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "demo.xlsx"
    code, _, err = run(capsys, "export", DEMO, "-o", str(path))
    assert code == 0, err
    book = openpyxl.load_workbook(path)
    sheet = book["Schedules"]
    row = explicit_rows(sheet)[0]
    item_id = int(sheet.cell(row, 1).value)
    sheet.cell(row, 6).value = datetime(2030, 6, 30, 23, 59)
    book.save(path)
    code, out, err = run(capsys, "--yes", "import", DEMO, str(path))
    assert code == 0, err
    assert "1 item(s) changed" in out
    end = server_items(capsys)[item_id]["accessSchedule"]["endDateTime"]
    assert end == "2030-07-01T05:59:00Z"  # 23:59 MDT


def test_shift(oauth1_env: Any, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--yes", "shift", DEMO, "--days", "14")
    assert code == 0, err
    assert "Saved" in out
    assert server_items(capsys)[ASSIGNMENT_1]["dueDate"] == "2011-03-22T05:59:00Z"


def test_activity_and_endping(oauth1_env: Any, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "activity", "--user", JDOE, "--json")
    assert code == 0, err
    assert {entry["actor"]["name"] for entry in json.loads(out)} == {"Jane Doe"}
    auth = OAuth1CmacAuth(facts.TOKEN_KEY_MONIKER, facts.APPLICATION_ID, facts.SHARED_SECRET)
    with LearningStudioClient(oauth1_env.url, auth) as client:
        begin_ping(client, DEMO, facts.COURSE_HOME_ID, user=PROF)  # a POST without a body
    code, _, err = run(capsys, "endping", DEMO, str(facts.COURSE_HOME_ID), "--user", PROF)
    assert code == 0, err
    assert f"Stopped the activity clock on item {facts.COURSE_HOME_ID}" in err


@pytest.mark.parametrize(
    "wrong",
    ["LS_SHARED_SECRET", "LS_TOKEN_KEY_MONIKER", "LS_APP_ID"],
)
def test_a_refused_login_names_the_oauth1_credentials(
    oauth1_env: Any,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    wrong: str,
) -> None:
    monkeypatch.setenv(wrong, "f" * 32 if wrong == "LS_SHARED_SECRET" else "not-this-one")
    code, out, err = schedctl(capsys, "--auth", "oauth1", "get", DEMO, tz=ZONE)
    assert code == 3 and out == ""
    for named in ("token key moniker", "shared secret", "application id"):
        assert named in err
    assert "password" not in err.lower() and "user name" not in err.lower()
    assert "f" * 32 not in err


def test_missing_oauth1_credentials_are_named(
    oauth1_env: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("LS_SHARED_SECRET")
    code, _, err = schedctl(capsys, "--auth", "oauth1", "get", DEMO, tz=ZONE)
    assert code == 3
    assert "LS_SHARED_SECRET" in err and "password" not in err.lower()
