"""Grid speed on a 10,000-item course, offscreen: load + first paint, sort, filter, bulk edit.

Each ``bench_*`` function does one run on a ready ``GuiBench`` and returns the seconds it
took, paint included (``grab()`` renders the widget as the screen would). Targets (issue 9):
first paint after data arrives < 0.5 s, sort/filter < 0.3 s, bulk edit and its undo < 1 s.
Run directly: ``.venv/bin/python benchmarks/bench_gui.py``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication

from scheduler_gui.core.model import ItemSchedule, Schedule
from scheduler_gui.core.times import utc
from scheduler_gui.ui.grid.columns import Column
from scheduler_gui.ui.grid.editor import ScheduleEditor

ITEMS = 10_000
ZONE = ZoneInfo("America/Denver")


def big_course(items: int = ITEMS) -> Schedule:
    """Units of 25 items; most items inherit, a fifth have due dates."""
    term = utc(2011, 1, 10, 7)
    rows: list[ItemSchedule] = []
    unit_id = 0
    for index in range(items):
        item_id = 100_000_000_000 + index
        start = term + timedelta(days=index // 25 % 100)
        end = start + timedelta(days=7, hours=23, minutes=59)
        if index % 25 == 0:
            unit_id = item_id
            rows.append(ItemSchedule(item_id, f"Unit {index // 25 + 1}", start, end, False, True))
            continue
        rows.append(
            ItemSchedule(
                item_id,
                f"Item {index}: reading and quiz",
                start,
                end,
                can_access_after_end=True,
                is_inherited=index % 3 != 0,
                due=end - timedelta(days=1) if index % 5 == 0 else None,
                parent_id=unit_id,
            )
        )
    return Schedule("900000", rows)


@dataclass
class GuiBench:
    """A shown editor (the window exists before the data arrives, as in the app)."""

    schedule: Schedule
    editor: ScheduleEditor = field(init=False)

    def __post_init__(self) -> None:
        _app()
        self.editor = ScheduleEditor(QUndoStack())
        self.editor.resize(1280, 800)
        self.editor.show()
        QApplication.processEvents()

    def paint(self) -> None:
        QApplication.processEvents()
        self.editor.grab()

    def close(self) -> None:
        self.editor.close()
        self.editor.deleteLater()
        QApplication.processEvents()


def _app() -> QApplication:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # read when the app starts
    app = QApplication.instance()
    return app if isinstance(app, QApplication) else QApplication([])


def _timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def bench_load_and_first_paint(bench: GuiBench) -> float:
    """``set_schedule`` (model reset, validation) plus the first paint of the grid."""

    def load() -> None:
        bench.editor.set_schedule(bench.schedule, ZONE)
        bench.paint()

    return _timed(load)


def bench_sort(bench: GuiBench) -> float:
    """Sort by start date, newest first, and repaint; then back to course order (untimed)."""

    def sort() -> None:
        bench.editor.view.sortByColumn(Column.START, Qt.SortOrder.DescendingOrder)
        bench.paint()

    seconds = _timed(sort)
    bench.editor.view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
    return seconds


def bench_filter(bench: GuiBench) -> float:
    """Type a filter and repaint; then clear it (untimed)."""

    def filter_rows() -> None:
        bench.editor.filter_edit.setText("unit 4")
        bench.paint()

    seconds = _timed(filter_rows)
    bench.editor.filter_edit.clear()
    return seconds


def bench_bulk_edit(bench: GuiBench) -> float:
    """Set the due date of every item (one undo step), revalidate and repaint."""
    due = utc(2011, 6, 1, 5, 59)
    items = [item.with_dates(due=due) for item in bench.editor.current_schedule().items]

    def edit() -> None:
        bench.editor.apply_items(items, "All due")
        bench.paint()

    return _timed(edit)


def bench_undo(bench: GuiBench) -> float:
    """Undo the bulk edit, revalidate and repaint."""

    def undo() -> None:
        bench.editor.undo_stack.undo()
        bench.paint()

    return _timed(undo)


def run(schedule: Schedule | None = None, repeat: int = 3) -> dict[str, float]:
    """Best-of-``repeat`` seconds per stage for ``schedule`` (default: 10,000 items)."""
    bench = GuiBench(schedule or big_course())
    best: dict[str, float] = {}
    try:
        for _ in range(repeat):
            stages = {
                "gui load + first paint": bench_load_and_first_paint,
                "gui sort": bench_sort,
                "gui filter": bench_filter,
                "gui bulk edit": bench_bulk_edit,
                "gui undo": bench_undo,
            }
            for name, stage in stages.items():
                seconds = stage(bench)
                best[name] = min(seconds, best.get(name, seconds))
    finally:
        bench.close()
    return best


TARGETS = {
    "gui load + first paint": 0.5,
    "gui sort": 0.3,
    "gui filter": 0.3,
    "gui bulk edit": 1.0,
    "gui undo": 1.0,
}


def main() -> None:
    course = big_course()
    print(f"{len(course):,} items, offscreen, best of 3")
    for name, seconds in run(course).items():
        print(f"{name:<24} {seconds * 1000:8.1f} ms   (target < {TARGETS[name] * 1000:.0f} ms)")


if __name__ == "__main__":
    main()
