"""Course Schedule Editor: bulk-edit Pearson LearningStudio item schedules safely."""

import sys

__version__ = "0.1.0"
APP_NAME = "Course Schedule Editor"

# ``import httpx`` also imports its command-line client (``httpx._main``: click, rich and
# pygments when they are installed, about 0.1 s), which nothing here uses. A ``None``
# entry makes that import fail at once, and httpx then leaves its CLI out (as it does
# when the CLI's extras are missing). Kept if something loaded the real one before.
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
