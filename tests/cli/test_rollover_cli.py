"""``schedctl rollover PLAN``: a term from one plan, every row and course checked first,
then the batch; the same plan again continues and shifts nothing twice."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from scheduler_gui.io.rollover_plan import COLUMNS
from scheduler_gui.store.logs import close_logging
from tests.helpers import puts_sent, schedctl_login
from tests.helpers import schedctl as run

SECTIONS = 6
COURSES = [str(700001 + n) for n in range(SECTIONS)]


@pytest.fixture
def term(sandbox: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    sandbox.add_sections(SECTIONS)
    schedctl_login(monkeypatch, sandbox.url, "prof", retries=1)
    yield sandbox
    close_logging()


def plan(capsys: pytest.CaptureFixture[str], path: Path, rows: list[dict[str, object]]) -> Path:
    code, _, err = run(capsys, "rollover", "--template", str(path))
    assert code == 0, err
    book = openpyxl.load_workbook(path)
    for number, values in enumerate(rows, start=2):
        for name, value in values.items():
            book["Plan"].cell(number, COLUMNS.index(name) + 1).value = value
    book.save(path)
    return path


def quiz_start(capsys: pytest.CaptureFixture[str], course: str) -> str:
    code, out, err = run(capsys, "get", course)
    assert code == 0, err
    (quiz,) = [e for e in json.loads(out)["itemSchedules"] if e["itemTitle"] == "Quiz 1"]
    return str(quiz["schedule"]["accessSchedule"]["startDateTime"])


def test_a_plan_rolls_the_term_over_once(
    term: Any, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    rows: list[dict[str, object]] = [{"Course": course, "Days": 364} for course in COURSES[:4]]
    rows.append({"Course": "ccn=TERM-0005", "To start": datetime(2012, 1, 9)})
    rows.append(
        {
            "Course": COURSES[5],
            "Old term start": datetime(2011, 1, 10),
            "Old term end": datetime(2011, 5, 1),
            "New term start": datetime(2012, 1, 9),
            "New term end": datetime(2012, 4, 29),
            "Holidays": "US",
        }
    )
    path = plan(capsys, tmp_path / "spring.xlsx", rows)
    # Quiz 1 of section 1: Wed 2011-01-19 09:00 MST; 364 days later, Wed 2012-01-18.
    assert quiz_start(capsys, COURSES[0]) == "2011-01-19T16:00:00Z"

    code, out, err = run(capsys, "rollover", str(path), "--dry-run")
    assert code == 0, err
    assert out.count("would be written") == SECTIONS and puts_sent() == []

    code, out, err = run(capsys, "--yes", "rollover", str(path), "--jobs", "3")
    assert code == 0, err
    assert f"Total: {SECTIONS} verified." in out
    assert quiz_start(capsys, COURSES[0]) == "2012-01-18T16:00:00Z"
    # To start 2012-01-09: Unit 1 of section 5 (the earliest date) starts that Monday.
    code, out, _ = run(capsys, "get", "ccn=TERM-0005")
    unit = json.loads(out)["itemSchedules"][0]["schedule"]["accessSchedule"]
    assert unit["startDateTime"] == "2012-01-09T07:00:00Z"

    code, out, err = run(capsys, "--yes", "rollover", str(path))
    assert code == 0, err
    assert "Continuing batch" in err
    assert out.count("already done by the earlier run") == SECTIONS
    assert len(puts_sent()) == SECTIONS
    code, out, _ = run(capsys, "batch", "status")
    assert "rollover" in out and "finished" in out


def test_unknown_forbidden_and_out_of_range_courses_are_all_listed_and_nothing_is_sent(
    term: Any, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = plan(
        capsys,
        tmp_path / "plan.xlsx",
        [
            {"Course": COURSES[0], "Days": 7},
            {"Course": "999999", "Days": 7},  # no such course
            {"Course": "234567", "Days": 7},  # taught by someone else
            {"Course": COURSES[1], "Days": 36500},  # lands in 2111
        ],
    )
    report = tmp_path / "r.csv"
    code, _, err = run(capsys, "--yes", "rollover", str(path), "--report", str(report))
    assert code == 1
    assert "Nothing was sent: 3 problem(s) found." in err
    assert "Plan row 3, course 999999: LearningStudio has no such course" in err
    assert "Plan row 4, course 234567: Your LearningStudio role is not allowed" in err
    assert f"Plan row 5, course {COURSES[1]}:" in err and "between 1990 and 2100" in err
    assert puts_sent() == []
    rows = report.read_text(encoding="utf-8-sig").splitlines()
    assert sum(",problem," in row for row in rows) == 3 and "would be written" in rows[1]


def test_a_bad_plan_is_refused_before_any_request(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "plan.csv"
    path.write_text("Course,Days\nDEMO-101,7\n700002,\n", encoding="utf-8")
    code, _, err = run(capsys, "rollover", str(path))  # no server configured at all
    assert code == 1
    assert "Nothing was sent: 2 problem(s) in the plan plan.csv." in err
    assert 'plan.csv!A2: Course: "DEMO-101" is not a course' in err
    assert "plan.csv!B3: Days: no shift given" in err


def test_template_never_overwrites_a_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "plan.xlsx"
    path.write_text("mine", encoding="utf-8")
    code, _, err = run(capsys, "rollover", "--template", str(path))
    assert code == 2 and "exists already" in err
    assert path.read_text(encoding="utf-8") == "mine"
