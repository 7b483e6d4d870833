"""Check a schedule before it is sent: findings the user can act on.

Rules (``ERROR`` blocks a save, ``WARNING`` is shown but does not):

- ERROR   an item id appears more than once;
- ERROR   an item of the course is missing, or an item is not in the course
          (only when ``expected_ids`` is given: the PUT must carry every item exactly once);
- ERROR   a date without a time zone (a programming slip; it cannot be written);
- ERROR   a date before 1990-01-01 or after 2100-01-01 (typos such as 2201 or 1911);
- ERROR   end at or before start. An equal start and end is an error too: that window
          is empty, so the item would never open; nobody means that;
- WARNING an item with its own dates has a start but no end, or an end but no start: the
          API treats an omitted date as "inherit it from the parent", which may surprise;
- WARNING a due date before the item opens or after it closes (due == end is fine);
- WARNING an item with its own dates opens before or closes after its parent unit (only
          when the parent is known, i.e. the hierarchy was loaded).

Inherited items are not checked for their start/end: those are the parent's dates, are
not written back, and any problem is reported once, on the parent. Their due date is
their own and is checked. The access flags are not checked: a flag about a missing date
has no effect on the server, so a finding would only be noise.

Everything is one pass over the items (O(n)); 10,000 items take a few milliseconds.
"""

from __future__ import annotations

import enum
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

from .diff import short_title
from .model import ItemSchedule, Schedule
from .times import format_local

EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)
_LABELS = {"start": "start date", "end": "end date", "due": "due date"}
_WITH_ARTICLE = {"start": "a start date", "end": "an end date"}


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem: ``item_id``/``field`` say where (``None`` = the whole item/schedule)."""

    severity: Severity
    item_id: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        return f"{self.severity.value}: {self.message}"


def describe(item: ItemSchedule) -> str:
    """How messages name an item: its title and id."""
    title = short_title(item.title)
    return f'"{title}" (id {item.item_id})' if title else f"item {item.item_id}"


def has_errors(findings: Iterable[Finding]) -> bool:
    """True if anything must be fixed before saving."""
    return any(finding.severity is Severity.ERROR for finding in findings)


def summarize(findings: Collection[Finding]) -> str:
    """``"2 errors, 1 warning"`` or ``"no problems"``."""
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    warnings = len(findings) - errors
    if not findings:
        return "no problems"
    parts = []
    if errors:
        parts.append(f"{errors} error{'s' if errors != 1 else ''}")
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    return ", ".join(parts)


def validate(
    schedule: Schedule,
    *,
    expected_ids: Collection[int] | None = None,
    tz: tzinfo = UTC,
) -> list[Finding]:
    """All findings for ``schedule``: course-level ones first, then items in server order.

    Args:
        schedule: the schedule about to be saved (or just edited).
        expected_ids: the ids of every item in the course (e.g. from the server's current
            schedule); enables the missing/unknown item checks. A mapping of id to title
            lets messages name missing items by title.
        tz: the course time zone, used to write dates in messages.
    """
    findings: list[Finding] = []
    findings.extend(_identity_findings(schedule, expected_ids))
    by_id = schedule.by_id
    for item in schedule.items:
        findings.extend(_item_findings(item, by_id, tz))
    return findings


def identity_findings(schedule: Schedule, expected_ids: Collection[int]) -> list[Finding]:
    """Only the duplicate, missing and unknown item checks (the item checks are per item,
    so a schedule whose items were validated already needs only these)."""
    return list(_identity_findings(schedule, expected_ids))


def _identity_findings(
    schedule: Schedule, expected_ids: Collection[int] | None
) -> Iterable[Finding]:
    counts = Counter(item.item_id for item in schedule.items)
    if len(counts) < len(schedule.items):
        rows: dict[int, list[int]] = defaultdict(list)
        for row, item in enumerate(schedule.items, start=1):
            if counts[item.item_id] > 1:
                rows[item.item_id].append(row)
        for item_id, where in rows.items():
            yield Finding(
                Severity.ERROR,
                item_id,
                None,
                f"{describe(schedule.by_id[item_id])} appears {len(where)} times (rows "
                f"{', '.join(map(str, where[:10]))}). Each item must appear exactly once: "
                "remove the extra rows.",
            )
    if expected_ids is None:
        return
    expected = expected_ids if isinstance(expected_ids, set | frozenset) else set(expected_ids)
    for item in schedule.items:
        if item.item_id not in expected:
            yield Finding(
                Severity.ERROR,
                item.item_id,
                None,
                f"{describe(item)} is not an item of this course. Remove the row or correct "
                "its id (if the course changed, reload it).",
            )
    titles = expected_ids if isinstance(expected_ids, Mapping) else {}
    for item_id in sorted(expected - schedule.by_id.keys()):
        name = describe(ItemSchedule(item_id, str(titles.get(item_id) or "")))
        yield Finding(
            Severity.ERROR,
            item_id,
            None,
            f"{name[0].upper()}{name[1:]} of the course is missing. A save must include "
            "every item: add it back, or reload the course.",
        )


def _usable(value: datetime | None) -> datetime | None:
    """The date if it can be compared (aware), else None."""
    if value is None or value.tzinfo is None or value.utcoffset() is None:
        return None
    return value


def _date_findings(item: ItemSchedule, tz: tzinfo) -> tuple[list[Finding], set[str]]:
    """Dates without a zone or out of range; also returns the names of those fields."""
    found: list[Finding] = []
    bad: set[str] = set()
    own = (("start", item.start), ("end", item.end)) if not item.is_inherited else ()
    for name, value in (*own, ("due", item.due)):
        if value is None:
            continue
        if _usable(value) is None:
            problem = "has no time zone. Enter it again in the editor."
        elif value < EARLIEST or value >= LATEST:
            problem = f"{format_local(value, tz)} is not between 1990 and 2100. Check the year."
        else:
            continue
        bad.add(name)
        found.append(
            Finding(
                Severity.ERROR,
                item.item_id,
                name,
                f"{describe(item)}: the {_LABELS[name]} {problem}",
            )
        )
    return found, bad


def _item_findings(item: ItemSchedule, by_id: dict[int, ItemSchedule], tz: tzinfo) -> list[Finding]:
    found, bad = _date_findings(item, tz)
    # Only sound dates take part in comparisons (a naive one would even raise).
    start = None if "start" in bad else _usable(item.start)
    end = None if "end" in bad else _usable(item.end)
    due = None if "due" in bad else _usable(item.due)
    own_dates = not item.is_inherited
    name = describe(item)

    if own_dates and start is not None and end is not None and end <= start:
        when = "before" if end < start else "at the moment"
        found.append(
            Finding(
                Severity.ERROR,
                item.item_id,
                "end",
                f"{name} ends ({format_local(end, tz)}) {when} it starts "
                f"({format_local(start, tz)}). Make the end date later than the start.",
            )
        )
    if own_dates and (item.start is None) != (item.end is None):
        missing, present = ("end", "start") if item.end is None else ("start", "end")
        found.append(
            Finding(
                Severity.WARNING,
                item.item_id,
                missing,
                f"{name} has {_WITH_ARTICLE[present]} but no {_LABELS[missing]}. When saved, "
                f"its {_LABELS[missing]} is inherited from its parent unit; set "
                f"{_WITH_ARTICLE[missing]} if it should have its own.",
            )
        )
    if due is not None and start is not None and due < start:
        found.append(
            Finding(
                Severity.WARNING,
                item.item_id,
                "due",
                f"{name} is due ({format_local(due, tz)}) before it opens "
                f"({format_local(start, tz)}). Move the due date or the start date.",
            )
        )
    elif due is not None and end is not None and due > end:
        found.append(
            Finding(
                Severity.WARNING,
                item.item_id,
                "due",
                f"{name} is due ({format_local(due, tz)}) after it closes "
                f"({format_local(end, tz)}). Move the due date or the end date.",
            )
        )
    parent = by_id.get(item.parent_id) if item.parent_id is not None else None
    if own_dates and parent is not None and parent.item_id != item.item_id:
        unit = describe(parent)
        p_start, p_end = _usable(parent.start), _usable(parent.end)
        if start is not None and p_start is not None and start < p_start:
            found.append(
                Finding(
                    Severity.WARNING,
                    item.item_id,
                    "start",
                    f"{name} opens ({format_local(start, tz)}) before its unit {unit} opens "
                    f"({format_local(p_start, tz)}); students may not reach it until the unit "
                    "opens. Move the start date or the unit's.",
                )
            )
        if end is not None and p_end is not None and end > p_end:
            found.append(
                Finding(
                    Severity.WARNING,
                    item.item_id,
                    "end",
                    f"{name} closes ({format_local(end, tz)}) after its unit {unit} closes "
                    f"({format_local(p_end, tz)}); students may not reach it after the unit "
                    "closes. Move the end date or the unit's.",
                )
            )
    return found
