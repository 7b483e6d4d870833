"""The activity dock and "Open in LearningStudio", driven offscreen against the sandbox."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from PySide6.QtCore import QPoint, QSettings, Qt, QUrl
from PySide6.QtWidgets import QApplication, QTreeWidgetItem
from pytestqt.qtbot import QtBot

from scheduler_gui.api.activity import ACTIVITY_TYPES, ActivityEntry
from scheduler_gui.api.client import LearningStudioClient
from scheduler_gui.core.model import Schedule
from scheduler_gui.sandbox import facts
from scheduler_gui.ui.features.activity.dock import (
    ALL,
    ITEM_COLUMN,
    ME,
    ActivityDock,
    ItemLocator,
    day_range,
    newest_first,
)
from scheduler_gui.ui.features.activity.link import CopyLinkDialog
from scheduler_gui.ui.shell.main_window import MainWindow
from scheduler_gui.ui.widgets.workers import running_jobs
from tests.ui.gui_session import (
    UrlCatcher,
    catching_urls,
    features,
    prof_window,
    visible_dialogs,
)

pytestmark = pytest.mark.gui
DEMO = str(facts.DEMO_COURSE_ID)
JDOE, PROF2 = str(facts.USERS["jdoe"][0]), str(facts.USERS["prof2"][0])
DENVER = ZoneInfo("America/Denver")
WAIT = 30_000


@pytest.fixture
def window(qtbot: QtBot, sandbox: Any, tmp_path: Path) -> Iterator[MainWindow]:
    """The main window, logged in to the sandbox as prof, with DEMO-101 loaded."""
    with prof_window(qtbot, sandbox.url, tmp_path) as window:
        yield window


@pytest.fixture
def schedule(client: LearningStudioClient) -> Schedule:
    return client.get_schedule(DEMO)


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "dock.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def dock(
    qtbot: QtBot, client: LearningStudioClient, schedule: Schedule, settings: QSettings
) -> Iterator[ActivityDock]:
    dock = ActivityDock(settings)
    qtbot.addWidget(dock)
    dock.resize(900, 400)
    dock.set_time_zone(DENVER)
    dock.show()
    with qtbot.waitSignal(dock.loaded, timeout=WAIT):
        dock.set_course(client, DEMO, schedule)
    yield dock
    qtbot.waitUntil(lambda: running_jobs() == 0, timeout=WAIT)


def rows(dock: ActivityDock) -> list[list[str]]:
    tree = dock.tree
    return [
        [tree.topLevelItem(r).text(c) for c in range(tree.columnCount())]
        for r in range(tree.topLevelItemCount())
    ]


def choose_user(qtbot: QtBot, dock: ActivityDock, user: str, *, expect: str = "loaded") -> None:
    with qtbot.waitSignal(getattr(dock, expect), timeout=WAIT):
        dock.user_combo.setEditText(user)
        dock.refresh()


def click(qtbot: QtBot, dock: ActivityDock, row: QTreeWidgetItem) -> None:
    rect = dock.tree.visualItemRect(row)  # may be wider than a narrow dock: click its start
    pos = QPoint(rect.left() + 4, rect.center().y())
    qtbot.mouseClick(dock.tree.viewport(), Qt.MouseButton.LeftButton, pos=pos)


def test_opens_on_the_course_with_my_activity_and_how_to_add_students(
    dock: ActivityDock,
) -> None:
    assert dock.chosen_user() == ALL
    assert dock.user_combo.currentText() == "This course: you and the students seen"
    shown = rows(dock)
    assert [r[1:5] for r in shown] == [
        ["Pat Professor", "post remark", "Demonstration Course 101", "Professor"],
        ["Pat Professor", "post thread-post", "Week 5 Discussion", "Professor"],
    ]
    assert all(r[0].startswith(("Mon", "Tue", "Wed", "Thu", "Fri")) for r in shown)
    assert all(" MST" in r[0] or " MDT" in r[0] for r in shown)
    assert dock.status.text() == (
        "2 entries of your activity in this course. Students join this list once you look "
        "one up: type a name, login name or user id above."
    )
    assert "loginid" not in dock.status.text() + dock.user_combo.toolTip()


def test_rows_have_one_order_even_when_entries_share_a_time() -> None:
    # The feed's page defines no order: entries posted at the same second (merged from
    # several students' feeds, or sent in any order) must still list the same way.
    noon = datetime(2011, 2, 9, 19, 0, tzinfo=UTC)

    def entry(object_id: int, actor_id: int, posted: datetime = noon) -> ActivityEntry:
        return ActivityEntry(
            posted, "A", "STUD", actor_id, "post", "remark", "", object_id, "T", "course", 1, DEMO
        )

    entries = [entry(5001, 7), entry(5003, 7), entry(5002, 8), entry(5002, 6)]
    entries.append(entry(4000, 9, noon + timedelta(seconds=1)))
    expected = [(4000, 9), (5003, 7), (5002, 8), (5002, 6), (5001, 7)]
    for arrived in (entries, entries[::-1], entries[1::2] + entries[::2]):
        ordered = sorted(arrived, key=newest_first, reverse=True)
        assert [(e.object_id, e.actor_id) for e in ordered] == expected


def test_a_students_feed_in_this_course_passes_courseid(
    qtbot: QtBot, dock: ActivityDock, settings: QSettings, client: LearningStudioClient
) -> None:
    # jdoe also takes a course prof does not teach: only courseid makes this visible.
    choose_user(qtbot, dock, JDOE)
    shown = rows(dock)
    assert len(shown) == 6
    assert {r[1] for r in shown} == {"Jane Doe"}
    assert {e.course_id for e in dock.entries} == {DEMO}
    assert "Art Studio" not in " ".join(" ".join(r) for r in shown)
    # The student is now in the chooser, and remembered for this course.
    assert dock.user_combo.findData(JDOE) > 0
    assert dock.user_combo.currentText() == f"Jane Doe ({JDOE})"
    assert dock.chosen_user() == JDOE
    assert dock.status.text() == f"6 entries of Jane Doe ({JDOE})'s activity in this course."
    # The feed job leaves the running set on its 'finished' signal, which may arrive
    # after 'loaded': wait for it, so the check below sees only what `other` starts.
    qtbot.waitUntil(lambda: running_jobs() == 0, timeout=WAIT)
    other = ActivityDock(settings)
    qtbot.addWidget(other)
    other.set_course(client, DEMO, None)  # hidden: loads only when shown
    assert other.user_combo.findData(JDOE) > 0
    assert running_jobs() == 0


def test_all_students_seen_shows_who_has_submitted(
    qtbot: QtBot, dock: ActivityDock, settings: QSettings, client: LearningStudioClient
) -> None:
    all_index = dock.user_combo.findData(ALL)
    assert dock.user_combo.currentIndex() == all_index  # nobody seen yet: only mine
    assert {r[1] for r in rows(dock)} == {"Pat Professor"}
    students = [str(facts.USERS[name][0]) for name in ("student", "jdoe", "rlee")]
    for student in students:
        choose_user(qtbot, dock, student)
    assert dock.known_students() == students
    dock.user_combo.setCurrentIndex(all_index)
    with qtbot.waitSignal(dock.loaded, timeout=WAIT):
        dock.set_types(["dropbox-submission"])
    assert sorted(r[1] for r in rows(dock)) == ["Jane Doe", "Robin Lee", "Sam Student"]
    assert {e.course_id for e in dock.entries} == {DEMO}
    times = [e.posted for e in dock.entries if e.posted]
    assert times == sorted(times, reverse=True)
    assert dock.status.text() == "3 entries from 3 students in this course."


def test_all_students_names_those_not_visible(
    qtbot: QtBot, settings: QSettings, client: LearningStudioClient, schedule: Schedule
) -> None:
    key = f"courses/{DEMO}/activity_users"
    settings.setValue(key, [f"{JDOE}\tJane Doe", f"{PROF2}\tMorgan Other"])
    dock = ActivityDock(settings)
    qtbot.addWidget(dock)
    dock.set_course(client, DEMO, schedule)
    dock.user_combo.setCurrentIndex(dock.user_combo.findData(ALL))
    with qtbot.waitSignal(dock.loaded, timeout=WAIT):
        dock.refresh()
    assert {r[1] for r in rows(dock)} == {"Jane Doe", "Pat Professor"}
    assert dock.status.text().endswith(f"Not visible to you: Morgan Other ({PROF2}).")


def type_user(qtbot: QtBot, dock: ActivityDock, text: str, *, expect: str = "loaded") -> None:
    """Type into the chooser and press Enter, as a user does."""
    line = dock.user_combo.lineEdit()
    line.selectAll()
    qtbot.keyClicks(line, text)
    with qtbot.waitSignal(getattr(dock, expect), timeout=WAIT):
        qtbot.keyClick(line, Qt.Key.Key_Return)


# Typing opens the chooser's completer popup, which asks the offscreen platform for
# things only a real desktop has.
@pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing the keyboard)")
def test_a_student_is_found_by_login_name_then_by_part_of_the_name(
    qtbot: QtBot, dock: ActivityDock
) -> None:
    type_user(qtbot, dock, "jdoe")  # the login name: no loginid=CLIENT|USER to know
    assert {r[1] for r in rows(dock)} == {"Jane Doe"} and len(rows(dock)) == 6
    assert dock.user_combo.currentText() == f"Jane Doe ({JDOE})"  # now in the list
    assert dock.status.text() == f"6 entries of Jane Doe ({JDOE})'s activity in this course."
    dock.user_combo.setCurrentIndex(dock.user_combo.findData(ME))
    type_user(qtbot, dock, "doe")  # part of a name seen before
    assert dock.chosen_user() == JDOE and len(rows(dock)) == 6
    popup = dock.user_combo.completer().popup()
    assert popup.model().rowCount() >= 1  # the list offered her while typing
    type_user(qtbot, dock, "nobody", expect="failed")
    assert dock.status.text() == "LearningStudio knows nobody who signs in as 'nobody'."
    dock.user_combo.lineEdit().selectAll()
    qtbot.keyClicks(dock.user_combo.lineEdit(), "Jane Smith")
    with qtbot.assertNotEmitted(dock.loaded):
        qtbot.keyClick(dock.user_combo.lineEdit(), Qt.Key.Key_Return)
    assert dock.status.text().startswith("No student named 'Jane Smith' seen in this course yet.")


def test_read_typed_user_rules() -> None:
    from scheduler_gui.ui.features.activity.people import TypedUser, read_typed_user

    known = [(JDOE, "Jane Doe"), ("100006", "Robin Lee"), ("100008", "Jane Roe")]
    assert read_typed_user("", known) == TypedUser(user=ME)
    assert read_typed_user(" 100004 ", known) == TypedUser(user="100004")
    assert read_typed_user("loginid=sandbox|rlee", known) == TypedUser(user="loginid=sandbox|rlee")
    assert read_typed_user("ROBIN", known) == TypedUser(user="100006")
    assert read_typed_user("jane doe", known) == TypedUser(user=JDOE)
    assert read_typed_user("Jane", known).problem.startswith("2 students match 'Jane'")
    assert read_typed_user("rlee", known) == TypedUser(login="rlee")


def test_user_the_professor_may_not_see_says_why(qtbot: QtBot, dock: ActivityDock) -> None:
    choose_user(qtbot, dock, PROF2, expect="failed")
    assert rows(dock) == []
    assert "does not show you user" in dock.status.text()


def test_type_filter(qtbot: QtBot, dock: ActivityDock) -> None:
    choose_user(qtbot, dock, JDOE)
    with qtbot.waitSignal(dock.loaded, timeout=WAIT):
        dock.set_types(["dropbox-submission", "grade"])
    assert sorted(r[2] for r in rows(dock)) == ["grade", "submit dropbox-submission"]
    # Unchecking in the menu refreshes too.
    with qtbot.waitSignal(dock.loaded, timeout=WAIT):
        dock.type_actions["grade"].setChecked(False)
    assert [r[2] for r in rows(dock)] == ["submit dropbox-submission"]
    dock.set_types([])
    assert rows(dock) == [] and "at least one activity type" in dock.status.text()
    with qtbot.waitSignal(dock.loaded, timeout=WAIT):
        dock.set_types(ACTIVITY_TYPES)
    assert len(rows(dock)) == 6


def test_date_range_filter_in_the_course_time_zone(qtbot: QtBot, dock: ActivityDock) -> None:
    choose_user(qtbot, dock, JDOE)
    everything = list(dock.entries)
    days = sorted({e.posted.astimezone(DENVER).date() for e in everything if e.posted})
    first, last = days[1], days[-2]
    with qtbot.waitSignal(dock.loaded, timeout=WAIT):
        dock.set_date_range(first, last)
    expected = [
        e for e in everything if e.posted and first <= e.posted.astimezone(DENVER).date() <= last
    ]
    assert dock.entries == expected and 0 < len(expected) < len(everything)
    assert dock.after_check.isChecked() and dock.before_check.isChecked()
    with qtbot.waitSignal(dock.loaded, timeout=WAIT):
        dock.set_date_range(None, None)
    assert dock.entries == everything


def test_day_range_covers_whole_local_days() -> None:
    start, end = day_range(date(2011, 3, 13), date(2011, 3, 13), DENVER)  # DST starts
    assert start is not None and end is not None
    assert (start.isoformat(), end.isoformat()) == (
        "2011-03-13T00:00:00-07:00",
        "2011-03-14T00:00:00-06:00",
    )
    assert day_range(None, None, DENVER) == (None, None)


def test_clicking_an_entry_about_an_item_names_that_item(
    qtbot: QtBot, dock: ActivityDock, schedule: Schedule
) -> None:
    choose_user(qtbot, dock, JDOE)
    tree = dock.tree
    by_target = {tree.topLevelItem(r).text(ITEM_COLUMN): tree.topLevelItem(r) for r in range(6)}
    with qtbot.waitSignal(dock.item_activated, timeout=WAIT) as caught:
        click(qtbot, dock, by_target["Assignment 1"])
    assert caught.args == [facts.ASSIGNMENT_1_ID]
    quiz = next(t for t in by_target if t.startswith("Quiz"))
    with qtbot.waitSignal(dock.item_activated, timeout=WAIT) as caught:
        click(qtbot, dock, by_target[quiz])
    assert schedule.by_id[caught.args[0]].title == quiz
    with qtbot.assertNotEmitted(dock.item_activated):
        click(qtbot, dock, by_target["Demonstration Course 101"])
    assert "not about an item" in dock.status.text()


def test_item_locator_rules(schedule: Schedule) -> None:
    locator = ItemLocator(schedule)
    home = facts.COURSE_HOME_ID

    def entry(**fields: Any) -> ActivityEntry:
        return ActivityEntry.from_record({"target": fields})

    assert locator.locate(entry(courseitemId=home, title="Assignment 1")) == home
    assert locator.locate(entry(referenceId=home)) == home
    assert locator.locate(entry(referenceId=1, title="assignment 1")) == facts.ASSIGNMENT_1_ID
    assert locator.locate(entry(title="Week 1 Overview")) is not None
    first, second = schedule.items[:2]
    twins = Schedule(DEMO, (first, dataclasses.replace(second, title=first.title)))
    assert ItemLocator(twins).locate(entry(title=first.title)) is None  # ambiguous: no pick
    assert locator.locate(entry()) is None
    assert ItemLocator(None).locate(entry(referenceId=home)) is None


# ---------------------------------------------------------------------- in the main window


@pytest.fixture
def browser() -> Iterator[UrlCatcher]:
    with catching_urls("http") as catcher:
        yield catcher


def test_open_in_learningstudio_opens_the_launch_page(
    qtbot: QtBot, window: MainWindow, browser: UrlCatcher
) -> None:
    action = window.named_actions["open_in_learningstudio"]
    assert action.isEnabled() and action in window.toolbar.actions()
    action.trigger()
    qtbot.waitUntil(lambda: len(browser.urls) == 1, timeout=WAIT)
    action.trigger()  # a fresh URL every time: it expires in minutes
    qtbot.waitUntil(lambda: len(browser.urls) == 2, timeout=WAIT)
    first, second = browser.urls
    assert first != second and "&amp;" not in first
    page = httpx.get(first)
    assert page.status_code == 200 and "Demonstration Course 101" in page.text


def test_without_a_browser_the_link_can_be_copied_and_is_never_printed(
    qtbot: QtBot,
    window: MainWindow,
    capfd: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    # No URL handler and the offscreen platform: openUrl() returns False, as on a
    # desktop with no browser; Qt would print the URL it could not open.
    caplog.set_level(logging.DEBUG)
    window.named_actions["open_in_learningstudio"].trigger()
    qtbot.waitUntil(lambda: bool(visible_dialogs(CopyLinkDialog)), timeout=WAIT)
    dialog = visible_dialogs(CopyLinkDialog)[0]
    assert "No web browser could be started" in window.statusBar().currentMessage()
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    url = QApplication.clipboard().text()
    assert url == dialog.link.text() and url.startswith("http://127.0.0.1:")
    assert "Copied" in dialog.status.text()
    secret = QUrl(url).query()
    assert secret
    out, err = capfd.readouterr()
    assert secret not in out + err
    assert all(secret not in record.getMessage() for record in caplog.records)
    assert any("<course link>" in record.getMessage() for record in caplog.records)
    page = httpx.get(url)  # (this test's own request logs the URL: checked before)
    assert page.status_code == 200 and "Demonstration Course 101" in page.text
    dialog.close()


def test_activity_entry_selects_the_row_in_the_grid(qtbot: QtBot, window: MainWindow) -> None:
    dock = features(window).dock
    assert not dock.isVisible()
    with qtbot.waitSignal(dock.loaded, timeout=WAIT):
        window.named_actions["activity"].trigger()  # shown for the first time: loads
    choose_user(qtbot, dock, JDOE)
    row = next(
        dock.tree.topLevelItem(r)
        for r in range(dock.tree.topLevelItemCount())
        if dock.tree.topLevelItem(r).text(ITEM_COLUMN) == "Assignment 1"
    )
    click(qtbot, dock, row)
    qtbot.waitUntil(lambda: window.editor.selected_ids() == [facts.ASSIGNMENT_1_ID])


def test_a_from_day_that_is_not_a_day_is_said_not_used(qtbot: QtBot, dock: ActivityDock) -> None:
    """Typing 2011-02-30 passed through 2011-02-3: the feed was filtered from Feb 3."""
    choose_user(qtbot, dock, JDOE)
    shown = list(dock.entries)
    qtbot.mouseClick(dock.after_check, Qt.MouseButton.LeftButton, pos=QPoint(8, 8))
    qtbot.waitUntil(lambda: running_jobs() == 0, timeout=WAIT)
    dock.after_edit.setFocus()
    dock.after_edit.selectAll()
    qtbot.keyClicks(dock.after_edit, "2011-02-30")
    qtbot.keyClick(dock.after_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: running_jobs() == 0, timeout=WAIT)
    assert dock.status.text() == 'From: "2011-02-30" is not a date.'
    assert dock.status.property("error")
    assert dock.entries == [] and len(shown) > 0  # no feed filtered by another day
