"""The main window as a user with a small screen has it, measured in a process of its own.

    python -m tests.ui.layout_probe SANDBOX_URL [PNG]

Opens the demo course from the sandbox at 800 x 600 (logical pixels) with the Activity
dock open, prints the layout as JSON on stdout, and saves the window as PNG if asked.
A process of its own, so that ``QT_SCALE_FACTOR`` (200 % scaling) applies from the start;
the tests run it with a 1600 x 1200 offscreen screen, which is 800 x 600 at 200 %.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

SIZE = (800, 600)


def measure(window: Any) -> dict[str, Any]:
    from scheduler_gui.ui.grid.columns import Column
    from scheduler_gui.ui.grid.editor import title_min_width

    view = window.editor.view
    header = view.horizontalHeader()
    return {
        "device_pixel_ratio": window.devicePixelRatio(),
        "window": [window.width(), window.height()],
        "activity_dock_shown": window.named_actions["activity"].isChecked(),
        "title_width": header.sectionSize(Column.TITLE),
        "title_left": header.sectionViewportPosition(Column.TITLE),
        "title_min": title_min_width(view.fontMetrics()),
        "viewport_width": view.viewport().width(),
        "date_width": header.sectionSize(Column.START),
    }


def main(argv: list[str]) -> int:
    url, picture = argv[0], (Path(argv[1]) if len(argv) > 1 else None)
    app = QApplication([])
    from scheduler_gui.ui.shell.main_window import MainWindow
    from tests.ui.gui_session import sandbox_client

    folder = tempfile.mkdtemp(prefix="layout-probe-")
    window = MainWindow(QSettings(f"{folder}/gui.ini", QSettings.Format.IniFormat))
    client = sandbox_client(url)
    window.set_client(client, "prof")
    window.show()
    _ = window.features.activity  # installed after the first paint otherwise
    window.named_actions["activity"].trigger()
    answer: dict[str, Any] = {}

    def loaded(_course: str) -> None:
        window.resize(*SIZE)
        QTimer.singleShot(300, done)  # let the docks and columns settle

    def done() -> None:
        answer.update(measure(window))
        if picture is not None:
            window.grab().save(str(picture))
        app.quit()

    def failed(message: str) -> None:
        answer["error"] = message
        app.quit()

    window.course_loaded.connect(loaded)
    window.load_failed.connect(failed)
    window.open_course("123456", time_zone="America/Denver")
    QTimer.singleShot(60_000, lambda: failed("timed out"))
    app.exec()
    print(json.dumps(answer), flush=True)
    client.close()
    window.deleteLater()
    return 0 if "error" not in answer else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
