"""The timeline tab: every item as a bar on the weeks of the term, beside the grid.

One row per item in course order (units are rows too, drawn as brackets), a bar from
start to end in the course time zone, a diamond at the due date. Weekends, holidays and
blackout days are shaded, today is a red line. Inherited bars are pale and hatched.

Selection is the grid's: clicking a bar selects its row in the grid, selecting rows in
the grid highlights their bars. Dragging a bar (or the selection) moves its dates by
whole days as one undo step, on the wall clock of the course zone (``core.shift``).
The chart itself is :class:`~.timeline_view.TimelineView`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QPainter, QPen, QPixmap, QPolygonF, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from scheduler_gui.core.days_off import DaysOff, DaysOffError
from scheduler_gui.core.model import ItemSchedule, Schedule
from scheduler_gui.core.shift import ByDays, ShiftError, ShiftSpec, shift_schedule

from ...widgets.flow_layout import FlowLayout
from ...widgets.theme import cell_colours
from .marks import BAR, BAR_EDGE, DUE, DUE_EDGE, TODAY, chart_fills
from .view import TimelineView


class TimelinePanel(QWidget):
    """The timeline with its tool row (zoom, days off, legend), bound to the grid."""

    def __init__(self, editor: Any, settings: Any = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.settings = settings
        self.view = TimelineView(self)
        self.view.setAccessibleName("Timeline of the items")
        self._shown: tuple[Schedule | None, str] = (None, "")
        self._from_timeline = False
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(0)  # coalesce the editor's signals into one rebuild
        self._refresh_timer.timeout.connect(self.refresh)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(self._tool_row())
        layout.addWidget(self.view, 1)
        self.setMinimumWidth(360)  # the tool row may crowd, the window need not grow
        editor.schedule_changed.connect(self._refresh_timer.start)
        editor.findings_changed.connect(lambda _f: self._refresh_timer.start())
        editor.selection_changed.connect(self._grid_selection_changed)
        self.view.rows_clicked.connect(self.select_in_grid)
        self.view.moved.connect(self.move_items)
        self._apply_days_off()
        self.refresh()

    def _tool_row(self) -> FlowLayout:
        """Zoom, days off and the legend; they wrap onto more lines in a narrow panel
        (800 x 600 with the Activity panel) rather than overlap."""
        row = FlowLayout(spacing=8)
        row.setContentsMargins(6, 4, 6, 0)
        buttons = []
        for text, tip, slot in (
            (
                "−",
                "Zoom out (Ctrl+wheel)",
                lambda: self.view.set_day_width(self.view.day_width / 1.5),
            ),
            (
                "+",
                "Zoom in (Ctrl+wheel)",
                lambda: self.view.set_day_width(self.view.day_width * 1.5),
            ),
            ("Fit term", "Show the whole term", self.view.fit_term),
        ):
            button = QToolButton(self)
            button.setText(text)
            button.setToolTip(tip)
            button.clicked.connect(slot)
            buttons.append(button)
        row.addWidget(_group(*buttons))
        self.region_edit = QLineEdit(self)
        self.region_edit.setAccessibleName("Holidays of")
        self.region_edit.setPlaceholderText("US, US-CO, DE-BY…")
        self.region_edit.setFixedWidth(110)
        self.blackout_edit = QLineEdit(self)
        self.blackout_edit.setAccessibleName("Blackout days")
        self.blackout_edit.setPlaceholderText("2011-03-14..2011-03-18, …")
        self.blackout_edit.setToolTip("Blackout days or ranges, comma-separated")
        self.blackout_edit.setFixedWidth(190)
        if self.settings is not None:
            self.region_edit.setText(str(self.settings.value("timeline/region", "") or ""))
            self.blackout_edit.setText(str(self.settings.value("timeline/blackouts", "") or ""))
        for edit in (self.region_edit, self.blackout_edit):
            edit.editingFinished.connect(self._apply_days_off)
        row.addWidget(_group(QLabel("Holidays of"), self.region_edit))
        row.addWidget(_group(QLabel("blackouts"), self.blackout_edit))
        self.status = QLabel(self)
        self.status.setStyleSheet(f"color: {cell_colours().error_fg.name()};")
        row.addWidget(self.status)
        fills = chart_fills(self.palette())
        for swatch, text in (
            (_swatch(BAR, BAR_EDGE), "own dates"),
            (_swatch(fills.inherited, fills.inherited_edge, hatched=True), "inherited"),
            (_swatch(DUE, DUE_EDGE, diamond=True), "due"),
            (_swatch(fills.weekend, fills.grid_line), "weekend"),
            (_swatch(fills.day_off, fills.day_off.darker(130)), "holiday/blackout"),
            (_swatch(TODAY, TODAY, line=True), "today"),
        ):
            icon_label = QLabel(self)
            icon_label.setPixmap(swatch)
            label = QLabel(text, self)
            label.setStyleSheet(f"color: {cell_colours().inherited_fg.name()};")
            row.addWidget(_group(icon_label, label))
        return row

    def _apply_days_off(self) -> None:
        region = self.region_edit.text().strip()
        blackouts = [part.strip() for part in self.blackout_edit.text().split(",") if part.strip()]
        try:
            days_off = DaysOff.parse(region or None, blackouts)
        except DaysOffError as exc:
            self.status.setText(str(exc))
            return
        self.status.clear()
        self.view.set_days_off(days_off)
        if self.settings is not None:
            self.settings.setValue("timeline/region", region)
            self.settings.setValue("timeline/blackouts", self.blackout_edit.text().strip())

    # ------------------------------------------------------------------ sync with the grid

    def refresh(self) -> None:
        """Show the editor's current schedule (only if it or the zone changed).

        A hidden timeline does nothing: it catches up when shown, so edits in a
        10,000-item course do not pay for a tab nobody looks at.
        """
        if not self.isVisible():
            return
        schedule, tz = self.editor.current_schedule(), self.editor.time_zone()
        if self._shown[0] is schedule and self._shown[1] == tz.key:
            return
        self._shown = (schedule, tz.key)
        self.view.set_schedule(schedule, tz)
        self.view.set_selected(self.editor.selected_ids(), scroll=False)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()

    def _grid_selection_changed(self, ids: list[int]) -> None:
        self.view.set_selected(ids, scroll=not self._from_timeline)

    def select_in_grid(self, ids: list[int], toggle: bool = False) -> None:
        """Select the items' rows in the grid (the timeline follows the grid's selection)."""
        editor = self.editor
        selection = QItemSelection()
        first_index = None
        last_column = editor.proxy.columnCount() - 1
        for item_id in ids:
            row = editor.model.row_of(item_id)
            if row is None:
                continue
            index = editor.proxy.mapFromSource(editor.model.index(row, 0))
            if not index.isValid():  # hidden by a grid filter: show everything again
                editor.clear_filters()
                index = editor.proxy.mapFromSource(editor.model.index(row, 0))
            selection.select(index, index.siblingAtColumn(last_column))
            first_index = first_index or index
        if first_index is None:
            return
        flags = QItemSelectionModel.SelectionFlag
        mode = flags.Toggle if toggle else flags.ClearAndSelect
        self._from_timeline = True
        try:
            model = editor.view.selectionModel()
            model.setCurrentIndex(first_index, flags.NoUpdate)
            model.select(selection, mode | flags.Rows)
            editor.view.scrollTo(first_index, QAbstractItemView.ScrollHint.EnsureVisible)
        finally:
            self._from_timeline = False

    def move_items(self, ids: list[int], days: int) -> bool:
        """Move the items (and everything in selected units) by ``days`` whole days, on
        the wall clock of the course zone, as one undo step. Dragging an inherited item
        on its own gives it its own dates, as editing a date in the grid does."""
        schedule, tz = self.editor.current_schedule(), self.editor.time_zone()
        chosen = set(ids)
        explicit = [
            schedule.by_id[item_id].make_explicit()
            for item_id in ids
            if item_id in schedule.by_id
            and schedule.by_id[item_id].is_inherited
            and not _has_ancestor_in(schedule, schedule.by_id[item_id], chosen)
        ]
        working = schedule.with_items(explicit)
        try:
            result = shift_schedule(working, ShiftSpec(ByDays(days), only=frozenset(chosen)), tz)
        except ShiftError as exc:
            self.status.setText(str(exc))
            return False
        changed: dict[int, ItemSchedule] = {item.item_id: item for item in explicit}
        changed.update((item.item_id, item) for item in result.changed)
        count = len(ids)
        what = f"{count:,} items" if count != 1 else f"“{schedule.by_id[ids[0]].title.strip()}”"
        text = f"Move {what} {days:+d} day{'s' if abs(days) != 1 else ''}"
        return bool(self.editor.apply_items(list(changed.values()), text))


def _has_ancestor_in(schedule: Schedule, item: ItemSchedule, ids: set[int]) -> bool:
    return any(unit.item_id in ids for unit in schedule.ancestors(item))


def _swatch(
    fill: QColor, edge: QColor, *, hatched: bool = False, diamond: bool = False, line: bool = False
) -> QPixmap:
    """A 16x12 legend swatch drawn like the chart draws it."""
    pixmap = QPixmap(16, 12)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    if line:
        painter.setPen(QPen(fill, 2))
        painter.drawLine(8, 0, 8, 12)
    elif diamond:
        painter.setPen(QPen(edge, 1))
        painter.setBrush(fill)
        painter.drawPolygon(
            QPolygonF([QPointF(8, 1), QPointF(14, 6), QPointF(8, 11), QPointF(2, 6)])
        )
    else:
        painter.setPen(QPen(edge, 1, Qt.PenStyle.DashLine if hatched else Qt.PenStyle.SolidLine))
        painter.setBrush(fill)
        painter.drawRoundedRect(QRectF(0.5, 1.5, 15, 9), 2, 2)
        if hatched:
            painter.setBrush(QBrush(edge, Qt.BrushStyle.BDiagPattern))
            painter.drawRoundedRect(QRectF(0.5, 1.5, 15, 9), 2, 2)
    painter.end()
    return pixmap


def _group(*widgets: QWidget) -> QWidget:
    """Widgets kept together on one line of the tool row (a label and its field)."""
    group = QWidget()
    line = QHBoxLayout(group)
    line.setContentsMargins(0, 0, 0, 0)
    line.setSpacing(4)
    for widget in widgets:
        line.addWidget(widget)
    return group
