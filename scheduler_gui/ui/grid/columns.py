"""What the grid shows: its columns, the data roles other parts read, and cell text.

Qt-light on purpose (an enum of roles, no widgets): the undo commands, the delegates,
the filter proxy and the features read these without importing the table model.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from enum import IntEnum
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt

from scheduler_gui.core.model import ItemSchedule

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class Column(IntEnum):
    TITLE = 0
    START = 1
    END = 2
    DUE = 3
    OPEN_BEFORE = 4
    OPEN_AFTER = 5


#: The ``ItemSchedule`` field each column shows (``Finding.field`` uses the same names).
COLUMN_FIELDS = ("title", "start", "end", "due", "can_access_before_start", "can_access_after_end")
FIELD_COLUMNS = {name: Column(col) for col, name in enumerate(COLUMN_FIELDS)}
HEADERS = ("Title", "Start", "End", "Due", "Open early", "Open late")
HEADER_TIPS = (
    "Item title, indented by its place in the unit tree",
    "When students can start using the item",
    "When the item closes",
    "When the work is due (optional; not inherited)",
    "Students may open the item before its start date",
    "Students may open the item after its end date",
)
DATE_COLUMNS = (Column.START, Column.END, Column.DUE)
FLAG_COLUMNS = (Column.OPEN_BEFORE, Column.OPEN_AFTER)

# Named roles: the delegates, the filter proxy and the tests read these, never the internals.
ItemIdRole = Qt.ItemDataRole.UserRole + 1
IsInheritedRole = Qt.ItemDataRole.UserRole + 2  # this cell shows a date inherited from above
IsEditedRole = Qt.ItemDataRole.UserRole + 3  # this cell differs from the base (unsaved)
FindingsRole = Qt.ItemDataRole.UserRole + 4  # list[Finding] for this cell
SortRole = Qt.ItemDataRole.UserRole + 5  # raw value: datetime (UTC) / bool / str
ValueRole = Qt.ItemDataRole.UserRole + 6  # raw field value (datetime | None | bool | str)
DepthRole = Qt.ItemDataRole.UserRole + 7  # depth in the unit tree (0 = top)
KindRole = Qt.ItemDataRole.UserRole + 8  # "Unit", "Page", "Assignment", "Exam", ...

KINDS = ("Unit", "Page", "Assignment", "Exam", "Discussion", "Link")
_KIND_WORDS = (  # checked in this order: "Week 3 Quiz" is an exam, not a unit
    ("Exam", {"exam", "exams", "quiz", "quizzes", "test", "tests", "midterm", "final"}),
    ("Assignment", {"assignment", "assignments", "homework", "project", "essay", "lab", "dropbox"}),
    ("Discussion", {"discussion", "discussions", "thread", "threads", "forum"}),
    ("Link", {"link", "links"}),
)  # no "Unit" guess from titles: a unit is an item with children ("Week 1 Overview" is a page)
_WORD = re.compile(r"[a-z]+")
#: Longer titles are cut for display: Qt lays out (and elides) the whole text on every
#: paint, so one 10 MB title froze the grid for seconds.
MAX_SHOWN_TITLE = 1_000
_SERVER_KINDS = {"thread": "Discussion", "quiz": "Exam", "folder": "Unit", "module": "Unit"}


def shown_title(title: str) -> str:
    """``title`` as the grid shows it (cut past :data:`MAX_SHOWN_TITLE` characters)."""
    return title if len(title) <= MAX_SHOWN_TITLE else title[: MAX_SHOWN_TITLE - 1] + "…"


def kind_of(item: ItemSchedule, has_children: bool) -> str:
    """The item's kind: the server's content type if sent, else a guess.

    The schedules API does not say what an item is; units are the items with children,
    and the title usually names the rest ("Week 3 Quiz", "Assignment 2").
    """
    for key in ("contentType", "itemType", "type"):
        value = item.item_extra.get(key) if item.item_extra else None
        if isinstance(value, str) and value:
            name = value.strip().lower()
            return _SERVER_KINDS.get(name, name.title())
    if has_children:
        return "Unit"
    words = set(_WORD.findall(shown_title(item.title).lower()))
    for kind, keywords in _KIND_WORDS:
        if not words.isdisjoint(keywords):
            return kind
    return "Page"


def format_cell(value: datetime | None, tz: ZoneInfo) -> str:
    """``Tue 2011-03-08 23:59`` in ``tz`` (seconds only when set); empty for no date."""
    if value is None:
        return ""
    v = value.astimezone(tz)
    clock = f"{v.hour:02d}:{v.minute:02d}" + (f":{v.second:02d}" if v.second else "")
    return f"{_WEEKDAYS[v.weekday()]} {v.year:04d}-{v.month:02d}-{v.day:02d} {clock}"


def zone_label(tz: ZoneInfo) -> str:
    """``America/Denver (MST/MDT)``: the zone and the abbreviations it uses in a year."""
    year = datetime.now(UTC).year
    names = dict.fromkeys(
        datetime(year, month, 15, 12, tzinfo=UTC).astimezone(tz).tzname() or "" for month in (1, 7)
    )
    return f"{tz.key} ({'/'.join(name for name in names if name)})"


_FIELD_LABELS = dict(zip(COLUMN_FIELDS, HEADERS, strict=True))


def field_label(field: str) -> str:
    """The column header of ``field`` ("Start", "Open early", ...)."""
    return _FIELD_LABELS.get(field, field)
