"""Our sandbox against an independent minimal client written from the pages alone.

Plain ``httpx`` and ``cryptography``; nothing of ``scheduler_gui.api`` or ``core`` is used:
every request is built here the way the API pages and LEARNINGSTUDIO.md show it.
"""

from __future__ import annotations

import base64
import json
import secrets
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, quote_plus, urlsplit
from xml.etree import ElementTree as ET

import httpx
import pytest
from cryptography.hazmat.primitives.ciphers import algorithms
from cryptography.hazmat.primitives.cmac import CMAC

# The sandbox's published demo credentials (tests/conftest.py, issue 4).
CLIENT_STRING = "sandbox"
APP_ID = "sandbox-app"
APP_NAME = "Sandbox"
MONIKER = "sandbox-moniker"
SECRET = "0123456789abcdef0123456789abcdef"
COURSE = 123456
CALL_NUMBER = "DEMO-101"
STAMP = "%Y-%m-%dT%H:%M:%SZ"


def aes_cmac(message: str) -> bytes:
    mac = CMAC(algorithms.AES(SECRET.encode()))
    mac.update(message.encode())
    return mac.finalize()


# --------------------------------------------------------------------------- OAuth 2


def token(url: str, form: dict[str, str] | str) -> httpx.Response:
    if isinstance(form, str):  # a body written by hand, exactly as the page prints it
        return httpx.post(
            f"{url}/token",
            content=form.encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
    return httpx.post(f"{url}/token", data=form)


def login(url: str, user: str = "prof") -> dict[str, Any]:
    response = token(
        url,
        {
            "grant_type": "password",
            "client_id": APP_ID,
            "username": f"{CLIENT_STRING}\\{user}",
            "password": user,
        },
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


def bearer_free(access_token: str) -> dict[str, str]:
    return {"X-Authorization": f"Access_Token access_token={access_token}"}


@pytest.fixture
def prof(sandbox: Any) -> Iterator[httpx.Client]:
    headers = bearer_free(login(sandbox.url)["access_token"])
    with httpx.Client(base_url=sandbox.url, headers=headers) as client:
        yield client


def test_password_grant_exactly_as_the_page_prints_it(sandbox: Any) -> None:
    body = f"grant_type=password&client_id={APP_ID}&username={CLIENT_STRING}\\prof&password=prof"
    response = token(sandbox.url, body)  # the backslash unencoded, as written
    assert response.status_code == 200
    document = response.json()
    assert set(document) == {"access_token", "refresh_token", "expires_in"}
    assert isinstance(document["expires_in"], int)
    assert login(sandbox.url)["access_token"] != document["access_token"]


def test_refresh_grant_and_bad_login_error_body(sandbox: Any) -> None:
    first = login(sandbox.url)
    body = f"grant_type=refresh_token&client_id={APP_ID}&refresh_token={first['refresh_token']}"
    refreshed = token(sandbox.url, body)
    assert refreshed.status_code == 200 and refreshed.json()["access_token"]
    wrong = f"grant_type=password&client_id={APP_ID}&username={CLIENT_STRING}\\prof&password=no"
    bad = token(sandbox.url, wrong)
    assert bad.status_code in (400, 401)
    error = bad.json()["error"]
    assert error["message"] and error["errorId"]


def test_assertion_grant_returns_no_refresh_token(sandbox: Any) -> None:
    stamp = datetime.now(UTC).strftime(STAMP)
    unsigned = f"{APP_NAME}|{MONIKER}|{APP_ID}|{CLIENT_STRING}|prof|{stamp}"
    assertion = f"{unsigned}|{aes_cmac(unsigned).hex()}"
    response = token(
        sandbox.url,
        {"grant_type": "assertion", "assertion_type": "urn:ecollege:names:moauth:1.0:assertion",
         "assertion": assertion},
    )  # fmt: skip
    assert response.status_code == 200, response.text
    assert "refresh_token" not in response.json()
    headers = bearer_free(response.json()["access_token"])
    schedules = httpx.get(f"{sandbox.url}/courses/{COURSE}/itemSchedules", headers=headers)
    assert schedules.status_code == 200


def test_authorization_bearer_is_not_accepted(sandbox: Any) -> None:
    access = login(sandbox.url)["access_token"]
    url = f"{sandbox.url}/courses/{COURSE}/itemSchedules"
    assert httpx.get(url, headers={"Authorization": f"Bearer {access}"}).status_code == 401
    assert httpx.get(url).status_code == 401


# --------------------------------------------------------------------------- OAuth 1


def oauth1_header(method: str, url: str, body: bytes = b"") -> str:
    """The recipe of LEARNINGSTUDIO.md, step by step."""
    parts = urlsplit(url)
    oauth = {
        "oauth_consumer_key": MONIKER,
        "application_id": APP_ID,
        "oauth_signature_method": "CMAC-AES",
        "oauth_timestamp": str(int(time.time())),
        "oauth_nonce": secrets.token_hex(16),
    }
    params = dict(oauth)
    params.update(parse_qsl(parts.query))
    if method in ("POST", "PUT"):  # every POST and PUT, an empty body too
        encoded = base64.b64encode(body.replace(b"\r\n", b"")).decode()
        params["body"] = quote_plus(quote_plus(encoded))  # url-encoded twice
    joined = "&".join(f"{name}={params[name]}" for name in sorted(params, key=str.lower))
    base = f"{method}&{quote_plus(parts.path)}&{quote_plus(joined)}"
    oauth["oauth_signature"] = base64.b64encode(aes_cmac(base)).decode()
    realm = f"{parts.scheme}://{parts.netloc}{parts.path}"
    fields = [f'realm="{realm}"'] + [f'{k}="{quote_plus(v)}"' for k, v in oauth.items()]
    return "OAuth " + ",".join(fields)


def signed(method: str, url: str, body: bytes = b"", **headers: str) -> httpx.Response:
    headers["X-Authorization"] = oauth1_header(method, url, body)
    return httpx.request(method, url, content=body or None, headers=headers)


def test_oauth1_get_put_and_query_signed_from_the_recipe(sandbox: Any) -> None:
    url = f"{sandbox.url}/courses/{COURSE}/itemSchedules"
    got = signed("GET", url)
    assert got.status_code == 200, got.text
    body = json.dumps(put_body(got.json())).encode()
    put = signed("PUT", url, body, **{"Content-Type": "application/json"})
    assert put.status_code == 204 and put.content == b""
    feed = signed(
        "GET", f"{sandbox.url}/users/100004/lastactivityfeed?v=2&types=thread-post,remark"
    )
    assert feed.status_code == 200, feed.text
    tampered = oauth1_header("GET", url).replace("oauth_nonce=", "oauth_nonce=x")
    assert httpx.get(url, headers={"X-Authorization": tampered}).status_code == 401


# --------------------------------------------------------------------------- schedules


def put_body(document: dict[str, Any]) -> dict[str, Any]:
    """The PUT format of the page: itemId + schedule.accessSchedule, every item;
    inherited items without start/end so that they keep inheriting."""
    entries = []
    for item in document["itemSchedules"]:
        access = item["schedule"]["accessSchedule"]
        out = {
            "canAccessBeforeStartDateTime": access["canAccessBeforeStartDateTime"],
            "canAccessAfterEndDateTime": access["canAccessAfterEndDateTime"],
        }
        if not access.get("isInherited", False):
            out = {"startDateTime": access["startDateTime"],
                   "endDateTime": access["endDateTime"], **out}  # fmt: skip
        entries.append({"itemId": item["itemId"], "schedule": {"accessSchedule": out}})
    return {"itemSchedules": entries}


def test_get_matches_the_pages_example_items(prof: httpx.Client) -> None:
    response = prof.get(f"/courses/{COURSE}/itemschedules")  # as the example writes it
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    items = {i["itemId"]: i for i in response.json()["itemSchedules"]}
    home = items[987654321]
    assert home["itemTitle"] == "Course Home"
    assert home["schedule"]["accessSchedule"] == {
        "startDateTime": "2010-01-01T07:00:00Z",
        "endDateTime": "2010-04-01T07:00:00Z",
        "isInherited": False,
        "canAccessBeforeStartDateTime": False,
        "canAccessAfterEndDateTime": True,
    }
    assert {"rel": "self"}.items() <= home["links"][0].items()
    assert home["links"][0]["href"].endswith(f"/courses/{COURSE}/items/987654321")
    assignment = items[987456123]
    assert assignment["schedule"]["dueDate"] == "2011-03-08T06:59:00Z"
    for item in items.values():
        assert isinstance(item["itemId"], int) and isinstance(item["itemTitle"], str)
        access = item["schedule"]["accessSchedule"]
        assert isinstance(access["canAccessBeforeStartDateTime"], bool)


def test_path_case_suffixes_and_ccn(prof: httpx.Client) -> None:
    reference = prof.get(f"/courses/{COURSE}/itemSchedules").json()
    for path in (
        f"/courses/{COURSE}/itemschedules.json",
        f"/courses/{COURSE}/ItemSchedules.JSON",
        f"/courses/ccn={CALL_NUMBER}/itemSchedules",
    ):
        response = prof.get(path)
        assert response.status_code == 200, path
        assert response.json() == reference, path
    xml = prof.get(f"/courses/{COURSE}/itemSchedules.xml")
    root = ET.fromstring(xml.content)
    assert root.tag == "itemSchedules"
    assert [int(e.findtext("itemId") or 0) for e in root.findall("itemSchedule")] == [
        i["itemId"] for i in reference["itemSchedules"]
    ]


def test_put_the_pages_shape_then_read_back(prof: httpx.Client) -> None:
    document = prof.get(f"/courses/{COURSE}/itemSchedules").json()
    body = put_body(document)
    target = next(
        e for e in body["itemSchedules"] if "startDateTime" in e["schedule"]["accessSchedule"]
    )
    target["schedule"]["accessSchedule"]["endDateTime"] = "2030-04-01T07:00:00Z"
    response = prof.put(f"/courses/{COURSE}/itemschedules", json=body)
    assert response.status_code == 204 and response.content == b""
    after = prof.get(f"/courses/{COURSE}/itemSchedules").json()["itemSchedules"]
    by_id = {i["itemId"]: i["schedule"]["accessSchedule"] for i in after}
    assert by_id[target["itemId"]]["endDateTime"] == "2030-04-01T07:00:00Z"
    before = {i["itemId"]: i["schedule"]["accessSchedule"] for i in document["itemSchedules"]}
    for item_id, access in before.items():
        assert by_id[item_id].get("isInherited", False) == access.get("isInherited", False)


def test_put_refuses_partial_duplicate_and_ccn(prof: httpx.Client) -> None:
    body = put_body(prof.get(f"/courses/{COURSE}/itemSchedules").json())
    entries = body["itemSchedules"]
    partial = {"itemSchedules": entries[:-1]}
    twice = {"itemSchedules": [*entries, entries[0]]}
    assert prof.put(f"/courses/{COURSE}/itemSchedules", json=partial).status_code == 400
    assert prof.put(f"/courses/{COURSE}/itemSchedules", json=twice).status_code == 400
    ccn = prof.put(f"/courses/ccn={CALL_NUMBER}/itemSchedules", json=body)
    assert ccn.status_code == 400
    xml_route = prof.put(f"/courses/{COURSE}/itemSchedules.xml", json=body)
    assert xml_route.status_code == 406


def test_put_in_the_pages_shape_keeps_due_dates_and_null_clears_one(prof: httpx.Client) -> None:
    """The page's PUT format shows no due date: sending that shape must not erase the
    due dates; naming the key with null (JSON) or empty (XML) clears it."""
    url = f"/courses/{COURSE}/itemSchedules"
    dues = {
        i["itemId"]: i["schedule"]["dueDate"]
        for i in prof.get(url).json()["itemSchedules"]
        if "dueDate" in i["schedule"]
    }
    assert dues[987456123] == "2011-03-08T06:59:00Z"
    body = put_body(prof.get(url).json())
    assert prof.put(url, json=body).status_code == 204
    after = prof.get(url).json()["itemSchedules"]
    assert {i["itemId"]: i["schedule"].get("dueDate") for i in after if i["itemId"] in dues} == dues
    for entry in body["itemSchedules"]:
        if entry["itemId"] == 987456123:
            entry["schedule"]["dueDate"] = None
    assert prof.put(url, json=body).status_code == 204
    schedule = next(i["schedule"] for i in prof.get(url).json()["itemSchedules"]
                    if i["itemId"] == 987456123)  # fmt: skip
    assert "dueDate" not in schedule and "dueDateTime" not in schedule


def test_put_accepts_due_date_time_from_the_request_table(prof: httpx.Client) -> None:
    """The table names {dueDateTime}; the example reads dueDate. Both must be accepted."""
    body = put_body(prof.get(f"/courses/{COURSE}/itemSchedules").json())
    for entry in body["itemSchedules"]:
        if entry["itemId"] == 987456123:
            entry["schedule"]["dueDateTime"] = "2011-03-09T06:59:00Z"
    assert prof.put(f"/courses/{COURSE}/itemSchedules", json=body).status_code == 204
    after = prof.get(f"/courses/{COURSE}/itemSchedules").json()["itemSchedules"]
    schedule = next(i["schedule"] for i in after if i["itemId"] == 987456123)
    assert schedule.get("dueDate", schedule.get("dueDateTime")) == "2011-03-09T06:59:00Z"


def test_put_naming_both_due_keys_is_fine_when_they_agree(prof: httpx.Client) -> None:
    url = f"/courses/{COURSE}/itemSchedules"
    body = put_body(prof.get(url).json())
    entry = next(e for e in body["itemSchedules"] if e["itemId"] == 987456123)
    entry["schedule"].update(dueDate="2011-03-07T06:59:00Z", dueDateTime="2011-03-07T06:59:00Z")
    assert prof.put(url, json=body).status_code == 204
    entry["schedule"]["dueDateTime"] = "2011-03-01T06:59:00Z"
    assert prof.put(url, json=body).status_code == 400
    schedule = next(i["schedule"] for i in prof.get(url).json()["itemSchedules"]
                    if i["itemId"] == 987456123)  # fmt: skip
    assert schedule["dueDate"] == "2011-03-07T06:59:00Z"


def xml_put_body(body: dict[str, Any]) -> bytes:
    """The PUT body as XML (root itemSchedules, one itemSchedule per item), pretty-printed."""
    root = ET.Element("itemSchedules")
    for entry in body["itemSchedules"]:
        element = ET.SubElement(root, "itemSchedule")
        ET.SubElement(element, "itemId").text = str(entry["itemId"])
        access = ET.SubElement(ET.SubElement(element, "schedule"), "accessSchedule")
        for key, value in entry["schedule"]["accessSchedule"].items():
            text = str(value).lower() if isinstance(value, bool) else value
            ET.SubElement(access, key).text = text
    ET.indent(root)
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data.replace(b"\n", b"\r\n")


def test_put_xml_written_by_hand(sandbox: Any, prof: httpx.Client) -> None:
    body = put_body(prof.get(f"/courses/{COURSE}/itemSchedules").json())
    for entry in body["itemSchedules"]:
        if entry["itemId"] == 987654321:
            entry["schedule"]["accessSchedule"]["endDateTime"] = "2010-04-02T07:00:00Z"
    data = xml_put_body(body)
    response = prof.put(
        f"/courses/{COURSE}/itemSchedules.xml",
        content=data,
        headers={"Content-Type": "application/xml"},
    )
    assert response.status_code == 204 and response.content == b"", response.text
    url = f"{sandbox.url}/courses/{COURSE}/itemSchedules.xml"
    signed_put = signed("PUT", url, data, **{"Content-Type": "application/xml"})
    assert signed_put.status_code == 204, signed_put.text
    after = ET.fromstring(prof.get(f"/courses/{COURSE}/itemSchedules.xml").content)
    home = next(e for e in after.iter("itemSchedule") if e.findtext("itemId") == "987654321")
    assert home.findtext("schedule/accessSchedule/endDateTime") == "2010-04-02T07:00:00Z"


# --------------------------------------------------------------------------- activity


def test_course_entry_example_and_web_entry_forms(sandbox: Any, prof: httpx.Client) -> None:
    example = {"courseEntry": {"exitUrl": "http://example.edu/return",
                               "logoutUrl": "http://example.edu/logout"}}  # fmt: skip
    response = prof.post(f"/users/100002/courses/{COURSE}/courseEntry", json=example)
    assert response.status_code == 200, response.text
    url = response.json()["courseEntry"]["entryUrl"]
    assert url.startswith("http") and "example.edu" in url.replace("%3a", ":").replace("%3A", ":")
    web = {"webEntry": {"sessionId": "6f9619ff-8b86-d011-b42d-00cf4fc964ff",
                        "exitUrl": "http://example.edu/return",
                        "logoutUrl": "http://example.edu/logout"}}  # fmt: skip
    assert prof.post(f"/me/courses/{COURSE}/courseEntry", json=web).status_code == 200
    assert prof.post(f"/me/courses/{COURSE}/courseEntry").status_code == 200  # body optional
    assert prof.post(f"/me/courses/{COURSE}/courseEntry", json={}).status_code == 200
    xml = prof.post(
        f"/me/courses/{COURSE}/courseEntry.xml",
        content=b"<courseEntry><exitUrl>http://example.edu/return</exitUrl></courseEntry>",
        headers={"Content-Type": "application/xml"},
    )
    assert xml.status_code == 200
    entry_url = ET.fromstring(xml.content).findtext("entryUrl") or ""
    assert entry_url.replace("&amp;", "&").count("&") >= 1


def feed_items(response: httpx.Response) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    stream = response.json()["activityStream"]
    assert {"title", "items", "lang", "id", "subject"} <= set(stream)
    return list(stream["items"])


def test_lastactivityfeed_examples_from_the_page(sandbox: Any) -> None:
    headers = bearer_free(login(sandbox.url, "student")["access_token"])
    with httpx.Client(base_url=sandbox.url, headers=headers) as student:
        check_feed_examples(student)


def check_feed_examples(student: httpx.Client) -> None:
    mine = feed_items(student.get("/me/lastactivityfeed?v=2&types=thread-post,remark"))
    assert mine and {i["object"]["objectType"] for i in mine} <= {"thread-post", "remark"}
    for item in mine:
        assert {"id", "postedTime", "actor", "verb", "object", "target"} <= set(item)
        assert {"role", "referenceId", "id", "title", "objectType"} <= set(item["actor"])
    # courseid with a leading zero, as the page's example writes it
    some = feed_items(
        student.get(
            f"/users/100004/lastactivityfeed?v=2&courseid=0{COURSE}&after=2000-09-01T00:00:00Z"
        )
    )
    assert some and all(i["object"]["courseId"] == COURSE for i in some)
    old = student.get("/users/100004/lastactivityfeed")  # no v=2: the old feed answers
    assert old.status_code == 200 and "activityStream" not in old.json()
    by_login = student.get(f"/users/loginid={CLIENT_STRING}|student/lastactivityfeed.xml?v=2")
    assert by_login.status_code == 200
    assert ET.fromstring(by_login.content).tag == "activityStream"


def test_endping_example_after_beginping(sandbox: Any, prof: httpx.Client) -> None:
    item = 987456123
    begin = prof.post(f"/users/100002/courses/{COURSE}/items/{item}/activity/beginping")
    assert begin.status_code in (200, 204), begin.text
    end = prof.post(f"/users/100002/courses/{COURSE}/items/{item}/activity/endping")
    assert end.status_code == 204 and end.content == b""
    prof.post(f"/me/courses/{COURSE}/items/{item}/activity/beginping")
    assert prof.post(f"/me/courses/{COURSE}/items/{item}/activity/endping.json").status_code == 204
    loginid = prof.post(
        f"/users/loginid={CLIENT_STRING}|prof/courses/{COURSE}/items/{item}/activity/endping"
    )
    assert loginid.status_code >= 400  # "The loginid overload does not work with this API"


def test_roles_the_pages_list(sandbox: Any) -> None:
    url = f"{sandbox.url}/courses/{COURSE}/itemSchedules"
    for user, status in (("prof", 200), ("ta", 200), ("admin", 200), ("student", 403)):
        headers = bearer_free(login(sandbox.url, user)["access_token"])
        assert httpx.get(url, headers=headers).status_code == status, user
    student = bearer_free(login(sandbox.url, "student")["access_token"])
    entry = httpx.post(f"{sandbox.url}/me/courses/{COURSE}/courseEntry", headers=student)
    assert entry.status_code == 200  # course entry is valid for students too


def test_professor_reads_a_students_feed_only_for_shared_courses(prof: httpx.Client) -> None:
    """jdoe is also in a course prof does not teach: courseid is needed, and then works."""
    jdoe = 100005
    assert prof.get(f"/users/{jdoe}/lastactivityfeed?v=2").status_code == 403
    shared = prof.get(f"/users/{jdoe}/lastactivityfeed?v=2&courseid={COURSE}")
    assert all(i["object"]["courseId"] == COURSE for i in feed_items(shared))
    assert prof.get(f"/users/{jdoe}/lastactivityfeed?v=2&courseid=234567").status_code == 403


def test_put_in_another_order_is_accepted_and_keeps_the_course_order(prof: httpx.Client) -> None:
    url = f"/courses/{COURSE}/itemSchedules"
    order = [i["itemId"] for i in prof.get(url).json()["itemSchedules"]]
    body = put_body(prof.get(url).json())
    body["itemSchedules"].sort(key=lambda entry: entry["itemId"], reverse=True)
    assert prof.put(url, json=body).status_code == 204
    assert [i["itemId"] for i in prof.get(url).json()["itemSchedules"]] == order
