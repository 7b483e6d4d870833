"""The Grid | Timeline tabs and View → Grid / Timeline, installed on the main window."""

from __future__ import annotations

from functools import partial
from itertools import pairwise

from PySide6.QtWidgets import QTabWidget, QWidget

from ...widgets.icons import icon
from ..host import Feature, WindowHost
from .panel import TimelinePanel


class Timeline(Feature):
    """The timeline panel and the tabs that hold it beside the grid."""

    def __init__(self, host: WindowHost) -> None:
        super().__init__(host)
        window = host.qt_window()
        self.panel = TimelinePanel(host.editor, host.settings)
        self.tabs = QTabWidget(window)
        self.tabs.setObjectName("ViewTabs")
        self.tabs.setAccessibleName("Grid or timeline")
        self.tabs.setDocumentMode(True)
        grid = window.takeCentralWidget()  # the grid (host.editor)
        assert grid is not None
        self.tabs.addTab(grid, icon("page"), "Grid")
        self.tabs.addTab(self.panel, icon("timeline"), "Timeline")
        window.setCentralWidget(self.tabs)
        # Tab goes as the eye does: the tabs above, then the grid's filter bar.
        chain = [self.tabs.tabBar(), *host.editor.tab_chain()]
        for before, after in pairwise(chain):
            QWidget.setTabOrder(before, after)
        for key, text, widget, shortcut, icon_name in (
            ("show_grid", "&Grid", grid, "Ctrl+1", "page"),
            ("show_timeline", "&Timeline", self.panel, "Ctrl+2", "timeline"),
        ):
            host.add_action(
                key, text, partial(self.tabs.setCurrentWidget, widget), icon_name=icon_name,
                shortcut=shortcut, tip=f"Show the {text.strip('&').lower()}",
            )  # fmt: skip
        self.tabs.currentChanged.connect(lambda _i: self.panel.refresh())


def install(host: WindowHost) -> Timeline:
    """Put the grid and the timeline in tabs of the main window."""
    return Timeline(host)
