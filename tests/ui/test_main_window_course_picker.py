"""Start-up without --demo: login dialog, then the course picker, then the course."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from scheduler_gui.app import AppFlow, build_parser
from scheduler_gui.ui.dialogs.course_picker import CoursePicker, CourseRow, typed_course
from scheduler_gui.ui.dialogs.login import LoginForm, connect
from tests.ui.gui_session import LOAD_TIMEOUT, fill_login, tidy, visible_dialogs

pytestmark = pytest.mark.gui


@pytest.fixture
def client(sandbox: Any) -> Iterator[Any]:
    session = connect(LoginForm(sandbox.url, "sandbox", "sandbox-app", "prof", "prof", False))
    yield session.client
    session.client.close()


@pytest.fixture
def picker(qtbot: QtBot, client: Any) -> Iterator[CoursePicker]:
    dialog = CoursePicker(client)  # deletes itself when closed, like in the app
    dialog.show()
    qtbot.waitUntil(lambda: dialog.model.rowCount() > 0, timeout=LOAD_TIMEOUT)
    yield dialog
    if shiboken6.isValid(dialog):
        dialog.close()


def shown_rows(picker: CoursePicker) -> list[list[str]]:
    proxy = picker.proxy
    return [
        [str(proxy.index(row, column).data()) for column in range(3)]
        for row in range(proxy.rowCount())
    ]


def test_lists_the_users_courses_with_code_and_title(picker: CoursePicker) -> None:
    rows = shown_rows(picker)
    ids = [row[2] for row in rows]
    assert "123456" in ids and "900000" in ids
    demo = next(row for row in rows if row[2] == "123456")
    assert demo[0] == "DEMO-101" and demo[1]  # code and title read from /courses/{id}
    assert "3 courses" in picker.status.text() or "courses." in picker.status.text()


def test_filter_then_choose_a_row(qtbot: QtBot, picker: CoursePicker) -> None:
    picker.filter.setText("big")
    assert [row[2] for row in shown_rows(picker)] == ["900000"]
    picker.table.selectRow(0)
    assert picker.typed.text() == "900000"
    with qtbot.waitSignal(picker.course_chosen) as chosen:
        picker.choose()
    assert chosen.args == ["900000"]


def test_a_typed_id_or_call_number_is_accepted(qtbot: QtBot, picker: CoursePicker) -> None:
    picker.typed.setText(" CCN=DEMO-101 ")
    with qtbot.waitSignal(picker.course_chosen) as chosen:
        picker.choose()
    assert chosen.args == ["ccn=DEMO-101"]


def test_anything_else_is_refused_with_an_example(qtbot: QtBot, picker: CoursePicker) -> None:
    picker.typed.setText("demo course")
    with qtbot.assertNotEmitted(picker.course_chosen):
        picker.choose()
    assert "123456" in picker.status.text() and "ccn=" in picker.status.text()
    assert picker.isVisible()


def test_typed_course_normalises() -> None:
    assert typed_course("123456") == "123456"
    assert typed_course("ccn=ABC-1") == "ccn=ABC-1"
    assert typed_course("Ccn=ABC-1") == "ccn=ABC-1"
    assert typed_course("12a") is None
    assert typed_course("") is None


def test_login_then_pick_then_the_course_opens(qtbot: QtBot, sandbox: Any) -> None:
    flow = AppFlow(build_parser().parse_args(["--base-url", sandbox.url]))
    qtbot.addWidget(flow.window)
    flow.start()
    dialog = flow.login_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.base_url.text() == sandbox.url
    fill_login(dialog, sandbox.url, "prof")
    dialog.login_button.click()
    qtbot.waitUntil(lambda: bool(visible_dialogs(CoursePicker)), timeout=LOAD_TIMEOUT)
    assert flow.window.isVisible()
    picker = visible_dialogs(CoursePicker)[0]
    qtbot.waitUntil(lambda: picker.model.rowCount() > 0, timeout=LOAD_TIMEOUT)
    picker.filter.setText("DEMO-101")
    match = picker.proxy.match(
        picker.proxy.index(0, 2), Qt.ItemDataRole.DisplayRole, "123456", 1,
        Qt.MatchFlag.MatchExactly,
    )  # fmt: skip
    picker.table.selectRow(match[0].row())
    with qtbot.waitSignal(flow.window.course_loaded, timeout=LOAD_TIMEOUT):
        picker.choose()
    assert flow.window.course_id == "123456"
    assert "DEMO-101" in flow.window.windowTitle()
    tidy(qtbot, flow.window)
    flow.shutdown()


def click_header(qtbot: QtBot, picker: CoursePicker, column: int) -> None:
    header = picker.table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(
        header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2)
    )


def test_courses_sort_by_the_clicked_header_as_people_read_them(qtbot: QtBot) -> None:
    picker = CoursePicker(None)
    qtbot.addWidget(picker)
    picker.show()
    picker.set_courses(
        [
            CourseRow("900000", "BIG-900", "Big Lecture 900"),
            CourseRow("99999", "art-210", "art studio"),
            CourseRow("123456", "DEMO-101", "Demonstration Course 101"),
        ]
    )
    # At first by code, A to Z, whatever the case.
    assert [row[0] for row in shown_rows(picker)] == ["art-210", "BIG-900", "DEMO-101"]
    click_header(qtbot, picker, 2)
    assert [row[2] for row in shown_rows(picker)] == ["99999", "123456", "900000"]  # numbers
    click_header(qtbot, picker, 2)
    assert [row[2] for row in shown_rows(picker)] == ["900000", "123456", "99999"]
    click_header(qtbot, picker, 1)
    assert [row[1] for row in shown_rows(picker)] == [
        "art studio", "Big Lecture 900", "Demonstration Course 101",
    ]  # fmt: skip
    header = picker.table.horizontalHeader()
    assert header.isSortIndicatorShown() and header.sortIndicatorSection() == 1
