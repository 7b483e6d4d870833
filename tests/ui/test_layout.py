"""Layout that holds in a small window: readable titles, a still filter bar, whole
messages, and a window that comes back on the screen it can be seen on."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QRect, QSettings, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox
from pytestqt.qtbot import QtBot

from scheduler_gui.ui.grid.column_fit import plan_widths
from scheduler_gui.ui.grid.columns import DATE_COLUMNS, FLAG_COLUMNS, Column
from scheduler_gui.ui.grid.editor import TITLE_MIN_CHARS, title_min_width
from scheduler_gui.ui.shell.main_window import MainWindow
from tests.ui.gui_session import features, open_window, tidy

pytestmark = pytest.mark.gui
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def small_window(qtbot: QtBot, sandbox: Any, tmp_path: Path) -> Iterator[MainWindow]:
    """The demo course at 800 x 600 with the Activity dock open."""
    window = open_window(qtbot, sandbox.url, tmp_path)
    _ = features(window)  # installed after the first paint otherwise
    window.named_actions["activity"].trigger()
    qtbot.waitUntil(lambda: features(window).dock.isVisible())
    window.resize(800, 600)
    qtbot.waitUntil(lambda: window.width() == 800, timeout=2000)
    QApplication.processEvents()
    yield window
    tidy(qtbot, window)


def assert_title_readable(layout: dict[str, Any]) -> None:
    assert layout["title_width"] >= layout["title_min"], layout
    assert layout["title_left"] == 0  # the first column, in view
    assert layout["title_width"] <= layout["viewport_width"], layout


def test_the_title_column_stays_readable_at_800x600_with_the_activity_dock(
    small_window: MainWindow,
) -> None:
    view = small_window.editor.view
    header = view.horizontalHeader()
    assert features(small_window).dock.width() > 200  # the dock really takes room
    title = header.sectionSize(Column.TITLE)
    assert title >= TITLE_MIN_CHARS * view.fontMetrics().averageCharWidth()
    assert_title_readable({"title_width": title, "title_min": title_min_width(view.fontMetrics()),
                           "title_left": header.sectionViewportPosition(Column.TITLE),
                           "viewport_width": view.viewport().width()})  # fmt: skip
    # The dates gave way first: no weekday, and narrower than in a big window.
    start = view.model().index(0, Column.START)
    assert header.sectionSize(Column.START) < small_window.editor.column_fit.defaults[Column.START]
    shown = view.visualRect(start)
    assert shown.width() == header.sectionSize(Column.START)


def test_the_title_column_stays_readable_at_200_percent(sandbox: Any, tmp_path: Path) -> None:
    screen = tmp_path / "screen.json"  # 1600 x 1200 pixels: 800 x 600 at 200 %
    screen.write_text(json.dumps({"screens": [{"name": "hidpi", "x": 0, "y": 0, "width": 1600,
                                               "height": 1200, "logicalDpi": 96,
                                               "logicalBaseDpi": 96, "dpr": 1}]}))  # fmt: skip
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={screen}",
           "QT_SCALE_FACTOR": "2"}  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "tests.ui.layout_probe", sandbox.url],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    layout = json.loads(done.stdout.strip().splitlines()[-1])
    assert layout["device_pixel_ratio"] == 2
    assert layout["window"] == [800, 600] and layout["activity_dock_shown"]
    assert_title_readable(layout)  # in logical pixels, as at 100 %


def test_the_filter_bar_stays_put_when_the_item_count_changes(
    qtbot: QtBot, small_window: MainWindow
) -> None:
    editor = small_window.editor
    controls = [editor.filter_edit, editor.kind_combo, editor.changed_button,
                editor.problems_button, editor.inherited_button, editor.count_label]  # fmt: skip
    before = [QRect(c.geometry()) for c in controls]
    counts = [editor.count_label.text()]
    QTest.mouseClick(editor.inherited_button, Qt.MouseButton.LeftButton)
    counts.append(editor.count_label.text())
    assert [c.geometry() for c in controls] == before
    QTest.keyClicks(editor.filter_edit, "Quiz")
    counts.append(editor.count_label.text())
    assert [c.geometry() for c in controls] == before
    QTest.mouseClick(editor.inherited_button, Qt.MouseButton.LeftButton)
    counts.append(editor.count_label.text())
    assert [c.geometry() for c in controls] == before
    assert len(set(counts)) == 4, counts  # the count did change each time


def test_a_long_status_message_has_a_details_button_with_all_of_it(
    qtbot: QtBot, small_window: MainWindow
) -> None:
    details = small_window.status.details
    small_window.show_message("Loaded 67 items.")
    assert details.button.isHidden()
    long = ("Loaded 67 items. Your unsaved changes to DEMO-101 Demonstration Course 101 are "
            "kept as a draft: they are offered when you open it again.")  # fmt: skip
    small_window.show_message(long)
    assert details.button.isVisible()
    QTest.mouseClick(details.button, Qt.MouseButton.LeftButton)
    box = small_window.findChild(QMessageBox, "StatusMessageDetails")
    assert box is not None and box.isVisible() and box.text() == long
    box.close()
    small_window.show_message("")
    assert details.button.isHidden()


def test_a_window_saved_off_screen_comes_back_whole_on_the_screen(
    qtbot: QtBot, tmp_path: Path
) -> None:
    elsewhere = QMainWindow()  # on a monitor that is no longer there, bigger than this one
    elsewhere.setGeometry(3000, 2500, 1400, 1000)
    settings = QSettings(str(tmp_path / "gui.ini"), QSettings.Format.IniFormat)
    settings.setValue("window/geometry", elsewhere.saveGeometry())
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    screen = QGuiApplication.primaryScreen().availableGeometry()
    assert screen.contains(window.frameGeometry()), (window.frameGeometry(), screen)


def test_dates_give_way_before_the_checkboxes_and_the_users_widths_are_kept() -> None:
    preferred = {Column.START: 200, Column.END: 200, Column.DUE: 200,
                 Column.OPEN_BEFORE: 90, Column.OPEN_AFTER: 90}  # fmt: skip
    minimums = {**dict.fromkeys(DATE_COLUMNS, 140), **dict.fromkeys(FLAG_COLUMNS, 50)}
    roomy = plan_widths(1200, 180, preferred, minimums)
    assert roomy == {**preferred, Column.TITLE: 1200 - 780}
    tight = plan_widths(780, 180, preferred, minimums)  # 180 px short: the dates give them
    assert [tight[c] for c in DATE_COLUMNS] == [140, 140, 140]
    assert [tight[c] for c in FLAG_COLUMNS] == [90, 90] and tight[Column.TITLE] == 180
    tiny = plan_widths(400, 180, preferred, minimums, keep=[Column.START])
    assert tiny[Column.START] == 200  # sized by the user: kept, the table scrolls
    assert tiny[Column.TITLE] == 180 and tiny[Column.OPEN_BEFORE] == 50


def test_the_legend_is_readable_at_800x600_with_the_activity_dock(
    small_window: MainWindow,
) -> None:
    """Each legend entry is whole, in its short form if need be ("changed", not "chan…")."""
    from scheduler_gui.ui.widgets.elided_label import ElidedLabel

    labels = [
        label
        for label in small_window.editor.findChildren(ElidedLabel)
        if label.objectName() == "LegendLabel"
    ]
    assert len(labels) == 4
    for label in labels:
        assert label.isVisible()
        assert not label.is_elided(), label.shown_text()
        assert label.shown_text().split()[0] in ("inherited", "changed", "warning", "error")


@pytest.mark.parametrize("action", ["shift", "copy_dates", "term_rollover", "docs", "show_log"])
def test_dialogs_open_whole_on_a_small_screen(
    qtbot: QtBot, sandbox: Any, tmp_path: Path, action: str
) -> None:
    """A dialog bigger than the screen (900 x 680 Shift dates on 800 x 600, or a laptop
    at 200 %) is shrunk and moved onto it: its buttons stay reachable."""
    window = open_window(qtbot, sandbox.url, tmp_path)
    screen = QGuiApplication.primaryScreen().availableGeometry()
    window.resize(min(800, screen.width()), min(600, screen.height()))
    before = {w for w in QApplication.topLevelWidgets() if w.isVisible()}
    window.named_actions[action].trigger()
    qtbot.waitUntil(
        lambda: any(w.isVisible() and w not in before for w in QApplication.topLevelWidgets())
    )
    dialog = next(w for w in QApplication.topLevelWidgets() if w.isVisible() and w not in before)
    assert screen.contains(dialog.frameGeometry()), (dialog.frameGeometry(), screen)
    dialog.close()
    tidy(qtbot, window)


@pytest.mark.parametrize("with_dock", [False, True])
def test_the_timeline_tools_do_not_overlap_in_a_small_window(
    qtbot: QtBot, sandbox: Any, tmp_path: Path, with_dock: bool
) -> None:
    """At 800 x 600 (with the Activity panel, the timeline is 370 pixels wide) the tools
    and the legend wrap onto more lines: none drawn over another, no label cut."""
    from PySide6.QtWidgets import QLabel, QLineEdit, QToolButton

    window = open_window(qtbot, sandbox.url, tmp_path)
    if with_dock:
        _ = features(window)
        window.named_actions["activity"].trigger()
        qtbot.waitUntil(lambda: features(window).dock.isVisible())
    window.resize(800, 600)
    window.named_actions["show_timeline"].trigger()
    panel = window.features.timeline.panel
    qtbot.waitUntil(lambda: panel.isVisible() and window.width() == 800)
    QApplication.processEvents()
    tools = [
        w
        for kind in (QLabel, QLineEdit, QToolButton)
        for w in panel.findChildren(kind)
        if w.isVisible() and not panel.view.isAncestorOf(w)
    ]
    assert len(tools) > 10
    rects = {w: QRect(w.mapTo(panel, w.rect().topLeft()), w.size()) for w in tools}
    for a in tools:
        assert panel.rect().contains(rects[a]), (a, rects[a], panel.rect())
        if isinstance(a, QLabel) and a.text():
            assert a.width() >= a.sizeHint().width(), a.text()
        for b in tools:
            if a is not b and not a.isAncestorOf(b) and not b.isAncestorOf(a):
                assert not rects[a].intersects(rects[b]), (a, b)
    tidy(qtbot, window)


def test_the_activity_panels_message_is_whole_in_a_small_window(
    small_window: MainWindow, qtbot: QtBot
) -> None:
    dock = features(small_window).dock
    status = dock.status
    qtbot.waitUntil(lambda: "entries" in status.text() or "entry" in status.text(), timeout=10_000)
    QApplication.processEvents()
    assert len(status.text()) > 80  # a long message: several lines at the dock's width
    needed = status.heightForWidth(status.width())
    assert needed > status.fontMetrics().lineSpacing() * 2
    assert status.height() >= needed  # not cut off at the bottom
