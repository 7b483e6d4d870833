"""Course entry, the activity feed and the clock pings against the sandbox over loopback."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest

from scheduler_gui.api.activity import (
    ACTIVITY_TYPES,
    activity_feed,
    begin_ping,
    course_entry,
    end_ping,
)
from scheduler_gui.api.auth import OAuth2PasswordAuth
from scheduler_gui.api.client import LearningStudioClient
from scheduler_gui.api.clock import clock_for_client
from scheduler_gui.api.errors import ForbiddenError, NotFoundError, RejectedInputError
from scheduler_gui.sandbox import facts

DEMO = str(facts.DEMO_COURSE_ID)
OTHER = str(facts.OTHER_COURSE_ID)
PROF, STUDENT, JDOE, PROF2 = (facts.USERS[n][0] for n in ("prof", "student", "jdoe", "prof2"))
ITEM_A, ITEM_B = facts.COURSE_HOME_ID, facts.ASSIGNMENT_1_ID

ClientFactory = Callable[..., LearningStudioClient]


@pytest.fixture
def login(sandbox: Any) -> Iterator[ClientFactory]:
    """``login("prof", fmt="xml")`` -> a client logged in to the sandbox as that user."""
    clients: list[LearningStudioClient] = []

    def make(user: str = "prof", fmt: str = "json") -> LearningStudioClient:
        app, client_string = facts.APPLICATION_ID, facts.CLIENT_STRING
        auth = OAuth2PasswordAuth(sandbox.url, app, client_string, user, user)
        client = LearningStudioClient(sandbox.url, auth, fmt=fmt)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


def running_clock(sandbox: Any, user_id: int) -> tuple[int, int] | None:
    """(course, item) of the user's running clock on the server, if any."""
    row = sandbox.state.store.one(
        "SELECT course_id, item_id FROM clocks WHERE user_id = ?", (user_id,)
    )
    return None if row is None else (int(row["course_id"]), int(row["item_id"]))


# ---------------------------------------------------------------------- course entry


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_entry_url_opens_the_sandbox_launch_page(login: ClientFactory, fmt: str) -> None:
    client = login("prof", fmt)
    url = course_entry(
        client, DEMO, exit_url="http://example.edu/return", logout_url="http://example.edu/out"
    )
    assert "&amp;" not in url
    assert url.count("&") >= 4  # token, redirectUrl, createNewCookie, returnUrl, ...
    page = httpx.get(url)
    assert page.status_code == 200
    assert "Demonstration Course 101" in page.text
    assert "Pat Professor" in page.text
    assert 'href="http://example.edu/return"' in page.text  # the exitUrl arrived


def test_xml_entry_url_is_decoded_from_the_raw_answer(login: ClientFactory, sandbox: Any) -> None:
    client = login("prof", "xml")
    raw = client.request(
        "POST",
        client.url("me", "courses", DEMO, "courseEntry"),
        content=b"<courseEntry><exitUrl>http://example.edu/r</exitUrl></courseEntry>",
        headers={"Content-Type": "application/xml"},
    )
    assert b"&amp;" in raw.content  # what the page warns about
    url = course_entry(client, DEMO)
    assert "&amp;" not in url and "&createNewCookie=true&" in url


def test_each_entry_url_is_fresh(login: ClientFactory) -> None:
    client = login("student")
    assert course_entry(client, DEMO) != course_entry(client, DEMO)


def test_entry_for_a_course_the_user_is_not_in_is_forbidden(login: ClientFactory) -> None:
    with pytest.raises(ForbiddenError):
        course_entry(login("prof"), OTHER)


# ---------------------------------------------------------------------- feed filters


def test_feed_of_my_own_activity(login: ClientFactory) -> None:
    entries = activity_feed(login("jdoe"))
    assert entries, "the sandbox seeds activity for jdoe"
    assert {e.actor_id for e in entries} == {JDOE}
    assert {e.course_id for e in entries} == {DEMO, OTHER}
    assert {e.object_type for e in entries} == set(ACTIVITY_TYPES)
    assert all(e.posted is not None and e.posted.utcoffset() == timedelta(0) for e in entries)
    assert all(e.actor_name == "Jane Doe" and e.role_name == "Student" for e in entries)


def test_course_filter(login: ClientFactory) -> None:
    client = login("jdoe")
    everything = activity_feed(client)
    demo = activity_feed(client, course_ids=[DEMO])
    other = activity_feed(client, course_ids=[OTHER])
    both = activity_feed(client, course_ids=[DEMO, OTHER])
    assert demo and other
    assert {e.course_id for e in demo} == {DEMO}
    assert {e.course_id for e in other} == {OTHER}
    assert len(demo) + len(other) == len(both) == len(everything)


@pytest.mark.parametrize("kind", ACTIVITY_TYPES)
def test_type_filter_each_type(login: ClientFactory, kind: str) -> None:
    entries = activity_feed(login("student"), types=[kind])
    assert entries and {e.object_type for e in entries} == {kind}


def test_type_filter_several_types(login: ClientFactory) -> None:
    client = login("student")
    entries = activity_feed(client, types=["thread-post", "remark"])
    assert {e.object_type for e in entries} == {"thread-post", "remark"}
    assert len(entries) == len(activity_feed(client, types=["thread-post"])) + len(
        activity_feed(client, types=["remark"])
    )


def test_after_and_before_split_the_feed(login: ClientFactory) -> None:
    client = login("jdoe")
    everything = activity_feed(client)
    times = sorted({e.posted for e in everything if e.posted})
    assert len(times) >= 3
    middle = times[len(times) // 2]
    after = activity_feed(client, after=middle)
    before = activity_feed(client, before=middle)
    assert after and before
    assert all(e.posted and e.posted > middle for e in after)
    assert all(e.posted and e.posted < middle for e in before)
    at_middle = sum(1 for e in everything if e.posted == middle)
    assert len(after) + len(before) + at_middle == len(everything)
    window = activity_feed(client, after=times[0], before=times[-1])
    assert {e.posted for e in window} == set(times[1:-1])


def test_every_filter_combined(login: ClientFactory) -> None:
    client = login("jdoe")
    everything = activity_feed(client)
    times = sorted({e.posted for e in everything if e.posted})
    start, end = times[0] - timedelta(seconds=1), times[-1] + timedelta(seconds=1)
    kinds = ["dropbox-submission", "thread-post"]
    got = activity_feed(client, course_ids=[DEMO], types=kinds, after=start, before=end)
    expected = [
        e
        for e in everything
        if e.course_id == DEMO and e.object_type in kinds and e.posted and start < e.posted < end
    ]
    assert got == expected and len(got) == 2
    assert activity_feed(client, course_ids=[OTHER], types=["grade"]) == []


def test_feed_in_xml_matches_json(login: ClientFactory) -> None:
    as_json = activity_feed(login("jdoe"), course_ids=[DEMO])
    as_xml = activity_feed(login("jdoe", "xml"), course_ids=[DEMO])
    assert as_xml == as_json


# ---------------------------------------------------------------------- visibility rule


def test_professor_needs_courseid_for_a_student_with_another_course(login: ClientFactory) -> None:
    prof = login("prof")
    with pytest.raises(ForbiddenError) as caught:
        activity_feed(prof, user=JDOE)  # jdoe also takes ART-210, which prof does not teach
    assert caught.value.status == 403
    entries = activity_feed(prof, user=JDOE, course_ids=[DEMO])
    assert entries and {e.course_id for e in entries} == {DEMO}
    assert {e.actor_id for e in entries} == {JDOE}


def test_professor_sees_a_student_who_shares_all_courses(login: ClientFactory) -> None:
    entries = activity_feed(login("prof"), user=STUDENT)
    assert entries and {e.course_id for e in entries} == {DEMO}


def test_courseid_of_a_course_the_professor_does_not_teach_is_still_forbidden(
    login: ClientFactory,
) -> None:
    with pytest.raises(ForbiddenError):
        activity_feed(login("prof"), user=JDOE, course_ids=[OTHER])
    assert activity_feed(login("prof2"), user=JDOE, course_ids=[OTHER])


def test_students_cannot_read_each_others_feed(login: ClientFactory) -> None:
    with pytest.raises(ForbiddenError):
        activity_feed(login("student"), user=JDOE, course_ids=[DEMO])


# ---------------------------------------------------------------------- clock pings


def test_begin_moves_between_items_and_end_stops(login: ClientFactory, sandbox: Any) -> None:
    client = login("prof")
    begin_ping(client, DEMO, ITEM_A)
    assert running_clock(sandbox, PROF) == (facts.DEMO_COURSE_ID, ITEM_A)
    begin_ping(client, DEMO, ITEM_B)  # no endping needed in between
    assert running_clock(sandbox, PROF) == (facts.DEMO_COURSE_ID, ITEM_B)
    assert end_ping(client, DEMO, ITEM_B) is True
    assert running_clock(sandbox, PROF) is None


def test_endping_without_a_clock_is_not_an_error(
    login: ClientFactory, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO", logger="scheduler_gui.api.activity")
    assert end_ping(login("student"), DEMO, ITEM_A) is False
    assert "no activity clock was running" in caplog.text


def test_endping_after_the_server_let_the_clock_run_out(login: ClientFactory, sandbox: Any) -> None:
    client = login("prof")
    begin_ping(client, DEMO, ITEM_A)
    sandbox.advance_clock(facts.CLOCK_LIFETIME + 1)
    assert end_ping(client, DEMO, ITEM_A) is False


def test_pings_in_xml_and_for_a_numeric_user(login: ClientFactory, sandbox: Any) -> None:
    client = login("ta", "xml")
    ta = facts.USERS["ta"][0]
    begin_ping(client, DEMO, ITEM_A, user=ta)
    assert running_clock(sandbox, ta) == (facts.DEMO_COURSE_ID, ITEM_A)
    assert end_ping(client, DEMO, ITEM_A, user=ta) is True


def test_ping_errors_that_are_real_errors(login: ClientFactory) -> None:
    client = login("prof")
    with pytest.raises(NotFoundError):
        begin_ping(client, DEMO, 1)  # no such item
    with pytest.raises(ForbiddenError):
        begin_ping(client, OTHER, 987700001)  # not enrolled
    with pytest.raises(RejectedInputError, match="no ccn="):
        begin_ping(client, "ccn=DEMO-101", ITEM_A)


def test_the_clock_manager_ends_an_idle_clock_on_the_server(
    login: ClientFactory, sandbox: Any
) -> None:
    now = [0.0]
    clock = clock_for_client(login("prof"), now=lambda: now[0])
    clock.open(DEMO, ITEM_A)
    clock.open(DEMO, ITEM_B)
    assert running_clock(sandbox, PROF) == (facts.DEMO_COURSE_ID, ITEM_B)
    now[0] += 9 * 60
    assert clock.tick() is False
    assert running_clock(sandbox, PROF) is not None
    now[0] += 60  # ten idle minutes
    assert clock.tick() is True
    assert running_clock(sandbox, PROF) is None
    clock.touch()  # back at the keyboard: recording resumes on the same item
    assert running_clock(sandbox, PROF) == (facts.DEMO_COURSE_ID, ITEM_B)
    assert clock.close() is True
    assert running_clock(sandbox, PROF) is None
    recorded = sandbox.state.store.all(
        "SELECT item_id FROM time_on_task WHERE user_id = ? ORDER BY rowid", (PROF,)
    )
    assert [row["item_id"] for row in recorded] == [ITEM_A, ITEM_B, ITEM_B]
