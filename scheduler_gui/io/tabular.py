"""The rules of a schedule spreadsheet, shared by the xlsx and CSV readers.

One sheet (or CSV file) holds one course: a header row with the column names below and
one row per item. :func:`apply_sheet` applies the rows onto the course's current
schedule and either returns the edited schedule with a report or rejects the sheet as
a whole with one :class:`Problem` per bad cell. The rules are in ``docs/excel-rules.md``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo

from ..core.codec import numeric_id
from ..core.date_text import DEFAULT_TIMES, AmbiguousDateError, Readings, to_instant
from ..core.diff import short_title
from ..core.model import ItemSchedule, Schedule
from ..core.zones import ZoneError, parse_zone
from .cells import CellError, DateOrder, read_bool, read_date

ITEM_ID, TITLE, PARENT, INHERITED = "Item ID", "Title", "Parent", "Inherited"
START, END, DUE = "Start", "End", "Due"
BEFORE, AFTER = "Open before start", "Open after end"
COLUMNS = (ITEM_ID, TITLE, PARENT, INHERITED, START, END, DUE, BEFORE, AFTER)
DATE_COLUMNS = {START: "start", END: "end", DUE: "due"}
FLAG_COLUMNS = {BEFORE: "can_access_before_start", AFTER: "can_access_after_end"}
HEADER_SEARCH_ROWS = 20
# Limits on what a file may hold (refused before the cells pile up in memory: a 48 MB
# CSV of 16 million short cells took 1.4 GB). A schedule sheet has 9 columns; notes
# columns are welcome, thousands of them are not. MAX_ROWS rows of 9 fit in MAX_CELLS.
MAX_CELLS_PER_ROW = 1_000
MAX_CELLS = 2_500_000
_HEADER = re.compile(r"\s*(?P<name>[^(]*?)\s*(?:\((?P<zone>[^)]*)\)\s*)?")


@dataclass(frozen=True, slots=True)
class Problem:
    """One reason a file was rejected, pointing at the sheet, row and column."""

    sheet: str
    message: str
    row: int | None = None
    column: int | None = None  # 1-based
    title: str = ""  # the item the row is about, so people need not look ids up
    #: Set for a slash date that reads two ways: both readings, to ask which is meant.
    ambiguous: Readings | None = None

    def __str__(self) -> str:
        if self.row is None:
            return f"{self.sheet}: {self.message}"
        sheet = self.sheet if re.fullmatch(r"[\w.-]+", self.sheet) else f"'{self.sheet}'"
        about = f" ({short_title(self.title, 60)})" if self.title.strip() else ""
        if self.column is None:
            return f"{sheet} row {self.row}{about}: {self.message}"
        return f"{sheet}!{column_letter(self.column)}{self.row}{about}: {self.message}"


class ImportRejectedError(ValueError):
    """The file was refused as a whole; ``problems`` lists every reason."""

    exit_code = 1

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        count = len(self.problems)
        first = str(self.problems[0]) if self.problems else "no details"
        more = f" (and {count - 1} more problem{'s' * (count > 2)})" if count > 1 else ""
        super().__init__(f"nothing was imported: {first}{more}")
        self.detail = "\n".join(str(problem) for problem in self.problems)


@dataclass(frozen=True, slots=True)
class SheetData:
    """The raw cells of one sheet: ``rows`` holds (1-based row number, values)."""

    name: str
    rows: Sequence[tuple[int, Sequence[object]]]
    zone: str | None = None  # from the About sheet, when the header names none
    course_id: str | None = None  # from the About sheet or the sheet name
    fingerprint: str | None = None  # of the course when it was exported
    call_number: str | None = None


@dataclass(frozen=True)
class ImportReport:
    """What an import changes in one course (item ids in course order)."""

    course_id: str
    sheet: str
    changed: tuple[int, ...]
    made_explicit: tuple[int, ...]
    made_inherited: tuple[int, ...]
    unchanged: int
    missing: int
    exported_fingerprint: str | None = None
    current_fingerprint: str = ""
    notes: tuple[str, ...] = field(default=())
    rows: Mapping[int, int] = field(default_factory=dict)  # item id -> row in the sheet
    titles: Mapping[int, str] = field(default_factory=dict)  # item id -> title (changed ones)

    @property
    def changed_since_export(self) -> bool | None:
        """True when the course differs from what was exported (None: unknown)."""
        if not self.exported_fingerprint:
            return None
        return self.exported_fingerprint != self.current_fingerprint

    def summary(self) -> str:
        lines = [
            f"Course {self.course_id} ({self.sheet}): {len(self.changed)} item(s) changed, "
            f"{self.unchanged} unchanged, {self.missing} not in the file (kept as they are)."
        ]
        if self.made_explicit:
            lines.append(
                f"{len(self.made_explicit)} inherited item(s) now have their own dates: "
                + self._names(self.made_explicit)
            )
        if self.made_inherited:
            lines.append(
                f"{len(self.made_inherited)} item(s) inherit their dates again: "
                + self._names(self.made_inherited)
            )
        lines.extend(self.notes)
        return "\n".join(lines)

    def _names(self, ids: Sequence[int], limit: int = 10) -> str:
        """Items by title with their row (the id only when the title is empty)."""
        names = []
        for item_id in ids[:limit]:
            title = short_title(self.titles.get(item_id, ""), 60)
            row = self.rows.get(item_id)
            where = f"row {row}" if row is not None else f"id {item_id}"
            names.append(f'"{title}" ({where})' if title else f"item {item_id} ({where})")
        return "; ".join(names) + (f" … (+{len(ids) - limit})" if len(ids) > limit else "")


def column_letter(column: int) -> str:
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def header_text(column: str, zone: ZoneInfo | None = None) -> str:
    """The header cell of a column: dates name their zone, ``Start (America/Denver)``."""
    return f"{column} ({zone.key})" if zone is not None and column in DATE_COLUMNS else column


@dataclass(frozen=True, slots=True)
class _Layout:
    header_row: int
    columns: dict[str, int]  # column name -> 0-based index
    zones: dict[str, ZoneInfo]  # date column -> zone of its cells


def _find_layout(sheet: SheetData, default_zone: ZoneInfo, problems: list[Problem]) -> _Layout:
    for row_number, values in sheet.rows[:HEADER_SEARCH_ROWS]:
        names = [_HEADER.fullmatch(v) if isinstance(v, str) else None for v in values]
        if not any(m and m["name"].casefold() == ITEM_ID.casefold() for m in names):
            continue
        known = {name.casefold(): name for name in COLUMNS}
        columns: dict[str, int] = {}
        zones: dict[str, ZoneInfo] = {}
        for index, match in enumerate(names):
            column = known.get(match["name"].casefold()) if match else None
            if column is None or match is None:
                continue
            if column in columns:
                problems.append(
                    Problem(
                        sheet.name, f'the column "{column}" appears twice', row_number, index + 1
                    )
                )
                continue
            columns[column] = index
            if column in DATE_COLUMNS:
                zones[column] = _zone(
                    match["zone"], sheet, default_zone, problems, row_number, index
                )
        return _Layout(row_number, columns, zones)
    problems.append(
        Problem(
            sheet.name,
            f'no "{ITEM_ID}" column header in the first {HEADER_SEARCH_ROWS} rows: '
            "this is not a schedule sheet exported by this app",
        )
    )
    return _Layout(0, {}, {})


def _zone(
    text: str | None,
    sheet: SheetData,
    default: ZoneInfo,
    problems: list[Problem],
    row: int,
    index: int,
) -> ZoneInfo:
    name = (text or sheet.zone or "").strip()
    if not name:
        return default
    try:
        return parse_zone(name)
    except ZoneError:
        problems.append(Problem(sheet.name, f'"{name}" is not a time zone', row, index + 1))
        return default


def apply_sheet(
    base: Schedule,
    sheet: SheetData,
    *,
    zone: ZoneInfo,
    order: DateOrder | None = None,
    notes: Iterable[str] = (),
) -> tuple[Schedule, ImportReport]:
    """Apply the rows of ``sheet`` onto ``base`` (the course as it is now).

    Args:
        base: the current schedule; items without a row keep it.
        sheet: the raw cells.
        zone: the course time zone, used for date columns whose header names none.
        order: how to read ambiguous slash dates (see :func:`cells.read_date`).
        notes: lines to carry into the report (e.g. "read as Windows-1252").

    Raises:
        ImportRejectedError: with every problem found; nothing is applied then.
    """
    problems: list[Problem] = []
    layout = _find_layout(sheet, zone, problems)
    if ITEM_ID not in layout.columns:
        raise ImportRejectedError(problems)
    reader = _RowReader(base, sheet, layout, order, problems)
    for row_number, values in sheet.rows:
        if row_number > layout.header_row:
            reader.read_row(row_number, values)
    if problems:
        raise ImportRejectedError(problems)
    return reader.result(notes)


class _RowReader:
    """Reads rows one by one, collecting updates and problems."""

    def __init__(
        self,
        base: Schedule,
        sheet: SheetData,
        layout: _Layout,
        order: DateOrder | None,
        problems: list[Problem],
    ) -> None:
        self.base, self.sheet, self.layout, self.order = base, sheet, layout, order
        self.problems = problems
        self.seen: dict[int, int] = {}  # item id -> row
        self.updates: dict[int, ItemSchedule] = {}
        self.made_inherited: list[int] = []
        self.title = ""  # of the row being read: problems name the item by title

    def _problem(
        self,
        message: str,
        row: int,
        column: str | None = None,
        ambiguous: Readings | None = None,
    ) -> None:
        index = self.layout.columns.get(column, -1) if column else -1
        self.problems.append(
            Problem(self.sheet.name, message, row, index + 1 or None, self.title, ambiguous)
        )

    def _cell(self, values: Sequence[object], column: str) -> object:
        index = self.layout.columns.get(column)
        if index is None or index >= len(values):
            return None
        value = values[index]
        return None if isinstance(value, str) and not value.strip() else value

    def read_row(self, row: int, values: Sequence[object]) -> None:
        editable = (INHERITED, *DATE_COLUMNS, *FLAG_COLUMNS)
        raw_title = self._cell(values, TITLE)
        self.title = raw_title.strip() if isinstance(raw_title, str) else ""
        raw_id = self._cell(values, ITEM_ID)
        if raw_id is None:
            if any(self._cell(values, column) is not None for column in editable):
                self._problem("this row has dates but no Item ID", row, ITEM_ID)
            return
        item = self._item(raw_id, row)
        if item is None:
            return
        try:
            inherited = read_bool(self._cell(values, INHERITED))
        except CellError as exc:
            self._problem(str(exc), row, INHERITED)
            inherited = None
        dates = {
            name: self._date(values, column, item, row) for column, name in DATE_COLUMNS.items()
        }
        flags: dict[str, bool] = {}
        for column, name in FLAG_COLUMNS.items():
            try:
                flag = read_bool(self._cell(values, column))
            except CellError as exc:
                self._problem(str(exc), row, column)
                continue
            if flag is not None and flag != getattr(item, name):
                flags[name] = flag
        new = self._edited(item, inherited, dates, flags)
        if new.start and new.end and new.end < new.start and (dates["start"] or dates["end"]):
            zone = self.layout.zones.get(END) or UTC
            self._problem(
                f"end {_local(new.end, zone):%Y-%m-%d %H:%M} is before start "
                f"{_local(new.start, zone):%Y-%m-%d %H:%M}",
                row,
                END if END in self.layout.columns else START,
            )
        if new != item:
            self.updates[item.item_id] = new

    def _item(self, raw_id: object, row: int) -> ItemSchedule | None:
        item_id = _as_item_id(raw_id)
        if item_id is None:
            self._problem(f'"{str(raw_id)[:40]}" is not an item id', row, ITEM_ID)
            return None
        if item_id in self.seen:
            self._problem(
                f"item {item_id} appears twice (also on row {self.seen[item_id]})", row, ITEM_ID
            )
            return None
        self.seen[item_id] = row
        item = self.base.get(item_id)
        if item is None:
            self._problem(f"item {item_id} is not in course {self.base.course_id}", row, ITEM_ID)
        else:
            self.title = item.title  # the course's title, not the (ignored) cell's
        return item

    def _date(
        self, values: Sequence[object], column: str, item: ItemSchedule, row: int
    ) -> datetime | None:
        """The new value of a date field, or None when the cell leaves it unchanged."""
        try:
            value = read_date(self._cell(values, column), self.order)
            if value is None:
                return None
            zone = self.layout.zones[column]
            current: datetime | None = getattr(item, DATE_COLUMNS[column])
            new = to_instant(value, current, zone, DEFAULT_TIMES[DATE_COLUMNS[column]])
        except AmbiguousDateError as exc:
            self._problem(str(exc), row, column, exc.readings)
            return None
        except CellError as exc:
            self._problem(str(exc), row, column)
            return None
        return None if new == current else new

    def _edited(
        self,
        item: ItemSchedule,
        inherited: bool | None,
        dates: dict[str, datetime | None],
        flags: dict[str, bool],
    ) -> ItemSchedule:
        if inherited and not item.is_inherited:
            # Inherit again: the row's Start/End are ignored, the parent's dates apply.
            self.made_inherited.append(item.item_id)
            new = item.reset_to_inherited()
            if dates["due"] is not None:
                new = new.with_dates(due=dates["due"])
        else:
            new = item.with_dates(**{k: v for k, v in dates.items() if v is not None})
            if inherited is False:
                new = new.make_explicit()
        return replace(new, **flags) if flags else new  # type: ignore[arg-type]

    def result(self, notes: Iterable[str]) -> tuple[Schedule, ImportReport]:
        updates = self.updates
        for item_id in self.made_inherited:
            item = updates[item_id]
            parent = self.base.parent_of(item)
            if parent is not None:
                parent = updates.get(parent.item_id, parent)
                updates[item_id] = replace(item, start=parent.start, end=parent.end)
        edited = self.base.with_items(updates.values())
        order = self.base.positions
        changed = tuple(sorted(updates, key=order.__getitem__))
        report = ImportReport(
            course_id=self.base.course_id,
            sheet=self.sheet.name,
            changed=changed,
            made_explicit=tuple(
                i
                for i in changed
                if self.base.by_id[i].is_inherited and not updates[i].is_inherited
            ),
            made_inherited=tuple(i for i in changed if i in set(self.made_inherited)),
            unchanged=len(self.seen) - len(changed),
            missing=len(self.base.by_id) - len(self.seen),
            exported_fingerprint=self.sheet.fingerprint,
            current_fingerprint=self.base.fingerprint(),
            notes=tuple(notes),
            rows=dict(self.seen),
            titles={item_id: self.base.by_id[item_id].title for item_id in changed},
        )
        return edited, report


def _as_item_id(value: object) -> int | None:
    if isinstance(value, float) and value.is_integer():
        return int(value)  # Excel keeps numbers as floats
    return numeric_id(value if isinstance(value, int) else str(value))


def _local(value: datetime, zone: tzinfo) -> datetime:
    return value.astimezone(zone).replace(tzinfo=None)
