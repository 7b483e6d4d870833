"""Start-up, timed as whole processes, against a bare-Qt floor run in the same benchmark.

- demo: ``scheduler-gui --demo --screenshot PNG`` (start, in-process sandbox, login,
  course 123456 loaded, painted, saved as PNG, exit) against ``qt_floor.py window``
  (QApplication + QMainWindow + a 50 × 6 QTableView shown, painted, grabbed, saved).
- login dialog: ``scheduler-gui --screenshot PNG --screenshot-of login`` (start → the
  login dialog painted and saved, exit) against the same floor.
- login → course painted: in a fresh process with the window shown, the login and the
  first load of course 900000 (10,000 items) from the sandbox in another process, until
  the grid is painted; against ``qt_floor.py course`` (raw token + GET + ``json.loads``
  into a bare table model, painted). The same probe then reloads (warm), and saves twice
  (first and warm save), and reports the longest event-loop gap of each
  (:mod:`benchmarks.gaps`): the window must not freeze for 100 ms, first run included.

Each app run gets the same fresh user folders (settings, logs) for the whole benchmark,
and writes its bytecode cache as an installed app does (``PYTHONDONTWRITEBYTECODE`` is
dropped for the runs: the warm-up writes it).
Run alone: ``python -m benchmarks startup``; the course probe alone:
``python benchmarks/bench_startup.py course URL``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

BIN = Path(sys.executable).parent
HERE = Path(__file__).resolve().parent
FLOOR = HERE / "qt_floor.py"
BIG = "900000"
BIG_ZONE = "America/New_York"
LOAD_TIMEOUT_MS = 120_000
GAP_KEYS = ("first load", "warm load", "first save", "warm save")


class StartupBench:
    """Fresh user folders and a scratch folder for the screenshots of one benchmark run."""

    def __init__(self) -> None:
        self.home = Path(tempfile.mkdtemp(prefix="bench-startup-"))
        self.env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
        }
        # As after an app's first start: its bytecode is cached (the warm-up run writes
        # it), not compiled again by every run.
        self.env.pop("PYTHONDONTWRITEBYTECODE", None)
        for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
            self.env[name] = str(self.home / name.lower())
        self.png = str(self.home / "shot.png")

    def _run(self, argv: list[str]) -> float:
        started = time.perf_counter()
        done = subprocess.run(argv, env=self.env, capture_output=True, text=True, timeout=300,
                              check=False)  # fmt: skip
        seconds = time.perf_counter() - started
        if done.returncode != 0 or not Path(self.png).is_file():
            raise RuntimeError(f"{' '.join(argv[1:])} failed:\n{done.stdout}\n{done.stderr}")
        Path(self.png).unlink()
        return seconds

    def demo(self) -> float:
        return self._run([str(BIN / "scheduler-gui"), "--demo", "--screenshot", self.png])

    def login_dialog(self) -> float:
        return self._run(
            [str(BIN / "scheduler-gui"), "--screenshot", self.png, "--screenshot-of", "login"]
        )

    def floor(self) -> float:
        return self._run([sys.executable, str(FLOOR), "window", self.png])

    def course(self, url: str) -> dict[str, float]:
        """The course probe below, in a fresh process: seconds and gaps by name."""
        return json.loads(self._child([sys.executable, __file__, "course", url], "COURSE "))

    def course_floor(self, url: str) -> float:
        return float(self._child([sys.executable, str(FLOOR), "course", url], "SECONDS "))

    def _child(self, argv: list[str], prefix: str) -> str:
        done = subprocess.run(argv, env=self.env, capture_output=True, text=True, timeout=600,
                              check=False, cwd=HERE.parent)  # fmt: skip
        found = [line for line in done.stdout.splitlines() if line.startswith(prefix)]
        if done.returncode != 0 or not found:
            raise RuntimeError(f"{' '.join(argv[1:])} failed:\n{done.stdout}\n{done.stderr}")
        return found[-1].removeprefix(prefix)


def _probe(url: str) -> None:
    """Log in and load course 900000 in the main window, as the app does; print JSON.

    As in the app, the window is built while the login dialog is up (here: before the
    timing starts) and shown once logged in. "Painted" is the grid's first paint after
    the course loaded. Each gap measure runs on for 50 ms after that paint.
    """
    from PySide6.QtCore import QEvent, QEventLoop, QObject, QSettings, QTimer, SignalInstance
    from PySide6.QtWidgets import QApplication

    from benchmarks.gaps import GapMeter
    from scheduler_gui.ui.dialogs.login import LoginForm, Session, connect
    from scheduler_gui.ui.shell.main_window import MainWindow
    from scheduler_gui.ui.widgets.workers import start_job

    app = QApplication(sys.argv[:1])
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "gui.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings)
    window.resize(1280, 800)
    # As the app does while the user types (an app older than deferred features has none).
    getattr(window.features, "install_deferred", lambda: None)()
    app.processEvents()

    def wait(signal: SignalInstance, start: object = None) -> None:
        loop = QEventLoop()
        signal.connect(loop.quit)
        window.load_failed.connect(lambda message: _die(f"load failed: {message}"))
        QTimer.singleShot(LOAD_TIMEOUT_MS, lambda: _die("timed out"))
        if callable(start):
            QTimer.singleShot(0, start)
        loop.exec()

    class PaintWatch(QObject):
        """When the grid first painted after the course loaded (``painted_at``)."""

        def __init__(self) -> None:
            super().__init__()
            self.waiting = False
            self.painted_at = 0.0
            self.loop = QEventLoop()
            window.course_loaded.connect(self.arm)

        def arm(self) -> None:
            self.waiting = True

        def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and self.waiting:
                self.waiting = False
                self.painted_at = time.perf_counter()
                self.loop.quit()
            return False

    watch = PaintWatch()
    window.editor.view.viewport().installEventFilter(watch)

    def painted() -> float:  # what the user sees once the signal came: the painted grid
        if watch.waiting:
            watch.loop.exec()
        return watch.painted_at

    def settle() -> None:  # the gap measure runs on for 50 ms, as in the test
        loop = QEventLoop()
        QTimer.singleShot(50, loop.quit)
        loop.exec()

    def logged_in(session: Session) -> None:
        window.set_client(session.client, session.label)
        window.show()
        window.open_course(BIG, time_zone=BIG_ZONE)

    form = LoginForm(url, "sandbox", "sandbox-app", "prof", "prof", remember=False)
    meter = GapMeter()
    results: dict[str, float] = {}
    with meter.measuring():
        started = time.perf_counter()
        wait(window.course_loaded, lambda: start_job(
            lambda _progress, _cancelled: connect(form), name="log in", on_success=logged_in,
            on_failure=lambda error: _die(f"login failed: {error}"),
        ))  # fmt: skip
        results["login to painted"] = painted() - started
        settle()
    results["first load"] = meter.longest
    with meter.measuring():
        wait(window.course_loaded, lambda: window.open_course(BIG))
        painted()
        settle()
    results["warm load"] = meter.longest
    for name, minutes in (("first save", 60), ("warm save", 120)):
        items = window.editor.current_schedule().items[::10]
        edited = [i.with_dates(end=i.end + timedelta(minutes=minutes)) for i in items if i.end]
        window.editor.apply_items(edited, "Ends later")
        with meter.measuring():
            window.save()  # the preview opens at once, or once its dialogs have loaded
            while window.save_flow is None:
                app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
            flow = window.save_flow
            assert flow is not None and flow.dialog is not None
            wait(window.saved, flow.dialog.save_button.click)
            settle()
        results[name] = meter.longest
    print("COURSE " + json.dumps(results), flush=True)
    window.undo_stack.clear()
    os._exit(0)  # PySide6 may crash while Python finalizes its objects; the numbers are out


def _die(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
    os._exit(1)


if __name__ == "__main__" and sys.argv[1:2] == ["course"]:
    sys.path.insert(0, str(HERE.parent))
    _probe(sys.argv[2])
