"""Schedules for the grid tests, built from core types (no server needed), and the grid
editor that shows them."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtGui import QUndoStack
from pytestqt.qtbot import QtBot

from scheduler_gui.core.model import ItemSchedule, Schedule
from scheduler_gui.ui.grid.editor import ScheduleEditor

DENVER = ZoneInfo("America/Denver")


def grid_editor(
    qtbot: QtBot, schedule: Schedule, *, size: tuple[int, int] | None = None, shown: bool = False
) -> ScheduleEditor:
    """A grid editor with its own undo stack showing ``schedule`` in Denver time, ``size``
    wide and high if given, and on screen if ``shown``."""
    editor = ScheduleEditor(QUndoStack())
    qtbot.addWidget(editor)
    editor.set_schedule(schedule, DENVER)
    if size is not None:
        editor.resize(*size)
    if shown:
        editor.show()
        qtbot.waitExposed(editor)
    return editor


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A Denver wall-clock time as an aware UTC datetime (how the core stores dates)."""
    return datetime(year, month, day, hour, minute, tzinfo=DENVER).astimezone(ZoneInfo("UTC"))


def small_course() -> Schedule:
    """A unit with three children (one inherited, one with a due date), plus a lone page.

    ids: 1 = unit, 2 = inherited page, 3 = explicit assignment with due, 4 = quiz,
    5 = top-level page without a parent.
    """
    unit_start, unit_end = local(2011, 2, 28), local(2011, 3, 13, 23, 59)
    return Schedule(
        "123456",
        [
            ItemSchedule(1, "Unit 3: Ecology", unit_start, unit_end, False, True),
            ItemSchedule(
                2,
                "Reading: Food webs",
                unit_start,
                unit_end,
                True,
                True,
                is_inherited=True,
                parent_id=1,
            ),
            ItemSchedule(
                3,
                "Assignment 3",
                local(2011, 3, 1),
                local(2011, 3, 8, 23, 59),
                True,
                False,
                due=local(2011, 3, 8, 23, 59),
                parent_id=1,
            ),
            ItemSchedule(
                4,
                "Quiz 3",
                local(2011, 3, 7, 8),
                local(
                    2011,
                    3,
                    7,
                    9,
                    30,
                ),
                False,
                False,
                parent_id=1,
            ),
            ItemSchedule(5, "Course Home", local(2011, 1, 10), local(2011, 5, 1), False, True),
        ],
    )


def to_utc(value: datetime | None) -> datetime | None:
    return None if value is None else value.astimezone(ZoneInfo("UTC"))


def demo_course() -> Schedule:
    """About 60 items: course pages, three modules of weekly units, week items."""
    items: list[ItemSchedule] = []
    next_id = iter(range(987600001, 987700000))
    term = datetime(2011, 1, 10, tzinfo=DENVER)

    def add(title: str, start: datetime | None, end: datetime | None, parent: int | None,
            *, inherited: bool = False, due: datetime | None = None,
            flags: tuple[bool, bool] = (False, True)) -> int:  # fmt: skip
        item_id = next(next_id)
        items.append(ItemSchedule(item_id, title, to_utc(start), to_utc(end), *flags,
                                  is_inherited=inherited, due=to_utc(due),
                                  parent_id=parent))  # fmt: skip
        return item_id

    def day(offset: int, hour: int = 0, minute: int = 0) -> datetime:
        date = term.date() + timedelta(days=offset)
        return datetime(date.year, date.month, date.day, hour, minute, tzinfo=DENVER)

    add("Course Home", day(0), day(112, 23, 59), None)
    add("Syllabus", day(0), day(112, 23, 59), None, flags=(True, True))
    for module, name in enumerate(("Foundations", "Practice", "Projects")):
        first = module * 5
        module_id = add(f"Module {module + 1}: {name}", day(7 * first),
                        day(7 * (first + 5) - 1, 23, 59), None)  # fmt: skip
        for week in range(first, first + 5):
            start, end = day(7 * week), day(7 * week + 6, 23, 59)
            week_id = add(f"Week {week + 1}", start, end, module_id)
            add(f"Reading {week + 1}", start, end, week_id, inherited=True)
            add(f"Week {week + 1} Discussion", start, end, week_id, inherited=True)
            if week % 2 == 0:
                add(f"Assignment {week // 2 + 1}", day(7 * week + 1, 8),
                    day(7 * week + 6, 23, 59), week_id, due=day(7 * week + 5, 23, 59),
                    flags=(False, False))  # fmt: skip
            if week % 5 == 4:
                add(f"Quiz {module + 1}", day(7 * week + 4, 9), day(7 * week + 4, 10, 30),
                    week_id, flags=(False, False))  # fmt: skip
    return Schedule("123456", items)


def big_course(count: int = 10_000) -> Schedule:
    """``count`` items: units of 24 items each, most inheriting, some with due dates."""
    items: list[ItemSchedule] = []
    base = datetime(2011, 1, 10, tzinfo=DENVER)
    unit_id = 0
    for index in range(count):
        item_id = 100_000_000_000 + index  # beyond 32 bits, as real LearningStudio ids are
        start = (base + timedelta(days=index // 25 % 100)).astimezone(ZoneInfo("UTC"))
        end = start + timedelta(days=7, hours=23, minutes=59)
        if index % 25 == 0:
            unit_id = item_id
            items.append(ItemSchedule(item_id, f"Unit {index // 25 + 1}", start, end, False, True))
            continue
        due = end - timedelta(days=1) if index % 5 == 0 else None
        items.append(ItemSchedule(item_id, f"Item {index}", start, end, True, True,
                                  is_inherited=index % 3 != 0, due=due,
                                  parent_id=unit_id))  # fmt: skip
    return Schedule("900000", items)
