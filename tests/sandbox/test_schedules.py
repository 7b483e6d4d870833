"""GET/PUT /courses/{id}/itemSchedules: the rules of the API page, over loopback."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from scheduler_gui.core import xmlcodec
from tests.sandbox.helpers import error_of, put_body

Headers = dict[str, str]
DEMO = "/courses/123456/itemSchedules"


def items_by_id(response: httpx.Response) -> dict[int, dict[str, Any]]:
    assert response.status_code == 200, response.text
    return {item["itemId"]: item for item in response.json()["itemSchedules"]}


def test_page_example_items_are_served_exactly(
    client: httpx.Client, prof: Headers, sandbox: Any
) -> None:
    items = items_by_id(client.get("/courses/123456/itemschedules", headers=prof))
    home = items[987654321]
    assert home["itemTitle"] == "Course Home"
    assert home["schedule"] == {
        "accessSchedule": {
            "startDateTime": "2010-01-01T07:00:00Z",
            "endDateTime": "2010-04-01T07:00:00Z",
            "isInherited": False,
            "canAccessBeforeStartDateTime": False,
            "canAccessAfterEndDateTime": True,
        }
    }
    assert home["links"] == [
        {"href": f"{sandbox.url}/courses/123456/items/987654321", "rel": "self"}
    ]
    assignment = items[987456123]
    assert assignment["itemTitle"] == "Assignment 1"
    assert assignment["schedule"] == {
        "dueDate": "2011-03-08T06:59:00Z",
        "accessSchedule": {
            "startDateTime": "2011-02-28T07:00:00Z",
            "endDateTime": "2011-03-08T06:59:00Z",
            "isInherited": True,
            "canAccessBeforeStartDateTime": True,
            "canAccessAfterEndDateTime": True,
        },
    }


def test_every_item_including_units_is_listed(client: httpx.Client, prof: Headers) -> None:
    response = client.get(DEMO, headers=prof)
    items = response.json()["itemSchedules"]
    titles = [item["itemTitle"] for item in items]
    assert 55 <= len(items) <= 70
    assert "Week 8" in titles and "Module 1: Foundations" in titles
    assert len(set(item["itemId"] for item in items)) == len(items)
    big = client.get("/courses/900000/itemSchedules", headers=prof).json()["itemSchedules"]
    assert len(big) == 10_000


def test_course_mixes_inherited_explicit_and_both_flag_forms(
    client: httpx.Client, prof: Headers
) -> None:
    items = client.get(DEMO, headers=prof).json()["itemSchedules"]
    access = [item["schedule"]["accessSchedule"] for item in items]
    assert any(a.get("isInherited") is True for a in access)
    assert any(a.get("isInherited") is False for a in access)
    assert any("isInherited" not in a for a in access)  # "may be missing" when explicit


@pytest.mark.parametrize("path", [DEMO, DEMO + ".xml", "/courses/900000/itemSchedules"])
def test_answers_carry_due_dates_as_the_pages_example_does(
    client: httpx.Client, prof: Headers, path: str
) -> None:
    """The page's example (l.173) reads ``dueDate``; ``dueDateTime`` is only in its
    request table, so a GET never answers with it."""
    response = client.get(path, headers=prof)
    document = xmlcodec.loads(response.content) if path.endswith(".xml") else response.json()
    entries = document["itemSchedules"]
    entries = entries["itemSchedule"] if isinstance(entries, dict) else entries
    schedules = [entry["schedule"] for entry in entries]
    assert sum("dueDate" in schedule for schedule in schedules) >= 10
    assert not any("dueDateTime" in schedule for schedule in schedules)
    assert "dueDateTime" not in response.text


def test_inherited_item_shows_its_parents_dates(client: httpx.Client, prof: Headers) -> None:
    items = client.get(DEMO, headers=prof).json()["itemSchedules"]
    by_title = {item["itemTitle"]: item["schedule"]["accessSchedule"] for item in items}
    week8, assignment = by_title["Week 8"], by_title["Assignment 1"]
    assert (assignment["startDateTime"], assignment["endDateTime"]) == (
        week8["startDateTime"],
        week8["endDateTime"],
    )
    syllabus = by_title["Syllabus"]  # top level: inherits the course term
    assert syllabus["isInherited"] is True
    assert syllabus["startDateTime"] == "2011-01-10T07:00:00Z"


def test_ccn_overload_on_get(client: httpx.Client, prof: Headers) -> None:
    by_number = client.get(DEMO, headers=prof).json()
    assert client.get("/courses/ccn=DEMO-101/itemSchedules", headers=prof).json() == by_number
    missing = client.get("/courses/ccn=NOPE-1/itemSchedules", headers=prof)
    assert missing.status_code == 404


def test_put_with_ccn_overload_is_400(client: httpx.Client, prof: Headers) -> None:
    body = put_body(client.get(DEMO, headers=prof).json())
    response = client.put("/courses/ccn=DEMO-101/itemSchedules", json=body, headers=prof)
    assert response.status_code == 400
    assert error_of(response)["errorId"] == "overload_not_supported"


@pytest.mark.parametrize(
    ("user", "course", "status"),
    [
        ("prof", 123456, 200),
        ("ta", 123456, 200),
        ("admin", 123456, 200),
        ("admin", 900000, 200),
        ("student", 123456, 403),
        ("prof", 234567, 403),  # taught by someone else
        ("prof", 555555, 404),
    ],
)
def test_roles(
    client: httpx.Client, login: Callable[[str], Headers], user: str, course: int, status: int
) -> None:
    response = client.get(f"/courses/{course}/itemSchedules", headers=login(user))
    assert response.status_code == status
    if status != 200:
        error_of(response)


def test_student_cannot_put(
    client: httpx.Client, prof: Headers, login: Callable[[str], Headers]
) -> None:
    body = put_body(client.get(DEMO, headers=prof).json())
    assert client.put(DEMO, json=body, headers=login("student")).status_code == 403


def test_put_round_trip_changes_one_item(client: httpx.Client, prof: Headers) -> None:
    before = client.get(DEMO, headers=prof).json()
    body = put_body(before)
    quiz = next(e for e in body["itemSchedules"] if e["itemId"] == 987600006)
    quiz["schedule"]["accessSchedule"]["endDateTime"] = "2011-01-18T06:59:00Z"
    response = client.put(DEMO, json=body, headers=prof)
    assert response.status_code == 204
    assert response.content == b""
    after = items_by_id(client.get(DEMO, headers=prof))
    assert after[987600006]["schedule"]["accessSchedule"]["endDateTime"] == "2011-01-18T06:59:00Z"
    unchanged = {k: v for k, v in after.items() if k != 987600006}
    assert unchanged == {k: v for k, v in items_by_id_doc(before).items() if k != 987600006}


def items_by_id_doc(document: dict[str, Any]) -> dict[int, dict[str, Any]]:
    return {item["itemId"]: item for item in document["itemSchedules"]}


def test_omitting_start_and_end_makes_an_item_inherit(client: httpx.Client, prof: Headers) -> None:
    body = put_body(client.get(DEMO, headers=prof).json())
    quiz = next(e for e in body["itemSchedules"] if e["itemId"] == 987600006)  # Quiz 1
    del quiz["schedule"]["accessSchedule"]["startDateTime"]
    del quiz["schedule"]["accessSchedule"]["endDateTime"]
    assert client.put(DEMO, json=body, headers=prof).status_code == 204
    items = items_by_id(client.get(DEMO, headers=prof))
    access = items[987600006]["schedule"]["accessSchedule"]
    week1 = items[987600003]["schedule"]["accessSchedule"]
    assert access["isInherited"] is True
    assert (access["startDateTime"], access["endDateTime"]) == (
        week1["startDateTime"],
        week1["endDateTime"],
    )


def test_explicit_dates_on_an_inherited_item_make_it_explicit(
    client: httpx.Client, prof: Headers
) -> None:
    document = client.get(DEMO, headers=prof).json()
    body = {
        "itemSchedules": [
            {"itemId": i["itemId"], "schedule": i["schedule"]} for i in document["itemSchedules"]
        ]
    }
    assert client.put(DEMO, json=body, headers=prof).status_code == 204  # echoes every date
    items = items_by_id(client.get(DEMO, headers=prof))
    assert items[987456123]["schedule"]["accessSchedule"].get("isInherited") is not True


def test_a_due_date_sent_as_due_date_time_is_read_back_as_due_date(
    client: httpx.Client, prof: Headers
) -> None:
    body = put_body(client.get(DEMO, headers=prof).json())
    entry = next(e for e in body["itemSchedules"] if e["itemId"] == 987456123)
    del entry["schedule"]["dueDate"]
    entry["schedule"]["dueDateTime"] = "2011-03-09T06:59:00Z"
    assert client.put(DEMO, json=body, headers=prof).status_code == 204
    schedule = items_by_id(client.get(DEMO, headers=prof))[987456123]["schedule"]
    assert schedule["dueDate"] == "2011-03-09T06:59:00Z"
    assert "dueDateTime" not in schedule


@pytest.mark.parametrize(
    "fault", ["missing", "duplicate", "unknown", "superscript id", "bad date", "bad flag"]
)
def test_bad_put_is_400_and_changes_nothing(
    client: httpx.Client, prof: Headers, fault: str
) -> None:
    before = client.get(DEMO, headers=prof).json()
    body = put_body(before)
    entries = body["itemSchedules"]
    entries[0]["schedule"]["accessSchedule"]["endDateTime"] = "2010-05-01T07:00:00Z"  # a real edit
    if fault == "missing":
        entries.pop()
    elif fault == "duplicate":
        entries.append(copy.deepcopy(entries[3]))
    elif fault == "unknown":
        entries.append({"itemId": 111, "schedule": entries[3]["schedule"]})
    elif fault == "superscript id":  # "²".isdigit() is true, but it is no item id
        entries[-1]["itemId"] = "²"
    elif fault == "bad date":
        entries[-1]["schedule"]["accessSchedule"]["startDateTime"] = "next tuesday"
    else:
        entries[-1]["schedule"]["accessSchedule"]["canAccessAfterEndDateTime"] = "yes"
    response = client.put(DEMO, json=body, headers=prof)
    assert response.status_code == 400
    assert error_of(response)["errorId"]
    assert client.get(DEMO, headers=prof).json() == before


def test_put_on_the_10000_item_course_is_atomic(client: httpx.Client, prof: Headers) -> None:
    url = "/courses/900000/itemSchedules"
    before = client.get(url, headers=prof).json()
    body = put_body(before)
    for entry in body["itemSchedules"][:9000]:  # change many items...
        entry["schedule"]["accessSchedule"]["canAccessBeforeStartDateTime"] = True
    body["itemSchedules"][-1]["schedule"]["accessSchedule"]["endDateTime"] = "2011-13-45T00:00:00Z"
    response = client.put(url, json=body, headers=prof)  # ...but the last entry is bad
    assert response.status_code == 400
    assert client.get(url, headers=prof).json() == before
    body["itemSchedules"][-1] = put_body(before)["itemSchedules"][-1]
    assert client.put(url, json=body, headers=prof).status_code == 204
    after = client.get(url, headers=prof).json()["itemSchedules"]
    assert all(
        i["schedule"]["accessSchedule"]["canAccessBeforeStartDateTime"] for i in after[:9000]
    )
