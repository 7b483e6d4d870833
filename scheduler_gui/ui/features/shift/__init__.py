"""Course → Shift dates…: move dates by days or to a new start, skipping days off.

``install(host)`` adds the action (:mod:`.feature`); :mod:`.dialog` is the dialog.
"""

from .feature import ShiftDates, install

__all__ = ["ShiftDates", "install"]
