"""Write course schedules to an .xlsx workbook people can edit safely in Excel.

Layout (the import side reads the same; rules in ``docs/excel-rules.md``): one sheet per
course (``Schedules`` for one course, ``Schedules <course id>`` for several) with the
header row ``Item ID | Title | Parent | Inherited | Start | End | Due | Open before
start | Open after end``, and an ``About`` sheet holding, per sheet, the course id, call
number, time zone, item count and the fingerprint of the exported state.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill, Protection

from .. import APP_NAME, __version__
from ..core.gc_pause import collector_paused
from ..core.model import ItemSchedule, Schedule
from ..core.printable import FORMULA_STARTS
from ..core.times import format_timestamp
from .tabular import AFTER, BEFORE, COLUMNS, column_letter, header_text

SHEET = "Schedules"
ABOUT = "About"
ABOUT_HEADER = ("Sheet", "Course ID", "Call number", "Time zone", "Items", "Fingerprint")
INHERITED_FILL = PatternFill("solid", start_color="FFDDEBF7")
LEGEND = (
    "Shaded Start/End cells are inherited from the parent unit. Typing a new date there "
    "gives the item its own dates; setting Inherited to TRUE makes it inherit again. "
    "A blank date cell means 'leave unchanged'."
)
MAX_TEXT = 32_767  # Excel's limit for one cell
_WIDTHS = {"Item ID": 11, "Parent": 11, "Inherited": 10, BEFORE: 17, AFTER: 15}
_DATE_FORMAT = "yyyy-mm-dd hh:mm"
_DATE_FORMAT_SECONDS = "yyyy-mm-dd hh:mm:ss"
_UNLOCKED = Protection(locked=False)
_MAX_INDENT = 15


@dataclass(frozen=True)
class CourseExport:
    """One course to export: its schedule, time zone and (when known) call number."""

    schedule: Schedule
    zone: ZoneInfo
    call_number: str | None = None


def sheet_names(courses: Sequence[CourseExport]) -> list[str]:
    """``Schedules`` for one course, ``Schedules <course id>`` for several."""
    if len(courses) == 1:
        return [SHEET]
    return [f"{SHEET} {course.schedule.course_id}"[:31] for course in courses]


def safe_text(text: str) -> str:
    """Text Excel accepts in a cell: no control characters, at most 32,767 characters."""
    text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def export_workbook(
    path: str | os.PathLike[str],
    courses: Sequence[CourseExport],
    *,
    exported_at: datetime | None = None,
) -> None:
    """Write the courses to ``path`` (atomically: a failed export leaves no half file)."""
    if not courses:
        raise ValueError("nothing to export: no course given")
    ids = [course.schedule.course_id for course in courses]
    if len(set(ids)) != len(ids):
        raise ValueError("a course is listed twice")
    # Fingerprints format every date: a schedule with a zone-less date fails here,
    # before any sheet is half written.
    fingerprints = [course.schedule.fingerprint() for course in courses]
    # The temporary file first: a folder that is missing or not writable fails here,
    # before write-only sheets exist (left unsaved, they print tracebacks when collected).
    target = Path(path)
    handle, temp = tempfile.mkstemp(prefix=".export-", suffix=".xlsx", dir=target.parent)
    os.close(handle)
    try:
        workbook = Workbook(write_only=True)
        workbook.properties.creator = APP_NAME
        names = sheet_names(courses)
        with collector_paused():  # ~90,000 cells per 10,000 items, freed as rows are written
            for name, course in zip(names, courses, strict=True):
                _write_schedule_sheet(workbook.create_sheet(name), course)
            _write_about(
                workbook.create_sheet(ABOUT),
                names,
                courses,
                fingerprints,
                exported_at or datetime.now(UTC),
            )
        workbook.save(temp)
        Path(temp).replace(target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


class _Styles:
    """One template cell per look; new cells share its style (much faster than assigning).

    Sharing the template's style array is safe: no cell's style is changed after it is
    made, and a write-only sheet writes each row out as it is appended.
    """

    def __init__(self, sheet: Any) -> None:
        self.sheet = sheet
        self._templates: dict[tuple[object, ...], Cell] = {}

    def cell(self, value: object, *, locked: bool = False, **look: object) -> Cell:
        key = (locked, *look.items())  # each call site passes its keywords in one order
        template = self._templates.get(key)
        if template is None:
            template = WriteOnlyCell(self.sheet)
            if not locked:
                template.protection = _UNLOCKED
            if look.get("shaded"):
                template.fill = INHERITED_FILL
            if look.get("number_format"):
                template.number_format = str(look["number_format"])
            if look.get("indent") or look.get("quoted"):
                template.alignment = Alignment(indent=int(str(look.get("indent") or 0)))
            if look.get("quoted"):
                template.quotePrefix = True
            if look.get("bold"):
                template.font = Font(bold=True)
            self._templates[key] = template
        cell = WriteOnlyCell(self.sheet, value)  # type: ignore[arg-type]
        cell._style = template._style  # type: ignore[attr-defined]
        return cell


def _text_cell(styles: _Styles, text: str, *, locked: bool, indent: int = 0) -> Cell:
    text = safe_text(text)
    quoted = text.startswith(FORMULA_STARTS)
    cell = styles.cell(text, locked=locked, indent=indent, quoted=quoted)
    cell.data_type = "s"  # never a formula, whatever the text starts with
    return cell


def _date_cell(styles: _Styles, value: datetime | None, zone: ZoneInfo, shaded: bool) -> Cell:
    if value is None:
        return styles.cell(None, shaded=shaded, number_format=_DATE_FORMAT)
    local = value.astimezone(zone).replace(tzinfo=None)
    number_format = _DATE_FORMAT_SECONDS if local.second else _DATE_FORMAT
    return styles.cell(local, shaded=shaded, number_format=number_format)


def _rows(sheet: Any, course: CourseExport) -> Iterator[list[Cell]]:
    styles = _Styles(sheet)
    schedule, zone = course.schedule, course.zone
    depths = schedule.depths
    for item in schedule.items:
        shaded = item.is_inherited
        yield [
            styles.cell(item.item_id, locked=True),
            _text_cell(
                styles, item.title, locked=True, indent=min(depths[item.item_id], _MAX_INDENT)
            ),
            styles.cell(item.parent_id),
            styles.cell(item.is_inherited),
            _date_cell(styles, item.start, zone, shaded),
            _date_cell(styles, item.end, zone, shaded),
            _date_cell(styles, item.due, zone, False),
            styles.cell(item.can_access_before_start),
            styles.cell(item.can_access_after_end),
        ]


def _title_width(items: Sequence[ItemSchedule], depths: dict[int, int]) -> float:
    longest = max((len(i.title) + 2 * depths[i.item_id] for i in items[:5000]), default=10)
    return float(min(max(longest + 2, 12), 70))


def _write_schedule_sheet(sheet: Any, course: CourseExport) -> None:
    schedule, zone = course.schedule, course.zone
    headers = [header_text(column, zone) for column in COLUMNS]
    for index, (column, header) in enumerate(zip(COLUMNS, headers, strict=True), start=1):
        width = float(_WIDTHS.get(column, max(len(header) + 2, 18)))
        if column == "Title":
            width = _title_width(schedule.items, schedule.depths)
        sheet.column_dimensions[column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    last_row = len(schedule.items) + 1
    sheet.auto_filter.ref = f"A1:{column_letter(len(COLUMNS))}{last_row}"
    # Locked cells (Item ID, Title, header) resist typing; no password, so Review →
    # Unprotect Sheet lifts it. Filtering, sorting and resizing stay allowed.
    protection = sheet.protection
    protection.sheet = True
    protection.autoFilter = protection.sort = False
    protection.formatColumns = protection.formatRows = protection.formatCells = False
    protection.deleteRows = False
    styles = _Styles(sheet)
    header_cells = [styles.cell(text, locked=True, bold=True) for text in headers]
    header_cells[COLUMNS.index("Inherited")].comment = Comment(LEGEND, APP_NAME)
    sheet.append(header_cells)
    for row in _rows(sheet, course):
        sheet.append(row)


def _write_about(
    sheet: Any,
    names: Sequence[str],
    courses: Sequence[CourseExport],
    fingerprints: Sequence[str],
    exported_at: datetime,
) -> None:
    sheet.column_dimensions["A"].width = 20
    for letter in "BCDEF":
        sheet.column_dimensions[letter].width = 22
    sheet.protection.sheet = True
    styles = _Styles(sheet)

    def row(*values: object) -> list[Cell]:
        return [
            _text_cell(styles, v, locked=True)
            if isinstance(v, str)
            else styles.cell(v, locked=True)
            for v in values
        ]

    sheet.append(row(f"{APP_NAME}: item schedules"))
    sheet.append(row("App version", __version__))
    sheet.append(row("Exported at", format_timestamp(exported_at)))
    sheet.append(row("Legend", LEGEND))
    sheet.append(row("Dates", "Date cells are wall-clock times in the zone named in their header."))
    sheet.append([])
    sheet.append(row(*ABOUT_HEADER))
    for name, course, fingerprint in zip(names, courses, fingerprints, strict=True):
        schedule = course.schedule
        sheet.append(
            row(
                name,
                schedule.course_id,
                course.call_number or "",
                course.zone.key,
                len(schedule.items),
                fingerprint,
            )
        )
