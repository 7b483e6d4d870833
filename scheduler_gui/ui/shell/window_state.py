"""The window's layout kept between runs: geometry, docks and toolbars, grid columns."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QChildEvent, QEvent, QObject, QRect, QSettings
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QMainWindow, QWidget

from ..grid.editor import ScheduleEditor

DEFAULT_SIZE = (1200, 760)


def restore_layout(window: QMainWindow, settings: QSettings) -> bool:
    """Geometry and dock layout as left at the last quit; False on the first run.

    The window lands on a screen it fits: a position saved on a monitor that is gone
    (or a size from a bigger one) is moved and shrunk onto the screen available now.
    """
    geometry = settings.value("window/geometry")
    if isinstance(geometry, QByteArray):
        window.restoreGeometry(geometry)
    else:
        window.resize(*DEFAULT_SIZE)
    keep_on_screen(window)
    state = settings.value("window/state")
    if isinstance(state, QByteArray):
        window.restoreState(state)
        return True
    return False


def fitted(frame: QRect, screen: QRect) -> QRect:
    """``frame`` (the window with its title bar) shrunk to ``screen`` and moved inside."""
    width, height = min(frame.width(), screen.width()), min(frame.height(), screen.height())
    left = min(max(frame.left(), screen.left()), screen.right() + 1 - width)
    top = min(max(frame.top(), screen.top()), screen.bottom() + 1 - height)
    return QRect(left, top, width, height)


def keep_on_screen(window: QWidget) -> None:
    """Move (and shrink) ``window`` onto the available area of the screen it is mostly
    on, or of the primary screen when it is on none."""
    frame = window.frameGeometry()
    screen = QGuiApplication.screenAt(frame.center()) or QGuiApplication.primaryScreen()
    if screen is None:
        return
    target = fitted(frame, screen.availableGeometry())
    if target == frame:
        return
    # resize() sets the client area, move() the frame's corner (before the window is
    # first shown, the frame is the client area: its title bar is not known yet).
    window.resize(target.width() - (frame.width() - window.width()),
                  target.height() - (frame.height() - window.height()))  # fmt: skip
    window.move(target.topLeft())


class DialogsOnScreen(QObject):
    """Keeps the window's dialogs on the screen: each is shrunk and moved onto it as it
    is shown (Shift dates is 900 x 680; a small screen, or a laptop at 200 %, is not)."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # ChildPolished, not ChildAdded: when a child is added it is not a QDialog yet
        # (its constructor is still running); it is polished just before it is first shown.
        if isinstance(event, QChildEvent) and event.type() == QEvent.Type.ChildPolished:
            child = event.child()
            if isinstance(child, QDialog):
                child.installEventFilter(self)
        elif (
            event.type() == QEvent.Type.Show
            and isinstance(watched, QDialog)
            and not event.spontaneous()
        ):
            keep_on_screen(watched)
        return False


def save_layout(window: QMainWindow, settings: QSettings) -> None:
    settings.setValue("window/geometry", window.saveGeometry())
    settings.setValue("window/state", window.saveState())


def save_column_widths(grid: ScheduleEditor, settings: QSettings) -> None:
    settings.setValue("grid/header", grid.column_fit.save_state())


def restore_column_widths(grid: ScheduleEditor, settings: QSettings) -> None:
    state = settings.value("grid/header")
    if isinstance(state, QByteArray):
        grid.column_fit.restore_state(state)
