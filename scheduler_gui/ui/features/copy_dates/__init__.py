"""Course → Copy dates from…: take another section's dates, matched by title path.

``install(host)`` adds the action (:mod:`.feature`); :mod:`.dialog` is the dialog.
"""

from .feature import CopyDates, install

__all__ = ["CopyDates", "install"]
