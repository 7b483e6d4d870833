"""``scheduler-gui``: the desktop editor's entry point.

``scheduler-gui`` shows the login dialog, then the course picker (or ``--course``).
``--demo`` starts the sandbox server (a child process that ends with the app), logs in
as ``prof`` and opens the demo course. ``--screenshot PATH`` saves the main window as
PNG once the course has loaded and exits (0 on success). ``--apply-edits FILE`` makes
edits as a user would, once the course has loaded (for scripted screenshots and the
crash-safety test).
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import json
import os
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

# First, before Qt: a `scheduler-gui --demo` launch starts its sandbox process here.
from .demo_start import DEMO_LOGIN, DEMO_PASSWORD, DemoStart, start_demo, take_demo

# isort: split
from PySide6.QtCore import QSettings, QThreadPool, QTimer
from PySide6.QtWidgets import QApplication, QWidget

# isort: split
# Next, before the modules imported after Qt: PySide6 looks at each of them.
from .ui.widgets import import_scan  # noqa: F401  (importing it installs it)

# isort: split
from . import APP_NAME, __version__
from .core.model import ItemSchedule
from .core.times import TimestampError, parse_timestamp
from .core.zones import ZoneError, is_zone
from .desktop_libs import check_desktop
from .store.logs import setup_logging
from .store.paths import config_dir, private_dir, private_file
from .ui.dialogs.login import LoginDialog, LoginForm, Session
from .ui.widgets.icons import app_icon
from .ui.widgets.workers import start_job

if TYPE_CHECKING:  # built after the login dialog is on screen
    from .ui.shell.main_window import MainWindow

DEMO_COURSE = "123456"
DEMO_TIME_ZONE = "America/Denver"
#: Drafts and backups of the demo are kept under this name (the port changes every run).
DEMO_SERVER_ID = "http://demo-sandbox.invalid"
SCREENSHOT_SIZE = (1280, 800)
#: ``small-window`` waits this long at most for the Activity feed before the picture.
ACTIVITY_WAIT_MS = 5000
SCREENSHOT_TARGETS = ("main", "save-preview", "timeline", "shift-dialog", "login", "small-window")
#: ``--screenshot-of small-window``: a small laptop screen, with the Activity dock open.
SMALL_WINDOW_SIZE = (800, 600)
SHUTDOWN_WAIT_MS = 15000
DIALOG_SETTLE_MS = 300  # --screenshot of a dialog: time for it to take its size
#: Give up on ``--screenshot`` after this long (seconds): a hung load must not hang CI.
SCREENSHOT_TIMEOUT = 120.0
DATE_FIELDS = ("start", "end", "due")
FLAG_FIELDS = ("can_access_before_start", "can_access_after_end")


@dataclass(frozen=True)
class Edit:
    """One edit of ``--apply-edits``: set ``field`` of item ``item`` to ``value``."""

    item: int
    field: str
    value: datetime | bool | None


def read_edits(path: str) -> list[Edit]:
    """The edits in ``path``: a JSON list of ``{"item": ID, "field": NAME, "value": V}``.

    ``V`` is a UTC timestamp (``2011-01-18T06:59:00Z``) or null for start, end and due,
    true or false for the two access flags. Raises ``ArgumentTypeError`` naming the entry.
    """
    try:
        entries = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise argparse.ArgumentTypeError(f"cannot read {path}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{path} is not JSON: {exc}") from None
    if not isinstance(entries, list):
        raise argparse.ArgumentTypeError(f"{path} must hold a JSON list of edits")
    edits = []
    for number, entry in enumerate(entries, start=1):
        where = f"{path}, edit {number}"
        if not isinstance(entry, dict) or set(entry) != {"item", "field", "value"}:
            raise argparse.ArgumentTypeError(f'{where}: give exactly "item", "field", "value"')
        item, field, value = entry["item"], entry["field"], entry["value"]
        if not isinstance(item, int) or isinstance(item, bool):
            raise argparse.ArgumentTypeError(f"{where}: item must be an item id (a number)")
        if field in FLAG_FIELDS and isinstance(value, bool):
            edits.append(Edit(item, field, value))
        elif field in DATE_FIELDS and (value is None or isinstance(value, str)):
            try:
                edits.append(Edit(item, field, None if value is None else parse_timestamp(value)))
            except TimestampError as exc:
                raise argparse.ArgumentTypeError(f"{where}: {exc}") from None
        else:
            raise argparse.ArgumentTypeError(
                f"{where}: field must be one of {', '.join(DATE_FIELDS + FLAG_FIELDS)}, with a"
                " timestamp or null for a date, true or false for a flag"
            )
    return edits


def positive_seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        seconds = 0.0
    if not seconds > 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive number of seconds")
    return seconds


class _Once:
    """Call ``action`` the first time this is called, never again."""

    def __init__(self, action: Callable[..., object]) -> None:
        self.action: Callable[..., object] | None = action

    def __call__(self, *args: object) -> None:
        action, self.action = self.action, None
        if action is not None:
            action(*args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="scheduler-gui",
        description=f"{APP_NAME}: edit the item schedules of a LearningStudio course.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="start a built-in sandbox server, log in as 'prof' and open a demo course",
    )
    parser.add_argument(
        "--screenshot",
        metavar="PATH",
        type=Path,
        help="save the main window as PNG once the course has loaded, then exit",
    )
    parser.add_argument(
        "--screenshot-of",
        choices=SCREENSHOT_TARGETS,
        default="main",
        help="what --screenshot shows: the main window (default), the save preview, the "
        "timeline tab, the Shift dates dialog, the main window at 800x600 with the Activity "
        "dock open (small-window), or the login dialog (as it opens; not with --demo, which "
        "logs in by itself)",
    )
    parser.add_argument("--course", metavar="ID", help="course id or ccn=CALLNUMBER to open")
    parser.add_argument("--base-url", metavar="URL", help="API base URL (default: last used)")
    parser.add_argument("--tz", metavar="ZONE", help="course time zone (IANA name)")
    scripted = parser.add_argument_group("scripted runs (screenshots, tests)")
    scripted.add_argument(
        "--screenshot-timeout",
        metavar="SECONDS",
        type=positive_seconds,
        default=SCREENSHOT_TIMEOUT,
        help=f"give up on --screenshot after this long (default {SCREENSHOT_TIMEOUT:g})",
    )
    scripted.add_argument(
        "--apply-edits",
        metavar="FILE",
        type=read_edits,
        help='once the course has loaded, make the edits in FILE (JSON: [{"item": ID, '
        '"field": "end", "value": "2011-01-18T06:59:00Z"}, ...]) as one undo step, print '
        '"edits applied" then, and "draft written: PATH" each time the unsaved edits are '
        "saved as a draft",
    )
    return parser


def has_display() -> bool:
    """False on a Linux box with no X11/Wayland display and no explicit Qt platform."""
    if not sys.platform.startswith("linux"):
        return True
    return any(os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.tz and not is_zone(args.tz):
        parser.error(str(ZoneError(args.tz)))
    if args.screenshot_of == "login" and args.demo:
        parser.error("--screenshot-of login shows the login dialog, which --demo skips")
    if args.screenshot is not None and not has_display():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    if not has_display():
        return serve_without_display(args)
    missing = check_desktop()
    if missing:  # Qt would abort naming only the first library; we name them all
        print(f"scheduler-gui: {missing}", file=sys.stderr)
        return 1
    return run_gui(args)


def serve_without_display(args: argparse.Namespace) -> int:
    """No screen: say so, and with ``--demo`` keep the sandbox running for schedctl."""
    print(
        "scheduler-gui: no display found (DISPLAY/WAYLAND_DISPLAY are not set), "
        "so the window cannot open.\n"
        "  To render offscreen, set QT_QPA_PLATFORM=offscreen (e.g. with --screenshot PATH).",
        file=sys.stderr,
    )
    if not args.demo:
        return 2
    from .sandbox.server import serve_forever, start_in_thread

    server = start_in_thread()
    print(demo_environment(server.url) + "Press Ctrl+C to stop.", flush=True)
    serve_forever(server)
    return 0


def demo_environment(url: str) -> str:
    """Where the demo sandbox runs and the environment ``schedctl`` needs to use it."""
    return (
        f"The demo sandbox is running at {url}\n"
        "Use it from another shell with schedctl:\n"
        f"  export LS_BASE_URL={url}\n"
        f"  export LS_CLIENT_STRING={DEMO_LOGIN['client_string']}\n"
        f"  export LS_APP_ID={DEMO_LOGIN['application_id']}\n"
        f"  export LS_USERNAME={DEMO_LOGIN['username']} LS_PASSWORD={DEMO_LOGIN['username']}\n"
        f"  schedctl get {DEMO_COURSE}\n"
    )


def app_settings() -> QSettings:
    """The GUI's settings file (window layout, last course, per-course time zones),
    private to the user (0600 in a 0700 folder; Qt keeps the mode when it rewrites it)."""
    path = config_dir() / "gui.ini"
    with contextlib.suppress(OSError):  # no settings file is better than no app
        private_dir(path.parent, top=path.parent)
        private_file(path)
    return QSettings(str(path), QSettings.Format.IniFormat)


class AppFlow:
    """Start-up: log in (dialog or demo), pick a course, optionally take a screenshot."""

    def __init__(
        self,
        args: argparse.Namespace,
        settings: QSettings | None = None,
        demo: DemoStart | None = None,
    ) -> None:
        self.args = args
        self.settings = settings if settings is not None else app_settings()
        self.exit_code: int | None = None
        self.demo = demo
        self.session: Session | None = None
        self._window: MainWindow | None = None
        self.login_dialog: LoginDialog | None = None

    @property
    def window(self) -> MainWindow:
        """The main window, built when first needed (after the login dialog is shown)."""
        if self._window is None:
            from .ui.shell.main_window import MainWindow

            self._window = window = MainWindow(self.settings)
            if self.args.apply_edits:
                window.course_loaded.connect(self._apply_edits)
                window.drafts.written.connect(
                    lambda path: print(f"draft written: {path}", flush=True)
                )
            if self.args.screenshot is not None:
                window.course_loaded.connect(self._course_ready_for_screenshot)
                window.load_failed.connect(lambda message: self.fail(message))
        return self._window

    def start(self) -> None:
        if self.args.screenshot is not None:
            QTimer.singleShot(int(self.args.screenshot_timeout * 1000), self._screenshot_timed_out)
        if self.args.demo:
            self._start_demo()
            return
        self._ask_login()
        if self.args.screenshot is None or self.args.screenshot_of != "login":
            QTimer.singleShot(0, self._prepare_window)

    def _prepare_window(self) -> None:
        """Build the window while the user types (the dialog is on screen first), then
        its deferred features, each in a pass of its own, so typing is not held up."""
        QTimer.singleShot(0, self.window.features.install_deferred)

    def _start_demo(self) -> None:
        # The sandbox and the login started before Qt (see run_gui) while the window is built.
        if self.demo is None:
            self.demo = start_demo()
        demo = self.demo
        self.window.show()
        self.window.statusBar().showMessage("Starting the demo sandbox…")
        start_job(
            lambda _progress, _cancelled: demo.server.result(),
            name="demo sandbox",
            on_success=self._demo_server_started,
            on_failure=lambda error: self.fail(f"The demo sandbox could not start: {error}"),
        )

    def _demo_server_started(self, server: Any) -> None:
        # The demo sandbox is a server like any: say how schedctl reaches it meanwhile.
        print(demo_environment(server.url) + "It stops when the window closes.", flush=True)
        form = LoginForm(server.url, password=DEMO_PASSWORD, remember=False, **DEMO_LOGIN)
        self.window.statusBar().showMessage(f"Logging in to the demo sandbox at {server.url}…")
        assert self.demo is not None
        login = self.demo.login

        def logged_in(client_and_user: tuple[Any, dict[str, Any]]) -> None:
            client, user = client_and_user
            self._logged_in(Session(client, form, user))

        start_job(
            lambda _progress, _cancelled: login.result(),
            name="demo login",
            on_success=logged_in,
            on_failure=lambda error: self.fail(f"Demo login failed: {error}"),
        )

    def _ask_login(self) -> None:
        dialog = LoginDialog()
        if self.args.base_url:
            dialog.base_url.setText(self.args.base_url)
        dialog.logged_in.connect(self._logged_in)
        dialog.rejected.connect(self._login_cancelled)
        self.login_dialog = dialog
        dialog.show()
        if self.args.screenshot is not None and self.args.screenshot_of == "login":
            QTimer.singleShot(0, lambda: self._take_screenshot(dialog))

    def _login_cancelled(self) -> None:
        if self.session is None:
            self.exit_code = 1 if self.args.screenshot is not None else 0
            QApplication.exit(self.exit_code or 0)

    def _logged_in(self, session: Session) -> None:
        self.session = session
        server_id = DEMO_SERVER_ID if self.args.demo else None
        self.window.set_client(session.client, session.label, server_id)
        self.window.show()
        if session.notice:
            self.window.statusBar().showMessage(session.notice, 15000)
        course = self.args.course or (DEMO_COURSE if self.args.demo else None)
        if course is None:
            last = self.settings.value("last_course")
            self.window.choose_course(str(last) if last else "")
            return
        zone = self.args.tz or (DEMO_TIME_ZONE if self.args.demo else None)
        self.window.open_course(course, time_zone=zone, zone_is_default=not self.args.tz)

    def _apply_edits(self, course_id: str) -> None:
        """``--apply-edits``: the edits, as one undo step (as if made in the grid)."""
        from .ui.grid.undo import with_field

        by_id = dict(self.window.editor.current_schedule().by_id)
        changed: dict[int, ItemSchedule] = {}
        for edit in self.args.apply_edits:
            if edit.item not in by_id:
                self.fail(f"--apply-edits: course {course_id} has no item {edit.item}")
                return
            by_id[edit.item] = changed[edit.item] = with_field(
                by_id[edit.item], edit.field, edit.value
            )
        self.window.editor.apply_items(list(changed.values()), "Edits from --apply-edits")
        print("edits applied", flush=True)

    # ------------------------------------------------------------------ screenshot

    def _course_ready_for_screenshot(self, _course_id: str) -> None:
        # Same size every time (documentation), then let the grid lay out and paint (the
        # screenshot waits for the events already queued).
        self.window.resize(*SCREENSHOT_SIZE)
        self.window.compact_docks()
        target: QWidget = self.window
        if self.args.screenshot_of == "save-preview":
            self.window.save_opened.connect(self._shoot_save_preview)
            self.window.save()
            if self.window.save_flow is None and not self.window.save_pending:
                self.fail("No save preview to show: the course has no unsaved changes.")
            return
        elif self.args.screenshot_of == "timeline":
            self.window.named_actions["show_timeline"].trigger()
            target = self.window.features.timeline.panel
        elif self.args.screenshot_of == "small-window":
            self.window.resize(*SMALL_WINDOW_SIZE)  # then the dock, at its own width
            dock = self.window.features.activity.dock  # (installed after the first paint)
            # The picture shows the feed, not "Loading activity…": shoot once it is in.
            shot_once = _Once(lambda *_: self._take_screenshot(self.window))
            dock.loaded.connect(shot_once)
            dock.failed.connect(shot_once)
            if not self.window.named_actions["activity"].isChecked():
                self.window.named_actions["activity"].trigger()
            QTimer.singleShot(ACTIVITY_WAIT_MS, shot_once)  # already loaded, or very slow
            return
        elif self.args.screenshot_of == "shift-dialog":
            self.window.named_actions["shift"].trigger()
            dialog = next(
                (w for w in QApplication.topLevelWidgets() if w.objectName() == "ShiftDialog"),
                None,
            )
            if dialog is None:
                self.fail("The Shift dates dialog did not open.")
                return
            # Its designed size, not shrunk to this (offscreen, 800 x 600) screen.
            dialog.resize(*getattr(dialog, "DEFAULT_SIZE", (dialog.width(), dialog.height())))
            target = dialog
        # A dialog settles its size after it opens (the offscreen screen is small); the
        # window needs only the events already queued.
        settle_ms = 0 if target is self.window else DIALOG_SETTLE_MS
        QTimer.singleShot(settle_ms, lambda: self._take_screenshot(target))

    def _shoot_save_preview(self) -> None:
        flow = self.window.save_flow
        if flow is None or flow.dialog is None:
            self.fail("The save preview did not open.")
            return
        dialog = flow.dialog
        QTimer.singleShot(DIALOG_SETTLE_MS, lambda: self._take_screenshot(dialog))

    def _take_screenshot(self, target: QWidget) -> None:
        path: Path = self.args.screenshot
        path.parent.mkdir(parents=True, exist_ok=True)
        if not target.grab().save(str(path), "PNG"):
            self.fail(f"Could not write the screenshot to {path}")
            return
        print(f"Screenshot saved to {path}")
        self.exit_code = 0
        QApplication.exit(0)

    def _screenshot_timed_out(self) -> None:
        seconds = self.args.screenshot_timeout
        self.fail(f"The course did not load within {seconds:g} s; no screenshot.")

    def fail(self, message: str) -> None:
        """Report ``message``; with ``--screenshot`` (or a failed demo) exit non-zero."""
        print(f"scheduler-gui: {message}", file=sys.stderr)
        if self.args.screenshot is not None or self.session is None:
            self.exit_code = 1
            QApplication.exit(self.exit_code or 0)

    def shutdown(self) -> None:
        if self._window is not None:
            self._window.hide()
        # A draft being written or a request in flight finishes before the client closes.
        QThreadPool.globalInstance().waitForDone(SHUTDOWN_WAIT_MS)
        if self.session is not None:
            self.session.client.close()
        if self.demo is not None:
            _end_demo(self.demo)
        self.settings.sync()  # window layout, last course: on disk now, not at teardown


def _end_demo(demo: DemoStart) -> None:
    """Stop the demo's sandbox, and close the demo's login if no window took it."""
    with contextlib.suppress(Exception):  # it never started: nothing to stop
        client, _user = demo.login.result(SHUTDOWN_WAIT_MS / 1000)
        client.close()  # closing twice is harmless
    with contextlib.suppress(Exception):
        demo.server.result(SHUTDOWN_WAIT_MS / 1000).stop()


def run_gui(args: argparse.Namespace) -> int:
    demo = take_demo() if args.demo else None
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName("scheduler-gui")
    app.setDesktopFileName("io.github.coursescheduleeditor.CourseScheduleEditor")
    app.setWindowIcon(app_icon())
    setup_logging()
    flow = AppFlow(args, demo=demo)
    QTimer.singleShot(0, flow.start)
    code = app.exec()
    flow.shutdown()
    return code if flow.exit_code is None else flow.exit_code


def run() -> NoReturn:
    """``scheduler-gui`` as a program: :func:`main`, then :func:`end_process`."""
    end_process(main())


def end_process(code: int) -> NoReturn:
    """End the program once it has shut down in order, without taking the interpreter
    apart object by object.

    By now what keeps data is finished (the window closed, drafts written, requests
    done, the sandbox stopped, the settings synced); here the threads Python would wait
    for are joined, the standard streams flushed and Python's exit hooks run (they close
    the log). Skipped is only freeing every object and module one by one: ~15 ms of
    every quit, and the step where PySide6 can crash at exit.
    """
    for thread in threading.enumerate():
        if thread is not threading.main_thread() and not thread.daemon:
            thread.join()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):  # a closed or broken pipe: nothing to flush
            stream.flush()
    atexit._run_exitfuncs()
    os._exit(code)


if __name__ == "__main__":
    run()
