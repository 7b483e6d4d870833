"""Formats and routing: .json/.xml/blank suffixes, XML bodies, 406, case, error bodies."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from scheduler_gui.core import xmlcodec
from tests.sandbox.helpers import error_of

Headers = dict[str, str]


@pytest.mark.parametrize("suffix", ["", ".json", ".JSON"])
def test_blank_and_json_suffix_answer_json(
    client: httpx.Client, prof: Headers, suffix: str
) -> None:
    response = client.get(f"/courses/123456/itemSchedules{suffix}", headers=prof)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert len(response.json()["itemSchedules"]) == 67


def test_xml_suffix_answers_the_same_data_as_xml(client: httpx.Client, prof: Headers) -> None:
    as_json = client.get("/courses/123456/itemSchedules", headers=prof).json()
    response = client.get("/courses/123456/itemSchedules.xml", headers=prof)
    assert response.headers["content-type"].startswith("application/xml")
    assert response.text.lstrip().startswith("<?xml")
    document = xmlcodec.loads(response.content)
    items = document["itemSchedules"]
    assert [int(item["itemId"]) for item in items] == [
        item["itemId"] for item in as_json["itemSchedules"]
    ]
    home = items[0]
    assert home["itemTitle"] == "Course Home"
    assert home["schedule"]["accessSchedule"]["startDateTime"] == "2010-01-01T07:00:00Z"
    assert home["schedule"]["accessSchedule"]["isInherited"] == "false"
    assert home["links"] == [
        {"href": as_json["itemSchedules"][0]["links"][0]["href"], "rel": "self"}
    ]


def test_xml_round_trip_put(client: httpx.Client, prof: Headers) -> None:
    """GET .xml, change one date, PUT .xml with every item: the change lands, nothing else."""
    before_json = client.get("/courses/123456/itemSchedules", headers=prof).json()
    document = xmlcodec.loads(client.get("/courses/123456/itemSchedules.xml", headers=prof).content)
    entries: list[dict[str, Any]] = []
    for item in document["itemSchedules"]:
        schedule = item["schedule"]
        access = schedule["accessSchedule"]
        if access.pop("isInherited", "false") == "true":
            del access["startDateTime"], access["endDateTime"]
        if item["itemId"] == "987600006":  # Quiz 1
            access["endDateTime"] = "2011-01-19T06:59:00Z"
        entries.append({"itemId": item["itemId"], "schedule": schedule})
    body = xmlcodec.dumps({"itemSchedules": entries})
    response = client.put(
        "/courses/123456/itemSchedules.xml",
        content=body,
        headers={**prof, "Content-Type": "application/xml"},
    )
    assert response.status_code == 204, response.text
    after = client.get("/courses/123456/itemSchedules", headers=prof).json()
    changed = [
        (old["itemId"], new["schedule"]["accessSchedule"]["endDateTime"])
        for old, new in zip(before_json["itemSchedules"], after["itemSchedules"], strict=True)
        if old != new
    ]
    assert changed == [(987600006, "2011-01-19T06:59:00Z")]


@pytest.mark.parametrize(
    ("route", "body_format", "content_type", "said"),
    [
        (".xml", "json", "application/json",
         "the Content-Type application/json names JSON, but this route takes XML (the .xml"),
        ("", "xml", "application/xml",
         "the Content-Type application/xml names XML, but this route takes JSON (the .json"),
        ("", "xml", "application/json", "the request body is XML, but this route takes JSON"),
        (".json", "json", "application/xml",
         "names XML, but this route takes JSON (the .json or blank suffix); the body itself is"
         " JSON: send it as application/json"),
    ],
)  # fmt: skip
def test_a_body_in_the_other_format_is_406_saying_so(
    client: httpx.Client,
    prof: Headers,
    route: str,
    body_format: str,
    content_type: str,
    said: str,
) -> None:
    as_json = client.get("/courses/123456/itemSchedules", headers=prof).json()
    body = xmlcodec.dumps(as_json) if body_format == "xml" else json.dumps(as_json).encode()
    response = client.put(
        f"/courses/123456/itemSchedules{route}",
        content=body,
        headers={**prof, "Content-Type": content_type},
    )
    assert response.status_code == 406
    error = xmlcodec.loads(response.content)["error"] if route == ".xml" else error_of(response)
    assert error["errorId"] == "not_acceptable" and said in error["message"]


def test_a_body_that_does_not_parse_is_406(client: httpx.Client, prof: Headers) -> None:
    garbage = client.put("/courses/123456/itemSchedules", content=b"{not json", headers=prof)
    assert garbage.status_code == 406
    assert "not valid JSON" in error_of(garbage)["message"]


def test_errors_on_xml_routes_come_as_xml(client: httpx.Client, login: Any) -> None:
    response = client.get("/courses/123456/itemSchedules.xml", headers=login("student"))
    assert response.status_code == 403
    error = xmlcodec.loads(response.content)["error"]
    assert set(error) == {"message", "errorId"}


@pytest.mark.parametrize(
    "path",
    [
        "/courses/123456/itemschedules",
        "/COURSES/123456/ITEMSCHEDULES.XML",
        "/Courses/123456/ItemSchedules.Json",
        "/ME",
        "/me/COURSES",
        "/courses/123456/ITEMHIERARCHY",
    ],
)
def test_paths_are_case_insensitive(client: httpx.Client, prof: Headers, path: str) -> None:
    assert client.get(path, headers=prof).status_code == 200


def test_unknown_route_and_wrong_method_get_error_bodies(
    client: httpx.Client, prof: Headers
) -> None:
    missing = client.get("/courses/123456/nothing", headers=prof)
    assert missing.status_code == 404
    assert error_of(missing)["errorId"] == "not_found"
    wrong_method = client.delete("/courses/123456/itemSchedules", headers=prof)
    assert wrong_method.status_code == 405
    error_of(wrong_method)
