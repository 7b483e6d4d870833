"""Excel export/import speed on a 10,000-item course, against openpyxl's own floor.

Each ``bench_*`` function does one run and returns the seconds it took. The floors are
openpyxl write-only / read-only handling of the same cells with no styles and no logic,
so ``ours / floor`` shows what our formatting, checks and rules cost.
Run directly: ``.venv/bin/python benchmarks/bench_excel.py``.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from openpyxl import Workbook, load_workbook

from scheduler_gui.core.model import ItemSchedule, Schedule
from scheduler_gui.core.times import utc
from scheduler_gui.io.excel_export import CourseExport, export_workbook
from scheduler_gui.io.excel_import import read_spreadsheet
from scheduler_gui.io.tabular import COLUMNS, apply_sheet

ITEMS = 10_000
ZONE = ZoneInfo("America/Denver")


@cache
def _workdir() -> Path:
    return Path(tempfile.mkdtemp(prefix="bench-excel-"))


def big_course(items: int = ITEMS) -> Schedule:
    """Units of 20 items; a third inherit, a fifth have due dates, some seconds set."""
    term = utc(2011, 1, 10, 7)
    rows = []
    for index in range(items):
        unit = index % 20 == 0
        start = term + timedelta(days=index % 100)
        rows.append(
            ItemSchedule(
                item_id=100_000 + index,
                title=f"Unit {index // 20}" if unit else f"Item {index}: reading and quiz",
                start=start,
                end=start + timedelta(days=7, hours=-1, seconds=30 * (index % 2)),
                due=start + timedelta(days=6) if index % 5 == 0 else None,
                is_inherited=not unit and index % 3 == 0,
                parent_id=None if unit else 100_000 + index - index % 20,
                can_access_after_end=index % 2 == 0,
            )
        )
    return Schedule("900000", rows)


def _timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def _exported(schedule: Schedule) -> Path:
    path = _workdir() / "ours.xlsx"
    if not path.exists():
        export_workbook(path, [CourseExport(schedule, ZONE, "BIG-900")])
    return path


def _plain_rows(schedule: Schedule) -> list[list[object]]:
    def local(value: object) -> object:
        return value.astimezone(ZONE).replace(tzinfo=None) if value else None  # type: ignore[attr-defined]

    return [
        [
            i.item_id, i.title, i.parent_id, i.is_inherited, local(i.start), local(i.end),
            local(i.due), i.can_access_before_start, i.can_access_after_end,
        ]
        for i in schedule.items
    ]  # fmt: skip


def bench_export(schedule: Schedule | None = None) -> float:
    """Our export of the whole course to .xlsx."""
    schedule = schedule or big_course()
    path = _workdir() / "export.xlsx"
    return _timed(lambda: export_workbook(path, [CourseExport(schedule, ZONE, "BIG-900")]))


def bench_export_floor(schedule: Schedule | None = None) -> float:
    """openpyxl write-only, the same cells, no styles, no About sheet."""
    rows = _plain_rows(schedule or big_course())
    path = _workdir() / "floor.xlsx"

    def write() -> None:
        book = Workbook(write_only=True)
        sheet = book.create_sheet("Schedules")
        sheet.append(list(COLUMNS))
        for row in rows:
            sheet.append(row)
        book.save(path)

    return _timed(write)


def bench_import(schedule: Schedule | None = None) -> float:
    """Our import: read the file, check every row, apply onto the course."""
    schedule = schedule or big_course()
    path = _exported(schedule)

    def run() -> None:
        sheet = read_spreadsheet(path).sheet_for(schedule.course_id)
        apply_sheet(schedule, sheet, zone=ZONE)

    return _timed(run)


def bench_import_floor(schedule: Schedule | None = None) -> float:
    """openpyxl read-only, every value of the same file, nothing else."""
    path = _exported(schedule or big_course())

    def read() -> None:
        book = load_workbook(path, read_only=True)
        for _ in book["Schedules"].iter_rows(values_only=True):
            pass
        book.close()

    return _timed(read)


BENCHMARKS = {
    "excel export (10,000 items)": bench_export,
    "excel export floor (openpyxl write-only)": bench_export_floor,
    "excel import (10,000 items)": bench_import,
    "excel import floor (openpyxl read-only)": bench_import_floor,
}


if __name__ == "__main__":
    course = big_course()
    for name, bench in BENCHMARKS.items():
        best = min(bench(course) for _ in range(3))
        print(f"{name:45s} {best:6.2f} s")
