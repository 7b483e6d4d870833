"""Term shifting on the course wall clock: DST, weekdays, holidays, selections, inheritance."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from scheduler_gui.core import codec
from scheduler_gui.core.days_off import DaysOff
from scheduler_gui.core.model import ItemSchedule, Schedule
from scheduler_gui.core.shift import (
    ByDays,
    DateMove,
    Fit,
    NoteKind,
    ShiftError,
    ShiftSpec,
    ToStart,
    preview_lines,
    shift_schedule,
)
from scheduler_gui.core.times import format_local, format_timestamp, utc
from tests.core.test_codec import page_example

ZONES = (
    "America/Denver",
    "Europe/Berlin",
    "Australia/Lord_Howe",
    "America/St_Johns",
    "Asia/Kolkata",
    "America/Santiago",
    "Pacific/Chatham",
    "UTC",
)
DENVER = ZoneInfo("America/Denver")
PROPERTY = settings(deadline=None, max_examples=300)
instants = st.datetimes(
    min_value=datetime(1990, 1, 1), max_value=datetime(2045, 12, 31), timezones=st.just(UTC)
)
zones = st.sampled_from(ZONES).map(ZoneInfo)


def one_item(when: datetime) -> Schedule:
    return Schedule("1", [ItemSchedule(1, "Quiz", start=when)])


def the_move(when: datetime, spec: ShiftSpec, tz: ZoneInfo) -> DateMove:
    moves = shift_schedule(one_item(when), spec, tz).moves
    assert len(moves) == 1
    return moves[0]


def new_start(when: datetime, spec: ShiftSpec, tz: ZoneInfo) -> datetime:
    start = shift_schedule(one_item(when), spec, tz).schedule.items[0].start
    assert start is not None
    return start


# --- The example the issue requires --------------------------------------------------


def test_api_page_due_date_shifted_14_days_keeps_2359_in_denver() -> None:
    schedule = codec.parse(page_example(), "123456")
    result = shift_schedule(schedule, ShiftSpec(ByDays(14)), DENVER)
    assignment = result.schedule.get(987456123)
    assert assignment is not None and assignment.due is not None
    assert format_timestamp(assignment.due) == "2011-03-22T05:59:00Z"
    assert format_local(assignment.due, DENVER) == "Mon 2011-03-21 23:59 MDT"
    # Inherited, with no parent in the course: its window stays inherited and unchanged.
    assert assignment.is_inherited
    assert assignment.start == utc(2011, 2, 28, 7) and assignment.end == utc(2011, 3, 8, 6, 59)
    due_move = next(m for m in result.moves if m.item_id == 987456123)
    assert due_move.field == "due" and due_move.has(NoteKind.DST_OFFSET)
    home = result.schedule.get(987654321)
    assert home is not None and home.start == utc(2010, 1, 15, 7)


def test_raw_seconds_would_be_an_hour_off() -> None:
    due = utc(2011, 3, 8, 6, 59)
    assert new_start(due, ShiftSpec(ByDays(14)), DENVER) != due + timedelta(days=14)


# --- Properties over real zones ---------------------------------------------------------


@PROPERTY
@given(old=instants, tz=zones, days=st.integers(-800, 800))
def test_wall_time_and_seconds_are_kept(old: datetime, tz: ZoneInfo, days: int) -> None:
    assume(days != 0)
    move = the_move(old, ShiftSpec(ByDays(days)), tz)
    assert move.new is not None
    before, after = old.astimezone(tz), move.new.astimezone(tz)
    wanted = datetime.combine(before.date() + timedelta(days=days), before.time())
    if move.has(NoteKind.DST_GAP):
        # A wall time that does not exist moves forward by the gap (under 3 hours).
        gap = after.replace(tzinfo=None) - wanted
        assert timedelta(0) < gap < timedelta(hours=3)
    else:
        assert after.replace(tzinfo=None) == wanted
        assert after.second == before.second and after.microsecond == before.microsecond


@PROPERTY
@given(old=instants, tz=zones, days=st.integers(-800, 800))
def test_keep_weekdays_keeps_the_weekday_within_three_days(
    old: datetime, tz: ZoneInfo, days: int
) -> None:
    new = new_start(old, ShiftSpec(ByDays(days), keep_weekdays=True), tz)
    before, after = old.astimezone(tz), new.astimezone(tz)
    assert after.weekday() == before.weekday()
    assert abs((after.date() - (before.date() + timedelta(days=days))).days) <= 3


@PROPERTY
@given(old=instants, tz=zones, days=st.integers(-800, 800))
def test_shift_forward_then_back_is_the_identity(old: datetime, tz: ZoneInfo, days: int) -> None:
    # Excluded: wall times in a gap after the shift, and originals in the repeated hour
    # of a fall-back (their second occurrence cannot be told apart after a round trip).
    assume(old.astimezone(tz).fold == 0)
    there = shift_schedule(one_item(old), ShiftSpec(ByDays(days)), tz)
    assume(not any(m.has(NoteKind.DST_GAP) for m in there.moves))
    back = shift_schedule(there.schedule, ShiftSpec(ByDays(-days)), tz)
    assert back.schedule.items[0].start == old


@PROPERTY
@given(
    tz=zones,
    old_start=st.dates(date(2000, 1, 1), date(2040, 1, 1)),
    old_days=st.integers(1, 400),
    new_offset=st.integers(-400, 400),
    new_days=st.integers(1, 400),
    minute_of_day=st.integers(0, 24 * 60 - 1),
)
def test_fit_maps_the_term_end_points_exactly(
    tz: ZoneInfo,
    old_start: date,
    old_days: int,
    new_offset: int,
    new_days: int,
    minute_of_day: int,
) -> None:
    old_end = old_start + timedelta(days=old_days)
    fresh_start = old_start + timedelta(days=new_offset)
    fresh_end = fresh_start + timedelta(days=new_days)
    spec = ShiftSpec(Fit(old_start, old_end, fresh_start, fresh_end))
    for old_day, expected_day in ((old_start, fresh_start), (old_end, fresh_end)):
        wall = datetime.combine(old_day, datetime.min.time()) + timedelta(minutes=minute_of_day)
        old = wall.replace(tzinfo=tz).astimezone(UTC)
        assume(old.astimezone(tz).replace(tzinfo=None) == wall)  # a wall time that exists
        result = shift_schedule(one_item(old), spec, tz)
        after = result.schedule.items[0].start
        assert after is not None and after.astimezone(tz).date() == expected_day
        if not any(m.has(NoteKind.DST_GAP) for m in result.moves):
            assert after.astimezone(tz).time() == wall.time()


# --- Daylight saving edge cases -------------------------------------------------------


def test_time_in_a_spring_forward_gap_moves_forward_by_the_gap() -> None:
    # Denver: 2011-03-13 02:00 MST -> 03:00 MDT. 02:30 a week earlier lands in the gap.
    move = the_move(utc(2011, 3, 6, 9, 30), ShiftSpec(ByDays(7)), DENVER)
    assert format_local(move.new, DENVER) == "Sun 2011-03-13 03:30 MDT"
    assert move.has(NoteKind.DST_GAP) and "02:30 does not exist" in move.notes[0].text


def test_half_hour_gap_on_lord_howe() -> None:
    # Lord Howe moves its clocks by 30 minutes: 02:00 -> 02:30 on 2011-10-02.
    tz = ZoneInfo("Australia/Lord_Howe")
    old = datetime(2011, 9, 25, 2, 15, tzinfo=tz).astimezone(UTC)
    move = the_move(old, ShiftSpec(ByDays(7)), tz)
    assert move.new is not None and move.new.astimezone(tz).strftime("%H:%M") == "02:45"
    assert move.has(NoteKind.DST_GAP)


def test_ambiguous_wall_time_takes_the_first_occurrence() -> None:
    # Denver: 01:30 happens twice on 2011-11-06; the first one is MDT (07:30Z).
    old = datetime(2011, 10, 30, 1, 30, tzinfo=DENVER).astimezone(UTC)
    move = the_move(old, ShiftSpec(ByDays(7)), DENVER)
    assert move.new == utc(2011, 11, 6, 7, 30)
    assert move.has(NoteKind.DST_AMBIGUOUS) and "MDT" in move.notes[0].text


def test_offset_change_is_reported_with_the_wall_time_kept() -> None:
    move = the_move(datetime(2011, 3, 1, 23, 59, tzinfo=DENVER), ShiftSpec(ByDays(14)), DENVER)
    assert move.has(NoteKind.DST_OFFSET)
    assert move.notes[0].text == "UTC offset -07:00 -> -06:00, wall time kept"


# --- Modes ------------------------------------------------------------------------------


def term() -> Schedule:
    return Schedule(
        "1",
        [
            ItemSchedule(1, "Unit 1", start=utc(2011, 1, 10, 7), end=utc(2011, 2, 1, 6, 59)),
            ItemSchedule(2, "Quiz", start=utc(2011, 1, 12, 15), due=utc(2011, 1, 20, 6, 59)),
            ItemSchedule(3, "Final", start=utc(2011, 5, 2, 15), end=utc(2011, 5, 6, 6, 59)),
        ],
    )


def test_to_start_puts_the_earliest_date_on_the_new_start() -> None:
    result = shift_schedule(term(), ShiftSpec(ToStart(date(2011, 8, 29))), DENVER)
    assert result.days == (date(2011, 8, 29) - date(2011, 1, 10)).days
    unit = result.schedule.items[0]
    assert format_local(unit.start, DENVER) == "Mon 2011-08-29 00:00 MDT"


def test_to_start_with_an_anchor_puts_that_item_on_the_date() -> None:
    spec = ShiftSpec(ToStart(date(2011, 12, 12), anchor_id=3))
    final = shift_schedule(term(), spec, DENVER).schedule.items[2]
    # 09:00 MDT in May stays 09:00 on the wall clock in December (MST).
    assert format_local(final.start, DENVER) == "Mon 2011-12-12 09:00 MST"


def test_to_start_with_an_unknown_or_dateless_anchor_says_so() -> None:
    with pytest.raises(ShiftError, match="anchor item 99 is not in this course"):
        shift_schedule(term(), ShiftSpec(ToStart(date(2011, 8, 29), anchor_id=99)), DENVER)
    bare = Schedule("1", [ItemSchedule(5, "Page")])
    with pytest.raises(ShiftError, match="no dates to anchor on"):
        shift_schedule(bare, ShiftSpec(ToStart(date(2011, 8, 29), anchor_id=5)), DENVER)


def test_fit_with_keep_weekdays_maps_the_term_and_keeps_weekdays() -> None:
    spec = ShiftSpec(
        Fit(date(2011, 1, 10), date(2011, 5, 6), date(2011, 8, 29), date(2011, 12, 16)),
        keep_weekdays=True,
    )
    result = shift_schedule(term(), spec, DENVER)
    old_items, new_items = term().items, result.schedule.items
    for old, new in zip(old_items, new_items, strict=True):
        for name in ("start", "end", "due"):
            before, after = getattr(old, name), getattr(new, name)
            if before is not None:
                assert after.astimezone(DENVER).weekday() == before.astimezone(DENVER).weekday()
                assert after.astimezone(DENVER).time() == before.astimezone(DENVER).time()
    assert format_local(new_items[0].start, DENVER) == "Mon 2011-08-29 00:00 MDT"
    assert result.days is None


def test_fit_refuses_an_empty_term() -> None:
    with pytest.raises(ShiftError, match="old term must end after it starts"):
        Fit(date(2011, 1, 10), date(2011, 1, 10), date(2011, 8, 29), date(2011, 12, 16))


def test_zero_days_changes_nothing() -> None:
    result = shift_schedule(term(), ShiftSpec(ByDays(0)), DENVER)
    assert result.moves == () and result.changed == () and result.schedule == term()


def test_shifting_past_the_calendar_is_a_clear_error() -> None:
    with pytest.raises(ShiftError, match="would move outside the calendar"):
        shift_schedule(term(), ShiftSpec(ByDays(4_000_000)), DENVER)


# --- Holidays and blackouts -----------------------------------------------------------


def test_memorial_day_moves_to_the_next_day_with_its_name() -> None:
    # 2011-05-23 is a Monday; a week later is Memorial Day (2011-05-30).
    spec = ShiftSpec(ByDays(7), days_off=DaysOff("US"))
    move = the_move(datetime(2011, 5, 23, 9, 0, tzinfo=DENVER), spec, DENVER)
    assert format_local(move.new, DENVER) == "Tue 2011-05-31 09:00 MDT"
    assert move.has(NoteKind.HOLIDAY)
    assert move.notes[0].text == "Memorial Day on 2011-05-30: moved to 2011-05-31"


def test_holiday_can_move_to_the_previous_day() -> None:
    spec = ShiftSpec(ByDays(7), days_off=DaysOff("US"), skip_backward=True)
    new = new_start(datetime(2011, 5, 23, 9, 0, tzinfo=DENVER), spec, DENVER)
    assert new.astimezone(DENVER).date() == date(2011, 5, 29)


def test_consecutive_holidays_are_all_skipped() -> None:
    # Christmas 2011 is a Sunday; the observed holiday is Monday the 26th.
    spec = ShiftSpec(ByDays(7), days_off=DaysOff("US"))
    new = new_start(datetime(2011, 12, 18, 12, 0, tzinfo=DENVER), spec, DENVER)
    assert new.astimezone(DENVER).date() == date(2011, 12, 27)


def test_subdivision_holidays_apply_only_there() -> None:
    # Epiphany (6 January) is a holiday in Bavaria but not in Berlin.
    berlin = ZoneInfo("Europe/Berlin")
    old = datetime(2010, 12, 30, 10, 0, tzinfo=berlin)
    bavaria = the_move(old, ShiftSpec(ByDays(7), days_off=DaysOff("DE-BY")), berlin)
    assert bavaria.new is not None and bavaria.new.astimezone(berlin).date() == date(2011, 1, 7)
    assert "Heilige Drei Könige" in bavaria.notes[0].text or "Epiphany" in bavaria.notes[0].text
    in_berlin = new_start(old, ShiftSpec(ByDays(7), days_off=DaysOff("DE-BE")), berlin)
    assert in_berlin.astimezone(berlin).date() == date(2011, 1, 6)


def test_blackout_range_pushes_dates_past_its_end() -> None:
    days_off = DaysOff.parse(None, ["2011-03-14..2011-03-18"])
    spec = ShiftSpec(ByDays(7), days_off=days_off)
    move = the_move(datetime(2011, 3, 9, 23, 59, tzinfo=DENVER), spec, DENVER)
    assert format_local(move.new, DENVER) == "Sat 2011-03-19 23:59 MDT"
    assert move.notes[0].text.startswith("blackout 2011-03-14..2011-03-18 on 2011-03-16")


def test_holiday_move_that_reverses_a_window_is_flagged() -> None:
    # Mon 09:00 .. Tue 08:00; a week later the Monday is blacked out, so the start moves
    # to Tuesday 09:00, after the end.
    schedule = Schedule(
        "1",
        [
            ItemSchedule(
                1,
                "Lab",
                start=datetime(2011, 5, 23, 9, 0, tzinfo=DENVER),
                end=datetime(2011, 5, 24, 8, 0, tzinfo=DENVER),
            )
        ],
    )
    spec = ShiftSpec(ByDays(7), days_off=DaysOff.parse(None, ["2011-05-30"]))
    result = shift_schedule(schedule, spec, DENVER)
    end_move = next(m for m in result.moves if m.field == "end")
    assert end_move.has(NoteKind.ORDER)


def test_no_allowed_day_within_a_year_is_a_clear_error() -> None:
    days_off = DaysOff.parse(None, ["2011-01-01..2011-12-31", "2012-01-01..2012-12-30"])
    spec = ShiftSpec(ByDays(7), days_off=days_off)
    with pytest.raises(ShiftError, match="no allowed day within a year"):
        shift_schedule(one_item(utc(2011, 1, 3, 12)), spec, DENVER)


# --- Selections, columns and inheritance ------------------------------------------------


def course_tree() -> Schedule:
    """Unit 10 holds an inherited page 11, an explicit quiz 12 and sub-unit 13 (inherited)
    with page 14 (inherited, two levels down). Unit 20 stands apart."""
    unit_start, unit_end = utc(2011, 1, 10, 7), utc(2011, 2, 1, 6, 59)
    return Schedule(
        "1",
        [
            ItemSchedule(10, "Unit 1", start=unit_start, end=unit_end),
            ItemSchedule(
                11, "Reading", start=unit_start, end=unit_end, is_inherited=True, parent_id=10
            ),
            ItemSchedule(12, "Quiz", start=utc(2011, 1, 12, 15), due=utc(2011, 1, 20, 6, 59)),
            ItemSchedule(
                13, "Week 2", start=unit_start, end=unit_end, is_inherited=True, parent_id=10
            ),
            ItemSchedule(
                14,
                "Notes",
                start=unit_start,
                end=unit_end,
                is_inherited=True,
                parent_id=13,
                due=utc(2011, 1, 25, 6, 59),
            ),
            ItemSchedule(20, "Unit 2", start=utc(2011, 2, 7, 7), end=utc(2011, 3, 1, 6, 59)),
        ],
    ).with_parents({11: 10, 12: 10, 13: 10, 14: 13})


def test_inherited_items_stay_inherited_and_show_their_parents_new_dates() -> None:
    result = shift_schedule(course_tree(), ShiftSpec(ByDays(7)), DENVER)
    unit = result.schedule.get(10)
    assert unit is not None and unit.start == utc(2011, 1, 17, 7)
    for item_id in (11, 13, 14):
        child = result.schedule.get(item_id)
        assert child is not None and child.is_inherited
        assert (child.start, child.end) == (unit.start, unit.end)
    notes = result.schedule.get(14)
    assert notes is not None and notes.due == utc(2011, 2, 1, 6, 59)
    inherited_moves = [m for m in result.moves if m.has(NoteKind.INHERITED)]
    assert {m.item_id for m in inherited_moves} == {11, 13, 14}
    # The PUT body still leaves their start/end out, so the server keeps inheriting.
    body = codec.dump_put(result.schedule).decode()
    put_items = {entry["itemId"]: entry for entry in json.loads(body)["itemSchedules"]}
    assert "startDateTime" not in put_items[11]["schedule"]["accessSchedule"]
    assert put_items[14]["schedule"]["dueDate"] == "2011-02-01T06:59:00Z"


def test_selecting_a_unit_shifts_everything_under_it_only() -> None:
    spec = ShiftSpec(ByDays(7), only=frozenset({10}))
    result = shift_schedule(course_tree(), spec, DENVER)
    assert {m.item_id for m in result.moves} == {10, 11, 12, 13, 14}
    assert result.schedule.get(20) == course_tree().get(20)


def test_selecting_one_item_leaves_its_unit_alone() -> None:
    result = shift_schedule(course_tree(), ShiftSpec(ByDays(7), only=frozenset({12})), DENVER)
    assert {m.item_id for m in result.moves} == {12}
    assert [item.item_id for item in result.changed] == [12]


def test_only_the_chosen_columns_move() -> None:
    spec = ShiftSpec(ByDays(7), columns=frozenset({"due"}))
    result = shift_schedule(course_tree(), spec, DENVER)
    assert {(m.item_id, m.field) for m in result.moves} == {(12, "due"), (14, "due")}
    unit = result.schedule.get(10)
    assert unit is not None and unit.start == utc(2011, 1, 10, 7)


def test_unknown_ids_and_columns_are_refused() -> None:
    with pytest.raises(ShiftError, match="not items of course 1: 99"):
        shift_schedule(course_tree(), ShiftSpec(ByDays(7), only=frozenset({99})), DENVER)
    with pytest.raises(ShiftError, match="columns must be some of start, end, due"):
        ShiftSpec(ByDays(7), columns=frozenset({"title"}))


def test_preview_lines_show_local_times_and_notes() -> None:
    result = shift_schedule(codec.parse(page_example(), "123456"), ShiftSpec(ByDays(14)), DENVER)
    lines = preview_lines(result, DENVER, limit=3)
    assert lines[-1] == (
        "987456123 'Assignment 1' due: Mon 2011-03-07 23:59 MST -> "
        "Mon 2011-03-21 23:59 MDT  [UTC offset -07:00 -> -06:00, wall time kept]"
    )
    assert len(preview_lines(result, DENVER, limit=1)) == 2  # one move and "... and 2 more"


def course_with_an_old_home_page() -> Schedule:
    """The API example's shape: a 2010 "Course Home" at the top, then a unit of 2011 with
    an inherited page, and a top-level page that inherits from the course itself."""
    return Schedule(
        "1",
        [
            ItemSchedule(1, "Course Home", start=utc(2010, 1, 1, 7), end=utc(2010, 4, 1, 7)),
            ItemSchedule(2, "Syllabus", is_inherited=True),
            ItemSchedule(3, "Week 1", start=utc(2011, 1, 10, 7), end=utc(2011, 1, 18, 6, 59)),
            ItemSchedule(
                4,
                "Week 1 Overview",
                start=utc(2011, 1, 10, 7),
                end=utc(2011, 1, 18, 6, 59),
                is_inherited=True,
                parent_id=3,
            ),
            ItemSchedule(5, "Quiz 1", start=utc(2011, 1, 12, 7), parent_id=3),
        ],
    )


def test_to_start_anchors_on_the_units_not_an_old_page_at_the_top() -> None:
    result = shift_schedule(
        course_with_an_old_home_page(), ShiftSpec(ToStart(date(2011, 8, 29))), DENVER
    )
    assert result.anchor is not None and result.anchor[0].title == "Week 1"
    assert result.days == (date(2011, 8, 29) - date(2011, 1, 10)).days
    week = result.schedule.by_id[3]
    assert format_local(week.start, DENVER) == "Mon 2011-08-29 00:00 MDT"
    # Without a unit tree nothing is known to be a unit: the earliest date anchors.
    flat = Schedule("1", [replace(item, parent_id=None) for item in course_with_an_old_home_page()])
    flat_result = shift_schedule(flat, ShiftSpec(ToStart(date(2011, 8, 29))), DENVER)
    assert flat_result.anchor is not None and flat_result.anchor[0].title == "Course Home"


def test_items_that_inherit_from_the_course_are_named_as_staying() -> None:
    course = course_with_an_old_home_page()
    result = shift_schedule(course, ShiftSpec(ByDays(7)), DENVER)
    assert [item.title for item in result.staying] == ["Syllabus"]
    assert 2 not in {move.item_id for move in result.moves}
    assert 4 in {move.item_id for move in result.moves}  # follows Week 1
    only_week = shift_schedule(course, ShiftSpec(ByDays(7), only=frozenset({3})), DENVER)
    assert only_week.staying == ()
    due_only = shift_schedule(course, ShiftSpec(ByDays(7), columns=frozenset({"due"})), DENVER)
    assert due_only.staying == ()
