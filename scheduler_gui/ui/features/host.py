"""What a feature may use of the main window: :class:`WindowHost`.

A feature installs itself with ``install(host: WindowHost) -> <its handle>``. It creates
and owns its actions (:meth:`WindowHost.add_action`; the shell puts each in its menus and
toolbar by key), keeps typed references to what it needs, and sets no attribute on the
window. The window keeps the handles ``install`` returns (``MainWindow.features``).
``MainWindow`` implements this protocol; mypy checks it where the features are installed.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject, QSettings, SignalInstance
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow

from ..grid.editor import ScheduleEditor

if TYPE_CHECKING:  # httpx and the client load with the login, not with the window
    from scheduler_gui.api.client import LearningStudioClient


class WindowHost(Protocol):
    """The main window as the features see it."""

    @property
    def settings(self) -> QSettings:
        """The GUI's settings (window layout, per-course time zones, feature options)."""
        ...

    @property
    def editor(self) -> ScheduleEditor:
        """The grid: the open course's schedule, its selection, and undoable edits."""
        ...

    @property
    def client(self) -> LearningStudioClient | None:
        """The logged-in client, or None before login."""
        ...

    @property
    def course_id(self) -> str | None:
        """The open course, or None."""
        ...

    @property
    def course_title(self) -> str: ...

    @property
    def time_zone(self) -> ZoneInfo:
        """The zone dates are shown and edited in."""
        ...

    @property
    def course_loaded(self) -> SignalInstance:
        """Emitted with the course id when a course finished loading (also a reload)."""
        ...

    @property
    def time_zone_changed(self) -> SignalInstance:
        """Emitted with the new ``ZoneInfo`` when the user picks another time zone."""
        ...

    def has_course(self) -> bool: ...

    def qt_window(self) -> QMainWindow:
        """The window as a Qt widget: the parent of dialogs and docks."""
        ...

    def add_action(
        self,
        key: str,
        text: str,
        slot: Callable[[], Any] | None = None,
        *,
        icon_name: str | None = None,
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
        tip: str = "",
    ) -> QAction:
        """A new action, placed in the window's menus and toolbar where the shell lists
        ``key`` (see ``shell/chrome.py``)."""
        ...

    def place_action(self, key: str, action: QAction) -> None:
        """Place an action made elsewhere (a dock's toggle) like :meth:`add_action` does."""
        ...

    def show_message(self, text: str, msecs: int = 0) -> None:
        """A message in the status bar (for ``msecs``; 0 = until the next one)."""
        ...


class Feature(QObject):
    """Base of the features' handles: a child of the window that holds its host weakly.

    The window keeps the handles (``MainWindow.features``); a strong reference back would
    make a Python reference cycle through the window, which the cycle collector may then
    break in whatever thread it happens to run.
    """

    def __init__(self, host: WindowHost) -> None:
        super().__init__(host.qt_window())
        self._host = weakref.ref(host)

    @property
    def host(self) -> WindowHost:
        host = self._host()
        assert host is not None, "a feature outlived its window"  # it is the window's child
        return host
