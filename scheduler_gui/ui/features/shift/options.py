"""The Shift dates dialog's last options, remembered per course in the GUI settings.

A course designer shifts a course, checks the grid, and comes back: the dialog opens
with the mode, days, new start, anchor item, holiday region, blackouts and columns used
last time for this course. Which rows to shift is not remembered: that follows the
grid's selection each time.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

from PySide6.QtCore import QSettings

MODES = ("days", "to_start", "fit")
ALL_COLUMNS = ("start", "end", "due")


@dataclass(frozen=True)
class ShiftOptions:
    """The dialog's inputs as plain values (``None``: not set, keep the default)."""

    mode: str = "days"
    days: int = 0
    new_start: date | None = None
    anchor_id: int | None = None
    old_start: date | None = None
    old_end: date | None = None
    new_term_start: date | None = None
    new_term_end: date | None = None
    keep_weekdays: bool = False
    skip_holidays: bool = False
    region: str = ""
    blackouts: str = ""
    skip_backward: bool = False
    columns: tuple[str, ...] = ALL_COLUMNS


def _group(course_id: str) -> str:
    return f"courses/{course_id}/shift"


def read_options(settings: QSettings, course_id: str) -> ShiftOptions | None:
    """The options saved for ``course_id`` (None if none); unreadable values are skipped."""
    settings.beginGroup(_group(course_id))
    try:
        keys = set(settings.childKeys())
        if not keys:
            return None
        values: dict[str, object] = {}
        for option in fields(ShiftOptions):
            if option.name in keys:
                parsed = _parse(option.name, str(settings.value(option.name, "")))
                if parsed is not None:
                    values[option.name] = parsed
        return ShiftOptions(**values)  # type: ignore[arg-type]
    finally:
        settings.endGroup()


def write_options(settings: QSettings, course_id: str, options: ShiftOptions) -> None:
    settings.beginGroup(_group(course_id))
    try:
        for option in fields(ShiftOptions):
            settings.setValue(option.name, _text(getattr(options, option.name)))
    finally:
        settings.endGroup()


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return ",".join(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _parse(name: str, text: str) -> object | None:
    """The value of option ``name`` from its saved text; None when it does not read."""
    default = getattr(ShiftOptions(), name)
    try:
        if name == "mode":
            return text if text in MODES else None
        if isinstance(default, bool):
            return text == "true"
        if name in ("days", "anchor_id"):
            return int(text) if text else None
        if name == "columns":
            columns = tuple(part for part in text.split(",") if part in ALL_COLUMNS)
            return columns or None
        if isinstance(default, str):
            return text
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None
