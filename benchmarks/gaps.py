"""How long the GUI thread's event loop was held: a 10 ms timer and the gaps between ticks.

A gap between two ticks is a stretch in which the window could not react to the user
(repaint, click, Cancel). What a gap is charged to the app: the smaller of its wall-clock
length and the CPU time this whole process (GUI thread and workers: a worker holding the
GIL stalls the GUI too) used during it. On a machine saturated by other processes the
scheduler may keep us off the CPU for longer than the gap's work; that time is not the
app's. The process cannot have held its event loop for longer than it ran, so this never
excuses a real freeze, and on an idle machine both numbers are the same. Not
``time.thread_time()`` of the GUI thread alone: that would miss a worker holding the GIL.

Used by ``tests/ui/test_responsiveness.py`` and the start-up benchmark.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QTimer


class GapMeter:
    """Ticks every 10 ms on the GUI thread and keeps the longest gap the app is charged.

    ``longest`` is the longest gap charged to the app (see the module docstring):
    ``min(wall-clock gap, CPU time of this process during the gap)``; ``longest_wall``
    is the longest wall-clock gap, reported alongside it.
    """

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)
        self.last = 0.0
        self.last_cpu = 0.0
        self.longest = 0.0
        self.longest_wall = 0.0
        self.ticks = 0

    def _tick(self) -> None:
        now, cpu = time.perf_counter(), time.process_time()
        wall_gap, cpu_gap = now - self.last, cpu - self.last_cpu
        self.longest = max(self.longest, min(wall_gap, cpu_gap))
        self.longest_wall = max(self.longest_wall, wall_gap)
        self.last, self.last_cpu = now, cpu
        self.ticks += 1

    @contextmanager
    def measuring(self) -> Iterator[GapMeter]:
        self.last, self.last_cpu = time.perf_counter(), time.process_time()
        self.longest, self.longest_wall, self.ticks = 0.0, 0.0, 0
        self.timer.start()
        try:
            yield self
        finally:
            self.timer.stop()
            self._tick()  # the stretch after the last tick counts too

    def report(self) -> str:
        return f"{self.longest * 1000:.0f} ms (wall clock: {self.longest_wall * 1000:.0f} ms)"
