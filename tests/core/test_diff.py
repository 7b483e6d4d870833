"""Diff between two schedules and its text rendering (course time zone, DST, inheritance)."""

from __future__ import annotations

from dataclasses import replace
from zoneinfo import ZoneInfo

from scheduler_gui.core.diff import FieldChange, ScheduleDiff, diff_schedules, render_text
from scheduler_gui.core.model import ItemSchedule, Schedule
from scheduler_gui.core.times import utc

DENVER = ZoneInfo("America/Denver")
HOME = ItemSchedule(
    987654321,
    "Course Home",
    start=utc(2010, 1, 1, 7),
    end=utc(2010, 4, 1, 7),
    can_access_after_end=True,
)
ASSIGNMENT = ItemSchedule(
    987456123,
    "Assignment 1",
    start=utc(2011, 2, 28, 7),
    end=utc(2011, 3, 9, 6, 59),
    due=utc(2011, 3, 9, 6, 59),
    parent_id=987654321,
)
BASE = Schedule("123456", [HOME, ASSIGNMENT])


def test_identical_schedules_have_no_diff() -> None:
    diff = diff_schedules(BASE, Schedule("123456", list(BASE.items)))
    assert not diff and len(diff) == 0
    assert diff.changes == () and diff.changed_ids == frozenset()
    assert render_text(diff, DENVER) == "No changes."


def test_field_changes_are_reported_with_old_and_new_values() -> None:
    moved = ASSIGNMENT.with_dates(end=utc(2011, 3, 23, 5, 59))
    new = BASE.with_items([moved, replace(HOME, can_access_before_start=True)])
    diff = diff_schedules(BASE, new)
    assert diff.changes == (
        FieldChange(987654321, "Course Home", "can_access_before_start", False, True),
        FieldChange(987456123, "Assignment 1", "end", utc(2011, 3, 9, 6, 59), moved.end),
    )
    assert diff.changed_ids == {987654321, 987456123}
    assert bool(diff) and len(diff) == 2


def test_render_text_uses_course_time_across_dst() -> None:
    moved = ASSIGNMENT.with_dates(end=utc(2011, 3, 23, 5, 59), due=utc(2011, 3, 23, 5, 59))
    diff = diff_schedules(BASE, BASE.with_items([moved, replace(HOME, end=None)]))
    assert render_text(diff, DENVER) == (
        "Course Home (987654321): end Thu 2010-04-01 01:00 MDT -> none\n"
        "Assignment 1 (987456123):\n"
        "  end Tue 2011-03-08 23:59 MST -> Tue 2011-03-22 23:59 MDT\n"
        "  due Tue 2011-03-08 23:59 MST -> Tue 2011-03-22 23:59 MDT\n"
        "3 changes in 2 items."
    )


def test_inherited_dates_following_a_moved_parent_are_not_changes() -> None:
    child = replace(ASSIGNMENT, is_inherited=True)
    old = Schedule("1", [HOME, child])
    # The unit moved a week; the child's displayed (inherited) dates moved with it.
    week = utc(2010, 1, 8, 7) - utc(2010, 1, 1, 7)
    new = old.with_items(
        [
            HOME.with_dates(start=HOME.start + week),  # type: ignore[operator]
            replace(child, start=child.start + week, end=child.end + week),  # type: ignore[operator]
        ]
    )
    diff = diff_schedules(old, new)
    assert [change.field for change in diff.changes] == ["start"]
    assert diff.changed_ids == {987654321}


def test_inherited_to_explicit_and_back_is_worded_plainly() -> None:
    inherited = replace(ASSIGNMENT, is_inherited=True, due=None)
    old = Schedule("1", [inherited])
    explicit = inherited.with_dates(start=utc(2011, 3, 1, 7))
    diff = diff_schedules(old, Schedule("1", [explicit]))
    assert [(c.field, c.old, c.new) for c in diff.changes] == [
        ("is_inherited", True, False),
        ("start", utc(2011, 2, 28, 7), utc(2011, 3, 1, 7)),
    ]
    assert render_text(diff, DENVER) == (
        "Assignment 1 (987456123):\n"
        "  now has its own dates (they were inherited)\n"
        "  start Mon 2011-02-28 00:00 MST -> Tue 2011-03-01 00:00 MST\n"
        "2 changes in 1 item."
    )
    back = diff_schedules(Schedule("1", [explicit]), Schedule("1", [explicit.reset_to_inherited()]))
    assert [c.field for c in back.changes] == ["is_inherited"]
    assert render_text(back, DENVER) == (
        "Assignment 1 (987456123): dates now inherited from its parent (its own were "
        "Tue 2011-03-01 00:00 MST to Tue 2011-03-08 23:59 MST)\n"
        "1 change in 1 item."
    )


def test_missing_and_unknown_items() -> None:
    stranger = ItemSchedule(5, "Stray page")
    diff = diff_schedules(BASE, Schedule("123456", [ASSIGNMENT, stranger]))
    assert diff.missing_ids == (987654321,)
    assert diff.unknown_ids == (5,)
    assert diff.changes == ()
    assert len(diff) == 2
    assert render_text(diff, DENVER) == (
        "Course Home (987654321): missing (removed)\n"
        "Stray page (5): new item\n"
        "1 item missing, 1 new item."
    )


def test_flags_and_untitled_items_render_readably() -> None:
    old = Schedule("1", [ItemSchedule(7)])
    new = Schedule("1", [ItemSchedule(7, can_access_after_end=True)])
    assert render_text(diff_schedules(old, new), DENVER) == (
        "Item 7: can open after end no -> yes\n1 change in 1 item."
    )


def test_limit_caps_items_shown_but_summary_counts_all() -> None:
    items = [ItemSchedule(n, f"Page {n}", start=utc(2011, 1, 1)) for n in range(1, 6)]
    old = Schedule("1", items)
    new = old.with_items(i.with_dates(start=utc(2011, 1, 2)) for i in items)
    text = render_text(diff_schedules(old, new), ZoneInfo("UTC"), limit=2)
    assert text.splitlines() == [
        "Page 1 (1): start Sat 2011-01-01 00:00 UTC -> Sun 2011-01-02 00:00 UTC",
        "Page 2 (2): start Sat 2011-01-01 00:00 UTC -> Sun 2011-01-02 00:00 UTC",
        "... and 3 more items",
        "5 changes in 5 items.",
    ]


def test_hand_built_diff_renders_without_schedules() -> None:
    diff = ScheduleDiff((FieldChange(3, "Quiz", "is_inherited", False, True),))
    assert render_text(diff, DENVER) == (
        "Quiz (3): dates now inherited from its parent\n1 change in 1 item."
    )


def test_ten_thousand_item_diff_counts_everything() -> None:
    items = [
        ItemSchedule(n, f"Item {n}", start=utc(2011, 1, 1), end=utc(2011, 2, 1))
        for n in range(10_000)
    ]
    old = Schedule("1", items)
    new = old.with_items(i.with_dates(end=utc(2011, 2, 2)) for i in items[::2])
    diff = diff_schedules(old, new)
    assert len(diff.changes) == 5_000
    assert render_text(diff, DENVER, limit=10).endswith("5000 changes in 5000 items.")
