"""A term rollover plan: one row per course saying how to shift it (.xlsx or .csv).

An administrator prepares it in Excel (``schedctl rollover --template`` writes an empty
one with an About sheet explaining the columns) and ``schedctl rollover plan.xlsx`` runs
it. Columns (a header row; names are matched ignoring case; other columns are notes)::

    Course | Days | To start | Anchor item | Old term start | Old term end |
    New term start | New term end | Time zone | Holidays | Blackouts | Keep weekdays |
    Skip backward

Each row gives exactly one shift: ``Days``, or ``To start`` (optionally with an
``Anchor item``), or all four term dates (fit the old term onto the new one). Every
problem of every row is reported at once (sheet, row, column, what to write instead);
a plan with any problem is refused as a whole. What the server says about each course
(unknown, not allowed, dates outside 1990–2100) is checked later by the batch.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from ..core.date_text import clip
from ..core.days_off import DaysOffError, parse_blackout, parse_region
from ..core.shift_order import ShiftOrder
from ..core.zones import ZoneError, parse_zone
from .cells import CellError, Formula, read_bool, read_date
from .csv_import import read_csv
from .excel_import import MAX_FILE_BYTES, check_cells, check_zip
from .tabular import ImportRejectedError, Problem, column_letter

PLAN_SHEET = "Plan"
ABOUT_SHEET = "About"
COURSE, DAYS, TO_START, ANCHOR = "Course", "Days", "To start", "Anchor item"
OLD_START, OLD_END = "Old term start", "Old term end"
NEW_START, NEW_END = "New term start", "New term end"
ZONE, HOLIDAYS, BLACKOUTS = "Time zone", "Holidays", "Blackouts"
WEEKDAYS, BACKWARD = "Keep weekdays", "Skip backward"
FIT = (OLD_START, OLD_END, NEW_START, NEW_END)
COLUMNS = (
    COURSE, DAYS, TO_START, ANCHOR, *FIT, ZONE, HOLIDAYS, BLACKOUTS, WEEKDAYS, BACKWARD,
)  # fmt: skip
MAX_ROWS = 20_000
HEADER_SEARCH_ROWS = 20
_CCN = re.compile(r"^ccn\s*=\s*(\S.*)$", re.IGNORECASE)
_BLACKOUT_SEPARATORS = re.compile(r"[;,\n]+")

#: The About sheet of the template: what each column takes.
COLUMN_HELP = (
    (COURSE, "yes", "the numeric course id, or ccn=CALLNUMBER", "123456 or ccn=DEMO-101"),
    (DAYS, "one shift", "move every date by this many days (negative: back)", "182"),
    (TO_START, "one shift", "move so the course's earliest date lands on this day", "2012-01-09"),
    (ANCHOR, "no", "with To start: the item id whose earliest date lands on it", "987654321"),
    (OLD_START, "one shift", "with the three next: fit the old term onto the new", "2011-01-10"),
    (OLD_END, "with fit", "the old term's last day", "2011-05-06"),
    (NEW_START, "with fit", "the new term's first day", "2012-01-09"),
    (NEW_END, "with fit", "the new term's last day", "2012-05-04"),
    (ZONE, "no", "IANA time zone of the course's wall clock (blank: the course's own)",
     "America/Denver"),
    (HOLIDAYS, "no", "move dates off the public holidays of a country or region", "US-CO"),
    (BLACKOUTS, "no", "days dates must not land on: DATE or FIRST..LAST, ; between",
     "2012-03-19..2012-03-23; 2012-11-22"),
    (WEEKDAYS, "no", "TRUE: round each new date to the nearest day with its old weekday",
     "TRUE"),
    (BACKWARD, "no", "TRUE: move dates off holidays/blackouts to the day before, not after",
     "FALSE"),
)  # fmt: skip
ABOUT_TEXT = (
    "One row per course. Give each row exactly one shift: Days, or To start, or all four "
    "term dates (Old term start/end, New term start/end). All dates move on the wall clock "
    "of the course's time zone: 23:59 stays 23:59 across daylight saving. Inherited dates "
    "stay inherited. Check the plan with: schedctl rollover PLAN --dry-run"
)


@dataclass(frozen=True)
class RolloverPlan:
    """A checked plan: one :class:`ShiftOrder` per course, in file order."""

    path: Path
    orders: tuple[ShiftOrder, ...]
    notes: tuple[str, ...] = ()


# --------------------------------------------------------------------------- reading


def read_plan(path: str | Path) -> RolloverPlan:
    """Read and check a plan (.xlsx or .csv, told apart by content).

    Raises:
        ImportRejectedError: every problem of the file, each naming its row and column.
    """
    path = Path(path)
    name = path.name
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ImportRejectedError([Problem(name, f"is {size / 1e6:.0f} MB: not a plan")])
        data = path.read_bytes()
    except OSError as exc:
        raise ImportRejectedError(
            [Problem(name, f"cannot be read: {exc.strerror or exc}")]
        ) from None
    notes: list[str] = []
    if data.startswith(b"PK"):
        sheet, rows = _xlsx_rows(path)
    elif path.suffix.lower() in (".csv", ".txt", ".tsv"):
        sheet_data, notes = read_csv(path, data)  # the import's limits: rows and cells
        sheet, rows = sheet_data.name, [(number, list(cells)) for number, cells in sheet_data.rows]
    else:
        raise ImportRejectedError([Problem(name, "is not an Excel workbook (.xlsx) or a CSV file")])
    return RolloverPlan(path, tuple(_orders(sheet, rows)), tuple(notes))


def _xlsx_rows(path: Path) -> tuple[str, list[tuple[int, list[object]]]]:
    from openpyxl import load_workbook

    check_zip(path)
    check_cells(path)
    with path.open("rb") as handle, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # parts openpyxl skips do not matter here
        try:
            book = load_workbook(handle, read_only=True, data_only=False, keep_links=False)
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise ImportRejectedError(
                [Problem(path.name, f"cannot be read as an Excel workbook ({clip(exc, 120)})")]
            ) from None
        try:
            titles = [sheet.title for sheet in book.worksheets]
            title = (
                PLAN_SHEET
                if PLAN_SHEET in titles
                else next((t for t in titles if t != ABOUT_SHEET), titles[0])
            )
            rows: list[tuple[int, list[object]]] = []
            for number, cells in enumerate(book[title].iter_rows(), start=1):
                if number > MAX_ROWS:
                    raise ImportRejectedError([Problem(title, f"has more than {MAX_ROWS:,} rows")])
                values: list[object] = [
                    Formula(str(cell.value)) if cell.data_type == "f" else cell.value
                    for cell in cells
                ]
                rows.append((number, values))
        finally:
            book.close()
    return title, rows


def _header(sheet: str, rows: Sequence[tuple[int, list[object]]]) -> tuple[int, dict[str, int]]:
    """The header row's number and column (0-based) of each known column name."""
    known = {name.casefold(): name for name in COLUMNS}
    for number, values in rows[:HEADER_SEARCH_ROWS]:
        found: dict[str, int] = {}
        for index, value in enumerate(values):
            name = known.get(" ".join(str(value or "").split()).casefold())
            if name is not None and name not in found:
                found[name] = index
        if COURSE in found:
            return number, found
    raise ImportRejectedError(
        [
            Problem(
                sheet,
                f'no header row with a "{COURSE}" column in the first {HEADER_SEARCH_ROWS} '
                "rows: start from 'schedctl rollover --template'",
            )
        ]
    )


class _Row:
    """The cells of one plan row, read by column name; problems are collected."""

    def __init__(
        self, sheet: str, number: int, values: list[object], columns: dict[str, int]
    ) -> None:
        self.sheet, self.number, self.values, self.columns = sheet, number, values, columns
        self.problems: list[Problem] = []

    def raw(self, name: str) -> object:
        index = self.columns.get(name)
        if index is None or index >= len(self.values):
            return None
        value = self.values[index]
        return None if isinstance(value, str) and not value.strip() else value

    def problem(self, name: str, message: str) -> None:
        column = self.columns.get(name)
        self.problems.append(
            Problem(
                self.sheet,
                f"{name}: {message}",
                self.number,
                None if column is None else column + 1,
            )
        )

    def text(self, name: str) -> str:
        value = self.raw(name)
        if isinstance(value, Formula):
            self.problem(name, f"is a formula ({clip(value.text)}); type the value instead")
            return ""
        return "" if value is None else str(value).strip()

    def day(self, name: str) -> date | None:
        value = self.raw(name)
        try:
            read = read_date(value)
        except CellError as exc:
            self.problem(name, f"{exc}; write a date like 2012-01-09")
            return None
        if read is None:
            return None
        if isinstance(read, datetime):
            if read.tzinfo is not None or read.time() != datetime.min.time():
                self.problem(name, f'"{clip(value)}" has a time of day; write only the date')
                return None
            return read.date()
        return read

    def whole(self, name: str, what: str) -> int | None:
        value = self.raw(name)
        if value is None:
            return None
        if isinstance(value, bool | Formula):
            self.problem(name, f'"{clip(value)}" is not {what}')
            return None
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, int):
            return value
        text = str(value).strip().replace("\u2212", "-")
        if re.fullmatch(r"[+-]?\d+", text):
            return int(text)
        self.problem(name, f'"{clip(value)}" is not {what}')
        return None

    def flag(self, name: str) -> bool:
        try:
            return bool(read_bool(self.raw(name)))
        except CellError as exc:
            self.problem(name, str(exc))
            return False


def _orders(sheet: str, rows: list[tuple[int, list[object]]]) -> list[ShiftOrder]:
    header, columns = _header(sheet, rows)
    problems: list[Problem] = []
    orders: list[ShiftOrder] = []
    seen: dict[str, int] = {}
    for number, values in rows:
        if number <= header or not any(str(v or "").strip() for v in values):
            continue
        row = _Row(sheet, number, values, columns)
        order = _order(row)
        if order is not None:
            first = seen.setdefault(order.course.casefold(), number)
            if first != number:
                row.problem(COURSE, f"{order.course} is already planned in row {first}")
            else:
                orders.append(order)
        problems += row.problems
    if not orders and not problems:
        problems.append(Problem(sheet, "holds no course: add one row per course under the header"))
    if problems:
        raise ImportRejectedError(problems)
    return orders


def _course(row: _Row) -> str:
    raw = row.raw(COURSE)
    integral = isinstance(raw, float) and raw.is_integer()  # Excel keeps typed ids as numbers
    text = str(int(raw)) if isinstance(raw, float) and integral else row.text(COURSE)
    if text.isdigit():
        return text
    match = _CCN.match(text)
    if match:
        return f"ccn={match.group(1).strip()}"
    if text:
        row.problem(
            COURSE, f'"{clip(text)}" is not a course: write its numeric id or ccn=CALLNUMBER'
        )
    else:
        row.problem(COURSE, "is empty: write the numeric course id or ccn=CALLNUMBER")
    return ""


def _order(row: _Row) -> ShiftOrder | None:
    course = _course(row)
    days = row.whole(DAYS, "a whole number of days")
    to_start = row.day(TO_START)
    anchor = row.whole(ANCHOR, "an item id (a number)")
    fit_days = [row.day(name) for name in FIT]
    fit_given = [name for name in FIT if row.raw(name) is not None]
    given = [
        name
        for name, present in ((DAYS, row.raw(DAYS)), (TO_START, row.raw(TO_START)))
        if present is not None
    ] + (["the four term dates"] if fit_given else [])
    if not given:
        row.problem(DAYS, "no shift given: fill Days, or To start, or the four term dates")
    elif len(given) > 1:
        row.problem(given[0], f"give one shift only, not {' and '.join(given)}")
    if fit_given and len(fit_given) < 4:
        missing = [name for name in FIT if name not in fit_given]
        row.problem(
            missing[0],
            f"fitting one term onto another needs all four dates: {', '.join(missing)} missing",
        )
    if anchor is not None and row.raw(TO_START) is None:
        row.problem(ANCHOR, "goes with To start")
    zone = row.text(ZONE)
    if zone:
        try:
            zone = parse_zone(zone).key
        except ZoneError as exc:
            row.problem(ZONE, str(exc))
    holidays = row.text(HOLIDAYS)
    if holidays:
        try:
            country, subdivision = parse_region(holidays)
            holidays = country + (f"-{subdivision}" if subdivision else "")
        except DaysOffError as exc:
            row.problem(HOLIDAYS, str(exc))
    blackouts = tuple(
        p.strip() for p in _BLACKOUT_SEPARATORS.split(row.text(BLACKOUTS)) if p.strip()
    )
    for blackout in blackouts:
        try:
            parse_blackout(blackout)
        except DaysOffError as exc:
            row.problem(BLACKOUTS, str(exc))
    keep_weekdays, backward = row.flag(WEEKDAYS), row.flag(BACKWARD)
    if row.problems:
        return None
    fit: tuple[date, date, date, date] | None = None
    if fit_given:
        first, second, third, fourth = (d for d in fit_days if d is not None)
        if second <= first or fourth <= third:
            which = OLD_END if second <= first else NEW_END
            row.problem(which, "the term must end after it starts")
            return None
        fit = (first, second, third, fourth)
    mode = "days" if days is not None else "to_start" if to_start is not None else "fit"
    return ShiftOrder(
        course=course,
        mode=mode,
        days=days,
        to_start=to_start,
        anchor=anchor,
        fit=fit,
        time_zone=zone,
        holidays=holidays,
        blackouts=blackouts,
        keep_weekdays=keep_weekdays,
        skip_backward=backward,
        extra={"sheet": row.sheet, "row": row.number},
    )


# --------------------------------------------------------------------------- template


def write_template(path: str | Path) -> Path:
    """Write an empty plan (.xlsx with an About sheet, or a .csv header line)."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        text = ",".join(COLUMNS) + "\n"
        path.write_text(text, encoding="utf-8-sig")
        return path
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    plan = book.active
    assert plan is not None
    plan.title = PLAN_SHEET
    plan.append(list(COLUMNS))
    bold = Font(bold=True)
    for index, name in enumerate(COLUMNS, start=1):
        plan.cell(1, index).font = bold
        letter = column_letter(index)
        plan.column_dimensions[letter].width = max(12, len(name) + 4)
        if name in (TO_START, *FIT):
            for row in range(2, 502):
                plan.cell(row, index).number_format = "yyyy-mm-dd"
        if name in (COURSE, ZONE, HOLIDAYS, BLACKOUTS):
            for row in range(2, 502):
                plan.cell(row, index).number_format = "@"  # text: ccn=... and 2012-.. stay
    plan.column_dimensions["A"].width = 18
    plan.freeze_panes = "A2"
    about = book.create_sheet(ABOUT_SHEET)
    about.append([ABOUT_TEXT])
    about["A1"].alignment = Alignment(wrap_text=True)
    about.append([])
    about.append(["Column", "Needed", "What to write", "Example"])
    for cell in about[3]:
        cell.font = bold
    for line in COLUMN_HELP:
        about.append(list(line))
    for letter, width in zip("ABCD", (18, 10, 70, 36), strict=True):
        about.column_dimensions[letter].width = width
    about.merge_cells("A1:D1")
    about.row_dimensions[1].height = 60
    book.save(path)
    return path


__all__ = [
    "COLUMNS",
    "PLAN_SHEET",
    "RolloverPlan",
    "read_plan",
    "write_template",
]
