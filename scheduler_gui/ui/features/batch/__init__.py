"""Course → Term rollover…: shift many courses at once, from a plan or a list.

``install(host)`` adds the action (:mod:`.feature`); :mod:`.window` is the Batch window,
:mod:`.form` its inputs, :mod:`.model` its per-course table and :mod:`.run` the
background work (``session/batch.py`` does the batch itself, as for ``schedctl``).
"""

from .feature import TermRollover, install

__all__ = ["TermRollover", "install"]
