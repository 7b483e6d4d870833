"""/me, /me/courses, /users/{id}/courses, /courses/{id}, items and the item tree."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from tests.sandbox.helpers import error_of

Headers = dict[str, str]


def test_me_describes_the_token_owner(client: httpx.Client, prof: Headers) -> None:
    me = client.get("/me", headers=prof).json()["me"]
    assert {k: me[k] for k in ("id", "userName", "firstName", "lastName", "clientString")} == {
        "id": 100002,
        "userName": "prof",
        "firstName": "Pat",
        "lastName": "Professor",
        "clientString": "sandbox",
    }


def test_my_courses_link_to_each_course(client: httpx.Client, prof: Headers, sandbox: Any) -> None:
    courses = client.get("/me/courses", headers=prof).json()["courses"]
    assert [c["id"] for c in courses] == [123456, 123457, 900000]
    for course in courses:
        href = course["links"][0]["href"]
        assert href == f"{sandbox.url}/courses/{course['id']}"
        assert client.get(href, headers=prof).json()["courses"][0]["id"] == course["id"]


def test_user_courses_by_id_and_loginid(
    client: httpx.Client, login: Callable[[str], Headers]
) -> None:
    student = login("student")
    by_id = client.get("/users/100004/courses", headers=student).json()["courses"]
    assert [c["id"] for c in by_id] == [123456]
    by_login = client.get("/users/loginid=sandbox|student/courses", headers=student)
    assert by_login.json()["courses"] == by_id
    others = client.get("/users/100005/courses", headers=student)
    assert others.status_code == 403
    assert client.get("/users/100005/courses", headers=login("admin")).status_code == 200
    assert client.get("/users/999/courses", headers=login("admin")).status_code == 404


def test_course_by_id_and_call_number(client: httpx.Client, prof: Headers) -> None:
    course = client.get("/courses/123456", headers=prof).json()["courses"][0]
    assert course["title"] == "Demonstration Course 101"
    assert course["displayCourseCode"] == "DEMO-101"
    assert course["callNumbers"] == ["DEMO-101"]
    assert client.get("/courses/ccn=DEMO-101", headers=prof).json()["courses"][0] == course
    big = client.get("/courses/ccn=big-900.json", headers=prof).json()["courses"][0]
    assert big["id"] == 900000


def test_course_roles(client: httpx.Client, login: Callable[[str], Headers]) -> None:
    assert client.get("/courses/123456", headers=login("student")).status_code == 200
    refused = client.get("/courses/234567", headers=login("prof"))
    assert refused.status_code == 403
    error_of(refused)
    assert client.get("/courses/424242", headers=login("prof")).status_code == 404


def test_items_list_every_item(client: httpx.Client, prof: Headers) -> None:
    items = client.get("/courses/123456/items", headers=prof).json()["items"]
    schedules = client.get("/courses/123456/itemSchedules", headers=prof).json()["itemSchedules"]
    assert [i["id"] for i in items] == [s["itemId"] for s in schedules]
    home = client.get("/courses/123456/items/987654321", headers=prof).json()["items"][0]
    assert (home["id"], home["title"]) == (987654321, "Course Home")
    assert client.get("/courses/123456/items/111", headers=prof).status_code == 404
    # An item of another course is not found through this course.
    assert client.get("/courses/123456/items/400000001", headers=prof).status_code == 404


def parents(node: Any, parent: int | None, found: dict[int, int | None]) -> dict[int, int | None]:
    for item in node:
        found[item["id"]] = parent
        parents(item.get("items", []), item["id"], found)
    return found


def test_item_hierarchy_nests_items_in_their_units(client: httpx.Client, prof: Headers) -> None:
    tree = client.get("/courses/123456/itemHierarchy", headers=prof).json()["itemHierarchy"]
    found = parents(tree["items"], None, {})
    titles = {
        i["id"]: i["title"]
        for i in client.get("/courses/123456/items", headers=prof).json()["items"]
    }
    assert len(found) == len(titles) == 67
    assert titles[found[987456123]] == "Week 8"  # Assignment 1
    assert titles[found[found[987456123]]] == "Module 2: Practice"
    assert found[987654321] is None  # Course Home is top level


def test_big_course_tree_is_five_levels_deep(client: httpx.Client, prof: Headers) -> None:
    tree = client.get("/courses/900000/itemHierarchy", headers=prof).json()["itemHierarchy"]
    found = parents(tree["items"], None, {})
    assert len(found) == 10_000

    def depth(item_id: int) -> int:
        parent = found[item_id]
        return 1 if parent is None else 1 + depth(parent)

    assert max(depth(i) for i in found) == 5
