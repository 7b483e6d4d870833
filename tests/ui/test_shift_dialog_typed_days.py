"""Shift dates: a day field whose text does not read as a day stops the shift and says
so; the dialog never shifts to the last day that did read (typing ``2012-02-30`` went
through ``2012-02-3``, and the preview and the Shift button used Fri 2012-02-03)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from scheduler_gui.ui.features.shift.dialog import ShiftDialog
from scheduler_gui.ui.widgets.date_field import DayField
from tests.ui.schedule_samples import demo_course

pytestmark = pytest.mark.gui
DENVER = ZoneInfo("America/Denver")


def retype(qtbot: QtBot, dialog: ShiftDialog, field: DayField, text: str) -> None:
    """Select the field's text and type ``text`` key by key, as a user does; wait for the
    preview to catch up (it follows the inputs after a short pause)."""
    field.setFocus()
    field.selectAll()
    QTest.keyClicks(field, text)
    qtbot.waitUntil(lambda: not dialog._stale, timeout=5000)


@pytest.fixture
def dialog(qtbot: QtBot) -> ShiftDialog:
    dialog = ShiftDialog(demo_course(), DENVER)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(
        dialog.to_start, Qt.MouseButton.LeftButton, pos=QPoint(8, dialog.to_start.height() // 2)
    )
    return dialog


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("2012-02-30", "is not a date"),
        ("garbage", "is not a date (write it like 2011-03-08 23:59)"),
        (
            "2/9/2012",
            "is ambiguous (9 February 2012 or 2 September 2012?): "
            "write it as 2012-02-09 or 2012-09-02",
        ),
    ],
)
def test_a_new_start_that_is_not_a_day_blocks_the_shift(
    qtbot: QtBot, dialog: ShiftDialog, typed: str, why: str
) -> None:
    retype(qtbot, dialog, dialog.new_start, typed)
    assert dialog.shift_result() is None
    assert not dialog.ok_button.isEnabled()
    said = dialog.summary.text()
    assert said == f'The term starts on: "{typed}" {why}'  # the field, the text, why
    dialog.accept()  # Enter, or a click that raced the preview
    assert dialog.isVisible()


def test_fixing_the_day_shifts_to_the_day_typed(qtbot: QtBot, dialog: ShiftDialog) -> None:
    retype(qtbot, dialog, dialog.new_start, "2012-02-30")
    retype(qtbot, dialog, dialog.new_start, "2012-02-29")
    assert dialog.ok_button.isEnabled()
    assert "Wed 2012-02-29" in dialog.anchor_note.text()


def test_a_fit_date_that_is_not_a_day_blocks_the_shift(qtbot: QtBot, dialog: ShiftDialog) -> None:
    qtbot.mouseClick(dialog.fit, Qt.MouseButton.LeftButton, pos=QPoint(8, dialog.fit.height() // 2))
    retype(qtbot, dialog, dialog.new_term_end, "31.04.2011")
    assert dialog.shift_result() is None and not dialog.ok_button.isEnabled()
    assert "31.04.2011" in dialog.summary.text() and "new term end" in dialog.summary.text().lower()
