"""A small in-memory LearningStudio for httpx.MockTransport unit tests.

The loopback tests use the real sandbox; this fake lets unit tests script exact faults
(a 503 then a 200, a connection dropped after the PUT was applied, a server that stores
something other than what was sent).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import httpx

COURSE = "123456"
CCN = "DEMO-101"
Fault = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]


class FakeTime:
    """Clock and sleep in one: sleeping advances the clock, nothing really waits."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def item(item_id: int, title: str, start: str, end: str, **extra: Any) -> dict[str, Any]:
    access = {
        "startDateTime": start,
        "endDateTime": end,
        "isInherited": extra.pop("inherited", False),
        "canAccessBeforeStartDateTime": False,
        "canAccessAfterEndDateTime": True,
    }
    schedule: dict[str, Any] = {"accessSchedule": access}
    if "due" in extra:
        schedule = {"dueDate": extra.pop("due"), **schedule}
    return {
        "itemId": item_id,
        "itemTitle": title,
        "schedule": schedule,
        "links": [
            {"href": f"https://api.example.test/courses/{COURSE}/items/{item_id}", "rel": "self"}
        ],
    }


def sample_document() -> dict[str, Any]:
    return {
        "itemSchedules": [
            item(1, "Unit 1", "2011-01-10T07:00:00Z", "2011-03-01T07:00:00Z"),
            item(2, "Reading 1", "2011-01-10T07:00:00Z", "2011-03-01T07:00:00Z", inherited=True),
            item(
                3,
                "Assignment 1",
                "2011-02-01T07:00:00Z",
                "2011-02-08T06:59:00Z",
                due="2011-02-08T06:59:00Z",
            ),
            item(4, "Unit 2", "2011-03-01T07:00:00Z", "2011-05-01T07:00:00Z"),
        ]
    }


HIERARCHY = {
    "itemHierarchy": [
        {"id": 1, "title": "Unit 1", "items": [{"id": 2}, {"id": 3}]},
        {"id": 4, "title": "Unit 2", "items": []},
    ]
}


class FakeLearningStudio:
    """Callable MockTransport handler keeping one course's schedules in memory."""

    def __init__(self, *, hierarchy: bool = True, courses_route: bool = True) -> None:
        self.document = sample_document()
        self.hierarchy = hierarchy
        self.courses_route = courses_route
        self.faults: dict[str, list[Fault]] = {}
        self.requests: list[httpx.Request] = []
        self.put_bodies: list[Any] = []
        #: Changes what a PUT stores (to simulate a server that drops a field).
        self.tamper: Callable[[dict[str, Any]], None] | None = None
        #: Apply the PUT, then drop the connection before answering.
        self.drop_after_put = 0

    def fail(self, method: str, *faults: Fault) -> None:
        self.faults.setdefault(method, []).extend(faults)

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        queue = self.faults.get(request.method)
        if queue:
            fault = queue.pop(0)
            if isinstance(fault, Exception):
                raise fault
            if isinstance(fault, httpx.Response):
                return fault
            return fault(request)
        path = request.url.path
        for suffix in (".json", ".xml"):
            path = path.removesuffix(suffix)
        parts = [p for p in path.split("/") if p]
        course_ok = len(parts) > 1 and parts[1] in (COURSE, f"ccn={CCN}")
        if parts[:1] == ["courses"] and not course_ok:
            return httpx.Response(404, json={"error": {"message": "No such course"}})
        if len(parts) == 3 and parts[2].lower() == "itemschedules":
            if request.method == "GET":
                return httpx.Response(200, json=self.document)
            if request.method == "PUT":
                if parts[1] != COURSE:
                    return httpx.Response(400, json={"error": {"message": "PUT needs the id"}})
                return self._put(request)
        if len(parts) == 3 and parts[2] == "itemHierarchy" and self.hierarchy:
            return httpx.Response(200, json=HIERARCHY)
        if len(parts) == 2 and self.courses_route:
            return httpx.Response(200, json={"courses": [{"id": int(COURSE), "title": "Demo"}]})
        return httpx.Response(404, content=b"")

    def _put(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        self.put_bodies.append(body)
        sent = {entry["itemId"]: entry for entry in body["itemSchedules"]}
        if set(sent) != {e["itemId"] for e in self.document["itemSchedules"]}:
            return httpx.Response(400, json={"error": {"message": "every item must be sent"}})
        new = copy.deepcopy(self.document)
        for entry in new["itemSchedules"]:
            put = sent[entry["itemId"]]["schedule"]
            access = entry["schedule"]["accessSchedule"]
            put_access = put["accessSchedule"]
            inherited = "startDateTime" not in put_access
            access["isInherited"] = inherited
            if not inherited:
                access["startDateTime"] = put_access["startDateTime"]
                access["endDateTime"] = put_access["endDateTime"]
            for flag in ("canAccessBeforeStartDateTime", "canAccessAfterEndDateTime"):
                access[flag] = put_access[flag]
            for key in ("dueDate", "dueDateTime"):
                if key in put:
                    entry["schedule"][key] = put[key]
        if self.tamper:
            self.tamper(new)
        self.document = new
        if self.drop_after_put:
            self.drop_after_put -= 1
            raise httpx.ReadError("connection reset by peer")
        return httpx.Response(204)
