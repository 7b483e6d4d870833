"""The app's icon set: line icons in ``scheduler_gui/resources/icons`` tinted to the palette.

The SVGs draw with ``currentColor``; we substitute the palette's text colour when loading,
so the same icons read well in light and dark themes.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QImage, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

_SIZES = (16, 24, 32, 48)
#: cacheKey() of each icon drawn in the palette's colour -> its name (see :func:`retinted`).
_PALETTE_TINTED: dict[int, str] = {}


def _svg_text(name: str) -> str:
    return (
        resources.files("scheduler_gui.resources")
        .joinpath("icons")
        .joinpath(f"{name}.svg")  # one part per call: Python 3.11's MultiplexedPath takes one
        .read_text(encoding="utf-8")
    )


def _render(svg: str, size: int) -> QPixmap:
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    image = QImage(QSize(size, size), QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    return QPixmap.fromImage(image)


def _text_colour() -> QColor:
    app = QGuiApplication.instance()
    if isinstance(app, QGuiApplication):
        return app.palette().windowText().color()
    return QColor("#202124")


@cache
def _icon(name: str, colour: str) -> QIcon:
    svg = _svg_text(name).replace("currentColor", colour)
    icon = QIcon()
    for size in _SIZES:
        icon.addPixmap(_render(svg, size))
    return icon


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
