"""Many sections at once (``shift --jobs``): one login, each course through the pipeline,
a journal that makes a second run skip what the first did, a report, failures named,
429 slowing the whole batch. Against the sandbox's generated term, over loopback."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scheduler_gui.store.logs import close_logging
from tests.helpers import logged_requests, puts_sent, schedctl_login
from tests.helpers import schedctl as run

SECTIONS = 12
COURSES = [str(700001 + n) for n in range(SECTIONS)]


@pytest.fixture
def term(sandbox: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    sandbox.add_sections(SECTIONS)
    schedctl_login(monkeypatch, sandbox.url, "prof", retries=3)
    yield sandbox
    close_logging()


def written(capsys: pytest.CaptureFixture[str], course: str) -> dict[int, tuple[Any, ...]]:
    """Per item: the dates a PUT writes (inherited items without start/end)."""
    code, out, err = run(capsys, "get", course)
    assert code == 0, err
    result = {}
    for entry in json.loads(out)["itemSchedules"]:
        access = entry["schedule"]["accessSchedule"]
        inherited = access.get("isInherited", False)
        window = (None, None) if inherited else (access["startDateTime"], access["endDateTime"])
        due = entry["schedule"].get("dueDate") or entry["schedule"].get("dueDateTime")
        result[entry["itemId"]] = (*window, due)
    return result


def tokens_requested(since: int = 0) -> int:
    return sum(" POST /token " in line for line in logged_requests()[since:])


def shift(capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str, str]:
    return run(capsys, "--yes", "shift", *COURSES, "--days", "7", "--jobs", "4", *extra)


def test_a_term_is_shifted_once_and_a_second_run_writes_nothing(
    term: Any, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    before = written(capsys, COURSES[0])
    earlier = len(logged_requests())
    code, out, err = shift(capsys, "--report", str(tmp_path / "report.csv"))
    assert code == 0, err
    assert f"Total: {SECTIONS} verified." in out
    assert len(puts_sent()) == SECTIONS
    # One login for the whole batch: every course used the one token.
    assert tokens_requested(since=earlier) == 1
    after = written(capsys, COURSES[0])
    assert after != before
    with (tmp_path / "report.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["courseId"] for row in rows] == COURSES
    assert {row["status"] for row in rows} == {"verified"}
    assert all(Path(row["backup"]).is_file() and row["itemsChanged"] == "12" for row in rows)

    code, out, err = shift(capsys)  # the same command again: nothing is shifted twice
    assert code == 0, err
    assert "Continuing batch" in err and "Nothing to write" in err and "--restart" in err
    assert out.count("already done by the earlier run") == SECTIONS
    assert len(puts_sent()) == SECTIONS
    assert written(capsys, COURSES[0]) == after

    code, out, err = shift(capsys, "--restart")  # asked for: shifted again
    assert code == 0, err
    assert len(puts_sent()) == 2 * SECTIONS

    code, out, err = run(capsys, "batch", "status")
    assert code == 0, err
    lines = [line for line in out.splitlines() if "shift" in line]
    assert len(lines) == 2 and "set aside (--restart)" in lines[1] and "finished" in lines[0]


def test_a_course_that_fails_is_named_and_the_rerun_finishes_only_it(
    term: Any, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = COURSES[5]
    term.set_faults(f"status500=9@PUT:/courses/{bad}/")
    code, out, err = shift(capsys, "--report", str(tmp_path / "report.json"))
    assert code == 5
    assert f"Failed: 1 course(s): {bad}." in err
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))["courses"]
    failed = [row for row in report if row["status"] == "failed"]
    assert [row["courseId"] for row in failed] == [bad] and failed[0]["error"]
    assert len([row for row in report if row["status"] == "verified"]) == SECTIONS - 1

    term.clear_faults()
    code, out, err = shift(capsys)
    assert code == 0, err
    assert out.count("already done by the earlier run") == SECTIONS - 1
    assert "Total: 1 verified, 11 already done." in out
    code, out, err = run(capsys, "batch", "status")
    assert "finished" in out


def test_every_problem_is_listed_and_nothing_is_written(
    term: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    # 234567 is taught by someone else; 999999 does not exist; -30,000 days lands in 1929.
    code, _, err = run(capsys, "--yes", "shift", COURSES[0], "234567", "999999", "--days", "7")
    assert code == 1
    assert "Nothing was sent: 2 problem(s) found." in err
    assert "Course 234567:" in err and "Course 999999:" in err
    code, _, err = run(capsys, "--yes", "shift", *COURSES[:3], "--days", "-30000")
    assert code == 1 and "is not between 1990 and 2100" in err
    assert puts_sent() == []


def test_too_many_requests_slow_the_whole_batch_and_it_still_finishes(
    term: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    term.set_faults("status429=3@PUT,retry_after=0")
    code, out, err = shift(capsys)
    assert code == 0, err
    assert f"Total: {SECTIONS} verified." in out
    assert "The server asked to slow down 3 time(s): the batch went down to" in err


def test_an_expired_token_is_renewed_once_for_every_course(
    term: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    term.set_faults("expire_tokens=1@PUT")
    code, _, err = shift(capsys)
    assert code == 0, err
    assert tokens_requested() == 2  # the login, and one renewal shared by all


def test_dry_run_shows_every_course_and_sends_nothing(
    term: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "shift", *COURSES[:4], "--days", "7", "--dry-run")
    assert code == 0, err
    assert out.count("27 date(s) of 12 item(s) move by +7 days") == 4
    assert "Quiz 1' start: Wed 2011-01-19 " in out  # --dry-run lists every move
    assert out.count("would be written") == 4 and "Dry run: nothing was sent." in err
    assert puts_sent() == []


def test_a_course_changed_between_check_and_write_is_a_conflict_not_an_overwrite(
    term: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    # Someone else edits section 3 right after the batch read it for the check.
    term.set_faults(f"touch=1@GET:/courses/{COURSES[2]}/")
    code, out, err = shift(capsys)
    assert code == 4, err
    assert f"Failed: 1 course(s): {COURSES[2]}." in err
    assert "someone changed this course" in out
    assert len(puts_sent()) == SECTIONS - 1


def test_batch_status_names_each_course_and_batch_resume_finishes_the_batch(
    term: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = COURSES[3]
    term.set_faults(f"status500=9@PUT:/courses/{bad}/")
    code, _, _ = shift(capsys)
    assert code == 5
    term.clear_faults()
    code, out, err = run(capsys, "batch", "status")
    assert code == 0, err
    (line,) = [line for line in out.splitlines() if " shift " in line]
    batch_id = line.split()[0]
    assert line.endswith("finished, 1 failed") and f"batch resume {batch_id}" in err

    code, out, err = run(capsys, "batch", "status", batch_id[:17])
    assert code == 0, err
    rows = {line.split()[0]: line for line in out.splitlines() if line[:6] in COURSES}
    assert " failed " in rows[bad] and " verified " in rows[COURSES[0]]

    code, out, err = run(capsys, "--yes", "batch", "resume", batch_id)
    assert code == 0, err
    assert "Total: 1 verified, 11 already done." in out
    assert len([line for line in puts_sent() if " 204 " in line]) == SECTIONS  # one each
