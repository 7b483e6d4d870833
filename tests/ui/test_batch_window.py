"""Course → Term rollover…: the Batch window on real widgets against the sandbox's term.

Check shows per-course preview counts (and problems, writing nothing); Run writes with
the table following each course; Cancel lets running courses finish and stops the rest;
an interrupted batch is offered and resumed without shifting any course twice.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget
from pytestqt.qtbot import QtBot

from scheduler_gui.api.client import LearningStudioClient
from scheduler_gui.io.rollover_plan import COLUMNS, write_template
from scheduler_gui.ui.features.batch.window import BatchWindow
from scheduler_gui.ui.shell.main_window import MainWindow
from scheduler_gui.ui.widgets.workers import running_jobs
from tests.ui.gui_session import sandbox_client

pytestmark = pytest.mark.gui
DENVER = ZoneInfo("America/Denver")
SECTIONS = 6
COURSES = [str(700001 + n) for n in range(SECTIONS)]
TIMEOUT = 60_000


@pytest.fixture
def term(sandbox: Any) -> Any:
    sandbox.add_sections(SECTIONS)
    return sandbox


@pytest.fixture
def client(term: Any) -> Iterator[LearningStudioClient]:
    with sandbox_client(term.url) as session:
        yield session


def open_batch(qtbot: QtBot, client: LearningStudioClient) -> BatchWindow:
    window = BatchWindow(client, DENVER, lambda _course: None, confirm=lambda *_: True)
    qtbot.addWidget(window, before_close_func=lambda _w: wait_idle(qtbot))
    window.show()
    return window


def wait_idle(qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: running_jobs() == 0, timeout=TIMEOUT)


def revisions(term: Any) -> dict[str, int]:
    """How many PUTs each section took (the seed is revision 1)."""
    rows = term.state.store.all(
        "SELECT course_id, revision FROM courses WHERE course_id BETWEEN 700001 AND 700999"
    )
    return {str(row[0]): int(row[1]) - 1 for row in rows}


def list_courses(window: BatchWindow, text: str, days: int = 7) -> None:
    window.form.use_courses.click()
    window.form.courses.setFocus()
    QTest.keyClicks(window.form.courses, text)
    window.form.days.setValue(days)


def check(qtbot: QtBot, window: BatchWindow) -> None:
    QTest.mouseClick(window.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.check_button.isEnabled(), timeout=TIMEOUT)


def cells(window: BatchWindow, column: int) -> list[str]:
    model = window.model
    return [str(model.index(row, column).data()) for row in range(model.rowCount())]


def test_check_shows_each_course_and_every_problem_and_writes_nothing(
    qtbot: QtBot, term: Any, client: LearningStudioClient
) -> None:
    window = open_batch(qtbot, client)
    list_courses(window, "700001, 700002; 999999 234567 ccn=TERM-0003")
    check(qtbot, window)
    assert cells(window, 0) == ["700001", "700002", "999999", "234567", "ccn=TERM-0003 (700003)"]
    assert cells(window, 1)[:2] == ["12", "12"] and cells(window, 2)[:2] == ["27", "27"]
    assert cells(window, 3) == ["ready", "ready", "problem", "problem", "ready"]
    assert "no such course" in cells(window, 4)[2] and "not allowed" in cells(window, 4)[3]
    assert "Nothing can be written: 2 course(s) have problems" in window.summary.text()
    assert not window.run_button.isEnabled()
    assert set(revisions(term).values()) == {0}


def test_bad_inputs_are_named_before_any_request(
    qtbot: QtBot, term: Any, client: LearningStudioClient
) -> None:
    window = open_batch(qtbot, client)
    list_courses(window, "700001 DEMO-101")
    window.form.zone.setText("Mars/Olympus")
    QTest.mouseClick(window.check_button, Qt.MouseButton.LeftButton)
    text = window.summary.text()
    assert "'DEMO-101' is not a course" in text and "Unknown time zone 'Mars/Olympus'" in text
    assert window.model.rowCount() == 0 and running_jobs() == 0


def test_run_writes_every_course_and_the_table_follows(
    qtbot: QtBot, term: Any, client: LearningStudioClient
) -> None:
    window = open_batch(qtbot, client)
    list_courses(window, " ".join(COURSES))
    window.form.jobs.setValue(3)
    check(qtbot, window)
    assert window.run_button.isEnabled()
    assert f"{SECTIONS} course(s) ready to write: 72 item(s) change." in window.summary.text()
    with qtbot.waitSignal(window.batch_finished, timeout=TIMEOUT):
        QTest.mouseClick(window.run_button, Qt.MouseButton.LeftButton)
    assert cells(window, 3) == ["verified"] * SECTIONS
    assert all(detail.startswith("backup: ") for detail in cells(window, 4))
    assert window.progress.value() == SECTIONS
    assert window.summary.text().startswith(f"{SECTIONS} verified.")
    assert revisions(term) == dict.fromkeys(COURSES, 1)
    assert not window.resume_bar.isVisible()  # nothing left to resume


def test_cancel_lets_running_courses_finish_then_resume_finishes_the_rest_once(
    qtbot: QtBot, term: Any, client: LearningStudioClient
) -> None:
    term.set_faults("latency=0.15@PUT")
    window = open_batch(qtbot, client)
    list_courses(window, " ".join(COURSES))
    window.form.jobs.setValue(1)
    check(qtbot, window)
    finished = qtbot.waitSignal(window.batch_finished, timeout=TIMEOUT)
    with finished:
        QTest.mouseClick(window.run_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "writing…" in cells(window, 3), timeout=TIMEOUT)
        QTest.mouseClick(window.cancel_button, Qt.MouseButton.LeftButton)
    statuses = cells(window, 3)
    written = [c for c, s in zip(COURSES, statuses, strict=True) if s == "verified"]
    assert 1 <= len(written) < SECTIONS  # the running one finished its verify
    assert all(s in ("verified", "not started", "stopped: not written") for s in statuses)
    assert revisions(term) == {c: int(c in written) for c in COURSES}
    assert "Check again (or Resume) to finish" in window.summary.text()
    term.clear_faults()

    again = open_batch(qtbot, client)  # a new window finds the interrupted batch
    assert again.resume_bar.isVisible()
    assert f"{len(written)} of {SECTIONS} courses done" in again.resume_label.text()
    QTest.mouseClick(again.resume_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: again.check_button.isEnabled(), timeout=TIMEOUT)
    assert cells(again, 3).count("already done (earlier run)") == len(written)
    with qtbot.waitSignal(again.batch_finished, timeout=TIMEOUT):
        QTest.mouseClick(again.run_button, Qt.MouseButton.LeftButton)
    assert revisions(term) == dict.fromkeys(COURSES, 1)  # every section shifted once


def test_a_plan_file_gives_each_course_its_own_shift(
    qtbot: QtBot, term: Any, client: LearningStudioClient, tmp_path: Path
) -> None:
    path = write_template(tmp_path / "plan.xlsx")
    book = openpyxl.load_workbook(path)
    rows: list[dict[str, object]] = [
        {"Course": "700001", "Days": 7},
        {"Course": "700002", "To start": datetime(2012, 1, 9)},
        {"Course": "700003"},  # no shift: named by its cell
    ]
    for number, values in enumerate(rows, start=2):
        for name, value in values.items():
            book["Plan"].cell(number, COLUMNS.index(name) + 1).value = value
    book.save(path)
    window = open_batch(qtbot, client)
    window.form.plan_path.setText(str(path))
    QTest.mouseClick(window.check_button, Qt.MouseButton.LeftButton)
    assert "Plan!B4: Days: no shift given" in window.summary.text()
    book["Plan"].cell(4, COLUMNS.index("Days") + 1).value = -7
    book.save(path)
    check(qtbot, window)
    assert cells(window, 0) == ["700001", "700002", "700003"]
    assert cells(window, 3) == ["ready"] * 3


def test_course_menu_opens_the_batch_window(window: MainWindow, qtbot: QtBot) -> None:
    action = window.features.batch.action
    assert action.text() == "Term &rollover…"
    course_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Course")
    assert action in course_menu.actions()
    action.trigger()
    batch = window.features.batch.window
    assert batch is not None and batch.isVisible() and batch.windowTitle() == "Term rollover"
    batch.close()


def type_over(field: Any, text: str) -> None:
    field.setFocus()
    field.selectAll()
    QTest.keyClicks(field, text)
    QTest.keyClick(field, Qt.Key.Key_Tab)


def test_a_new_start_typed_over_the_old_year_is_the_day_typed(
    qtbot: QtBot, term: Any, client: LearningStudioClient
) -> None:
    window = open_batch(qtbot, client)
    list_courses(window, "700001")
    form = window.form
    form.mode.setCurrentIndex(form.mode.findData("to_start"))
    form.to_start.setDate(datetime(2011, 1, 10).date())
    type_over(form.to_start, "2012-01-09")
    orders, _, _ = form.orders()
    assert orders[0].to_start == datetime(2012, 1, 9).date()


def test_a_day_that_is_not_a_day_is_named_and_nothing_is_checked(
    qtbot: QtBot, term: Any, client: LearningStudioClient
) -> None:
    window = open_batch(qtbot, client)
    list_courses(window, "700001")
    form = window.form
    form.mode.setCurrentIndex(form.mode.findData("fit"))
    type_over(form.fit[2], "2012-02-30")
    QTest.mouseClick(window.check_button, Qt.MouseButton.LeftButton)
    assert window.summary.text() == 'Shift: New term start: "2012-02-30" is not a date'
    assert window.model.rowCount() == 0 and running_jobs() == 0


def test_the_shift_label_is_a_keyboard_shortcut_to_how_to_shift(
    qtbot: QtBot, term: Any, client: LearningStudioClient
) -> None:
    window = open_batch(qtbot, client)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    list_courses(window, "700001")  # focus in the course list, as after typing them
    QTest.keyClick(window.form.courses, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    assert window.form.mode.hasFocus()


def test_every_alt_key_of_the_window_leads_to_one_control(
    qtbot: QtBot, term: Any, client: LearningStudioClient
) -> None:
    window = open_batch(qtbot, client)
    window.resume_button.show()  # shown when an interrupted batch is found
    keys: dict[str, list[str]] = {}
    for widget in window.findChildren(QWidget):
        text = widget.text() if isinstance(widget, QAbstractButton | QLabel) else ""
        found = re.search(r"&([^&\s])", text or "")
        if found and (not isinstance(widget, QLabel) or widget.buddy() is not None):
            keys.setdefault(found.group(1).lower(), []).append(text)
    assert len(keys) >= 12
    assert {key: texts for key, texts in keys.items() if len(texts) > 1} == {}
