"""The item preview and the activity clock in the app: begun, moved, ended, never left on."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from scheduler_gui.api.clock import ClockTarget, clock_for_client
from scheduler_gui.sandbox import facts
from scheduler_gui.ui.features.activity.preview import ClockDriver, item_link
from scheduler_gui.ui.shell.main_window import MainWindow
from tests.ui.gui_session import features, prof_window, sandbox_client

pytestmark = pytest.mark.gui
DEMO = str(facts.DEMO_COURSE_ID)
PROF = facts.USERS["prof"][0]
HOME, ASSIGNMENT = facts.COURSE_HOME_ID, facts.ASSIGNMENT_1_ID
WAIT = 30_000


def server_clock(sandbox: Any, user_id: int = PROF) -> tuple[int, int] | None:
    row = sandbox.state.store.one(
        "SELECT course_id, item_id FROM clocks WHERE user_id = ?", (user_id,)
    )
    return None if row is None else (int(row["course_id"]), int(row["item_id"]))


def recorded_items(sandbox: Any, user_id: int = PROF) -> list[int]:
    rows = sandbox.state.store.all(
        "SELECT item_id FROM time_on_task WHERE user_id = ? ORDER BY rowid", (user_id,)
    )
    return [int(row["item_id"]) for row in rows]


@pytest.fixture
def window(qtbot: QtBot, sandbox: Any, tmp_path: Path) -> Iterator[MainWindow]:
    """The main window, logged in to the sandbox as prof, with DEMO-101 loaded."""
    with prof_window(qtbot, sandbox.url, tmp_path) as window:
        yield window


def preview(qtbot: QtBot, window: MainWindow, item_id: int) -> None:
    """Select ``item_id`` in the grid and open (or move) the preview there."""
    panel = features(window).preview
    with qtbot.waitSignal(panel.shown, timeout=WAIT):
        window.editor.select_item(item_id)
        if not panel.isVisible():
            window.named_actions["preview_item"].trigger()


def test_preview_shows_the_item_and_starts_the_clock(
    qtbot: QtBot, window: MainWindow, sandbox: Any
) -> None:
    assert server_clock(sandbox) is None
    preview(qtbot, window, HOME)
    panel = features(window).preview
    assert panel.isVisible()
    assert panel.title_label.text() == "Course Home"
    assert panel.type_label.text() == "PAGE"
    assert panel.parent_label.text() == "(top level)"
    assert panel.link_label.text().endswith(f"/courses/{DEMO}/items/{HOME}")
    assert panel.clock_label.text() == "recording"
    qtbot.waitUntil(lambda: server_clock(sandbox) == (facts.DEMO_COURSE_ID, HOME), timeout=WAIT)


def test_moving_to_another_item_restarts_the_clock_there_and_closing_ends_it(
    qtbot: QtBot, window: MainWindow, sandbox: Any
) -> None:
    preview(qtbot, window, HOME)
    qtbot.waitUntil(lambda: server_clock(sandbox) == (facts.DEMO_COURSE_ID, HOME), timeout=WAIT)
    preview(qtbot, window, ASSIGNMENT)  # selecting another row moves the open preview
    panel = features(window).preview
    schedule = window.editor.current_schedule()
    parent = schedule.parent_of(schedule.by_id[ASSIGNMENT])
    assert parent is not None
    assert (panel.title_label.text(), panel.parent_label.text()) == ("Assignment 1", parent.title)
    assert panel.type_label.text() == "ASSIGNMENT"
    qtbot.waitUntil(
        lambda: server_clock(sandbox) == (facts.DEMO_COURSE_ID, ASSIGNMENT), timeout=WAIT
    )
    panel.close()
    qtbot.waitUntil(lambda: server_clock(sandbox) is None, timeout=WAIT)
    assert recorded_items(sandbox) == [HOME, ASSIGNMENT]  # no endping between the items


def test_closing_the_window_ends_the_clock(qtbot: QtBot, window: MainWindow, sandbox: Any) -> None:
    preview(qtbot, window, HOME)
    qtbot.waitUntil(lambda: server_clock(sandbox) is not None, timeout=WAIT)
    assert window.close()
    assert server_clock(sandbox) is None  # ended before close() returned: nothing later runs
    assert recorded_items(sandbox) == [HOME]
    assert features(window).driver is None


def test_quitting_the_app_ends_the_clock(qtbot: QtBot, window: MainWindow, sandbox: Any) -> None:
    preview(qtbot, window, HOME)
    qtbot.waitUntil(lambda: server_clock(sandbox) is not None, timeout=WAIT)
    app = QApplication.instance()
    assert app is not None
    app.aboutToQuit.emit()  # what QApplication.quit() sends before the event loop ends
    assert server_clock(sandbox) is None


def test_logout_ends_the_clock(qtbot: QtBot, window: MainWindow, sandbox: Any) -> None:
    preview(qtbot, window, ASSIGNMENT)
    qtbot.waitUntil(lambda: server_clock(sandbox) is not None, timeout=WAIT)
    features(window).end_session()
    assert server_clock(sandbox) is None
    assert not features(window).preview.isVisible()


def test_endping_without_a_running_clock_is_not_shown_as_a_failure(
    qtbot: QtBot, window: MainWindow, sandbox: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO", logger="scheduler_gui.api.activity")
    preview(qtbot, window, HOME)
    qtbot.waitUntil(lambda: server_clock(sandbox) is not None, timeout=WAIT)
    sandbox.advance_clock(facts.CLOCK_LIFETIME + 60)  # the server let the clock run out
    driver = features(window).driver
    assert driver is not None
    with qtbot.assertNotEmitted(driver.failed):
        features(window).preview.close()
        driver.close().result(timeout=WAIT / 1000)  # after the preview's own endping
        QApplication.processEvents()  # deliver any queued report from the clock thread
    assert "not being recorded" not in window.statusBar().currentMessage()
    assert "no activity clock was running" in caplog.text


def test_no_preview_no_clock(window: MainWindow, sandbox: Any) -> None:
    window.editor.select_item(HOME)
    assert window.named_actions["preview_item"].isEnabled()
    assert server_clock(sandbox) is None  # selecting alone records nothing
    assert features(window).driver is None


# ---------------------------------------------------------------------- the clock driver


class FakeTime:
    def __init__(self) -> None:
        self.value = 0.0

    def __call__(self) -> float:
        return self.value


@pytest.fixture
def driven(qtbot: QtBot, sandbox: Any) -> Iterator[tuple[ClockDriver, FakeTime]]:
    now = FakeTime()
    client = sandbox_client(sandbox.url)
    driver = ClockDriver(clock_for_client(client, now=now))
    yield driver, now
    driver.shutdown()
    client.close()


def test_idle_timeout_ends_the_clock_and_input_resumes_it(
    qtbot: QtBot, driven: tuple[ClockDriver, FakeTime], sandbox: Any
) -> None:
    driver, now = driven
    driver.open(DEMO, HOME).result(timeout=WAIT / 1000)
    assert server_clock(sandbox) == (facts.DEMO_COURSE_ID, HOME)
    now.value += 9 * 60
    driver.tick().result(timeout=WAIT / 1000)
    assert server_clock(sandbox) is not None
    now.value += 60  # ten minutes without input
    with qtbot.waitSignal(driver.went_idle, timeout=WAIT):
        driver.tick()
    assert server_clock(sandbox) is None
    assert driver.clock.viewing == ClockTarget(DEMO, HOME)
    field = QLineEdit()
    qtbot.addWidget(field)
    field.show()
    with qtbot.waitSignal(driver.resumed, timeout=WAIT):
        qtbot.keyClick(field, Qt.Key.Key_A)  # the user is back
    assert server_clock(sandbox) == (facts.DEMO_COURSE_ID, HOME)
    driver.stop()
    assert server_clock(sandbox) is None


def test_a_failed_beginping_is_reported_not_raised(qtbot: QtBot, sandbox: Any) -> None:
    client = sandbox_client(sandbox.url, "admin")  # administrators may not track time
    driver = ClockDriver(clock_for_client(client))
    try:
        with qtbot.waitSignal(driver.failed, timeout=WAIT) as caught:
            driver.open(DEMO, HOME)
        assert caught.args[0].startswith("Time on task is not being recorded:")
        assert driver.clock.running is None
    finally:
        driver.shutdown()
        client.close()


def test_item_link_prefers_the_self_link() -> None:
    assert (
        item_link({"links": [{"href": "a", "rel": "parent"}, {"href": "b", "rel": "self"}]}) == "b"
    )
    assert item_link({"links": [{"href": "a", "rel": "related"}]}) == "a"
    assert item_link({"url": "u"}) == "u"
    assert item_link({}) == ""
