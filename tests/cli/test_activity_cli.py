"""``schedctl open``, ``activity`` and ``endping`` against the sandbox over loopback."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from scheduler_gui.api.activity import begin_ping
from scheduler_gui.sandbox import facts
from tests.helpers import sandbox_client, schedctl, schedctl_login

DEMO = str(facts.DEMO_COURSE_ID)
JDOE = str(facts.USERS["jdoe"][0])


@pytest.fixture
def as_user(sandbox: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """``as_user("prof")``: schedctl logs in to the sandbox as that user (environment)."""

    def login(user: str) -> None:
        schedctl_login(monkeypatch, sandbox.url, user, retries=3)

    login("prof")
    return login


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    return schedctl(capsys, *argv, tz=None)


# ---------------------------------------------------------------------- open


@pytest.mark.parametrize("course", [DEMO, "ccn=DEMO-101"])
def test_open_print_gives_a_working_entry_url(
    as_user: Any, capsys: pytest.CaptureFixture[str], course: str
) -> None:
    code, out, _ = run(capsys, "open", course, "--print")
    assert code == 0
    url = out.strip()
    assert "&amp;" not in url
    assert "Demonstration Course 101" in httpx.get(url).text


def test_open_print_in_xml_has_literal_ampersands(
    as_user: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--format", "xml", "open", DEMO, "--print")
    assert code == 0 and "&amp;" not in out and out.count("&") >= 4
    assert httpx.get(out.strip()).status_code == 200


def test_open_hands_the_url_to_the_browser(
    as_user: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", lambda url: opened.append(url) or True)
    code, out, err = run(capsys, "open", DEMO, "--exit-url", "http://example.edu/back")
    assert code == 0 and out == ""
    assert "Opened course 123456 in the web browser" in err
    (url,) = opened
    page = httpx.get(url).text
    assert "Demonstration Course 101" in page and "http://example.edu/back" in page


def test_open_without_a_browser_prints_the_url(
    as_user: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("webbrowser.open", lambda url: False)
    code, out, err = run(capsys, "open", DEMO)
    assert code == 0
    assert "No web browser could be started" in err
    assert out.strip().startswith("http")


def test_open_a_course_the_user_is_not_in_exits_3(
    as_user: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "open", str(facts.OTHER_COURSE_ID), "--print")
    assert code == 3 and out == ""
    assert err.startswith("schedctl: ") and "Traceback" not in err


# ---------------------------------------------------------------------- activity


def test_activity_table_is_aligned_and_in_the_time_zone(
    as_user: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    as_user("jdoe")
    code, out, _ = run(capsys, "--tz", "America/Denver", "activity", "--course", DEMO)
    assert code == 0
    header, *rows = out.splitlines()
    assert header.split() == ["Time", "Who", "Role", "What", "Item", "/", "target", "Summary"]
    assert len(rows) == 6
    columns = [header.index(name) for name in ("Who", "Role", "What", "Item / target")]
    for row in rows:
        assert row[columns[0] :].startswith("Jane Doe")
        assert row[columns[1] :].startswith("Student")
        assert row[columns[2] - 2 : columns[2]] == "  "
        assert " MST " in row[: columns[0]] or " MDT " in row[: columns[0]]
    submission = next(row for row in rows if "dropbox-submission" in row)
    assert submission[columns[3] :].startswith("Assignment 1")
    assert submission.endswith("Here is my submission.")


def test_activity_json_with_every_filter(as_user: Any, capsys: pytest.CaptureFixture[str]) -> None:
    as_user("jdoe")
    code, out, _ = run(
        capsys,
        "activity",
        "--json",
        "--course",
        f"{DEMO},{facts.OTHER_COURSE_ID}",
        "--types",
        "dropbox-submission",
        "--types",
        "thread-post,grade",
        "--after",
        "2011-01-01T00:00:00Z",
        "--before",
        "2011-12-31",
    )
    assert code == 0
    entries = json.loads(out)
    assert {e["object"]["type"] for e in entries} == {"dropbox-submission", "thread-post", "grade"}
    assert {e["courseId"] for e in entries} == {DEMO, str(facts.OTHER_COURSE_ID)}
    assert all(e["actor"]["name"] == "Jane Doe" for e in entries)
    assert all("2011-01-01T00:00:00Z" < e["postedTime"] < "2012" for e in entries)
    code, out, _ = run(capsys, "activity", "--json", "--before", "2011-01-01")
    assert code == 0 and json.loads(out) == []


def test_professor_visibility_rule_explains_to_pass_course(
    as_user: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "activity", "--user", JDOE)
    assert code == 3 and out == ""
    assert "Pass --course COURSE_ID" in err and "do not teach" in err
    code, out, _ = run(capsys, "activity", "--user", JDOE, "--course", DEMO, "--json")
    assert code == 0
    entries = json.loads(out)
    assert entries and {e["courseId"] for e in entries} == {DEMO}


def test_activity_of_a_user_named_by_loginid(
    as_user: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    user = f"loginid={facts.CLIENT_STRING}|jdoe"
    code, out, _ = run(capsys, "activity", "--user", user, "--course", DEMO, "--json")
    assert code == 0
    assert {e["actor"]["id"] for e in json.loads(out)} == {int(JDOE)}


def test_activity_bad_options(as_user: Any, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "activity", "--types", "thread-pot")
    assert code == 1 and "Unknown activity type thread-pot" in err and "remark" in err
    code, _, err = run(capsys, "activity", "--after", "last tuesday")
    assert code == 2 and "--after 'last tuesday' is not a time" in err
    code, _, err = run(capsys, "activity", "--course", "ccn=DEMO-101")
    assert code == 1 and "not call numbers" in err
    code, _, err = run(capsys, "--tz", "Mars/Olympus", "activity")
    assert code == 2 and "Unknown time zone" in err


def test_activity_with_nothing_to_show(as_user: Any, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "activity", "--types", "grade")  # prof has no grades
    assert code == 0 and out == "" and "No activity matches." in err


@pytest.mark.parametrize("output", [[], ["--json"]])
def test_a_course_that_does_not_exist_is_named_not_an_empty_feed(
    as_user: Any, capsys: pytest.CaptureFixture[str], output: list[str]
) -> None:
    """The feed answers a mistyped course with no entries, as for a quiet course: the
    course is checked, and the error is get's (exit 1, the id named)."""
    as_user("student")
    code, out, err = run(capsys, "activity", "--course", f"{DEMO},999999", *output)
    assert code == 1 and out == "", err
    assert "no such course: 999999." in err and "Check the course id" in err
    assert "No activity matches" not in err
    assert run(capsys, "get", "999999")[0] == code  # one exit code for "no such course"


def test_a_course_the_user_is_not_in_is_a_permission_error(
    as_user: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    as_user("student")  # not in the big course 900000
    code, out, err = run(capsys, "activity", "--course", "900000")
    assert code == 3 and out == "", err
    assert "You are not in course 900000" in err and "No activity matches" not in err


def test_an_existing_course_with_nothing_in_the_window_still_says_no_activity_matches(
    as_user: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    as_user("student")
    code, out, err = run(capsys, "activity", "--course", DEMO, "--after", "2030-01-01")
    assert code == 0 and out == "" and "No activity matches." in err
    code, out, err = run(capsys, "activity", "--course", DEMO, "--after", "2030-01-01", "--json")
    assert code == 0 and json.loads(out) == [], err


# ---------------------------------------------------------------------- endping


def test_endping_without_a_clock_is_not_a_failure(
    as_user: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "endping", DEMO, str(facts.COURSE_HOME_ID))
    assert code == 0 and out == ""
    assert "No activity clock was running" in err


def test_endping_stops_a_running_clock(
    as_user: Any, sandbox: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    ta = facts.USERS["ta"][0]
    with sandbox_client(sandbox.url, "ta") as client:
        begin_ping(client, DEMO, facts.COURSE_HOME_ID)
    as_user("ta")
    code, _, err = run(capsys, "endping", DEMO, str(facts.COURSE_HOME_ID), "--user", str(ta))
    assert code == 0 and "Stopped the activity clock" in err
    assert sandbox.state.store.one("SELECT 1 FROM clocks WHERE user_id = ?", (ta,)) is None


@pytest.mark.parametrize(
    "argv",
    [["open", DEMO, "--print"], ["activity"], ["endping", DEMO, "1"]],
)
def test_oauth1_needs_a_user_id_not_me(
    as_user: Any, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    code, out, err = run(capsys, "--auth", "oauth1", *argv)
    assert code == 2 and out == ""
    assert "/me shortcut works with OAuth 2 only" in err and "--user USER_ID" in err


def test_oauth1_with_a_user_id(
    as_user: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LS_TOKEN_KEY_MONIKER", facts.TOKEN_KEY_MONIKER)
    monkeypatch.setenv("LS_SHARED_SECRET", facts.SHARED_SECRET)
    code, out, _ = run(capsys, "--auth", "oauth1", "activity", "--user", JDOE, "--json")
    assert code == 0 and {e["actor"]["name"] for e in json.loads(out)} == {"Jane Doe"}
    prof = str(facts.USERS["prof"][0])
    code, _, err = run(
        capsys, "--auth", "oauth1", "endping", DEMO, str(facts.COURSE_HOME_ID), "--user", prof
    )
    assert code == 0 and "No activity clock was running" in err


def test_endping_rejects_a_call_number(as_user: Any, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "endping", "ccn=DEMO-101", "1")
    assert code == 1 and "numeric course id" in err
