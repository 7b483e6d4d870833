"""Property tests: the codec loses nothing, keeps inheritance, and never crashes on junk.

XML has no types, so the XML round trip is checked on schedules whose unknown fields are
what XML can say: text under singular names, lists under plural names (see xmlcodec).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduler_gui.core import codec, xmlcodec
from scheduler_gui.core.model import ItemSchedule, Schedule

MODELED_KEYS = {
    "itemId",
    "itemTitle",
    "schedule",
    "accessSchedule",
    "dueDate",
    "dueDateTime",
    "startDateTime",
    "endDateTime",
    "isInherited",
    "canAccessBeforeStartDateTime",
    "canAccessAfterEndDateTime",
}
ZONES = st.sampled_from([UTC, timezone(timedelta(hours=-7)), ZoneInfo("America/Denver")])
DATES = st.one_of(
    st.none(),
    st.datetimes(
        min_value=datetime(1900, 1, 1),
        max_value=datetime(2200, 12, 31),
        timezones=ZONES,
        allow_imaginary=False,
    ).map(lambda d: d.replace(microsecond=0)),
)
# Text XML 1.0 can carry (no control characters, no lone surrogates), tabs and newlines
# including a bare carriage return.
XML_TEXT = st.text(
    alphabet=st.one_of(st.characters(blacklist_categories=("Cs", "Cc")), st.sampled_from("\t\n\r")),
    max_size=20,
)
JSON_LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
)
JSON_VALUES = st.recursive(
    JSON_LEAVES,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
JSON_EXTRAS = st.dictionaries(
    st.text(min_size=1, max_size=12).filter(lambda k: k not in MODELED_KEYS),
    JSON_VALUES,
    max_size=3,
)
SINGULAR_NAMES = st.from_regex(r"x[a-z]{0,6}[a-rt-z]", fullmatch=True)
PLURAL_NAMES = st.from_regex(r"x[a-z]{0,6}s", fullmatch=True).filter(xmlcodec.looks_plural)
XML_ENTRIES = st.one_of(XML_TEXT, st.fixed_dictionaries({"href": XML_TEXT, "rel": XML_TEXT}))
XML_EXTRAS = st.builds(
    lambda text, lists, nested: {**text, **lists, **nested},
    st.dictionaries(SINGULAR_NAMES, XML_TEXT, max_size=2),
    st.dictionaries(PLURAL_NAMES, st.lists(XML_ENTRIES, max_size=3), max_size=2),
    st.dictionaries(
        SINGULAR_NAMES.map(lambda name: name + "obj"),
        st.dictionaries(SINGULAR_NAMES, XML_TEXT, min_size=1, max_size=2),
        max_size=1,
    ),
)
# A shared machine: modest example counts, no per-example deadline.
PROPERTY = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LINKS = st.lists(
    st.fixed_dictionaries(
        {
            "href": st.just("https://api.learningstudio.com/courses/1/items/2"),
            "rel": st.just("self"),
        }
    ),
    max_size=2,
).map(lambda links: {"links": links})


@st.composite
def schedules(draw: st.DrawFn, *, xml: bool) -> Schedule:
    extras = XML_EXTRAS if xml else JSON_EXTRAS
    text = XML_TEXT if xml else st.text(max_size=30)
    ids = draw(st.lists(st.integers(1, 10**15), unique=True, max_size=4))
    items = []
    for item_id in ids:
        due = draw(DATES)
        items.append(
            ItemSchedule(
                item_id=item_id,
                title=draw(text),
                start=draw(DATES),
                end=draw(DATES),
                can_access_before_start=draw(st.booleans()),
                can_access_after_end=draw(st.booleans()),
                is_inherited=draw(st.booleans()),
                due=due,
                # With no due date nothing records which name the server used.
                due_key=draw(st.sampled_from(codec.DUE_KEYS)) if due else "dueDate",
                item_extra={**draw(LINKS), **draw(extras)},
                schedule_extra=draw(extras),
                access_extra=draw(extras),
            )
        )
    return Schedule("123456", items)


@PROPERTY
@given(schedules(xml=False))
def test_json_round_trip_is_lossless(schedule: Schedule) -> None:
    assert codec.parse(codec.dump(schedule, "json"), "123456") == schedule


@PROPERTY
@given(schedules(xml=True))
def test_xml_round_trip_is_lossless(schedule: Schedule) -> None:
    data = codec.dump(schedule, "xml")
    again = codec.parse(data, "123456")
    assert again == schedule
    assert codec.dump(again, "xml") == data


@PROPERTY
@given(schedules(xml=True))
def test_json_to_xml_to_json_agrees_for_xml_representable_data(schedule: Schedule) -> None:
    via_xml = codec.parse(codec.dump(codec.parse(codec.dump(schedule), "1"), "xml"), "1")
    assert codec.dump(via_xml) == codec.dump(schedule)


def _put_items(schedule: Schedule, fmt: str) -> list[dict[str, Any]]:
    body = codec.dump_put(schedule, fmt)
    document = xmlcodec.loads(body) if fmt == "xml" else json.loads(body)
    items = document["itemSchedules"]
    return items if isinstance(items, list) else []


@PROPERTY
@given(schedules(xml=True), st.sampled_from(["json", "xml"]))
def test_put_body_never_echoes_inherited_dates(schedule: Schedule, fmt: str) -> None:
    items = _put_items(schedule, fmt)
    assert len(items) == len(schedule.items)
    for item, sent in zip(schedule.items, items, strict=True):
        assert set(sent) == {"itemId", "schedule"}
        access = sent["schedule"]["accessSchedule"]
        assert "isInherited" not in access
        if item.is_inherited:
            assert "startDateTime" not in access and "endDateTime" not in access
        else:
            assert ("startDateTime" in access) == (item.start is not None)
            assert ("endDateTime" in access) == (item.end is not None)


def test_both_due_key_spellings_survive_and_keep_their_names() -> None:
    body = {
        "itemSchedules": [
            {"itemId": 1, "schedule": {"dueDateTime": "2011-03-08T06:59:00Z"}},
            {"itemId": 2, "schedule": {"dueDate": "2011-03-08T06:59:00Z"}},
            {
                "itemId": 3,
                "schedule": {
                    "dueDate": "2011-03-08T06:59:00Z",
                    "dueDateTime": "2011-03-09T06:59:00Z",
                },
            },
        ]
    }
    for fmt in ("json", "xml"):
        schedule = codec.parse(json.dumps(body), "1")
        written = json.loads(codec.dump(codec.parse(codec.dump(schedule, fmt), "1")))
        schedules_written = [entry["schedule"] for entry in written["itemSchedules"]]
        assert schedules_written[0]["dueDateTime"] == "2011-03-08T06:59:00Z"
        assert "dueDate" not in schedules_written[0]
        assert schedules_written[1]["dueDate"] == "2011-03-08T06:59:00Z"
        assert schedules_written[2]["dueDate"] == "2011-03-08T06:59:00Z"
        assert schedules_written[2]["dueDateTime"] == "2011-03-09T06:59:00Z"


def test_xml_keeps_empty_lists_single_item_lists_and_empty_strings_apart() -> None:
    item = ItemSchedule(
        1,
        "Line one\r\nline <two> & three",
        item_extra={
            "links": [],
            "tags": ["only"],
            "status": "",
            "note": "",
            "parts": [{"href": "h", "rel": "self"}],
        },
    )
    data = codec.dump(Schedule("1", [item]), "xml")
    assert b"<links></links>" in data and b"<tags><tag>only</tag></tags>" in data
    assert b"&#13;" in data and b"&lt;two&gt; &amp; three" in data
    assert codec.parse(data, "1").items[0] == item


def test_xml_refuses_what_it_cannot_carry_with_a_clear_message() -> None:
    for item in (ItemSchedule(1, "bell \x07"), ItemSchedule(1, item_extra={"a b": "x"})):
        try:
            codec.dump(Schedule("1", [item]), "xml")
        except codec.ScheduleFormatError as exc:
            assert "cannot write this schedule as XML" in str(exc)
            assert "save as JSON instead" in str(exc)
        else:
            raise AssertionError("XML writer accepted text it cannot represent")
    # JSON carries the same data, even a lone surrogate the server sent escaped.
    odd = codec.parse('{"itemSchedules": [{"itemId": 1, "itemTitle": "\\ud800 \\u0007"}]}', "1")
    assert codec.parse(codec.dump(odd), "1") == odd


# --- Fuzzing: junk in, ScheduleFormatError out (never another exception) -------------

XML_PIECES = st.sampled_from(
    [
        "<itemSchedules>",
        "</itemSchedules>",
        "<itemSchedule>",
        "</itemSchedule>",
        "<itemId>",
        "</itemId>",
        "<schedule>",
        "</schedule>",
        "<accessSchedule>",
        "</accessSchedule>",
        "<startDateTime>",
        "</startDateTime>",
        "<isInherited>",
        "</isInherited>",
        "<dueDate>",
        "</dueDate>",
        "<links/>",
        "<itemTitle/>",
        "2011-03-08T06:59:00Z",
        "true",
        "12",
        "²",
        "&amp;",
        "&bogus;",
        '<!DOCTYPE x [<!ENTITY a "b">]>',
        '<?xml version="1.0" encoding="UTF-8"?>',
    ]
)
TRICKY = st.sampled_from(
    [
        "2011-03-08T06:59:00Z",
        "2011-02-30T00:00:00Z",
        "9999-12-31T23:59:59-01:00",
        "true",
        "12",
        " 12 ",
        "-5",
        "²",
        "٣",
        "1" * 5000,
        "",
        1.5,
        True,
        None,
        10**30,
        [],
        {},
    ]
)
FIELD_VALUES = st.one_of(TRICKY, JSON_VALUES)
ITEM_LIKE = st.dictionaries(st.sampled_from(sorted(MODELED_KEYS)), FIELD_VALUES, max_size=6)
ACCESS_KEYS = sorted(MODELED_KEYS - {"itemId", "itemTitle", "schedule", "accessSchedule"})
# Mostly well-shaped items with one odd value, so parsing gets deep before it fails.
NESTED_ITEMS = st.builds(
    lambda item_id, title, schedule, access: {
        "itemId": item_id,
        "itemTitle": title,
        "schedule": {**schedule, "accessSchedule": access},
    },
    st.one_of(st.integers(1, 10**12), TRICKY),
    st.one_of(st.text(max_size=5), TRICKY),
    st.dictionaries(st.sampled_from(["dueDate", "dueDateTime", "other"]), TRICKY, max_size=2),
    st.one_of(st.dictionaries(st.sampled_from(ACCESS_KEYS), TRICKY, max_size=4), TRICKY),
)
STRUCTURED = st.lists(
    st.one_of(NESTED_ITEMS, NESTED_ITEMS, ITEM_LIKE, FIELD_VALUES), max_size=3
).map(lambda entries: json.dumps({"itemSchedules": entries}))


def _as_xml(body: str) -> bytes:
    """The same junk as an XML body, where XML can carry it."""
    try:
        return xmlcodec.dumps(json.loads(body))
    except xmlcodec.XmlFormatError:
        return body.encode()


XML_JUNK = st.lists(XML_PIECES, max_size=20).map("".join)
DOCUMENTS = st.one_of(
    st.text(),
    st.binary(),
    JSON_VALUES.map(json.dumps),
    STRUCTURED,
    STRUCTURED.map(str.encode),
    STRUCTURED.map(_as_xml),
    XML_JUNK,
    XML_JUNK.map(str.encode),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOCUMENTS, st.sampled_from([None, None, "json", "xml"]))
def test_parse_never_raises_anything_but_schedule_format_error(
    data: str | bytes, fmt: str | None
) -> None:
    try:
        result = codec.parse(data, "1", fmt)
    except codec.ScheduleFormatError as exc:
        assert str(exc)
    else:
        assert isinstance(result, Schedule)
