"""Light and dark system palettes: marked grid cells stay readable in both.

The model's roles say what a cell looks like (its ForegroundRole/BackgroundRole, or the
palette's Text/Base when it sets none); the WCAG contrast ratio of those two colours must
be at least 4.5 (body text) for inherited, edited, warning and error cells.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, QSettings, Qt
from PySide6.QtGui import QColor, QIcon, QPalette, QUndoStack
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from scheduler_gui.core.validate import Finding, Severity
from scheduler_gui.ui.features.timeline.marks import chart_fills
from scheduler_gui.ui.grid.columns import Column, IsEditedRole, IsInheritedRole
from scheduler_gui.ui.grid.model import ScheduleTableModel as Model
from scheduler_gui.ui.shell.main_window import MainWindow
from scheduler_gui.ui.widgets.theme import DARK, LIGHT, cell_colours, contrast_ratio, is_dark
from tests.ui.gui_session import features, open_window
from tests.ui.schedule_samples import DENVER, local, small_course

pytestmark = pytest.mark.gui

ENOUGH = 4.5  # WCAG AA for normal text


def dark_palette() -> QPalette:
    """A dark desktop palette like KDE Breeze Dark / Windows dark mode."""
    palette = QPalette()
    roles = QPalette.ColorRole
    for role, colour in {
        roles.Window: "#2b2b2b",
        roles.WindowText: "#e8e8e8",
        roles.Base: "#1e1e1e",
        roles.AlternateBase: "#2a2a2a",
        roles.Text: "#e8e8e8",
        roles.Button: "#353535",
        roles.ButtonText: "#e8e8e8",
        roles.ToolTipBase: "#353535",
        roles.ToolTipText: "#e8e8e8",
        roles.PlaceholderText: "#9a9a9a",
        roles.Highlight: "#3d6fb4",
        roles.HighlightedText: "#ffffff",
        roles.Link: "#8ab4f8",
        roles.Mid: "#505050",
        roles.Dark: "#191919",
        roles.Light: "#4a4a4a",
        roles.BrightText: "#ffffff",
    }.items():
        palette.setColor(role, QColor(colour))
    palette.setColor(QPalette.ColorGroup.Disabled, roles.Text, QColor("#7a7a7a"))
    palette.setColor(QPalette.ColorGroup.Disabled, roles.WindowText, QColor("#7a7a7a"))
    palette.setColor(QPalette.ColorGroup.Disabled, roles.ButtonText, QColor("#7a7a7a"))
    return palette


@pytest.fixture(params=["light", "dark"])
def palette(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[QPalette]:
    """The app's palette for one test: the default (light) one, or a dark one."""
    before = qapp.palette()
    if request.param == "dark":
        qapp.setPalette(dark_palette())
    yield qapp.palette()
    qapp.setPalette(before)


def marked_model(qtbot: QtBot) -> Model:
    """Item 2 is inherited, item 3's end is edited, item 4 has an error, item 3 a warning."""
    model = Model(QUndoStack())
    model.set_time_zone(DENVER)
    course = small_course()
    edited = course.get(3).with_dates(end=local(2011, 3, 9, 23, 59))  # type: ignore[union-attr]
    model.set_schedule(course, course.with_items([edited]))
    model.set_findings(
        [
            Finding(Severity.ERROR, 4, "end", "Quiz 3 ends before it starts."),
            Finding(Severity.WARNING, 3, "due", "Due after it closes."),
        ]
    )
    return model


def cell(model: Model, item_id: int, column: Column) -> QModelIndex:
    row = model.row_of(item_id)
    assert row is not None
    return model.index(row, column)


def shown_colours(index: QModelIndex, palette: QPalette) -> tuple[QColor, QColor]:
    """(text, background) of a cell as a view paints it (roles, else the palette)."""
    foreground = index.data(Qt.ItemDataRole.ForegroundRole)
    background = index.data(Qt.ItemDataRole.BackgroundRole)
    text = foreground.color() if foreground is not None else palette.color(QPalette.ColorRole.Text)
    if background is not None:
        return text, background.color()
    bases = (QPalette.ColorRole.Base, QPalette.ColorRole.AlternateBase)  # striped rows
    worst = min(bases, key=lambda role: contrast_ratio(text, palette.color(role)))
    return text, palette.color(worst)


def test_palette_fixture_gives_a_light_and_a_dark_theme(palette: QPalette) -> None:
    assert is_dark(palette) == (palette.color(QPalette.ColorRole.Base).lightness() < 128)
    assert cell_colours(palette) is (DARK if is_dark(palette) else LIGHT)


@pytest.mark.parametrize(
    ("what", "item_id", "column"),
    [
        ("inherited", 2, Column.START),
        ("edited", 3, Column.END),
        ("warning", 3, Column.DUE),
        ("error", 4, Column.END),
        ("plain", 1, Column.START),
        ("title", 4, Column.TITLE),
    ],
)
def test_marked_cells_have_readable_text(
    qtbot: QtBot, palette: QPalette, what: str, item_id: int, column: Column
) -> None:
    model = marked_model(qtbot)
    index = cell(model, item_id, column)
    if what == "inherited":
        assert index.data(IsInheritedRole)
    if what == "edited":
        assert index.data(IsEditedRole)
    text, background = shown_colours(index, palette)
    ratio = contrast_ratio(text, background)
    assert ratio >= ENOUGH, f"{what}: {text.name()} on {background.name()} is {ratio:.1f}:1"


def test_marker_backgrounds_are_dark_in_a_dark_theme(qtbot: QtBot, palette: QPalette) -> None:
    model = marked_model(qtbot)
    base = palette.color(QPalette.ColorRole.Base)
    for item_id, column in ((3, Column.END), (3, Column.DUE), (4, Column.END)):
        tint = cell(model, item_id, column).data(Qt.ItemDataRole.BackgroundRole).color()
        # A tint stays on the base's side: dark on dark, light on light.
        assert (tint.lightness() < 128) == (base.lightness() < 128), tint.name()


def test_contrast_ratio_matches_wcag_examples() -> None:
    assert contrast_ratio(QColor("#000000"), QColor("#ffffff")) == pytest.approx(21.0)
    assert contrast_ratio(QColor("#777777"), QColor("#ffffff")) == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio(QColor("#ffffff"), QColor("#ffffff")) == pytest.approx(1.0)


def test_timeline_backgrounds_keep_its_labels_readable(palette: QPalette) -> None:
    fills = chart_fills(palette)
    text = palette.color(QPalette.ColorRole.Text)
    window_text = palette.color(QPalette.ColorRole.WindowText)
    for shade in fills.week_shades:  # "Week 3 · Jan 24" is drawn on these
        assert contrast_ratio(window_text, shade) >= ENOUGH, shade.name()
    assert contrast_ratio(text, fills.unit_row) >= ENOUGH  # a unit's title in the gutter
    base = palette.color(QPalette.ColorRole.Base)
    for fill in (fills.weekend, fills.day_off):  # columns behind the bars
        assert (fill.lightness() < 128) == (base.lightness() < 128), fill.name()


def ink(icon: QIcon) -> QColor:
    """The colour an icon draws with (its most opaque pixel)."""
    image = icon.pixmap(24, 24).toImage()
    pixels = (image.pixelColor(x, y) for x in range(24) for y in range(24))
    return max(pixels, key=lambda colour: colour.alpha())


def test_a_theme_switch_while_running_recolours_icons_and_markers(
    qtbot: QtBot, qapp: QApplication, tmp_path: Path
) -> None:
    window = MainWindow(QSettings(str(tmp_path / "gui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()  # Qt tells shown windows about a new palette
    qtbot.waitExposed(window)
    course = small_course()
    edited = course.get(3).with_dates(end=local(2011, 3, 9, 23, 59))  # type: ignore[union-attr]
    window.editor.set_schedule(course, DENVER, current=course.with_items([edited]))
    model = window.editor.model
    save = window.named_actions["save"]
    assert ink(save.icon()).lightness() < 128  # dark icons on the light default theme
    before = qapp.palette()
    try:
        qapp.setPalette(dark_palette())  # what Qt does when the system switches to dark
        qtbot.waitUntil(lambda: ink(save.icon()).lightness() > 128)
        text, background = shown_colours(cell(model, 3, Column.END), qapp.palette())
        assert contrast_ratio(text, background) >= ENOUGH
        legend = [w.styleSheet() for w in window.findChildren(QLabel) if w.styleSheet()]
        assert any(DARK.edited_bg.name() in style for style in legend)
        assert not any(LIGHT.edited_bg.name() in style for style in legend)
    finally:
        qapp.setPalette(before)
    qtbot.waitUntil(lambda: ink(save.icon()).lightness() < 128)  # and back


def test_every_label_of_the_window_is_readable_on_its_background(
    qtbot: QtBot, palette: QPalette, sandbox: Any, tmp_path: Path
) -> None:
    window = open_window(qtbot, sandbox.url, tmp_path)
    _ = features(window)  # the Activity dock too (installed after the first paint)
    window.named_actions["activity"].trigger()
    qtbot.waitUntil(lambda: features(window).dock.isVisible())
    QApplication.processEvents()
    unreadable = []
    for label in window.findChildren(QLabel):
        if not label.isVisible() or not label.text().strip():
            continue
        shown = label.palette()
        text = shown.color(QPalette.ColorGroup.Active, label.foregroundRole())
        background = shown.color(QPalette.ColorGroup.Active, label.backgroundRole())
        ratio = contrast_ratio(text, background)
        if ratio < ENOUGH:
            unreadable.append(f"{label.text()[:30]!r}: {text.name()} on {background.name()} "
                              f"is {ratio:.1f}:1")  # fmt: skip
    assert unreadable == []
