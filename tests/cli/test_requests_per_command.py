"""Which requests each ``schedctl`` command sends, as the sandbox received them (issue 20.3).

A command fetches what its result or its safety needs and nothing else: ``get``, ``diff``,
``put`` and ``restore`` do not read the item hierarchy (the document, the diff and the
checks that can stop a save do not use the unit tree), nor does ``shift`` unless
``--only`` names a unit or ``--to-start`` has no ``--anchor`` (the units start the term);
``export``, ``import`` and ``copy-dates`` do (units in the workbook, "make explicit"
taking the unit's dates, title paths). Every save reads the
course right before its PUT (conflict check) and reads it back after (verification).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from scheduler_gui.api.activity import begin_ping
from scheduler_gui.sandbox import facts
from scheduler_gui.store.logs import close_logging
from tests.helpers import explicit_rows, sandbox_client, schedctl, schedctl_login

DEMO, SECTION = str(facts.DEMO_COURSE_ID), str(facts.SECTION_COURSE_ID)
TOKEN = "POST /token"
SCHEDULES = f"GET /courses/{DEMO}/itemSchedules.json"
HIERARCHY = f"GET /courses/{DEMO}/itemHierarchy.json"
SAVE = [SCHEDULES, f"PUT /courses/{DEMO}/itemSchedules.json", SCHEDULES]  # check, PUT, verify


@pytest.fixture
def env(sandbox: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    schedctl_login(monkeypatch, sandbox.url, "prof", retries=0)
    yield sandbox
    close_logging()


def sent(sandbox: Any, capsys: pytest.CaptureFixture[str], *argv: str) -> list[str]:
    """Run ``schedctl ARGV`` (it must succeed) and return the requests the sandbox got."""
    sandbox.state.requests.clear()
    code, _, err = schedctl(capsys, *argv)
    assert code == 0, err
    return [f"{method} {path}" for method, path in sandbox.state.requests]


def edited_file(capsys: pytest.CaptureFixture[str], folder: Path) -> Path:
    code, out, _ = schedctl(capsys, "get", DEMO)
    assert code == 0
    document = json.loads(out)
    for entry in document["itemSchedules"]:
        access = entry["schedule"]["accessSchedule"]
        if not access.get("isInherited") and "endDateTime" in access:
            access["endDateTime"] = "2011-01-20T06:59:00Z"
            break
    path = folder / "edited.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_get_reads_only_the_schedules(env: Any, capsys: pytest.CaptureFixture[str]) -> None:
    assert sent(env, capsys, "get", DEMO) == [TOKEN, SCHEDULES]
    by_call_number = sent(env, capsys, "get", "ccn=DEMO-101")
    assert by_call_number == [TOKEN, "GET /courses/ccn=DEMO-101/itemSchedules.json"]


def test_diff_put_and_restore(env: Any, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    edited = str(edited_file(capsys, tmp_path))
    assert sent(env, capsys, "diff", DEMO, edited) == [TOKEN, SCHEDULES]
    assert sent(env, capsys, "put", DEMO, edited, "--dry-run") == [TOKEN, SCHEDULES]
    assert sent(env, capsys, "--yes", "put", DEMO, edited) == [TOKEN, SCHEDULES, *SAVE]
    assert sent(env, capsys, "backups", DEMO) == []
    assert sent(env, capsys, "backups", "ccn=DEMO-101") == [TOKEN, "GET /courses/ccn=DEMO-101.json"]
    assert sent(env, capsys, "--yes", "restore", DEMO, "1") == [TOKEN, SCHEDULES, *SAVE]


def test_export_and_import(env: Any, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "demo.xlsx"
    exported = sent(env, capsys, "export", DEMO, "-o", str(path))
    assert exported == [TOKEN, SCHEDULES, HIERARCHY, f"GET /courses/{DEMO}.json"]
    by_call_number = sent(env, capsys, "export", "ccn=DEMO-101", "-o", str(tmp_path / "c.xlsx"))
    assert by_call_number == [TOKEN, "GET /courses/ccn=DEMO-101/itemSchedules.json", HIERARCHY]
    book = openpyxl.load_workbook(path)
    sheet = book["Schedules"]
    sheet.cell(explicit_rows(sheet)[0], 6).value = "2030-07-01 17:00"
    book.save(path)
    checked = sent(env, capsys, "import", DEMO, str(path), "--dry-run")
    assert checked == [TOKEN, SCHEDULES, HIERARCHY]
    assert sent(env, capsys, "--yes", "import", str(path)) == [TOKEN, SCHEDULES, HIERARCHY, *SAVE]


def test_shift_and_copy_dates(env: Any, capsys: pytest.CaptureFixture[str]) -> None:
    preview = sent(env, capsys, "shift", DEMO, "--days", "7", "--dry-run")
    assert preview == [TOKEN, SCHEDULES]
    shifted = sent(env, capsys, "--yes", "shift", DEMO, "--days", "7")
    assert shifted == [TOKEN, SCHEDULES, *SAVE]
    # --only needs the unit tree (a unit named there brings the items under it).
    unit = str(facts.COURSE_HOME_ID)
    some = sent(env, capsys, "shift", DEMO, "--days", "7", "--only", unit, "--dry-run")
    assert some == [TOKEN, SCHEDULES, HIERARCHY]
    # So does --to-start without --anchor: the term starts with the units' first date.
    start = sent(env, capsys, "shift", DEMO, "--to-start", "2011-08-29", "--dry-run")
    assert start == [TOKEN, SCHEDULES, HIERARCHY]
    anchored = ["--to-start", "2011-08-29", "--anchor", unit, "--dry-run"]
    assert sent(env, capsys, "shift", DEMO, *anchored) == [TOKEN, SCHEDULES]
    target = f"GET /courses/{SECTION}/itemSchedules.json"
    copied = sent(env, capsys, "--yes", "copy-dates", DEMO, SECTION)
    assert copied == [
        TOKEN,
        SCHEDULES,
        HIERARCHY,
        target,
        f"GET /courses/{SECTION}/itemHierarchy.json",
        target,
        f"PUT /courses/{SECTION}/itemSchedules.json",
        target,
    ]


def test_open_activity_endping_and_zone(env: Any, capsys: pytest.CaptureFixture[str]) -> None:
    entry = f"POST /me/courses/{DEMO}/courseEntry.json"
    assert sent(env, capsys, "open", DEMO, "--print") == [TOKEN, entry]
    # The course entry page allows no call number: the numeric id is looked up first.
    by_call_number = sent(env, capsys, "open", "ccn=DEMO-101", "--print")
    assert by_call_number == [TOKEN, "GET /courses/ccn=DEMO-101.json", entry]
    assert sent(env, capsys, "activity") == [TOKEN, "GET /me/lastactivityfeed.json?v=2"]
    feed = f"GET /me/lastactivityfeed.json?v=2&courseid={DEMO}"
    assert sent(env, capsys, "activity", "--course", DEMO) == [TOKEN, feed]
    # Nothing from the course (prof has no grades): one GET tells a quiet course from
    # a course that does not exist.
    filtered = sent(env, capsys, "activity", "--course", DEMO, "--types", "grade")
    assert filtered == [TOKEN, f"{feed}&types=grade", f"GET /courses/{DEMO}.json"]
    with sandbox_client(env.url) as client:
        begin_ping(client, DEMO, facts.COURSE_HOME_ID)
    stopped = sent(env, capsys, "endping", DEMO, str(facts.COURSE_HOME_ID))
    assert stopped == [
        TOKEN,
        f"POST /me/courses/{DEMO}/items/{facts.COURSE_HOME_ID}/activity/endping.json",
    ]
    assert sent(env, capsys, "zone", DEMO, "America/Denver") == []
