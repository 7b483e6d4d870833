"""Progress of a many-course batch on the terminal (a bar) or in a log (plain lines).

On a terminal (stderr is a TTY): one line, redrawn in place, with courses done / failed
/ left, the rate and the time left; each failure is printed as a line of its own above
the bar. Without a terminal (a pipe, a log file, CI): one plain line per course as it
ends, so the output reads well after the fact. Called from the batch's worker threads.
"""

from __future__ import annotations

import sys
import threading
import time
from typing import TextIO

from ..session.batch import (
    ALREADY_DONE,
    DONE,
    FAILED_STATUS,
    NOT_STARTED,
    STOPPED_STATUS,
    UNCHANGED,
    CourseResult,
)

BAR_WIDTH = 24
#: Redraw the bar at most this often (a fast batch would spend its time printing).
REDRAW_EVERY = 0.1


def _clock(seconds: float) -> str:
    seconds = max(0, int(seconds + 0.5))
    return f"{seconds // 60}:{seconds % 60:02d}"


class BatchProgress:
    """Watches a batch (``started``/``finished``, see ``session.batch.BatchEvents``).

    Args:
        total: courses in the batch.
        label: what is done to them ("Shifting", "Checking").
        stream: where to write (default stderr).
        bar: force the bar on or off (default: when ``stream`` is a terminal).
    """

    def __init__(
        self,
        total: int,
        label: str,
        *,
        stream: TextIO | None = None,
        bar: bool | None = None,
    ) -> None:
        self.stream = stream or sys.stderr
        self.total = total
        self.label = label
        self.bar = self.stream.isatty() if bar is None else bar
        self.done = self.failed = 0
        self._started = time.monotonic()
        self._drawn = 0.0
        self._lock = threading.Lock()
        self._bar_shown = False

    @property
    def left(self) -> int:
        return self.total - self.done - self.failed

    def started(self, course: str) -> None:
        pass

    def finished(self, result: CourseResult) -> None:
        with self._lock:
            if result.status == FAILED_STATUS:
                self.failed += 1
            else:
                self.done += 1
            if self.bar:
                if result.status == FAILED_STATUS:
                    self._line(f"Course {result.course_id or result.course} failed: {result.error}")
                self._draw(force=self.left == 0)
            else:
                self._line(self._plain(result))

    def checked(self, course: str, problem: bool) -> None:
        """The check phase's event (a course read and checked)."""
        with self._lock:
            if problem:
                self.failed += 1
            else:
                self.done += 1
            if self.bar:
                self._draw(force=self.left == 0)

    def close(self) -> None:
        """End the bar's line (the summary comes next)."""
        with self._lock:
            if self.bar and self._bar_shown:
                self._draw(force=True)
                self.stream.write("\n")
                self.stream.flush()
                self._bar_shown = False

    # ------------------------------------------------------------------ drawing

    def _plain(self, result: CourseResult) -> str:
        position = f"[{self.done + self.failed}/{self.total}]"
        course = result.course_id or result.course
        if result.status == DONE:
            text = f"saved {result.changed_items} changed item(s) and verified"
        elif result.status == FAILED_STATUS:
            text = f"FAILED: {result.error}"
        elif result.status == ALREADY_DONE:
            text = "already done by an earlier run of this batch: not written again"
        elif result.status == UNCHANGED:
            text = "nothing to change"
        elif result.status in (STOPPED_STATUS, NOT_STARTED):
            text = f"{result.status}: not written"
        else:
            text = result.status
        return f"{position} course {course}: {text}"

    def _line(self, text: str) -> None:
        if self._bar_shown:
            self.stream.write("\r\033[K")
            self._bar_shown = False
        self.stream.write(text + "\n")
        self.stream.flush()

    def _draw(self, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._drawn < REDRAW_EVERY:
            return
        self._drawn = now
        finished = self.done + self.failed
        filled = BAR_WIDTH * finished // max(1, self.total)
        elapsed = now - self._started
        rate = finished / elapsed if elapsed > 0 else 0.0
        eta = _clock(self.left / rate) if rate > 0 and self.left else "-"
        text = (
            f"\r\033[K{self.label} [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] "
            f"{finished}/{self.total}  done {self.done}  failed {self.failed}  "
            f"left {self.left}  {rate:.1f}/s  ETA {eta}"
        )
        self.stream.write(text)
        self.stream.flush()
        self._bar_shown = True


__all__ = ["BatchProgress"]
