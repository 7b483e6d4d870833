"""Unsaved edits survive: autosaved drafts, offered back on the next open, even after SIGKILL."""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from scheduler_gui.app import DEMO_SERVER_ID, AppFlow
from scheduler_gui.core.times import format_timestamp
from scheduler_gui.store.drafts import DraftStore
from scheduler_gui.ui.shell.main_window import MainWindow
from tests.ui.gui_session import (
    LOAD_TIMEOUT,
    first_explicit,
    one_day_later,
    open_window,
    server_schedule,
    tidy,
)

pytestmark = pytest.mark.gui


def draft_path(window: MainWindow) -> Path:
    return window.draft_store.path_for("123456")


def edit_and_wait_for_draft(qtbot: QtBot, window: MainWindow) -> Any:
    quiz = first_explicit(window.editor.current_schedule(), "Quiz 1")
    edited = one_day_later(quiz)
    with qtbot.waitSignal(window.drafts.written, timeout=LOAD_TIMEOUT):
        window.editor.apply_items([edited], "mine")
    return edited


def test_edits_are_autosaved_and_offered_back_in_a_new_window(
    qtbot: QtBot, sandbox: Any, tmp_path: Path
) -> None:
    first = open_window(qtbot, sandbox.url, tmp_path)
    edited = edit_and_wait_for_draft(qtbot, first)
    assert draft_path(first).is_file()
    first.hide()  # "crash": the window never saved

    second = open_window(qtbot, sandbox.url, tmp_path)
    prompt = second.draft_prompt
    assert prompt is not None and prompt.isVisible()
    assert "1 item" in prompt.text()
    assert not second.has_unsaved_changes()  # nothing applied before the user says so
    restore = next(b for b in prompt.buttons() if b.text() == "Restore")
    restore.click()
    assert second.editor.current_schedule().by_id[edited.item_id].end == edited.end
    assert second.has_unsaved_changes() and second.isWindowModified()
    tidy(qtbot, second)
    tidy(qtbot, first)


def test_discarding_the_offered_draft_deletes_it(
    qtbot: QtBot, sandbox: Any, tmp_path: Path
) -> None:
    first = open_window(qtbot, sandbox.url, tmp_path)
    edit_and_wait_for_draft(qtbot, first)
    first.hide()
    second = open_window(qtbot, sandbox.url, tmp_path)
    prompt = second.draft_prompt
    assert prompt is not None
    next(b for b in prompt.buttons() if b.text() == "Discard").click()
    assert not second.has_unsaved_changes()
    assert not draft_path(second).exists()
    tidy(qtbot, second)
    tidy(qtbot, first)


def test_a_verified_save_removes_the_draft(qtbot: QtBot, sandbox: Any, tmp_path: Path) -> None:
    window = open_window(qtbot, sandbox.url, tmp_path)
    edit_and_wait_for_draft(qtbot, window)
    window.save()
    assert window.save_flow is not None and window.save_flow.dialog is not None
    dialog = window.save_flow.dialog
    with qtbot.waitSignal(window.saved, timeout=LOAD_TIMEOUT):
        dialog.save_button.click()
    qtbot.waitUntil(lambda: not window.drafts.busy)
    assert not draft_path(window).exists()
    dialog.close_button.click()
    tidy(qtbot, window)


def test_undoing_every_edit_removes_the_draft(qtbot: QtBot, sandbox: Any, tmp_path: Path) -> None:
    window = open_window(qtbot, sandbox.url, tmp_path)
    edit_and_wait_for_draft(qtbot, window)
    window.undo_stack.undo()
    window.drafts.flush()
    qtbot.waitUntil(lambda: not draft_path(window).exists(), timeout=LOAD_TIMEOUT)
    tidy(qtbot, window)


@pytest.mark.slow
def test_sigkill_one_second_after_an_edit_then_restart_restores_every_edit(
    qtbot: QtBot, sandbox: Any, tmp_path: Path
) -> None:
    # Two edits of different kinds, made by the real app process (--apply-edits).
    course = server_schedule(sandbox.url)
    quiz = first_explicit(course, "Quiz 1")
    inherited = next(item for item in course.items if item.is_inherited)
    new_end = one_day_later(quiz).end
    assert new_end is not None
    edits = [
        {"item": quiz.item_id, "field": "end", "value": format_timestamp(new_end)},
        {"item": inherited.item_id, "field": "can_access_after_end",
         "value": not inherited.can_access_after_end},
    ]  # fmt: skip
    edits_file = tmp_path / "edits.json"
    edits_file.write_text(json.dumps(edits))
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    app = subprocess.Popen(
        [sys.executable, "-m", "scheduler_gui", "--demo", "--apply-edits", str(edits_file)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    applied = threading.Event()

    def watch() -> None:
        assert app.stdout is not None
        for line in app.stdout:
            if line.startswith("edits applied"):
                applied.set()

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        assert applied.wait(120), "the app never made the edits"
        time.sleep(1.0)  # a crash one second after the edit, whatever the app did meanwhile
    finally:
        app.send_signal(signal.SIGKILL)
        app.wait(30)
        watcher.join(10)
        if app.stdout is not None:
            app.stdout.close()
    assert app.returncode == -signal.SIGKILL
    assert DraftStore(base_url=DEMO_SERVER_ID).load("123456") is not None

    # Restart (the same start-up path as the app, in this process) and restore.
    flow = AppFlow(build_args("--demo"))
    qtbot.addWidget(flow.window)
    with qtbot.waitSignal(flow.window.course_loaded, timeout=LOAD_TIMEOUT):
        flow.start()
    try:
        prompt = flow.window.draft_prompt
        assert prompt is not None and prompt.isVisible()
        assert "2 items" in prompt.text()
        next(b for b in prompt.buttons() if b.text() == "Restore").click()
        current = flow.window.editor.current_schedule().by_id
        assert current[quiz.item_id].end == one_day_later(quiz).end
        assert current[inherited.item_id].can_access_after_end != inherited.can_access_after_end
        assert current[inherited.item_id].is_inherited  # a flag edit keeps it inheriting
        assert flow.window.edited_ids() == {quiz.item_id, inherited.item_id}
    finally:
        tidy(qtbot, flow.window)
        flow.shutdown()


def build_args(*argv: str) -> argparse.Namespace:
    from scheduler_gui.app import build_parser

    return build_parser().parse_args(list(argv))


def test_opening_another_course_keeps_the_edits_as_a_draft(
    qtbot: QtBot, sandbox: Any, tmp_path: Path
) -> None:
    window = open_window(qtbot, sandbox.url, tmp_path)
    quiz = first_explicit(window.editor.current_schedule(), "Quiz 1")
    window.editor.apply_items([one_day_later(quiz)], "mine")  # no pause: no autosave yet
    with qtbot.waitSignal(window.course_loaded, timeout=LOAD_TIMEOUT):
        window.open_course("123457")  # the other section
    assert "kept as a draft" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: not window.drafts.busy, timeout=LOAD_TIMEOUT)
    assert draft_path(window).is_file()
    with qtbot.waitSignal(window.course_loaded, timeout=LOAD_TIMEOUT):
        window.open_course("123456")
    prompt = window.draft_prompt
    assert prompt is not None and prompt.isVisible()
    next(b for b in prompt.buttons() if b.text() == "Restore").click()
    assert window.editor.current_schedule().by_id[quiz.item_id].end == one_day_later(quiz).end
    tidy(qtbot, window)


def test_undo_after_restoring_a_draft_steps_back_to_the_server_state(
    qtbot: QtBot, sandbox: Any, tmp_path: Path
) -> None:
    first = open_window(qtbot, sandbox.url, tmp_path)
    edited = edit_and_wait_for_draft(qtbot, first)
    first.hide()
    second = open_window(qtbot, sandbox.url, tmp_path)
    prompt = second.draft_prompt
    assert prompt is not None
    server = second.editor.current_schedule()
    QTest.mouseClick(
        next(b for b in prompt.buttons() if b.text() == "Restore"), Qt.MouseButton.LeftButton
    )
    assert second.editor.current_schedule().by_id[edited.item_id].end == edited.end
    undo = second.named_actions["undo"]
    assert undo.isEnabled() and "Restore unsaved changes" in undo.text()
    second.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is second)
    QTest.keySequence(second, QKeySequence(QKeySequence.StandardKey.Undo))
    assert second.editor.current_schedule() == server
    assert not second.has_unsaved_changes()
    QTest.keySequence(second, QKeySequence("Ctrl+Y"))  # and Redo brings it back
    assert second.editor.current_schedule().by_id[edited.item_id].end == edited.end
    assert second.edited_ids() == {edited.item_id}
    tidy(qtbot, second)
    tidy(qtbot, first)
