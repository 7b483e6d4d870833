"""Shift dates on the demo course as the app loads it (unit tree, a 2010 "Course Home"):
where the new term starts, the anchor by title, remembered options, the default scope,
and the items that inherit from the course itself."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QDate, QPoint, QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from scheduler_gui.core.model import Schedule
from scheduler_gui.ui.features.shift.anchor import DEFAULT_ANCHOR
from scheduler_gui.ui.features.shift.dialog import ShiftDialog
from scheduler_gui.ui.features.shift.preview import STAYING_NEW
from scheduler_gui.ui.shell.main_window import MainWindow
from tests.ui.gui_session import open_window, tidy, visible_dialogs

pytestmark = pytest.mark.gui
DENVER = ZoneInfo("America/Denver")


def rows(dialog: ShiftDialog) -> list[tuple[str, ...]]:
    model = dialog.preview_model
    return [
        tuple(str(model.data(model.index(r, c))) for c in range(5)) for r in range(model.rowCount())
    ]


def click(qtbot: QtBot, widget: Any) -> None:
    """A click on the box or button itself (a check box's middle may be past its text)."""
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(8, widget.height() // 2))


def test_the_new_term_starts_with_the_units_not_the_2010_course_home(
    qtbot: QtBot, demo_schedule: Schedule
) -> None:
    dialog = ShiftDialog(demo_schedule, DENVER)
    qtbot.addWidget(dialog)
    dialog.show()
    # The dates offered are the units' term (Week 1 starts Mon 2011-01-10), not 2010's.
    assert dialog.new_start.date() == QDate(2011, 1, 10)
    assert (dialog.old_start.date(), dialog.old_end.date()) == (
        QDate(2011, 1, 10),
        QDate(2011, 4, 25),
    )
    click(qtbot, dialog.to_start)
    assert dialog.anchor.currentText() == DEFAULT_ANCHOR
    dialog.new_start.setDate(QDate(2011, 8, 29))
    qtbot.waitUntil(lambda: "+231 days" in dialog.summary.text())
    assert dialog.anchor_note.text() == (
        "<b>Module 1: Foundations</b> (Mon 2011-01-10 00:00 MST) lands on Mon 2011-08-29."
    )
    week1 = next(row for row in rows(dialog) if row[0].startswith("Week 1 (") and row[1] == "Start")
    assert week1[3] == "Mon 2011-08-29 00:00 MDT"


# The completer's popup asks the offscreen platform for things only a real desktop has.
@pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing the keyboard)")
def test_the_anchor_is_picked_by_title_from_the_list(qtbot: QtBot, demo_schedule: Schedule) -> None:
    dialog = ShiftDialog(demo_schedule, DENVER)
    qtbot.addWidget(dialog)
    dialog.show()
    click(qtbot, dialog.to_start)
    dialog.new_start.setDate(QDate(2011, 10, 20))
    dialog.anchor.setFocus()
    dialog.anchor.lineEdit().selectAll()
    qtbot.keyClicks(dialog.anchor.lineEdit(), "midterm")
    popup = dialog.anchor.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    assert popup.model().rowCount() == 1  # the list narrowed to the one title
    QTest.keyClick(popup, Qt.Key.Key_Down)
    QTest.keyClick(popup, Qt.Key.Key_Return)
    assert dialog.anchor.currentText() == "Midterm Exam · Thu 2011-03-03 08:00 MST"
    qtbot.waitUntil(lambda: "Midterm Exam" in dialog.anchor_note.text())
    midterm = next(row for row in rows(dialog) if row[0].startswith("Midterm Exam"))
    assert midterm[3] == "Thu 2011-10-20 08:00 MDT"


def test_items_inheriting_from_the_course_are_named_as_not_moving(
    qtbot: QtBot, demo_schedule: Schedule
) -> None:
    dialog = ShiftDialog(demo_schedule, DENVER)
    qtbot.addWidget(dialog)
    dialog.days.setValue(7)
    dialog.update_preview()
    staying = [row for row in rows(dialog) if row[3] == STAYING_NEW]
    assert [row[0].split(" (")[0] for row in staying] == ["Syllabus", "Course Wrap-up"]
    assert "inherits from the course itself" in staying[0][4]
    assert dialog.summary.text().endswith(
        "2 inherit from the course itself and do not move (Syllabus, Course Wrap-up)"
    )
    # Pages inheriting from a unit follow it and are not in that list.
    assert any(
        row[0].startswith("Week 1 Overview") and row[3] != STAYING_NEW for row in rows(dialog)
    )
    # The Date column shows "Start/End" whole (it was 50 pixels: "Start…").
    header, metrics = dialog.preview.horizontalHeader(), dialog.preview.fontMetrics()
    assert header.sectionSize(1) >= metrics.horizontalAdvance("Start/End") + 12


def test_options_are_remembered_per_course(
    qtbot: QtBot, demo_schedule: Schedule, tmp_path: Path
) -> None:
    settings = QSettings(str(tmp_path / "gui.ini"), QSettings.Format.IniFormat)
    first = ShiftDialog(demo_schedule, DENVER, settings=settings)
    qtbot.addWidget(first)
    first.show()
    click(qtbot, first.to_start)
    first.new_start.setDate(QDate(2011, 8, 29))
    first.anchor.setCurrentText("Midterm Exam")
    click(qtbot, first.keep_weekdays)
    click(qtbot, first.skip_holidays)
    qtbot.keyClicks(first.region, "US-CO")
    qtbot.keyClicks(first.blackouts, "2011-10-10")
    click(qtbot, first.columns["start"])  # untick Start
    click(qtbot, first.buttons.button(first.buttons.StandardButton.Cancel))
    assert first.result() == QDialog.DialogCode.Rejected

    again = ShiftDialog(demo_schedule, DENVER, settings=settings)
    qtbot.addWidget(again)
    assert again.to_start.isChecked() and again.new_start.date() == QDate(2011, 8, 29)
    assert again.anchor.currentText().startswith("Midterm Exam · ")
    assert again.keep_weekdays.isChecked() and again.skip_holidays.isChecked()
    assert (again.region.text(), again.blackouts.text()) == ("US-CO", "2011-10-10")
    assert [name for name, box in again.columns.items() if box.isChecked()] == ["end", "due"]
    assert "lands on Mon 2011-08-29" in again.anchor_note.text()

    other = ShiftDialog(Schedule("900000", demo_schedule.items), DENVER, settings=settings)
    qtbot.addWidget(other)
    assert other.by_days.isChecked() and other.region.text() == ""


@pytest.fixture
def window(qtbot: QtBot, sandbox: Any, tmp_path: Path) -> Iterator[MainWindow]:
    window = open_window(qtbot, sandbox.url, tmp_path)
    yield window
    tidy(qtbot, window)


def click_row(qtbot: QtBot, window: MainWindow, row: int, shift: bool = False) -> None:
    view, proxy = window.editor.view, window.editor.proxy
    rect = view.visualRect(proxy.index(row, 0))
    modifier = Qt.KeyboardModifier.ShiftModifier if shift else Qt.KeyboardModifier.NoModifier
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())


def open_shift(window: MainWindow) -> ShiftDialog:
    window.features.shift.action.trigger()
    return next(iter(visible_dialogs(ShiftDialog)))


def test_whole_course_unless_rows_were_chosen(qtbot: QtBot, window: MainWindow) -> None:
    click_row(qtbot, window, 3)  # the cursor's row: not a choice of rows
    dialog = open_shift(window)
    assert dialog.all_items.isChecked()
    dialog.reject()
    click_row(qtbot, window, 5, shift=True)  # rows 3 to 5: chosen on purpose
    assert len(window.editor.selected_ids()) == 3
    dialog = open_shift(window)
    assert dialog.selected_items.isChecked()
    assert dialog.selected_items.text() == "Selected items (3) and everything in them"
    dialog.days.setValue(7)
    dialog.update_preview()
    assert {row[0].split(" (")[0] for row in rows(dialog)} >= {"Week 1", "Week 1 Overview"}
    dialog.reject()
