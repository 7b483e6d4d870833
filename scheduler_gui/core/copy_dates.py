"""Copy dates from one course to another (a master course to its sections).

Items are matched by their *title path* in the unit tree ("Module 1 / Week 2 / Quiz 2"),
compared with whitespace collapsed and case folded. Items whose path matches nothing
fall back to their title alone when that title is unique among the unmatched items on
both sides. A manual mapping (source id -> target id) wins over both. Whatever stays
unmatched is reported on both sides; unmatched target items keep their dates.

A matched target item takes the source item's whole schedule: start, end, due, the two
access flags and whether it inherits (inherited in the source -> inherited in the
target). Optionally the source is shifted on the way (:mod:`.shift`, on the wall clock),
and when the two courses live in different time zones dates keep their wall-clock time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import Enum
from zoneinfo import ZoneInfo

from .diff import diff_schedules
from .inherit import follow_ancestors
from .model import ItemSchedule, Schedule
from .shift import ShiftResult, ShiftSpec, shift_schedule

PATH_SEPARATOR = " / "


class CopyDatesError(ValueError):
    """A copy that cannot be done as asked (bad mapping); the message says what to fix."""


class MatchKind(Enum):
    """How a source item was paired with a target item."""

    PATH = "path"  # same title path in the unit tree
    TITLE = "title"  # same title, unique on both sides among the unmatched
    MANUAL = "manual"  # mapped by hand


@dataclass(frozen=True, slots=True)
class Match:
    source_id: int
    target_id: int
    kind: MatchKind


@dataclass(frozen=True)
class Matching:
    """Pairs in source order plus what is left unmatched on each side (in course order)."""

    matches: tuple[Match, ...]
    unmatched_source: tuple[ItemSchedule, ...]
    unmatched_target: tuple[ItemSchedule, ...]


@dataclass(frozen=True)
class CopyResult:
    """The target as it would be after the copy, and how it was arrived at.

    ``changed`` holds only target items whose schedule differs from before.
    ``shift`` is the shift applied to the source on the way, if any.
    """

    schedule: Schedule
    changed: tuple[ItemSchedule, ...]
    matching: Matching
    shift: ShiftResult | None = None


def normalise(text: str) -> str:
    """Titles compare without case and with runs of whitespace collapsed."""
    return " ".join(text.split()).casefold()


def title_path(schedule: Schedule, item: ItemSchedule) -> str:
    """``"Module 1 / Week 2 / Quiz 2"``: the titles from the top of the unit tree down."""
    titles = [" ".join(unit.title.split()) for unit in [item, *schedule.ancestors(item)]]
    return PATH_SEPARATOR.join(reversed(titles))


def match_items(
    source: Schedule, target: Schedule, mapping: Mapping[int, int] | None = None
) -> Matching:
    """Pair the items of ``source`` with those of ``target`` (see the module doc).

    Raises:
        CopyDatesError: the mapping names an id that is not in its course, or maps two
            source items onto one target item.
    """
    manual = _checked_mapping(source, target, mapping or {})
    pairs: dict[int, Match] = {s: Match(s, t, MatchKind.MANUAL) for s, t in manual.items()}
    taken = set(manual.values())

    # Equal paths pair in order of appearance (a unit may hold two "Reading" pages).
    by_path: dict[str, list[int]] = {}
    for item in target.items:
        if item.item_id not in taken:
            by_path.setdefault(normalise(title_path(target, item)), []).append(item.item_id)
    for item in source.items:
        if item.item_id in pairs:
            continue
        candidates = by_path.get(normalise(title_path(source, item)))
        if candidates:
            target_id = candidates.pop(0)
            pairs[item.item_id] = Match(item.item_id, target_id, MatchKind.PATH)
            taken.add(target_id)

    left_source = [item for item in source.items if item.item_id not in pairs]
    left_target = [item for item in target.items if item.item_id not in taken]
    source_titles = _unique_titles(left_source)
    for title, target_id in _unique_titles(left_target).items():
        source_id = source_titles.get(title)
        if source_id is not None:
            pairs[source_id] = Match(source_id, target_id, MatchKind.TITLE)
            taken.add(target_id)

    return Matching(
        matches=tuple(pairs[item.item_id] for item in source.items if item.item_id in pairs),
        unmatched_source=tuple(item for item in source.items if item.item_id not in pairs),
        unmatched_target=tuple(item for item in target.items if item.item_id not in taken),
    )


def _unique_titles(items: Iterable[ItemSchedule]) -> dict[str, int]:
    """Normalised title -> id, for titles that occur exactly once."""
    ids: dict[str, list[int]] = {}
    for item in items:
        ids.setdefault(normalise(item.title), []).append(item.item_id)
    return {title: found[0] for title, found in ids.items() if len(found) == 1}


def _checked_mapping(
    source: Schedule, target: Schedule, mapping: Mapping[int, int]
) -> dict[int, int]:
    problems = []
    for source_id, target_id in mapping.items():
        if source_id not in source.by_id:
            problems.append(f"{source_id} is not an item of course {source.course_id}")
        if target_id not in target.by_id:
            problems.append(f"{target_id} is not an item of course {target.course_id}")
    seen: dict[int, int] = {}
    for source_id, target_id in mapping.items():
        if target_id in seen:
            problems.append(f"{seen[target_id]} and {source_id} are both mapped to {target_id}")
        seen[target_id] = source_id
    if problems:
        raise CopyDatesError("Mapping: " + "; ".join(problems))
    return dict(mapping)


def copy_dates(
    source: Schedule,
    target: Schedule,
    *,
    mapping: Mapping[int, int] | None = None,
    shift: ShiftSpec | None = None,
    source_tz: ZoneInfo | None = None,
    target_tz: ZoneInfo | None = None,
) -> CopyResult:
    """Give each matched target item its source item's schedule.

    Args:
        source: the course whose dates are copied (e.g. the master).
        target: the course that receives them, as loaded.
        mapping: source id -> target id pairs set by hand (they win over matching).
        shift: shift the source's dates first, on ``source_tz``'s wall clock.
        source_tz: the source course's zone (needed with ``shift``; UTC if not given).
        target_tz: the target's zone; when it differs from ``source_tz`` dates keep
            their local wall-clock time instead of their instant.

    Raises:
        CopyDatesError: a bad mapping.
        ShiftError: a shift that cannot be done.
    """
    source_zone = source_tz or ZoneInfo("UTC")
    shifted = shift_schedule(source, shift, source_zone) if shift is not None else None
    dated = shifted.schedule if shifted is not None else source
    matching = match_items(source, target, mapping)
    rezone = target_tz is not None and target_tz.key != source_zone.key

    def moved(value: datetime | None) -> datetime | None:
        if value is None or not rezone or value.tzinfo is None:
            return value
        assert target_tz is not None
        wall = value.astimezone(source_zone).replace(tzinfo=None)
        return wall.replace(tzinfo=target_tz).astimezone(UTC)  # fold=0, as shift does

    updates: dict[int, ItemSchedule] = {}
    for match in matching.matches:
        origin = dated.by_id[match.source_id]
        updates[match.target_id] = replace(
            target.by_id[match.target_id],
            start=moved(origin.start),
            end=moved(origin.end),
            due=moved(origin.due),
            can_access_before_start=origin.can_access_before_start,
            can_access_after_end=origin.can_access_after_end,
            is_inherited=origin.is_inherited,
        )
    _show_inherited_dates(target, updates)
    changed = tuple(
        updates[item.item_id]
        for item in target.items
        if item.item_id in updates and updates[item.item_id].schedule_key() != item.schedule_key()
    )
    return CopyResult(target.with_items(changed), changed, matching, shifted)


def _show_inherited_dates(target: Schedule, updates: dict[int, ItemSchedule]) -> None:
    """Inherited items show what the server will compute in the target (the one rule,
    :mod:`.inherit`)."""
    current = {**target.by_id, **updates}
    for item_id, followed in follow_ancestors(current).items():
        updates[item_id] = followed.item


def report_lines(result: CopyResult, source: Schedule, target: Schedule) -> list[str]:
    """What was matched how and what stayed unmatched, for the CLI and logs."""
    matching = result.matching
    counts = {kind: 0 for kind in MatchKind}
    for match in matching.matches:
        counts[match.kind] += 1
    lines = [
        f"Matched {len(matching.matches)} of {len(source)} source items to course "
        f"{target.course_id} ({counts[MatchKind.PATH]} by title path, "
        f"{counts[MatchKind.TITLE]} by title, {counts[MatchKind.MANUAL]} by hand); "
        f"{len(diff_schedules(target, result.schedule).changed_ids)} target item(s) change."
    ]
    if matching.unmatched_source:
        lines.append(f"Not matched in course {source.course_id} (their dates are not copied):")
        lines += [
            f"  {item.item_id}  {title_path(source, item)}" for item in matching.unmatched_source
        ]
    if matching.unmatched_target:
        lines.append(f"Not matched in course {target.course_id} (they keep their dates):")
        lines += [
            f"  {item.item_id}  {title_path(target, item)}" for item in matching.unmatched_target
        ]
    return lines
