"""Edits made by Import from Excel… and Copy dates from… are kept as a draft, as grid
edits are: after a crash (the window never saves nor closes) the next window offers
them back.

Both apply through the grid's one undoable step (``editor.apply_items``), so the draft
keeper writes them within a quarter second; these tests pin that for the two paths,
against the sandbox, with a real .xlsx written and edited with openpyxl.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from scheduler_gui.core.model import Schedule
from scheduler_gui.core.times import utc
from scheduler_gui.ui.features.copy_dates.feature import CopyDates
from scheduler_gui.ui.features.excel.actions import ExcelActions
from scheduler_gui.ui.shell.main_window import MainWindow
from tests.helpers import explicit_rows
from tests.ui.gui_session import LOAD_TIMEOUT, open_window, server_schedule, tidy

pytestmark = pytest.mark.gui
MASTER, SECTION = "123456", "123457"


def restore_offered_draft(window: MainWindow, items: int) -> None:
    """Say Restore to the question about the draft found at load (``items`` edited)."""
    prompt = window.draft_prompt
    assert prompt is not None and prompt.isVisible()
    assert f"{items} item" in prompt.text(), prompt.text()
    assert not window.has_unsaved_changes()  # nothing applied before the user says so
    next(b for b in prompt.buttons() if b.text() == "Restore").click()


def edited_dates(schedule: Schedule, ids: set[int]) -> dict[int, tuple[Any, ...]]:
    return {i: schedule.by_id[i].schedule_key() for i in sorted(ids)}


def test_an_excel_import_survives_a_crash_as_a_draft(
    qtbot: QtBot, sandbox: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = open_window(qtbot, sandbox.url, tmp_path, MASTER)
    excel = first.features.excel
    assert isinstance(excel, ExcelActions)
    path = tmp_path / "fall.xlsx"
    with qtbot.waitSignal(excel.exported, timeout=LOAD_TIMEOUT):
        excel.export_to(path)
    book = openpyxl.load_workbook(path)
    sheet = book["Schedules"]
    rows = explicit_rows(sheet)[:2]
    ids = {int(sheet.cell(row, 1).value) for row in rows}
    sheet.cell(rows[0], 6).value = datetime(2030, 6, 30, 23, 59)
    sheet.cell(rows[1], 6).value = "2030-07-01 17:00"
    book.save(path)

    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    with qtbot.waitSignals([excel.imported, first.drafts.written], timeout=LOAD_TIMEOUT):
        first.named_actions["import"].trigger()  # File → Import from Excel…
    imported = edited_dates(first.editor.current_schedule(), ids)
    assert {first.editor.current_schedule().by_id[i].end for i in ids} == {
        utc(2030, 7, 1, 5, 59), utc(2030, 7, 1, 23, 0)
    }  # fmt: skip
    if excel.dialog is not None:
        excel.dialog.close()
    first.hide()  # the "crash": never saved, never closed

    second = open_window(qtbot, sandbox.url, tmp_path, MASTER)
    restore_offered_draft(second, 2)
    assert edited_dates(second.editor.current_schedule(), ids) == imported
    assert second.edited_ids() == ids and second.has_unsaved_changes()
    assert server_schedule(sandbox.url) == second.editor.base_schedule()  # nothing sent
    tidy(qtbot, second)
    tidy(qtbot, first)


def test_copied_dates_survive_a_crash_as_a_draft(
    qtbot: QtBot, sandbox: Any, tmp_path: Path
) -> None:
    first = open_window(qtbot, sandbox.url, tmp_path, SECTION)
    copy = first.features.copy_dates
    assert isinstance(copy, CopyDates)
    first.named_actions["copy_dates"].trigger()  # Course → Copy dates from…
    dialog = copy.dialog
    assert dialog is not None
    dialog.course_combo.setCurrentText(MASTER)
    dialog.load_button.click()
    qtbot.waitUntil(lambda: dialog.apply_button.isEnabled(), timeout=LOAD_TIMEOUT)
    before = first.editor.current_schedule()
    with qtbot.waitSignal(first.drafts.written, timeout=LOAD_TIMEOUT):
        dialog.apply_button.click()  # "Apply to the grid"
    copied = first.edited_ids()
    assert copied and first.has_unsaved_changes()
    expected = edited_dates(first.editor.current_schedule(), copied)
    assert expected != edited_dates(before, copied)
    first.hide()  # the "crash"

    second = open_window(qtbot, sandbox.url, tmp_path, SECTION)
    restore_offered_draft(second, len(copied))
    assert second.edited_ids() == copied
    assert edited_dates(second.editor.current_schedule(), copied) == expected
    tidy(qtbot, second)
    tidy(qtbot, first)
