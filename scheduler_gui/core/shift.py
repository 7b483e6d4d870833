"""Move a course's dates to a new term on the wall clock of the course time zone.

Every date is turned into its local wall time in the course zone, its *date* is moved
(by N days, to a new term start, or proportionally onto a new term), the time of day is
kept to the second, and the result is turned back into UTC. So an assignment due Tuesday
23:59 in America/Denver is due on a Tuesday 23:59 afterwards, whatever daylight saving
does in between.

Wall times the zone does not have on the new date are resolved the same way every time
and reported in the move's notes:

- a time in a spring-forward gap moves forward by the gap's length (02:30 -> 03:30 in
  America/Denver, 02:15 -> 02:45 on Lord Howe Island); this is ``fold=0`` of PEP 495;
- a time that happens twice (fall back) means its first occurrence (``fold=0``).

Only explicit dates move. Inherited start/end dates stay inherited; their displayed
values follow the nearest explicit ancestor when that one moved. Due dates belong to the
item itself (the API example has a due date on an inherited item) and always move.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import UTC, date, datetime, timedelta
from enum import Enum
from zoneinfo import ZoneInfo

from .days_off import DaysOff
from .inherit import descendants, follow_ancestors, window_source
from .model import DATE_FIELDS, ItemSchedule, Schedule
from .times import format_local

#: How far a date may travel looking for a day that is not a holiday or blackout.
MAX_SKIP_DAYS = 366
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class ShiftError(ValueError):
    """A shift that cannot be done as asked; the message says why and what to change."""


@dataclass(frozen=True, slots=True)
class ByDays:
    """Move every date by ``days`` calendar days (negative moves back)."""

    days: int


@dataclass(frozen=True, slots=True)
class ToStart:
    """Move so the anchor's earliest date lands on ``start``.

    The anchor is ``anchor_id`` when given, else the item with the earliest shifted date
    inside the course's units (see :func:`teaching_targets`): a stray old page at the top
    of the course (the API example's 2010 "Course Home") does not decide the new term.
    """

    start: date
    anchor_id: int | None = None


@dataclass(frozen=True, slots=True)
class Fit:
    """Map the old term ``old_start..old_end`` proportionally onto ``new_start..new_end``.

    Dates are mapped day by day (rounded to the nearest day, halves up) and keep their
    time of day; the end points map exactly. Dates outside the old term extrapolate.
    """

    old_start: date
    old_end: date
    new_start: date
    new_end: date

    def __post_init__(self) -> None:
        if self.old_end <= self.old_start:
            raise ShiftError("the old term must end after it starts")
        if self.new_end <= self.new_start:
            raise ShiftError("the new term must end after it starts")


ShiftMode = ByDays | ToStart | Fit


@dataclass(frozen=True)
class ShiftSpec:
    """What to shift and how.

    Args:
        mode: :class:`ByDays`, :class:`ToStart` or :class:`Fit`.
        keep_weekdays: round each new date to the nearest day with the old weekday.
        days_off: holidays and blackouts a date must not land on.
        skip_backward: move a date off a day off to the previous allowed day, not the next.
        only: item ids to shift (units bring everything under them); ``None`` = all.
        columns: which of ``start``, ``end``, ``due`` to shift.
    """

    mode: ShiftMode
    keep_weekdays: bool = False
    days_off: DaysOff | None = None
    skip_backward: bool = False
    only: frozenset[int] | None = None
    columns: frozenset[str] = frozenset(DATE_FIELDS)

    def __post_init__(self) -> None:
        unknown = self.columns - set(DATE_FIELDS)
        if unknown or not self.columns:
            raise ShiftError(
                f"columns must be some of {', '.join(DATE_FIELDS)}, not {sorted(self.columns)}"
            )


class NoteKind(Enum):
    """Why a moved date is not simply "same wall time, N days later"."""

    HOLIDAY = "holiday"  # landed on a holiday or blackout and moved off it
    WEEKDAY = "weekday"  # rounded to keep its weekday
    DST_GAP = "dst-gap"  # the wall time does not exist on the new date
    DST_AMBIGUOUS = "dst-ambiguous"  # the wall time happens twice on the new date
    DST_OFFSET = "dst-offset"  # same wall time, different UTC offset (not raw seconds)
    INHERITED = "inherited"  # inherited date that follows its parent's move
    ORDER = "order"  # the item's end is now before its start


@dataclass(frozen=True, slots=True)
class Note:
    kind: NoteKind
    text: str


@dataclass(frozen=True, slots=True)
class DateMove:
    """One date of one item, before and after (UTC), with notes for the preview."""

    item_id: int
    title: str
    field: str
    old: datetime
    new: datetime
    notes: tuple[Note, ...] = ()

    def has(self, kind: NoteKind) -> bool:
        return any(note.kind is kind for note in self.notes)


@dataclass(frozen=True)
class ShiftResult:
    """The shifted schedule, the items that changed, and every date move for previews.

    ``days`` is the day offset used by :class:`ByDays`/:class:`ToStart` (``None`` for
    :class:`Fit`). ``anchor`` is the item and date that :class:`ToStart` put on the new
    start. ``staying`` are inherited items in the selection with no explicit ancestor:
    they inherit from the course itself, so no shift moves them.
    """

    schedule: Schedule
    changed: tuple[ItemSchedule, ...]
    moves: tuple[DateMove, ...]
    days: int | None
    notes_count: dict[NoteKind, int] = field(default_factory=dict)
    anchor: tuple[ItemSchedule, datetime] | None = None
    staying: tuple[ItemSchedule, ...] = ()


def shift_schedule(schedule: Schedule, spec: ShiftSpec, tz: ZoneInfo) -> ShiftResult:
    """Shift the selected explicit dates of ``schedule`` as ``spec`` says, in zone ``tz``.

    Raises:
        ShiftError: unknown ids in the selection, an anchor without dates, or a date
            that would leave the calendar.
    """
    selected = _selection(schedule, spec.only)
    targets = [
        (item, name)
        for item in schedule.items
        if selected is None or item.item_id in selected
        for name in DATE_FIELDS
        if name in spec.columns
        and getattr(item, name) is not None
        and (name == "due" or not item.is_inherited)
    ]
    anchor = _anchor(schedule, spec, targets)
    days = _day_offset(spec, tz, anchor)
    mover = _WallClockMover(spec, tz, days)

    new_values: dict[int, dict[str, datetime]] = {}
    moves: list[DateMove] = []
    for item, name in targets:
        old: datetime = getattr(item, name)
        new, notes = mover.move(old)
        if new != old:
            new_values.setdefault(item.item_id, {})[name] = new
            moves.append(DateMove(item.item_id, item.title, name, old, new, notes))

    changed: dict[int, ItemSchedule] = {}
    for item_id, values in new_values.items():
        changed[item_id] = _with_values(schedule.by_id[item_id], values)
    _follow_parents(schedule, changed, moves)
    _flag_reversed_windows(schedule, changed, moves)

    counts: dict[NoteKind, int] = {}
    for move in moves:
        for note in move.notes:
            counts[note.kind] = counts.get(note.kind, 0) + 1
    ordered = tuple(changed[item.item_id] for item in schedule.items if item.item_id in changed)
    return ShiftResult(
        schedule=schedule.with_items(ordered),
        changed=ordered,
        moves=tuple(moves),
        days=days,
        notes_count=counts,
        anchor=anchor,
        staying=_inheriting_from_the_course(schedule, spec, selected),
    )


_ITEM_FIELDS = tuple(item_field.name for item_field in fields(ItemSchedule))


def _with_values(item: ItemSchedule, values: dict[str, datetime]) -> ItemSchedule:
    """``dataclasses.replace`` for dates, without its per-call overhead (10,000 items)."""
    return ItemSchedule(*[values.get(name, getattr(item, name)) for name in _ITEM_FIELDS])


def _selection(schedule: Schedule, only: frozenset[int] | None) -> set[int] | None:
    """The selected ids plus everything under selected units; ``None`` means all."""
    if only is None:
        return None
    unknown = sorted(only - schedule.by_id.keys())
    if unknown:
        shown = ", ".join(str(item_id) for item_id in unknown[:5])
        raise ShiftError(f"not items of course {schedule.course_id}: {shown}")
    return set(descendants(schedule.children, only))


def _anchor(
    schedule: Schedule, spec: ShiftSpec, targets: list[tuple[ItemSchedule, str]]
) -> tuple[ItemSchedule, datetime] | None:
    """The item and date a :class:`ToStart` puts on the new start (None: other modes)."""
    mode = spec.mode
    if not isinstance(mode, ToStart):
        return None
    if mode.anchor_id is not None:
        anchor = schedule.get(mode.anchor_id)
        if anchor is None:
            raise ShiftError(f"anchor item {mode.anchor_id} is not in this course")
        dates: list[datetime | None] = [
            getattr(anchor, name) for name in DATE_FIELDS if name in spec.columns
        ]
        known = [value for value in dates if value is not None]
        if not known:
            raise ShiftError(f"anchor item {mode.anchor_id} has no dates to anchor on")
        return anchor, min(known)
    candidates = teaching_targets(schedule, targets) or targets
    if not candidates:
        return None
    # min() keeps the first of equal dates: the one highest in the course.
    item, name = min(candidates, key=lambda target: _value(*target))
    return item, _value(item, name)


def teaching_targets(
    schedule: Schedule, targets: list[tuple[ItemSchedule, str]]
) -> list[tuple[ItemSchedule, str]]:
    """The targets inside the course's units: units (items with children) and items in
    a unit. Pages at the top of the course (a welcome page, an old "Course Home") are
    left out; without a unit tree there are no units and the list is empty."""
    units = {item.parent_id for item in schedule.items if item.parent_id is not None}
    return [
        (item, name)
        for item, name in targets
        if item.item_id in units or item.parent_id in schedule.by_id
    ]


def _day_offset(
    spec: ShiftSpec, tz: ZoneInfo, anchor: tuple[ItemSchedule, datetime] | None
) -> int | None:
    mode = spec.mode
    if isinstance(mode, ByDays):
        return mode.days
    if isinstance(mode, Fit):
        return None
    if anchor is None:
        return 0
    return (mode.start - anchor[1].astimezone(tz).date()).days


def _inheriting_from_the_course(
    schedule: Schedule, spec: ShiftSpec, selected: set[int] | None
) -> tuple[ItemSchedule, ...]:
    """Inherited items in the selection whose start/end come from the course itself (no
    explicit ancestor): a shift leaves them where they are. Empty without a unit tree,
    where who an item inherits from is not known."""
    if not {"start", "end"} & spec.columns:
        return ()
    if all(item.parent_id is None for item in schedule.items):
        return ()
    memo: dict[int, int | None] = {}
    staying = []
    for item in schedule.items:
        if not item.is_inherited or (selected is not None and item.item_id not in selected):
            continue
        # The top of its chain inherits too (or there is a cycle): the course decides.
        source = window_source(schedule.by_id, item.item_id, memo)
        if source is None or schedule.by_id[source].is_inherited:
            staying.append(item)
    return tuple(staying)


class _WallClockMover:
    """Moves one UTC datetime on the course wall clock; remembers results by value,
    since a course repeats the same few dates many times."""

    def __init__(self, spec: ShiftSpec, tz: ZoneInfo, days: int | None) -> None:
        self._spec = spec
        self._tz = tz
        self._days = days
        self._days_off = spec.days_off if spec.days_off else None
        self._memo: dict[datetime, tuple[datetime, tuple[Note, ...]]] = {}

    def move(self, old: datetime) -> tuple[datetime, tuple[Note, ...]]:
        hit = self._memo.get(old)
        if hit is None:
            try:
                hit = self._memo[old] = self._move(old)
            except OverflowError:
                raise ShiftError(f"{old:%Y-%m-%d} would move outside the calendar") from None
        return hit

    def _move(self, old: datetime) -> tuple[datetime, tuple[Note, ...]]:
        local = old.astimezone(self._tz)
        old_day = local.date()
        day = self._new_day(old_day)
        notes: list[Note] = []
        if self._spec.keep_weekdays:
            day = _keep_weekday(old_day, day, notes)
        if self._days_off is not None:
            day = self._off_days_skipped(day, notes)
        if day == old_day:
            return old, ()
        wall = datetime.combine(day, local.time())
        offset = wall.replace(tzinfo=self._tz).utcoffset()
        later_offset = wall.replace(tzinfo=self._tz, fold=1).utcoffset()
        assert offset is not None and later_offset is not None
        if later_offset > offset:
            shown = wall + (later_offset - offset)
            notes.append(
                Note(
                    NoteKind.DST_GAP,
                    f"{wall:%H:%M} does not exist on {day} (clocks go forward): {shown:%H:%M} used",
                )
            )
        elif later_offset < offset:
            notes.append(
                Note(
                    NoteKind.DST_AMBIGUOUS,
                    f"{wall:%H:%M} happens twice on {day}: the first one "
                    f"({wall.replace(tzinfo=self._tz).tzname()}) used",
                )
            )
        elif offset != local.utcoffset():
            notes.append(
                Note(
                    NoteKind.DST_OFFSET,
                    f"UTC offset {_offset_text(local.utcoffset())} -> {_offset_text(offset)}, "
                    "wall time kept",
                )
            )
        new = (wall - offset).replace(tzinfo=UTC)
        return new, tuple(notes)

    def _new_day(self, old_day: date) -> date:
        mode = self._spec.mode
        if isinstance(mode, Fit):
            old_span = (mode.old_end - mode.old_start).days
            new_span = (mode.new_end - mode.new_start).days
            scaled = (old_day - mode.old_start).days * new_span
            return mode.new_start + timedelta(days=(2 * scaled + old_span) // (2 * old_span))
        assert self._days is not None
        return old_day + timedelta(days=self._days)

    def _off_days_skipped(self, day: date, notes: list[Note]) -> date:
        assert self._days_off is not None
        reason = self._days_off.reason(day)
        if reason is None:
            return day
        step = timedelta(days=-1 if self._spec.skip_backward else 1)
        moved = day
        for _ in range(MAX_SKIP_DAYS):
            moved += step
            if self._days_off.reason(moved) is None:
                notes.append(Note(NoteKind.HOLIDAY, f"{reason} on {day}: moved to {moved}"))
                return moved
        raise ShiftError(f"no allowed day within a year of {day}: check the blackout dates")


def _keep_weekday(old_day: date, day: date, notes: list[Note]) -> date:
    """The nearest day to ``day`` with ``old_day``'s weekday (at most 3 days away)."""
    delta = (old_day.weekday() - day.weekday()) % 7
    if delta == 0:
        return day
    if delta > 3:
        delta -= 7
    kept = day + timedelta(days=delta)
    notes.append(Note(NoteKind.WEEKDAY, f"kept {_WEEKDAYS[old_day.weekday()]}: {day} -> {kept}"))
    return kept


def _offset_text(offset: timedelta | None) -> str:
    minutes = int((offset or timedelta()).total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _follow_parents(
    schedule: Schedule, changed: dict[int, ItemSchedule], moves: list[DateMove]
) -> None:
    """Inherited items show their nearest explicit ancestor's dates (the one rule,
    :mod:`.inherit`): update those whose ancestor moved, keeping them inherited."""
    if not changed:
        return
    for item_id, followed in follow_ancestors({**schedule.by_id, **changed}).items():
        if followed.source_id not in changed:
            continue  # its dates' source did not move: nothing of this shift's to follow
        # The item may already be in ``changed`` with its own due date moved.
        before, after = changed.get(item_id, schedule.by_id[item_id]), followed.item
        changed[item_id] = after
        note = (Note(NoteKind.INHERITED, f"inherited: follows item {followed.source_id}"),)
        for name, old, new in (
            ("start", before.start, after.start),
            ("end", before.end, after.end),
        ):
            if old != new and old is not None and new is not None:
                moves.append(DateMove(item_id, before.title, name, old, new, note))


def _flag_reversed_windows(
    schedule: Schedule, changed: dict[int, ItemSchedule], moves: list[DateMove]
) -> None:
    """Note items whose end now falls before their start (holiday moves can do that)."""
    last_move: dict[int, int] = {}
    for index, move in enumerate(moves):
        if move.field != "due":
            last_move[move.item_id] = index
    for item_id, index in last_move.items():
        new, old = changed[item_id], schedule.by_id[item_id]
        if _reversed(new) and not _reversed(old):
            move = moves[index]
            moves[index] = replace(
                move, notes=(*move.notes, Note(NoteKind.ORDER, "end is now before start"))
            )


def _value(item: ItemSchedule, name: str) -> datetime:
    value: datetime = getattr(item, name)
    return value


def _reversed(item: ItemSchedule) -> bool:
    return item.start is not None and item.end is not None and item.end < item.start


def preview_lines(result: ShiftResult, tz: ZoneInfo, limit: int | None = None) -> list[str]:
    """One line per moved date, old -> new in local time with notes (CLI dry run); first
    the anchor of a move to a new start, last the items that stay because they inherit
    from the course itself."""
    lines = []
    if result.anchor is not None and result.days is not None:
        item, when = result.anchor
        lines.append(
            f"anchor {item.item_id} {item.title[:40]!r}: {format_local(when, tz)} lands on the "
            f"new start ({result.days:+,} days)"
        )
    for move in result.moves[:limit]:
        notes = "; ".join(note.text for note in move.notes)
        lines.append(
            f"{move.item_id} {move.title[:40]!r} {move.field}: "
            f"{format_local(move.old, tz)} -> {format_local(move.new, tz)}"
            + (f"  [{notes}]" if notes else "")
        )
    if limit is not None and len(result.moves) > limit:
        lines.append(f"... and {len(result.moves) - limit} more")
    if result.staying:
        named = ", ".join(f"{item.item_id} {item.title[:40]!r}" for item in result.staying[:10])
        more = f" and {len(result.staying) - 10} more" if len(result.staying) > 10 else ""
        lines.append(f"not moving (they inherit from the course itself): {named}{more}")
    return lines
