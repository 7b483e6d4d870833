"""Marker colours that read well in the light and the dark system palette.

The grid, its legend, the Problems list and the shift preview tint cells and draw text in
a few signal colours. Fixed light pastels under the palette's (light) text would be
unreadable in a dark theme, so each colour comes in a light and a dark variant, chosen by
the palette's base colour, and the "quiet" grey of inherited dates is mixed from the
palette itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QGuiApplication, QPalette


@dataclass(frozen=True)
class CellColours:
    """Backgrounds and text colours for marked cells (see :func:`cell_colours`)."""

    edited_bg: QColor  # "you changed this, not saved yet" (soft blue)
    warning_bg: QColor  # amber, like the warning sign
    error_bg: QColor
    error_fg: QColor  # text and icon of an error, readable on error_bg and on the base
    warning_fg: QColor  # warning icon and text
    inherited_fg: QColor  # dates that come from the unit above: quiet, still readable


LIGHT = CellColours(
    edited_bg=QColor("#d2e4ff"),
    warning_bg=QColor("#fff0b8"),
    error_bg=QColor("#fbd3d3"),
    error_fg=QColor("#9b1c1c"),
    warning_fg=QColor("#8a4b00"),
    inherited_fg=QColor("#5f6670"),
)
DARK = CellColours(
    edited_bg=QColor("#1d3a66"),
    warning_bg=QColor("#4d3b00"),
    error_bg=QColor("#5c1d1d"),
    error_fg=QColor("#ffaaa5"),
    warning_fg=QColor("#f2c14e"),
    inherited_fg=QColor("#a9b0ba"),
)


def app_palette() -> QPalette:
    """The application's palette (a default one before the app exists)."""
    app = QGuiApplication.instance()
    return app.palette() if isinstance(app, QGuiApplication) else QPalette()


def is_dark(palette: QPalette | None = None) -> bool:
    """Whether ``palette`` (default: the app's) draws light text on a dark base."""
    palette = palette if palette is not None else app_palette()
    base = palette.color(QPalette.ColorRole.Base)
    text = palette.color(QPalette.ColorRole.Text)
    return base.lightnessF() < text.lightnessF()


def cell_colours(palette: QPalette | None = None) -> CellColours:
    """The marker colours for ``palette`` (default: the app's current palette)."""
    return DARK if is_dark(palette) else LIGHT


def relative_luminance(colour: QColor) -> float:
    """WCAG 2 relative luminance of an opaque colour (0 black … 1 white)."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )


def contrast_ratio(first: QColor, second: QColor) -> float:
    """WCAG 2 contrast ratio between two colours (1 … 21; 4.5 is enough for body text)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)))[::-1]
    return (lighter + 0.05) / (darker + 0.05)
