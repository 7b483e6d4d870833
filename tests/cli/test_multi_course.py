"""Many courses at once: export, import (all checked before any write) and shift, against
the sandbox over loopback."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from scheduler_gui.store.logs import close_logging
from tests.helpers import puts_sent, schedctl_login
from tests.helpers import schedctl as run

DEMO, SECTION, OTHER = "123456", "123457", "234567"
COURSES = (DEMO, SECTION, OTHER)


@pytest.fixture
def env(sandbox: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    schedctl_login(monkeypatch, sandbox.url, "admin", retries=0)
    yield sandbox
    close_logging()


def server_state(capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    """Every course's document as the server has it now."""
    state = {}
    for course in COURSES:
        code, out, err = run(capsys, "get", course)
        assert code == 0, err
        state[course] = json.loads(out)
    return state


def end_cells(sheet: Any) -> list[int]:
    """Rows of items with their own start and end (Inherited FALSE), in sheet order."""
    return [
        row
        for row in range(2, sheet.max_row + 1)
        if sheet.cell(row, 4).value is False
        and sheet.cell(row, 5).value is not None
        and sheet.cell(row, 6).value is not None
    ]


def export_all(capsys: pytest.CaptureFixture[str], path: Path) -> Any:
    code, _, err = run(capsys, "export", *COURSES, "-o", str(path))
    assert code == 0, err
    return openpyxl.load_workbook(path)


def test_export_writes_one_sheet_per_course_and_an_about_sheet(
    env: Any, capsys: Any, tmp_path: Path
) -> None:
    book = export_all(capsys, tmp_path / "three.xlsx")
    assert book.sheetnames == [f"Schedules {course}" for course in COURSES] + ["About"]
    about = [[cell.value for cell in row] for row in book["About"].iter_rows()]
    listed = {str(row[1]): row for row in about if row and str(row[1]) in COURSES}
    assert set(listed) == set(COURSES)
    assert listed[SECTION][2] == "DEMO-101-02"
    titles = [book[f"Schedules {SECTION}"].cell(r, 2).value for r in range(2, 70)]
    assert any(title and title.strip() == "Section 2 Welcome" for title in titles)


def test_one_invalid_course_means_nothing_is_written_to_any_course(
    env: Any, capsys: Any, tmp_path: Path
) -> None:
    path = tmp_path / "three.xlsx"
    book = export_all(capsys, path)
    before = server_state(capsys)
    demo, section = book[f"Schedules {DEMO}"], book[f"Schedules {SECTION}"]
    other = book[f"Schedules {OTHER}"]
    demo.cell(end_cells(demo)[1], 6).value = datetime(2030, 6, 30, 23, 59)  # fine
    other.cell(end_cells(other)[0], 6).value = datetime(2030, 7, 1, 12, 0)  # fine
    bad_row = end_cells(section)[2]
    section.cell(bad_row, 6).value = datetime(1999, 1, 1, 12, 0)  # ends before it starts
    book.save(path)

    code, out, err = run(capsys, "--yes", "import", str(path))

    assert code == 1
    title = str(section.cell(bad_row, 2).value).strip()
    assert f"'Schedules {SECTION}'!F{bad_row} ({title}): end 1999-01-01 12:00 is before" in err
    assert "Nothing was imported" in err
    assert server_state(capsys) == before  # every course exactly as it was
    assert puts_sent() == []
    assert "saved" not in out


def test_a_course_that_fails_to_save_is_reported_and_the_exit_is_non_zero(
    env: Any, capsys: Any, tmp_path: Path
) -> None:
    path = tmp_path / "three.xlsx"
    book = export_all(capsys, path)
    for course in COURSES:
        sheet = book[f"Schedules {course}"]
        sheet.cell(end_cells(sheet)[0], 6).value = datetime(2030, 6, 30, 23, 59)
    book.save(path)
    before = server_state(capsys)
    env.set_faults(f"status500=5@PUT:/courses/{SECTION}/")

    code, out, err = run(capsys, "--yes", "import", str(path))

    assert code == 5, err  # network/server failure
    rows = {line.split()[0]: line for line in out.splitlines() if line[:6] in COURSES}
    assert "saved and verified" in rows[DEMO] and "saved and verified" in rows[OTHER]
    assert "failed" in rows[SECTION]
    assert rows[DEMO].split()[3] == "1"  # Course, Sheet (two words), Changed
    env.clear_faults()
    after = server_state(capsys)
    assert after[SECTION] == before[SECTION]
    assert after[DEMO] != before[DEMO] and after[OTHER] != before[OTHER]


def test_shift_moves_several_courses_each_through_the_pipeline(env: Any, capsys: Any) -> None:
    before = server_state(capsys)
    code, out, err = run(capsys, "--yes", "shift", DEMO, SECTION, "--days", "7")
    assert code == 0, err
    assert f"Course {DEMO}:" in out and f"Course {SECTION}:" in out
    assert len(puts_sent()) == 2
    after = server_state(capsys)
    assert after[OTHER] == before[OTHER]

    def due_of(document: dict[str, Any], title: str) -> str:
        from scheduler_gui.core.codec import parse

        schedule = parse(json.dumps(document).encode(), "x")
        (item,) = [i for i in schedule.items if i.title == title]
        assert item.due is not None
        return item.due.isoformat()

    # Assignment 2 of the section: Sun 2011-03-06 23:59 MST -> Sun 03-13 23:59 MDT.
    assert due_of(before[SECTION], "Assignment 2") == "2011-03-07T06:59:00+00:00"
    assert due_of(after[SECTION], "Assignment 2") == "2011-03-14T05:59:00+00:00"
