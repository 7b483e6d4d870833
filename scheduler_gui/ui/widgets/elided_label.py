"""A one-line label that gives way in a small window: it elides, and its tooltip has it all."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QHelpEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QToolTip, QWidget


class ElidedLabel(QLabel):
    """Like a QLabel of one line, but it may be narrower than its text ("Times in Amer…").

    Hovering an elided label shows the whole text (above the label's own tooltip, if any).
    """

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), self.fontMetrics().horizontalAdvance("M…")), hint.height())

    def is_elided(self) -> bool:
        return self.fontMetrics().horizontalAdvance(self.text()) > self.contentsRect().width()

    def shown_text(self) -> str:
        """The text as drawn now (elided when it does not fit)."""
        return self.fontMetrics().elidedText(
            self.text(), Qt.TextElideMode.ElideRight, self.contentsRect().width()
        )

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        self.style().drawItemText(painter, self.contentsRect(), int(self.alignment()),
                                  self.palette(), self.isEnabled(), self.shown_text(),
                                  self.foregroundRole())  # fmt: skip

    def event(self, event: QEvent) -> bool:
        tooltip = event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent)
        if tooltip and self.is_elided():
            tip = "\n".join(part for part in (self.text(), self.toolTip()) if part)
            QToolTip.showText(event.globalPos(), tip, self)  # type: ignore[attr-defined]
            return True
        return super().event(event)


class ShortenedLabel(ElidedLabel):
    """An :class:`ElidedLabel` with a short form: when the whole text does not fit, the
    short one is shown whole ("changed" rather than "chan…"); only below that it elides."""

    def __init__(self, text: str, short: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.short = short
        self.setToolTip(text)

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        margins = self.contentsMargins()
        room = self.fontMetrics().horizontalAdvance(self.short) + margins.left() + margins.right()
        return QSize(room, hint.height())

    def is_elided(self) -> bool:
        return self.fontMetrics().horizontalAdvance(self._fitting()) > self.contentsRect().width()

    def shown_text(self) -> str:
        return self.fontMetrics().elidedText(
            self._fitting(), Qt.TextElideMode.ElideRight, self.contentsRect().width()
        )

    def _fitting(self) -> str:
        whole = self.fontMetrics().horizontalAdvance(self.text()) <= self.contentsRect().width()
        return self.text() if whole else self.short
