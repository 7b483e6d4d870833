"""``schedctl export`` / ``schedctl import`` against the sandbox over loopback."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from scheduler_gui.store.logs import close_logging, log_file
from tests.helpers import explicit_rows, logged_requests, schedctl_login
from tests.helpers import schedctl as run

DEMO, OTHER = "123456", "234567"
ZONE = "America/Denver"


@pytest.fixture
def env(sandbox: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    schedctl_login(monkeypatch, sandbox.url, "admin", retries=1)
    yield sandbox
    close_logging()


def server_document(capsys: pytest.CaptureFixture[str], course: str = DEMO) -> dict[int, Any]:
    code, out, _ = run(capsys, "get", course)
    assert code == 0
    return {entry["itemId"]: entry for entry in json.loads(out)["itemSchedules"]}


def writes_sent() -> list[str]:
    """PUT/POST lines of the request log."""
    return [line for line in logged_requests() if " PUT " in line or " POST /courses" in line]


def export(capsys: pytest.CaptureFixture[str], path: Path, *courses: str) -> None:
    code, _, err = run(capsys, "export", *courses, "-o", str(path))
    assert code == 0, err
    assert f"to {path}" in err


def test_export_writes_the_course_with_its_fingerprint_and_call_number(
    env: Any, capsys: Any, tmp_path: Path
) -> None:
    path = tmp_path / "demo.xlsx"
    export(capsys, path, "ccn=DEMO-101")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Schedules", "About"]
    sheet = book["Schedules"]
    assert sheet["E1"].value == f"Start ({ZONE})"
    assert sheet.max_row - 1 == len(server_document(capsys))
    about = [
        row for row in book["About"].iter_rows(values_only=True) if row and row[0] == "Schedules"
    ]
    assert about[0][1:4] == (DEMO, "DEMO-101", ZONE)
    # Importing the untouched file changes nothing and sends nothing.
    code, out, err = run(capsys, "--yes", "import", str(path))
    assert code == 0, err
    assert "0 item(s) changed" in out and "Nothing to save" in err
    assert writes_sent() == []


def test_import_applies_edits_through_the_pipeline(env: Any, capsys: Any, tmp_path: Path) -> None:
    path = tmp_path / "demo.xlsx"
    export(capsys, path, DEMO)
    book = openpyxl.load_workbook(path)
    sheet = book["Schedules"]
    first, second = explicit_rows(sheet)[:2]
    first_id, second_id = sheet.cell(first, 1).value, sheet.cell(second, 1).value
    sheet.cell(first, 6).value = datetime(2030, 6, 30, 23, 59)
    sheet.cell(second, 6).value = "2030-07-01 17:00"
    book.save(path)

    code, out, err = run(capsys, "--yes", "import", DEMO, str(path))

    assert code == 0, err
    assert "2 item(s) changed" in out
    assert "saved and verified" in out
    after = server_document(capsys)
    assert after[first_id]["schedule"]["accessSchedule"]["endDateTime"] == "2030-07-01T05:59:00Z"
    assert after[second_id]["schedule"]["accessSchedule"]["endDateTime"] == "2030-07-01T23:00:00Z"
    assert len([line for line in writes_sent() if " PUT " in line]) == 1


def test_dry_run_shows_the_changes_and_sends_nothing(env: Any, capsys: Any, tmp_path: Path) -> None:
    path = tmp_path / "demo.xlsx"
    export(capsys, path, DEMO)
    before = server_document(capsys)
    book = openpyxl.load_workbook(path)
    sheet = book["Schedules"]
    sheet.cell(explicit_rows(sheet)[0], 6).value = datetime(2030, 6, 30, 23, 59)
    book.save(path)
    code, out, err = run(capsys, "import", str(path), "--dry-run")
    assert code == 0, err
    assert "1 item(s) changed" in out and "2030-06-30 23:59" in out
    assert "Dry run: nothing was sent." in err
    assert server_document(capsys) == before and writes_sent() == []


def test_a_bad_file_lists_every_problem_and_writes_nothing(
    env: Any, capsys: Any, tmp_path: Path
) -> None:
    path = tmp_path / "demo.xlsx"
    export(capsys, path, DEMO)
    before = server_document(capsys)
    book = openpyxl.load_workbook(path)
    sheet = book["Schedules"]
    rows = explicit_rows(sheet)
    sheet.cell(rows[0], 6).value = datetime(2030, 6, 30)  # a good edit, not applied
    sheet.cell(3, 1).value = 999_999_999
    sheet.cell(rows[1], 5).value = "31/02/2011"
    sheet.cell(rows[2], 6).value = datetime(2000, 1, 1)  # end before start
    book.save(path)

    code, _, err = run(capsys, "--yes", "import", DEMO, str(path))

    assert code == 1
    assert "Nothing was imported: 3 problem(s) in the file." in err
    # Each problem names the cell and the item's title (the cell's own for an unknown id).
    title = {row: str(sheet.cell(row, 2).value).strip() for row in (3, rows[1], rows[2])}
    assert f"Schedules!A3 ({title[3]}): item 999999999 is not in course {DEMO}" in err
    assert f'Schedules!E{rows[1]} ({title[rows[1]]}): "31/02/2011" is not a date' in err
    assert f"Schedules!F{rows[2]} ({title[rows[2]]}): end 2000-01-01 00:00 is before" in err
    assert server_document(capsys) == before and writes_sent() == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"PK\x03\x04broken", "is not a valid .xlsx file"),
        (b"hello", "is not an Excel workbook (.xlsx) or a CSV file"),
    ],
)
def test_files_that_are_not_workbooks_are_refused_before_any_request(
    env: Any, capsys: Any, tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "x.xlsx"
    path.write_bytes(content)
    code, _, err = run(capsys, "import", DEMO, str(path))
    assert code == 1 and message in err
    assert not log_file().exists() or "GET" not in log_file().read_text()


def test_a_course_changed_since_export_is_a_conflict_unless_forced(
    env: Any, capsys: Any, tmp_path: Path
) -> None:
    path = tmp_path / "demo.xlsx"
    export(capsys, path, DEMO)
    book = openpyxl.load_workbook(path)
    sheet = book["Schedules"]
    row = explicit_rows(sheet)[-1]
    item_id = sheet.cell(row, 1).value
    sheet.cell(row, 6).value = datetime(2030, 6, 30, 23, 59)
    book.save(path)
    assert env.touch(DEMO)["changed"]

    code, _, err = run(capsys, "--yes", "import", str(path))
    assert code == 4
    assert "changed on the server since this file was exported" in err
    assert writes_sent() == []

    code, _, err = run(capsys, "--yes", "import", str(path), "--force")
    assert code == 0, err
    assert server_document(capsys)[item_id]["schedule"]["accessSchedule"]["endDateTime"] == (
        "2030-07-01T05:59:00Z"
    )


def test_many_courses_are_all_checked_before_any_is_written(
    env: Any, capsys: Any, tmp_path: Path
) -> None:
    path = tmp_path / "both.xlsx"
    export(capsys, path, DEMO, OTHER)
    before = {course: server_document(capsys, course) for course in (DEMO, OTHER)}
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [f"Schedules {DEMO}", f"Schedules {OTHER}", "About"]
    demo, other = book[f"Schedules {DEMO}"], book[f"Schedules {OTHER}"]
    demo.cell(explicit_rows(demo)[0], 6).value = datetime(2030, 6, 30, 23, 59)
    other.cell(explicit_rows(other)[0], 6).value = "not a date"
    book.save(path)

    code, _, err = run(capsys, "--yes", "import", str(path))
    assert code == 1
    assert f"'Schedules {OTHER}'!F" in err and '"not a date" is not a date' in err
    assert {course: server_document(capsys, course) for course in (DEMO, OTHER)} == before
    assert writes_sent() == []

    other.cell(explicit_rows(other)[0], 6).value = "2030-07-02 12:00"
    book.save(path)
    code, out, err = run(capsys, "--yes", "import", str(path))
    assert code == 0, err
    table = out[out.index("Course  ") :].splitlines()
    assert table[1].split()[:3] == [DEMO, "Schedules", DEMO]
    assert "saved and verified" in table[1] and "saved and verified" in table[2]
    assert len([line for line in writes_sent() if " PUT " in line]) == 2


def test_a_csv_needs_the_course_and_imports_like_a_workbook(
    env: Any, capsys: Any, tmp_path: Path
) -> None:
    document = server_document(capsys)
    item_id = next(
        i for i, e in document.items() if not e["schedule"]["accessSchedule"].get("isInherited")
    )
    path = tmp_path / "dates.csv"
    path.write_text(f"Item ID;End\n{item_id};2030-06-30 23:59\n", encoding="utf-8-sig")
    code, _, err = run(capsys, "--yes", "import", str(path))
    assert code == 1 and "cannot tell which course" in err
    # What to do, in the words of the command line (a CSV has no About sheet to say it).
    assert f"schedctl import COURSE {path.name}" in err and "About entry" not in err
    code, out, err = run(capsys, "--yes", "import", DEMO, str(path))
    assert code == 0, err
    assert "1 item(s) changed" in out
    assert server_document(capsys)[item_id]["schedule"]["accessSchedule"]["endDateTime"] == (
        "2030-07-01T05:59:00Z"
    )


def test_export_refuses_a_non_xlsx_output(env: Any, capsys: Any, tmp_path: Path) -> None:
    code, _, err = run(capsys, "export", DEMO, "-o", str(tmp_path / "x.csv"))
    assert code == 2 and "must be an .xlsx file" in err
