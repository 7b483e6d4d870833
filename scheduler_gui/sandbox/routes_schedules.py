"""``GET``/``PUT /courses/{courseId}/itemSchedules``: all items, all at once, atomically."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any

from starlette.responses import Response

from scheduler_gui.core.codec import numeric_id
from scheduler_gui.core.times import TimestampError, format_timestamp, parse_timestamp

from .context import Ctx, Route, require_course_role, resolve_course
from .store import Item, ScheduleUpdate
from .wire import bad_request, no_content, render

SCHEDULE_ROLES = ("PROF", "TAST", "ADMN")
DUE_KEYS = ("dueDate", "dueDateTime")


def effective_windows(items: Sequence[Item], course: sqlite3.Row) -> dict[int, tuple[str, str]]:
    """Each item's effective (start, end): its own, else its parent's, else the term's."""
    by_id = {item.item_id: item for item in items}
    term = (str(course["start"]), str(course["end"]))
    result: dict[int, tuple[str, str]] = {}

    def window(item: Item) -> tuple[str, str]:
        chain = []
        current: Item | None = item
        while current is not None and current.item_id not in result:
            chain.append(current)
            current = by_id.get(current.parent_id) if current.parent_id is not None else None
        inherited = term if current is None else result[current.item_id]
        for link in reversed(chain):
            inherited = (link.start or inherited[0], link.end or inherited[1])
            result[link.item_id] = inherited
        return result[item.item_id]

    for item in items:
        window(item)
    return result


def item_document(item: Item, window: tuple[str, str], base_url: str) -> dict[str, Any]:
    inherited = item.start is None and item.end is None
    access: dict[str, Any] = {"startDateTime": window[0], "endDateTime": window[1]}
    # "If the schedule is not inherited this property may be missing": some explicit
    # items leave it out, so clients meet both forms.
    if inherited or not item.omit_flag:
        access["isInherited"] = inherited
    access["canAccessBeforeStartDateTime"] = item.before_flag
    access["canAccessAfterEndDateTime"] = item.after_flag
    schedule: dict[str, Any] = {}
    if item.due is not None:  # as the page's example shows it (dueDateTime: PUT table only)
        schedule["dueDate"] = item.due
    schedule["accessSchedule"] = access
    return {
        "itemId": item.item_id,
        "itemTitle": item.title,
        "schedule": schedule,
        "links": [
            {"href": f"{base_url}/courses/{item.course_id}/items/{item.item_id}", "rel": "self"}
        ],
    }


async def get_schedules(ctx: Ctx) -> Response:
    course = resolve_course(ctx, ctx.params["course"], allow_overload=True)
    course_id = int(course["course_id"])
    require_course_role(ctx, course_id, SCHEDULE_ROLES)
    items = ctx.store.items(course_id)
    windows = effective_windows(items, course)
    document = [item_document(item, windows[item.item_id], ctx.base_url) for item in items]
    return render({"itemSchedules": document}, ctx.fmt)


def _where(index: int, entry: Any) -> str:
    item_id = entry.get("itemId") if isinstance(entry, Mapping) else None
    return f"itemSchedules[{index}]" + (f" (itemId {item_id})" if item_id is not None else "")


def _object(value: Any, where: str, name: str) -> Mapping[str, Any]:
    if value in (None, ""):
        return {}
    if not isinstance(value, Mapping):
        raise bad_request(f"{where}: {name} must be an object")
    return value


def _flag(value: Any, where: str, name: str) -> bool:
    if value in (None, ""):  # missing, or an empty XML element
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise bad_request(f"{where}: {name} must be true or false, not {value!r:.40}")


def _time(value: Any, where: str, name: str) -> str | None:
    if value in (None, ""):  # missing, or an empty XML element
        return None
    try:
        return format_timestamp(parse_timestamp(value))
    except TimestampError as exc:
        raise bad_request(f"{where}: {name}: {exc}", "invalid_date") from None


def _item_id(value: Any, where: str) -> int:
    item_id = numeric_id(value)
    if item_id is not None:
        return item_id
    raise bad_request(f"{where}: itemId must be a numeric item ID, not {value!r:.40}")


def parse_update(entry: Any, index: int) -> ScheduleUpdate:
    """One entry of a PUT body (JSON types, or XML strings)."""
    where = _where(index, entry)
    if not isinstance(entry, Mapping):
        raise bad_request(f"{where}: each entry must be an object with itemId and schedule")
    if "itemId" not in entry:
        raise bad_request(f"{where}: itemId is missing")
    schedule = _object(entry.get("schedule"), where, "schedule")
    access = _object(schedule.get("accessSchedule"), where, "schedule.accessSchedule")
    due_keys = [key for key in DUE_KEYS if key in schedule]
    if len(due_keys) > 1 and _time(schedule[DUE_KEYS[0]], where, DUE_KEYS[0]) != _time(
        schedule[DUE_KEYS[1]], where, DUE_KEYS[1]
    ):  # the pages use both names; both are fine as long as they agree
        raise bad_request(f"{where}: dueDate and dueDateTime differ; send one of them")
    due_key = due_keys[0] if due_keys else DUE_KEYS[0]
    start = _time(access.get("startDateTime"), where, "startDateTime")
    end = _time(access.get("endDateTime"), where, "endDateTime")
    if start and end and end < start:
        raise bad_request(f"{where}: endDateTime {end} is before startDateTime {start}")
    return ScheduleUpdate(
        item_id=_item_id(entry["itemId"], where),
        start=start,
        end=end,
        before_flag=_flag(
            access.get("canAccessBeforeStartDateTime"), where, "canAccessBeforeStartDateTime"
        ),
        after_flag=_flag(
            access.get("canAccessAfterEndDateTime"), where, "canAccessAfterEndDateTime"
        ),
        due=_time(schedule.get(due_key), where, due_key),
        # The page's PUT format shows no due date: leaving it out keeps the stored one
        # (a client copying the example must not erase every due date); an explicit
        # null or empty element clears it.
        due_sent=bool(due_keys),
    )


def _ids(ids: Sequence[int] | set[int]) -> str:
    shown = sorted(ids)[:10]
    more = f" and {len(ids) - 10} more" if len(ids) > 10 else ""
    return ", ".join(map(str, shown)) + more


def check_full_set(updates: Sequence[ScheduleUpdate], known: set[int], course_id: int) -> None:
    """400 unless every item of the course is listed exactly once, and nothing else."""
    seen: set[int] = set()
    duplicates: set[int] = set()
    for update in updates:
        (duplicates if update.item_id in seen else seen).add(update.item_id)
    if duplicates:
        raise bad_request(f"items listed more than once: {_ids(duplicates)}", "duplicate_item")
    unknown = seen - known
    if unknown:
        raise bad_request(f"items not in course {course_id}: {_ids(unknown)}", "unknown_item")
    missing = known - seen
    if missing:
        raise bad_request(
            f"the schedule of every item must be sent; {len(missing)} of {len(known)} items"
            f" are missing: {_ids(missing)}",
            "missing_items",
        )


async def put_schedules(ctx: Ctx) -> Response:
    course = resolve_course(ctx, ctx.params["course"], allow_overload=False)
    course_id = int(course["course_id"])
    require_course_role(ctx, course_id, SCHEDULE_ROLES)
    document = ctx.document()
    if document is None or "itemSchedules" not in document:
        raise bad_request('the body must be {"itemSchedules": [...]} listing every item')
    entries = document["itemSchedules"]
    if entries in ("", None):
        entries = []
    if isinstance(entries, Mapping):  # XML with exactly one <itemSchedule>
        entries = [entries.get("itemSchedule", entries)]
    if not isinstance(entries, list):
        raise bad_request("itemSchedules must be a list")
    updates = [parse_update(entry, index) for index, entry in enumerate(entries)]
    check_full_set(updates, ctx.store.item_ids(course_id), course_id)
    ctx.store.replace_schedules(course_id, updates)
    return no_content()


ROUTES: list[Route] = [
    ("GET", "/courses/{course}/itemSchedules", get_schedules),
    ("PUT", "/courses/{course}/itemSchedules", put_schedules),
]
