"""Follow a switch of the system's light/dark theme while the app runs.

Qt repaints its own widgets in the new palette; what we coloured ourselves would keep the
old theme: icons tinted with the palette's text colour (black icons on a dark toolbar),
the grid's cached marker brushes, and style sheets naming a marker colour (the legends).
The main window starts a :class:`PaletteFollower`, which redoes them when its palette changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractButton, QWidget

from ..widgets.icons import retinted
from ..widgets.theme import DARK, LIGHT, CellColours, is_dark

_PALETTE_EVENTS = (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange)


def swap_colours(style: str, old: CellColours, new: CellColours) -> str:
    """``style`` (a style sheet) with each marker colour of ``old`` replaced by ``new``'s."""
    for field in fields(CellColours):
        style = style.replace(getattr(old, field.name).name(), getattr(new, field.name).name())
    return style


class PaletteFollower(QObject):
    """Watches the main window's palette and re-colours what we drew ourselves."""

    def __init__(self, window: QWidget, restyle_grid: Callable[[], None]) -> None:
        super().__init__(window)
        self._restyle_grid = restyle_grid
        self._dark = is_dark(window.palette())
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Only the window is watched. Called for each of its events, even while it is being
        # destroyed: look at nothing but the event type here.
        if event.type() in _PALETTE_EVENTS:
            assert isinstance(watched, QWidget)
            self.refresh(watched)
        return False

    def refresh(self, window: QWidget) -> None:
        """Re-colour ``window``'s icons, grid markers and marker style sheets."""
        dark = is_dark(window.palette())
        for action in window.findChildren(QAction):
            icon = retinted(action.icon())
            if icon is not None:
                action.setIcon(icon)
        for button in window.findChildren(QAbstractButton):
            icon = retinted(button.icon())
            if icon is not None:
                button.setIcon(icon)
        self._restyle_grid()
        if dark != self._dark:
            old, new = (LIGHT, DARK) if dark else (DARK, LIGHT)
            for widget in window.findChildren(QWidget):
                if widget.styleSheet():
                    widget.setStyleSheet(swap_colours(widget.styleSheet(), old, new))
            self._dark = dark
