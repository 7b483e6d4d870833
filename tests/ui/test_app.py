"""``scheduler-gui`` as a program: --demo --screenshot, no display, failures; Help menu."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from scheduler_gui import __version__
from scheduler_gui.app import AppFlow, build_parser
from scheduler_gui.session.course_zones import CourseZones
from scheduler_gui.store.logs import close_logging, setup_logging
from scheduler_gui.ui.dialogs.about import AboutDialog
from scheduler_gui.ui.dialogs.log_viewer import LogViewer
from scheduler_gui.ui.shell.main_window import MainWindow
from tests.sandbox.helpers import password_form
from tests.ui.gui_session import open_window, tidy, visible_dialogs

pytestmark = pytest.mark.gui

APP = [sys.executable, "-m", "scheduler_gui"]


def env(**changes: str | None) -> dict[str, str]:
    result = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    for name, value in changes.items():
        result.pop(name, None)
        if value is not None:
            result[name] = value
    return result


def run_app(
    *args: str, timeout: float = 180, **env_changes: str | None
) -> subprocess.CompletedProcess[str]:
    """Run ``scheduler-gui ARGS`` to the end (offscreen unless ``env_changes`` say
    otherwise), its output captured."""
    return subprocess.run(
        [*APP, *args],
        env=env(**env_changes),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.mark.slow
def test_demo_screenshot_writes_a_png_of_the_loaded_course(
    tmp_path: Path, _isolated_user_dirs: Path
) -> None:
    target = tmp_path / "shots" / "main.png"
    done = run_app("--demo", "--screenshot", str(target))
    assert done.returncode == 0, done.stderr
    assert f"Screenshot saved to {target}" in done.stdout  # flushed before the fast exit
    # What the run kept is on disk though the process ends without Python's teardown:
    # the settings (synced at shutdown) and the log (closed by the exit hooks).
    settings = QSettings(str(next(_isolated_user_dirs.rglob("gui.ini"))),
                         QSettings.Format.IniFormat)  # fmt: skip
    assert settings.value("last_course") == "123456"
    log = next(_isolated_user_dirs.rglob("*.log")).read_text(encoding="utf-8")
    assert "/courses/123456/itemSchedules" in log
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    image = QImage(str(target))
    assert (image.width(), image.height()) == (1280, 800)
    # With a display too, the demo says where its server is and how schedctl reaches it.
    url = re.search(r"The demo sandbox is running at (http://127\.0\.0\.1:\d+)", done.stdout)
    assert url is not None, done.stdout
    for line in (f"export LS_BASE_URL={url.group(1)}", "export LS_CLIENT_STRING=sandbox",
                 "export LS_APP_ID=sandbox-app", "schedctl get 123456"):  # fmt: skip
        assert line in done.stdout


@pytest.mark.slow
@pytest.mark.parametrize(("target", "size"), [("shift-dialog", (900, 680)), ("timeline", None)])
def test_screenshot_of_the_shift_dialog_and_the_timeline(
    tmp_path: Path, _isolated_user_dirs: Path, target: str, size: tuple[int, int] | None
) -> None:
    settings = QSettings(
        str(_isolated_user_dirs / "xdg_config_home" / "CourseScheduleEditor" / "gui.ini"),
        QSettings.Format.IniFormat,
    )
    settings.setValue("courses/123456/shift/mode", "to_start")  # the dialog's last options
    settings.setValue("courses/123456/shift/new_start", "2011-08-29")
    settings.sync()
    shot = tmp_path / f"{target}.png"
    done = run_app("--demo", "--screenshot", str(shot), "--screenshot-of", target)
    assert done.returncode == 0, done.stderr
    image = QImage(str(shot))
    if size is not None:
        assert (image.width(), image.height()) == size  # the dialog, not the window
    else:  # the timeline tab: as wide as the window, not as high
        assert image.width() == 1280 and 300 < image.height() < 800


@pytest.mark.slow
def test_screenshot_of_a_course_that_cannot_load_fails_with_a_message(tmp_path: Path) -> None:
    target = tmp_path / "never.png"
    done = run_app("--demo", "--course", "999999", "--screenshot", str(target))
    assert done.returncode == 1
    assert "scheduler-gui:" in done.stderr and "Traceback" not in done.stderr
    assert not target.exists()


def test_without_a_display_the_app_says_so_instead_of_crashing() -> None:
    done = run_app(timeout=60, DISPLAY=None, WAYLAND_DISPLAY=None, QT_QPA_PLATFORM=None)
    assert done.returncode == 2
    assert "no display found" in done.stderr
    assert "QT_QPA_PLATFORM=offscreen" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.slow
def test_demo_without_a_display_keeps_serving_the_sandbox_for_schedctl() -> None:
    server = subprocess.Popen(
        [*APP, "--demo"],
        env=env(DISPLAY=None, WAYLAND_DISPLAY=None, QT_QPA_PLATFORM=None),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        url = None
        for line in server.stdout:
            found = re.search(r"export LS_BASE_URL=(\S+)", line)
            if found:
                url = found.group(1)
                break
        assert url is not None
        token = httpx.post(
            f"{url}/token",
            data=password_form("prof"),
        )
        assert token.status_code == 200
    finally:
        server.send_signal(signal.SIGINT)
        _, errors = server.communicate(timeout=30)
    assert server.returncode == 0
    assert "no display found" in errors


@pytest.fixture
def window(qtbot: QtBot, sandbox: Any, tmp_path: Path) -> Iterator[MainWindow]:
    setup_logging()
    win = open_window(qtbot, sandbox.url, tmp_path)
    yield win
    tidy(qtbot, win)
    close_logging()


def test_help_show_log_lists_the_requests_without_secrets(window: MainWindow) -> None:
    window.named_actions["show_log"].trigger()
    viewer = visible_dialogs(LogViewer)[0]
    text = viewer.text.toPlainText()
    assert "GET /courses/123456/itemSchedules" in text
    assert "prof" not in text.replace("/me", "")  # neither the password nor the user
    viewer.close()


def test_help_about_names_the_version(window: MainWindow) -> None:
    window.named_actions["about"].trigger()
    about = visible_dialogs(AboutDialog)[0]
    assert f"Version {__version__}" in about.text.text()
    about.close()


def test_every_common_action_has_a_shortcut_and_an_icon(window: MainWindow) -> None:
    for key in ("open", "reload", "save", "import", "export", "quit", "undo", "redo", "find",
                "shift", "set_column"):  # fmt: skip
        action = window.named_actions[key]
        assert not action.shortcut().isEmpty(), key
        assert not action.icon().isNull(), key
    shortcuts = [a.shortcut().toString() for a in window.named_actions.values()]
    duplicated = {s for s in shortcuts if s and shortcuts.count(s) > 1}
    assert not duplicated


def test_window_layout_and_last_course_are_remembered(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    window.resize(780, 560)  # the offscreen screen is 800 x 600
    window.validation_dock.hide()
    assert window.close()
    again = MainWindow(QSettings(str(tmp_path / "gui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(again)
    assert (again.width(), again.height()) == (780, 560)
    assert again.validation_dock.isHidden()
    assert again.settings.value("last_course") == "123456"
    assert CourseZones().get("123456") == ZoneInfo("America/Denver")  # shared with schedctl


@pytest.mark.slow
def test_screenshot_of_the_save_preview_after_edits(tmp_path: Path) -> None:
    edits = tmp_path / "edits.json"
    edits.write_text('[{"item": 987600006, "field": "end", "value": "2011-01-18T06:59:00Z"}]')
    target = tmp_path / "save.png"
    done = run_app(
        "--demo",
        "--screenshot",
        str(target),
        "--screenshot-of",
        "save-preview",
        "--apply-edits",
        str(edits),
    )
    assert done.returncode == 0, done.stderr
    image = QImage(str(target))
    assert 0 < image.width() < 1280  # the dialog, not the window


@pytest.mark.slow
def test_screenshot_of_the_save_preview_without_edits_says_why_not(tmp_path: Path) -> None:
    done = run_app(
        "--demo", "--screenshot", str(tmp_path / "x.png"), "--screenshot-of", "save-preview"
    )
    assert done.returncode == 1
    assert "no unsaved changes" in done.stderr


def test_screenshot_gives_up_after_its_timeout(tmp_path: Path) -> None:
    target = tmp_path / "late.png"
    done = run_app("--demo", "--screenshot", str(target), "--screenshot-timeout", "0.001")
    assert done.returncode == 1
    assert "did not load within" in done.stderr and "no screenshot" in done.stderr
    assert not target.exists()


def test_an_unknown_time_zone_is_a_usage_error() -> None:
    done = run_app("--demo", "--tz", "Mars/Olympus", timeout=60)
    assert done.returncode == 2
    assert "Unknown time zone 'Mars/Olympus'" in done.stderr


def test_shutdown_puts_the_settings_on_disk_before_the_process_ends(tmp_path: Path) -> None:
    # The program ends without Python's teardown (app.end_process), where QSettings would
    # write what changed last, e.g. the window layout saved as the window closed.
    path = tmp_path / "gui.ini"
    settings = QSettings(str(path), QSettings.Format.IniFormat)
    flow = AppFlow(build_parser().parse_args([]), settings=settings)
    settings.setValue("MainWindow/probe", "kept")  # no event-loop pass after it
    flow.shutdown()
    assert "probe=kept" in path.read_text(encoding="utf-8")
