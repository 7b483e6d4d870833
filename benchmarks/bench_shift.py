"""Term-shift speed on a 10,000-item course, against a plain timedelta loop.

The floor adds ``timedelta(days=N)`` to every date and rebuilds each item (what naive
tools do, and why their dates end up an hour off across daylight saving); ``ours / floor``
shows what wall-clock arithmetic, weekday keeping, holiday lookups, inheritance and the
per-date preview records cost. Each ``bench_*`` function does one run and returns seconds.
Run directly: ``.venv/bin/python benchmarks/bench_shift.py``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from scheduler_gui.core.days_off import DaysOff
from scheduler_gui.core.model import ItemSchedule, Schedule
from scheduler_gui.core.shift import ByDays, Fit, ShiftSpec, shift_schedule
from scheduler_gui.core.times import utc

ITEMS = 10_000
ZONE = ZoneInfo("America/Denver")
DAYS = 91


def big_course(items: int = ITEMS) -> Schedule:
    """Units of 20 items; a third inherit, every item has start/end/due at varied times."""
    rows = []
    for index in range(items):
        unit = index % 20 == 0
        start = utc(2011, 1, 10, 7) + timedelta(days=index % 120, minutes=37 * (index % 40))
        rows.append(
            ItemSchedule(
                item_id=100_000 + index,
                title=f"Unit {index // 20}" if unit else f"Item {index}",
                start=start,
                end=start + timedelta(days=7),
                due=start + timedelta(days=6, hours=16, minutes=59),
                is_inherited=not unit and index % 3 == 0,
                parent_id=None if unit else 100_000 + index - index % 20,
            )
        )
    return Schedule("900000", rows)


def _timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def bench_floor_timedelta_loop(course: Schedule) -> float:
    step = timedelta(days=DAYS)

    def loop() -> list[ItemSchedule]:
        return [
            item.with_dates(
                **{
                    name: value + step
                    for name in ("start", "end", "due")
                    if (value := getattr(item, name)) is not None
                }
            )
            for item in course.items
        ]

    return _timed(loop)


def bench_shift_days(course: Schedule) -> float:
    return _timed(lambda: shift_schedule(course, ShiftSpec(ByDays(DAYS)), ZONE))


def bench_shift_weekdays_holidays(course: Schedule) -> float:
    spec = ShiftSpec(ByDays(DAYS + 3), keep_weekdays=True, days_off=DaysOff("US-CO"))
    return _timed(lambda: shift_schedule(course, spec, ZONE))


def bench_shift_fit(course: Schedule) -> float:
    term = Fit(date(2011, 1, 10), date(2011, 5, 20), date(2011, 8, 29), date(2011, 12, 16))
    spec = ShiftSpec(term, keep_weekdays=True)
    return _timed(lambda: shift_schedule(course, spec, ZONE))


def main(rounds: int = 7) -> None:
    course = big_course()
    DaysOff("US-CO").reason(date(2011, 5, 30))  # import the holidays package outside timing
    benches = (
        bench_floor_timedelta_loop,
        bench_shift_days,
        bench_shift_weekdays_holidays,
        bench_shift_fit,
    )
    floor = 0.0
    for bench in benches:
        best = min(bench(course) for _ in range(rounds))
        floor = floor or best
        name = bench.__name__.removeprefix("bench_")
        print(f"{name:28} {best * 1000:8.1f} ms   x{best / floor:4.1f} of the floor")


if __name__ == "__main__":
    main()
