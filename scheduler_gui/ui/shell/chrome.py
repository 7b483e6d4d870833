"""The main window's actions, menus and toolbar, built once when the window starts.

Slots are the window's public methods; :meth:`MainWindow.add_action` stays on the window
because extensions use it too.
"""

from __future__ import annotations

import zoneinfo
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QComboBox, QCompleter, QLabel, QToolBar, QToolButton

from scheduler_gui import APP_NAME

from ..widgets.icons import icon

if TYPE_CHECKING:
    from .main_window import MainWindow


def build_actions(window: MainWindow) -> None:
    """The window's own actions, in ``window.named_actions`` (extensions add theirs)."""
    std = QKeySequence.StandardKey
    add = window.add_action
    add("open", "&Open course…", window.choose_course, icon_name="open",
        shortcut=std.Open, tip="Open another course")  # fmt: skip
    add("reload", "&Reload", window.reload, icon_name="reload", shortcut=std.Refresh,
        tip="Read the course from the server again")  # fmt: skip
    add("save", "&Save…", window.save, icon_name="save", shortcut=std.Save,
        tip="Preview the changes and save them to LearningStudio")  # fmt: skip
    add("import", "&Import from Excel…", icon_name="import", shortcut="Ctrl+I",
        tip="Import dates from a spreadsheet")  # fmt: skip
    add("export", "E&xport to Excel…", icon_name="export", shortcut="Ctrl+Shift+E",
        tip="Export the schedule to a spreadsheet")  # fmt: skip
    add("quit", "&Quit", window.close, icon_name="quit", shortcut="Ctrl+Q")
    undo = window.undo_stack.createUndoAction(window, "&Undo")
    undo.setIcon(icon("undo"))
    undo.setShortcuts(std.Undo)
    window.named_actions["undo"] = undo
    redo = window.undo_stack.createRedoAction(window, "&Redo")
    redo.setIcon(icon("redo"))
    # Ctrl+Y as well where the platform's Redo is only Ctrl+Shift+Z; a key listed twice
    # would be ambiguous to Qt and do nothing.
    redo_keys = QKeySequence.keyBindings(std.Redo)
    if QKeySequence("Ctrl+Y") not in redo_keys:
        redo_keys.append(QKeySequence("Ctrl+Y"))
    redo.setShortcuts(redo_keys)
    window.named_actions["redo"] = redo
    add("find", "&Find…", window.focus_filter, icon_name="find", shortcut=std.Find,
        tip="Filter the items by title")  # fmt: skip
    # The grid's own bulk actions (their shortcuts work while the grid has focus).
    for key in ("set_column", "reset_inherited", "make_explicit"):
        window.named_actions[key] = window.editor.edit_actions[key]
    add("shift", "S&hift dates…", window.shift_dates, icon_name="shift",
        shortcut="Ctrl+Shift+D", tip="Move all or the selected dates to a new term",
    )  # fmt: skip
    add("show_log", "Show &log", window.show_log, icon_name="log",
        tip="The log of requests to the server")  # fmt: skip
    add("docs", "&Documentation", window.open_documentation, icon_name="help",
        shortcut=std.HelpContents)  # fmt: skip
    add("about", f"&About {APP_NAME}", window.show_about, icon_name="about")
    for key in ("import", "export"):
        window.named_actions[key].setEnabled(False)


def build_menus(window: MainWindow) -> None:
    """File, Edit, Course, View and Help, in ``window.menus``."""
    layout: dict[str, tuple[str, list[str | None]]] = {
        "file": ("&File", ["open", "reload", "save", None, "import", "export", None, "quit"]),
        "edit": ("&Edit", ["undo", "redo", None, "find", None, "set_column",
                           "reset_inherited", "make_explicit"]),
        "course": ("&Course", ["shift"]),
        "view": ("&View", []),
        "help": ("&Help", ["show_log", "docs", None, "about"]),
    }  # fmt: skip
    for key, (title, entries) in layout.items():
        menu = window.menuBar().addMenu(title)
        window.menus[key] = menu
        for entry in entries:
            if entry is None:
                menu.addSeparator()
            else:
                menu.addAction(window.named_actions[entry])
    window.menus["view"].addAction(window.validation_dock.toggleViewAction())


def build_toolbar(window: MainWindow) -> tuple[QToolBar, QComboBox]:
    """The main toolbar, ending in the time zone box; both are returned."""
    bar = QToolBar("Main toolbar", window)
    bar.setObjectName("MainToolbar")
    bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    for key in ("open", "reload", "save", None, "undo", "redo", None, "find", "shift"):
        if key is None:
            bar.addSeparator()
        else:
            bar.addAction(window.named_actions[key])
    for key in ("undo", "redo"):  # their text names the step: a tooltip, not a label
        button = bar.widgetForAction(window.named_actions[key])
        if isinstance(button, QToolButton):
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
    bar.addSeparator()
    bar.addWidget(QLabel(" Time zone: "))
    tz_combo = QComboBox(bar)
    tz_combo.setObjectName("TimeZone")
    tz_combo.setEditable(True)
    tz_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    tz_combo.addItems(sorted(zoneinfo.available_timezones()))
    tz_combo.setMinimumContentsLength(18)
    tz_combo.setToolTip("Dates are shown and edited in this time zone")
    completer = QCompleter(tz_combo.model(), tz_combo)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    tz_combo.setCompleter(completer)
    tz_combo.setCurrentText(window.time_zone.key)
    bar.addWidget(tz_combo)
    window.addToolBar(bar)
    window.menus["view"].addAction(bar.toggleViewAction())
    return bar, tz_combo
