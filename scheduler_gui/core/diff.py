"""What differs between two schedules of one course, field by field, and how to say it.

The diff answers "what would a PUT of ``new`` change compared with ``old``", which is what
the save preview, the post-save verification and the merge need. Hence the one rule
about inheritance: an item that is inherited in ``new`` does not write its start/end (the
server takes them from the parent), so its start/end are **not** compared. When a unit
moves, its inherited children's displayed dates move with it; the unit's own change is
the one reported, not one line per child. The inherited/explicit switch itself is
reported as an ``is_inherited`` change; an item that becomes explicit also reports the
start/end that now differ from the dates it used to inherit.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, tzinfo
from itertools import groupby, islice

from .model import ItemSchedule, Schedule
from .times import format_local

FieldValue = datetime | bool | None
#: Fields compared, in display order.
DIFF_FIELDS = (
    "is_inherited",
    "start",
    "end",
    "due",
    "can_access_before_start",
    "can_access_after_end",
)
_LABELS = {
    "start": "start",
    "end": "end",
    "due": "due",
    "can_access_before_start": "can open before start",
    "can_access_after_end": "can open after end",
}


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field of one item: ``old`` -> ``new`` (model field names, see ``DIFF_FIELDS``)."""

    item_id: int
    title: str
    field: str
    old: FieldValue
    new: FieldValue


class ScheduleDiff:
    """The changes from ``old`` to ``new``.

    Attributes:
        changes: field changes, grouped per item, items in ``new``'s order.
        changed_ids: ids of items with at least one change.
        missing_ids: ids in ``old`` but not in ``new`` (``old``'s order).
        unknown_ids: ids in ``new`` but not in ``old`` (``new``'s order).

    ``len()`` counts field changes plus missing and unknown items; ``bool()`` is true when
    there is anything at all.
    """

    __slots__ = ("changed_ids", "changes", "missing_ids", "new", "old", "unknown_ids")

    def __init__(
        self,
        changes: tuple[FieldChange, ...],
        missing_ids: tuple[int, ...] = (),
        unknown_ids: tuple[int, ...] = (),
        *,
        old: Schedule | None = None,
        new: Schedule | None = None,
    ) -> None:
        self.changes = changes
        self.changed_ids = frozenset(change.item_id for change in changes)
        self.missing_ids = missing_ids
        self.unknown_ids = unknown_ids
        self.old = old
        self.new = new

    def __len__(self) -> int:
        return len(self.changes) + len(self.missing_ids) + len(self.unknown_ids)

    def __bool__(self) -> bool:
        return bool(self.changes or self.missing_ids or self.unknown_ids)

    def __repr__(self) -> str:
        return (
            f"ScheduleDiff(changes={len(self.changes)}, items={len(self.changed_ids)}, "
            f"missing={len(self.missing_ids)}, unknown={len(self.unknown_ids)})"
        )

    def by_item(self) -> Iterator[tuple[int, list[FieldChange]]]:
        """``(item_id, changes)`` per changed item, in order."""
        for item_id, group in groupby(self.changes, key=lambda change: change.item_id):
            yield item_id, list(group)


def item_changes(old: ItemSchedule, new: ItemSchedule) -> list[FieldChange]:
    """The field changes of one item (see the module docstring for inherited dates)."""
    if old is new:
        return []
    found: list[FieldChange] = []
    for name in DIFF_FIELDS:
        if new.is_inherited and name in ("start", "end"):
            continue  # not written by a PUT: follows the parent
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            found.append(FieldChange(new.item_id, new.title, name, before, after))
    return found


def diff_schedules(old: Schedule, new: Schedule) -> ScheduleDiff:
    """Compare two schedules of the same course, item by item and field by field."""
    old_by_id = old.by_id
    changes: list[FieldChange] = []
    unknown: list[int] = []
    seen: set[int] = set()
    for item in new.items:
        if item.item_id in seen:
            continue  # a duplicate row: validation reports it
        seen.add(item.item_id)
        before = old_by_id.get(item.item_id)
        if before is None:
            unknown.append(item.item_id)
        elif before is not item:
            changes.extend(item_changes(before, item))
    missing = tuple(dict.fromkeys(i.item_id for i in old.items if i.item_id not in seen))
    return ScheduleDiff(tuple(changes), missing, tuple(unknown), old=old, new=new)


def describe_value(value: FieldValue, tz: tzinfo) -> str:
    """A field value for people: dates in ``tz`` with the zone's abbreviation."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return format_local(value, tz)


TITLE_LIMIT = 80


def short_title(title: str, limit: int = TITLE_LIMIT) -> str:
    """A title for messages: whitespace folded, at most ``limit`` characters.

    Titles come from the server or a file; a 10 MB one must not make a 10 MB message.
    """
    head = title[: limit * 4]  # never fold the whole of a huge title
    folded = " ".join(head.split())
    if len(folded) > limit or len(head) < len(title):
        return folded[: limit - 1].rstrip() + "…"
    return folded


def _name(title: str, item_id: int) -> str:
    title = short_title(title)
    return f"{title} ({item_id})" if title else f"Item {item_id}"


def _phrases(changes: list[FieldChange], old: ItemSchedule | None, tz: tzinfo) -> list[str]:
    phrases: list[str] = []
    for change in changes:
        if change.field == "is_inherited":
            if change.new:
                was = ""
                if old is not None and (old.start is not None or old.end is not None):
                    was = (
                        f" (its own were {describe_value(old.start, tz)} to "
                        f"{describe_value(old.end, tz)})"
                    )
                phrases.append(f"dates now inherited from its parent{was}")
            else:
                phrases.append("now has its own dates (they were inherited)")
        else:
            label = _LABELS.get(change.field, change.field)
            phrases.append(
                f"{label} {describe_value(change.old, tz)} -> {describe_value(change.new, tz)}"
            )
    return phrases


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def render_text(diff: ScheduleDiff, tz: tzinfo, *, limit: int | None = None) -> str:
    """A readable report: one block per item, then a summary line.

    An item with one change takes one line
    (``Assignment 1 (987456123): end Tue 2011-03-08 23:59 MST -> Tue 2011-03-22 23:59 MDT``);
    an item with several lists them indented below its name. ``limit`` caps the number of
    items shown (changed, missing and new together); the summary always counts them all.
    """
    old_by_id = diff.old.by_id if diff.old is not None else {}
    new_by_id = diff.new.by_id if diff.new is not None else {}
    blocks: list[str] = []
    for item_id, changes in diff.by_item():
        phrases = _phrases(changes, old_by_id.get(item_id), tz)
        name = _name(changes[0].title, item_id)
        if len(phrases) == 1:
            blocks.append(f"{name}: {phrases[0]}")
        else:
            blocks.append("\n".join([f"{name}:", *(f"  {phrase}" for phrase in phrases)]))
    for item_id in diff.missing_ids:
        item = old_by_id.get(item_id)
        blocks.append(f"{_name(item.title if item else '', item_id)}: missing (removed)")
    for item_id in diff.unknown_ids:
        item = new_by_id.get(item_id)
        blocks.append(f"{_name(item.title if item else '', item_id)}: new item")

    shown = list(islice(blocks, limit)) if limit is not None else blocks
    lines = shown[:]
    if len(shown) < len(blocks):
        lines.append(f"... and {_count(len(blocks) - len(shown), 'more item')}")
    lines.append(_summary(diff))
    return "\n".join(lines)


def _summary(diff: ScheduleDiff) -> str:
    if not diff:
        return "No changes."
    parts = []
    if diff.changes:
        parts.append(
            f"{_count(len(diff.changes), 'change')} in {_count(len(diff.changed_ids), 'item')}"
        )
    if diff.missing_ids:
        parts.append(f"{_count(len(diff.missing_ids), 'item')} missing")
    if diff.unknown_ids:
        parts.append(f"{_count(len(diff.unknown_ids), 'new item')}")
    return ", ".join(parts) + "."
