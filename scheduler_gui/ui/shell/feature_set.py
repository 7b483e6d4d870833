"""The features the main window installs, and the typed handles it keeps of them.

Add a feature here: one field and one ``install`` call. Its actions go where
``chrome.py`` lists their keys.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..features import activity, copy_dates, excel, shift, timeline
from ..features.host import WindowHost


@dataclass(frozen=True)
class Features:
    """What each feature's ``install`` returned."""

    activity: activity.ActivityFeatures  # activity dock, item preview + clock, open in LS
    excel: excel.ExcelActions  # File → Export to Excel… / Import from Excel…
    timeline: timeline.Timeline  # Grid | Timeline tabs, View → Grid / Timeline
    copy_dates: copy_dates.CopyDates  # Course → Copy dates from…
    shift: shift.ShiftDates  # Course → Shift dates…


def install_features(host: WindowHost) -> Features:
    """Install every feature on ``host`` (in this order: the timeline takes the grid)."""
    return Features(
        activity=activity.install(host),
        excel=excel.install(host),
        timeline=timeline.install(host),
        copy_dates=copy_dates.install(host),
        shift=shift.install(host),
    )
