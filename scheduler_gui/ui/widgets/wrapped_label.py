"""A word-wrapped label that asks for the height its text needs at its current width.

Inside a dock or beside an expanding table, a wrapped ``QLabel`` gets the height of its
size hint (often one or two lines) and long text is cut off at the bottom; Qt's main
window does not lay docks out height-for-width. This label raises its own minimum height
to what its text needs whenever its width changes.
"""

from __future__ import annotations

from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QWidget


class WrappedLabel(QLabel):
    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setWordWrap(True)

    def setText(self, text: str) -> None:
        super().setText(text)
        self._fit_height()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_height()

    def _fit_height(self) -> None:
        needed = self.heightForWidth(max(self.width(), 1))
        if needed > 0 and needed != self.minimumHeight():
            self.setMinimumHeight(needed)
