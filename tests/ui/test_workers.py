"""Background jobs deliver their outcome only while the widget that asked still exists."""

from __future__ import annotations

import threading

import pytest
import shiboken6
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from scheduler_gui.ui.widgets.workers import running_jobs, start_job

pytestmark = pytest.mark.gui
WAIT = 30_000


def test_an_outcome_reaches_a_live_owner_and_is_dropped_for_a_deleted_one(qtbot: QtBot) -> None:
    release = threading.Event()
    labels = [QLabel(), QLabel()]
    for label in labels:
        start_job(
            lambda _p, _c: release.wait(WAIT / 1000) and "answer",
            owner=label,
            on_success=lambda text, label=label: label.setText(
                text
            ),  # a lambda: no auto-disconnect
        )
    alive, doomed = labels
    qtbot.addWidget(alive)
    doomed.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(doomed), timeout=WAIT)
    release.set()  # both jobs answer now; the deleted label's answer must not be delivered
    qtbot.waitUntil(lambda: running_jobs() == 0, timeout=WAIT)
    assert alive.text() == "answer"
