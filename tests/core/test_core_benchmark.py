"""Validate, diff, render, merge and the codecs on a 10,000-item course.

Run with ``--benchmark-enable`` to time them; without it each runs once as a test.
"""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from pytest_benchmark.fixture import BenchmarkFixture

from scheduler_gui.core import codec
from scheduler_gui.core.diff import diff_schedules, render_text
from scheduler_gui.core.merge import three_way_merge
from scheduler_gui.core.model import ItemSchedule, Schedule
from scheduler_gui.core.times import utc
from scheduler_gui.core.validate import validate

DENVER = ZoneInfo("America/Denver")
COUNT = 10_000


def big_course() -> Schedule:
    """100 units of 99 items each; a third of the items inherit their unit's dates."""
    items = []
    for unit in range(100):
        unit_id = unit * 100 + 1
        unit_start = utc(2011, 1, 10, 7) + timedelta(days=unit)
        unit_end = unit_start + timedelta(days=60)
        items.append(ItemSchedule(unit_id, f"Unit {unit + 1}", unit_start, unit_end))
        for n in range(1, 100):
            start = unit_start + timedelta(hours=n)
            items.append(
                ItemSchedule(
                    unit_id + n,
                    f"Item {unit + 1}.{n}",
                    start=unit_start if n % 3 == 0 else start,
                    end=unit_end if n % 3 == 0 else start + timedelta(days=7),
                    is_inherited=n % 3 == 0,
                    due=start + timedelta(days=6),
                    parent_id=unit_id,
                    item_extra={"links": [{"href": f"/items/{unit_id + n}", "rel": "self"}]},
                )
            )
    return Schedule("900000", items)


def edited(course: Schedule, step: int, days: int) -> Schedule:
    return course.with_items(
        item.with_dates(due=item.due + timedelta(days=days))  # type: ignore[operator]
        for item in course.items[::step]
        if item.due is not None
    )


@pytest.fixture(scope="module")
def course() -> Schedule:
    return big_course()


def test_validate_10000_items(benchmark: BenchmarkFixture, course: Schedule) -> None:
    findings = benchmark(validate, course, expected_ids=list(course.by_id), tz=DENVER)
    assert len(course) == COUNT and findings == []


def test_diff_and_render_10000_items(benchmark: BenchmarkFixture, course: Schedule) -> None:
    new = codec.parse(codec.dump(edited(course, 1, 7)), "900000")  # no shared objects

    def diff_and_render() -> str:
        return render_text(diff_schedules(course, new), DENVER)

    text = benchmark(diff_and_render)
    assert text.endswith("9900 changes in 9900 items.")  # every item but the 100 units


def test_merge_10000_items(benchmark: BenchmarkFixture, course: Schedule) -> None:
    local, remote = edited(course, 2, 7), edited(course, 3, 14)
    result = benchmark(three_way_merge, course, local, remote)
    assert len(result.schedule) == COUNT
    both = [item for item in course.items[::6] if item.due is not None]
    assert len(result.conflicts) == len(both)  # due dates both sides moved differently


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_codec_round_trip_10000_items(
    benchmark: BenchmarkFixture, course: Schedule, fmt: str
) -> None:
    parents = {item.item_id: item.parent_id for item in course.items}

    def round_trip() -> Schedule:
        return codec.parse(codec.dump(course, fmt), "900000")

    # The unit tree comes from the hierarchy API, not from itemSchedules bodies.
    assert benchmark(round_trip).with_parents(parents) == course
