"""The Timeline tab: a painted chart of the course's dates beside the grid.

:mod:`.feature` installs it (tabs, View actions); :mod:`.panel` is the tab (tool row,
grid binding), :mod:`.view` the chart, :mod:`.marks` its colours and marks.
"""

from .feature import Timeline, install

__all__ = ["Timeline", "install"]
