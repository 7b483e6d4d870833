"""The painted timeline chart: a title gutter, a week header and one row per item.

Rows hold numbers computed once per schedule (days since the first day on the axis,
local wall time of the course zone); painting walks only the rows in sight (row index =
scroll offset / row height), so 10,000 items scroll smoothly. The view knows nothing of
the grid: it reports clicks (:attr:`TimelineView.rows_clicked`) and whole-day drags
(:attr:`TimelineView.moved`); :mod:`.timeline` turns them into grid selections and
undoable edits.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta
from html import escape
from zoneinfo import ZoneInfo

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QAbstractScrollArea, QToolTip, QWidget

from scheduler_gui.core.days_off import DaysOff
from scheduler_gui.core.diff import short_title
from scheduler_gui.core.inherit import descendants
from scheduler_gui.core.model import Schedule
from scheduler_gui.core.times import format_local

from .marks import (
    GUTTER_WIDTH,
    SELECTED_EDGE,
    TODAY,
    UNIT_BAND,
    Row,
    chart_fills,
    paint_bar,
    paint_due,
    paint_titles,
    paint_unit,
)
from .term import term_of
from .weeks import WeekLabel, week_labels

MIN_DAY_WIDTH, MAX_DAY_WIDTH = 2.0, 80.0


class TimelineView(QAbstractScrollArea):
    """The painted chart: a title gutter, a week header and one row per item."""

    #: The user clicked rows: (ids, add_to_selection).
    rows_clicked = Signal(list, bool)
    #: The user dragged the selection by whole days: (ids, days).
    moved = Signal(list, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMouseTracking(True)
        self.viewport().setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.rows: list[Row] = []
        self._row_of: dict[int, int] = {}
        self._children: dict[int, list[int]] = {}
        self.tz = ZoneInfo("UTC")
        self.origin = date(2000, 1, 1)  # first day on the axis
        self.days = 0  # days on the axis
        self.term = (self.origin, self.origin)  # first Monday of the term, its last day
        self.day_width = 18.0
        self.days_off: DaysOff | None = None
        self.today: date | None = None  # None: the real today
        self.selected: set[int] = set()
        self._drag: tuple[QPoint, list[int]] | None = None
        self._drag_set: set[int] = set()
        self._drag_days = 0
        self._schedule = Schedule("", [])
        self._fitted = False
        metrics = self.fontMetrics()
        self.row_height = metrics.height() + 8
        self.header_height = 2 * metrics.height() + 12

    # ------------------------------------------------------------------ data

    def set_schedule(self, schedule: Schedule, tz: ZoneInfo) -> None:
        """Recompute the rows (all items, course order) and the axis."""
        self.tz = tz
        self._schedule = schedule
        epoch = datetime(2000, 1, 3)  # a Monday; offsets are days since it, local time
        memo: dict[datetime, float] = {}  # a course repeats the same few dates

        def offset(value: datetime | None) -> float | None:
            if value is None or value.tzinfo is None:
                return None
            days = memo.get(value)
            if days is None:
                local = value.astimezone(tz).replace(tzinfo=None)
                days = memo[value] = (local - epoch).total_seconds() / 86400
            return days

        children = schedule.children
        depths = schedule.depths
        raw = [
            (item, offset(item.start), offset(item.end), offset(item.due))
            for item in schedule.items
        ]
        stamps = sorted(memo.values())
        today = (self._today() - epoch.date()).days
        first = math.floor(stamps[0]) if stamps else today
        last = math.floor(stamps[-1]) if stamps else first + 100
        origin_day = first - (first % 7) - 7  # a Monday, with a week of margin
        self.origin = epoch.date() + timedelta(days=origin_day)
        self.days = last - origin_day + 14
        self.term = term_of([self.origin + timedelta(days=d - origin_day) for d in
                           (math.floor(v) for v in stamps)], self.origin)  # fmt: skip

        def shifted(days: float | None) -> float | None:
            return None if days is None else days - origin_day

        self.rows = [
            Row(
                item.item_id,
                short_title(item.title, 200) or f"Item {item.item_id}",  # 10 MB titles exist
                depths.get(item.item_id, 0),
                item.item_id in children,
                item.is_inherited,
                shifted(start),
                shifted(end),
                shifted(due),
            )
            for item, start, end, due in raw
        ]
        self._row_of = {row.item_id: index for index, row in enumerate(self.rows)}
        self._children = children
        self.selected &= set(self._row_of)
        self._update_scrollbars()
        if not self._fitted and self.viewport().width() > GUTTER_WIDTH + 100:
            self.fit_term()
        self.viewport().update()

    def set_selected(self, ids: list[int], scroll: bool = True) -> None:
        self.selected = {item_id for item_id in ids if item_id in self._row_of}
        if scroll and ids and ids[0] in self._row_of:
            self.ensure_visible(ids[0])
        self.viewport().update()

    def set_days_off(self, days_off: DaysOff | None) -> None:
        self.days_off = days_off or None
        self.viewport().update()

    # ------------------------------------------------------------------ geometry

    def chart_width(self) -> int:
        return max(0, self.viewport().width() - GUTTER_WIDTH)

    def x_of(self, days: float) -> float:
        """Viewport x of a point ``days`` after the origin."""
        return GUTTER_WIDTH + days * self.day_width - self.horizontalScrollBar().value()

    def days_at(self, x: float) -> float:
        return (x - GUTTER_WIDTH + self.horizontalScrollBar().value()) / self.day_width

    def row_at(self, y: int) -> int | None:
        if y < self.header_height:
            return None
        index = (y - self.header_height + self.verticalScrollBar().value()) // self.row_height
        return index if 0 <= index < len(self.rows) else None

    def visible_rows(self) -> range:
        """Indexes of the rows in sight: only these are painted."""
        top = self.verticalScrollBar().value()
        height = max(0, self.viewport().height() - self.header_height)
        first = top // self.row_height
        return range(first, min(len(self.rows), (top + height) // self.row_height + 1))

    def row_top(self, index: int) -> int:
        return self.header_height + index * self.row_height - self.verticalScrollBar().value()

    def ensure_visible(self, item_id: int) -> None:
        """Scroll so the item's row is in sight and its bar (or due date) too."""
        index = self._row_of[item_id]
        bar = self.verticalScrollBar()
        height = self.viewport().height() - self.header_height
        top = index * self.row_height
        if top < bar.value() or top + self.row_height > bar.value() + height:
            bar.setValue(top - height // 2)
        row = self.rows[index]
        where = row.start if row.start is not None else row.due
        if where is not None:
            x = self.x_of(where)
            if x < GUTTER_WIDTH or x > self.viewport().width() - 20:
                self.horizontalScrollBar().setValue(int(where * self.day_width) - 40)

    def set_day_width(self, width: float, keep_x: float | None = None) -> None:
        """Zoom, keeping the day under ``keep_x`` (default: the chart's left edge) in place."""
        anchor_x = GUTTER_WIDTH if keep_x is None else keep_x
        anchor_day = self.days_at(anchor_x)
        self.day_width = min(MAX_DAY_WIDTH, max(MIN_DAY_WIDTH, width))
        self._update_scrollbars()
        self.horizontalScrollBar().setValue(
            int(anchor_day * self.day_width - (anchor_x - GUTTER_WIDTH))
        )
        self.viewport().update()

    def fit_term(self) -> None:
        """Zoom so the term fills the chart, and scroll to its start."""
        first, last = self.term
        span = max(7, (last - first).days + 4)
        self._fitted = self.chart_width() > 100
        self.day_width = min(MAX_DAY_WIDTH, max(MIN_DAY_WIDTH, self.chart_width() / span))
        self._update_scrollbars()
        margin = 8  # pixels: bars starting on the term's first day stay clear of the titles
        self.horizontalScrollBar().setValue(
            int((first - self.origin).days * self.day_width) - margin
        )
        self.viewport().update()

    def _update_scrollbars(self) -> None:
        content_height = len(self.rows) * self.row_height
        page = max(1, self.viewport().height() - self.header_height)
        vertical = self.verticalScrollBar()
        vertical.setRange(0, max(0, content_height - page))
        vertical.setPageStep(page)
        vertical.setSingleStep(self.row_height)
        content_width = int(self.days * self.day_width)
        horizontal = self.horizontalScrollBar()
        horizontal.setRange(0, max(0, content_width - self.chart_width()))
        horizontal.setPageStep(max(1, self.chart_width()))
        horizontal.setSingleStep(max(1, int(self.day_width)))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._update_scrollbars()
        if not self._fitted and self.rows:
            self.fit_term()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        self.viewport().update()

    # ------------------------------------------------------------------ painting

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self.viewport())
        try:
            self._paint(painter, event.rect())
        finally:
            painter.end()

    def _paint(self, painter: QPainter, clip: QRect) -> None:
        palette = self.palette()
        width, height = self.viewport().width(), self.viewport().height()
        painter.fillRect(clip, palette.color(QPalette.ColorRole.Base))
        first_day = max(0, math.floor(self.days_at(GUTTER_WIDTH)))
        last_day = min(self.days, math.ceil(self.days_at(width)) + 1)
        painter.setClipRect(QRect(GUTTER_WIDTH, 0, width - GUTTER_WIDTH, height))
        self._paint_days(painter, first_day, last_day, height)
        rows = self.visible_rows()
        painter.setClipRect(QRect(GUTTER_WIDTH, self.header_height, width, height))
        highlight = QColor(palette.color(QPalette.ColorRole.Highlight))
        highlight.setAlpha(45)
        for index in rows:
            row = self.rows[index]
            top = self.row_top(index)
            if row.item_id in self.selected:
                painter.fillRect(QRect(GUTTER_WIDTH, top, width, self.row_height), highlight)
            elif row.is_unit and row.depth == 0:
                painter.fillRect(QRect(GUTTER_WIDTH, top, width, self.row_height), UNIT_BAND)
            self._paint_row(painter, row, top)
        self._paint_today(painter, height)
        painter.setClipRect(QRect(0, 0, width, height))
        self._paint_header(painter, first_day, last_day)
        self._paint_gutter(painter, rows, highlight)
        if self._drag is not None and self._drag_days:
            self._paint_drag_label(painter)

    def _day(self, index: int) -> date:
        return self.origin + timedelta(days=index)

    def _paint_days(self, painter: QPainter, first: int, last: int, height: int) -> None:
        """Weekend and day-off columns, week lines (Mondays) and month lines."""
        fills = chart_fills(self.palette())
        for index in range(first, last):
            day = self._day(index)
            x = self.x_of(index)
            reason = self.days_off.reason(day) if self.days_off is not None else None
            if reason is not None:
                painter.fillRect(QRectF(x, 0, self.day_width, height), fills.day_off)
            elif day.weekday() >= 5 and self.day_width >= 3:
                painter.fillRect(QRectF(x, 0, self.day_width, height), fills.weekend)
            if day.day == 1:
                painter.setPen(QPen(fills.month_line, 1))
                painter.drawLine(QPointF(x, 0), QPointF(x, height))
            elif day.weekday() == 0:
                painter.setPen(QPen(fills.grid_line, 1))
                painter.drawLine(QPointF(x, self.header_height / 2), QPointF(x, height))

    def _paint_row(self, painter: QPainter, row: Row, top: int) -> None:
        middle = top + self.row_height / 2
        selected = row.item_id in self.selected
        shift = self._drag_days if self._moving(row.item_id) else 0
        if row.start is not None and row.end is not None:
            left = self.x_of(row.start + shift)
            right = max(left + 2, self.x_of(row.end + shift))
            if row.is_unit:
                paint_unit(painter, row, left, right, middle, selected)
            else:
                rect = QRectF(left, top + 5, right - left, self.row_height - 10)
                paint_bar(painter, rect, row.inherited, selected, chart_fills(self.palette()))
        if row.due is not None:
            paint_due(painter, self.x_of(row.due + shift), middle, selected)
        self._paint_off_screen_hint(painter, row, middle)

    def _paint_off_screen_hint(self, painter: QPainter, row: Row, middle: float) -> None:
        """Dates far outside the view: a grey arrow with the date at the chart's edge."""
        values = [v for v in (row.start, row.end, row.due) if v is not None]
        if not values:
            return
        left_edge, right_edge = self.days_at(GUTTER_WIDTH), self.days_at(self.viewport().width())
        if max(values) < left_edge:
            day, arrow = self._day(math.floor(max(values))), "◀"
            x, align = GUTTER_WIDTH + 4, Qt.AlignmentFlag.AlignLeft
        elif min(values) > right_edge:
            day, arrow = self._day(math.floor(min(values))), "▶"
            x, align = self.viewport().width() - 204, Qt.AlignmentFlag.AlignRight
        else:
            return
        painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
        text = f"{arrow} {day:%a %Y-%m-%d}" if arrow == "◀" else f"{day:%a %Y-%m-%d} {arrow}"
        rect = QRectF(x, middle - self.row_height / 2, 200, self.row_height)
        painter.drawText(rect, align | Qt.AlignmentFlag.AlignVCenter, text)

    def _today(self) -> date:
        return self.today or datetime.now(UTC).astimezone(self.tz).date()

    def _paint_today(self, painter: QPainter, height: int) -> None:
        """A line at the current time (at noon of :attr:`today` when that is set)."""
        now = datetime.now(UTC).astimezone(self.tz)
        fraction = 0.5 if self.today else (now.hour * 60 + now.minute) / 1440
        x = self.x_of((self._today() - self.origin).days + fraction)
        if x >= GUTTER_WIDTH:
            painter.setPen(QPen(TODAY, 2))
            painter.drawLine(QPointF(x, self.header_height), QPointF(x, height))

    def _paint_header(self, painter: QPainter, first: int, last: int) -> None:
        """Months on the first line; weeks of the term (with Monday's date) on the second."""
        palette = self.palette()
        width = self.viewport().width()
        line = self.fontMetrics().height() + 6
        window_color = palette.color(QPalette.ColorRole.Window)
        text_color = palette.color(QPalette.ColorRole.WindowText)
        painter.fillRect(QRect(0, 0, width, self.header_height), window_color)
        painter.setClipRect(QRect(GUTTER_WIDTH, 0, width - GUTTER_WIDTH, self.header_height))
        bold = QFont(self.font())
        bold.setBold(True)
        self._paint_months(painter, first, last, line, bold, text_color)
        painter.setFont(self.font())
        term_first, term_last = self.term
        week_width = 7 * self.day_width
        metrics = self.fontMetrics()
        muted = palette.color(QPalette.ColorRole.PlaceholderText)
        mondays = self.mondays(first, last)
        for day, x in mondays:
            week = (day - term_first).days // 7 + 1
            if term_first <= day <= term_last:
                shade = chart_fills(palette).week_shades[0 if week % 2 else 1]
                painter.fillRect(QRectF(x, line, week_width, self.header_height - line - 1), shade)
        for week_label in week_labels(mondays, self.term, week_width, metrics.horizontalAdvance):
            painter.setPen(text_color if week_label.week is not None else muted)
            painter.drawText(QPointF(week_label.x + 4, self.header_height - 7), week_label.text)
        today = (self._today() - self.origin).days
        if first <= today <= last:
            painter.setPen(TODAY)
            painter.setFont(bold)
            painter.drawText(QPointF(self.x_of(today) + 4, line - 4), "Today")
        painter.setClipping(False)
        painter.setPen(QPen(chart_fills(palette).grid_line, 1))
        painter.drawLine(0, self.header_height - 1, width, self.header_height - 1)
        painter.fillRect(QRect(0, 0, GUTTER_WIDTH, self.header_height), window_color)
        painter.setPen(text_color)
        painter.setFont(bold)
        label = f"Item · times in {self.tz.key}"
        area = QRect(8, 0, GUTTER_WIDTH - 16, self.header_height)
        painter.drawText(area, Qt.AlignmentFlag.AlignVCenter, label)
        painter.setFont(self.font())

    def mondays(self, first: int, last: int) -> list[tuple[date, float]]:
        """The Mondays from day index ``first`` (a week earlier) to ``last``, with their x."""
        return [
            (self._day(index), self.x_of(index))
            for index in range(max(0, first - 7), last)
            if self._day(index).weekday() == 0
        ]

    def week_labels_in_sight(self) -> list[WeekLabel]:
        """The week labels the header shows now (what :meth:`_paint_header` draws)."""
        first = max(0, math.floor(self.days_at(GUTTER_WIDTH)))
        last = min(self.days, math.ceil(self.days_at(self.viewport().width())) + 1)
        return week_labels(
            self.mondays(first, last), self.term, 7 * self.day_width,
            self.fontMetrics().horizontalAdvance,
        )  # fmt: skip

    def _paint_months(
        self, painter: QPainter, first: int, last: int, line: int, bold: QFont, color: QColor
    ) -> None:
        """Month names; the month at the left edge sticks there until the next one comes."""
        painter.setFont(bold)
        painter.setPen(color)
        starts = [i for i in range(first, last) if self._day(i).day == 1]
        if not starts or starts[0] != first:
            starts.insert(0, first)
        for number, index in enumerate(starts):
            day = self._day(index)
            left = max(self.x_of(index), float(GUTTER_WIDTH)) + 4
            following = starts[number + 1] if number + 1 < len(starts) else None
            room = self.x_of(following) - left if following is not None else 1e9
            text = f"{day:%B %Y}"
            if painter.fontMetrics().horizontalAdvance(text) + 6 > room:
                text = f"{day:%b}"
                if painter.fontMetrics().horizontalAdvance(text) + 6 > room:
                    continue
            painter.drawText(QPointF(left, line - 4), text)

    def _paint_gutter(self, painter: QPainter, rows: range, highlight: QColor) -> None:
        shown = [
            (self.rows[i], self.row_top(i), self.rows[i].item_id in self.selected) for i in rows
        ]
        area = QRect(0, self.header_height, GUTTER_WIDTH, self.viewport().height())
        paint_titles(painter, area, shown, self.row_height, highlight, self.font(), self.palette())

    def _paint_drag_label(self, painter: QPainter) -> None:
        assert self._drag is not None
        text = f"{self._drag_days:+d} day{'s' if abs(self._drag_days) != 1 else ''}"
        position = self.viewport().mapFromGlobal(self.cursor().pos())
        rect = QRect(
            position.x() + 12,
            position.y() - 26,
            self.fontMetrics().horizontalAdvance(text) + 12,
            20,
        )
        painter.setPen(QPen(SELECTED_EDGE))
        painter.setBrush(QColor("#ffffff"))
        painter.drawRoundedRect(rect, 4, 4)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)

    # ------------------------------------------------------------------ interaction

    def item_at(self, position: QPoint) -> tuple[int | None, bool]:
        """(item id of the row under ``position``, whether a bar or due marker is hit)."""
        index = self.row_at(position.y())
        if index is None:
            return None, False
        row = self.rows[index]
        if position.x() < GUTTER_WIDTH:
            return row.item_id, False
        x = float(position.x())
        on_due = row.due is not None and abs(self.x_of(row.due) - x) <= 6
        on_bar = (
            row.start is not None
            and row.end is not None
            and self.x_of(row.start) - 3
            <= x
            <= max(self.x_of(row.start) + 2, self.x_of(row.end)) + 3
        )
        return row.item_id, on_due or on_bar

    def _moving(self, item_id: int) -> bool:
        return self._drag is not None and item_id in self._drag_set

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return super().mousePressEvent(event)
        item_id, on_bar = self.item_at(event.position().toPoint())
        if item_id is None:
            return None
        add = bool(
            event.modifiers()
            & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
        )
        if item_id not in self.selected or add:
            self.rows_clicked.emit([item_id], add)
        if on_bar:
            ids = [row.item_id for row in self.rows if row.item_id in self.selected] or [item_id]
            self._drag = (event.position().toPoint(), ids)
            self._drag_set = self._with_descendants(ids)
            self._drag_days = 0
        return None

    def _with_descendants(self, ids: list[int]) -> set[int]:
        return set(descendants(self._children, ids))

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag is None:
            _id, on_bar = self.item_at(event.position().toPoint())
            cursor = Qt.CursorShape.SizeHorCursor if on_bar else Qt.CursorShape.ArrowCursor
            self.viewport().setCursor(cursor)
            return
        start, _ids = self._drag
        days = round((event.position().x() - start.x()) / self.day_width)
        if days != self._drag_days:
            self._drag_days = days
            self.viewport().update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._drag is None:
            return
        _start, ids = self._drag
        days = self._drag_days
        self._drag, self._drag_days = None, 0
        self.viewport().update()
        if days:
            self.moved.emit(ids, days)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Alt+Left/Right moves the selection a day; Up/Down walks the rows."""
        key = event.key()
        alt = bool(event.modifiers() & Qt.KeyboardModifier.AltModifier)
        ordered = [row.item_id for row in self.rows if row.item_id in self.selected]
        if alt and key in (Qt.Key.Key_Left, Qt.Key.Key_Right) and ordered:
            self.moved.emit(ordered, -1 if key == Qt.Key.Key_Left else 1)
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and self.rows:
            current = self._row_of[ordered[0]] if ordered else -1
            step = -1 if key == Qt.Key.Key_Up else 1
            target = min(len(self.rows) - 1, max(0, current + step))
            self.rows_clicked.emit([self.rows[target].item_id], False)
        else:
            super().keyPressEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        """Ctrl+wheel zooms around the pointer; Shift+wheel scrolls sideways."""
        delta = event.angleDelta().y()
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier and delta:
            factor = 1.25 if delta > 0 else 0.8
            self.set_day_width(self.day_width * factor, event.position().x())
            return
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier and delta:
            bar = self.horizontalScrollBar()
            bar.setValue(bar.value() - delta)
            return
        super().wheelEvent(event)

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            text = self.tooltip_at(event.pos())
            if text:
                QToolTip.showText(event.globalPos(), text, self.viewport())
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    def tooltip_at(self, position: QPoint) -> str:
        """The item under the pointer with its dates, or the day off in the header."""
        index = self.row_at(position.y())
        if index is None:
            if position.x() < GUTTER_WIDTH or self.days_off is None:
                return ""
            return self.days_off.reason(self._day(math.floor(self.days_at(position.x())))) or ""
        item = self._schedule.get(self.rows[index].item_id)
        if item is None:
            return ""
        lines = [f"<b>{escape(short_title(item.title, 1000))}</b> ({item.item_id})"]
        if item.start is not None or item.end is not None:
            window = " → ".join(
                format_local(value, self.tz) if value is not None else "open"
                for value in (item.start, item.end)
            )
            lines.append(window + (" <i>(inherited)</i>" if item.is_inherited else ""))
        if item.due is not None:
            lines.append(f"Due {format_local(item.due, self.tz)}")
        if not self.rows[index].is_unit and self.item_at(position)[1]:
            lines.append("<span style='color:#5f6368'>Drag to move by whole days</span>")
        return "<br>".join(lines)
