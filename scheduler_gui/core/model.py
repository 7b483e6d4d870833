"""Item schedules of one course, as the ``itemSchedules`` API carries them.

An :class:`ItemSchedule` is immutable: an edit makes a new one (``dataclasses.replace``
or the helpers below), so undo, diff and conflict checks compare plain values. Every
field the server sent that we do not model is kept verbatim in the ``*_extra`` maps and
written back unchanged.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime
from functools import cached_property
from operator import attrgetter
from typing import Any

from .times import format_timestamp

DATE_FIELDS = ("start", "end", "due")
FLAG_FIELDS = ("can_access_before_start", "can_access_after_end")


@dataclass(frozen=True, slots=True)
class ItemSchedule:
    """The access schedule of one content item (units included).

    ``start``/``end`` are what the server shows; when ``is_inherited`` is true they are
    the parent's dates and are *not* written back, so the item keeps inheriting.
    Aware dates are stored in UTC, whatever zone they were given in; naive ones are kept
    as given so validation can point at them.
    """

    item_id: int
    title: str = ""
    start: datetime | None = None
    end: datetime | None = None
    can_access_before_start: bool = False
    can_access_after_end: bool = False
    is_inherited: bool = False
    due: datetime | None = None
    #: Which name the server used for the due date: ``dueDate`` (the example) or
    #: ``dueDateTime`` (the request table). Written back under the same name.
    due_key: str = "dueDate"
    parent_id: int | None = None
    item_extra: Mapping[str, Any] = field(default_factory=dict)
    schedule_extra: Mapping[str, Any] = field(default_factory=dict)
    access_extra: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # One representation per instant. Besides matching what a round trip gives back,
        # it matters for equality: a local time in a DST fold (01:30 on the night clocks
        # go back) never equals the same instant in another zone (PEP 495), which would
        # make diffs and merges see changes nobody made.
        start, end, due = self.start, self.end, self.due
        if (
            (start is None or start.tzinfo is UTC)
            and (end is None or end.tzinfo is UTC)
            and (due is None or due.tzinfo is UTC)
        ):
            return  # the usual case, checked first: every parsed or edited item gets here
        for name in DATE_FIELDS:
            value = getattr(self, name)
            if value is None or value.tzinfo is UTC:
                continue
            if value.utcoffset() is not None:
                try:
                    object.__setattr__(self, name, value.astimezone(UTC))
                except OverflowError:  # beyond year 1..9999 in UTC: validation reports it
                    continue

    def with_dates(self, **changes: datetime | None) -> ItemSchedule:
        """Set ``start``/``end``/``due``; touching start or end makes the item explicit."""
        unknown = set(changes) - set(DATE_FIELDS)
        if unknown:
            raise TypeError(f"not a date field: {', '.join(sorted(unknown))}")
        explicit = self.is_inherited and ("start" in changes or "end" in changes)
        return replace(self, is_inherited=self.is_inherited and not explicit, **changes)  # type: ignore[arg-type]

    def make_explicit(self) -> ItemSchedule:
        """Keep the dates shown now, but write them out instead of inheriting them."""
        return replace(self, is_inherited=False)

    def reset_to_inherited(
        self, start: datetime | None = None, end: datetime | None = None
    ) -> ItemSchedule:
        """Inherit from the parent again; ``start``/``end`` are the parent's (for display)."""
        return replace(
            self,
            is_inherited=True,
            start=start if start is not None else self.start,
            end=end if end is not None else self.end,
        )

    def schedule_key(self) -> tuple[Any, ...]:
        """What a PUT of this item would change on the server (for diffs, fingerprints)."""
        return (
            self.item_id,
            self.is_inherited,
            _stamp(self.start),
            _stamp(self.end),
            self.can_access_before_start,
            self.can_access_after_end,
            _stamp(self.due),
        )


def _stamp(value: datetime | None) -> str | None:
    return None if value is None else format_timestamp(value)


class Schedule:
    """All item schedules of one course, in server order.

    Immutable in practice: :meth:`with_items` returns a new schedule. Lookups by id and
    the hierarchy are computed once per schedule.
    """

    __slots__ = ("__dict__", "course_id", "items", "source", "source_format")

    def __init__(
        self,
        course_id: str,
        items: Iterable[ItemSchedule],
        *,
        source_format: str = "json",
        source: bytes | None = None,
    ) -> None:
        self.course_id = str(course_id)
        self.items: tuple[ItemSchedule, ...] = tuple(items)
        self.source_format = source_format
        #: The server's body these items were parsed from, verbatim (None if the items
        #: were made or changed here). Kept so a backup can be the server's own document
        #: and an unchanged body need not be parsed again. Parent ids are not in it.
        self.source = source

    def __repr__(self) -> str:
        return f"Schedule(course_id={self.course_id!r}, items={len(self.items)})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Schedule):
            return NotImplemented
        return self.course_id == other.course_id and self.items == other.items

    __hash__ = None  # type: ignore[assignment]

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[ItemSchedule]:
        return iter(self.items)

    @cached_property
    def by_id(self) -> dict[int, ItemSchedule]:
        """Items by id (the first one wins if the server sent an id twice)."""
        index: dict[int, ItemSchedule] = {}
        for item in self.items:
            index.setdefault(item.item_id, item)
        return index

    @cached_property
    def positions(self) -> dict[int, int]:
        """Row of each item id in server order."""
        return {item.item_id: row for row, item in reversed(list(enumerate(self.items)))}

    def get(self, item_id: int) -> ItemSchedule | None:
        return self.by_id.get(item_id)

    def parent_of(self, item: ItemSchedule) -> ItemSchedule | None:
        return None if item.parent_id is None else self.by_id.get(item.parent_id)

    @cached_property
    def children(self) -> dict[int, list[int]]:
        """The ids of each parent's items, in server order (parents that have none are
        not keys). Do not change it: it is shared."""
        children: dict[int, list[int]] = {}
        for item in self.items:
            if item.parent_id is not None:
                children.setdefault(item.parent_id, []).append(item.item_id)
        return children

    def ancestors(self, item: ItemSchedule) -> list[ItemSchedule]:
        """The units above ``item``, nearest first (a cycle of parents is cut where it
        closes; a parent the course does not list ends the chain)."""
        found: list[ItemSchedule] = []
        seen = {item.item_id}
        parent = self.parent_of(item)
        while parent is not None and parent.item_id not in seen:
            seen.add(parent.item_id)
            found.append(parent)
            parent = self.parent_of(parent)
        return found

    @cached_property
    def depths(self) -> dict[int, int]:
        """Depth of each item in the unit tree (0 at the top; cycles cut)."""
        return {item.item_id: len(self.ancestors(item)) for item in self.items}

    def with_items(self, changed: Iterable[ItemSchedule]) -> Schedule:
        """A new schedule where the given items replace those with the same id."""
        updates = {item.item_id: item for item in changed}
        if not updates:
            return self
        missing = updates.keys() - self.by_id.keys()
        if missing:
            raise KeyError(f"not in this course: {sorted(missing)[:5]}")
        items = [updates.get(item.item_id, item) for item in self.items]
        return Schedule(self.course_id, items, source_format=self.source_format)

    def with_parents(self, parents: Mapping[int, int | None]) -> Schedule:
        """Attach the unit tree (item id -> parent id) from the hierarchy API."""
        items = []
        for item in self.items:
            parent_id = parents.get(item.item_id)
            if parent_id != item.parent_id:
                # Not dataclasses.replace(): this runs for every item of a loaded course,
                # and building from the field values is about twice as fast.
                values = list(_field_values(item))
                values[_PARENT_INDEX] = parent_id
                item = ItemSchedule(*values)
            items.append(item)
        # The body stays this schedule's source: parents come from another route.
        return Schedule(self.course_id, items, source_format=self.source_format, source=self.source)

    def fingerprint(self) -> str:
        """A short hash of everything a PUT would write: equal means nothing changed."""
        return self._fingerprint

    @cached_property
    def _fingerprint(self) -> str:  # the items never change: hash them once
        payload = json.dumps([item.schedule_key() for item in self.items], separators=(",", ":"))
        return hashlib.sha256(payload.encode()).hexdigest()[:16]


_FIELD_NAMES = tuple(f.name for f in fields(ItemSchedule))
_field_values = attrgetter(*_FIELD_NAMES)
_PARENT_INDEX = _FIELD_NAMES.index("parent_id")
