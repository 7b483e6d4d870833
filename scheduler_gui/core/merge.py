"""Three-way merge: replay local edits (base -> local) onto the server's current schedule.

Used when someone changed the course on the server after we loaded it. Fields are
merged one by one, on what a PUT would write: an inherited item's start/end count as
"inherited", not as the parent's dates shown for it. For each field:

- changed only locally -> the local value;
- changed only on the server, or changed the same way on both sides -> the server's;
- changed on both sides to different values -> a conflict: the server's value is kept
  and the conflict lists base, local and server values, so nothing is silently lost.

A schedule cannot have one date inherited and the other explicit (``is_inherited`` covers
both), so when the per-field result would mix them, the item keeps the server's dates and
the local start/end edits are reported as conflicts.

Items: the result has exactly the server's items, in the server's order. An item added
on the server is kept. An item removed on the server is dropped; if it had local edits,
that is reported as a conflict with ``field=None``.

:func:`resolve` then takes the user's answer per conflict ("mine" or "theirs") and builds
the schedule to save: every change that did not clash from both sides, plus each clashing
field from the side chosen.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, tzinfo
from typing import Literal

from .diff import describe_value, short_title
from .inherit import follow_ancestors
from .model import ItemSchedule, Schedule


class _Inherited(enum.Enum):
    INHERITED = "inherited"


#: The value of start/end for an item whose dates are inherited.
INHERITED = _Inherited.INHERITED
MergeValue = datetime | bool | None | _Inherited
#: Which side wins a clashing field: the user's edit or the server's newer value.
Side = Literal["mine", "theirs"]
MERGE_FIELDS = ("start", "end", "due", "can_access_before_start", "can_access_after_end")
_LABELS = {
    "start": "start date",
    "end": "end date",
    "due": "due date",
    "can_access_before_start": "'can open before start'",
    "can_access_after_end": "'can open after end'",
}


@dataclass(frozen=True, slots=True)
class MergeConflict:
    """A field both sides changed differently (``field=None``: item gone from the server)."""

    item_id: int
    title: str
    field: str | None
    base: MergeValue
    local: MergeValue
    remote: MergeValue

    def describe(self, tz: tzinfo) -> str:
        """One sentence for the user, dates in the course time zone."""
        title = short_title(self.title)
        name = f'"{title}" (id {self.item_id})' if title else f"Item {self.item_id}"
        if self.field is None:
            return (
                f"{name} is no longer in the course on the server; "
                "your changes to it could not be kept."
            )
        return (
            f"{name}: {_LABELS.get(self.field, self.field)} was changed on the server to "
            f"{_value(self.remote, tz)} while you changed it to {_value(self.local, tz)} "
            f"(it was {_value(self.base, tz)}). The server's value was kept."
        )


@dataclass(frozen=True, slots=True)
class MergeResult:
    """The merged schedule (server's items and order) and what could not be merged."""

    schedule: Schedule
    conflicts: list[MergeConflict]

    @property
    def clean(self) -> bool:
        return not self.conflicts


def _value(value: MergeValue, tz: tzinfo) -> str:
    if value is INHERITED:
        return "inherited from its parent"
    return describe_value(value, tz)


def written(item: ItemSchedule) -> dict[str, MergeValue]:
    """The mergeable fields as a PUT writes them (inherited dates as ``INHERITED``)."""
    return {
        "start": INHERITED if item.is_inherited else item.start,
        "end": INHERITED if item.is_inherited else item.end,
        "due": item.due,
        "can_access_before_start": item.can_access_before_start,
        "can_access_after_end": item.can_access_after_end,
    }


def _merge_item(
    base: ItemSchedule | None, local: ItemSchedule, remote: ItemSchedule
) -> tuple[ItemSchedule, list[MergeConflict]]:
    b = written(base) if base is not None else None
    mine, r = written(local), written(remote)
    if mine == r or (b is not None and mine == b):
        return remote, []
    merged: dict[str, MergeValue] = {}
    conflicts: dict[str, MergeConflict] = {}
    for name in MERGE_FIELDS:
        bv, lv, rv = (b[name] if b is not None else None), mine[name], r[name]
        if (b is not None and lv == bv) or lv == rv:
            merged[name] = rv
        elif b is not None and rv == bv:
            merged[name] = lv
        else:
            merged[name] = rv
            conflicts[name] = MergeConflict(local.item_id, remote.title, name, bv, lv, rv)
    if (merged["start"] is INHERITED) != (merged["end"] is INHERITED):
        for name in ("start", "end"):
            if merged[name] != r[name] and name not in conflicts:
                bv = b[name] if b is not None else None
                conflicts[name] = MergeConflict(
                    local.item_id, remote.title, name, bv, mine[name], r[name]
                )
            merged[name] = r[name]
    found = [conflicts[name] for name in MERGE_FIELDS if name in conflicts]
    return (remote if merged == r else _build(merged, local, remote)), found


def _date(value: MergeValue) -> datetime | None:
    return value if isinstance(value, datetime) else None


def _build(
    merged: dict[str, MergeValue], local: ItemSchedule, remote: ItemSchedule
) -> ItemSchedule:
    due = _date(merged["due"])
    if merged["start"] is INHERITED:
        # Dates shown until follow_ancestors sets the ancestor's: the server's if it
        # inherits too, else as local had them.
        shown = remote if remote.is_inherited else local
        inherited, start, end = True, shown.start, shown.end
    else:
        inherited, start, end = False, _date(merged["start"]), _date(merged["end"])
    return replace(
        remote,
        is_inherited=inherited,
        start=start,
        end=end,
        due=due,
        due_key=remote.due_key if remote.due is not None or due is None else local.due_key,
        can_access_before_start=merged["can_access_before_start"] is True,
        can_access_after_end=merged["can_access_after_end"] is True,
    )


def three_way_merge(base: Schedule, local: Schedule, remote: Schedule) -> MergeResult:
    """Apply the local edits (``base`` -> ``local``) onto ``remote``; see the module doc."""
    base_by_id, local_by_id = base.by_id, local.by_id
    remote_ids = remote.by_id.keys()
    items: list[ItemSchedule] = []
    conflicts: list[MergeConflict] = []
    gone: set[int] = set()
    for item in remote.items:
        mine = local_by_id.get(item.item_id)
        if mine is None:
            items.append(item)
            continue
        merged, found = _merge_item(base_by_id.get(item.item_id), mine, item)
        items.append(merged)
        conflicts.extend(found)
    for item in local.items:
        if item.item_id in remote_ids or item.item_id in gone:
            continue
        gone.add(item.item_id)
        before = base_by_id.get(item.item_id)
        if before is None or written(before) != written(item):
            conflicts.append(MergeConflict(item.item_id, item.title, None, None, None, None))
    schedule = Schedule(remote.course_id, items, source_format=remote.source_format)
    # Inherited items show the merged ancestors' dates (a unit moved on one side moves
    # what inherits from it, whichever side that item came from).
    followed = follow_ancestors(schedule.by_id)
    return MergeResult(schedule.with_items(f.item for f in followed.values()), conflicts)


def resolve(
    result: MergeResult, local: Schedule, choices: Mapping[tuple[int, str], Side]
) -> Schedule:
    """``result``'s schedule with each clashing field taken from the side chosen.

    ``choices`` maps ``(item_id, field)`` of a conflict to ``"mine"`` or ``"theirs"``;
    a conflict not in it keeps the server's value (as merged). An item's start and end
    go together when one side inherits them: a schedule cannot inherit one date only.
    Items the server removed stay removed.
    """
    mine_fields: dict[int, set[str]] = {}
    for conflict in result.conflicts:
        key = (conflict.item_id, conflict.field or "")
        if conflict.field is not None and choices.get(key) == "mine":
            mine_fields.setdefault(conflict.item_id, set()).add(conflict.field)
    merged_by_id, local_by_id = result.schedule.by_id, local.by_id
    updates: list[ItemSchedule] = []
    for item_id, fields in mine_fields.items():
        merged, mine = merged_by_id.get(item_id), local_by_id.get(item_id)
        if merged is None or mine is None:
            continue
        values, mine_values = written(merged), written(mine)
        for name in fields:
            values[name] = mine_values[name]
        if (values["start"] is INHERITED) != (values["end"] is INHERITED):
            values["start"], values["end"] = mine_values["start"], mine_values["end"]
        updates.append(_build(values, mine, merged))
    return result.schedule.with_items(updates)
