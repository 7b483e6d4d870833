"""The grid's column widths: the Title column stays readable in a small window.

The Title column takes the room the others leave, but never less than a readable minimum.
When the window is too narrow, the date columns give way first (down to a date without
its weekday, see ``DateTimeDelegate``), then the checkbox columns; only then does the
table scroll sideways, the titles still readable at its left. Columns the user sized by
hand keep their width; the saved header state holds those widths, not the squeezed ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from PySide6.QtCore import QByteArray, QEvent, QObject
from PySide6.QtWidgets import QHeaderView, QTableView

from .columns import DATE_COLUMNS, FLAG_COLUMNS, Column


def plan_widths(
    available: int,
    title_min: int,
    preferred: Mapping[Column, int],
    minimums: Mapping[Column, int],
    keep: Iterable[Column] = (),
) -> dict[Column, int]:
    """Widths of every column (the Title's included) for a viewport ``available`` wide.

    ``preferred``: the other columns' widths when there is room; ``minimums``: how far
    each may shrink; ``keep``: columns that do not shrink (sized by the user).
    """
    widths = dict(preferred)
    kept = set(keep)
    excess = title_min + sum(widths.values()) - available
    for group in (DATE_COLUMNS, FLAG_COLUMNS):
        if excess <= 0:
            break
        room = {c: widths[c] - minimums[c] for c in group if c in widths and c not in kept}
        room = {c: r for c, r in room.items() if r > 0}
        total = sum(room.values())
        if total <= 0:
            continue
        take = min(excess, total)
        taken = 0
        for position, (column, spare) in enumerate(room.items()):
            # Shares in proportion to the room each has; the last takes the rounding rest.
            share = take - taken if position == len(room) - 1 else spare * take // total
            widths[column] -= share
            taken += share
        excess -= take
    widths[Column.TITLE] = max(title_min, available - sum(widths.values()))
    return widths


class ColumnFit(QObject):
    """Keeps ``view``'s columns fitted to its width (see the module docstring)."""

    def __init__(
        self,
        view: QTableView,
        title_min: int,
        defaults: Mapping[Column, int],
        minimums: Mapping[Column, int],
    ) -> None:
        super().__init__(view)
        self.view = view
        self.header: QHeaderView = view.horizontalHeader()
        self.title_min = title_min
        self.defaults = dict(defaults)
        self.minimums = dict(minimums)
        self.preferred = dict(defaults)
        self.user_sized: set[Column] = set()
        self._fitting = False
        self.header.setSectionResizeMode(Column.TITLE, QHeaderView.ResizeMode.Fixed)
        self.header.sectionResized.connect(self._resized)
        self._viewport = view.viewport()
        self._viewport.installEventFilter(self)
        self.fit()

    def fit(self) -> None:
        """Lay the columns out for the viewport's width now."""
        available = self.view.viewport().width()
        widths = plan_widths(available, self.title_min, self.preferred, self.minimums,
                             self.user_sized)  # fmt: skip
        self._apply(widths)

    def save_state(self) -> QByteArray:
        """The header's state with the widths the user wants, not the squeezed ones."""
        self._apply({**self.preferred, Column.TITLE: self.title_min})
        try:
            return self.header.saveState()
        finally:
            self.fit()

    def restore_state(self, state: QByteArray) -> None:
        """A state from :meth:`save_state` (or an older version's): widths that differ
        from the defaults were the user's."""
        self._fitting = True
        try:
            self.header.restoreState(state)
        finally:
            self._fitting = False
        self.header.setSectionResizeMode(Column.TITLE, QHeaderView.ResizeMode.Fixed)
        for column, default in self.defaults.items():
            width = self.header.sectionSize(column)
            self.preferred[column] = width
            if width != default:
                self.user_sized.add(column)
            else:
                self.user_sized.discard(column)
        self.fit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self._viewport:
            self.fit()
        return False

    def _resized(self, column: int, _old: int, new: int) -> None:
        if self._fitting or column == Column.TITLE:
            return
        self.preferred[Column(column)] = new  # dragged by the user: theirs from now on
        self.user_sized.add(Column(column))
        self.fit()

    def _apply(self, widths: Mapping[Column, int]) -> None:
        self._fitting = True
        try:
            for column, width in widths.items():
                if self.header.sectionSize(column) != width:
                    self.header.resizeSection(column, width)
        finally:
            self._fitting = False
