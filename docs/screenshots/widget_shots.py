"""Screenshots of dialogs and editing states that ``--screenshot`` cannot reach.

Run from the repository root, offscreen:

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots/widget_shots.py [NAME...]

Each shot builds the real widgets on the demo-like course of the GUI tests, drives them
as a user would (typing, clicking) and saves ``docs/screenshots/NAME.png``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QUndoStack  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from scheduler_gui.ui.grid.editor import ScheduleEditor  # noqa: E402
from scheduler_gui.ui.grid.set_column_dialog import SetColumnDialog  # noqa: E402
from tests.ui.schedule_samples import DENVER, demo_course  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


def _settle() -> None:
    for _ in range(5):
        QApplication.processEvents()


def _grid() -> ScheduleEditor:
    grid = ScheduleEditor(QUndoStack())
    grid.set_schedule(demo_course(), DENVER)
    grid.resize(900, 330)
    grid.show()
    _settle()
    return grid


def typed_date_error() -> QWidget:
    """A cell editor with an ambiguous date typed and Enter pressed: the reason, inline."""
    grid = _grid()
    item = next(i for i in grid.current_schedule().items if i.title == "Assignment 2")
    grid.select_item(item.item_id, "due")
    grid.view.scrollTo(grid.view.currentIndex(), grid.view.ScrollHint.PositionAtTop)
    grid.view.setFocus()
    QTest.keyClicks(grid.view, "2")
    editor = grid.view.indexWidget(grid.view.currentIndex())
    QTest.keyClicks(editor, "/9/2011 11:59 PM")
    QTest.keyClick(editor, Qt.Key.Key_Return)
    _settle()
    return grid


def set_column() -> QWidget:
    """Set column on three assignments due on different days: empty, never the clock."""
    grid = _grid()
    dialog = SetColumnDialog(3, DENVER, "due", {"start": None, "end": None, "due": None}, grid)
    dialog.show()
    dialog.date_edit.clearFocus()  # the placeholder shows only in an unfocused field
    _settle()
    return dialog


SHOTS: dict[str, Callable[[], QWidget]] = {
    "typed-date-error": typed_date_error,
    "set-column": set_column,
}


def main(names: list[str]) -> None:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    for name in names or list(SHOTS):
        widget = SHOTS[name]()
        path = OUT / f"{name}.png"
        widget.grab().save(str(path))
        print(path)
        widget.window().close()
    del app


if __name__ == "__main__":
    main(sys.argv[1:])
