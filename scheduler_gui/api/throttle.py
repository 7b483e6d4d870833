"""How many courses a batch works on at once, adapting to the server like TCP does (AIMD).

A batch starts with up to ``jobs`` courses in flight. Every answer that is not "slow
down" earns a little more room (``+1/limit`` per answer, so one more course per round
of answers), up to ``jobs``; a 429 (or a 503 with ``Retry-After``) halves the
limit at once, at most once per ``Retry-After`` period, and holds *every* request of the
batch until that period is over, not only the one that was refused. Courses already in
flight finish; new ones wait for a free slot under the lower limit.

The client calls :meth:`AdaptiveThrottle.wait` before each request and
:meth:`AdaptiveThrottle.observe` after each answer (``client.throttle``); the batch runs
each course inside :meth:`AdaptiveThrottle.slot`. Thread-safe; no Qt, no I/O.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

#: Without a Retry-After, a refusal pauses the batch this long.
DEFAULT_PAUSE = 1.0
#: A Retry-After longer than this is capped (the client gives up on such waits anyway).
MAX_PAUSE = 60.0


class AdaptiveThrottle:
    """Concurrency limit and shared pause of one batch; see the module docstring.

    Args:
        jobs: the most courses at once (>= 1).
        clock, sleep: injectable for tests.
    """

    def __init__(
        self,
        jobs: int,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if jobs < 1:
            raise ValueError("jobs must be at least 1")
        self.max_jobs = jobs
        self._limit = float(jobs)
        self._active = 0
        self._paused_until = 0.0
        self._decreased_at = -1e18
        self._clock, self._sleep = clock, sleep
        self._changed = threading.Condition()
        #: How often the batch was told to slow down, and the lowest limit it fell to.
        self.refusals = 0
        self.lowest_limit = jobs

    @property
    def limit(self) -> int:
        """Courses allowed in flight now."""
        return max(1, int(self._limit))

    @property
    def active(self) -> int:
        return self._active

    # ------------------------------------------------------------------ per course

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Hold one of the ``limit`` places while a course is worked on."""
        with self._changed:
            while self._active >= self.limit:
                self._changed.wait()
            self._active += 1
        try:
            yield
        finally:
            with self._changed:
                self._active -= 1
                self._changed.notify_all()

    # ------------------------------------------------------------------ per request

    def wait(self) -> None:
        """Before a request: hold it while the batch is paused after a refusal."""
        while True:
            with self._changed:
                left = self._paused_until - self._clock()
            if left <= 0:
                return
            self._sleep(left)

    def observe(self, status: int | None, retry_after: float | None) -> None:
        """After an answer (``status`` None: no answer): adapt the limit."""
        refused = status == 429 or (status == 503 and retry_after is not None)
        with self._changed:
            now = self._clock()
            if refused:
                pause = DEFAULT_PAUSE if retry_after is None else min(retry_after, MAX_PAUSE)
                self.refusals += 1
                self._paused_until = max(self._paused_until, now + pause)
                # One cut per refusal period: the requests that were already in flight
                # when the server started refusing must not cut it again and again.
                if now >= self._decreased_at + pause:
                    self._limit = max(1.0, self._limit / 2)
                    self._decreased_at = now
                    self.lowest_limit = min(self.lowest_limit, self.limit)
            elif status is not None and status < 400:
                before = self.limit
                self._limit = min(float(self.max_jobs), self._limit + 1.0 / before)
                if self.limit > before:
                    self._changed.notify_all()


__all__ = ["DEFAULT_PAUSE", "MAX_PAUSE", "AdaptiveThrottle"]
