"""activity.py against httpx.MockTransport: exact requests, tolerant parsing, clear errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from scheduler_gui.api.activity import (
    ACTIVITY_TYPES,
    ActivityEntry,
    activity_feed,
    begin_ping,
    check_feed_courses,
    course_entry,
    decode_entry_url,
    end_ping,
)
from scheduler_gui.api.client import LearningStudioClient
from scheduler_gui.api.errors import (
    ForbiddenError,
    NetworkError,
    NotFoundError,
    RejectedInputError,
    ServerError,
)

BASE = "https://api.example.test"
PAGE_EXAMPLE: dict[str, Any] = {  # the API page's example entry, verbatim
    "id": "http://api.learningstudio.com/courses/123456/dropboxbaskets/4989/messages/895",
    "postedTime": "2011-02-24T21:16:17Z",
    "actor": {
        "role": "STUD",
        "referenceId": 456456,
        "id": "http://api.learningstudio.com/users/456456",
        "title": "Jane Doe",
        "objectType": "enrolled-user",
    },
    "verb": "submit",
    "object": {
        "courseId": 123456,
        "attachments": [],
        "referenceId": 895,
        "id": "http://api.learningstudio.com/courses/123456/dropboxbaskets/4989/messages/895",
        "summary": "Here is my submission.",
        "objectType": "dropbox-submission",
    },
    "target": {
        "courseId": 123456,
        "referenceId": 4989,
        "id": "http://api.learningstudio.com/courses/123456/dropboxbaskets/4989",
        "title": "Assignment 1",
        "objectType": "dropbox-basket",
    },
}


class Recorder:
    """MockTransport handler: records requests and answers with a scripted response."""

    def __init__(self, answer: Callable[[httpx.Request], httpx.Response]) -> None:
        self.answer = answer
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.answer(request)


def make_client(
    answer: Callable[[httpx.Request], httpx.Response], fmt: str = "json"
) -> tuple[LearningStudioClient, Recorder]:
    recorder = Recorder(answer)
    client = LearningStudioClient(
        BASE, None, transport=httpx.MockTransport(recorder), fmt=fmt, sleep=lambda _s: None
    )
    return client, recorder


def feed_answer(items: list[Any]) -> Callable[[httpx.Request], httpx.Response]:
    return lambda _r: httpx.Response(200, json={"activityStream": {"items": items}})


def query(request: httpx.Request) -> dict[str, list[str]]:
    return parse_qs(urlsplit(str(request.url)).query)


# ---------------------------------------------------------------------- course entry


def test_course_entry_posts_the_examples_body_form() -> None:
    url = "https://ls.test/launch/abc?token=t&returnUrl=x"
    client, rec = make_client(
        lambda _r: httpx.Response(200, json={"courseEntry": {"entryUrl": url}})
    )
    got = course_entry(
        client, "123456", exit_url="http://example.edu/return", logout_url="http://x/out"
    )
    assert got == url
    (request,) = rec.requests
    assert request.method == "POST"
    assert request.url.path == "/me/courses/123456/courseEntry.json"
    assert json.loads(request.content) == {
        "courseEntry": {"exitUrl": "http://example.edu/return", "logoutUrl": "http://x/out"}
    }


def test_course_entry_for_another_user_uses_the_users_route() -> None:
    client, rec = make_client(
        lambda _r: httpx.Response(200, json={"courseEntry": {"entryUrl": "https://e/x"}})
    )
    course_entry(client, 98765, user=12345)
    assert rec.requests[0].url.path == "/users/12345/courses/98765/courseEntry.json"


def test_course_entry_is_never_cached() -> None:
    counter = iter(range(100))
    client, rec = make_client(
        lambda _r: httpx.Response(
            200, json={"courseEntry": {"entryUrl": f"https://e/launch/{next(counter)}"}}
        )
    )
    first, second = course_entry(client, "1"), course_entry(client, "1")
    assert first != second and len(rec.requests) == 2


def test_xml_entry_url_has_literal_ampersands_even_when_escaped_twice() -> None:
    body = (
        b'<?xml version="1.0" encoding="utf-8"?><courseEntry><entryUrl>'
        b"https://e/launch?token=abc&amp;amp;redirectUrl=x&amp;createNewCookie=true"
        b"</entryUrl></courseEntry>"
    )
    client, rec = make_client(lambda _r: httpx.Response(200, content=body), fmt="xml")
    url = course_entry(client, "123456", exit_url="http://example.edu/a?b=1&c=2")
    assert url == "https://e/launch?token=abc&redirectUrl=x&createNewCookie=true"
    request = rec.requests[0]
    assert request.url.path.endswith("/courseEntry.xml")
    assert request.headers["Content-Type"] == "application/xml"
    assert b"<courseEntry><exitUrl>http://example.edu/a?b=1&amp;c=2</exitUrl>" in request.content


@pytest.mark.parametrize(
    "hostile",
    [
        "file:///etc/passwd",
        "javascript:alert(document.cookie)",
        "smb://attacker.campus.invalid/share",
        "/launch/abc",
        "launch.html",
        "http://lms.campus.invalid/launch",  # plain http to another computer
        "HTTPS:",  # no host
        "data:text/html,<script>alert(1)</script>",
    ],
)
def test_a_course_entry_url_that_is_not_https_is_refused_with_a_message(hostile: str) -> None:
    client, _ = make_client(
        lambda _r: httpx.Response(200, json={"courseEntry": {"entryUrl": hostile}})
    )
    with pytest.raises(ServerError, match="only https:// links are opened") as caught:
        course_entry(client, "123456")
    assert hostile[:20] in str(caught.value) and caught.value.exit_code == 5


@pytest.mark.parametrize(
    "fine", ["https://lms.campus.invalid/launch?t=1", "http://127.0.0.1:8765/x", "http://[::1]/x"]
)
def test_https_and_loopback_http_entry_urls_are_opened(fine: str) -> None:
    client, _ = make_client(
        lambda _r: httpx.Response(200, json={"courseEntry": {"entryUrl": fine}})
    )
    assert course_entry(client, "123456") == fine


def test_decode_entry_url_leaves_a_plain_url_alone() -> None:
    assert decode_entry_url(" http://e/x?a=1&b=2 ") == "http://e/x?a=1&b=2"


def test_course_entry_without_url_is_a_clear_server_error() -> None:
    client, _ = make_client(lambda _r: httpx.Response(200, json={"courseEntry": {}}))
    with pytest.raises(ServerError, match="did not return a course entry URL"):
        course_entry(client, "123456")


def test_course_entry_needs_a_numeric_course() -> None:
    client, rec = make_client(lambda _r: httpx.Response(500))
    with pytest.raises(RejectedInputError, match="numeric course id"):
        course_entry(client, "ccn=DEMO-101")
    assert rec.requests == []


# ---------------------------------------------------------------------- feed


def test_feed_always_asks_for_v2_and_parses_the_page_example() -> None:
    client, rec = make_client(feed_answer([PAGE_EXAMPLE]))
    (entry,) = activity_feed(client)
    assert rec.requests[0].url.path == "/me/lastactivityfeed.json"
    assert query(rec.requests[0]) == {"v": ["2"]}
    assert entry.posted == datetime(2011, 2, 24, 21, 16, 17, tzinfo=UTC)
    assert (entry.actor_name, entry.actor_role, entry.actor_id) == ("Jane Doe", "STUD", 456456)
    assert entry.role_name == "Student"
    assert (entry.verb, entry.object_type, entry.object_id) == ("submit", "dropbox-submission", 895)
    assert entry.summary == "Here is my submission."
    assert (entry.target_title, entry.target_type, entry.target_id) == (
        "Assignment 1",
        "dropbox-basket",
        4989,
    )
    assert entry.course_id == "123456"
    assert entry.what == "submit dropbox-submission"
    assert entry.raw == PAGE_EXAMPLE


def test_feed_sends_every_filter_together() -> None:
    client, rec = make_client(feed_answer([]))
    after = datetime(2013, 2, 1, 1, 0, tzinfo=timezone(timedelta(hours=1)))
    activity_feed(
        client,
        user=12345,
        course_ids=["123456", 78901],
        types=["thread-post", "Remark"],
        after=after,
        before="2014-09-01T00:00:00Z",
    )
    request = rec.requests[0]
    assert request.url.path == "/users/12345/lastactivityfeed.json"
    assert query(request) == {
        "v": ["2"],
        "courseid": ["123456,78901"],
        "types": ["thread-post,remark"],
        "after": ["2013-02-01T00:00:00Z"],
        "before": ["2014-09-01T00:00:00Z"],
    }
    assert "," in str(request.url) and "%2C" not in str(request.url)


def test_feed_accepts_the_loginid_overload() -> None:
    client, rec = make_client(feed_answer([]))
    activity_feed(client, user="loginid=gbtestc|jdoe")
    assert rec.requests[0].url.path == "/users/loginid=gbtestc|jdoe/lastactivityfeed.json"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"types": ["thread-pot"]}, "Unknown activity type thread-pot. Use one or more of"),
        ({"course_ids": ["ccn=DEMO-101"]}, "numeric course ids, not call numbers"),
        ({"after": "yesterday"}, "--after: 'yesterday' is not a timestamp"),
        ({"user": "bob"}, "'bob' is not a user here"),
    ],
)
def test_feed_rejects_bad_arguments_before_any_request(
    kwargs: dict[str, Any], message: str
) -> None:
    client, rec = make_client(feed_answer([]))
    with pytest.raises(RejectedInputError, match=message):
        activity_feed(client, **kwargs)
    assert rec.requests == []


def test_all_six_documented_types_are_accepted() -> None:
    client, rec = make_client(feed_answer([]))
    activity_feed(client, types=ACTIVITY_TYPES)
    assert query(rec.requests[0])["types"] == [",".join(ACTIVITY_TYPES)]


def test_feed_entries_tolerate_missing_and_odd_fields() -> None:
    client, _ = make_client(
        feed_answer(
            [
                {},
                {"postedTime": "not a time", "actor": "nobody", "verb": 3},
                {
                    "actor": {"id": "http://api.learningstudio.com/users/77"},
                    "target": {"courseId": "55", "objectType": "exam", "courseitemId": "987"},
                },
                "garbage",
            ]
        )
    )
    empty, odd, exam = activity_feed(client)
    assert empty == ActivityEntry(
        None, "", "", None, "", "", "", None, "", "", None, "", None, raw={}
    )
    assert odd.posted is None and odd.actor_name == "" and odd.verb == "3" and odd.what == "3"
    assert exam.actor_id == 77 and exam.course_id == "55" and exam.target_item_id == 987
    assert exam.to_json()["target"]["courseItemId"] == 987


def test_feed_in_xml_with_one_entry_and_string_leaves() -> None:
    body = (
        b"<activityStream><title>Feed</title><items><item><postedTime>2011-02-24T21:16:17Z"
        b"</postedTime><actor><role>PROF</role><referenceId>100002</referenceId>"
        b"<title>Pat Professor</title></actor><verb>post</verb><object><courseId>123456"
        b"</courseId><attachments/><referenceId>9</referenceId><summary>Hi &amp; welcome"
        b"</summary><objectType>remark</objectType></object></item></items></activityStream>"
    )
    client, rec = make_client(lambda _r: httpx.Response(200, content=body), fmt="xml")
    (entry,) = activity_feed(client)
    assert rec.requests[0].url.path == "/me/lastactivityfeed.xml"
    assert entry.actor_id == 100002 and entry.role_name == "Professor"
    assert entry.summary == "Hi & welcome" and entry.course_id == "123456"


def test_empty_or_unexpected_feed_bodies() -> None:
    client, _ = make_client(lambda _r: httpx.Response(200, content=b""))
    assert activity_feed(client) == []
    client, _ = make_client(lambda _r: httpx.Response(200, json={"activityStream": {}}))
    assert activity_feed(client) == []
    client, _ = make_client(lambda _r: httpx.Response(200, content=b"{not json"))
    with pytest.raises(ServerError, match="not valid JSON or XML"):
        activity_feed(client)


def test_feed_forbidden_is_a_forbidden_error() -> None:
    client, _ = make_client(
        lambda _r: httpx.Response(403, json={"error": {"message": "no", "errorId": "x"}})
    )
    with pytest.raises(ForbiddenError) as caught:
        activity_feed(client, user=100005)
    assert caught.value.status == 403


# ---------------------------------------------------------------------- pings


def test_pings_use_the_documented_routes_without_body() -> None:
    client, rec = make_client(lambda _r: httpx.Response(204))
    begin_ping(client, "123456", 987)
    assert end_ping(client, 123456, "987", user=1234) is True
    assert [(r.method, r.url.path, r.content) for r in rec.requests] == [
        ("POST", "/me/courses/123456/items/987/activity/beginping.json", b""),
        ("POST", "/users/1234/courses/123456/items/987/activity/endping.json", b""),
    ]


def test_endping_without_a_clock_is_logged_and_returns_false(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level("INFO", logger="scheduler_gui.api.activity")
    client, _ = make_client(
        lambda _r: httpx.Response(400, json={"error": {"message": "No active clock"}})
    )
    assert end_ping(client, "123456", 987) is False
    assert "no activity clock was running" in caplog.text


def test_endping_other_failures_are_raised() -> None:
    def drop(_r: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused")

    client, rec = make_client(drop)
    with pytest.raises(NetworkError):
        end_ping(client, "123456", 987)
    assert len(rec.requests) == 1  # a POST is never retried


@pytest.mark.parametrize(
    ("course", "item", "user", "message"),
    [
        ("ccn=DEMO-101", 1, "me", "numeric course id \\(no ccn=\\)"),
        ("123456", "x", "me", "not a numeric content item id"),
        ("123456", 1, "loginid=sandbox|prof", "Give .me. \\(yourself\\) or a numeric user id\\."),
    ],
)
def test_pings_reject_overloads(course: str, item: Any, user: str, message: str) -> None:
    client, rec = make_client(lambda _r: httpx.Response(204))
    with pytest.raises(RejectedInputError, match=message):
        end_ping(client, course, item, user=user)
    assert rec.requests == []


# ---------------------------------------------------------------------- feed courses


def test_a_feed_course_is_checked_on_courses_then_on_my_courses() -> None:
    """404 on /courses/{id} is "no such course" only when /me/courses does not list it:
    a server without the /courses/{id} route must not call a real course missing."""

    def answer(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path.startswith("/courses/"):
            return httpx.Response(404, json={"error": {"message": "no route"}})
        if path.startswith("/me/courses"):
            return httpx.Response(200, json={"courses": [{"id": 123456}]})
        return httpx.Response(500)

    client, recorder = make_client(answer)
    check_feed_courses(client, ["123456"])  # listed: fine
    with pytest.raises(NotFoundError, match=r"no such course: 999999\."):
        check_feed_courses(client, ["999999"])
    assert [r.url.path for r in recorder.requests] == [
        "/courses/123456.json", "/me/courses.json", "/courses/999999.json", "/me/courses.json",
    ]  # fmt: skip

    client, _ = make_client(lambda _r: httpx.Response(404))
    check_feed_courses(client, ["999999"])  # neither route: cannot tell, so no error
    client, _ = make_client(lambda _r: httpx.Response(403))
    with pytest.raises(ForbiddenError, match="not in course 123457"):
        check_feed_courses(client, ["123457"])
