"""Screenshots of dialogs and editing states that ``--screenshot`` cannot reach.

Run from the repository root, offscreen:

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots/widget_shots.py [NAME...]

Each shot builds the real widgets on the demo-like course of the GUI tests, drives them
as a user would (typing, clicking) and saves ``docs/screenshots/NAME.png``.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
# Drafts, backups and settings of these runs go to a folder of their own, not the user's.
_HOME = tempfile.mkdtemp(prefix="widget-shots-")
for _name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
    os.environ[_name] = str(Path(_HOME) / _name.lower())
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")

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


def _window_on_sandbox() -> Any:
    """The real main window, logged in to a sandbox of its own, DEMO-101 loaded."""
    from PySide6.QtCore import QSettings

    from scheduler_gui.sandbox.server import start_in_thread
    from scheduler_gui.ui.dialogs.login import LoginForm, connect
    from scheduler_gui.ui.shell.main_window import MainWindow

    server = start_in_thread()
    folder = Path(tempfile.mkdtemp())
    window = MainWindow(QSettings(str(folder / "gui.ini"), QSettings.Format.IniFormat))
    form = LoginForm(server.url, "sandbox", "sandbox-app", "prof", "prof", remember=False)
    session = connect(form)
    window.set_client(session.client, session.label)
    window.resize(1100, 700)
    window.show()
    loaded: list[str] = []
    window.course_loaded.connect(loaded.append)
    window.open_course("123456", time_zone="America/Denver")
    _wait(lambda: bool(loaded))
    window.screenshot_folder = folder
    window.screenshot_server = server
    return window


def _wait(condition: Callable[[], bool], seconds: float = 30) -> None:
    import time

    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not get there")
        QApplication.processEvents()
        time.sleep(0.01)


def import_date_order() -> QWidget:
    """File → Import on a workbook with 2/9/2011 in it: asked, both readings, not guessed."""
    import openpyxl

    window = _window_on_sandbox()
    actions = window.features.excel
    path = window.screenshot_folder / "fall.xlsx"
    exported: list[str] = []
    actions.exported.connect(exported.append)
    actions.export_to(path)
    _wait(lambda: bool(exported))
    book = openpyxl.load_workbook(path)
    sheet = book["Schedules"]
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 7).value is not None)
    sheet.cell(row, 7).value = "2/9/2011 11:59 PM"
    book.save(path)
    actions.import_from(path)
    _wait(lambda: bool(actions.order_buttons) and actions.dialog is not None)
    _settle()
    return actions.dialog


def conflict_merge() -> QWidget:
    """Both sides changed the course; one field clashes and asks mine or theirs."""
    from dataclasses import replace
    from datetime import timedelta

    from scheduler_gui.ui.save.conflict_dialog import ConflictDialog

    day = timedelta(days=1)
    base = demo_course()
    by_title = {item.title: item for item in base.items}
    quiz, assignment = by_title["Quiz 1"], by_title["Assignment 2"]
    reading = by_title["Week 3 Discussion"]
    assert quiz.end and assignment.due and assignment.end
    local = base.with_items(
        [
            quiz.with_dates(end=quiz.end + day),
            replace(
                assignment.with_dates(due=assignment.due + 2 * day), can_access_before_start=True
            ),
        ]
    )
    remote = base.with_items(
        [assignment.with_dates(due=assignment.due + day), reading.make_explicit()]
    )
    dialog = ConflictDialog(base, local, remote, DENVER)
    dialog.resize(1100, 330)
    dialog.show()
    _settle()
    return dialog


SHOTS: dict[str, Callable[[], QWidget]] = {
    "conflict-merge": conflict_merge,
    "import-date-order": import_date_order,
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
