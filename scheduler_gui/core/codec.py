"""Parse and write ``itemSchedules`` bodies in JSON and XML, losing nothing.

Two output shapes:
- the *document* (GET shape): every field, modeled or not; used for files and backups;
- the *PUT body*: ``itemId`` plus the ``schedule`` subtree, as the API page shows, with
  inherited items' ``startDateTime``/``endDateTime`` left out so they keep inheriting.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from .gc_pause import collector_paused
from .model import ItemSchedule, Schedule
from .times import TimestampError, format_timestamp, parse_timestamp

ROOT = "itemSchedules"
DUE_KEYS = ("dueDate", "dueDateTime")
_ITEM_KEYS = {"itemId", "itemTitle", "schedule"}
_ACCESS_KEYS = {
    "startDateTime",
    "endDateTime",
    "isInherited",
    "canAccessBeforeStartDateTime",
    "canAccessAfterEndDateTime",
}
MAX_BODY_BYTES = 64 * 1024 * 1024
_DIGITS = re.compile(r"[0-9]{1,30}", re.ASCII)  # not str.isdigit(): it accepts "²" and "٣"


class ScheduleFormatError(ValueError):
    """A body that is not an ``itemSchedules`` document; the message names the spot."""


def _where(index: int, item: Mapping[str, Any] | None = None) -> str:
    item_id = item.get("itemId") if isinstance(item, Mapping) else None
    return f"item #{index + 1}" + (f" (itemId {str(item_id)[:40]})" if item_id is not None else "")


class _FieldError(ValueError):
    """A bad field; :func:`item_from_obj` adds which item it is (only then: it is slow)."""


def _as_bool(value: Any, name: str) -> bool:
    if value is True or value is False:
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise _FieldError(f"{name} must be true or false, not {value!r:.40}")


def numeric_id(value: Any) -> int | None:
    """An id as JSON or XML carries it (a number, or a string of ASCII digits), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and _DIGITS.fullmatch(value.strip()):
        return int(value.strip())
    return None


def _as_id(value: Any) -> int:
    item_id = numeric_id(value)
    if item_id is None:
        raise _FieldError(f"itemId must be a number, not {value!r:.40}")
    return item_id


def _as_time(value: Any, name: str) -> Any:
    if value is None:
        return None
    try:
        return parse_timestamp(value)
    except TimestampError as exc:
        raise _FieldError(f"{name}: {exc}") from None


def _as_map(value: Any, name: str) -> Mapping[str, Any]:
    if type(value) is dict:  # what JSON gives; skips the slow ABC check below
        return value
    if value in ("", None):  # XML's empty element
        return {}
    if not isinstance(value, Mapping):
        raise _FieldError(f"{name} must be an object")
    return value


def item_from_obj(obj: Any, index: int = 0) -> ItemSchedule:
    """One entry of the ``itemSchedules`` array (JSON types or XML strings)."""
    try:
        return _item_from_obj(obj)
    except _FieldError as exc:
        where = _where(index, obj if isinstance(obj, Mapping) else None)
        raise ScheduleFormatError(f"{where}: {exc}") from None


def _item_from_obj(obj: Any) -> ItemSchedule:
    if type(obj) is not dict and not isinstance(obj, Mapping):
        raise _FieldError(f"expected an object, got {type(obj).__name__}")
    if "itemId" not in obj:
        raise _FieldError("itemId is missing")
    schedule = _as_map(obj.get("schedule"), "schedule")
    access = _as_map(schedule.get("accessSchedule"), "schedule.accessSchedule")
    title = obj.get("itemTitle", "")
    if not isinstance(title, str):
        raise _FieldError("itemTitle must be text")
    due_key = (
        "dueDateTime" if "dueDateTime" in schedule and "dueDate" not in schedule else "dueDate"
    )
    return ItemSchedule(
        item_id=_as_id(obj["itemId"]),
        title=title,
        start=_as_time(access.get("startDateTime"), "startDateTime"),
        end=_as_time(access.get("endDateTime"), "endDateTime"),
        can_access_before_start=_as_bool(
            access.get("canAccessBeforeStartDateTime", False), "canAccessBeforeStartDateTime"
        ),
        can_access_after_end=_as_bool(
            access.get("canAccessAfterEndDateTime", False), "canAccessAfterEndDateTime"
        ),
        # "If the schedule is not inherited this property may be missing": missing = false.
        is_inherited=_as_bool(access.get("isInherited", False), "isInherited"),
        due=_as_time(schedule.get(due_key), due_key),
        due_key=due_key,
        item_extra={k: v for k, v in obj.items() if k not in _ITEM_KEYS},
        # Only the due key we model is taken out: if a server sent both, the other stays.
        schedule_extra={k: v for k, v in schedule.items() if k not in (due_key, "accessSchedule")},
        access_extra={k: v for k, v in access.items() if k not in _ACCESS_KEYS},
    )


def schedule_from_obj(document: Any, course_id: str, source_format: str = "json") -> Schedule:
    """A parsed ``{"itemSchedules": [...]}`` document as a :class:`Schedule`."""
    if not isinstance(document, Mapping) or ROOT not in document:
        raise ScheduleFormatError(f'not an item schedules document: no "{ROOT}" at the top')
    entries = document[ROOT]
    if entries in ("", None):
        entries = []
    if isinstance(entries, Mapping):  # XML with a single item whose tag was not singular
        entries = [entries]
    if not isinstance(entries, list):
        raise ScheduleFormatError(f"{ROOT} must be a list of items")
    items = [item_from_obj(entry, index) for index, entry in enumerate(entries)]
    return Schedule(course_id, items, source_format=source_format)


def parse_json(data: bytes | str, course_id: str) -> Schedule:
    """Parse a JSON ``itemSchedules`` body."""
    if len(data) > MAX_BODY_BYTES:
        raise ScheduleFormatError(f"body larger than {MAX_BODY_BYTES // (1024 * 1024)} MB")
    with collector_paused():
        return _parse_json(data, course_id)


def parse_json_document(data: bytes | str, course_id: str) -> tuple[Schedule, Any]:
    """Like :func:`parse_json`, and also the parsed top level, for keys a file keeps
    beside the items (one ``json.loads`` of the body, not two)."""
    if len(data) > MAX_BODY_BYTES:
        raise ScheduleFormatError(f"body larger than {MAX_BODY_BYTES // (1024 * 1024)} MB")
    with collector_paused():
        document = _load_json(data)
        return schedule_from_obj(document, course_id, "json"), document


def _parse_json(data: bytes | str, course_id: str) -> Schedule:
    return schedule_from_obj(_load_json(data), course_id, "json")


def _load_json(data: bytes | str) -> Any:
    try:
        return json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ScheduleFormatError(f"not valid JSON: {exc}") from None
    except RecursionError:
        raise ScheduleFormatError("not valid JSON: nested too deeply") from None
    except ValueError as exc:  # e.g. an integer with more than 4300 digits
        raise ScheduleFormatError(f"not valid JSON: {exc}") from None


def parse_xml(data: bytes | str, course_id: str) -> Schedule:
    """Parse an XML ``<itemSchedules>`` body (entities and DTDs refused)."""
    from . import xmlcodec  # loads on first use: most servers speak JSON

    with collector_paused():
        try:
            document = xmlcodec.loads(data)
        except xmlcodec.XmlFormatError as exc:
            raise ScheduleFormatError(str(exc)) from None
        return schedule_from_obj(document, course_id, "xml")


def parse(data: bytes | str, course_id: str, fmt: str | None = None) -> Schedule:
    """Parse JSON or XML; with no ``fmt``, sniff it from the first character."""
    if fmt is None:
        fmt = sniff_format(data)
    return parse_xml(data, course_id) if fmt == "xml" else parse_json(data, course_id)


def sniff_format(data: bytes | str) -> str:
    """``"xml"`` if the body starts with ``<`` (after a BOM and blanks), else ``"json"``."""
    if isinstance(data, str):
        xml = data[:64].lstrip("\ufeff \t\r\n").startswith("<")
    else:
        xml = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")
    return "xml" if xml else "json"


def _access_obj(item: ItemSchedule, *, for_put: bool) -> dict[str, Any]:
    access: dict[str, Any] = {}
    if not (for_put and item.is_inherited):
        if item.start is not None:
            access["startDateTime"] = format_timestamp(item.start)
        if item.end is not None:
            access["endDateTime"] = format_timestamp(item.end)
    if not for_put:
        access["isInherited"] = item.is_inherited
    access["canAccessBeforeStartDateTime"] = item.can_access_before_start
    access["canAccessAfterEndDateTime"] = item.can_access_after_end
    access.update(item.access_extra)
    return access


def item_to_obj(
    item: ItemSchedule, *, for_put: bool = False, clear_due: str | None = None
) -> dict[str, Any]:
    """One item in the GET shape (``for_put=False``) or the PUT shape.

    ``clear_due`` (PUT only) names the due key to send as JSON ``null`` when the item has
    no due date but the server has one: leaving the key out means "unchanged".
    """
    schedule: dict[str, Any] = {}
    due = None if item.due is None else format_timestamp(item.due)
    if due is not None:
        schedule[item.due_key] = due
    elif clear_due is not None:
        schedule[clear_due] = None
    if item.schedule_extra:
        schedule.update(item.schedule_extra)
    if for_put and item.schedule_extra:
        # A server that sent both dueDate and dueDateTime gets both back with one value
        # (else an edited due date would go out next to the old one under the other key).
        # The document shape keeps what the server sent, verbatim.
        for key in DUE_KEYS:
            if key != item.due_key and key in item.schedule_extra:
                if due is not None:
                    schedule[key] = due
                elif clear_due is not None:
                    schedule[key] = None
    schedule["accessSchedule"] = _access_obj(item, for_put=for_put)
    obj: dict[str, Any] = {"itemId": item.item_id}
    if not for_put:
        obj["itemTitle"] = item.title
    obj["schedule"] = schedule
    if not for_put:
        obj.update(item.item_extra)
    return obj


def to_obj(
    schedule: Schedule, *, for_put: bool = False, clear_due: Mapping[int, str] | None = None
) -> dict[str, Any]:
    clear = clear_due or {}
    with collector_paused():  # ~30,000 new dicts, no garbage
        return {
            ROOT: [
                item_to_obj(item, for_put=for_put, clear_due=clear.get(item.item_id))
                for item in schedule.items
            ]
        }


def dump(
    schedule: Schedule,
    fmt: str = "json",
    *,
    for_put: bool = False,
    clear_due: Mapping[int, str] | None = None,
) -> bytes:
    """Serialize a schedule as a JSON or XML body (document or PUT shape)."""
    document = to_obj(schedule, for_put=for_put, clear_due=clear_due)
    if fmt == "xml":
        from . import xmlcodec

        if clear_due:  # XML has no null: an empty element clears the due date
            for entry in document[ROOT]:
                entry["schedule"].update({k: "" for k, v in entry["schedule"].items() if v is None})
        try:
            return xmlcodec.dumps(document)
        except xmlcodec.XmlFormatError as exc:
            raise ScheduleFormatError(f"cannot write this schedule as XML: {exc}") from None
    if fmt != "json":
        raise ValueError(f"unknown format {fmt!r}: use json or xml")
    try:
        return _json_text(document, for_put=for_put, ascii_only=False).encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate the server sent as "\ud800": keep it escaped
        return _json_text(document, for_put=for_put, ascii_only=True).encode("ascii")


def _json_text(document: dict[str, Any], *, for_put: bool, ascii_only: bool) -> str:
    """Compact for PUT; a document gets one item per line (readable, diffable, and fast:
    ``indent=`` would make ``json`` fall back to its pure-Python encoder)."""
    if for_put:
        return json.dumps(document, ensure_ascii=ascii_only, separators=(",", ":"))
    items = [json.dumps(item, ensure_ascii=ascii_only) for item in document[ROOT]]
    if not items:
        return f'{{"{ROOT}": []}}\n'
    return f'{{"{ROOT}": [\n' + ",\n".join(items) + "\n]}\n"


def cleared_due_keys(schedule: Schedule, previous: Schedule) -> dict[int, str]:
    """Item id -> due key, for items whose due date ``previous`` has and ``schedule`` not."""
    before = previous.by_id
    cleared = {}
    for item in schedule.items:
        old = before.get(item.item_id)
        if item.due is None and old is not None and old.due is not None:
            cleared[item.item_id] = old.due_key
    return cleared


def dump_put(schedule: Schedule, fmt: str = "json", *, previous: Schedule | None = None) -> bytes:
    """The PUT body: every item, inherited ones without start/end.

    The page's PUT format shows no due date, so a due key left out means "unchanged";
    with ``previous`` (the server's current state), a due date removed since then is sent
    as ``null`` (JSON) or an empty element (XML) so that the server clears it.
    """
    clear = cleared_due_keys(schedule, previous) if previous is not None else None
    return dump(schedule, fmt, for_put=True, clear_due=clear)
