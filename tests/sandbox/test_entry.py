"""POST .../courseEntry (both body forms) and the launch page it leads to."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from scheduler_gui.core import xmlcodec
from tests.sandbox.helpers import error_of

Headers = dict[str, str]
ENTRY = "/users/100004/courses/123456/courseEntry"


@pytest.mark.parametrize(
    "body",
    [
        {
            "courseEntry": {
                "exitUrl": "http://example.edu/return",
                "logoutUrl": "http://example.edu/logout",
            }
        },
        {
            "webEntry": {
                "sessionId": "6f9619ff",
                "exitUrl": "http://example.edu/return",
                "logoutUrl": "http://example.edu/logout",
            }
        },
    ],
    ids=["courseEntry", "webEntry"],
)
def test_both_body_forms_give_a_working_entry_url(
    client: httpx.Client, student: Headers, body: dict[str, Any]
) -> None:
    response = client.post(ENTRY, json=body, headers=student)
    assert response.status_code == 200
    url = response.json()["courseEntry"]["entryUrl"]
    assert "returnUrl=http%3A%2F%2Fexample.edu%2Freturn" in url
    page = httpx.get(url)
    assert page.status_code == 200
    assert "text/html" in page.headers["content-type"]
    assert "Demonstration Course 101" in page.text
    assert "Sam Student" in page.text
    assert 'href="http://example.edu/logout"' in page.text


def test_body_is_optional_and_me_works(client: httpx.Client, student: Headers) -> None:
    response = client.post("/me/courses/123456/courseEntry", headers=student)
    assert response.status_code == 200
    assert httpx.get(response.json()["courseEntry"]["entryUrl"]).status_code == 200


def test_xml_entry_url_carries_amp_entities(client: httpx.Client, student: Headers) -> None:
    body = b"<courseEntry><exitUrl>http://example.edu/return</exitUrl></courseEntry>"
    response = client.post(
        ENTRY + ".xml", content=body, headers={**student, "Content-Type": "application/xml"}
    )
    assert response.status_code == 200
    assert "&amp;" in response.text
    url = xmlcodec.loads(response.content)["courseEntry"]["entryUrl"]
    assert "&amp;" not in url and "&createNewCookie=true" in url
    assert httpx.get(url).status_code == 200


def test_entry_url_expires_after_five_minutes(
    client: httpx.Client, student: Headers, sandbox: Any
) -> None:
    url = client.post(ENTRY, headers=student).json()["courseEntry"]["entryUrl"]
    sandbox.advance_clock(299)
    assert httpx.get(url).status_code == 200
    sandbox.advance_clock(2)
    expired = httpx.get(url)
    assert expired.status_code == 403
    assert "expired" in expired.text
    assert httpx.get(f"{sandbox.url}/launch/nosuchtoken").status_code == 404


def test_entry_rules(
    client: httpx.Client, student: Headers, login: Callable[[str], Headers]
) -> None:
    wrong_root = client.post(ENTRY, json={"entry": {}}, headers=student)
    assert wrong_root.status_code == 400
    error_of(wrong_root)
    assert client.post(ENTRY, content=b"<courseEntry/>", headers=student).status_code == 406
    # Someone else's entry, or a course the user is not in.
    assert (
        client.post("/users/100005/courses/123456/courseEntry", headers=student).status_code == 403
    )
    assert client.post("/me/courses/234567/courseEntry", headers=student).status_code == 403
    # Overloads work here ("same conventions as the Course APIs").
    ccn = client.post(
        "/users/loginid=sandbox|student/courses/ccn=DEMO-101/courseEntry", headers=student
    )
    assert ccn.status_code == 200
    assert client.post("/me/courses/123456/courseEntry", headers=login("admin")).status_code == 200
