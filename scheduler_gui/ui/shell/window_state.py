"""The window's layout kept between runs: geometry, docks and toolbars, grid columns."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QHeaderView, QMainWindow, QTableView, QWidget

DEFAULT_SIZE = (1200, 760)


def restore_layout(window: QMainWindow, settings: QSettings) -> bool:
    """Geometry and dock layout as left at the last quit; False on the first run."""
    geometry = settings.value("window/geometry")
    if isinstance(geometry, QByteArray):
        window.restoreGeometry(geometry)
    else:
        window.resize(*DEFAULT_SIZE)
    state = settings.value("window/state")
    if isinstance(state, QByteArray):
        window.restoreState(state)
        return True
    return False


def save_layout(window: QMainWindow, settings: QSettings) -> None:
    settings.setValue("window/geometry", window.saveGeometry())
    settings.setValue("window/state", window.saveState())


def grid_header(grid: QWidget) -> QHeaderView | None:
    view = grid.findChild(QTableView)
    return None if view is None else view.horizontalHeader()


def save_column_widths(grid: QWidget, settings: QSettings) -> None:
    header = grid_header(grid)
    if header is not None:
        settings.setValue("grid/header", header.saveState())


def restore_column_widths(grid: QWidget, settings: QSettings) -> None:
    header, state = grid_header(grid), settings.value("grid/header")
    if header is not None and isinstance(state, QByteArray):
        header.restoreState(state)
