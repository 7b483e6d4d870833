"""``schedctl shift`` against the sandbox over loopback (in-process main)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.helpers import ZONE, schedctl, schedctl_login

DEMO = "123456"
BIG = "900000"
ASSIGNMENT_1 = 987456123  # the API page's example item: inherited, due 2011-03-08T06:59:00Z
COURSE_HOME = 987654321


@pytest.fixture
def env(sandbox: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    schedctl_login(monkeypatch, sandbox.url, "prof", retries=1)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    return schedctl(capsys, *argv, tz=None if "--tz" in argv else ZONE)


def items_of(capsys: pytest.CaptureFixture[str], course: str = DEMO) -> dict[int, Any]:
    code, out, _ = run(capsys, "get", course)
    assert code == 0
    return {entry["itemId"]: entry["schedule"] for entry in json.loads(out)["itemSchedules"]}


def test_api_page_example_shifted_14_days_keeps_2359_denver(
    env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    before = items_of(capsys)
    assert before[ASSIGNMENT_1]["dueDate"] == "2011-03-08T06:59:00Z"
    # As the issue writes it: --tz after the command's own options.
    code, out, err = run(capsys, "shift", DEMO, "--days", "14", "--tz", "America/Denver", "--yes")
    assert code == 0, err
    assert "(wall clock of America/Denver)" in out and "Saved" in out
    after = items_of(capsys)
    assert after[ASSIGNMENT_1]["dueDate"] == "2011-03-22T05:59:00Z"
    assert after[ASSIGNMENT_1]["accessSchedule"]["isInherited"] is True
    home = after[COURSE_HOME]["accessSchedule"]
    assert (home["startDateTime"], home["endDateTime"]) == (
        "2010-01-15T07:00:00Z",
        "2010-04-15T07:00:00Z",  # 01:00 MDT on 1 April (DST began 14 March) -> 15 April
    )
    code, out, err = run(capsys, "backups", DEMO)
    assert code == 0 and "before shift" in out + err


def test_dry_run_prints_local_old_and_new_and_sends_nothing(
    env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    before = items_of(capsys)
    code, out, err = run(capsys, "shift", DEMO, "--days", "14", "--dry-run")
    assert code == 0
    assert (
        f"{ASSIGNMENT_1} 'Assignment 1' due: Mon 2011-03-07 23:59 MST -> Mon 2011-03-21 23:59 MDT"
        "  [UTC offset -07:00 -> -06:00, wall time kept]"
    ) in out
    assert "Dry run: nothing was sent." in out + err
    assert items_of(capsys) == before


def test_holidays_are_skipped_with_their_names(
    env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    # Week 1 starts Monday 2011-01-10; 20 weeks later is Memorial Day (2011-05-30).
    code, out, _ = run(capsys, "shift", DEMO, "--days", "140", "--skip-holidays", "US", "--dry-run")
    assert code == 0
    assert "Memorial Day on 2011-05-30: moved to 2011-05-31" in out
    assert "moved off holidays/blackouts" in out


def test_only_selected_items_and_columns_are_written(
    env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    before = items_of(capsys)
    code, _, err = run(
        capsys, "shift", DEMO, "--days", "7", "--only", str(ASSIGNMENT_1), "--columns", "due",
        "--yes",
    )  # fmt: skip
    assert code == 0, err
    after = items_of(capsys)
    changed = {item_id for item_id in before if before[item_id] != after[item_id]}
    assert changed == {ASSIGNMENT_1}
    assert after[ASSIGNMENT_1]["dueDate"] == "2011-03-15T05:59:00Z"


def test_to_start_with_an_anchor_and_keep_weekdays(
    env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys, "shift", DEMO, "--to-start", "2011-03-21", "--anchor", str(ASSIGNMENT_1),
        "--keep-weekdays", "--columns", "due", "--dry-run",
    )  # fmt: skip
    assert code == 0
    assert "due: Mon 2011-03-07 23:59 MST -> Mon 2011-03-21 23:59 MDT" in out
    assert "by +14 days" in out


def test_a_problem_in_any_course_sends_nothing_to_all(
    env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    before = items_of(capsys)
    code, _, err = run(
        capsys, "shift", DEMO, BIG, "--days", "7", "--only", str(ASSIGNMENT_1), "--yes"
    )
    assert code == 1
    assert f"Course {BIG}: not items of course {BIG}: {ASSIGNMENT_1}" in err
    assert "Nothing was sent: 1 problem(s) found." in err
    assert items_of(capsys) == before


@pytest.mark.slow
def test_several_courses_are_each_saved(env: None, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "shift", DEMO, BIG, "--days", "7", "--yes")
    assert code == 0, err
    assert out.count("Saved") == 2
    assert items_of(capsys)[ASSIGNMENT_1]["dueDate"] == "2011-03-15T05:59:00Z"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--days", "7", "--columns", "start,title"], "--columns 'start,title': use some of"),
        (["--to-start", "2011-02-30"], "--to-start '2011-02-30' is not a date like"),
        (["--days", "7", "--anchor", "5"], "--anchor goes with --to-start DATE"),
        (["--days", "7", "--skip-holidays", "US-ZZ"], "US has no subdivision 'ZZ'"),
        (["--days", "7", "--blackout", "2011-06-03..2011-05-30"], "ends before it starts"),
        (["--days", "7", "--only", "12,abc"], "--only 'abc' is not an item id"),
        (
            ["--fit", "2011-01-10", "2011-01-10", "2011-08-29", "2011-12-16"],
            "the old term must end after it starts",
        ),
    ],
)
def test_bad_options_are_usage_errors_before_any_request(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    # No server configured: a usage error must come before any attempt to connect.
    code, _, err = run(capsys, "shift", DEMO, *argv)
    assert code == 2 and message in err


def test_writing_from_a_script_needs_yes(env: None, capsys: pytest.CaptureFixture[str]) -> None:
    before = items_of(capsys)
    code, _, err = run(capsys, "shift", DEMO, "--days", "7")
    assert code == 2 and "Add --yes to write from a script" in err
    assert items_of(capsys) == before


def test_unknown_anchor_is_an_input_error(env: None, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "shift", DEMO, "--to-start", "2011-08-29", "--anchor", "42")
    assert code == 1 and "anchor item 42 is not in this course" in err


def test_to_start_anchors_on_the_units_and_names_what_stays(
    env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    # DEMO-101 keeps the API example's 2010 "Course Home" at the top: not the term's start.
    code, out, _ = run(capsys, "shift", DEMO, "--to-start", "2011-08-29", "--dry-run")
    assert code == 0
    assert "by +231 days" in out
    assert "'Module 1: Foundations': Mon 2011-01-10 00:00 MST lands on the new start" in out
    assert "not moving (they inherit from the course itself): " in out
    assert "'Syllabus'" in out and "'Course Wrap-up'" in out
