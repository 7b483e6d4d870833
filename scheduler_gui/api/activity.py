"""Course entry, the Last Activity Feed (v2) and the time-on-task clock pings.

All calls go through :class:`~scheduler_gui.api.client.LearningStudioClient`, so its
authentication, error mapping and request log apply. POSTs are never retried (the
client's rule): a course-entry URL or a ping is cheap to ask for again.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from ..core.codec import numeric_id
from ..core.times import TimestampError, format_timestamp, parse_timestamp
from .errors import (
    ForbiddenError,
    LearningStudioError,
    NotFoundError,
    RejectedInputError,
    ServerError,
)
from .urls import check_entry_url

if TYPE_CHECKING:  # only its calls are used here; httpx loads with the login
    from .client import LearningStudioClient

log = logging.getLogger(__name__)

#: The activity types the feed's ``types`` filter accepts (per the API page).
ACTIVITY_TYPES = (
    "thread-post",
    "thread-topic",
    "grade",
    "dropbox-submission",
    "exam-submission",
    "remark",
)
ROLE_NAMES = {"PROF": "Professor", "TAST": "Teaching Assistant", "STUD": "Student"}
_LOGINID = re.compile(r"^loginid=[^|/]+\|[^|/]+$", re.IGNORECASE)
_TRAILING_ID = re.compile(r"/(\d+)/?$")


# ---------------------------------------------------------------------- arguments


def _user_segments(user: str | int, *, allow_loginid: bool) -> tuple[str, ...]:
    """``("me",)`` or ``("users", id)``; anything else is a clear input error."""
    text = str(user).strip()
    if text.lower() == "me":
        return ("me",)
    if text.isdigit() or (allow_loginid and _LOGINID.match(text)):
        return ("users", text)
    allowed = "'me' (yourself) or a numeric user id"
    if allow_loginid:
        allowed += " (or loginid=CLIENT|USER)"
    raise RejectedInputError(f"{text[:40]!r} is not a user here. Give {allowed}.")


def _numeric(value: str | int, what: str, why: str = "") -> str:
    text = str(value).strip()
    if not text.isdigit():
        raise RejectedInputError(f"{text[:40]!r} is not a numeric {what}.{why}")
    return text


def _timestamp(value: datetime | str | None, name: str) -> str | None:
    if value is None:
        return None
    try:
        moment = parse_timestamp(value) if isinstance(value, str) else value
        return format_timestamp(moment)
    except TimestampError as exc:
        raise RejectedInputError(
            f"--{name}: {exc}. Give an ISO-8601 time such as 2013-02-01T00:00:00Z."
        ) from None


def validate_types(types: Iterable[str]) -> tuple[str, ...]:
    """The activity types, lower-cased and checked against the six the API knows."""
    cleaned = tuple(t.strip().lower() for t in types if t.strip())
    unknown = [t for t in cleaned if t not in ACTIVITY_TYPES]
    if unknown:
        raise RejectedInputError(
            f"Unknown activity type {', '.join(unknown)}. "
            f"Use one or more of: {', '.join(ACTIVITY_TYPES)}."
        )
    return cleaned


# ---------------------------------------------------------------------- course entry


def course_entry(
    client: LearningStudioClient,
    course_id: str | int,
    *,
    user: str | int = "me",
    exit_url: str | None = None,
    logout_url: str | None = None,
) -> str:
    """A single sign-on URL into the course home, valid for about five minutes.

    Raises :class:`ServerError` if the server's URL is not ``https://`` (or ``http://``
    to this computer): see :func:`~.urls.check_entry_url`.

    Never cache it: ask again each time the user opens the course. In XML the URL's
    ``&`` may arrive as ``&amp;`` even after parsing (the page warns of it); it is
    decoded here, so the result is always ready for a browser.
    """
    course = _numeric(course_id, "course id", " Course entry needs the numeric course id.")
    entry: dict[str, str] = {}
    if exit_url:
        entry["exitUrl"] = exit_url
    if logout_url:
        entry["logoutUrl"] = logout_url
    document = client.post_document(
        *_user_segments(user, allow_loginid=True),
        "courses",
        course,
        "courseEntry",
        document={"courseEntry": entry},
    )
    found = document.get("courseEntry") if isinstance(document, Mapping) else None
    url = found.get("entryUrl") if isinstance(found, Mapping) else None
    if not isinstance(url, str) or not url.strip():
        raise ServerError(
            "LearningStudio did not return a course entry URL. Try again in a moment.",
            method="POST",
            url=client.url(*_user_segments(user, allow_loginid=True), "courses", course),
        )
    # The URL goes to the browser or the desktop's opener, which also runs file:, smb:
    # and app schemes: only https (and http to this computer, the sandbox) is opened.
    return check_entry_url(decode_entry_url(url))


def decode_entry_url(url: str) -> str:
    """The entry URL with XML-escaped ampersands (``&amp;``, even doubly) made literal."""
    url = url.strip()
    while "&amp;" in url:
        url = url.replace("&amp;", "&")
    return url


# ---------------------------------------------------------------------- activity feed


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else "" if value is None else str(value)


def _obj(record: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = record.get(key)
    return value if isinstance(value, Mapping) else {}


def _ref(obj: Mapping[str, Any]) -> int | None:
    """An object's id: ``referenceId``, else the number at the end of its ``id`` link."""
    ref = numeric_id(obj.get("referenceId"))
    if ref is None and isinstance(obj.get("id"), str):
        match = _TRAILING_ID.search(obj["id"])
        ref = int(match.group(1)) if match else None
    return ref


@dataclass(frozen=True)
class ActivityEntry:
    """One entry of the Last Activity Feed: who did what, when, where.

    Fields the server left out are empty strings or None; ``raw`` keeps the entry as sent.
    """

    posted: datetime | None
    actor_name: str
    actor_role: str
    actor_id: int | None
    verb: str
    object_type: str
    summary: str
    object_id: int | None
    target_title: str
    target_type: str
    target_id: int | None
    course_id: str
    #: The content item the target is (exams name it as ``courseitemId``), if known.
    target_item_id: int | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def role_name(self) -> str:
        return ROLE_NAMES.get(self.actor_role.upper(), self.actor_role)

    @property
    def what(self) -> str:
        """Verb and object type for people: ``submit dropbox-submission``, ``grade``."""
        if self.object_type in ("", self.verb):
            return self.verb
        return f"{self.verb} {self.object_type}".strip()

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> ActivityEntry:
        actor, obj, target = (_obj(record, k) for k in ("actor", "object", "target"))
        try:
            posted = parse_timestamp(_text(record.get("postedTime")))
        except TimestampError:
            posted = None
        course = numeric_id(obj.get("courseId"))
        if course is None:
            course = numeric_id(target.get("courseId"))
        item_key = next((k for k in target if k.lower() == "courseitemid"), None)
        return cls(
            posted=posted,
            actor_name=_text(actor.get("title")),
            actor_role=_text(actor.get("role")),
            actor_id=_ref(actor),
            verb=_text(record.get("verb")),
            object_type=_text(obj.get("objectType")),
            summary=_text(obj.get("summary")),
            object_id=_ref(obj),
            target_title=_text(target.get("title")),
            target_type=_text(target.get("objectType")),
            target_id=_ref(target),
            course_id="" if course is None else str(course),
            target_item_id=numeric_id(target.get(item_key)) if item_key else None,
            raw=dict(record),
        )

    def to_json(self) -> dict[str, Any]:
        """A flat, JSON-ready form (``schedctl activity --json``)."""
        return {
            "postedTime": None if self.posted is None else format_timestamp(self.posted),
            "actor": {"name": self.actor_name, "role": self.actor_role, "id": self.actor_id},
            "verb": self.verb,
            "object": {
                "type": self.object_type,
                "summary": self.summary,
                "referenceId": self.object_id,
            },
            "target": {
                "title": self.target_title,
                "type": self.target_type,
                "referenceId": self.target_id,
                "courseItemId": self.target_item_id,
            },
            "courseId": self.course_id,
        }


def activity_feed(
    client: LearningStudioClient,
    *,
    user: str | int = "me",
    course_ids: Iterable[str | int] = (),
    types: Iterable[str] = (),
    after: datetime | str | None = None,
    before: datetime | str | None = None,
) -> list[ActivityEntry]:
    """The user's Last Activity Feed (always ``v=2``), newest first as the server sends it.

    A professor may read a student's feed only for shared courses: when the student
    has a course the professor does not teach, pass ``course_ids`` (a 403 otherwise).
    """
    courses = [
        _numeric(c, "course id", " The activity feed takes numeric course ids, not call numbers.")
        for c in course_ids
    ]
    params = {"v": "2"}
    if courses:
        params["courseid"] = ",".join(courses)
    checked_types = validate_types(types)
    if checked_types:
        params["types"] = ",".join(checked_types)
    for name, value in (("after", after), ("before", before)):
        stamp = _timestamp(value, name)
        if stamp is not None:
            params[name] = stamp
    url = client.url(*_user_segments(user, allow_loginid=True), "lastactivityfeed")
    response = client.request("GET", f"{url}?{urlencode(params, safe=',:')}")
    document = _decode(response.content, client.fmt, url)
    stream = _obj(document, "activityStream") if isinstance(document, Mapping) else {}
    items = stream.get("items")
    if isinstance(items, Mapping):  # an XML feed with one entry of another element name
        items = [items]
    records = [r for r in items if isinstance(r, Mapping)] if isinstance(items, list) else []
    return [ActivityEntry.from_record(r) for r in records]


def check_feed_courses(client: LearningStudioClient, course_ids: Iterable[str | int]) -> None:
    """Raise an error naming the first of ``course_ids`` that does not exist or that the
    user may not see.

    The feed filters by ``courseid`` silently: a mistyped or foreign course gives an
    empty feed, the same answer as a quiet course. Call this for the asked-for courses
    the feed had nothing from (none, usually), so the user learns which id is wrong.

    Raises:
        NotFoundError: no such course (``/courses/{id}`` 404 and not among ``/me/courses``).
        ForbiddenError: the user is not in the course (403).
    """
    for course in course_ids:
        course_id = _numeric(course, "course id")
        try:
            client.get_course(course_id)
        except ForbiddenError as exc:
            raise ForbiddenError(
                f"You are not in course {course_id}, so LearningStudio shows you none of its "
                "activity. Check the course id, or log in as a member of that course.",
                exc.status, exc.error_id, exc.method, exc.url, server_message=exc.server_message,
            ) from exc  # fmt: skip
        except NotFoundError as exc:
            if _among_my_courses(client, course_id) is not False:
                continue  # a server without /courses/{id}: the course may well exist
            raise NotFoundError(
                f"LearningStudio has no such course: {course_id}. Check the course id "
                "(numeric; without --course the feed covers all your courses).",
                exc.status, exc.error_id, exc.method, exc.url, server_message=exc.server_message,
            ) from exc  # fmt: skip


def _among_my_courses(client: LearningStudioClient, course_id: str) -> bool | None:
    """Whether ``/me/courses`` lists the course; None when that cannot be told."""
    try:
        courses = client.my_courses()
    except LearningStudioError:
        return None
    return any(str(numeric_id(record.get("id"))) == course_id for record in courses)


def _decode(body: bytes, fmt: str, url: str) -> Any:
    if not body.strip():
        return {}
    try:
        if fmt == "xml" or body.lstrip()[:1] == b"<":
            from ..core import xmlcodec  # loads on first use: most servers speak JSON

            return xmlcodec.loads(body)
        return json.loads(body)
    except (ValueError, RecursionError):
        raise ServerError(
            "The server sent an activity feed that is not valid JSON or XML. "
            "Check the base URL points at the LearningStudio API.",
            method="GET",
            url=url,
        ) from None


# ---------------------------------------------------------------------- activity clock


def _ping_segments(user: str | int, course_id: str | int, item_id: str | int) -> list[str]:
    course = _numeric(
        course_id, "course id", " The activity clock needs the numeric course id (no ccn=)."
    )
    item = _numeric(item_id, "content item id")
    return [*_user_segments(user, allow_loginid=False), "courses", course, "items", item]


def begin_ping(
    client: LearningStudioClient, course_id: str | int, item_id: str | int, user: str | int = "me"
) -> None:
    """Start the time-on-task clock on a content item (moving items needs no endping)."""
    client.post_document(*_ping_segments(user, course_id, item_id), "activity", "beginping")


def end_ping(
    client: LearningStudioClient, course_id: str | int, item_id: str | int, user: str | int = "me"
) -> bool:
    """Stop the time-on-task clock. Returns False (and logs) when none was running.

    The API answers 400 when no clock runs: that is not the user's problem, so it is not
    raised. Every other failure is.
    """
    segments = _ping_segments(user, course_id, item_id)
    try:
        client.post_document(*segments, "activity", "endping")
    except RejectedInputError as exc:
        if exc.status != 400:
            raise
        log.info("endping on item %s: no activity clock was running (%s)", item_id, exc.detail)
        return False
    return True
