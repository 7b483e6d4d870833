"""Activity clock pings and the Last Activity Feed v2."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from scheduler_gui.core import xmlcodec
from tests.sandbox.helpers import error_of

Headers = dict[str, str]
ITEM = "/courses/123456/items/987654321/activity"
TYPES = {"thread-post", "thread-topic", "grade", "dropbox-submission", "exam-submission", "remark"}


def ping(client: httpx.Client, headers: Headers, which: str, user: str = "/me") -> httpx.Response:
    return client.post(f"{user}{ITEM}/{which}", headers=headers)


def test_begin_then_end_ping(client: httpx.Client, student: Headers) -> None:
    begin = ping(client, student, "beginping")
    assert begin.status_code == 204
    assert begin.content == b""
    assert ping(client, student, "endping", "/users/100004").status_code == 204


def test_endping_without_a_running_clock_is_400(client: httpx.Client, student: Headers) -> None:
    response = ping(client, student, "endping")
    assert response.status_code == 400
    assert error_of(response)["errorId"] == "no_active_clock"
    ping(client, student, "beginping")
    ping(client, student, "endping")
    assert ping(client, student, "endping").status_code == 400  # already stopped


def test_clock_runs_out_after_45_minutes(
    client: httpx.Client, login: Callable[[str], Headers], sandbox: Any
) -> None:
    sandbox.set_token_ttl(24 * 3600)  # the clock moves hours ahead; keep the token valid
    student = login("student")
    ping(client, student, "beginping")
    sandbox.advance_clock(44 * 60)
    ping(client, student, "beginping")  # moving to another item restarts the clock
    sandbox.advance_clock(44 * 60)
    assert ping(client, student, "endping").status_code == 204
    ping(client, student, "beginping")
    sandbox.advance_clock(45 * 60 + 1)
    assert ping(client, student, "endping").status_code == 400


def test_ping_overloads_and_roles(
    client: httpx.Client, student: Headers, login: Callable[[str], Headers]
) -> None:
    loginid = ping(client, student, "beginping", "/users/loginid=sandbox|student")
    assert loginid.status_code == 400
    ccn = client.post(
        "/me/courses/ccn=DEMO-101/items/987654321/activity/beginping", headers=student
    )
    assert ccn.status_code == 400
    assert ping(client, student, "beginping", "/users/100005").status_code == 403
    assert ping(client, login("admin"), "beginping").status_code == 403
    assert ping(client, login("prof"), "beginping").status_code == 204
    unknown_item = client.post("/me/courses/123456/items/5/activity/beginping", headers=student)
    assert unknown_item.status_code == 404


def feed(client: httpx.Client, headers: Headers, query: str, user: str = "/me") -> httpx.Response:
    return client.get(f"{user}/lastactivityfeed?{query}", headers=headers)


def test_feed_v2_has_every_activity_type(client: httpx.Client, student: Headers) -> None:
    response = feed(client, student, "v=2")
    assert response.status_code == 200
    stream = response.json()["activityStream"]
    assert stream["subject"]["referenceId"] == 100004
    items = stream["items"]
    assert {i["object"]["objectType"] for i in items} == TYPES
    assert all(i["actor"]["referenceId"] == 100004 and i["actor"]["role"] == "STUD" for i in items)
    posted = [i["postedTime"] for i in items]
    assert posted == sorted(posted, reverse=True)
    grade = next(i for i in items if i["object"]["objectType"] == "grade")
    assert grade["target"]["objectType"] == "gradable-item"
    assert "pointsPossible" in grade["target"] and "pointsAchieved" in grade["object"]


def test_feed_without_v2_is_the_old_v1_feed(client: httpx.Client, student: Headers) -> None:
    body = feed(client, student, "types=grade").json()
    assert "activityStream" not in body
    assert len(body["lastActivities"]) == 6  # filters are a v2 feature


def test_feed_filters(
    client: httpx.Client, student: Headers, login: Callable[[str], Headers]
) -> None:
    only = feed(client, student, "v=2&types=thread-post,remark").json()["activityStream"]["items"]
    assert {i["object"]["objectType"] for i in only} == {"thread-post", "remark"}
    everything = feed(client, student, "v=2").json()["activityStream"]["items"]
    middle = sorted(i["postedTime"] for i in everything)[2]
    after = feed(client, student, f"v=2&after={middle}").json()["activityStream"]["items"]
    assert after and all(i["postedTime"] > middle for i in after)
    before = feed(client, student, f"v=2&before={middle}").json()["activityStream"]["items"]
    assert before and all(i["postedTime"] < middle for i in before)
    assert len(after) + len(before) + 1 == len(everything)
    jdoe = login("jdoe")
    both = feed(client, jdoe, "v=2").json()["activityStream"]["items"]
    assert {i["object"]["courseId"] for i in both} == {123456, 234567}
    one = feed(client, jdoe, "v=2&courseid=234567").json()["activityStream"]["items"]
    assert one and {i["object"]["courseId"] for i in one} == {234567}


@pytest.mark.parametrize(
    "query", ["v=2&types=thread-pot", "v=2&courseid=ccn=DEMO-101", "v=2&after=yesterday"]
)
def test_bad_filters_are_400(client: httpx.Client, student: Headers, query: str) -> None:
    response = feed(client, student, query)
    assert response.status_code == 400
    error_of(response)


def test_professor_visibility_rule(client: httpx.Client, login: Callable[[str], Headers]) -> None:
    prof = login("prof")
    # student is only in DEMO-101, which prof teaches.
    assert feed(client, prof, "v=2", "/users/100004").status_code == 200
    # jdoe is also in ART-210, which prof does not teach: only with courseid of a shared course.
    assert feed(client, prof, "v=2", "/users/100005").status_code == 403
    shared = feed(client, prof, "v=2&courseid=123456", "/users/100005")
    assert shared.status_code == 200
    assert {i["object"]["courseId"] for i in shared.json()["activityStream"]["items"]} == {123456}
    assert feed(client, prof, "v=2&courseid=234567", "/users/100005").status_code == 403
    # Other students, TAs and admins may not read someone else's feed.
    assert feed(client, login("jdoe"), "v=2", "/users/100004").status_code == 403
    assert feed(client, login("ta"), "v=2", "/users/100004").status_code == 403
    assert feed(client, login("admin"), "v=2").status_code == 403
    by_login = feed(client, prof, "v=2", "/users/loginid=sandbox|student")
    assert by_login.status_code == 200


def test_feed_as_xml(client: httpx.Client, student: Headers) -> None:
    response = client.get("/me/lastactivityfeed.xml?v=2&types=dropbox-submission", headers=student)
    stream = xmlcodec.loads(response.content)["activityStream"]
    (item,) = stream["items"]
    assert item["object"]["objectType"] == "dropbox-submission"
    assert item["object"]["attachments"] == []
