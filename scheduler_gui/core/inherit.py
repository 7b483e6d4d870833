"""The inheritance rule, once: an inherited item shows its nearest explicit ancestor's dates.

An item whose ``is_inherited`` is true has no start/end of its own: the server shows it
the start and end of its nearest ancestor that has its own dates. With no such ancestor
(every item up to the top inherits, or the parent is not in the course) it shows what
the top of that chain shows, which the server computed from the course itself. In a
cycle of parents (never sent by a real server) the items keep what they show.

Every place that changes dates (grid edits, shift, copy dates, merge) calls
:func:`follow_ancestors` afterwards, so the grid, validation and previews show what the
server will show after the save. Due dates are the item's own and never follow.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields

from .model import ItemSchedule

_FIELDS = tuple(f.name for f in fields(ItemSchedule))
_START, _END = _FIELDS.index("start"), _FIELDS.index("end")


@dataclass(frozen=True, slots=True)
class Followed:
    """An inherited item with the dates it now shows, and whose dates those are."""

    item: ItemSchedule
    source_id: int


def window_source(
    items: Mapping[int, ItemSchedule], item_id: int, memo: dict[int, int | None] | None = None
) -> int | None:
    """The id of the item whose start/end ``item_id`` shows: itself when explicit or at
    the top of its chain, else its nearest explicit ancestor or the top of the chain;
    ``None`` inside a cycle of parents. ``memo`` carries answers between calls."""
    memo = {} if memo is None else memo
    path: list[int] = []
    on_path: set[int] = set()
    current = item_id
    found: int | None
    while True:
        if current in memo:
            found = memo[current]
            break
        item = items[current]
        parent = item.parent_id
        if not item.is_inherited or parent is None or parent not in items:
            found = current
            break
        if current in on_path:
            found = None
            break
        path.append(current)
        on_path.add(current)
        current = parent
    for step in path:
        memo[step] = found
    memo.setdefault(current, found)
    return found


def follow_ancestors(
    items: Mapping[int, ItemSchedule], only: Iterable[int] | None = None
) -> dict[int, Followed]:
    """The inherited items (of ``only``, else all) whose shown start/end differ from
    what the rule gives, each with those dates; ``items`` is the course by id, edits
    included. Order: that of ``only`` (else of ``items``)."""
    memo: dict[int, int | None] = {}
    result: dict[int, Followed] = {}
    for item_id in items if only is None else only:
        item = items.get(item_id)
        if item is None or not item.is_inherited or item_id in result:
            continue
        source_id = window_source(items, item_id, memo)
        if source_id is None or source_id == item_id:
            continue
        source = items[source_id]
        if item.start != source.start or item.end != source.end:
            result[item_id] = Followed(_with_window(item, source), source_id)
    return result


def _with_window(item: ItemSchedule, source: ItemSchedule) -> ItemSchedule:
    """``item`` showing ``source``'s start and end (``dataclasses.replace`` costs 3x
    more, and a shift of 10,000 items replaces thousands)."""
    values = [getattr(item, name) for name in _FIELDS]
    values[_START], values[_END] = source.start, source.end
    return ItemSchedule(*values)


def descendants(children: Mapping[int, Iterable[int]], roots: Iterable[int]) -> list[int]:
    """``roots`` and everything below them in ``children`` (each id once; cycles cut)."""
    seen: set[int] = set()
    order: list[int] = []
    stack = list(roots)
    while stack:
        item_id = stack.pop()
        if item_id in seen:
            continue
        seen.add(item_id)
        order.append(item_id)
        stack.extend(children.get(item_id, ()))
    return order
