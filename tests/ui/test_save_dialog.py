"""The save dialog on its own: the preview table, copy as text, and the point of no return."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from scheduler_gui.core.validate import Severity
from scheduler_gui.ui.save.dialog import SaveDialog
from scheduler_gui.ui.shell.main_window import MainWindow
from tests.ui.gui_session import LOAD_TIMEOUT, first_explicit, one_day_later

pytestmark = pytest.mark.gui


def preview(window: MainWindow) -> SaveDialog:
    window.save()
    assert window.save_flow is not None and window.save_flow.dialog is not None
    return window.save_flow.dialog


def rows(dialog: SaveDialog) -> list[list[str]]:
    model = dialog.model
    return [[str(model.index(r, c).data()) for c in range(4)] for r in range(model.rowCount())]


def test_preview_lists_each_changed_field_once_with_before_and_after(window: MainWindow) -> None:
    schedule = window.editor.current_schedule()
    quiz = first_explicit(schedule, "Quiz 1")
    inherited = next(i for i in schedule.items if i.is_inherited and i.start is not None)
    window.editor.apply_items(
        [one_day_later(one_day_later(quiz, "due"), "end"), one_day_later(inherited, "start")],
        "two items",
    )
    dialog = preview(window)
    first, second = sorted([inherited, quiz], key=lambda i: schedule.positions[i.item_id])
    expected_fields = {inherited.item_id: ["Dates", "Start"], quiz.item_id: ["End", "Due"]}
    table = rows(dialog)
    assert [row[0] for row in table] == [first.title, "", second.title, ""]  # title once
    assert [row[1] for row in table] == expected_fields[first.item_id] + expected_fields[
        second.item_id
    ]
    dates = next(row for row in table if row[1] == "Dates")
    assert dates[2:] == ["inherited from its unit", "its own dates"]
    due = next(row for row in table if row[1] == "Due")
    assert due[2].endswith("MST") and due[3].endswith("MST") and due[2] != due[3]
    assert "<b>2 items</b> will change (4 fields)" in dialog.summary.text()
    dialog.reject()


def test_copy_as_text_puts_the_diff_on_the_clipboard(window: MainWindow) -> None:
    quiz = first_explicit(window.editor.current_schedule(), "Quiz 1")
    window.editor.apply_items([one_day_later(quiz)], "later")
    dialog = preview(window)
    next(b for b in dialog.preview_buttons.buttons() if "Copy" in b.text()).click()
    text = QGuiApplication.clipboard().text()
    assert "Quiz 1" in text and "end" in text
    dialog.reject()


def test_cancel_is_offered_until_the_put_starts_then_withdrawn(
    qtbot: QtBot, window: MainWindow, sandbox: Any
) -> None:
    quiz = first_explicit(window.editor.current_schedule(), "Quiz 1")
    window.editor.apply_items([one_day_later(quiz)], "later")
    dialog = preview(window)
    sandbox.set_faults("latency=1@PUT")
    dialog.save_button.click()
    assert dialog.pages.currentIndex() == 1
    qtbot.waitUntil(lambda: "Saving all" in dialog.step.text(), timeout=LOAD_TIMEOUT)
    assert not dialog.cancel_button.isEnabled()
    assert "cannot be stopped" in dialog.cancel_button.toolTip()
    with qtbot.waitSignal(window.saved, timeout=LOAD_TIMEOUT):
        pass
    assert "Saved." in dialog.result_text.text()
    dialog.close_button.click()


def test_preview_lists_the_warnings_that_still_stand(window: MainWindow) -> None:
    quiz = first_explicit(window.editor.current_schedule(), "Quiz 1")
    assert quiz.end is not None
    # Due three days after the quiz closes: allowed, but worth a look before saving.
    window.editor.apply_items([quiz.with_dates(due=quiz.end + timedelta(days=3))], "late due")
    open_warnings = [f for f in window.editor.findings() if f.severity is Severity.WARNING]
    assert open_warnings
    dialog = preview(window)
    assert dialog.findings_list.isVisible() and dialog.save_button.isEnabled()
    listed = [dialog.findings_list.item(r).text() for r in range(dialog.findings_list.count())]
    assert listed == [f.message for f in open_warnings]
    assert any("Quiz 1" in text and "due" in text.lower() for text in listed)
    warnings = len(open_warnings)
    assert dialog.findings_label.text().startswith(
        f"<b>{warnings} warning{'s' if warnings != 1 else ''} still open</b>"
    )
    dialog.reject()


def test_preview_without_warnings_shows_no_list(window: MainWindow) -> None:
    quiz = first_explicit(window.editor.current_schedule(), "Quiz 1")
    assert quiz.start is not None and quiz.due is not None
    earlier = timedelta(hours=1)  # the whole quiz an hour earlier: nothing to warn about
    window.editor.apply_items(
        [quiz.with_dates(start=quiz.start - earlier, due=quiz.due - earlier)], "earlier"
    )
    assert not window.editor.findings()
    dialog = preview(window)
    assert dialog.table.isVisible() and not dialog.findings_list.isVisible()
    dialog.reject()


def test_a_long_list_of_warnings_is_cut_and_counted(qtbot: QtBot) -> None:
    from scheduler_gui.core.validate import Finding
    from scheduler_gui.ui.save.dialog import SHOWN_FINDINGS
    from tests.ui.schedule_samples import DENVER, small_course

    course = small_course()
    findings = [Finding(Severity.WARNING, 3, "due", f"Warning number {n}.") for n in range(120)]
    dialog = SaveDialog(course, course, DENVER, lambda *_: None, findings=findings)
    qtbot.addWidget(dialog)
    shown = dialog.findings_list
    assert shown.count() == SHOWN_FINDINGS + 1
    assert shown.item(0).text() == "Warning number 0."
    assert shown.item(SHOWN_FINDINGS).text() == (
        f"… and {120 - SHOWN_FINDINGS} more: see the Problems panel."
    )
    assert dialog.findings_label.text().startswith("<b>120 warnings still open</b>")
