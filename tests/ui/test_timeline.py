"""The timeline beside the grid: bars, shading, selection sync and drag = one undo step."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from itertools import pairwise
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QPalette, QUndoStack
from PySide6.QtTest import QTest
from pytest_benchmark.fixture import BenchmarkFixture
from pytestqt.qtbot import QtBot

from scheduler_gui.core.model import Schedule
from scheduler_gui.ui.features.timeline.marks import BAR, DAY_OFF, GUTTER_WIDTH, TODAY
from scheduler_gui.ui.features.timeline.panel import TimelinePanel
from scheduler_gui.ui.features.timeline.view import TimelineView
from scheduler_gui.ui.grid.editor import ScheduleEditor
from scheduler_gui.ui.widgets.theme import relative_luminance
from tests.ui.gui_session import open_window, tidy

pytestmark = pytest.mark.gui
DENVER = ZoneInfo("America/Denver")


@pytest.fixture
def panel(qtbot: QtBot, demo_schedule: Schedule) -> Iterator[TimelinePanel]:
    stack = QUndoStack()
    editor = ScheduleEditor(stack)
    qtbot.addWidget(editor)
    editor.set_schedule(demo_schedule, DENVER)
    timeline = TimelinePanel(editor)
    qtbot.addWidget(timeline)
    timeline.resize(1200, 700)
    timeline.show()
    editor.resize(900, 500)
    editor.show()
    qtbot.waitExposed(timeline)
    timeline.view.fit_term()
    yield timeline
    stack.clear()


def by_title(schedule: Schedule, title: str) -> int:
    return next(item.item_id for item in schedule.items if item.title == title)


def bar_point(view: TimelineView, item_id: int, at: str = "middle") -> QPoint:
    """A viewport point on the item's bar (scrolled into view first)."""
    view.ensure_visible(item_id)
    index = next(i for i, row in enumerate(view.rows) if row.item_id == item_id)
    row = view.rows[index]
    assert row.start is not None and row.end is not None
    days = row.start + (row.end - row.start) / (2 if at == "middle" else 4)
    return QPoint(int(view.x_of(days)), view.row_top(index) + view.row_height // 2)


def index_of(view: TimelineView, item_id: int) -> int:
    return [row.item_id for row in view.rows].index(item_id)


def local(value: datetime | None) -> datetime:
    assert value is not None
    return value.astimezone(DENVER)


def test_one_row_per_item_in_course_order_with_unit_rows(
    panel: TimelinePanel, demo_schedule: Schedule
) -> None:
    rows = panel.view.rows
    assert [row.item_id for row in rows] == [item.item_id for item in demo_schedule.items]
    week_1 = rows[[row.title for row in rows].index("Week 1")]
    assert week_1.is_unit and week_1.depth == 1
    assert not rows[[row.title for row in rows].index("Quiz 1")].is_unit
    first, last = panel.view.term
    assert first == date(2011, 1, 10)  # week 1 starts on the term's first Monday
    assert last >= date(2011, 4, 20)


def test_clicking_a_bar_selects_the_row_in_the_grid_and_back(
    qtbot: QtBot, panel: TimelinePanel, demo_schedule: Schedule
) -> None:
    quiz = by_title(demo_schedule, "Quiz 3")
    QTest.mouseClick(
        panel.view.viewport(), Qt.MouseButton.LeftButton, pos=bar_point(panel.view, quiz)
    )
    assert panel.editor.selected_ids() == [quiz]
    assert panel.view.selected == {quiz}

    midterm = by_title(demo_schedule, "Midterm Exam")
    panel.editor.select_item(midterm)  # a selection made in the grid
    assert panel.view.selected == {midterm}
    index = [row.item_id for row in panel.view.rows].index(midterm)
    assert index in panel.view.visible_rows()  # scrolled into sight

    final = by_title(demo_schedule, "Final Exam")
    QTest.mouseClick(
        panel.view.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.ControlModifier,
        bar_point(panel.view, final),
    )
    assert panel.editor.selected_ids() == [midterm, final]


def drag(view: TimelineView, item_id: int, days: int) -> None:
    start = bar_point(view, item_id)
    end = QPoint(start.x() + round(days * view.day_width), start.y())
    viewport = view.viewport()
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    QTest.mouseMove(viewport, QPoint(start.x() + 3, start.y()))
    QTest.mouseMove(viewport, end)
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=end)


def test_dragging_a_bar_moves_it_whole_days_on_the_wall_clock_as_one_undo_step(
    qtbot: QtBot, panel: TimelinePanel, demo_schedule: Schedule
) -> None:
    quiz = by_title(demo_schedule, "Quiz 7")
    before = demo_schedule.by_id[quiz]
    assert local(before.due).strftime("%a %Y-%m-%d %H:%M %Z") == "Sun 2011-02-27 23:59 MST"
    stack = panel.editor.undo_stack
    row_before = panel.view.rows[index_of(panel.view, quiz)]

    drag(panel.view, quiz, 14)

    assert stack.count() == 1
    after = panel.editor.current_schedule().by_id[quiz]
    # Two weeks later, across the start of daylight saving (2011-03-13): same wall clock.
    assert local(after.due).strftime("%a %Y-%m-%d %H:%M %Z") == "Sun 2011-03-13 23:59 MDT"
    assert after.due == datetime(2011, 3, 14, 5, 59, tzinfo=UTC)
    assert local(after.start).time() == local(before.start).time()
    assert (local(after.start).date() - local(before.start).date()).days == 14
    assert "Quiz 7" in stack.text(0) and "+14 days" in stack.text(0)
    due_before = row_before.due
    assert due_before is not None

    def redrawn_two_weeks_later() -> bool:
        due = panel.view.rows[index_of(panel.view, quiz)].due
        return due is not None and due - due_before == pytest.approx(14)

    qtbot.waitUntil(redrawn_two_weeks_later)

    stack.undo()
    assert panel.editor.current_schedule().by_id[quiz] == before


def test_dragging_a_unit_moves_everything_in_it_and_inherited_items_stay_inherited(
    panel: TimelinePanel, demo_schedule: Schedule
) -> None:
    week = by_title(demo_schedule, "Week 2")
    overview = by_title(demo_schedule, "Week 2 Overview")
    quiz = by_title(demo_schedule, "Quiz 2")
    assert demo_schedule.by_id[overview].is_inherited

    drag(panel.view, week, -7)

    current = panel.editor.current_schedule()
    assert panel.editor.undo_stack.count() == 1
    for item_id in (week, quiz):
        old, new = demo_schedule.by_id[item_id], current.by_id[item_id]
        assert (local(old.start).date() - local(new.start).date()).days == 7
    assert current.by_id[overview].is_inherited
    assert current.by_id[overview].start == current.by_id[week].start


def test_dragging_an_inherited_item_alone_gives_it_its_own_dates(
    panel: TimelinePanel, demo_schedule: Schedule
) -> None:
    overview = by_title(demo_schedule, "Week 5 Overview")
    before = demo_schedule.by_id[overview]
    assert before.is_inherited

    drag(panel.view, overview, 2)

    after = panel.editor.current_schedule().by_id[overview]
    assert not after.is_inherited
    assert (local(after.end).date() - local(before.end).date()).days == 2
    assert local(after.end).time() == local(before.end).time()


def pixel(panel: TimelinePanel, point: QPoint) -> QColor:
    image = panel.view.viewport().grab().toImage()
    return QColor(image.pixel(point))


def test_inherited_bars_look_different_and_days_off_are_shaded(
    panel: TimelinePanel, demo_schedule: Schedule
) -> None:
    view = panel.view
    quiz = bar_point(view, by_title(demo_schedule, "Quiz 4"))
    assert pixel(panel, quiz).name() == BAR.name()
    inherited = bar_point(view, by_title(demo_schedule, "Week 4 Overview"), at="quarter")
    assert pixel(panel, inherited).name() != BAR.name()

    panel.region_edit.setText("US")
    panel.blackout_edit.setText("2011-03-14..2011-03-18")
    panel._apply_days_off()
    view.verticalScrollBar().setValue(0)
    presidents_day = (date(2011, 2, 21) - view.origin).days + 0.5
    blank_row = view.row_top(0) + 2  # "Course Home": its bar is in 2010
    point = QPoint(int(view.x_of(presidents_day)), blank_row)
    assert pixel(panel, point).name() == DAY_OFF.name()
    assert view.tooltip_at(QPoint(point.x(), 5)) == "Washington's Birthday"
    blackout = QPoint(int(view.x_of((date(2011, 3, 16) - view.origin).days + 0.5)), 5)
    assert view.tooltip_at(blackout) == "blackout 2011-03-14..2011-03-18"
    panel.region_edit.setText("XX-NOPE")
    panel._apply_days_off()
    assert panel.status.text()  # an unknown region is said, not raised


@pytest.mark.parametrize("day_width", [2.0, 2.5, 3.0, 4.0, 6.0, 9.0, 12.0, 18.0, 40.0, 80.0])
def test_every_week_label_is_dated_at_every_zoom(panel: TimelinePanel, day_width: float) -> None:
    view = panel.view
    view.set_day_width(day_width)
    view.horizontalScrollBar().setValue(
        int(((date(2011, 1, 10) - view.origin).days - 10) * view.day_width)
    )
    labels = view.week_labels_in_sight()
    assert len(labels) >= 2, day_width
    for label in labels:
        assert label.monday.weekday() == 0
        # The Monday's day of the month is in every label (with its month when one label
        # stands for several weeks); the week number of the term is what gets dropped.
        assert label.text.endswith(str(label.monday.day)), (day_width, label.text)
        assert not label.text.startswith("W") or label.week is not None
    steps = {(b.monday - a.monday).days // 7 for a, b in pairwise(labels)}
    assert len(steps) == 1  # evenly spaced: every week, or every 2nd, 4th…
    if steps != {1}:
        assert all(label.text[:3].isalpha() or label.text.startswith("W") for label in labels)
    metrics = view.fontMetrics()
    for a, b in pairwise(labels):
        assert a.x + metrics.horizontalAdvance(a.text) < b.x  # none overlaps the next


def test_week_labels_name_the_week_of_the_term_when_there_is_room(panel: TimelinePanel) -> None:
    view = panel.view
    view.set_day_width(18.0)
    view.horizontalScrollBar().setValue(int(((date(2011, 1, 10) - view.origin).days) * 18))
    texts = [label.text for label in view.week_labels_in_sight()]
    assert "Week 1 · Jan 10" in texts and "Week 2 · Jan 17" in texts


def bar_luminance(view: TimelineView, item_id: int) -> float:
    """Mean WCAG luminance of the inside of an item's bar, as painted."""
    view.ensure_visible(item_id)
    index = index_of(view, item_id)
    row = view.rows[index]
    assert row.start is not None and row.end is not None
    image = view.viewport().grab().toImage()
    top = view.row_top(index)
    left, right = int(view.x_of(row.start)) + 3, int(view.x_of(row.end)) - 3
    pixels = [
        relative_luminance(QColor(image.pixel(x, y)))
        for x in range(max(left, GUTTER_WIDTH + 1), min(right, view.viewport().width() - 1))
        for y in range(top + 7, top + view.row_height - 7)
    ]
    assert pixels
    return sum(pixels) / len(pixels)


def test_in_a_dark_palette_hatched_inherited_bars_stay_quieter_than_real_bars(
    panel: TimelinePanel, demo_schedule: Schedule
) -> None:
    from tests.ui.test_palette import dark_palette

    view = panel.view
    real, inherited = by_title(demo_schedule, "Quiz 4"), by_title(demo_schedule, "Week 4 Overview")
    light_real, light_inherited = bar_luminance(view, real), bar_luminance(view, inherited)
    panel.setPalette(dark_palette())
    dark_real, dark_inherited = bar_luminance(view, real), bar_luminance(view, inherited)
    base = relative_luminance(dark_palette().color(QPalette.ColorRole.Base))
    # On white an inherited bar is paler than a real one; on a dark base it must be
    # darker than a real one, not a bright patch, yet still stand out from the base.
    assert light_inherited > light_real
    assert dark_inherited < dark_real / 2, (dark_inherited, dark_real)
    assert dark_inherited > base * 1.2
    assert abs(dark_real - light_real) < 0.01  # the real bars are the same on both


def test_ten_thousand_items_paint_only_the_rows_in_sight(qtbot: QtBot) -> None:
    from tests.core.test_shift_benchmark import big_course

    schedule = big_course()
    assert len(schedule) >= 10_000
    view = TimelineView()
    qtbot.addWidget(view)
    view.resize(1200, 700)
    view.show()
    qtbot.waitExposed(view)
    view.set_schedule(schedule, ZoneInfo("America/New_York"))
    shown = view.visible_rows()
    assert len(shown) <= 700 // view.row_height + 1
    view.verticalScrollBar().setValue(view.verticalScrollBar().maximum())
    assert view.visible_rows()[-1] == len(schedule) - 1
    image = view.viewport().grab().toImage()
    assert not image.isNull()


def test_benchmark_rebuild_and_paint_of_ten_thousand_items(
    qtbot: QtBot, benchmark: BenchmarkFixture
) -> None:
    """Run with --benchmark-enable to time a rebuild plus a full paint while scrolling."""
    from tests.core.test_shift_benchmark import big_course

    schedule = big_course()
    view = TimelineView()
    qtbot.addWidget(view)
    view.resize(1280, 760)
    view.show()
    qtbot.waitExposed(view)
    zone = ZoneInfo("America/New_York")
    bar = view.verticalScrollBar()

    def rebuild_and_paint() -> int:
        view.set_schedule(schedule, zone)
        bar.setValue((bar.value() + 997 * view.row_height) % max(1, bar.maximum()))
        view.viewport().repaint()
        return len(view.visible_rows())

    shown = benchmark(rebuild_and_paint)
    assert 0 < shown <= 760 // view.row_height + 1


def test_the_main_window_shows_the_timeline_in_a_tab_beside_the_grid(
    qtbot: QtBot, sandbox: Any, tmp_path: Path
) -> None:
    window = open_window(qtbot, sandbox.url, tmp_path)
    try:
        tabs, panel = window.features.timeline.tabs, window.features.timeline.panel
        assert [tabs.tabText(i) for i in range(tabs.count())] == ["Grid", "Timeline"]
        window.named_actions["show_timeline"].trigger()
        assert tabs.currentWidget() is panel
        assert len(panel.view.rows) == len(window.editor.current_schedule())
        window.named_actions["show_grid"].trigger()
        assert tabs.currentWidget() is window.editor
    finally:
        tidy(qtbot, window)


def test_today_is_a_red_line_and_alt_arrows_move_the_selection_a_day(
    qtbot: QtBot, panel: TimelinePanel, demo_schedule: Schedule
) -> None:
    view = panel.view
    view.today = date(2011, 2, 2)
    view.verticalScrollBar().setValue(0)
    x = view.x_of((view.today - view.origin).days + 0.5)  # noon of the set day
    line = [pixel(panel, QPoint(int(x) + dx, view.row_top(0) + 3)).name() for dx in (-1, 0, 1)]
    assert TODAY.name() in line

    quiz = by_title(demo_schedule, "Quiz 5")
    panel.select_in_grid([quiz])
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    moved = panel.editor.current_schedule().by_id[quiz]
    assert panel.editor.undo_stack.count() == 1
    assert (local(moved.due).date() - local(demo_schedule.by_id[quiz].due).date()).days == 1
    QTest.keyClick(view, Qt.Key.Key_Down)
    assert panel.editor.selected_ids() == [demo_schedule.items[index_of(view, quiz) + 1].item_id]
