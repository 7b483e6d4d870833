"""Help → About: name, version, what the app is for, and the versions it runs on."""

from __future__ import annotations

import platform

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from scheduler_gui import APP_NAME, __version__

from ..widgets.icons import app_icon


def about_text() -> str:
    return (
        f"<h2>{APP_NAME}</h2>"
        f"<p>Version {__version__}</p>"
        "<p>Edit the access schedules of every item of a LearningStudio course in one "
        "grid, preview the changes, and save them in one verified request. A backup of "
        "the course is written before every save.</p>"
        f"<p><small>Python {platform.python_version()} · Qt {qVersion()} · "
        f"PySide6 {pyside_version}</small></p>"
    )


class AboutDialog(QDialog):
    """A small dialog with the app icon and :func:`about_text`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"About {APP_NAME}")
        picture = QLabel()
        picture.setPixmap(app_icon().pixmap(96, 96))
        picture.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.text = QLabel(about_text())
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setMinimumWidth(340)
        row = QHBoxLayout()
        row.addWidget(picture)
        row.addWidget(self.text, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(buttons)
