"""Course → Copy dates from…: DEMO-101's dates into its section DEMO-101-02 (trees differ)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from scheduler_gui.api.client import LearningStudioClient
from scheduler_gui.core.model import Schedule
from scheduler_gui.ui.features.copy_dates.dialog import NO_SOURCE, CopyDatesDialog
from scheduler_gui.ui.widgets.workers import running_jobs
from tests.ui.gui_session import open_window, tidy

pytestmark = pytest.mark.gui
DENVER = ZoneInfo("America/Denver")
MASTER, SECTION = "123456", "123457"


@pytest.fixture
def dialog(qtbot: QtBot, client: LearningStudioClient) -> Iterator[CopyDatesDialog]:
    target = client.get_schedule(SECTION)
    widget = CopyDatesDialog(client, target, DENVER)
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    qtbot.waitUntil(lambda: running_jobs() == 0)


def titled(schedule: Schedule, title: str) -> int:
    return next(item.item_id for item in schedule.items if item.title.strip() == title)


def load(qtbot: QtBot, dialog: CopyDatesDialog, course: str) -> None:
    dialog.course_combo.setCurrentText(course)
    dialog.load_button.click()
    qtbot.waitUntil(lambda: dialog.source is not None or "Could not" in dialog.summary.text())


def test_loading_the_master_shows_matches_unmatched_items_and_a_preview(
    qtbot: QtBot, dialog: CopyDatesDialog
) -> None:
    assert not dialog.apply_button.isEnabled()
    load(qtbot, dialog, MASTER)
    text = dialog.summary.text()
    assert "Matched 65 of 67 items of course 123456" in text
    assert "Not copied (no partner here): Quiz 2, Week 3 Discussion." in text
    rows = [dialog.unmatched.item(r, 0).text() for r in range(dialog.unmatched.rowCount())]  # type: ignore[union-attr]
    assert rows == ["Module 1: Foundations / Week 2 / Quiz Two", "Section 2 Welcome"]
    assert dialog.changes_model.rowCount() > 0
    assert dialog.apply_button.isEnabled()


def test_mapping_an_unmatched_item_by_hand_copies_its_partners_dates(
    qtbot: QtBot, dialog: CopyDatesDialog, client: LearningStudioClient
) -> None:
    load(qtbot, dialog, MASTER)
    assert dialog.source is not None
    quiz_two = titled(dialog.target, "Quiz Two")
    combo = dialog.combo_for(quiz_two)
    assert combo.itemText(0) == NO_SOURCE
    combo.setCurrentIndex(combo.findText("Module 1: Foundations / Week 2 / Quiz 2"))

    master_quiz = dialog.source.by_id[titled(dialog.source, "Quiz 2")]
    assert dialog.mapping() == {master_quiz.item_id: quiz_two}
    items = {item.item_id: item for item in dialog.result_items()}
    assert (items[quiz_two].start, items[quiz_two].due) == (master_quiz.start, master_quiz.due)
    assert "Matched 66 of 67" in dialog.summary.text()

    # The same source item picked for a second row moves there: one partner each.
    welcome = dialog.combo_for(titled(dialog.target, "Section 2 Welcome"))
    welcome.setCurrentIndex(welcome.findText("Module 1: Foundations / Week 2 / Quiz 2"))
    assert combo.currentText() == NO_SOURCE
    assert dialog.mapping() == {master_quiz.item_id: titled(dialog.target, "Section 2 Welcome")}


def test_shifting_on_the_way_keeps_the_wall_clock_across_dst(
    qtbot: QtBot, dialog: CopyDatesDialog
) -> None:
    load(qtbot, dialog, MASTER)
    dialog.days.setValue(7)
    assignment = next(i for i in dialog.result_items() if i.title == "Assignment 1")
    # Master: Mon 2011-03-07 23:59 MST; a week later it is Mon 2011-03-14 23:59 MDT.
    assert assignment.due == datetime(2011, 3, 15, 5, 59, tzinfo=UTC)


def test_the_open_course_itself_or_a_bad_entry_is_refused(
    qtbot: QtBot, dialog: CopyDatesDialog
) -> None:
    dialog.course_combo.setCurrentText("not a course")
    dialog.load_button.click()
    assert "Type a course id" in dialog.summary.text()
    dialog.course_combo.setCurrentText(SECTION)
    dialog.load_button.click()
    qtbot.waitUntil(lambda: "open course" in dialog.summary.text())
    assert dialog.source is None and not dialog.apply_button.isEnabled()


def test_course_menu_copy_applies_as_one_undo_step_and_writes_nothing(
    qtbot: QtBot, sandbox: Any, tmp_path: Path, client: LearningStudioClient
) -> None:
    window = open_window(qtbot, sandbox.url, tmp_path, course=SECTION)
    try:
        before = window.editor.current_schedule()
        window.named_actions["copy_dates"].trigger()
        dialog = window.features.copy_dates.dialog
        assert isinstance(dialog, CopyDatesDialog)
        qtbot.waitUntil(lambda: dialog.course_combo.count() > 0)  # my courses listed
        labels = [dialog.course_combo.itemText(i) for i in range(dialog.course_combo.count())]
        # Each course by code and title, as in the course picker (not bare ids).
        assert "DEMO-101 · Demonstration Course 101 (123456)" in labels
        assert "BIG-900 · Big Lecture 900 (900000)" in labels
        assert not any("(123457)" in label for label in labels)
        load(qtbot, dialog, MASTER)
        combo: QComboBox = dialog.combo_for(titled(before, "Quiz Two"))
        combo.setCurrentIndex(combo.findText("Module 1: Foundations / Week 2 / Quiz 2"))
        dialog.apply_button.click()

        stack = window.undo_stack
        assert stack.count() == 1 and stack.text(0).startswith("Copy dates from course 123456")
        after = window.editor.current_schedule()
        master = client.get_schedule(MASTER)
        assert (
            after.by_id[titled(after, "Quiz Two")].due == master.by_id[titled(master, "Quiz 2")].due
        )
        assert client.get_schedule(SECTION) == before  # only saving writes
        stack.undo()
        assert window.editor.current_schedule() == before
    finally:
        tidy(qtbot, window)
