"""The time-on-task clock, kept honest: begun on open, moved between items, always ended.

LearningStudio records time against the content item whose clock a ``beginping``
started. Moving to another item needs only a new ``beginping``; but when the user closes
the item, logs out, quits or walks away, the app must send ``endping``, or the server
keeps counting for 45 minutes and the institution's reports are wrong.

:class:`ActivityClock` holds that rule and nothing else: it is Qt-free, does its pings
through two callables (see :func:`clock_for_client`) and reads time from an injectable
function, so tests can move time without waiting. Calls may come from several threads;
a lock keeps each state change and its ping together and in order.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .errors import LearningStudioError

log = logging.getLogger(__name__)

#: End the clock after this long without user activity (seconds).
DEFAULT_IDLE_TIMEOUT = 10 * 60.0
#: The server stops a clock after 45 minutes; an active user's clock is begun again
#: before that, so their time keeps counting.
REFRESH_AFTER = 30 * 60.0

BeginFn = Callable[[str, int], None]
EndFn = Callable[[str, int], bool]


@dataclass(frozen=True)
class ClockTarget:
    """The content item time is recorded against."""

    course_id: str
    item_id: int


class ActivityClock:
    """Tracks which item the user is on and keeps the server's clock in step.

    Args:
        begin: starts the server clock on ``(course_id, item_id)``; raises on failure.
        end: stops it; returns False when the server had no clock running.
        idle_timeout: seconds without :meth:`touch` after which :meth:`tick` ends the clock.
        now: monotonic time in seconds (injectable for tests).
    """

    def __init__(
        self,
        begin: BeginFn,
        end: EndFn,
        *,
        idle_timeout: float = DEFAULT_IDLE_TIMEOUT,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        if idle_timeout <= 0:
            raise ValueError("idle_timeout must be positive")
        self._begin = begin
        self._end = end
        self.idle_timeout = idle_timeout
        self._now = now
        self._lock = threading.RLock()
        self._viewing: ClockTarget | None = None
        self._running: ClockTarget | None = None
        self._begun_at = 0.0
        self._last_active = now()

    @property
    def viewing(self) -> ClockTarget | None:
        """The item the user has open (kept while the clock is paused for idleness)."""
        return self._viewing

    @property
    def running(self) -> ClockTarget | None:
        """The item whose server clock we started and have not ended."""
        return self._running

    def open(self, course_id: str, item_id: int) -> None:
        """The user opened ``item_id``: start the clock there (no endping in between).

        Raises the begin function's error; the previous clock, if any, is then still
        considered running so that a later :meth:`close` ends it.
        """
        target = ClockTarget(str(course_id), int(item_id))
        with self._lock:
            self._viewing = target
            self._last_active = self._now()
            if self._running != target:
                self._start(target)

    def touch(self) -> None:
        """The user did something: postpone the idle timeout, resume a paused clock."""
        with self._lock:
            self._last_active = self._now()
            if self._viewing is not None and self._running is None:
                self._start(self._viewing)

    def tick(self) -> bool:
        """Call periodically: ends an idle clock, renews a long-running active one.

        Returns True when the clock was ended for idleness.
        """
        with self._lock:
            if self._running is None:
                return False
            now = self._now()
            if now - self._last_active >= self.idle_timeout:
                log.info("no activity for %.0f s: ending the activity clock", self.idle_timeout)
                self._stop()
                return True
            if now - self._begun_at >= REFRESH_AFTER:
                self._start(self._running)
            return False

    def close(self) -> bool:
        """The item was closed (or logout, quit): end the clock if it runs.

        Never raises: a failed endping is logged, and the server ends the clock itself
        after 45 minutes. Returns True when an endping was confirmed by the server.
        """
        with self._lock:
            self._viewing = None
            return self._stop()

    def _start(self, target: ClockTarget) -> None:
        self._begin(target.course_id, target.item_id)
        self._running = target
        self._begun_at = self._now()

    def _stop(self) -> bool:
        target, self._running = self._running, None
        if target is None:
            return False
        try:
            return self._end(target.course_id, target.item_id)
        except LearningStudioError as exc:
            log.warning("could not end the activity clock on %s: %s", target, exc.detail or exc)
        except Exception:  # e.g. a client already closed at quit: never break closing
            log.warning("could not end the activity clock on %s", target, exc_info=True)
        return False


def clock_for_client(client: Any, *, user: str = "me", **kwargs: Any) -> ActivityClock:
    """An :class:`ActivityClock` that pings through ``client`` for ``user``."""
    from .activity import begin_ping, end_ping

    return ActivityClock(
        lambda course_id, item_id: begin_ping(client, course_id, item_id, user=user),
        lambda course_id, item_id: end_ping(client, course_id, item_id, user=user),
        **kwargs,
    )
