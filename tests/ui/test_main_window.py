"""The main window against the sandbox: load, edit, save, conflicts, closing."""

from __future__ import annotations

import sys
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from scheduler_gui.session.course_zones import CourseZones
from scheduler_gui.ui.save.conflict_dialog import ConflictDialog
from scheduler_gui.ui.save.dialog import SaveDialog
from scheduler_gui.ui.shell.main_window import SAVE_FLOW_MODULE, MainWindow
from tests.ui.gui_session import (
    LOAD_TIMEOUT,
    first_explicit,
    one_day_later,
    server_schedule,
)

pytestmark = pytest.mark.gui


def save_dialog(window: MainWindow) -> SaveDialog:
    assert window.save_flow is not None and window.save_flow.dialog is not None
    return window.save_flow.dialog


def save_into_conflict(qtbot: QtBot, window: MainWindow) -> ConflictDialog:
    """Save (after the server changed): the preview, then the three-way dialog."""
    window.save()
    with qtbot.waitSignal(save_dialog(window).conflict, timeout=LOAD_TIMEOUT):
        save_dialog(window).save_button.click()

    def shown() -> ConflictDialog | None:
        return window.save_flow.conflict_dialog if window.save_flow is not None else None

    qtbot.waitUntil(lambda: shown() is not None)
    conflict = shown()
    assert conflict is not None and conflict.isVisible()
    return conflict


def stamp(value: datetime | None) -> str | None:
    return None if value is None else value.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_loaded_course_shows_in_title_status_bar_and_grid(window: MainWindow) -> None:
    schedule = window.editor.current_schedule()
    assert len(schedule) > 50
    assert window.course_id == "123456"
    assert "DEMO-101" in window.windowTitle() or "123456" in window.windowTitle()
    assert f"{len(schedule)} items" in window.status.count.text()
    assert window.status.edited.text() == "no unsaved changes"
    assert not window.isWindowModified()
    assert not window.named_actions["save"].isEnabled()
    assert window.tz_combo.currentText() == "America/Denver"


def test_edit_then_save_sends_exactly_the_edit(
    qtbot: QtBot, window: MainWindow, sandbox: object
) -> None:
    url = sandbox.url  # type: ignore[attr-defined]
    before = server_schedule(url)
    quiz = first_explicit(window.editor.current_schedule(), "Quiz 1")
    edited = one_day_later(quiz)
    assert window.editor.apply_items([edited], "Quiz 1 a day later")
    assert window.isWindowModified() and "*" in window.windowTitle().replace("[*]", "*")
    assert window.status.edited.text() == "1 edited"
    assert window.named_actions["save"].isEnabled()

    window.named_actions["save"].trigger()
    dialog = save_dialog(window)
    assert dialog.isVisible()
    assert dialog.model.rowCount() == 1  # one field of one item
    assert [dialog.model.index(0, c).data() for c in (0, 1)] == ["Quiz 1", "End"]
    assert "1 item" in dialog.summary.text()
    with qtbot.waitSignal(window.saved, timeout=LOAD_TIMEOUT) as saved:
        dialog.save_button.click()
    report = saved.args[0]
    assert report.changed_items == 1 and report.backup_path.is_file()
    # What the save sent is kept beside the backup (if another save overwrites it).
    assert report.snapshot_path == report.backup_path.with_suffix(".after.json")
    assert report.snapshot_path.is_file()
    assert dialog.pages.currentIndex() == 2
    assert str(report.backup_path) in dialog.result_text.text()
    assert "matches what was sent" in dialog.result_text.text()
    assert not window.isWindowModified()
    assert window.status.edited.text() == "no unsaved changes"

    after = server_schedule(url)
    assert after.by_id[quiz.item_id].end == edited.end
    for old in before.items:  # everything else as it was; inherited items still inherit
        if old.item_id != quiz.item_id:
            new = after.by_id[old.item_id]
            assert new.schedule_key() == old.schedule_key(), old.title
            assert new.is_inherited == old.is_inherited
    assert any(item.is_inherited for item in after.items)
    dialog.close_button.click()
    qtbot.waitUntil(lambda: window.save_flow is None)


def test_save_is_blocked_while_an_error_stands(window: MainWindow) -> None:
    quiz = first_explicit(window.editor.current_schedule(), "Quiz 1")
    window.editor.apply_items([quiz.with_dates(end=quiz.start)], "Empty window")
    assert window.has_unsaved_changes()
    assert not window.named_actions["save"].isEnabled()
    assert "1 error" in window.status.findings.text()
    window.save()
    assert window.save_flow is None
    assert "error" in window.statusBar().currentMessage()


def test_conflict_without_overlap_merges_both_changes(
    qtbot: QtBot, window: MainWindow, sandbox: object
) -> None:
    quiz = first_explicit(window.editor.current_schedule(), "Quiz 1")
    window.editor.apply_items([one_day_later(quiz)], "mine")
    theirs = sandbox.touch()  # type: ignore[attr-defined]  # someone else edits another item
    assert theirs["changed"] and theirs["itemId"] != quiz.item_id

    conflict = save_into_conflict(qtbot, window)
    fields = {(row.item_id, row.field) for row in conflict.rows}
    assert fields == {(quiz.item_id, "end"), (theirs["itemId"], "end")}
    assert conflict.merge_button.isEnabled()
    assert conflict.table.model().rowCount() == 2

    conflict.merge_button.click()
    qtbot.waitUntil(lambda: window.save_flow is not None and window.save_flow.dialog is not None)
    dialog = save_dialog(window)
    assert "merged" in dialog.summary.text()
    assert dialog.model.rowCount() == 1  # against the server's state: only my change
    with qtbot.waitSignal(window.saved, timeout=LOAD_TIMEOUT):
        dialog.save_button.click()
    after = server_schedule(sandbox.url)  # type: ignore[attr-defined]
    assert after.by_id[quiz.item_id].end == one_day_later(quiz).end
    assert stamp(after.by_id[theirs["itemId"]].end) == theirs["new"]
    dialog.close_button.click()


def test_overlapping_conflict_offers_reload_or_overwrite_after_confirmation(
    qtbot: QtBot, window: MainWindow, sandbox: object
) -> None:
    url = sandbox.url  # type: ignore[attr-defined]
    theirs = sandbox.touch()  # type: ignore[attr-defined]
    item = window.editor.current_schedule().by_id[theirs["itemId"]]
    mine = one_day_later(one_day_later(item))  # a different new end for the same field
    window.editor.apply_items([mine], "mine")
    conflict = save_into_conflict(qtbot, window)
    assert [row.overlaps for row in conflict.rows] == [True]
    assert not conflict.merge_button.isEnabled()
    assert "changed on both sides" in conflict.explanation.text()

    conflict.overwrite_button.click()  # asks again first
    assert conflict.confirm_box is not None and conflict.confirm_box.isVisible()
    conflict.confirm_box.button(QMessageBox.StandardButton.Cancel).click()
    assert conflict.isVisible()  # nothing happened
    assert server_schedule(url).by_id[item.item_id].end != mine.end

    conflict.overwrite_button.click()
    box = conflict.confirm_box
    assert box is not None
    overwrite = next(b for b in box.buttons() if b.text() == "Overwrite")
    overwrite.click()
    qtbot.waitUntil(lambda: window.save_flow is not None and window.save_flow.dialog is not None)
    dialog = save_dialog(window)
    assert "Overwrite" in dialog.summary.text()
    with qtbot.waitSignal(window.saved, timeout=LOAD_TIMEOUT):
        dialog.save_button.click()
    assert server_schedule(url).by_id[item.item_id].end == mine.end
    dialog.close_button.click()


def test_conflict_reload_drops_my_edits_and_shows_the_server_state(
    qtbot: QtBot, window: MainWindow, sandbox: object
) -> None:
    quiz = first_explicit(window.editor.current_schedule(), "Quiz 1")
    window.editor.apply_items([one_day_later(quiz)], "mine")
    theirs = sandbox.touch()  # type: ignore[attr-defined]
    conflict = save_into_conflict(qtbot, window)
    with qtbot.waitSignal(window.course_loaded, timeout=LOAD_TIMEOUT):
        conflict.reload_button.click()
    current = window.editor.current_schedule()
    assert not window.has_unsaved_changes()
    assert current.by_id[quiz.item_id].end == quiz.end
    assert stamp(current.by_id[theirs["itemId"]].end) == theirs["new"]


def test_closing_with_unsaved_changes_asks_and_cancel_keeps_the_window(
    qtbot: QtBot, window: MainWindow
) -> None:
    quiz = first_explicit(window.editor.current_schedule(), "Quiz 1")
    window.editor.apply_items([one_day_later(quiz)], "mine")
    assert not window.close()
    box = window.close_prompt
    assert box is not None and box.isVisible()
    assert "1 item" in box.text()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert window.isVisible() and window.has_unsaved_changes()

    assert not window.close()
    window.close_prompt.button(QMessageBox.StandardButton.Discard).click()  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: not window.isVisible())
    assert not window.has_unsaved_changes()


def test_closing_with_save_saves_then_closes(
    qtbot: QtBot, window: MainWindow, sandbox: object
) -> None:
    quiz = first_explicit(window.editor.current_schedule(), "Quiz 1")
    window.editor.apply_items([one_day_later(quiz)], "mine")
    assert not window.close()
    window.close_prompt.button(QMessageBox.StandardButton.Save).click()  # type: ignore[union-attr]
    dialog = save_dialog(window)
    with qtbot.waitSignal(window.saved, timeout=LOAD_TIMEOUT):
        dialog.save_button.click()
    assert window.isVisible()  # the report stays readable until closed
    dialog.close_button.click()
    qtbot.waitUntil(lambda: not window.isVisible())
    after = server_schedule(sandbox.url)  # type: ignore[attr-defined]
    assert after.by_id[quiz.item_id].end == one_day_later(quiz).end


def test_closing_without_changes_does_not_ask(window: MainWindow) -> None:
    assert window.close()
    assert window.close_prompt is None


def test_time_zone_is_remembered_per_course(window: MainWindow) -> None:
    assert window.set_time_zone("Europe/Berlin")
    assert CourseZones().get("123456") == ZoneInfo("Europe/Berlin")  # shared with schedctl
    assert window.editor.time_zone().key == "Europe/Berlin"
    assert not window.set_time_zone("Mars/Olympus")
    assert window.time_zone.key == "Europe/Berlin"


def test_time_zone_typed_in_the_toolbar_applies_on_enter(qtbot: QtBot, window: MainWindow) -> None:
    combo = window.tz_combo
    combo.setEditText("Europe/Paris")  # typed (keyClicks would pop up the completer)
    qtbot.keyClick(combo.lineEdit(), Qt.Key.Key_Return)
    assert combo.question is not None  # a course is open: it asks first (test_focus.py)
    next(b for b in combo.question.buttons() if b.text() == "Use Europe/Paris").click()
    assert window.time_zone.key == "Europe/Paris"
    assert window.editor.time_zone().key == "Europe/Paris"
    combo.setEditText("Nowhere/Special")
    qtbot.keyClick(combo.lineEdit(), Qt.Key.Key_Return)
    assert window.time_zone.key == "Europe/Paris"  # unknown names are refused
    assert combo.currentText() == "Europe/Paris"
    assert "Unknown time zone 'Nowhere/Special'" in window.statusBar().currentMessage()
    assert "America/Denver" in window.statusBar().currentMessage()  # what to type instead


def edit_before_the_save_dialogs_load(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    """As at start-up, the save dialogs not loaded (a start that never saves never pays for
    them); then the first edit."""
    monkeypatch.delitem(sys.modules, SAVE_FLOW_MODULE, raising=False)
    quiz = first_explicit(window.editor.current_schedule(), "Quiz 1")
    window.editor.apply_items([one_day_later(quiz)], "Quiz 1 a day later")


def save_opens_the_preview(qtbot: QtBot, window: MainWindow) -> None:
    """File → Save: the preview opens (once the save dialogs are in; the window does not
    wait for them) with the keyboard in it, and Escape closes it."""
    window.save()
    qtbot.waitUntil(lambda: window.save_flow is not None, timeout=LOAD_TIMEOUT)
    dialog = save_dialog(window)
    assert dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.isAncestorOf(QApplication.focusWidget()))
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert not dialog.isVisible() and window.isWindowModified()  # nothing was saved


def test_the_first_edit_loads_the_save_dialogs_in_the_background(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    edit_before_the_save_dialogs_load(window, monkeypatch)
    # Loading off the GUI thread before Save is pressed: Save finds them in, or nearly.
    qtbot.waitUntil(lambda: SAVE_FLOW_MODULE in sys.modules, timeout=LOAD_TIMEOUT)
    save_opens_the_preview(qtbot, window)


def test_soon_after_a_course_loads_the_save_dialogs_load_in_the_background(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    qtbot.wait(400)  # past the fixture's own load and what followed it
    monkeypatch.delitem(sys.modules, SAVE_FLOW_MODULE, raising=False)
    with qtbot.waitSignal(window.course_loaded, timeout=LOAD_TIMEOUT):
        window.open_course("123456")
    assert SAVE_FLOW_MODULE not in sys.modules  # the course first, alone
    qtbot.waitUntil(lambda: SAVE_FLOW_MODULE in sys.modules, timeout=LOAD_TIMEOUT)
    assert not window.isWindowModified()  # no edit was needed


def test_save_right_after_the_first_edit_opens_the_preview_once_its_dialogs_load(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    edit_before_the_save_dialogs_load(window, monkeypatch)
    save_opens_the_preview(qtbot, window)  # at once: the dialogs are still loading


def test_save_says_so_when_its_dialogs_cannot_load(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        "scheduler_gui.ui.shell.main_window.SAVE_FLOW_MODULE", "scheduler_gui.ui.save.gone"
    )
    edit_before_the_save_dialogs_load(window, monkeypatch)
    window.save()
    qtbot.waitUntil(lambda: "Cannot save" in window.statusBar().currentMessage())
    assert window.save_flow is None and window.isWindowModified()  # the edit is kept
