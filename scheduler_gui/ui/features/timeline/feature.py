"""The Grid | Timeline tabs and View → Grid / Timeline, installed on the main window.

The timeline panel (and its modules) is built when the Timeline tab is first shown (or
:attr:`Timeline.panel` is first asked for): a start that never shows it does not pay for
it. Until then the tab holds an empty page.
"""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING

from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import QTabWidget, QWidget

from ...widgets.icons import icon
from ..host import Feature, WindowHost

if TYPE_CHECKING:
    from .panel import TimelinePanel

TAB_TEXT = "Timeline"


class Timeline(Feature):
    """The timeline panel and the tabs that hold it beside the grid."""

    def __init__(self, host: WindowHost) -> None:
        super().__init__(host)
        window = host.qt_window()
        self._panel: TimelinePanel | None = None
        self._placeholder: QWidget | None = QWidget()
        self.tabs = QTabWidget(window)
        self.tabs.setObjectName("ViewTabs")
        self.tabs.setAccessibleName("Grid or timeline")
        self.tabs.setDocumentMode(True)
        grid = window.takeCentralWidget()  # the grid (host.editor)
        assert grid is not None
        self.grid = grid
        self.tabs.addTab(grid, icon("page"), "Grid")
        self.tabs.addTab(self._placeholder, icon("timeline"), TAB_TEXT)
        window.setCentralWidget(self.tabs)
        # Tab goes as the eye does: the tabs above, then the grid's filter bar.
        chain = [self.tabs.tabBar(), *host.editor.tab_chain()]
        for before, after in pairwise(chain):
            QWidget.setTabOrder(before, after)
        host.add_action(
            "show_grid", "&Grid", self.show_grid, icon_name="page", shortcut="Ctrl+1",
            tip="Show the grid",
        )  # fmt: skip
        host.add_action(
            "show_timeline", "&Timeline", self.show_timeline, icon_name="timeline",
            shortcut="Ctrl+2", tip="Show the timeline",
        )  # fmt: skip
        self.tabs.currentChanged.connect(self._tab_changed)

    @property
    def panel(self) -> TimelinePanel:
        """The timeline tab's panel (built now if it was not yet)."""
        if self._panel is None:
            from .panel import TimelinePanel

            host = self.host
            self._panel = TimelinePanel(host.editor, host.settings)
            placeholder, self._placeholder = self._placeholder, None
            assert placeholder is not None
            index, current = self.tabs.indexOf(placeholder), self.tabs.currentIndex()
            with QSignalBlocker(self.tabs):  # the same tab, only its page changes
                self.tabs.removeTab(index)
                self.tabs.insertTab(index, self._panel, icon("timeline"), TAB_TEXT)
                self.tabs.setCurrentIndex(current)
            placeholder.deleteLater()
        return self._panel

    def show_grid(self) -> None:
        self.tabs.setCurrentWidget(self.grid)

    def show_timeline(self) -> None:
        self.tabs.setCurrentWidget(self.panel)

    def _tab_changed(self, _index: int) -> None:
        page = self.tabs.currentWidget()
        if page is self._placeholder:
            self.panel.refresh()  # built now, in the placeholder's place
        elif self._panel is not None:
            self._panel.refresh()


def install(host: WindowHost) -> Timeline:
    """Put the grid and the timeline in tabs of the main window."""
    return Timeline(host)
