"""The window never freezes while it loads and saves the 10,000-item course.

A 10 ms ``QTimer`` ticks on the GUI thread the whole time (:class:`benchmarks.gaps.
GapMeter`); a gap between two ticks is a stretch in which the window could not react to
the user (repaint, click, Cancel). It does not measure throughput, only that no single
step of the load or the save holds the event loop.

What a gap is charged to the app: the smaller of its wall-clock length and the CPU time
this whole process (GUI thread and workers: a worker holding the GIL stalls the GUI
too) used during it. On a machine saturated by other processes the scheduler may keep
us off the CPU although the app holds nothing; that time is not the app's. The process
cannot have held its event loop for longer than it ran, so this never excuses a real
freeze. Not ``time.thread_time()`` of the GUI thread alone: that would miss a worker
holding the GIL.

The bound here is a real freeze (:data:`FREEZE`, a quarter of a second), not the
100 ms target of issues 9 and 20: on a busy machine a paint of the grid that has to
wait for the GIL between its Python calls while a worker computes (the save's
validation and JSON) stretches past 100 ms although no step holds the loop for long,
and a shared CI machine must not block a landing for that. The 100 ms target is held by
``python -m benchmarks startup``, which reports the longest gap of the first and a warm
load and save, each in a fresh process.

The sandbox runs in its own process, as a real server would: in this process its work
(rendering a 3.6 MB answer is one long C call) would hold the GIL and stall the GUI
thread for reasons that have nothing to do with the app.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from benchmarks.gaps import GapMeter
from scheduler_gui.ui.dialogs.login import LoginForm, connect
from scheduler_gui.ui.shell.main_window import MainWindow
from tests.ui.gui_session import LOAD_TIMEOUT, server_schedule, tidy

pytestmark = [pytest.mark.gui, pytest.mark.slow]

BIG = "900000"
FREEZE = 0.250  # seconds: a gap this long is a frozen window (the target is 100 ms)


@pytest.fixture(scope="module")
def server_url() -> Iterator[str]:
    """``schedctl sandbox`` in a separate process; its base URL."""
    schedctl = Path(sys.executable).parent / "schedctl"
    process = subprocess.Popen(
        [str(schedctl), "sandbox", "--port", "0"], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    try:
        assert line.startswith("Sandbox listening on "), line
        yield line.split()[-1]
    finally:
        process.terminate()
        process.wait(10)
        process.stdout.close()


@pytest.fixture
def window(qtbot: QtBot, server_url: str, tmp_path: Path) -> Iterator[MainWindow]:
    settings = QSettings(str(tmp_path / "gui.ini"), QSettings.Format.IniFormat)
    win = MainWindow(settings)
    # Tidied before pytest-qt closes and deletes it, which precedes fixture teardown.
    qtbot.addWidget(win, before_close_func=lambda w: tidy(qtbot, w))
    session = connect(LoginForm(server_url, "sandbox", "sandbox-app", "prof", "prof", False))
    win.set_client(session.client, session.label)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    yield win


def test_loading_and_saving_the_big_course_never_freezes_the_window(
    qtbot: QtBot, window: MainWindow, server_url: str
) -> None:
    meter = GapMeter()

    with meter.measuring():
        with qtbot.waitSignal(window.course_loaded, timeout=LOAD_TIMEOUT):
            window.open_course(BIG, time_zone="America/Denver")
        qtbot.wait(50)  # the first paint of the grid happens after the signal
    load_gap, load_ticks, load_report = meter.longest, meter.ticks, meter.report()
    assert len(window.editor.current_schedule()) == 10_000

    # A bulk edit of one item in ten (an edit is the user's action, not part of the save).
    items = window.editor.current_schedule().items
    edited = [
        i.with_dates(end=i.end + timedelta(hours=1)) for i in items[::10] if i.end is not None
    ]
    assert window.editor.apply_items(edited, "Ends an hour later")

    with meter.measuring():
        window.save()
        dialog = window.save_flow.dialog if window.save_flow is not None else None
        assert dialog is not None and dialog.save_button.isEnabled()
        with qtbot.waitSignal(window.saved, timeout=LOAD_TIMEOUT):
            dialog.save_button.click()
        qtbot.wait(50)
    save_gap, save_ticks, save_report = meter.longest, meter.ticks, meter.report()

    # The save went through and the window shows the saved state.
    assert not window.has_unsaved_changes()
    stored = server_schedule(server_url, BIG).by_id
    assert all(stored[item.item_id].end == item.end for item in edited)

    # The timer kept ticking all along (so the event loop ran), with no long hold.
    assert load_ticks > 5 and save_ticks > 5
    assert load_gap < FREEZE, f"loading held the event loop for {load_report}"
    assert save_gap < FREEZE, f"saving held the event loop for {save_report}"
