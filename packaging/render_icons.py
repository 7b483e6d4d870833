"""Render the app icon SVG to the PNG sizes desktops and installers want.

Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/render_icons.py``; commits the
results under resources/icons/ (PNG per size, plus .ico for Windows).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "scheduler_gui" / "resources" / "icons" / "app.svg"
OUT = ROOT / "resources" / "icons"
APP_ID = "io.github.coursescheduleeditor.CourseScheduleEditor"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def main() -> None:
    _app = QGuiApplication([])
    renderer = QSvgRenderer(QByteArray(SOURCE.read_bytes()))
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        target = OUT / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        image.save(str(target))
        if size == 256:
            image.save(str(OUT / "app.ico"))
            image.save(str(OUT / "app.png"))


if __name__ == "__main__":
    main()
