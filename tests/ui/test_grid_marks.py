"""What a grid cell shows at a glance: a changed cell stays marked as changed even when a
warning colours it (the warning's tint would hide the blue "changed" tint)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from scheduler_gui.core.model import Schedule
from scheduler_gui.ui.grid.columns import Column, FindingsRole, IsEditedRole
from scheduler_gui.ui.grid.delegates import EDITED_EDGE, EDITED_EDGE_WIDTH
from scheduler_gui.ui.grid.editor import ScheduleEditor
from scheduler_gui.ui.widgets.theme import cell_colours
from tests.ui.schedule_samples import grid_editor, small_course

pytestmark = pytest.mark.gui


def course() -> Schedule:
    """small_course, where Quiz 3 (id 4) is due a day after it closes: a warning on load."""
    schedule = small_course()
    quiz = schedule.by_id[4]
    assert quiz.end is not None
    return schedule.with_items([replace(quiz, due=quiz.end + timedelta(days=1))])


def cell_pixels(editor: ScheduleEditor, item_id: int, column: Column) -> tuple[QColor, QColor]:
    """(left edge, middle right) colours of the cell as painted."""
    index = editor.proxy.mapFromSource(editor.model.index(editor.model.row_of(item_id), column))
    rect = editor.view.visualRect(index)
    image = editor.view.viewport().grab().toImage()
    y = rect.top() + 3  # above the text, below the grid line
    left = QColor(image.pixel(QPoint(rect.left() + 1, y)))
    right = QColor(image.pixel(QPoint(rect.left() + EDITED_EDGE_WIDTH + 3, y)))
    return left, right


def test_a_changed_cell_with_a_warning_still_shows_it_is_changed(qtbot: QtBot) -> None:
    editor = grid_editor(qtbot, course(), size=(1100, 400), shown=True)
    colours = cell_colours()
    assignment = editor.current_schedule().by_id[3]
    assert assignment.end is not None and assignment.start is not None
    # Due two days after it closes (a warning), and an earlier start (no warning).
    editor.apply_items(
        [assignment.with_dates(due=assignment.end + timedelta(days=2),
                               start=assignment.start - timedelta(hours=1))],
        "edits",
    )  # fmt: skip
    due = editor.model.index(editor.model.row_of(3), Column.DUE)
    assert due.data(IsEditedRole) and due.data(FindingsRole)

    edge, inside = cell_pixels(editor, 3, Column.DUE)  # changed + warning
    assert (edge.name(), inside.name()) == (EDITED_EDGE.name(), colours.warning_bg.name())
    edge, inside = cell_pixels(editor, 3, Column.START)  # changed only: the blue tint
    assert edge.name() == inside.name() == colours.edited_bg.name()
    edge, inside = cell_pixels(editor, 4, Column.DUE)  # warning only: no "changed" edge
    assert edge.name() == inside.name() == colours.warning_bg.name()
