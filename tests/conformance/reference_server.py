"""A strict, minimal LearningStudio server written from the pages alone.

Written independently of ``scheduler_gui.sandbox`` (nothing of it is read or imported):
it exists to catch places where our client relies on habits of our own sandbox instead
of the API pages (``/work/shared/api-docs``) and ``LEARNINGSTUDIO.md``.

Routes (and nothing else; every other path is a 404 with an empty body):
- ``POST /token``: password, refresh_token and assertion grants, form-encoded.
- ``GET|PUT /courses/{courseId}/itemSchedules{.format}`` (any case; ``ccn=`` on GET only).
- ``POST /users/{userId}|/me /courses/{courseId}/courseEntry{.format}``.
- ``GET /users/{userId}|/me|/users/loginid=CS|USER /lastactivityfeed{.format}?v=2``.
- ``POST /users/{userId}|/me /courses/{courseId}/items/{itemId}/activity/endping{.format}``.

Strict where the pages are strict: the ``X-Authorization`` header formats, the PUT shape
(every item exactly once, only the keys the page shows), ``204`` with an empty body.
Varies where the pages allow it: ``isInherited`` left out on some explicit items,
``dueDate`` on some items and ``dueDateTime`` on others, items in a stable order that is
not sorted by id, XML on ``.xml``, error bodies that are JSON, empty, text or HTML.
"""

from __future__ import annotations

import base64
import hmac
import json
import re
import secrets
import socket
import threading
import time
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, quote, quote_plus, unquote, unquote_plus
from xml.etree import ElementTree as ET

import uvicorn
from cryptography.hazmat.primitives.ciphers import algorithms
from cryptography.hazmat.primitives.cmac import CMAC
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

APP_ID = "ref-app-77"
APP_NAME = "RefApp"
MONIKER = "ref-moniker"
SECRET = "k3y-0f-exactly-32-bytes-for-aes!"
CLIENT_STRING = "refcs"
COURSE_ID = 5550001
CALL_NUMBER = "REF-200"
OTHER_COURSE = 5550002
STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
ASSERTION_TYPE = "urn:ecollege:names:moauth:1.0:assertion"
ACCESS_KEYS = {
    "startDateTime",
    "endDateTime",
    "canAccessBeforeStartDateTime",
    "canAccessAfterEndDateTime",
}


@dataclass(frozen=True)
class User:
    user_id: int
    name: str
    password: str
    role: str  # PROF / TAST / STUD
    courses: tuple[int, ...]


USERS = {
    "prof": User(4100, "prof", "Pr0f-pass!", "PROF", (COURSE_ID,)),
    "student": User(4200, "student", "Stud-pass!", "STUD", (COURSE_ID, OTHER_COURSE)),
}


@dataclass
class Item:
    item_id: int
    title: str
    parent: int | None
    start: str | None  # own dates; None = inherited from the parent
    end: str | None
    before: bool
    after: bool
    due: str | None = None
    due_key: str = "dueDate"  # or "dueDateTime", or "both" (the pages use both names)
    say_not_inherited: bool = True  # False: leave isInherited out (the page allows it)


def seed_items() -> list[Item]:
    """A small course in a stable order that is NOT sorted by id."""
    return [
        Item(200987654321, "Course Home", None, None, None, False, True),
        Item(7003, "Unit 1: Basics", None, "2026-01-12T07:00:00Z", "2026-02-01T06:59:59Z",
             False, True),
        Item(7001, "Week 1 Reading", 7003, None, None, True, True),
        Item(7010, "Assignment 1", 7003, "2026-01-19T07:00:00Z", "2026-01-26T06:59:00Z",
             True, False, due="2026-01-26T06:59:00Z", due_key="dueDate",
             say_not_inherited=False),
        Item(7002, "Unit 2: Q&A <live>", None, "2026-02-02T07:00:00Z", "2026-03-01T06:59:59Z",
             True, True, say_not_inherited=False),
        Item(100123456789, "Quiz 2", 7002, "2026-02-09T07:00:00Z", "2026-02-16T06:59:00Z",
             False, False, due="2026-02-16T06:59:00Z", due_key="dueDateTime"),
        Item(7005, "Discussion & Q/A", 7002, None, None, True, True),
        Item(7030, "Final Exam", None, "2026-04-20T07:00:00Z", "2026-04-27T06:59:00Z",
             False, False, due="2026-04-27T06:59:00Z", due_key="both"),
    ]  # fmt: skip


FEED = [
    # (user id, course id, type, posted, verb, summary, target title, target type, ref)
    (4200, COURSE_ID, "dropbox-submission", "2026-02-24T21:16:17Z", "submit",
     "Here is my submission.", "Assignment 1", "dropbox-basket", 895),
    (4200, COURSE_ID, "thread-post", "2026-02-20T10:00:00Z", "post",
     "Re: week 1 & more", "Discussion & Q/A", "thread-topic", 901),
    (4200, OTHER_COURSE, "remark", "2026-02-18T09:30:00Z", "remark",
     "Nice work", "Other course", "course", 902),
    (4100, COURSE_ID, "grade", "2026-02-25T12:00:00Z", "grade",
     "A-", "Assignment 1", "gradable-item", 903),
]  # fmt: skip


class HttpError(Exception):
    def __init__(self, status: int, message: str = "", kind: str = "json") -> None:
        super().__init__(message)
        self.status, self.message, self.kind = status, message, kind

    def response(self) -> Response:
        """Error bodies vary, as LEARNINGSTUDIO.md warns (JSON, empty, text, HTML)."""
        if self.kind == "json":
            body = {"error": {"message": self.message, "errorId": f"REF-{self.status}"}}
            return Response(json.dumps(body), self.status, media_type="application/json")
        if self.kind == "xml":
            body = {"error": {"message": self.message, "errorId": f"REF-{self.status}"}}
            data = ET.tostring(to_xml("error", body["error"]), encoding="utf-8")
            return Response(data, self.status, media_type="application/xml")
        if self.kind == "text":
            return Response(f"Bad Request: {self.message}", self.status, media_type="text/plain")
        if self.kind == "html":
            html = f"<html><body><h1>{self.status}</h1></body></html>"
            return Response(html, self.status, media_type="text/html")
        return Response(b"", self.status)


def cmac(message: str) -> bytes:
    mac = CMAC(algorithms.AES(SECRET.encode()))
    mac.update(message.encode())
    return mac.finalize()


@dataclass
class Logged:
    method: str
    path: str  # decoded
    raw_path: str  # as sent
    query: str
    headers: dict[str, str]
    body: bytes
    status: int = 0


@dataclass
class RefState:
    items: list[Item] = field(default_factory=seed_items)
    course_start: str = "2026-01-05T07:00:00Z"
    course_end: str = "2026-05-01T06:59:59Z"
    token_ttl: int = 3600
    tokens: dict[str, tuple[str, float]] = field(default_factory=dict)  # token -> user, until
    refresh_tokens: dict[str, str] = field(default_factory=dict)
    clocks: set[tuple[int, int, int]] = field(default_factory=set)  # (user, course, item)
    xml_double_escape: bool = True
    log: list[Logged] = field(default_factory=list)
    puts: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def expire_tokens(self) -> None:
        with self.lock:
            self.tokens = {t: (u, 0.0) for t, (u, _) in self.tokens.items()}

    def effective(self, item: Item) -> tuple[str, str]:
        by_id = {i.item_id: i for i in self.items}
        start, end, node = item.start, item.end, item
        while (start is None or end is None) and node.parent is not None:
            node = by_id[node.parent]
            start = start if start is not None else node.start
            end = end if end is not None else node.end
        return start or self.course_start, end or self.course_end


# --------------------------------------------------------------------------- auth


def _token_error(status: int, message: str) -> Response:
    return HttpError(status, message).response()


def _grant(state: RefState, user: str, with_refresh: bool) -> Response:
    access = secrets.token_urlsafe(24)
    with state.lock:
        state.tokens[access] = (user, time.time() + state.token_ttl)
    body: dict[str, Any] = {"access_token": access, "expires_in": state.token_ttl}
    if with_refresh:
        refresh = secrets.token_urlsafe(24)
        state.refresh_tokens[refresh] = user
        body["refresh_token"] = refresh
    return Response(json.dumps(body), 200, media_type="application/json")


async def token_endpoint(state: RefState, request: Request) -> Response:
    if request.headers.get("content-type", "").split(";")[0].strip() != (
        "application/x-www-form-urlencoded"
    ):
        return _token_error(400, "Content-Type must be application/x-www-form-urlencoded")
    form = dict(parse_qsl((await request.body()).decode(), keep_blank_values=True))
    grant = form.get("grant_type")
    if grant == "password":
        if form.get("client_id") != APP_ID:
            return _token_error(400, "unknown client_id")
        client_string, sep, name = form.get("username", "").partition("\\")
        user = USERS.get(name)
        if not sep or client_string != CLIENT_STRING or user is None:
            return _token_error(401, "invalid username")
        if form.get("password") != user.password:
            return _token_error(401, "invalid password")
        return _grant(state, name, with_refresh=True)
    if grant == "refresh_token":
        name_or_none = state.refresh_tokens.pop(form.get("refresh_token", ""), None)
        if form.get("client_id") != APP_ID or name_or_none is None:
            return _token_error(401, "invalid refresh token")
        return _grant(state, name_or_none, with_refresh=True)
    if grant == "assertion":
        if form.get("assertion_type") != ASSERTION_TYPE:
            return _token_error(400, "bad assertion_type")
        parts = form.get("assertion", "").split("|")
        if len(parts) != 7:
            return _token_error(401, "malformed assertion")
        name_, moniker, app_id, client_string, user_name, stamp, signature = parts
        unsigned = form["assertion"].rsplit("|", 1)[0]
        if not hmac.compare_digest(signature, cmac(unsigned).hex()):
            return _token_error(401, "bad assertion signature")
        if (name_, moniker, app_id, client_string) != (APP_NAME, MONIKER, APP_ID, CLIENT_STRING):
            return _token_error(401, "unknown application")
        if (
            not STAMP.match(stamp)
            or abs(
                datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC).timestamp()
                - time.time()
            )
            > 300
        ):
            return _token_error(401, "assertion timestamp out of range")
        if user_name not in USERS:
            return _token_error(401, "unknown user")
        return _grant(state, user_name, with_refresh=False)  # no refresh token for assertions
    return _token_error(400, "unsupported grant_type")


_OAUTH2 = re.compile(r"^Access_Token access_token=([A-Za-z0-9_\-]+)$")
_OAUTH1_FIELD = re.compile(r'\s*([A-Za-z_]+)="([^"]*)"\s*')


def _oauth1_ok(request: Request, header: str, body: bytes) -> bool:
    """Verify an OAuth 1 CMAC-AES header as LEARNINGSTUDIO.md describes it.

    Header values (all but realm) decoded form style; the path as sent; the query
    decoded; for POST and PUT a ``body`` parameter (an empty body too) that is base64 of
    the body, url-encoded twice; the parameter string sorted by name case-insensitively
    and url-encoded once more. The two CRLF readings the page names are both accepted.
    """
    fields: dict[str, str] = {}
    for chunk in header[len("OAuth ") :].split(","):
        match = _OAUTH1_FIELD.fullmatch(chunk)
        if not match:
            return False
        name, value = match.groups()
        fields[name] = value if name == "realm" else unquote_plus(value)
    wanted = {"realm", "oauth_consumer_key", "application_id", "oauth_signature_method",
              "oauth_timestamp", "oauth_nonce", "oauth_signature"}  # fmt: skip
    if set(fields) != wanted or fields["oauth_signature_method"] != "CMAC-AES":
        return False
    if fields["oauth_consumer_key"] != MONIKER or fields["application_id"] != APP_ID:
        return False
    if (
        not fields["oauth_timestamp"].isdigit()
        or abs(int(fields["oauth_timestamp"]) - time.time()) > 300
    ):
        return False
    params = {k: v for k, v in fields.items() if k not in ("realm", "oauth_signature")}
    raw_path = request.scope.get("raw_path", b"").decode("latin-1") or request.url.path
    params.update(parse_qsl(request.scope.get("query_string", b"").decode("latin-1")))
    bodies: list[bytes | None] = [None]
    if request.method in ("POST", "PUT"):
        bodies = [body.replace(b"\r\n", b""), body]  # CRLF pairs out of the body, or not
    for signed_body in bodies:
        if signed_body is not None:
            params["body"] = quote_plus(quote_plus(base64.b64encode(signed_body).decode()))
        joined = "&".join(f"{k}={params[k]}" for k in sorted(params, key=str.lower))
        base = f"{request.method}&{quote_plus(raw_path)}&{quote_plus(joined)}"
        expected = base64.b64encode(cmac(base)).decode()
        if hmac.compare_digest(expected, fields["oauth_signature"]):
            return True
    return False


def authenticate(state: RefState, request: Request, body: bytes) -> str | None:
    """The user name (OAuth 2) or None (OAuth 1, application-level); 401 otherwise."""
    header = request.headers.get("x-authorization")
    if header is None:  # "not Authorization: Bearer": that header is never looked at
        raise HttpError(401, "missing X-Authorization")
    match = _OAUTH2.match(header)
    if match:
        with state.lock:
            user, until = state.tokens.get(match.group(1), ("", 0.0))
        if not user or time.time() >= until:
            raise HttpError(401, kind="empty")  # an error body may be empty
        return user
    if header.startswith("OAuth ") and _oauth1_ok(request, header, body):
        return None
    raise HttpError(401, "bad X-Authorization header")


# --------------------------------------------------------------------------- formats


def to_xml(tag: str, value: Any, parent: ET.Element | None = None) -> ET.Element:
    """JSON shape -> XML the LearningStudio way (arrays repeat the singular element)."""
    element = ET.Element(tag) if parent is None else ET.SubElement(parent, tag)
    if isinstance(value, dict):
        for key, child in value.items():
            to_xml(key, child, element)
    elif isinstance(value, list):
        single = tag[:-3] + "y" if tag.endswith("ies") else tag[:-1]
        for child in value:
            to_xml(single, child, element)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    else:
        element.text = str(value)
    return element


def render(document: dict[str, Any], fmt: str, status: int = 200) -> Response:
    if fmt == "xml":
        ((root, value),) = document.items()
        element = to_xml(root, value)
        ET.indent(element)  # pretty-printed: whitespace between elements
        data = ET.tostring(element, encoding="utf-8", xml_declaration=True)
        return Response(data, status, media_type="application/xml")
    return Response(json.dumps(document), status, media_type="application/json")


def read_body(body: bytes, fmt: str) -> Any:
    """The request body as JSON shapes; 406 when it is not in the route's format."""
    try:
        if fmt == "xml":
            root = ET.fromstring(body)
            return {root.tag: root}
        return json.loads(body)
    except (ValueError, ET.ParseError):
        raise HttpError(406, "", kind="empty") from None


# --------------------------------------------------------------------------- schedules


def item_document(state: RefState, item: Item, base_url: str) -> dict[str, Any]:
    start, end = state.effective(item)
    if item.item_id == 7003:  # ISO-8601 allows fractional seconds: one item uses them
        start, end = start.replace("Z", ".000Z"), end.replace("Z", ".000Z")
    inherited = item.start is None and item.end is None
    access: dict[str, Any] = {"startDateTime": start, "endDateTime": end}
    if inherited or item.say_not_inherited:
        access["isInherited"] = inherited
    access["canAccessBeforeStartDateTime"] = item.before
    access["canAccessAfterEndDateTime"] = item.after
    schedule: dict[str, Any] = {}
    if item.due is not None:
        for key in ("dueDate", "dueDateTime"):
            if item.due_key in (key, "both"):
                schedule[key] = item.due
    schedule["accessSchedule"] = access
    return {
        "itemId": item.item_id,
        "itemTitle": item.title,
        "schedule": schedule,
        "links": [{"href": f"{base_url}/courses/{COURSE_ID}/items/{item.item_id}", "rel": "self"}],
    }


def _stamp(value: Any, where: str) -> str:
    if not isinstance(value, str) or not STAMP.match(value):
        raise HttpError(400, f"{where}: not YYYY-MM-DDTHH:MM:SSZ", kind="text")
    return value


def _flag(value: Any, where: str, xml: bool) -> bool:
    if xml and value in ("true", "false"):
        return bool(value == "true")
    if not xml and isinstance(value, bool):
        return value
    raise HttpError(400, f"{where}: not a boolean", kind="text")


def _xml_entries(root: ET.Element) -> list[dict[str, Any]]:
    """``<itemSchedules><itemSchedule>...`` as JSON shapes (strings for leaves)."""

    def obj(element: ET.Element) -> Any:
        children = list(element)
        if not children:
            return element.text or ""
        out: dict[str, Any] = {}
        for child in children:
            if child.tag in out:
                raise HttpError(400, f"<{child.tag}> repeats", kind="text")
            out[child.tag] = obj(child)
        return out

    if any(child.tag != "itemSchedule" for child in root):
        raise HttpError(400, "itemSchedules holds only itemSchedule elements", kind="text")
    return [obj(child) for child in root]


def apply_put(state: RefState, document: Any, xml: bool) -> None:
    """Validate the whole body first; store only if all of it is right (atomic)."""
    if not isinstance(document, dict) or set(document) != {"itemSchedules"}:
        raise HttpError(400, "the body must be {itemSchedules: [...]}", kind="text")
    entries = document["itemSchedules"]
    if xml:
        entries = _xml_entries(entries)
    if not isinstance(entries, list):
        raise HttpError(400, "itemSchedules must be an array", kind="text")
    by_id = {item.item_id: item for item in state.items}
    updates: dict[int, Item] = {}
    for n, entry in enumerate(entries):
        where = f"itemSchedules[{n}]"
        if not isinstance(entry, dict) or set(entry) != {"itemId", "schedule"}:
            raise HttpError(400, f"{where}: exactly itemId and schedule", kind="text")
        raw_id = entry["itemId"]
        if xml and isinstance(raw_id, str) and raw_id.isdigit():
            raw_id = int(raw_id)
        if not isinstance(raw_id, int) or isinstance(raw_id, bool) or raw_id not in by_id:
            raise HttpError(400, f"{where}: unknown itemId {raw_id!r}", kind="text")
        if raw_id in updates:
            raise HttpError(400, f"{where}: itemId {raw_id} sent twice", kind="text")
        schedule = entry["schedule"]
        if not isinstance(schedule, dict) or "accessSchedule" not in schedule:
            raise HttpError(400, f"{where}: schedule.accessSchedule missing", kind="text")
        extra = set(schedule) - {"accessSchedule", "dueDate", "dueDateTime"}
        if extra:
            raise HttpError(400, f"{where}: unexpected schedule keys {sorted(extra)}", kind="text")
        if {"dueDate", "dueDateTime"} <= set(schedule) and (
            schedule["dueDate"] != schedule["dueDateTime"]
        ):
            raise HttpError(400, f"{where}: dueDate and dueDateTime differ", kind="text")
        access = schedule["accessSchedule"]
        if not isinstance(access, dict) or not set(access) <= ACCESS_KEYS:
            raise HttpError(400, f"{where}: accessSchedule keys must be {ACCESS_KEYS}", kind="text")
        flags = ("canAccessBeforeStartDateTime", "canAccessAfterEndDateTime")
        if any(name not in access for name in flags):
            raise HttpError(400, f"{where}: both access flags are required", kind="text")
        start = _stamp(access["startDateTime"], where) if "startDateTime" in access else None
        end = _stamp(access["endDateTime"], where) if "endDateTime" in access else None
        if start and end and end <= start:
            raise HttpError(400, f"{where}: endDateTime must be after startDateTime", kind="text")
        old = by_id[raw_id]
        due, due_key = old.due, old.due_key
        for key in ("dueDate", "dueDateTime"):  # absent: unchanged; null or empty: clear
            if key in schedule:
                cleared = schedule[key] is None or (xml and schedule[key] == "")
                due = None if cleared else _stamp(schedule[key], where)
                due_key = key if due_key != "both" else due_key
        updates[raw_id] = replace(
            old,
            start=start,
            end=end,
            before=_flag(access[flags[0]], where, xml),
            after=_flag(access[flags[1]], where, xml),
            due=due,
            due_key=due_key,
        )
    if len(updates) != len(by_id):
        missing = sorted(set(by_id) - set(updates))
        raise HttpError(400, f"every item must be sent; missing {missing}", kind="text")
    state.items = [updates[item.item_id] for item in state.items]
    state.puts += 1


def resolve_course(segment: str, method: str) -> int:
    if segment.isdigit():
        if int(segment) != COURSE_ID:
            raise HttpError(404, kind="empty")
        return COURSE_ID
    if segment.lower().startswith("ccn="):
        if method != "GET":
            raise HttpError(400, "overloads cannot be used with PUT", kind="text")
        if unquote(segment[4:]) != CALL_NUMBER:
            raise HttpError(404, kind="empty")
        return COURSE_ID
    raise HttpError(404, kind="empty")


# --------------------------------------------------------------------------- activity


def user_from_segment(segment: str | None, caller: str | None, *, loginid: bool) -> User:
    """``/me`` (OAuth 2 only), a numeric id, or ``loginid=CS|USER`` where allowed."""
    if segment is None:
        if caller is None:
            raise HttpError(400, "/me works with OAuth 2 only")
        return USERS[caller]
    segment = unquote(segment)
    if segment.isdigit():
        found = next((u for u in USERS.values() if u.user_id == int(segment)), None)
    elif loginid and segment.lower().startswith("loginid="):
        client_string, _, name = segment[8:].partition("|")
        found = USERS.get(name) if client_string == CLIENT_STRING else None
    else:
        raise HttpError(400, "unsupported user overload", kind="text")
    if found is None:
        raise HttpError(404, kind="empty")
    return found


def feed_entry(row: tuple[Any, ...], base: str) -> dict[str, Any]:
    user_id, course, kind, posted, verb, summary, title, target_type, ref = row
    user = next(u for u in USERS.values() if u.user_id == user_id)
    return {
        "id": f"{base}/courses/{course}/things/{ref}",
        "postedTime": posted,
        "actor": {
            "role": user.role,
            "referenceId": user.user_id,
            "id": f"{base}/users/{user.user_id}",
            "title": user.name.title(),
            "objectType": "enrolled-user",
        },
        "verb": verb,
        "object": {
            "courseId": course,
            "attachments": [],
            "referenceId": ref,
            "id": f"{base}/courses/{course}/things/{ref}",
            "summary": summary,
            "objectType": kind,
        },
        "target": {
            "courseId": course,
            "referenceId": ref + 1000,
            "id": f"{base}/courses/{course}/targets/{ref + 1000}",
            "title": title,
            "objectType": target_type,
        },
    }


def activity_feed(caller: str | None, subject: User, query: dict[str, str], base: str) -> Any:
    if query.get("v") != "2":
        return {"lastActivities": [{"note": "version 1 feed"}]}  # the old, different feed
    courses = {int(c) for c in query["courseid"].split(",")} if "courseid" in query else None
    if caller is not None and USERS[caller] != subject:
        shared = set(USERS[caller].courses)
        asked = courses if courses is not None else set(subject.courses)
        if not asked <= shared:
            raise HttpError(403, "", kind="html")
    types = set(query["types"].split(",")) if "types" in query else None
    rows = [
        row
        for row in FEED
        if row[0] == subject.user_id
        and (courses is None or row[1] in courses)
        and (types is None or row[2] in types)
        and ("after" not in query or row[3] > query["after"])
        and ("before" not in query or row[3] < query["before"])
    ]
    return {
        "activityStream": {
            "title": f"Activity Feed for {subject.user_id}",
            "items": [feed_entry(row, base) for row in rows],
            "lang": "en-us",
            "id": f"{base}/users/{subject.user_id}/lastactivityfeed",
            "subject": {
                "referenceId": subject.user_id,
                "id": f"{base}/users/{subject.user_id}",
                "title": str(subject.user_id),
                "objectType": "http://activitystrea.ms/schema/1.0/person",
            },
        }
    }


def entry_options(document: Any, xml: bool) -> dict[str, str]:
    """``{"courseEntry": {...}}`` (the example) or ``{"webEntry": {...}}`` (the table)."""
    if not isinstance(document, dict) or len(document) != 1:
        raise HttpError(400, "expected courseEntry or webEntry", kind="text")
    ((root, value),) = document.items()
    if root not in ("courseEntry", "webEntry"):
        raise HttpError(400, f"unexpected {root}", kind="text")
    if xml:
        value = {child.tag: child.text or "" for child in value}
    if not isinstance(value, dict) or not set(value) <= {"sessionId", "exitUrl", "logoutUrl"}:
        raise HttpError(400, "unexpected course entry fields", kind="text")
    return {k: str(v) for k, v in value.items()}


# --------------------------------------------------------------------------- routing

_FMT = r"(?:\.(?P<fmt>json|xml))?"
_USER = r"(?:/users/(?P<user>[^/]+)|/(?P<me>me))"
ROUTES = {
    "token": re.compile(r"^/token$", re.I),
    "schedules": re.compile(rf"^/courses/(?P<course>[^/]+)/itemschedules{_FMT}$", re.I),
    "entry": re.compile(rf"^{_USER}/courses/(?P<course>[^/]+)/courseentry{_FMT}$", re.I),
    "feed": re.compile(rf"^{_USER}/lastactivityfeed{_FMT}$", re.I),
    "endping": re.compile(
        rf"^{_USER}/courses/(?P<course>[^/]+)/items/(?P<item>[^/]+)/activity/endping{_FMT}$",
        re.I,
    ),
}


def make_app(state: RefState) -> Starlette:
    async def dispatch(request: Request) -> Response:
        body = await request.body()
        raw_path = request.scope.get("raw_path", b"").decode("latin-1") or request.url.path
        logged = Logged(
            request.method,
            unquote(raw_path),
            raw_path,
            request.url.query,
            {k.lower(): v for k, v in request.headers.items()},
            body,
        )
        state.log.append(logged)
        try:
            response = await handle(state, request, logged.path, body)
        except HttpError as exc:
            if logged.path.lower().endswith(".xml") and exc.kind in ("json", "text"):
                exc.kind = "xml"  # an XML request gets its error in XML
            response = exc.response()
        logged.status = response.status_code
        return response

    return Starlette(
        routes=[Route("/{path:path}", dispatch, methods=["GET", "POST", "PUT", "DELETE"])]
    )


async def handle(state: RefState, request: Request, path: str, body: bytes) -> Response:
    method = request.method
    base = f"{request.url.scheme}://{request.url.netloc}"
    found = next(((name, m) for name, rx in ROUTES.items() if (m := rx.match(path))), None)
    if found is None:
        raise HttpError(404, kind="empty")  # no /me, /courses/{id}, itemHierarchy, items
    name, match = found
    if name == "token":
        if method != "POST":
            raise HttpError(405, kind="empty")
        return await token_endpoint(state, request)
    fmt = (match.group("fmt") or "json").lower()
    caller = authenticate(state, request, body)
    query = dict(parse_qsl(request.url.query, keep_blank_values=True))
    if name == "schedules":
        if query:
            raise HttpError(400, "no query string parameters are supported", kind="text")
        course = resolve_course(match.group("course"), method)
        if caller is not None and USERS[caller].role == "STUD":
            raise HttpError(403, "", kind="html")
        if method == "GET":
            return render({"itemSchedules": [item_document(state, i, base) for i in state.items]},
                          fmt)  # fmt: skip
        if method == "PUT":
            assert course == COURSE_ID
            with state.lock:
                apply_put(state, read_body(body, fmt), fmt == "xml")
            return Response(b"", 204)
        raise HttpError(405, kind="empty")
    user_segment = match.group("user")
    if name == "feed":
        if method != "GET":
            raise HttpError(405, kind="empty")
        subject = user_from_segment(user_segment, caller, loginid=True)
        return render(activity_feed(caller, subject, query, base), fmt)
    if method != "POST":
        raise HttpError(405, kind="empty")
    if not match.group("course").isdigit():
        raise HttpError(400, "this API does not support overloads", kind="text")
    course_id = int(match.group("course"))
    if name == "entry":
        user = user_from_segment(user_segment, caller, loginid=True)
        options = entry_options(read_body(body, fmt), fmt == "xml") if body else {}
        if course_id not in user.courses:
            raise HttpError(403, "", kind="html")
        url = (
            "https://entry.example.invalid/TranslateToken?token=t0k"
            f"&redirectUrl=home&createNewCookie=true"
            f"&returnUrl={quote(options.get('exitUrl', ''), safe='')}"
            f"&logoutUrl={quote(options.get('logoutUrl', ''), safe='')}&S=3506604d"
        )
        if fmt == "xml" and state.xml_double_escape:
            url = url.replace("&", "&amp;")  # what the page warns XML clients will see
        return render({"courseEntry": {"entryUrl": url}}, fmt)
    # endping
    if query:
        raise HttpError(400, "no query string parameters are supported", kind="text")
    user = user_from_segment(user_segment, caller, loginid=False)
    key = (user.user_id, course_id, int(match.group("item")))
    with state.lock:
        if key not in state.clocks:
            raise HttpError(400, "there is no active clock timer", kind="json")
        state.clocks.discard(key)
    return Response(b"", 204)


# --------------------------------------------------------------------------- running


class RefServer:
    """The reference server on a free loopback port, in a thread."""

    def __init__(self) -> None:
        self.state = RefState()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        config = uvicorn.Config(
            make_app(self.state), log_level="warning", lifespan="off", ws="none"
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, daemon=True
        )
        self._sock = sock

    def start(self) -> RefServer:
        self._thread.start()
        while not self._server.started:
            if not self._thread.is_alive():
                raise RuntimeError("reference server did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(10)
        self._sock.close()

    def requests(self, name_contains: str = "") -> list[Logged]:
        return [r for r in self.state.log if name_contains.lower() in r.path.lower()]
