"""A draft meeting a changed server: never deleted by a load that lacks its items, and
restored field by field (a colleague's change to another field of the same item stays;
a clash is shown). Real windows on the sandbox, offscreen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from scheduler_gui.core.times import format_timestamp, utc
from scheduler_gui.ui.shell.main_window import MainWindow
from tests.ui.gui_session import LOAD_TIMEOUT, first_explicit, one_day_later, open_window, tidy

pytestmark = pytest.mark.gui


def leave_a_draft(qtbot: QtBot, sandbox: Any, tmp_path: Path) -> tuple[MainWindow, Any]:
    """A window whose edit of Quiz 1's end was autosaved, then "crashed" (hidden)."""
    first = open_window(qtbot, sandbox.url, tmp_path)
    quiz = first_explicit(first.editor.current_schedule(), "Quiz 1")
    edited = one_day_later(quiz)
    with qtbot.waitSignal(first.drafts.written, timeout=LOAD_TIMEOUT):
        first.editor.apply_items([edited], "mine")
    first.hide()
    return first, edited


@pytest.mark.parametrize("answer", ["the item missing", "an empty list"])
def test_a_load_lacking_the_drafts_items_keeps_the_draft_and_says_why(
    qtbot: QtBot, sandbox: Any, tmp_path: Path, answer: str
) -> None:
    first, edited = leave_a_draft(qtbot, sandbox, tmp_path)
    path = first.draft_store.path_for("123456")
    kept = path.read_bytes()
    if answer == "an empty list":
        sandbox.state.store.execute("DELETE FROM items WHERE course_id = 123456")
    else:
        sandbox.state.store.execute("DELETE FROM items WHERE item_id = ?", (edited.item_id,))

    second = open_window(qtbot, sandbox.url, tmp_path)
    notice = second.draft_notice
    assert notice is not None and notice.isVisible()
    text = notice.text() + " " + notice.informativeText()
    assert "kept" in text and "1 item" in text and "not in the course" in text
    assert second.draft_prompt is None  # nothing offered: it cannot be restored on this
    assert path.read_bytes() == kept
    # Editing, discarding and reloading in this session leave that draft alone too.
    with qtbot.waitSignal(second.course_loaded, timeout=LOAD_TIMEOUT):
        second.discard_edits_and_reload()
    assert path.read_bytes() == kept
    tidy(qtbot, second)

    sandbox.reset()  # the server has the item again: the draft is offered
    third = open_window(qtbot, sandbox.url, tmp_path)
    assert third.draft_prompt is not None and third.draft_prompt.isVisible()
    tidy(qtbot, third)
    tidy(qtbot, first)


def test_restoring_keeps_a_colleagues_change_to_another_field_of_the_same_item(
    qtbot: QtBot, sandbox: Any, tmp_path: Path
) -> None:
    first, edited = leave_a_draft(qtbot, sandbox, tmp_path)
    colleague_due = utc(2011, 2, 20, 6, 59)
    sandbox.state.store.execute(
        "UPDATE items SET due = ?, before_flag = 1 - before_flag WHERE item_id = ?",
        (format_timestamp(colleague_due), edited.item_id),
    )
    second = open_window(qtbot, sandbox.url, tmp_path)
    prompt = second.draft_prompt
    assert prompt is not None and "clash" not in prompt.informativeText()
    next(b for b in prompt.buttons() if b.text() == "Restore").click()
    item = second.editor.current_schedule().by_id[edited.item_id]
    assert item.end == edited.end  # mine
    assert item.due == colleague_due  # theirs, on the same item
    assert item.can_access_before_start != edited.can_access_before_start  # theirs too
    tidy(qtbot, second)
    tidy(qtbot, first)


@pytest.mark.parametrize("button", ["Restore", "Restore, mine on clashes"])
def test_a_clash_with_a_colleagues_change_is_shown_before_restoring(
    qtbot: QtBot, sandbox: Any, tmp_path: Path, button: str
) -> None:
    first, edited = leave_a_draft(qtbot, sandbox, tmp_path)
    theirs = utc(2011, 4, 1, 6, 59)
    sandbox.state.store.execute(
        "UPDATE items SET end = ? WHERE item_id = ?", (format_timestamp(theirs), edited.item_id)
    )
    second = open_window(qtbot, sandbox.url, tmp_path)
    prompt = second.draft_prompt
    assert prompt is not None
    shown = prompt.informativeText()
    assert "clash" in shown and "Quiz 1" in shown and "end date" in shown
    assert "was changed on the server" in shown
    next(b for b in prompt.buttons() if b.text() == button).click()
    item = second.editor.current_schedule().by_id[edited.item_id]
    assert item.end == (theirs if button == "Restore" else edited.end)
    assert second.drafts.store is not None
    tidy(qtbot, second)
    tidy(qtbot, first)
