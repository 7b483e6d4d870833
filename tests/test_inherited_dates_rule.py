"""The inheritance rule, one definition, and every place that applies it agrees with it.

"An inherited item shows its nearest explicit ancestor's dates" (``core.inherit``) is
applied after grid edits (``ScheduleTableModel.plan_items``), shifts
(``core.shift``), copying dates (``core.copy_dates``) and merges (``core.merge``).
Random unit trees, in the consistent state a server sends, are edited the way each of
those makes changes; the result must show every inherited item what the rule says.

Run against the four separate copies before they were pointed at ``core.inherit``: grid
edits, shifting and copying agreed with the rule (3,000 trees each); merging did not (a
unit given its own dates locally left what inherits from it showing the unit's old dates,
see tests/core/test_inherit.py), and was fixed by applying the rule.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st
from PySide6.QtGui import QUndoStack

from scheduler_gui.core.copy_dates import copy_dates
from scheduler_gui.core.inherit import follow_ancestors
from scheduler_gui.core.merge import three_way_merge
from scheduler_gui.core.model import ItemSchedule, Schedule
from scheduler_gui.core.shift import ByDays, ShiftSpec, shift_schedule
from scheduler_gui.ui.grid.model import ScheduleTableModel

pytestmark = pytest.mark.gui

DAY0 = datetime(2011, 1, 10, 7, tzinfo=UTC)
TERM = (DAY0, DAY0 + timedelta(days=120))  # what the course gives an item that inherits from it
UNKNOWN_PARENT = 999  # a parent the course does not list
Dates = tuple[datetime | None, datetime | None]


def day(n: int | None) -> datetime | None:
    return None if n is None else DAY0 + timedelta(days=n, hours=n % 5)


dates = st.tuples(st.one_of(st.none(), st.integers(0, 40)), st.integers(0, 40)).map(
    lambda pair: (day(pair[0]), day(pair[1]))
)


def served(items: Iterable[ItemSchedule], term: Dates = TERM) -> Schedule:
    """What a server sends: an inherited item shows its nearest explicit ancestor's
    dates, or the course term (parents always come before their children here)."""
    by_id: dict[int, ItemSchedule] = {}
    for item in items:
        parent = by_id.get(item.parent_id) if item.parent_id is not None else None
        if item.is_inherited:
            start, end = (parent.start, parent.end) if parent is not None else term
            item = replace(item, start=start, end=end)
        by_id[item.item_id] = item
    return Schedule("1", by_id.values())


@st.composite
def courses(draw: Any) -> Schedule:
    """A forest of units and items (some with a parent the course does not list)."""
    size = draw(st.integers(1, 9))
    items = []
    for item_id in range(1, size + 1):
        parent = draw(st.sampled_from([None, UNKNOWN_PARENT, *range(1, item_id)]))
        start, end = draw(dates)
        items.append(
            ItemSchedule(item_id, f"Item {item_id}", start, end,
                         is_inherited=draw(st.booleans()), parent_id=parent)
        )  # fmt: skip
    return served(items)


@st.composite
def edits(draw: Any, course: Schedule) -> dict[int, ItemSchedule]:
    """What a user does in the grid: new own dates, reset to inherited, or own dates
    for an inherited item (the others left as they were)."""
    changed: dict[int, ItemSchedule] = {}
    for item_id in draw(st.lists(st.sampled_from(list(course.by_id)), max_size=4, unique=True)):
        item = course.by_id[item_id]
        if not item.is_inherited and draw(st.booleans()):
            changed[item.item_id] = replace(item, is_inherited=True)  # reset to inherited
        else:
            start, end = draw(dates)
            changed[item.item_id] = replace(item, start=start, end=end, is_inherited=False)
    return changed


def show(schedule: Schedule) -> list[str]:
    """One line per item: id, parent, own or inherited, shown start..end (days after DAY0)."""

    def days(value: datetime | None) -> str:
        return "-" if value is None else str((value - DAY0).days)

    return [
        f"{i.item_id}<{i.parent_id}> {'inh' if i.is_inherited else 'own'} "
        f"{days(i.start)}..{days(i.end)}"
        for i in schedule.items
    ]


def same(actual: Schedule, expected: Schedule) -> None:
    note("expected: " + "; ".join(show(expected)))
    assert show(actual) == show(expected)
    assert actual == expected


def ruled(schedule: Schedule) -> Schedule:
    """``schedule`` with the rule applied (the one definition)."""
    return schedule.with_items(f.item for f in follow_ancestors(schedule.by_id).values())


def plan(course: Schedule, changed: dict[int, ItemSchedule]) -> Schedule:
    model = ScheduleTableModel(QUndoStack())
    model.set_schedule(course)
    return course.with_items(model.plan_items(changed.values()))


RULE_SETTINGS = settings(max_examples=300, deadline=None,
                         suppress_health_check=[HealthCheck.too_slow])  # fmt: skip


@RULE_SETTINGS
@given(st.data())
def test_grid_edits_follow_the_rule(data: Any) -> None:
    course = data.draw(courses())
    changed = data.draw(edits(course))
    note(f"course: {show(course)}")
    same(plan(course, changed), ruled(course.with_items(changed.values())))


@RULE_SETTINGS
@given(st.data())
def test_copying_dates_follows_the_rule(data: Any) -> None:
    target = data.draw(courses())
    # The master: the same units with other dates, maybe in a course of another term.
    term = data.draw(st.sampled_from([TERM, (day(200), day(320))]))
    source = served(target.with_items(data.draw(edits(target)).values()).items, term)
    identity = {item.item_id: item.item_id for item in target.items}
    copied = copy_dates(source, target, mapping=identity).schedule
    note(f"target: {show(target)}")
    note(f"source: {show(source)}")
    same(copied, ruled(source))


@RULE_SETTINGS
@given(courses(), st.integers(-30, 30), st.sets(st.integers(1, 9)), st.booleans())
def test_shifting_follows_the_rule(course: Schedule, days: int, only: set[int],
                                   start_only: bool) -> None:  # fmt: skip
    spec = ShiftSpec(
        ByDays(days),
        only=frozenset(only & course.by_id.keys()) or None,
        columns=frozenset({"start"} if start_only else {"start", "end", "due"}),
    )
    shifted = shift_schedule(course, spec, UTC).schedule
    # The shift's own moves (explicit dates), before inherited items follow them:
    moved = shifted.with_items(
        replace(item, start=course.by_id[item.item_id].start, end=course.by_id[item.item_id].end)
        for item in shifted.items
        if item.is_inherited
    )
    note(f"course: {show(course)}")
    same(shifted, ruled(moved))


@RULE_SETTINGS
@given(st.data())
def test_merging_follows_the_rule(data: Any) -> None:
    base = data.draw(courses())
    mine = data.draw(edits(base))
    theirs = {k: v for k, v in data.draw(edits(base)).items() if k not in mine}
    local = ruled(base.with_items(mine.values()))  # as the grid shows local edits
    remote = ruled(base.with_items(theirs.values()))  # as the server shows theirs
    merged = three_way_merge(base, local, remote)
    note(f"base: {show(base)}")
    note(f"local: {show(local)}")
    note(f"remote: {show(remote)}")
    assert merged.clean
    same(merged.schedule, ruled(base.with_items([*mine.values(), *theirs.values()])))
