"""What the timeline draws with: its colours, one row's numbers, and the marks on a row
(bars, unit brackets, due diamonds), free of the view's scrolling and state."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPainter, QPalette, QPen, QPolygonF

from ...widgets.theme import is_dark

WEEKEND = QColor("#eef0f2")
DAY_OFF = QColor("#fde2c8")
GRID_LINE = QColor("#dadce0")
MONTH_LINE = QColor("#9aa0a6")
TODAY = QColor("#d93025")
BAR = QColor("#4a86e8")
BAR_EDGE = QColor("#2a5db0")
INHERITED = QColor("#d6e4fb")
INHERITED_EDGE = QColor("#7fa4e0")
UNIT = QColor("#5f6368")
DUE = QColor("#e37400")
DUE_EDGE = QColor("#8a4500")
SELECTED_EDGE = QColor("#174ea6")
UNIT_BAND = QColor(95, 99, 104, 22)  # a top-level unit's row, across the chart


@dataclass(frozen=True)
class ChartFills:
    """The chart's background colours, which must stay on the palette's side of light/dark
    (the own-date bars, due diamonds and today line read on both). Inherited bars are
    quiet marks, so they are too: a pale bar that reads as "less" on white would shine
    brighter than the real bars on a dark base."""

    weekend: QColor
    day_off: QColor
    grid_line: QColor
    month_line: QColor
    week_shades: tuple[QColor, QColor]  # odd / even weeks of the term, in the header
    unit_row: QColor  # a top-level unit's title in the gutter
    inherited: QColor  # an inherited bar's fill
    inherited_edge: QColor  # its dashed outline and hatching


LIGHT_FILLS = ChartFills(WEEKEND, DAY_OFF, GRID_LINE, MONTH_LINE,
                         (QColor("#e8f0fe"), QColor("#f4f8fe")), QColor("#f1f3f4"),
                         INHERITED, INHERITED_EDGE)  # fmt: skip
DARK_FILLS = ChartFills(QColor("#2a2d31"), QColor("#4d3520"), QColor("#3c4043"),
                        QColor("#80868b"), (QColor("#1f2b3d"), QColor("#19212e")),
                        QColor("#303338"), QColor("#1b2940"), QColor("#55719e"))  # fmt: skip


def chart_fills(palette: QPalette) -> ChartFills:
    """The chart's background colours for ``palette`` (light or dark)."""
    return DARK_FILLS if is_dark(palette) else LIGHT_FILLS


GUTTER_WIDTH = 300  # the item titles, left of the chart
INDENT = 14  # per level of the unit tree, in the gutter


@dataclass(frozen=True, slots=True)
class Row:
    """What painting one item needs, in days since the view's first day (local time)."""

    item_id: int
    title: str
    depth: int
    is_unit: bool
    inherited: bool
    start: float | None
    end: float | None
    due: float | None


def paint_bar(
    painter: QPainter,
    rect: QRectF,
    inherited: bool,
    selected: bool,
    fills: ChartFills = LIGHT_FILLS,
) -> None:
    if inherited:
        painter.setPen(QPen(fills.inherited_edge, 1, Qt.PenStyle.DashLine))
        painter.setBrush(fills.inherited)
        painter.drawRoundedRect(rect, 3, 3)
        painter.setBrush(QBrush(fills.inherited_edge, Qt.BrushStyle.BDiagPattern))
    else:
        painter.setPen(QPen(BAR_EDGE, 1))
        painter.setBrush(BAR)
    painter.drawRoundedRect(rect, 3, 3)
    if selected:
        painter.setPen(QPen(SELECTED_EDGE, 2))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(rect.adjusted(-1, -1, 1, 1), 3, 3)


def paint_unit(
    painter: QPainter, row: Row, left: float, right: float, middle: float, selected: bool
) -> None:
    """A unit: a dark bracket over its window (pale when inherited)."""
    color = INHERITED_EDGE if row.inherited else UNIT
    painter.setPen(QPen(SELECTED_EDGE if selected else color, 1))
    painter.setBrush(color)
    painter.drawRect(QRectF(left, middle - 3, right - left, 5))
    for x in (left, right):
        painter.drawRect(QRectF(x - 1.5, middle - 6, 3, 10))


def paint_due(painter: QPainter, x: float, middle: float, selected: bool) -> None:
    size = 5.5
    diamond = QPolygonF(
        [
            QPointF(x, middle - size),
            QPointF(x + size, middle),
            QPointF(x, middle + size),
            QPointF(x - size, middle),
        ]
    )
    painter.setPen(QPen(SELECTED_EDGE if selected else DUE_EDGE, 1.5 if selected else 1))
    painter.setBrush(DUE)
    painter.drawPolygon(diamond)


def paint_titles(
    painter: QPainter,
    area: QRect,
    rows: Sequence[tuple[Row, int, bool]],
    row_height: int,
    highlight: QColor,
    font: QFont,
    palette: QPalette,
) -> None:
    """The gutter: each (row, top, selected) title, indented by depth, units in bold."""
    painter.setClipRect(area)
    painter.fillRect(area, palette.color(QPalette.ColorRole.Base))
    bold = QFont(font)
    bold.setBold(True)
    metrics, bold_metrics = QFontMetrics(font), QFontMetrics(bold)
    width = area.width()
    for row, top, selected in rows:
        rect = QRect(0, top, width, row_height)
        if selected:
            painter.fillRect(rect, highlight)
        elif row.is_unit and row.depth == 0:
            painter.fillRect(rect, chart_fills(palette).unit_row)
        indent = 8 + INDENT * min(row.depth, 10)
        painter.setFont(bold if row.is_unit else font)
        fm = bold_metrics if row.is_unit else metrics
        color = palette.color(QPalette.ColorRole.Text)
        if row.start is None and row.due is None:
            color = palette.color(QPalette.ColorRole.PlaceholderText)
        painter.setPen(color)
        text = fm.elidedText(row.title, Qt.TextElideMode.ElideRight, width - indent - 8)
        painter.drawText(QRect(indent, top, width - indent - 4, row_height),
                         Qt.AlignmentFlag.AlignVCenter, text)  # fmt: skip
    painter.setClipping(False)
    painter.setPen(QPen(chart_fills(palette).grid_line, 1))
    painter.drawLine(width - 1, 0, width - 1, area.height())
    painter.setFont(font)
