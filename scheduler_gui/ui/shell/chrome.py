"""The main window's own actions, and where every action goes in its menus and toolbar.

The layout below lists actions by key: the window's own (:func:`build_actions`) and the
features' (they add theirs when installed, after the menus exist). A feature's key holds
an invisible placeholder until its action arrives (:class:`ActionSlots`), so menus keep
this order whatever the order of installation, and a missing feature leaves no gap.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, Protocol

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMenu,
    QToolBar,
    QToolButton,
    QWidget,
)

from scheduler_gui import APP_NAME

from ..dialogs.help import show_about, show_documentation, show_log
from ..widgets.icons import icon
from .time_zone_box import TimeZoneBox

#: Menus: key -> (title, action keys; None = separator).
MENUS: dict[str, tuple[str, list[str | None]]] = {
    "file": ("&File", ["open", "reload", "save", None, "import", "export", None, "quit"]),
    "edit": ("&Edit", ["undo", "redo", None, "find", None, "set_column",
                       "reset_inherited", "make_explicit", "clear_due", None,
                       "select_children", "copy"]),
    "course": ("&Course", ["shift", None, "time_zone", None, "open_in_learningstudio",
                           "preview_item", "copy_dates", "term_rollover"]),
    "view": ("&View", ["problems", "toolbar", "activity", "show_grid", "show_timeline"]),
    "help": ("&Help", ["show_log", "docs", None, "about"]),
}  # fmt: skip
#: The grid's actions (its context menu's too), in the Edit menu; enabled on a selection.
GRID_ACTIONS = ("set_column", "reset_inherited", "make_explicit", "clear_due",
                "select_children", "copy")  # fmt: skip
#: The toolbar; the time zone box sits at ``TIME_ZONE``.
TOOLBAR: list[str | None] = ["open", "reload", "save", None, "undo", "redo", None, "find",
                             "shift", None, "TIME_ZONE", None, "open_in_learningstudio",
                             "activity"]  # fmt: skip


def make_action(
    parent: QWidget,
    text: str,
    slot: Callable[[], Any] | None = None,
    *,
    icon_name: str | None = None,
    shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
    tip: str = "",
) -> QAction:
    """An action with our icon, its shortcut(s) in the tooltip, connected to ``slot``."""
    action = QAction(text, parent)
    if icon_name:
        action.setIcon(icon(icon_name))
    if isinstance(shortcut, QKeySequence.StandardKey):
        action.setShortcuts(shortcut)  # every binding the platform has for it
    elif shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    if tip:
        action.setStatusTip(tip)
        action.setToolTip(f"{tip} ({action.shortcut().toString()})" if shortcut else tip)
    if slot is not None:
        action.triggered.connect(slot)
    return action


class ActionSlots:
    """Places actions by key in the menus and toolbar built from the layout above."""

    def __init__(self, actions: dict[str, QAction]) -> None:
        self.actions = actions
        self._waiting: dict[str, list[tuple[QWidget, QAction]]] = {}

    def put(self, container: QWidget, key: str) -> None:
        """``key``'s action at the end of ``container``, or a placeholder for it."""
        if key in self.actions:
            container.addAction(self.actions[key])
            return
        placeholder = QAction(container)
        placeholder.setVisible(False)
        container.addAction(placeholder)
        self._waiting.setdefault(key, []).append((container, placeholder))

    def fill(self, key: str, action: QAction) -> None:
        """``action`` takes the places listed for ``key`` (none: it stays unplaced)."""
        self.actions[key] = action
        for container, placeholder in self._waiting.pop(key, []):
            container.insertAction(placeholder, action)
            container.removeAction(placeholder)
            placeholder.deleteLater()


class _Window(Protocol):
    """What the chrome needs of the main window (its slots are the window's methods)."""

    undo_stack: QUndoStack

    def add_action(self, key: str, text: str, slot: Callable[[], Any] | None = None, *,
                   icon_name: str | None = None,
                   shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
                   tip: str = "") -> QAction: ...  # fmt: skip
    def qt_window(self) -> QMainWindow: ...
    def choose_course(self, initial: str = "") -> None: ...
    def reload(self) -> None: ...
    def save(self) -> None: ...
    def close(self) -> bool: ...
    def focus_filter(self) -> None: ...


def build_actions(window: _Window, slots: ActionSlots, grid_actions: dict[str, QAction]) -> None:
    """The window's own and the grid's actions, in ``slots.actions`` (features add theirs)."""
    std = QKeySequence.StandardKey
    add = window.add_action
    qt_window = window.qt_window()
    add("open", "&Open course…", lambda: window.choose_course(), icon_name="open",
        shortcut=std.Open, tip="Open another course")  # fmt: skip
    add("reload", "&Reload", window.reload, icon_name="reload", shortcut=std.Refresh,
        tip="Read the course from the server again")  # fmt: skip
    add("save", "&Save…", window.save, icon_name="save", shortcut=std.Save,
        tip="Preview the changes and save them to LearningStudio")  # fmt: skip
    add("quit", "&Quit", window.close, icon_name="quit", shortcut="Ctrl+Q")
    undo = window.undo_stack.createUndoAction(qt_window, "&Undo")
    undo.setIcon(icon("undo"))
    undo.setShortcuts(std.Undo)
    slots.actions["undo"] = undo
    redo = window.undo_stack.createRedoAction(qt_window, "&Redo")
    redo.setIcon(icon("redo"))
    # Ctrl+Y as well where the platform's Redo is only Ctrl+Shift+Z; a key listed twice
    # would be ambiguous to Qt and do nothing.
    redo_keys = QKeySequence.keyBindings(std.Redo)
    if QKeySequence("Ctrl+Y") not in redo_keys:
        redo_keys.append(QKeySequence("Ctrl+Y"))
    redo.setShortcuts(redo_keys)
    slots.actions["redo"] = redo
    add("find", "&Find…", window.focus_filter, icon_name="find", shortcut=std.Find,
        tip="Filter the items by title")  # fmt: skip
    # The grid's own bulk actions (their shortcuts work while the grid has focus).
    for key in GRID_ACTIONS:
        slots.actions[key] = grid_actions[key]
    add("show_log", "Show &log", partial(show_log, qt_window), icon_name="log",
        tip="The log of requests to the server")  # fmt: skip
    add("docs", "&Documentation", partial(show_documentation, qt_window), icon_name="help",
        shortcut=std.HelpContents)  # fmt: skip
    add("about", f"&About {APP_NAME}", partial(show_about, qt_window), icon_name="about")


def build_toolbar(
    window: QMainWindow, slots: ActionSlots, zone: str, ask_first: Callable[[], bool]
) -> tuple[QToolBar, TimeZoneBox]:
    """The main toolbar with the time zone box (showing ``zone``; a change asks first
    while ``ask_first()``), and Course → Time zone… to reach the box by keyboard."""
    bar = QToolBar("Main toolbar", window)
    bar.setObjectName("MainToolbar")
    bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    tz_combo = TimeZoneBox(zone, ask_first, bar)
    for key in TOOLBAR:
        if key is None:
            bar.addSeparator()
        elif key == "TIME_ZONE":
            label = QLabel(" Time zone: ")
            label.setBuddy(tz_combo)
            bar.addWidget(label)
            bar.addWidget(tz_combo)
        else:
            slots.put(bar, key)
    icon_only = [bar.widgetForAction(slots.actions[key]) for key in ("undo", "redo")]
    # Undo and redo: their text names the step, a tooltip rather than a label.
    ToolbarFit(window, bar, [b for b in icon_only if isinstance(b, QToolButton)])
    slots.fill("time_zone", make_action(
        window, "Time &zone…", tz_combo.start_typing, icon_name="clock", shortcut="Ctrl+T",
        tip="Type or pick the time zone dates are shown and typed in"))  # fmt: skip
    window.addToolBar(bar)
    slots.actions["toolbar"] = bar.toggleViewAction()
    return bar, tz_combo


class ToolbarFit(QObject):
    """Icon-only toolbar buttons while the window is too narrow for their names (so the
    time zone box stays on the bar, not in its overflow menu)."""

    def __init__(self, window: QMainWindow, bar: QToolBar, icon_only: list[QToolButton]) -> None:
        super().__init__(bar)
        self.window, self.bar, self.icon_only = window, bar, icon_only
        self._named_width = 0
        window.installEventFilter(self)
        self.fit()

    def fit(self) -> None:
        named = Qt.ToolButtonStyle.ToolButtonTextBesideIcon
        if self.bar.toolButtonStyle() == named:  # measure while the names show
            self._named_width = self.bar.sizeHint().width()
        style = named if self.window.width() >= self._named_width else (
            Qt.ToolButtonStyle.ToolButtonIconOnly)  # fmt: skip
        if style != self.bar.toolButtonStyle():
            self.bar.setToolButtonStyle(style)
        for button in self.icon_only:
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self.fit()
        return False


def build_menus(window: QMainWindow, slots: ActionSlots) -> dict[str, QMenu]:
    """File, Edit, Course, View and Help."""
    menus: dict[str, QMenu] = {}
    for key, (title, entries) in MENUS.items():
        menu = window.menuBar().addMenu(title)
        menus[key] = menu
        for entry in entries:
            if entry is None:
                menu.addSeparator()
            else:
                slots.put(menu, entry)
    return menus
