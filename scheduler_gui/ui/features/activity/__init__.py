"""The Activity dock, the item preview with its time-on-task clock, and
"Open in LearningStudio" (:mod:`.features` installs them; :mod:`.dock`, :mod:`.preview`).
"""

from .features import ActivityFeatures, install

__all__ = ["ActivityFeatures", "install"]
