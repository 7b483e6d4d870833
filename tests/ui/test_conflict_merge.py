"""Merge when some fields clash (issue 19, item 8): every change that does not clash is
kept from both sides, and each clashing field is asked: mine or theirs.

Someone else saves through the API (a second client) while the window has edits; the
window's save then meets the conflict dialog, as a professor would.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from scheduler_gui.core.model import ItemSchedule
from scheduler_gui.ui.save.conflict_dialog import KEEP_COLUMN, ConflictDialog
from scheduler_gui.ui.shell.main_window import MainWindow
from tests.ui.gui_session import (
    DEMO,
    LOAD_TIMEOUT,
    first_explicit,
    sandbox_client,
    server_schedule,
)

pytestmark = pytest.mark.gui
DAY = timedelta(days=1)


def later(item: ItemSchedule, field: str, days: int) -> ItemSchedule:
    value = getattr(item, field)
    assert value is not None
    return item.with_dates(**{field: value + days * DAY})


def they_save(url: str, *items: ItemSchedule) -> None:
    """Another user's save, straight through the API."""
    with sandbox_client(url) as client:
        current = client.get_schedule(DEMO)
        client.put_schedule(DEMO, current.with_items(items), previous=current)


def conflict_dialog(qtbot: QtBot, window: MainWindow) -> ConflictDialog:
    window.save()
    flow = window.save_flow
    assert flow is not None and flow.dialog is not None
    with qtbot.waitSignal(flow.dialog.conflict, timeout=LOAD_TIMEOUT):
        flow.dialog.save_button.click()
    qtbot.waitUntil(lambda: flow.conflict_dialog is not None)
    dialog = flow.conflict_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_merge_keeps_both_sides_clean_changes_and_asks_mine_or_theirs_per_clash(
    qtbot: QtBot, window: MainWindow, sandbox: Any
) -> None:
    shown = window.editor.current_schedule()
    quiz = first_explicit(shown, "Quiz 1")
    clash = first_explicit(shown, "Quiz 3")
    theirs_only = first_explicit(shown, "Quiz 2")
    # Mine: Quiz 1 a day later (clean), Quiz 3 end two days later (clashes)
    # with its "open early" flag turned on (clean, same item).
    mine = replace(later(clash, "end", 2), can_access_before_start=True)
    window.editor.apply_items([later(quiz, "end", 1), mine], "my edits")
    # Theirs: Quiz 3's end one day later (clashes), Quiz 2 a week later (clean).
    they_save(sandbox.url, later(clash, "end", 1), later(theirs_only, "end", 7))

    dialog = conflict_dialog(qtbot, window)
    clashes = [row for row in dialog.rows if row.clash]
    assert [(row.item_id, row.field) for row in clashes] == [(clash.item_id, "end")]
    assert "choose <i>Keep mine</i> or <i>Keep theirs</i>" in dialog.explanation.text()
    assert not dialog.merge_button.isEnabled()  # asked, not decided for the user
    assert "1 more" in dialog.merge_button.toolTip()

    # Keep mine, chosen with the keyboard in the row's Keep box.
    row = dialog.rows.index(clashes[0])
    box = dialog.table.indexWidget(dialog.table.model().index(row, KEEP_COLUMN))
    assert box is dialog.keep_boxes[(clash.item_id, "end")] and box.currentText() == "Choose…"
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Down)
    assert box.currentText() == "Keep mine" and dialog.merge_button.isEnabled()

    dialog.merge_button.click()
    flow = window.save_flow
    assert flow is not None
    qtbot.waitUntil(lambda: flow.dialog is not None)
    preview = flow.dialog
    assert preview is not None and "merged" in preview.summary.text()
    # Against the server's state: my three changes; theirs are already there.
    assert preview.model.rowCount() == 3
    with qtbot.waitSignal(window.saved, timeout=LOAD_TIMEOUT):
        preview.save_button.click()  # through the save pipeline, over the server's state
    after = server_schedule(sandbox.url).by_id
    assert after[quiz.item_id].end == quiz.end + DAY  # mine, clean
    assert after[clash.item_id].end == mine.end  # the clash: mine, as chosen
    assert after[clash.item_id].can_access_before_start is True  # mine, clean
    assert after[theirs_only.item_id].end == theirs_only.end + 7 * DAY  # theirs, clean
    assert not window.has_unsaved_changes()
    preview.close_button.click()


def test_keep_theirs_for_a_clash_still_saves_my_other_changes(
    qtbot: QtBot, window: MainWindow, sandbox: Any
) -> None:
    shown = window.editor.current_schedule()
    quiz, clash = first_explicit(shown, "Quiz 1"), first_explicit(shown, "Quiz 3")
    window.editor.apply_items([later(quiz, "end", 1), later(clash, "due", 2)], "my edits")
    they_save(sandbox.url, later(clash, "due", 1))

    dialog = conflict_dialog(qtbot, window)
    dialog.all_theirs.setVisible(True)  # shown for two clashes or more; one here
    qtbot.mouseClick(dialog.all_theirs, Qt.MouseButton.LeftButton)
    assert dialog.choices() == {(clash.item_id, "due"): "theirs"}
    dialog.merge_button.click()
    flow = window.save_flow
    assert flow is not None
    qtbot.waitUntil(lambda: flow.dialog is not None)
    preview = flow.dialog
    assert preview is not None and preview.model.rowCount() == 1  # only the quiz
    with qtbot.waitSignal(window.saved, timeout=LOAD_TIMEOUT):
        preview.save_button.click()
    after = server_schedule(sandbox.url).by_id
    assert after[quiz.item_id].end == quiz.end + DAY
    assert clash.due is not None and after[clash.item_id].due == clash.due + DAY  # theirs
    preview.close_button.click()
