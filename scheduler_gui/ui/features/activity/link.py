"""Opening a single sign-on link without leaking it, and the dialog when no browser can.

A course-entry URL signs its holder in as the user for a few minutes: it must not end up
in a terminal, a log or a bug report. Qt prints the URL it could not open ("Unable to
detect a web browser to launch 'https://…'"); :func:`open_link_quietly` keeps such
messages away from stderr and the log. When nothing opened the link,
:class:`CopyLinkDialog` lets the user copy it into a browser of their choice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QMessageLogContext, QtMsgType, QUrl, qInstallMessageHandler
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

log = logging.getLogger(__name__)
Handler = Callable[[QtMsgType, QMessageLogContext, str], Any]


def open_link_quietly(url: str) -> bool:
    """``QDesktopServices.openUrl(url)``; Qt's messages naming the link are dropped (a
    redacted line goes to the log instead), all others pass on as usual."""
    qurl = QUrl(url)
    forms = {
        url,
        qurl.toString(),
        qurl.toDisplayString(),
        bytes(qurl.toEncoded().data()).decode(),
        qurl.query(),
    }
    secrets = [form for form in forms if form]
    previous: Handler | None = None

    def handler(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
        if any(secret in message for secret in secrets):
            for secret in secrets:
                message = message.replace(secret, "<course link>")
            log.info("The desktop did not open the course link: %s", message)
            return
        if previous is not None:
            previous(mode, context, message)
        else:  # Qt's default handler writes the message to stderr
            import sys

            print(message, file=sys.stderr)

    previous = qInstallMessageHandler(handler)
    try:
        return QDesktopServices.openUrl(qurl)
    finally:
        qInstallMessageHandler(previous)


class CopyLinkDialog(QDialog):
    """No browser opened the course: copy its link instead (valid a few minutes)."""

    def __init__(self, url: str, course: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CopyLinkDialog")
        self.setWindowTitle("Open in LearningStudio")
        self._url = url
        text = QLabel(
            f"No web browser could be started to open <b>{_html(course)}</b>.<br>"
            "Copy the link and paste it into a browser within five minutes. It signs you "
            "in as yourself: do not share it."
        )
        text.setWordWrap(True)
        self.link = QLineEdit(url)
        self.link.setReadOnly(True)
        self.link.setAccessibleName("Course link")
        self.link.setCursorPosition(0)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton("&Copy link")
        self.copy_button.setDefault(True)
        self.buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy)
        self.buttons.rejected.connect(self.reject)
        self.status = QLabel()
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.link)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.resize(520, self.sizeHint().height())

    def copy(self) -> None:
        """Put the link on the clipboard (the dialog stays open: the user may need it twice)."""
        clipboard = QGuiApplication.clipboard()
        clipboard.setText(self._url)
        self.status.setText("Copied. Paste it into your browser's address bar.")
        self.copy_button.setText("&Copy again")


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
