"""The main window against a misbehaving sandbox: slow, refusing, dropping, expiring.

Each fault comes from the sandbox's own fault injection (``sandbox.set_faults``); the
window is the real one, logged in through the login dialog's code path. What the user
sees is asserted, and the server's state proves what was (not) written.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, QTimer
from pytestqt.qtbot import QtBot

from scheduler_gui.api.save import SaveOutcomeUnknownError, VerificationFailedError
from scheduler_gui.store.backups import BackupStore
from scheduler_gui.ui.dialogs.log_viewer import LogViewer
from scheduler_gui.ui.dialogs.login import LoginForm, connect
from scheduler_gui.ui.save.dialog import SaveDialog, failure_text
from scheduler_gui.ui.shell.main_window import MainWindow
from scheduler_gui.ui.widgets.workers import running_jobs
from tests.ui.gui_session import (
    LOAD_TIMEOUT,
    first_explicit,
    one_day_later,
    server_schedule,
    tidy,
    visible_dialogs,
)

pytestmark = pytest.mark.gui

SLOW = 2  # seconds of injected latency: long enough to act while a request hangs


@pytest.fixture
def window(qtbot: QtBot, sandbox: Any, tmp_path: Path) -> Iterator[MainWindow]:
    # Not registered with qtbot.addWidget: pytest-qt closes and deleteLater()s registered
    # widgets before fixture teardown, and tidy() spins the event loop while a job is
    # still running (a draft write, an abandoned request), which would delete the window
    # under it. This fixture closes the window itself, after tidying.
    settings = QSettings(str(tmp_path / "gui.ini"), QSettings.Format.IniFormat)
    win = MainWindow(settings)
    form = LoginForm(sandbox.url, "sandbox", "sandbox-app", "prof", "prof", remember=False)
    session = connect(form)
    win.set_client(session.client, session.label)
    win.show()
    with qtbot.waitSignal(win.course_loaded, timeout=LOAD_TIMEOUT):
        win.open_course("123456", time_zone="America/Denver")
    yield win
    sandbox.clear_faults()
    tidy(qtbot, win)
    win.close()
    win.deleteLater()


def edit_quiz(window: MainWindow) -> Any:
    edited = one_day_later(first_explicit(window.editor.current_schedule(), "Quiz 1"))
    assert window.editor.apply_items([edited], "Quiz 1 a day later")
    return edited


def start_save(qtbot: QtBot, window: MainWindow) -> SaveDialog:
    window.save()
    assert window.save_flow is not None and window.save_flow.dialog is not None
    dialog = window.save_flow.dialog
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 1)  # the progress page
    return dialog


def wait_for_result(qtbot: QtBot, dialog: SaveDialog) -> str:
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 2, timeout=LOAD_TIMEOUT)
    return dialog.result_text.text()


class Ticker:
    """Counts timer ticks on the GUI thread: proof the event loop keeps running."""

    def __init__(self) -> None:
        self.ticks = 0
        self.timer = QTimer()
        self.timer.setInterval(20)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        self.ticks += 1


def test_slow_load_shows_progress_stays_responsive_and_can_be_cancelled(
    qtbot: QtBot, window: MainWindow, sandbox: Any
) -> None:
    before = window.editor.current_schedule()
    loaded: list[str] = []
    window.course_loaded.connect(loaded.append)
    sandbox.set_faults(f"latency={SLOW}@GET:/itemschedules")
    ticker = Ticker()
    window.discard_edits_and_reload()

    # Progress: the step and a bar in the status bar, and a way out.
    qtbot.waitUntil(lambda: "item schedules" in window.statusBar().currentMessage())
    assert window.status.load_progress.isVisible() and window.status.load_progress.value() == 2
    assert window.status.cancel_load_button.isVisible()
    assert not window.named_actions["open"].isEnabled()  # one load at a time

    # Responsive: the event loop runs and the window does what it is asked meanwhile.
    qtbot.waitUntil(lambda: ticker.ticks >= 3)
    window.named_actions["show_log"].trigger()
    viewers = visible_dialogs(LogViewer)
    assert viewers
    viewers[0].close()

    window.status.cancel_load_button.click()
    assert window.load_job is None and not window.status.cancel_load_button.isVisible()
    assert window.statusBar().currentMessage() == "Loading cancelled."
    assert window.named_actions["open"].isEnabled()
    assert window.editor.current_schedule() == before  # the course shown is kept

    # The abandoned request ends later; its answer is dropped, not shown.
    qtbot.waitUntil(lambda: running_jobs() == 0, timeout=LOAD_TIMEOUT)
    assert loaded == [] and window.editor.current_schedule() == before
    ticker.timer.stop()

    sandbox.clear_faults()  # the server is quick again: loading works as before
    with qtbot.waitSignal(window.course_loaded, timeout=LOAD_TIMEOUT):
        window.open_course("123456")
    assert loaded == ["123456"]


def test_slow_save_shows_its_steps_and_cancel_sends_nothing(
    qtbot: QtBot, window: MainWindow, sandbox: Any
) -> None:
    before = server_schedule(sandbox.url)
    edited = edit_quiz(window)
    sandbox.set_faults(f"latency={SLOW}@GET:/itemschedules")
    dialog = start_save(qtbot, window)
    qtbot.waitUntil(lambda: "Reading the course" in dialog.step.text())
    assert dialog.progress.maximum() > 0 and dialog.cancel_button.isEnabled()
    dialog.cancel_button.click()
    assert "Cancelling" in dialog.step.text()
    text = wait_for_result(qtbot, dialog)
    assert "Not saved." in text and "cancelled before anything was sent" in text
    sandbox.clear_faults()
    assert server_schedule(sandbox.url) == before
    assert window.editor.current_schedule().by_id[edited.item_id].end == edited.end
    assert window.has_unsaved_changes()
    assert BackupStore(base_url=sandbox.url).for_course("123456") == []
    dialog.close_button.click()


def test_a_put_that_never_arrives_says_nothing_changed(
    qtbot: QtBot, window: MainWindow, sandbox: Any
) -> None:
    before = server_schedule(sandbox.url)
    edit_quiz(window)
    sandbox.set_faults("drop=10@PUT")  # every try of the PUT: socket closed, not applied
    dialog = start_save(qtbot, window)
    text = wait_for_result(qtbot, dialog)
    assert "Not saved." in text and "nothing changed" in text
    assert server_schedule(sandbox.url) == before and window.has_unsaved_changes()
    assert window.draft_store.load("123456") is not None  # the edits survive a restart too
    dialog.close_button.click()


def test_a_put_whose_answer_is_lost_is_verified_by_reading_back(
    qtbot: QtBot, window: MainWindow, sandbox: Any
) -> None:
    edited = edit_quiz(window)
    sandbox.set_faults("drop_after=10@PUT")  # applied, then the socket closes unanswered
    with qtbot.waitSignal(window.saved, timeout=LOAD_TIMEOUT):
        dialog = start_save(qtbot, window)
    text = wait_for_result(qtbot, dialog)
    assert "Saved." in text and "1 item changed" in text
    assert "connection failed after sending, but the server has every change" in text
    assert server_schedule(sandbox.url).by_id[edited.item_id].end == edited.end
    assert not window.has_unsaved_changes()
    dialog.close_button.click()


def test_outcomes_after_a_put_are_never_called_not_saved() -> None:
    unknown = failure_text(SaveOutcomeUnknownError(Path("/backups/b.json")))
    mismatch = failure_text(VerificationFailedError([], Path("/backups/b.json")))
    assert "Not saved" not in unknown and "may or may not have your changes" in unknown
    assert "Not saved" not in mismatch and "stored something else" in mismatch


def test_an_error_storm_while_loading_ends_in_a_clear_message(
    qtbot: QtBot, window: MainWindow, sandbox: Any
) -> None:
    sandbox.set_faults("status503=50@GET,retry_after=0")
    with qtbot.waitSignal(window.load_failed, timeout=LOAD_TIMEOUT) as failed:
        window.discard_edits_and_reload()
    message = failed.args[0]
    assert "try again" in message.lower() and "Traceback" not in message
    assert sandbox.faults()[0]["remaining"] == 46  # four tries, then it gave up
    assert window.named_actions["open"].isEnabled() and window.load_job is None


def test_an_expired_token_mid_session_is_renewed_silently(
    qtbot: QtBot, window: MainWindow, sandbox: Any
) -> None:
    sandbox.expire_tokens()
    edited = edit_quiz(window)
    dialog = start_save(qtbot, window)
    text = wait_for_result(qtbot, dialog)
    assert "Saved." in text
    assert server_schedule(sandbox.url).by_id[edited.item_id].end == edited.end
    dialog.close_button.click()


def test_an_unwritable_backup_folder_means_no_put(
    qtbot: QtBot, window: MainWindow, sandbox: Any, tmp_path: Path
) -> None:
    before = server_schedule(sandbox.url)
    (tmp_path / "in-the-way").write_text("a file where the folder should be")
    window.backups = BackupStore(tmp_path / "in-the-way" / "backups")
    edit_quiz(window)
    dialog = start_save(qtbot, window)
    text = wait_for_result(qtbot, dialog)
    assert "Not saved." in text and "backup" in text
    assert server_schedule(sandbox.url) == before and window.has_unsaved_changes()
    dialog.close_button.click()


@pytest.mark.parametrize(
    ("storm", "said"),
    [
        ("status503=50@PUT", "nothing changed"),  # re-read: the server has the old state
        ("status429=50@PUT", "limiting requests"),
    ],
)
def test_an_error_storm_during_the_put_ends_in_a_clear_not_saved(
    qtbot: QtBot, window: MainWindow, sandbox: Any, storm: str, said: str
) -> None:
    before = server_schedule(sandbox.url)
    edit_quiz(window)
    sandbox.set_faults(f"{storm},retry_after=0")
    dialog = start_save(qtbot, window)
    text = wait_for_result(qtbot, dialog)
    assert "Not saved." in text and said in text
    assert sandbox.faults()[0]["remaining"] == 46  # four tries, then it told the user
    assert server_schedule(sandbox.url) == before and window.has_unsaved_changes()
    dialog.close_button.click()
