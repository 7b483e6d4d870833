"""The schedule model: one representation per instant, and the inheritance helpers."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from scheduler_gui.core import codec
from scheduler_gui.core.diff import diff_schedules
from scheduler_gui.core.model import ItemSchedule, Schedule
from scheduler_gui.core.times import utc

DENVER = ZoneInfo("America/Denver")


def test_local_dates_are_stored_as_utc_even_in_the_dst_fold() -> None:
    # 01:30 on 2011-11-06 happens twice in Denver; fold=0 is the first (MDT, 07:30Z).
    fold_time = datetime(2011, 11, 6, 1, 30, tzinfo=DENVER)
    item = ItemSchedule(1, "Quiz", start=fold_time, end=fold_time, due=fold_time)
    assert item.start == utc(2011, 11, 6, 7, 30)
    assert item.start is not None and item.start.tzinfo is UTC
    # Without this, the same instant compared unequal after a save and read-back.
    read_back = codec.parse(codec.dump(Schedule("1", [item])), "1")
    assert read_back.items[0] == item
    assert not diff_schedules(Schedule("1", [item]), read_back)


def test_with_dates_normalizes_and_makes_inherited_items_explicit() -> None:
    item = ItemSchedule(1, start=utc(2011, 1, 1), is_inherited=True)
    edited = item.with_dates(end=datetime(2011, 3, 7, 23, 59, tzinfo=DENVER))
    assert edited.end == utc(2011, 3, 8, 6, 59) and edited.end.tzinfo is UTC  # type: ignore[union-attr]
    assert not edited.is_inherited
    assert edited.with_dates(due=utc(2011, 3, 1)).is_inherited is False
    assert item.with_dates(due=utc(2011, 3, 1)).is_inherited is True


def test_naive_dates_are_left_for_validation_to_report() -> None:
    naive = datetime(2011, 3, 8, 6, 59)  # a naive date is the point
    assert ItemSchedule(1, start=naive).start is naive


def test_schedule_lookups_and_fingerprint() -> None:
    a, b = ItemSchedule(1, "A", start=utc(2011, 1, 1)), ItemSchedule(2, "B", parent_id=1)
    schedule = Schedule(123, [a, b])
    assert schedule.course_id == "123"
    assert schedule.get(2) is b and schedule.parent_of(b) is a
    assert schedule.positions == {1: 0, 2: 1}
    assert schedule.depths == {1: 0, 2: 1}
    moved = schedule.with_items([a.with_dates(start=utc(2011, 1, 2))])
    assert moved.fingerprint() != schedule.fingerprint()
    assert Schedule("123", [a, b]).fingerprint() == schedule.fingerprint()


def test_children_lists_each_units_items_in_server_order() -> None:
    items = [
        ItemSchedule(1, "Unit"),
        ItemSchedule(3, "Quiz", parent_id=1),
        ItemSchedule(2, "Page", parent_id=1),
        ItemSchedule(4, "Lone page"),
        ItemSchedule(5, "Orphan", parent_id=77),  # a parent the course does not list
    ]
    assert Schedule("1", items).children == {1: [3, 2], 77: [5]}


def test_ancestors_run_nearest_first_and_stop_at_a_cycle() -> None:
    week = ItemSchedule(2, "Week 1", parent_id=1)
    quiz = ItemSchedule(3, "Quiz", parent_id=2)
    course = Schedule("1", [ItemSchedule(1, "Module 1"), week, quiz])
    assert [unit.title for unit in course.ancestors(quiz)] == ["Week 1", "Module 1"]
    looped = Schedule("1", [ItemSchedule(1, "A", parent_id=2), ItemSchedule(2, "B", parent_id=1)])
    assert [unit.item_id for unit in looped.ancestors(looped.by_id[1])] == [2]
    assert looped.depths == {1: 1, 2: 1}
