"""Fault injection: spec grammar, admin routes, and each fault seen by a plain client."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from scheduler_gui.sandbox.faults import FaultSpecError, parse_spec
from tests.sandbox.helpers import error_of, password_form, put_body, refresh_form

Headers = dict[str, str]
DEMO = "/courses/123456/itemSchedules"


def test_spec_grammar() -> None:
    faults, retry_after = parse_spec(
        "latency=0.5,status429=3@GET:/itemschedules,drop=1@put,drop_after=2,retry_after=2"
    )
    assert retry_after == 2
    assert [(f.kind, f.value, f.remaining, f.method, f.path) for f in faults] == [
        ("latency", 0.5, -1, None, None),
        ("status", 429, 3, "GET", "/itemschedules"),
        ("drop", 1, 1, "PUT", None),
        ("drop_after", 2, 2, None, None),
    ]
    for bad in ("status200=1", "explode=1", "drop", "latency=fast"):
        with pytest.raises(FaultSpecError, match="NAME=NUMBER"):
            parse_spec(bad)


def test_429_with_retry_after_for_the_next_n_requests(
    client: httpx.Client, prof: Headers, sandbox: Any
) -> None:
    sandbox.set_faults("status429=2,retry_after=3")
    for _ in range(2):
        response = client.get(DEMO, headers=prof)
        assert response.status_code == 429
        assert response.headers["Retry-After"] == "3"
        assert error_of(response)["errorId"] == "sandbox_fault"
    assert client.get(DEMO, headers=prof).status_code == 200
    assert sandbox.faults() == []


def test_5xx_filtered_by_method(client: httpx.Client, prof: Headers, sandbox: Any) -> None:
    sandbox.set_faults("status503=1@PUT,status500=1@GET:/itemHierarchy")
    assert client.get(DEMO, headers=prof).status_code == 200  # neither filter matches
    assert client.get("/courses/123456/ITEMHIERARCHY", headers=prof).status_code == 500
    unavailable = client.put(DEMO, json={}, headers=prof)
    assert unavailable.status_code == 503
    assert unavailable.headers["Retry-After"] == "1"
    assert client.put(DEMO, json={}, headers=prof).status_code == 400  # the real answer again


def test_dropped_connection_gets_no_response(
    client: httpx.Client, prof: Headers, sandbox: Any
) -> None:
    sandbox.set_faults("drop=1")
    with pytest.raises(httpx.RemoteProtocolError):
        client.get(DEMO, headers=prof)
    assert client.get(DEMO, headers=prof).status_code == 200


def test_drop_after_processing_loses_only_the_answer(
    client: httpx.Client, prof: Headers, sandbox: Any
) -> None:
    """A PUT that landed but whose 204 never arrived: re-reading shows it was saved."""
    body = put_body(client.get(DEMO, headers=prof).json())
    entry = next(e for e in body["itemSchedules"] if e["itemId"] == 987654321)
    entry["schedule"]["accessSchedule"]["endDateTime"] = "2010-05-01T07:00:00Z"
    sandbox.set_faults("drop_after=1@PUT")
    with pytest.raises(httpx.RemoteProtocolError):
        client.put(DEMO, json=body, headers=prof)
    after = client.get(DEMO, headers=prof).json()["itemSchedules"]
    assert after[0]["schedule"]["accessSchedule"]["endDateTime"] == "2010-05-01T07:00:00Z"


def test_latency_delays_matching_requests(
    client: httpx.Client, prof: Headers, sandbox: Any
) -> None:
    sandbox.set_faults("latency=0.3@GET")
    started = time.monotonic()
    assert client.get(DEMO, headers=prof).status_code == 200
    assert time.monotonic() - started >= 0.3  # a lower bound only: never flaky


def test_expire_tokens_then_refresh_works(client: httpx.Client, sandbox: Any) -> None:
    tokens = client.post(
        "/token",
        data=password_form("prof"),
    ).json()
    headers = {"X-Authorization": f"Access_Token access_token={tokens['access_token']}"}
    sandbox.set_faults("expire_tokens=1")
    expired = client.get(DEMO, headers=headers)
    assert expired.status_code == 401
    assert error_of(expired)["errorId"] == "token_expired"
    assert client.get(DEMO, headers=headers).status_code == 401  # it stays expired
    refreshed = client.post("/token", data=refresh_form(tokens["refresh_token"])).json()
    fresh = {"X-Authorization": f"Access_Token access_token={refreshed['access_token']}"}
    assert client.get(DEMO, headers=fresh).status_code == 200


def test_touch_changes_the_course_behind_the_clients_back(
    client: httpx.Client, prof: Headers, sandbox: Any
) -> None:
    before = client.get(DEMO, headers=prof).json()
    change = client.post("/_sandbox/touch/123456").json()
    assert change["changed"] is True
    after = client.get(DEMO, headers=prof).json()
    differing = [
        new
        for old, new in zip(before["itemSchedules"], after["itemSchedules"], strict=True)
        if old != new
    ]
    assert [item["itemId"] for item in differing] == [change["itemId"]]
    assert differing[0]["schedule"]["accessSchedule"]["endDateTime"] == change["new"]


def test_touch_fault_changes_the_course_after_a_get(
    client: httpx.Client, prof: Headers, sandbox: Any
) -> None:
    sandbox.set_faults("touch=1")
    loaded = client.get(DEMO, headers=prof).json()  # answered before the change
    current = client.get(DEMO, headers=prof).json()
    assert loaded != current
    assert client.get(DEMO, headers=prof).json() == current  # only once


def test_admin_routes(client: httpx.Client, prof: Headers, sandbox: Any) -> None:
    plan = client.post("/_sandbox/faults", json={"spec": "status503=1@GET"})
    assert plan.json()["faults"][0]["kind"] == "status"
    assert client.get("/_sandbox/faults").json()["faults"]  # admin routes are never faulted
    bad = client.post("/_sandbox/faults", json={"spec": "boom"})
    assert bad.status_code == 400
    assert client.delete("/_sandbox/faults").status_code == 204
    assert client.get(DEMO, headers=prof).status_code == 200
    client.post("/_sandbox/tokens", json={"ttl": 5})
    short = client.post(
        "/token",
        data=password_form("ta"),
    ).json()
    assert short["expires_in"] == 5
    client.post("/_sandbox/clock", json={"advance": 6})
    expired = {"X-Authorization": f"Access_Token access_token={short['access_token']}"}
    assert client.get(DEMO, headers=expired).status_code == 401
    client.post("/_sandbox/touch/123456")
    assert client.post("/_sandbox/reset").status_code == 204
    assert client.get(DEMO, headers=prof).status_code == 401  # tokens are gone with the reset
