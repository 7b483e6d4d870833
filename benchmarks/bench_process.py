"""Whole-process costs: ``schedctl --help`` start-up, ``schedctl get`` of course 900000
against a script doing the least a ``get`` can (log in, GET, ``json.loads``), and the
app's peak memory.

``python benchmarks/bench_process.py peak URL`` is the peak-memory probe: it opens the
main window offscreen, loads course 900000 from the sandbox at URL as the app does (login,
background load, grid, validation), paints it, and prints ``PEAK_RSS_MB <n>`` (the
process's RSS high-water mark). The runner starts it as a subprocess.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
COURSE = "900000"


def time_command(argv: list[str], env: dict[str, str] | None = None) -> float:
    """Seconds from start to exit of ``argv`` (output discarded)."""
    started = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=env)
    return time.perf_counter() - started


def bench_help() -> float:
    return time_command([str(BIN / "schedctl"), "--help"])


def bench_python_floor() -> float:
    return time_command([sys.executable, "-c", "pass"])


#: The floor of ``schedctl get``: a script that logs in, GETs the course and parses it.
RAW_GET = r"""
import json, sys
import httpx
url = sys.argv[1]
form = {"grant_type": "password", "client_id": "sandbox-app",
        "username": "sandbox\\prof", "password": "prof"}
token = httpx.post(url + "/token", data=form).json()["access_token"]
headers = {"X-Authorization": "Access_Token access_token=" + token}
body = httpx.get(url + "/courses/900000/itemSchedules", headers=headers).content
json.loads(body)
"""


def _login_env(url: str) -> dict[str, str]:
    """``schedctl`` logs in to the sandbox as prof, with its own empty user directories."""
    home = tempfile.mkdtemp(prefix="bench-home-")
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        env[name] = str(Path(home) / name.lower())
    env.update(LS_BASE_URL=url, LS_CLIENT_STRING="sandbox", LS_APP_ID="sandbox-app")
    env.update(LS_USERNAME="prof", LS_PASSWORD="prof")  # noqa: S106 - the public demo login
    return env


def bench_get(url: str) -> float:
    """``schedctl get 900000`` as a whole process (the document to stdout, discarded)."""
    return time_command([str(BIN / "schedctl"), "--tz", "UTC", "get", COURSE], _login_env(url))


def bench_get_floor(url: str) -> float:
    return time_command([sys.executable, "-c", RAW_GET, url])


def peak_memory_mb(url: str) -> float:
    """Run the probe below in a fresh process and return its RSS high-water mark in MB."""
    home = tempfile.mkdtemp(prefix="bench-home-")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        env[name] = str(Path(home) / name.lower())
    result = subprocess.run(
        [sys.executable, __file__, "peak", url],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=300,
    )
    found = dict(line.split(" ", 1) for line in result.stdout.splitlines() if " " in line)
    if found.get("ITEMS") == "10000" and "PEAK_RSS_MB" in found:
        return float(found["PEAK_RSS_MB"])
    raise RuntimeError(f"peak-memory probe failed:\n{result.stdout}\n{result.stderr}")


def _probe(url: str) -> None:
    from PySide6.QtCore import QEventLoop, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from scheduler_gui.ui.dialogs.login import LoginForm, connect
    from scheduler_gui.ui.shell.main_window import MainWindow

    app = QApplication([])
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "gui.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings)
    window.resize(1280, 800)
    session = connect(LoginForm(url, "sandbox", "sandbox-app", "prof", "prof", remember=False))
    window.set_client(session.client, session.label)
    window.show()
    loop = QEventLoop()
    window.course_loaded.connect(lambda _id: loop.quit())

    def failed(message: str) -> None:
        print(message)
        loop.quit()

    window.load_failed.connect(failed)
    QTimer.singleShot(240_000, loop.quit)
    window.open_course(COURSE, time_zone="America/Denver")
    loop.exec()
    app.processEvents()
    window.grab()
    rows = window.editor.current_schedule().items if window.has_course() else ()
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KB on Linux
    print(f"ITEMS {len(rows)}")
    print(f"PEAK_RSS_MB {peak_kb / 1024:.1f}")
    window.undo_stack.clear()
    session.client.close()


if __name__ == "__main__" and sys.argv[1:2] == ["peak"]:
    _probe(sys.argv[2])
