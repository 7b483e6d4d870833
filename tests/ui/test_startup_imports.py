"""``scheduler-gui`` starts without loading what it does not use yet.

The real entry point runs in a subprocess (offscreen) and prints ``sys.modules`` at the
moment it takes its ``--screenshot``: the login dialog painted (a bare start), or the
demo course painted in the main window. Spreadsheets, the keyring, holidays, the
timeline, the dialogs of Shift / Copy dates, the XML codec and the sandbox server (the
demo runs it in a process of its own) must not be among them, nor the save dialogs (they
load in the background with the first edit), nor, before the main
window exists, the activity feature and the HTTP client: they load on first use. (How
fast it starts is measured by ``python -m benchmarks startup``, not asserted here.)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[2]
#: Runs the app's ``main`` and lists the modules loaded when the screenshot is taken.
PROBE = """
import json, sys
import scheduler_gui.app as app
take = app.AppFlow._take_screenshot
def listing(self, target):
    print("MODULES " + json.dumps(sorted(n for n, m in sys.modules.items() if m)), flush=True)
    take(self, target)
app.AppFlow._take_screenshot = listing
sys.exit(app.main(sys.argv[1:]))
"""
#: Never before their first use, on any start.
LATER = (
    "openpyxl", "scheduler_gui.io", "keyring", "holidays",
    "scheduler_gui.ui.features.timeline.panel", "scheduler_gui.ui.features.timeline.view",
    "scheduler_gui.ui.features.shift.dialog", "scheduler_gui.ui.features.copy_dates.dialog",
    "scheduler_gui.core.shift", "scheduler_gui.core.copy_dates",
    "starlette", "uvicorn", "scheduler_gui.sandbox.server", "scheduler_gui.sandbox.app",
    "scheduler_gui.core.xmlcodec", "defusedxml",  # the XML wire format, when chosen
    "scheduler_gui.ui.save", "scheduler_gui.api.save",  # with the first edit (in a worker)
)  # fmt: skip
#: Not before the login dialog is on screen either (the window is built after it).
AFTER_LOGIN_DIALOG = (
    "scheduler_gui.sandbox", "httpx", "scheduler_gui.api.client",
    "scheduler_gui.api.activity", "scheduler_gui.api.clock", "scheduler_gui.ui.features.activity",
    "scheduler_gui.ui.shell.main_window",
)  # fmt: skip


def modules_at_screenshot(tmp_path: Path, *args: str) -> set[str]:
    """The modules loaded when ``scheduler-gui --screenshot PNG *args`` takes its shot."""
    png = tmp_path / "shot.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "--screenshot", str(png), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert png.is_file()
    line = next(line for line in done.stdout.splitlines() if line.startswith("MODULES "))
    return set(json.loads(line.removeprefix("MODULES ")))


def loaded(modules: set[str], names: tuple[str, ...]) -> list[str]:
    """Which of ``names`` (packages include their submodules) are in ``modules``."""
    return sorted(m for m in modules for name in names if m == name or m.startswith(name + "."))


def test_the_login_dialog_paints_before_anything_it_does_not_need_is_loaded(
    tmp_path: Path,
) -> None:
    modules = modules_at_screenshot(tmp_path, "--screenshot-of", "login")
    assert "scheduler_gui.ui.dialogs.login" in modules  # the probe sees our own imports
    assert not loaded(modules, LATER + AFTER_LOGIN_DIALOG)


@pytest.mark.slow
def test_the_demo_course_paints_before_spreadsheets_keyring_holidays_or_timeline_load(
    tmp_path: Path,
) -> None:
    modules = modules_at_screenshot(tmp_path, "--demo")
    assert "scheduler_gui.ui.shell.main_window" in modules
    assert "scheduler_gui.sandbox.process" in modules  # starts the demo's own server
    assert not loaded(modules, LATER)
