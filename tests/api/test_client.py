"""LearningStudioClient over httpx.MockTransport: routes, formats, retries, errors, log."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from scheduler_gui.api.client import (
    LearningStudioClient,
    RequestRecord,
    RetryPolicy,
    parents_from_hierarchy,
    parse_retry_after,
)
from scheduler_gui.api.errors import (
    NetworkError,
    NotFoundError,
    RateLimitedError,
    RejectedInputError,
    ServerError,
)
from scheduler_gui.core import xmlcodec
from scheduler_gui.core.times import utc

from .fakes import CCN, COURSE, FakeLearningStudio, FakeTime

BASE = "https://api.example.test"


def make_client(
    server: FakeLearningStudio,
    fake_time: FakeTime | None = None,
    *,
    retry: RetryPolicy | None = None,
    fmt: str = "json",
    log: list[RequestRecord] | None = None,
) -> LearningStudioClient:
    fake_time = fake_time or FakeTime()
    return LearningStudioClient(
        BASE,
        None,
        transport=server.transport(),
        retry=retry or RetryPolicy(attempts=4, base_delay=1.0, max_delay=8.0, max_total=60.0),
        fmt=fmt,
        on_request=log.append if log is not None else None,
        sleep=fake_time.sleep,
        clock=fake_time.clock,
        rng=lambda: 0.5,  # no jitter: exact delays
    )


def test_get_schedule_attaches_parents_from_the_hierarchy() -> None:
    server = FakeLearningStudio()
    with make_client(server) as client:
        schedule = client.get_schedule(COURSE)
    assert schedule.course_id == COURSE
    assert [i.item_id for i in schedule] == [1, 2, 3, 4]
    assert {i.item_id: i.parent_id for i in schedule} == {1: None, 2: 1, 3: 1, 4: None}
    assert schedule.get(3).due == utc(2011, 2, 8, 6, 59)  # type: ignore[union-attr]
    paths = [r.url.path for r in server.requests]
    assert paths == [
        f"/courses/{COURSE}/itemSchedules.json",
        f"/courses/{COURSE}/itemHierarchy.json",
    ]


def test_server_without_hierarchy_or_courses_route_still_works() -> None:
    server = FakeLearningStudio(hierarchy=False, courses_route=False)
    with make_client(server) as client:
        schedule = client.get_schedule(f"ccn={CCN}")
        assert schedule.course_id == COURSE  # from the items' links
        assert all(i.parent_id is None for i in schedule)
        assert client.resolve_course_id(f"ccn={CCN}") == COURSE


def test_put_with_a_call_number_goes_to_the_numeric_id() -> None:
    server = FakeLearningStudio()
    with make_client(server) as client:
        schedule = client.get_schedule(COURSE)
        server.requests.clear()
        client.put_schedule(f"ccn={CCN}", schedule)
    assert [(r.method, r.url.path) for r in server.requests] == [
        ("GET", f"/courses/ccn={CCN}.json"),
        ("PUT", f"/courses/{COURSE}/itemSchedules.json"),
    ]
    put = server.requests[-1]
    assert put.headers["content-type"] == "application/json"
    reading = json.loads(put.content)["itemSchedules"][1]
    assert reading == {
        "itemId": 2,
        "schedule": {
            "accessSchedule": {
                "canAccessBeforeStartDateTime": False,
                "canAccessAfterEndDateTime": True,
            }
        },
    }


def test_xml_format_uses_the_suffix_and_parses_xml() -> None:
    server = FakeLearningStudio()

    def xml_answer(request: httpx.Request) -> httpx.Response:
        assert request.url.path.endswith("/itemSchedules.xml")
        assert request.headers["accept"] == "application/xml"
        return httpx.Response(200, content=xmlcodec.dumps(server.document))

    server.fail("GET", xml_answer)
    server.fail("PUT", httpx.Response(204))
    with make_client(server, fmt="xml") as client:
        schedule = client.get_schedule(COURSE, with_parents=False)
        client.put_schedule(COURSE, schedule)
    assert schedule.get(2).is_inherited  # type: ignore[union-attr]
    put = server.requests[-1]
    assert put.headers["content-type"] == "application/xml"
    assert b"\n" not in put.content and put.content.startswith(b"<?xml")
    assert b"<itemSchedules><itemSchedule><itemId>1</itemId>" in put.content


def test_get_retries_503_with_exponential_backoff() -> None:
    server, fake_time = FakeLearningStudio(), FakeTime()
    server.fail("GET", httpx.Response(503), httpx.Response(502))
    with make_client(server, fake_time) as client:
        assert len(client.get_schedule(COURSE, with_parents=False)) == 4
    assert fake_time.sleeps == [1.0, 2.0]


def test_retries_are_bounded_in_count_then_a_clear_error() -> None:
    server, fake_time = FakeLearningStudio(), FakeTime()
    server.fail("GET", *[httpx.Response(500, text="boom")] * 10)
    with make_client(server, fake_time) as client, pytest.raises(ServerError) as caught:
        client.get_schedule(COURSE)
    assert len(server.requests) == 4 and fake_time.sleeps == [1.0, 2.0, 4.0]
    assert caught.value.status == 500 and "try again" in str(caught.value).lower()


def test_retries_are_bounded_in_total_time() -> None:
    server, fake_time = FakeLearningStudio(), FakeTime()
    server.fail("GET", *[httpx.Response(503)] * 10)
    policy = RetryPolicy(attempts=10, base_delay=1.0, max_delay=8.0, max_total=10.0)
    with make_client(server, fake_time, retry=policy) as client, pytest.raises(ServerError):
        client.get_schedule(COURSE)
    assert fake_time.sleeps == [1.0, 2.0, 4.0]  # the next 8 s would pass the 10 s budget
    assert sum(fake_time.sleeps) <= 10.0


def test_retry_after_is_honoured() -> None:
    server, fake_time = FakeLearningStudio(), FakeTime()
    server.fail("GET", httpx.Response(429, headers={"Retry-After": "7"}))
    with make_client(server, fake_time) as client:
        client.get_schedule(COURSE, with_parents=False)
    assert fake_time.sleeps == [7.0]


def test_retry_after_beyond_the_budget_gives_up_at_once_and_says_when() -> None:
    server, fake_time = FakeLearningStudio(), FakeTime()
    server.fail("GET", httpx.Response(429, headers={"Retry-After": "600"}))
    with make_client(server, fake_time) as client, pytest.raises(RateLimitedError) as caught:
        client.get_schedule(COURSE)
    assert fake_time.sleeps == [] and caught.value.retry_after == 600.0
    assert "600 seconds" in str(caught.value) and caught.value.exit_code == 5


def test_connection_errors_are_retried_for_get_and_put() -> None:
    server, fake_time = FakeLearningStudio(), FakeTime()
    server.fail("GET", httpx.ConnectError("refused"))
    server.fail("PUT", httpx.ReadError("reset"))
    with make_client(server, fake_time) as client:
        schedule = client.get_schedule(COURSE, with_parents=False)
        client.put_schedule(COURSE, schedule)
    assert len(server.put_bodies) == 1 and fake_time.sleeps == [1.0, 1.0]


def test_post_is_never_retried() -> None:
    server, fake_time = FakeLearningStudio(), FakeTime()
    server.fail("POST", httpx.Response(503))
    with make_client(server, fake_time) as client, pytest.raises(ServerError):
        client.post_document("me", "courses", 1, "items", 2, "activity", "beginping")
    assert len(server.requests) == 1 and fake_time.sleeps == []


def test_persistent_connection_failure_is_a_network_error() -> None:
    server, fake_time = FakeLearningStudio(), FakeTime()
    server.fail("GET", *[httpx.ConnectError("refused")] * 4)
    with make_client(server, fake_time) as client, pytest.raises(NetworkError) as caught:
        client.get_schedule(COURSE)
    assert caught.value.exit_code == 5 and "base URL" in str(caught.value)
    assert "ConnectError: refused" in caught.value.detail


def test_timeouts_say_so() -> None:
    server = FakeLearningStudio()
    server.fail("GET", *[httpx.ReadTimeout("slow")] * 4)
    with make_client(server) as client, pytest.raises(NetworkError, match="did not answer in time"):
        client.get_schedule(COURSE)


def test_not_found_carries_the_server_message_and_is_not_retried() -> None:
    server, fake_time = FakeLearningStudio(), FakeTime()
    with make_client(server, fake_time) as client, pytest.raises(NotFoundError) as caught:
        client.get_schedule("999")
    assert caught.value.server_message == "No such course" and fake_time.sleeps == []
    assert caught.value.url == f"{BASE}/courses/999/itemSchedules.json"


def test_bad_course_strings_are_rejected_before_any_request() -> None:
    server = FakeLearningStudio()
    with make_client(server) as client:
        for bad in ("abc", "ccn=", "12/34"):
            with pytest.raises(RejectedInputError, match="numeric course id or ccn="):
                client.get_schedule(bad)
    assert server.requests == []


def test_unreadable_schedule_body_is_a_server_error_not_a_crash() -> None:
    server = FakeLearningStudio()
    server.fail("GET", httpx.Response(200, content=b'{"itemSchedules": [{"nope": 1}]}'))
    with make_client(server) as client, pytest.raises(ServerError, match="cannot read"):
        client.get_schedule(COURSE)


def test_request_log_has_method_path_status_duration_and_no_query_secrets() -> None:
    server, log = FakeLearningStudio(), []
    server.fail("GET", httpx.Response(503))
    with make_client(server, log=log) as client:
        client.get_schedule(COURSE)
        with pytest.raises(NotFoundError):
            client.request("GET", f"{BASE}/courses/{COURSE}/items.json?access_token=abc&v=2")
    assert [(r.method, r.path, r.status) for r in log] == [
        ("GET", f"/courses/{COURSE}/itemSchedules.json", 503),
        ("GET", f"/courses/{COURSE}/itemSchedules.json", 200),
        ("GET", f"/courses/{COURSE}/itemHierarchy.json", 200),
        ("GET", f"/courses/{COURSE}/items.json?access_token=***&v=2", 404),
    ]
    assert all(r.duration >= 0 for r in log)


def test_certificate_checks_cannot_be_switched_off(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="cannot be turned off"):
        LearningStudioClient(BASE, None, verify=False)
    with pytest.raises(NetworkError, match="CA bundle"):
        LearningStudioClient(BASE, None, verify=tmp_path / "missing.pem")
    with pytest.raises(RejectedInputError, match="not a base URL"):
        LearningStudioClient("api.example.test", None)


def test_retry_after_http_date() -> None:
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0
    assert parse_retry_after("soon") is None and parse_retry_after("5") == 5.0


def test_hierarchy_shapes_nested_and_flat() -> None:
    nested = {"itemHierarchy": [{"id": "1", "children": [{"itemId": 2, "links": [{"id": 9}]}]}]}
    assert parents_from_hierarchy(nested) == {1: None, 2: 1}
    flat = {"items": [{"id": 5, "parentId": 4}, {"id": 4, "parentId": None}]}
    assert parents_from_hierarchy(flat) == {5: 4, 4: None}


def test_a_failing_hierarchy_route_only_costs_the_parents() -> None:
    server = FakeLearningStudio()
    server.fail("GET", httpx.Response(200, json=server.document), httpx.Response(500))
    with make_client(server, retry=RetryPolicy(attempts=1)) as client:
        schedule = client.get_schedule(COURSE)
    assert len(schedule) == 4 and all(i.parent_id is None for i in schedule)
