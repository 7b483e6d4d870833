"""File → Export to Excel… / Import from Excel… in the main window, against the sandbox."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
import shiboken6
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from scheduler_gui.core.times import utc
from scheduler_gui.ui.features.excel.actions import ExcelActions, locale_date_order
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
    assert f'Schedules!E{row}: "31/02/2011" is not a date' in dialog.detailedText()
    assert "Schedules!A3: item 999999999 is not in course 123456" in dialog.detailedText()
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


@pytest.mark.parametrize(
    ("locale", "order"), [("en_US", "mdy"), ("en_GB", "dmy"), ("de_DE", "dmy"), ("sv_SE", None)]
)
def test_slash_dates_follow_the_locale(locale: str, order: str | None) -> None:
    assert locale_date_order(QLocale(locale)) == order
