"""Parsing and writing itemSchedules bodies, starting from the API page's own example."""

from __future__ import annotations

import json
import re

import pytest

from scheduler_gui.core import codec
from scheduler_gui.core.times import utc
from tests.conftest import API_DOCS


def page_example() -> str:
    """The GET example body from the item-schedules page, with its truncation marker cut."""
    text = (API_DOCS / "002_bd25460867f59f1e.txt").read_text(encoding="utf-8")
    section = text.split("Example: Retrieve All Schedules", 1)[1].split("Example: Update", 1)[0]
    body = section[section.index("{") :]
    return re.sub(r",\s*\.\.\. truncated \.\.\.\s*\]", "]", body)


def test_page_example_parses_into_two_items() -> None:
    schedule = codec.parse(page_example(), "123456")
    home, assignment = schedule.items
    assert (home.item_id, home.title) == (987654321, "Course Home")
    assert home.start == utc(2010, 1, 1, 7) and home.end == utc(2010, 4, 1, 7)
    assert not home.is_inherited and not home.can_access_before_start
    assert home.can_access_after_end
    assert assignment.is_inherited and assignment.due == utc(2011, 3, 8, 6, 59)
    assert assignment.due_key == "dueDate"
    assert assignment.item_extra["links"][0]["rel"] == "self"


def test_page_example_document_round_trips_exactly() -> None:
    original = json.loads(page_example())
    written = json.loads(codec.dump(codec.parse(page_example(), "123456")))
    assert written == original


def test_put_body_leaves_inherited_dates_out_and_keeps_due_date() -> None:
    put = json.loads(codec.dump_put(codec.parse(page_example(), "123456")))
    home, assignment = put["itemSchedules"]
    assert home == {
        "itemId": 987654321,
        "schedule": {
            "accessSchedule": {
                "startDateTime": "2010-01-01T07:00:00Z",
                "endDateTime": "2010-04-01T07:00:00Z",
                "canAccessBeforeStartDateTime": False,
                "canAccessAfterEndDateTime": True,
            }
        },
    }
    assert assignment["schedule"] == {
        "dueDate": "2011-03-08T06:59:00Z",
        "accessSchedule": {
            "canAccessBeforeStartDateTime": True,
            "canAccessAfterEndDateTime": True,
        },
    }


def test_xml_round_trip_matches_json() -> None:
    schedule = codec.parse(page_example(), "123456")
    xml = codec.dump(schedule, "xml")
    assert xml.startswith(b"<?xml")
    again = codec.parse(xml, "123456")
    assert again.items[1].due == schedule.items[1].due
    assert [i.schedule_key() for i in again] == [i.schedule_key() for i in schedule]


def test_editing_an_inherited_date_makes_it_explicit_and_reset_restores() -> None:
    schedule = codec.parse(page_example(), "123456")
    inherited = schedule.items[1]
    edited = inherited.with_dates(end=utc(2011, 3, 9, 6, 59))
    assert not edited.is_inherited
    put = codec.item_to_obj(edited, for_put=True)["schedule"]["accessSchedule"]
    assert put["startDateTime"] == "2011-02-28T07:00:00Z"
    assert put["endDateTime"] == "2011-03-09T06:59:00Z"
    reset = edited.reset_to_inherited()
    assert reset.is_inherited
    assert (
        "startDateTime" not in codec.item_to_obj(reset, for_put=True)["schedule"]["accessSchedule"]
    )


def test_due_only_edit_keeps_item_inherited() -> None:
    item = codec.parse(page_example(), "123456").items[1]
    assert item.with_dates(due=utc(2011, 3, 10)).is_inherited


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{", "not valid JSON"),
        ('{"items": []}', 'no "itemSchedules"'),
        ('{"itemSchedules": [{"itemTitle": "x"}]}', "item #1: itemId is missing"),
        ('{"itemSchedules": [{"itemId": "abc"}]}', "itemId must be a number"),
        ('{"itemSchedules": [{"itemId": "\u00b2"}]}', "itemId must be a number"),
        (
            '{"itemSchedules": [{"itemId": 5, "schedule": {"accessSchedule": '
            '{"startDateTime": "2011-02-30T00:00:00Z"}}}]}',
            "item #1 (itemId 5): startDateTime",
        ),
        (
            '{"itemSchedules": [{"itemId": 5, "schedule": {"accessSchedule": '
            '{"isInherited": "maybe"}}}]}',
            "isInherited must be true or false",
        ),
    ],
)
def test_bad_bodies_get_a_message_naming_the_spot(body: str, message: str) -> None:
    with pytest.raises(codec.ScheduleFormatError, match=re.escape(message)):
        codec.parse(body, "1")
