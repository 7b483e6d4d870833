"""Help → Documentation: the README and user guide, rendered from disk, offline.

The Markdown files sit next to the package: in a source checkout that is the repository
(``README.md``, ``docs/*.md``); the PyInstaller build copies them into the app folder the
same way (see ``packaging/scheduler-gui.spec``). Links between them and to their pictures
work inside the dialog; web links open in the browser.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import (
    QImage,
    QPixmap,
    QResizeEvent,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextImageFormat,
)
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

import scheduler_gui
from scheduler_gui import APP_NAME

ONLINE_URL = "https://github.com/coursescheduleeditor/scheduler-gui#readme"
#: Looked for in this order, relative to the folder that holds the package.
CANDIDATES = ("README.md", "docs/user-guide.md")


def documentation_file(root: Path | None = None) -> Path | None:
    """The first documentation file found next to the package (or under ``root``)."""
    if root is None:
        root = Path(scheduler_gui.__file__).resolve().parents[1]
    for name in CANDIDATES:
        path = root / name
        if path.is_file():
            return path
    return None


def heading_anchor(title: str) -> str:
    """The anchor GitHub gives a Markdown heading: ``Command line (`x`)`` → ``command-line-x``."""
    return re.sub(r"[^\w\- ]", "", title.strip().lower()).replace(" ", "-")


def name_headings(document: QTextDocument) -> None:
    """Give each heading its GitHub anchor, so ``[text](#anchor)`` links scroll to it
    (Qt's Markdown reader names no headings)."""
    block = document.begin()
    while block.isValid():
        if block.blockFormat().headingLevel() > 0:
            cursor = QTextCursor(block)
            cursor.movePosition(
                QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor
            )
            anchor = QTextCharFormat()
            anchor.setAnchor(True)
            anchor.setAnchorNames([heading_anchor(block.text())])
            cursor.mergeCharFormat(anchor)
        block = block.next()


def _missing_text() -> str:
    return (
        f"# {APP_NAME}\n\n"
        "The documentation files were not installed with this copy of the app.\n\n"
        f"Read them online: <{ONLINE_URL}>\n"
    )


def fit_pictures(browser: QTextBrowser) -> None:
    """Show each picture at most as wide as the browser (the README's screenshots are
    1280 pixels wide), keeping its proportions."""
    document = browser.document()
    room = max(100, browser.viewport().width() - 2 * int(document.documentMargin()) - 8)
    block = document.begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            picture = fragment.charFormat()
            if picture.isImageFormat():
                _fit(
                    document, fragment.position(), fragment.length(), picture.toImageFormat(), room
                )
            iterator += 1
        block = block.next()


def _fit(
    document: QTextDocument, at: int, length: int, picture: QTextImageFormat, room: int
) -> None:
    image = document.resource(QTextDocument.ResourceType.ImageResource, QUrl(picture.name()))
    size = image.size() if isinstance(image, (QImage, QPixmap)) else None
    if size is None or size.width() <= 0:
        return
    width = min(size.width(), room)
    if abs(picture.width() - width) < 1:
        return
    picture.setWidth(width)
    picture.setHeight(size.height() * width / size.width())
    cursor = QTextCursor(document)
    cursor.setPosition(at)
    cursor.setPosition(at + length, QTextCursor.MoveMode.KeepAnchor)
    cursor.setCharFormat(picture)


class PictureFittingBrowser(QTextBrowser):
    """A text browser whose pictures follow its width (see :func:`fit_pictures`)."""

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        fit_pictures(self)


class DocumentationDialog(QDialog):
    """A browser for the Markdown documentation, with Back and Home."""

    def __init__(self, parent: QWidget | None = None, path: Path | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{APP_NAME} — Documentation")
        self.resize(820, 640)
        self.browser = PictureFittingBrowser(self)
        self.browser.setAccessibleName("Documentation")
        self.browser.setOpenExternalLinks(True)  # http(s) links go to the web browser
        self.browser.sourceChanged.connect(self._loaded)
        self.path = path if path is not None else documentation_file()
        if self.path is None:
            self.browser.setMarkdown(_missing_text())
        else:
            self.browser.setSearchPaths([str(self.path.parent)])
            self.browser.setSource(
                QUrl.fromLocalFile(str(self.path)), QTextDocument.ResourceType.MarkdownResource
            )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        back = buttons.addButton("Back", QDialogButtonBox.ButtonRole.ActionRole)
        home = buttons.addButton("Contents", QDialogButtonBox.ButtonRole.ActionRole)
        back.setEnabled(False)
        back.clicked.connect(self.browser.backward)
        home.clicked.connect(self.browser.home)
        self.browser.backwardAvailable.connect(back.setEnabled)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)

    def _loaded(self, url: QUrl) -> None:
        name_headings(self.browser.document())
        fit_pictures(self.browser)
        if url.hasFragment():  # the browser tried before the headings had names
            self.browser.scrollToAnchor(url.fragment())
