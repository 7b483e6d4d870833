"""The app's icon set: line icons in ``scheduler_gui/resources/icons`` tinted to the palette.

The SVGs draw with ``currentColor``; we substitute the palette's text colour when loading,
so the same icons read well in light and dark themes.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from PySide6.QtCore import QByteArray, QRect, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QIcon,
    QIconEngine,
    QImage,
    QPainter,
    QPixmap,
)
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication, QStyleOption

#: cacheKey() of each icon drawn in the palette's colour -> its name (see :func:`retinted`).
_PALETTE_TINTED: dict[int, str] = {}


def _svg_text(name: str) -> str:
    return (
        resources.files("scheduler_gui.resources")
        .joinpath("icons")
        .joinpath(f"{name}.svg")  # one part per call: Python 3.11's MultiplexedPath takes one
        .read_text(encoding="utf-8")
    )


class _SvgIconEngine(QIconEngine):
    """Draws an SVG at the size and scale asked for, when first asked for.

    The window has some thirty icons; drawn up front at every size they cost start-up
    time, and most (menus, dialogs) are not on screen yet. Disabled and selected looks
    come from the style, as for any icon.
    """

    def __init__(self, svg: bytes) -> None:
        super().__init__()
        self._svg = svg
        self._pixmaps: dict[tuple[int, int, QIcon.Mode, float], QPixmap] = {}

    def clone(self) -> QIconEngine:
        return _SvgIconEngine(self._svg)

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        return self.scaledPixmap(size, mode, state, 1.0)

    def scaledPixmap(
        self, size: QSize, mode: QIcon.Mode, state: QIcon.State, scale: float
    ) -> QPixmap:
        key = (size.width(), size.height(), mode, scale)
        pixmap = self._pixmaps.get(key)
        if pixmap is None:
            pixmap = self._pixmaps[key] = self._draw(size, mode, scale)
        return pixmap

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        scale = painter.device().devicePixelRatioF() if painter.device() is not None else 1.0
        painter.drawPixmap(rect, self.scaledPixmap(rect.size(), mode, state, scale))

    def _draw(self, size: QSize, mode: QIcon.Mode, scale: float) -> QPixmap:
        side = max(1, round(min(size.width(), size.height()) * scale))
        image = QImage(QSize(side, side), QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        QSvgRenderer(QByteArray(self._svg)).render(painter)
        painter.end()
        pixmap = QPixmap.fromImage(image)
        if mode != QIcon.Mode.Normal:
            style = QApplication.style()
            if style is not None:
                pixmap = style.generatedIconPixmap(mode, pixmap, QStyleOption())
        pixmap.setDevicePixelRatio(scale)
        return pixmap


def _text_colour() -> QColor:
    app = QGuiApplication.instance()
    if isinstance(app, QGuiApplication):
        return app.palette().windowText().color()
    return QColor("#202124")


@cache
def _icon(name: str, colour: str) -> QIcon:
    svg = _svg_text(name).replace("currentColor", colour)
    return QIcon(_SvgIconEngine(svg.encode("utf-8")))


def icon(name: str, colour: QColor | str | None = None) -> QIcon:
    """The named icon (see resources/icons), drawn in ``colour`` or the palette's text colour."""
    if colour is None:
        tinted = _icon(name, _text_colour().name())
        _PALETTE_TINTED[tinted.cacheKey()] = name
        return tinted
    name_of_colour = colour if isinstance(colour, str) else colour.name()
    return _icon(name, name_of_colour)


def retinted(current: QIcon) -> QIcon | None:
    """``current`` in the palette's colour of now, if it is one of ours drawn in the palette's
    colour (copies of an icon share its cacheKey); None for any other icon."""
    name = _PALETTE_TINTED.get(current.cacheKey())
    return None if name is None else icon(name)


def app_icon() -> QIcon:
    """The application icon (full colour)."""
    return _icon("app", "")
