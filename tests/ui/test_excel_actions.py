"""File → Export to Excel… / Import from Excel… in the main window, against the sandbox."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
import shiboken6
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from scheduler_gui.core.times import utc
from scheduler_gui.ui.features.excel.actions import ExcelActions
from scheduler_gui.ui.shell.main_window import MainWindow
from tests.helpers import explicit_rows
from tests.ui.gui_session import LOAD_TIMEOUT, server_schedule

pytestmark = pytest.mark.gui


def actions_of(window: MainWindow) -> ExcelActions:
    actions = window.features.excel
    assert isinstance(actions, ExcelActions)
    return actions


def export(qtbot: QtBot, window: MainWindow, path: Path) -> None:
    with qtbot.waitSignal(actions_of(window).exported, timeout=LOAD_TIMEOUT):
        actions_of(window).export_to(path)


def test_file_menu_has_export_and_import_enabled_once_a_course_is_loaded(
    window: MainWindow,
) -> None:
    file_menu = [action.text() for action in window.menus["file"].actions()]
    assert "E&xport to Excel…" in file_menu and "&Import from Excel…" in file_menu
    assert window.named_actions["import"].shortcut().toString() == "Ctrl+I"
    assert window.named_actions["export"].isEnabled() and window.named_actions["import"].isEnabled()


def test_export_writes_what_the_grid_shows(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    item = next(i for i in window.editor.current_schedule() if not i.is_inherited and i.end)
    window.editor.apply_items([item.with_dates(end=utc(2030, 7, 1, 5, 59))], "edit")
    target = tmp_path / "out.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    with qtbot.waitSignal(actions_of(window).exported, timeout=LOAD_TIMEOUT):
        window.named_actions["export"].trigger()
    book = openpyxl.load_workbook(target)
    sheet = book["Schedules"]
    current = window.editor.current_schedule()
    assert sheet.max_row - 1 == len(current)
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == item.item_id)
    assert sheet.cell(row, 6).value == datetime(2030, 6, 30, 23, 59)  # the unsaved edit, in Denver
    about = [r for r in book["About"].iter_rows(values_only=True) if r and r[0] == "Schedules"]
    assert about[0][5] == current.fingerprint()
    assert "Exported to" in window.statusBar().currentMessage()


def test_import_is_one_undoable_step_and_sends_nothing(
    qtbot: QtBot,
    window: MainWindow,
    tmp_path: Path,
    sandbox: object,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = tmp_path / "edit.xlsx"
    export(qtbot, window, path)
    book = openpyxl.load_workbook(path)
    sheet = book["Schedules"]
    first, second = explicit_rows(sheet)[:2]
    ids = sheet.cell(first, 1).value, sheet.cell(second, 1).value
    sheet.cell(first, 6).value = datetime(2030, 6, 30, 23, 59)
    sheet.cell(second, 6).value = "2030-07-01 17:00"
    book.save(path)
    before = window.editor.current_schedule()
    steps = window.undo_stack.count()

    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    with qtbot.waitSignal(actions_of(window).imported, timeout=LOAD_TIMEOUT) as signal:
        window.named_actions["import"].trigger()

    report = signal.args[0]
    assert report.changed == tuple(sorted(ids, key=before.positions.__getitem__))
    after = window.editor.current_schedule()
    assert after.by_id[ids[0]].end == utc(2030, 7, 1, 5, 59)
    assert after.by_id[ids[1]].end == utc(2030, 7, 1, 23, 0)
    assert window.undo_stack.count() == steps + 1
    assert window.undo_stack.undoText() == "Import from edit.xlsx"
    dialog = actions_of(window).dialog
    assert dialog is not None and dialog.isVisible() and "2 item(s) changed" in dialog.text()
    assert window.has_unsaved_changes()
    assert server_schedule(sandbox.url) == window.editor.base_schedule()  # type: ignore[attr-defined]
    window.undo_stack.undo()
    assert window.editor.current_schedule() == before


def test_a_rejected_file_changes_nothing_and_lists_the_problems(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    path = tmp_path / "bad.xlsx"
    export(qtbot, window, path)
    book = openpyxl.load_workbook(path)
    sheet = book["Schedules"]
    row = explicit_rows(sheet)[0]
    sheet.cell(row, 5).value = "31/02/2011"
    sheet.cell(3, 1).value = 999_999_999
    book.save(path)
    before, steps = window.editor.current_schedule(), window.undo_stack.count()
    with qtbot.waitSignal(actions_of(window).failed, timeout=LOAD_TIMEOUT):
        actions_of(window).import_from(path)
    dialog = actions_of(window).dialog
    assert dialog is not None and dialog.isVisible()
    assert "2 problem(s)" in dialog.text()
    # Each problem names the cell and the item by title (the row's own for an unknown id).
    title, other = (str(sheet.cell(r, 2).value).strip() for r in (row, 3))
    assert f'Schedules!E{row} ({title}): "31/02/2011" is not a date' in dialog.detailedText()
    assert f"Schedules!A3 ({other}): item 999999999 is not in course 123456" in (
        dialog.detailedText()
    )
    assert window.editor.current_schedule() == before and window.undo_stack.count() == steps


def test_closing_an_older_report_keeps_the_newer_one_current(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    path = tmp_path / "not-a-workbook.xlsx"
    path.write_text("not a spreadsheet")
    actions = actions_of(window)
    reports = []
    for _ in range(2):
        with qtbot.waitSignal(actions.failed, timeout=LOAD_TIMEOUT):
            actions.import_from(path)
        reports.append(actions.dialog)
    older, newer = reports
    assert older is not None and newer is not None and older is not newer
    older.close()  # deleted on close, later, in the event loop
    qtbot.waitUntil(lambda: not shiboken6.isValid(older), timeout=LOAD_TIMEOUT)
    assert actions.dialog is newer and newer.isVisible()


def test_a_file_exported_before_later_edits_asks_first(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    path = tmp_path / "old.xlsx"
    export(qtbot, window, path)
    book = openpyxl.load_workbook(path)
    sheet = book["Schedules"]
    row = explicit_rows(sheet)[0]
    item_id = sheet.cell(row, 1).value
    sheet.cell(row, 6).value = datetime(2030, 6, 30, 23, 59)
    book.save(path)
    other = next(
        i
        for i in window.editor.current_schedule()
        if i.item_id != item_id and i.end and not i.is_inherited
    )
    window.editor.apply_items([other.with_dates(due=utc(2011, 5, 1))], "later edit")

    for answer, applied in (
        (QMessageBox.StandardButton.Cancel, False),
        (QMessageBox.StandardButton.Yes, True),
    ):
        actions_of(window).import_from(path)
        qtbot.waitUntil(
            lambda: (
                actions_of(window).dialog is not None
                and actions_of(window).dialog.icon() == QMessageBox.Icon.Question
            ),  # type: ignore[union-attr]
            timeout=LOAD_TIMEOUT,
        )
        question = actions_of(window).dialog
        assert question is not None and "changed since the file was exported" in question.text()
        question.button(answer).click()
        end = window.editor.current_schedule().by_id[item_id].end
        assert (end == utc(2030, 7, 1, 5, 59)) is applied
        qtbot.waitUntil(lambda: actions_of(window).job is None)
        if actions_of(window).dialog is not None:
            actions_of(window).dialog.close()  # type: ignore[union-attr]
            qtbot.waitUntil(lambda: actions_of(window).dialog is None)


def write_due(path: Path, text: str) -> tuple[int, str]:
    """Type ``text`` into the Due cell of the first row that has dates; its id and title."""
    book = openpyxl.load_workbook(path)
    sheet = book["Schedules"]
    row = explicit_rows(sheet)[0]
    sheet.cell(row, 7).value = text
    book.save(path)
    return int(sheet.cell(row, 1).value), str(sheet.cell(row, 2).value).strip()


def date_order_question(qtbot: QtBot, window: MainWindow) -> QMessageBox:
    actions = actions_of(window)
    qtbot.waitUntil(lambda: bool(actions.order_buttons) and actions.dialog is not None)
    question = actions.dialog
    assert question is not None and question.isVisible()
    return question


@pytest.mark.parametrize(("answer", "day"), [("dmy", (9, 2)), ("mdy", (2, 9))])
def test_an_ambiguous_slash_date_is_asked_about_with_both_readings_never_guessed(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, answer: str, day: tuple[int, int]
) -> None:
    path = tmp_path / "slashes.xlsx"
    export(qtbot, window, path)
    item_id, _title = write_due(path, "2/9/2011 11:59 PM")
    before = window.editor.current_schedule()
    actions_of(window).import_from(path)  # as File → Import does: no date order given

    question = date_order_question(qtbot, window)
    assert question.text() == "Read 2/9/2011 11:59 PM as 9 Feb 2011 or 2 Sep 2011?"
    assert "every slash date in the file" in question.informativeText()
    assert window.editor.current_schedule() == before  # nothing applied while asking
    buttons = actions_of(window).order_buttons
    assert buttons["mdy"].text() == "9 Feb 2011 (month first)"
    assert buttons["dmy"].text() == "2 Sep 2011 (day first)"
    with qtbot.waitSignal(actions_of(window).imported, timeout=LOAD_TIMEOUT):
        buttons[answer].click()
    due = window.editor.current_schedule().by_id[item_id].due
    assert due is not None
    local = due.astimezone(window.time_zone)
    assert (local.month, local.day, local.hour, local.minute) == (*day, 23, 59)


def test_cancelling_the_date_order_question_imports_nothing(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    path = tmp_path / "slashes.xlsx"
    export(qtbot, window, path)
    write_due(path, "3/8/2011")
    before, steps = window.editor.current_schedule(), window.undo_stack.count()
    actions_of(window).import_from(path)
    date_order_question(qtbot, window).button(QMessageBox.StandardButton.Cancel).click()
    assert window.editor.current_schedule() == before and window.undo_stack.count() == steps
    assert "cancelled" in window.statusBar().currentMessage()


def test_the_import_report_names_items_by_title_and_row(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    path = tmp_path / "inherit.xlsx"
    export(qtbot, window, path)
    book = openpyxl.load_workbook(path)
    sheet = book["Schedules"]
    row = explicit_rows(sheet)[0]
    sheet.cell(row, 4).value = True  # inherit again
    title = str(sheet.cell(row, 2).value).strip()
    book.save(path)
    with qtbot.waitSignal(actions_of(window).imported, timeout=LOAD_TIMEOUT):
        actions_of(window).import_from(path)
    report = actions_of(window).dialog
    assert report is not None
    assert f'inherit their dates again: "{title}" (row {row})' in report.informativeText()
