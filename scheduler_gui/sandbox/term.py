"""A generated term of course sections, for term rollovers at institution scale.

``schedctl sandbox --seed-sections 200`` (or :func:`add_sections`) adds sections
``700001``, ``700002``, ... (call numbers ``TERM-0001``, ...), each a small course of
:data:`ITEMS_PER_SECTION` items in the demo term (spring 2011, America/Denver): three
units with their own windows, and under each a page that inherits, a quiz and an
assignment with their own dates and due dates, and a discussion that inherits but has a
due date. Sections differ a little (their quiz hours and due days), so a mix-up between
two sections shows. The professor ``prof`` teaches every section; ``admin`` may use them
all. Deterministic: the same count always gives the same data.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from scheduler_gui.core.times import format_timestamp

from . import facts
from .seed import DEMO_TERM_START, DEMO_ZONE, _day, _Items
from .store import Store

FIRST_SECTION_ID = 700001
ITEMS_PER_SECTION = 15
MAX_SECTIONS = 5000
_FIRST_ITEM_ID = 700_000_000
UNITS = 3
WEEKS_PER_UNIT = 5


def section_id(number: int) -> int:
    """The course id of section ``number`` (1-based)."""
    return FIRST_SECTION_ID + number - 1


def call_number(number: int) -> str:
    return f"TERM-{number:04d}"


def section_items(number: int) -> _Items:
    """The 15 items of section ``number``."""
    course_id = section_id(number)
    items = _Items(course_id, _FIRST_ITEM_ID + (number - 1) * ITEMS_PER_SECTION)
    quiz_hour = 8 + number % 10  # 08:00 .. 17:00: sections differ
    due_shift = number % 3  # due on day 4, 5 or 6 of the week
    for unit in range(UNITS):
        first_week = unit * WEEKS_PER_UNIT
        start = _day(DEMO_TERM_START, 7 * first_week)
        end = _day(start, 7 * WEEKS_PER_UNIT - 1, 23, 59)
        unit_id = items.add(
            f"Unit {unit + 1}", "UNIT", None, window=(start, end), flags=(False, True)
        )
        items.add(f"Unit {unit + 1} Overview", "PAGE", unit_id)
        quiz_day = _day(start, 7 + 2, quiz_hour)
        items.add(
            f"Quiz {unit + 1}",
            "EXAM",
            unit_id,
            window=(quiz_day, quiz_day + timedelta(hours=2)),
            flags=(False, False),
            due=quiz_day + timedelta(hours=2),
        )
        week = _day(start, 14)
        items.add(
            f"Assignment {unit + 1}",
            "ASSIGNMENT",
            unit_id,
            window=(week, _day(week, 6, 23, 59)),
            flags=(True, True),
            due=_day(week, 4 + due_shift, 23, 59),
        )
        items.add(
            f"Discussion {unit + 1}",
            "THREAD",
            unit_id,
            flags=(False, True),
            due=_day(start, 7 * WEEKS_PER_UNIT - 2, 23, 59),
        )
    assert len(items.rows) == ITEMS_PER_SECTION
    return items


def _term() -> tuple[datetime, datetime]:
    return DEMO_TERM_START, _day(DEMO_TERM_START, 7 * UNITS * WEEKS_PER_UNIT - 1, 23, 59)


def add_sections(store: Store, count: int) -> list[int]:
    """Add sections 1..``count`` that are not there yet; returns all their course ids.

    Raises:
        ValueError: ``count`` is negative or above :data:`MAX_SECTIONS`.
    """
    if not 0 <= count <= MAX_SECTIONS:
        raise ValueError(f"the number of sections must be 0 to {MAX_SECTIONS}, not {count}")
    start, end = (format_timestamp(moment) for moment in _term())
    prof = facts.USERS["prof"][0]
    with store.transaction() as conn:
        present = {
            int(row[0])
            for row in conn.execute(
                "SELECT course_id FROM courses WHERE course_id BETWEEN ? AND ?",
                (FIRST_SECTION_ID, section_id(MAX_SECTIONS)),
            )
        }
        for number in range(1, count + 1):
            course_id = section_id(number)
            if course_id in present:
                continue
            conn.execute(
                "INSERT INTO courses VALUES (?, ?, ?, ?, ?, ?, ?, 1)",
                (
                    course_id,
                    call_number(number),
                    f"Term Section {number}",
                    call_number(number),
                    start,
                    end,
                    DEMO_ZONE.key,
                ),
            )
            conn.execute("INSERT INTO enrollments VALUES (?, ?, 'PROF')", (prof, course_id))
            conn.executemany(
                "INSERT INTO items VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                section_items(number).rows,
            )
    return [section_id(number) for number in range(1, count + 1)]
