"""Render the app icon SVG to the PNG sizes desktops and installers want.

Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/render_icons.py``; commits the
results under resources/icons/ (PNG per size, .ico for Windows, .icns for macOS).
"""

from __future__ import annotations

import struct
from pathlib import Path

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "scheduler_gui" / "resources" / "icons" / "app.svg"
OUT = ROOT / "resources" / "icons"
APP_ID = "io.github.coursescheduleeditor.CourseScheduleEditor"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICNS_TYPES = ((b"icp4", 16), (b"icp5", 32), (b"icp6", 64), (b"ic07", 128), (b"ic08", 256),
              (b"ic09", 512))  # fmt: skip


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
    write_icns(OUT / "app.icns")


def write_icns(target: Path) -> None:
    """The macOS icon: an ICNS container of the PNGs (types macOS reads since 10.7)."""
    chunks = b""
    for kind, size in ICNS_TYPES:
        png = (OUT / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png").read_bytes()
        chunks += kind + struct.pack(">I", 8 + len(png)) + png
    target.write_bytes(b"icns" + struct.pack(">I", 8 + len(chunks)) + chunks)


if __name__ == "__main__":
    main()
