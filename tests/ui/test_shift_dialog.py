"""The Shift dates dialog, driven like a user would: type, tick, read the preview, click."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from scheduler_gui.core import codec
from scheduler_gui.core.model import ItemSchedule, Schedule
from scheduler_gui.core.times import format_timestamp
from scheduler_gui.ui.features.shift.dialog import HOLIDAY_BG, ShiftDialog
from scheduler_gui.ui.widgets.workers import running_jobs
from tests.core.test_codec import page_example
from tests.core.test_shift_benchmark import big_course
from tests.ui.gui_session import open_window, tidy, visible_dialogs

pytestmark = pytest.mark.gui
DENVER = ZoneInfo("America/Denver")


def make_dialog(
    qtbot: QtBot, schedule: Schedule | None = None, selected: tuple[int, ...] = ()
) -> ShiftDialog:
    dialog = ShiftDialog(schedule or codec.parse(page_example(), "123456"), DENVER, selected)
    qtbot.addWidget(dialog)
    return dialog


def cell(dialog: ShiftDialog, row: int, column: int, role: int = 0) -> object:
    model = dialog.preview_model
    return model.data(model.index(row, column), role or Qt.ItemDataRole.DisplayRole)


def rows(dialog: ShiftDialog) -> list[tuple[object, ...]]:
    model = dialog.preview_model
    return [tuple(cell(dialog, r, c) for c in range(5)) for r in range(model.rowCount())]


def test_opens_with_nothing_to_shift(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot)
    assert dialog.summary.text() == "Nothing moves with these settings."
    assert not dialog.ok_button.isEnabled()
    assert dialog.preview_model.rowCount() == 0


def test_typing_days_updates_the_preview_with_local_times(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot)
    dialog.show()
    dialog.days.selectAll()
    qtbot.keyClicks(dialog.days, "14")
    qtbot.waitUntil(lambda: dialog.preview_model.rowCount() == 3)
    due_row = next(row for row in rows(dialog) if row[1] == "Due")
    assert due_row[0] == "Assignment 1 (987456123)"
    assert due_row[2:4] == ("Mon 2011-03-07 23:59 MST", "Mon 2011-03-21 23:59 MDT")
    assert "wall time kept" in str(due_row[4])
    assert dialog.summary.text().startswith("3 dates of 2 items move by +14 days")
    assert dialog.ok_button.isEnabled()


def test_shift_button_returns_the_changed_items_for_one_undo_step(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot)
    dialog.show()
    dialog.days.setValue(14)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    items = {item.item_id: item for item in dialog.result_items()}
    assert set(items) == {987654321, 987456123}
    due = items[987456123].due
    assert due is not None and format_timestamp(due) == "2011-03-22T05:59:00Z"
    assert items[987456123].is_inherited
    assert dialog.undo_text() == "Shift 2 items by +14 days"


def holiday_course() -> Schedule:
    monday = datetime(2011, 5, 23, 9, 0, tzinfo=DENVER)
    tuesday = datetime(2011, 5, 24, 9, 0, tzinfo=DENVER)
    return Schedule(
        "1",
        [
            ItemSchedule(1, "Lab 1", start=monday),
            ItemSchedule(2, "Lab 2", start=tuesday, due=tuesday),
            ItemSchedule(3, "Lab 3", start=tuesday, parent_id=1),
        ],
    )


def test_holiday_moves_are_highlighted_and_named(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot, holiday_course())
    dialog.days.setValue(7)
    dialog.skip_holidays.setChecked(True)
    dialog.region.setText("US")
    dialog.update_preview()
    first = rows(dialog)[0]
    assert first[3] == "Tue 2011-05-31 09:00 MDT"
    assert first[4] == "Memorial Day on 2011-05-30: moved to 2011-05-31"
    background = cell(dialog, 0, 3, Qt.ItemDataRole.BackgroundRole)
    assert background is not None and background.color() == HOLIDAY_BG  # type: ignore[attr-defined]
    assert cell(dialog, 1, 3, Qt.ItemDataRole.BackgroundRole) is None
    assert "Memorial Day" in str(cell(dialog, 0, 0, Qt.ItemDataRole.ToolTipRole))
    assert "1 moved off a holiday or blackout" in dialog.summary.text()
    dialog.notes_only.setChecked(True)
    assert dialog.preview_model.rowCount() == 1


def test_bad_region_blocks_the_shift_with_a_clear_message(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot, holiday_course())
    dialog.days.setValue(7)
    dialog.skip_holidays.setChecked(True)
    dialog.region.setText("US-ZZ")
    dialog.update_preview()
    assert dialog.summary.text().startswith("US has no subdivision 'ZZ'")
    assert not dialog.ok_button.isEnabled() and dialog.result_items() == []
    dialog.region.setText("US-CO")
    dialog.update_preview()
    assert dialog.ok_button.isEnabled()


def test_bad_blackout_is_reported(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot, holiday_course())
    dialog.days.setValue(7)
    dialog.blackouts.setText("2011-05-30, 2011-06-31")
    dialog.update_preview()
    assert "'2011-06-31' is not a date" in dialog.summary.text()
    dialog.blackouts.setText("2011-05-30; 2011-05-31..2011-06-01")
    dialog.update_preview()
    assert rows(dialog)[0][3] == "Thu 2011-06-02 09:00 MDT"


def test_selected_items_and_chosen_columns_only(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot, holiday_course(), selected=(2,))
    # One selected row is where the cursor is: the whole course unless the user asks.
    assert dialog.all_items.isChecked() and dialog.selected_items.isEnabled()
    assert dialog.selected_items.text() == "Selected item (1) and everything in it"
    dialog.selected_items.setChecked(True)
    dialog.days.setValue(7)
    dialog.columns["start"].setChecked(False)
    dialog.update_preview()
    assert [(row[0], row[1]) for row in rows(dialog)] == [("Lab 2 (2)", "Due")]
    dialog.all_items.setChecked(True)
    dialog.update_preview()
    assert len(rows(dialog)) == 1  # only Lab 2 has a due date
    for check in dialog.columns.values():
        check.setChecked(False)
    dialog.update_preview()
    assert dialog.summary.text() == "Tick at least one of Start, End and Due"


def test_selecting_a_unit_brings_its_children(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot, holiday_course(), selected=(1,))
    dialog.selected_items.setChecked(True)
    dialog.days.setValue(7)
    dialog.update_preview()
    assert {row[0] for row in rows(dialog)} == {"Lab 1 (1)", "Lab 3 (3)"}


def test_to_start_with_an_anchor_item(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot, holiday_course())
    dialog.to_start.setChecked(True)
    assert dialog.new_start.isEnabled() and not dialog.days.isEnabled()
    dialog.new_start.setDate(QDate(2011, 8, 30))
    dialog.anchor.setCurrentText("2")  # an item id still works
    dialog.update_preview()
    lab2 = [row for row in rows(dialog) if row[0] == "Lab 2 (2)"]
    assert lab2[0][3] == "Tue 2011-08-30 09:00 MDT"
    shifted = dialog.shift_result()
    assert shifted is not None and shifted.days == (date(2011, 8, 30) - date(2011, 5, 24)).days
    dialog.anchor.setCurrentText("two")
    dialog.update_preview()
    assert dialog.summary.text() == ("No item is titled 'two': pick the anchor item from the list")
    dialog.anchor.setCurrentText("lab")
    dialog.update_preview()
    assert dialog.summary.text().startswith("3 items match 'lab' (Lab 1, Lab 2, Lab 3…)")


def test_fit_onto_a_new_term(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot, holiday_course())
    dialog.fit.setChecked(True)
    dialog.old_start.setDate(QDate(2011, 5, 23))
    dialog.old_end.setDate(QDate(2011, 5, 24))
    dialog.new_term_start.setDate(QDate(2011, 9, 5))
    dialog.new_term_end.setDate(QDate(2011, 9, 12))
    dialog.keep_weekdays.setChecked(True)
    dialog.update_preview()
    by_item = {(row[0], row[1]): row[3] for row in rows(dialog)}
    assert by_item[("Lab 1 (1)", "Start")] == "Mon 2011-09-05 09:00 MDT"
    # 2011-05-24 maps to 2011-09-12 (a Monday); keeping Tuesday rounds to the 13th.
    assert by_item[("Lab 2 (2)", "Due")] == "Tue 2011-09-13 09:00 MDT"
    assert dialog.undo_text() == "Fit 3 items onto the new term"
    dialog.new_term_end.setDate(QDate(2011, 9, 1))
    dialog.update_preview()
    assert dialog.summary.text() == "The new term must end after it starts"


def test_big_course_preview_is_computed_in_the_background(qtbot: QtBot) -> None:
    dialog = make_dialog(qtbot, big_course())
    dialog.days.setValue(91)
    qtbot.waitUntil(lambda: dialog.preview_model.rowCount() == 30_000, timeout=30_000)
    assert dialog.summary.text().startswith("30,000 dates of 10,000 items move by +91 days")
    # A preview for +14 starts; typing 7 and clicking at once shifts by 7, and the +14
    # result arriving later is dropped.
    dialog.days.setValue(14)
    qtbot.waitUntil(lambda: running_jobs() > 0 or "+14 days" in dialog.summary.text())
    dialog.days.setValue(7)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    qtbot.waitUntil(lambda: running_jobs() == 0, timeout=30_000)
    assert dialog.undo_text() == "Shift 10,000 items by +7 days"
    assert "+7 days" in dialog.summary.text()


def test_main_window_applies_the_shift_as_one_undo_step(
    qtbot: QtBot, sandbox: Any, tmp_path: Path
) -> None:
    window = open_window(qtbot, sandbox.url, tmp_path)
    try:
        original = window.editor.current_schedule()
        window.named_actions["shift"].trigger()
        dialog = next(iter(visible_dialogs(ShiftDialog)))
        dialog.days.setValue(14)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        shifted = window.editor.current_schedule()
        assignment = shifted.get(987456123)
        assert assignment is not None and assignment.due is not None
        assert format_timestamp(assignment.due) == "2011-03-22T05:59:00Z"
        assert assignment.is_inherited
        assert window.undo_stack.count() == 1
        assert window.undo_stack.undoText().startswith("Shift ")
        assert window.undo_stack.undoText().endswith(" items by +14 days")
        window.undo_stack.undo()
        assert window.editor.current_schedule() == original
        window.undo_stack.redo()
        assert window.editor.current_schedule() == shifted
    finally:
        tidy(qtbot, window)
