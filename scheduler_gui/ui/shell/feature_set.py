"""The features the main window installs, and the typed handles it keeps of them.

Add a feature here: one field and one ``install`` call. Its actions go where
``chrome.py`` lists their keys. A feature that a start does not need (its modules cost
start-up time) may be *deferred*: installed once the window has painted
(:meth:`Features.install_deferred`), or when its handle is first asked for.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING

from ..features import batch, copy_dates, excel, shift, timeline
from ..features.host import WindowHost

if TYPE_CHECKING:
    from ..features.activity import ActivityFeatures


class Features:
    """What each feature's ``install`` returned."""

    def __init__(self, host: WindowHost) -> None:
        self._host = weakref.ref(host)  # no reference cycle through the window
        self._activity: ActivityFeatures | None = None
        self.excel: excel.ExcelActions = excel.install(host)  # File → Export/Import Excel
        self.timeline: timeline.Timeline = timeline.install(host)  # Grid | Timeline tabs
        self.copy_dates: copy_dates.CopyDates = copy_dates.install(host)  # Course → Copy dates
        self.shift: shift.ShiftDates = shift.install(host)  # Course → Shift dates…
        # Course → Term rollover… (light: its window's modules load when it opens)
        self.batch: batch.TermRollover = batch.install(host)

    @property
    def activity(self) -> ActivityFeatures:
        """Activity dock, item preview + clock, Open in LearningStudio (deferred)."""
        if self._activity is None:
            from ..features import activity

            host = self._host()
            assert host is not None, "the window is gone"
            self._activity = activity.install(host)
        return self._activity

    def install_deferred(self) -> None:
        """Install the deferred features now (the window calls it after its first paint)."""
        _ = self.activity


def install_features(host: WindowHost) -> Features:
    """Install every feature on ``host`` (the deferred ones later)."""
    return Features(host)
