"""Help → Show log, Documentation and About: each opens its dialog over ``parent``.

The dialogs are imported when first opened (they are not needed to start the window).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QWidget


def _open(dialog: QDialog) -> None:
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()


def show_log(parent: QWidget) -> None:
    from scheduler_gui.store.logs import log_file

    from .log_viewer import LogViewer

    _open(LogViewer(log_file(), parent))


def show_documentation(parent: QWidget) -> None:
    from .documentation import DocumentationDialog

    _open(DocumentationDialog(parent))


def show_about(parent: QWidget) -> None:
    from .about import AboutDialog

    _open(AboutDialog(parent))
