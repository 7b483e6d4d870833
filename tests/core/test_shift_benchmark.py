"""Shifting a 10,000-item course (run with --benchmark-enable to time it).

The plain loop adding a timedelta is the baseline: it is what naive tools do (and why
their dates end up an hour off), and the floor for any per-date work in Python.
"""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from pytest_benchmark.fixture import BenchmarkFixture

from scheduler_gui.core.days_off import DaysOff
from scheduler_gui.core.model import ItemSchedule, Schedule
from scheduler_gui.core.shift import ByDays, NoteKind, ShiftResult, ShiftSpec, shift_schedule
from scheduler_gui.core.times import utc

DENVER = ZoneInfo("America/Denver")


def big_course(count: int = 10_000) -> Schedule:
    """Dates spread over a spring term, at varied hours and minutes, like a real course."""
    items = []
    for index in range(count):
        start = utc(2011, 1, 10, 7) + timedelta(days=index % 120, minutes=37 * (index % 40))
        items.append(
            ItemSchedule(
                index + 1,
                f"Item {index + 1}",
                start=start,
                end=start + timedelta(days=7),
                due=start + timedelta(days=6, hours=16, minutes=59),
            )
        )
    return Schedule("900000", items)


def test_shift_10000_items_with_weekdays_and_holidays(benchmark: BenchmarkFixture) -> None:
    course = big_course()
    spec = ShiftSpec(ByDays(91), keep_weekdays=True, days_off=DaysOff("US-CO"))
    result: ShiftResult = benchmark(shift_schedule, course, spec, DENVER)
    assert len(result.changed) == 10_000 and len(result.moves) == 30_000
    assert result.notes_count[NoteKind.HOLIDAY] > 0
    for move in result.moves[:500]:
        assert move.new is not None and move.old is not None
        assert move.new.astimezone(DENVER).time() == move.old.astimezone(DENVER).time()


def test_baseline_plain_timedelta_loop(benchmark: BenchmarkFixture) -> None:
    course = big_course()
    step = timedelta(days=91)

    def plain_loop() -> list[ItemSchedule]:
        return [
            item.with_dates(start=item.start + step, end=item.end + step, due=item.due + step)  # type: ignore[operator]
            for item in course.items
        ]

    shifted = benchmark(plain_loop)
    assert shifted[0].start == utc(2011, 4, 11, 7)
