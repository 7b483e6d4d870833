"""The item preview dock and the Qt side of the time-on-task clock.

The preview shows one content item (title, type, parent, link) as
``/courses/{id}/items/{itemId}`` describes it. While it is open, time is recorded
against that item: :class:`ClockDriver` runs the Qt-free
:class:`~scheduler_gui.api.clock.ActivityClock` on one background thread, so pings
never block the window and always reach the server in the order they were asked for.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QApplication, QDockWidget, QFormLayout, QLabel, QWidget

from scheduler_gui.api.clock import ActivityClock
from scheduler_gui.core.model import Schedule

from ...widgets.workers import start_job

log = logging.getLogger(__name__)

TICK_MS = 30_000  # how often idleness is checked
TOUCH_EVERY = 15.0  # seconds: user input is reported to the clock at most this often
STOP_TIMEOUT = 10.0  # seconds to wait for the last endping when closing
_INPUT_EVENTS = frozenset({QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.Wheel})


class ClockDriver(QObject):
    """Feeds an :class:`ActivityClock` from the GUI: open/close, user input, idle ticks.

    Every clock call runs on a single worker thread, in order. ``stop()`` waits for
    the final endping (used on quit and logout, when there is no later chance).
    """

    #: A ping failed: a sentence for the status bar (recording time is best effort).
    failed = Signal(str)
    #: The clock ended for idleness.
    went_idle = Signal()
    #: User activity started the paused clock again.
    resumed = Signal()

    def __init__(
        self, clock: ActivityClock, parent: QObject | None = None, *, tick_ms: int = TICK_MS
    ) -> None:
        super().__init__(parent)
        self.clock = clock
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="activity-clock")
        self._last_touch = 0.0
        self._timer = QTimer(self)
        self._timer.setInterval(tick_ms)
        self._timer.timeout.connect(self.tick)
        self._timer.start()
        self._watching = False

    def open(self, course_id: str, item_id: int) -> Future[Any]:
        """Record time against ``item_id`` from now on (a beginping, in the background)."""
        self._watch_input(True)
        return self._submit(self.clock.open, course_id, item_id)

    def close(self) -> Future[Any]:
        """The preview closed: end the clock (in the background)."""
        self._watch_input(False)
        return self._submit(self.clock.close)

    def tick(self) -> Future[Any]:
        """Check idleness now (the timer does this every ``tick_ms``)."""
        return self._submit(self._tick)

    def stop(self) -> None:
        """End the clock and wait (bounded) until the server was told: quit and logout."""
        future = self.close()
        try:
            future.result(timeout=STOP_TIMEOUT)
        except TimeoutError:
            log.warning("the endping did not finish within %.0f s", STOP_TIMEOUT)

    def shutdown(self) -> None:
        """Stop the clock and release the worker thread (the driver is unusable after)."""
        self._timer.stop()
        self.stop()
        self._executor.shutdown(wait=False)

    def _watch_input(self, on: bool) -> None:
        """See the app's input events only while an item is open (a filter costs per event)."""
        app = QApplication.instance()
        if app is None or on == self._watching:
            return
        if on:
            app.installEventFilter(self)
        else:
            app.removeEventFilter(self)
        self._watching = on

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT_EVENTS:
            now = time.monotonic()
            if now - self._last_touch >= TOUCH_EVERY:
                self._last_touch = now
                self._submit(self._touch)
        return False

    def _touch(self) -> None:
        paused = self.clock.running is None
        self.clock.touch()
        if paused and self.clock.running is not None:
            self.resumed.emit()

    def _tick(self) -> None:
        if self.clock.tick():
            self.went_idle.emit()

    def _submit(self, fn: Callable[..., Any], *args: Any) -> Future[Any]:
        future = self._executor.submit(fn, *args)
        future.add_done_callback(self._report)
        return future

    def _report(self, future: Future[Any]) -> None:
        exc = future.exception() if not future.cancelled() else None
        if exc is not None:
            log.info("activity clock: %s", getattr(exc, "detail", "") or exc)
            self.failed.emit(f"Time on task is not being recorded: {exc}")


def _first(record: Mapping[str, Any], *keys: str) -> str:
    for key in keys:
        value = record.get(key)
        if isinstance(value, str | int) and not isinstance(value, bool) and str(value).strip():
            return str(value).strip()
    return ""


def item_link(record: Mapping[str, Any]) -> str:
    """The item's own link: a ``self`` link, else the first link, else a ``url`` field."""
    links = record.get("links")
    hrefs = [
        (str(link.get("rel", "")), str(link["href"]))
        for link in links if isinstance(link, Mapping) and link.get("href")
    ] if isinstance(links, list) else []  # fmt: skip
    for rel, href in hrefs:
        if rel.lower() == "self":
            return href
    return hrefs[0][1] if hrefs else _first(record, "url", "link", "href")


class ItemPreview(QDockWidget):
    """Title, type, parent and link of one item; closing it ends the activity clock."""

    #: The user closed the preview.
    closed = Signal()
    #: The item's details arrived (its id), or failed to (then the fields say so).
    shown = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Item preview", parent)
        self.setObjectName("ItemPreviewDock")
        self.course_id: str | None = None
        self.item_id: int | None = None
        self._request = 0
        body = QWidget(self)
        form = QFormLayout(body)
        self.title_label = QLabel(body)
        self.type_label = QLabel(body)
        self.parent_label = QLabel(body)
        self.link_label = QLabel(body)
        self.clock_label = QLabel(body)
        for label in (self.title_label, self.parent_label, self.link_label):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setWordWrap(True)
        form.addRow("Title:", self.title_label)
        form.addRow("Type:", self.type_label)
        form.addRow("Parent:", self.parent_label)
        form.addRow("Link:", self.link_label)
        form.addRow("Time on task:", self.clock_label)
        self.setWidget(body)

    def show_item(
        self, client: Any, course_id: str, item_id: int, schedule: Schedule | None = None
    ) -> None:
        """Show what the grid knows at once, then the server's details when they arrive."""
        self.course_id, self.item_id = course_id, item_id
        self._request += 1
        request = self._request
        known = schedule.get(item_id) if schedule is not None else None
        parent = schedule.parent_of(known) if schedule is not None and known else None
        self.title_label.setText(known.title if known else f"Item {item_id}")
        self.type_label.setText("…")
        self.parent_label.setText(parent.title if parent else "(top level)")
        self.link_label.setText("…")
        self.clock_label.setText("recording")
        self.show()
        self.raise_()

        def fetch(_progress: Any, _cancelled: Any) -> dict[str, Any]:
            result: dict[str, Any] = client.get_item(course_id, item_id)
            return result

        start_job(
            fetch,
            name=f"item {item_id}",
            owner=self,
            on_success=lambda record: self._fill(request, record),
            on_failure=lambda exc: self._failed(request, exc),
        )

    def set_clock_state(self, text: str) -> None:
        self.clock_label.setText(text)

    def _fill(self, request: int, record: Mapping[str, Any]) -> None:
        if request != self._request:
            return  # the user moved on meanwhile
        title = _first(record, "title", "itemTitle", "name")
        if title:
            self.title_label.setText(title)
        self.type_label.setText(_first(record, "contentType", "type", "itemType") or "—")
        parent_title = _first(record, "parentTitle")
        if parent_title:
            self.parent_label.setText(parent_title)
        self.link_label.setText(item_link(record) or "—")
        self.shown.emit(self.item_id or 0)

    def _failed(self, request: int, exc: BaseException) -> None:
        if request != self._request:
            return
        self.type_label.setText("—")
        self.link_label.setText(f"Details not available: {exc}")
        self.shown.emit(self.item_id or 0)

    def closeEvent(self, event: QCloseEvent) -> None:
        super().closeEvent(event)
        if event.isAccepted():
            self.item_id = None
            self.closed.emit()
