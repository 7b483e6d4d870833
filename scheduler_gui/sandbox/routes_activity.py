"""Time-on-task pings (beginping/endping) and the Last Activity Feed v2."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from starlette.responses import Response

from scheduler_gui.core.times import TimestampError, format_timestamp, parse_timestamp

from . import facts
from .auth import OAUTH2, Principal
from .context import Ctx, Route, resolve_course, resolve_user
from .seed import ACTIVITY_TYPES
from .wire import ApiError, bad_request, no_content, render

PING_ROLES = ("PROF", "TAST", "STUD")
FEED_ROLES = ("PROF", "TAST", "STUD")


def _ping_target(ctx: Ctx) -> tuple[int, int, int]:
    """(user, course, item) of a ping; the API takes no overloads but ``/me`` (OAuth 2)."""
    user_id = resolve_user(ctx, ctx.params["user"], allow_loginid=False)
    course = resolve_course(ctx, ctx.params["course"], allow_overload=False)
    course_id = int(course["course_id"])
    principal = ctx.principal()
    if principal.protocol == OAUTH2:
        if principal.role not in PING_ROLES:
            raise ApiError(403, f"the role {principal.role} may not track time", "forbidden")
        if principal.user_id != user_id:
            raise ApiError(403, "you may track time only for yourself", "forbidden")
    if ctx.store.enrollment_role(user_id, course_id) is None:
        raise ApiError(403, f"user {user_id} is not enrolled in course {course_id}", "forbidden")
    raw_item = ctx.params["item"]
    if not raw_item.isdigit() or ctx.store.item(course_id, int(raw_item)) is None:
        raise ApiError(404, f"no content item {raw_item} in course {course_id}", "not_found")
    return user_id, course_id, int(raw_item)


async def begin_ping(ctx: Ctx) -> Response:
    """Start the clock; starting it on another item simply moves it."""
    user_id, course_id, item_id = _ping_target(ctx)
    now = ctx.state.now()
    with ctx.store.transaction() as conn:
        _stop_clock(conn, user_id, now)
        conn.execute("INSERT INTO clocks VALUES (?, ?, ?, ?)", (user_id, course_id, item_id, now))
    return no_content()


async def end_ping(ctx: Ctx) -> Response:
    """Stop the clock; it must be running (a clock runs out after 45 minutes)."""
    user_id, course_id, _ = _ping_target(ctx)
    now = ctx.state.now()
    with ctx.store.transaction() as conn:
        clock = conn.execute(
            "SELECT started FROM clocks WHERE user_id = ? AND course_id = ?",
            (user_id, course_id),
        ).fetchone()
        if clock is None or now - clock["started"] > facts.CLOCK_LIFETIME:
            _stop_clock(conn, user_id, now)
            raise bad_request(
                "there is no active activity clock for this user and course:"
                " call beginping first (a clock stops by itself after 45 minutes)",
                "no_active_clock",
            )
        _stop_clock(conn, user_id, now)
    return no_content()


def _stop_clock(conn: sqlite3.Connection, user_id: int, now: float) -> None:
    """Record the running clock's time (at most 45 minutes) and remove it."""
    clock = conn.execute("SELECT * FROM clocks WHERE user_id = ?", (user_id,)).fetchone()
    if clock is None:
        return
    seconds = min(now - clock["started"], facts.CLOCK_LIFETIME)
    conn.execute(
        "INSERT INTO time_on_task VALUES (?, ?, ?, ?)",
        (user_id, clock["course_id"], clock["item_id"], seconds),
    )
    conn.execute("DELETE FROM clocks WHERE user_id = ?", (user_id,))


# --- Last Activity Feed ---------------------------------------------------------------


def _filters(ctx: Ctx) -> tuple[set[int] | None, set[str] | None, str | None, str | None]:
    courses = types = None
    raw_courses = ctx.query("courseid")
    if raw_courses:
        parts = [part.strip() for part in raw_courses.split(",") if part.strip()]
        if not all(part.isdigit() for part in parts):
            raise bad_request(
                "courseid takes numeric course IDs separated by commas (no call numbers)",
                "invalid_course_id",
            )
        courses = {int(part) for part in parts}
    raw_types = ctx.query("types")
    if raw_types:
        types = {part.strip() for part in raw_types.split(",") if part.strip()}
        unknown = types - set(ACTIVITY_TYPES)
        if unknown:
            raise bad_request(
                f"unknown activity types {sorted(unknown)}: use {', '.join(ACTIVITY_TYPES)}",
                "invalid_type",
            )
    bounds = []
    for name in ("after", "before"):
        raw = ctx.query(name)
        try:
            bounds.append(format_timestamp(parse_timestamp(raw)) if raw else None)
        except TimestampError as exc:
            raise bad_request(f"{name}: {exc}", "invalid_date") from None
    return courses, types, bounds[0], bounds[1]


def _check_feed_access(
    ctx: Ctx, principal: Principal, user_id: int, courses: set[int] | None
) -> None:
    """A user sees their own feed; a professor sees a student's if they share the courses."""
    if principal.protocol != OAUTH2 or principal.user_id is None:
        return
    if principal.role not in FEED_ROLES:
        raise ApiError(403, f"the role {principal.role} may not read activity feeds", "forbidden")
    if principal.user_id == user_id:
        return
    taught = {
        int(row["course_id"])
        for row in ctx.store.courses_of(principal.user_id)
        if row["enrolled_as"] == "PROF"
    }
    if not taught:
        raise ApiError(403, "only professors may read another user's feed", "forbidden")
    enrolled = {int(row["course_id"]) for row in ctx.store.courses_of(user_id)}
    wanted = enrolled if courses is None else courses
    if not wanted <= taught or not wanted <= enrolled:
        hint = "" if courses else "; name a shared course with courseid="
        raise ApiError(
            403,
            f"user {user_id} is enrolled in courses you do not teach{hint}",
            "forbidden",
        )


_OBJECT_PATHS = {
    "dropbox-submission": "dropboxbaskets/{target}/messages/{object}",
    "thread-post": "threads/{target}/posts/{object}",
    "thread-topic": "threads/topics/{object}",
    "grade": "gradebookItems/{target}/grades/{object}",
    "exam-submission": "exams/{target}/submissions/{object}",
    "remark": "remarks/{object}",
}


def _entry(row: sqlite3.Row, base: str) -> dict[str, Any]:
    course_id = int(row["course_id"])
    kind = str(row["type"])
    path = _OBJECT_PATHS[kind].format(target=row["target_ref"], object=row["object_ref"])
    course_url = f"{base}/courses/{course_id}"
    object_url = f"{course_url}/{path}"
    target_url = course_url if row["target_type"] == "course" else object_url.rsplit("/", 2)[0]
    extra = json.loads(row["extra"])
    obj: dict[str, Any] = {
        "courseId": course_id,
        "referenceId": int(row["object_ref"]),
        "id": object_url,
        "summary": str(row["summary"]),
        "objectType": kind,
    }
    target: dict[str, Any] = {
        "courseId": course_id,
        "referenceId": int(row["target_ref"]),
        "id": target_url,
        "title": str(row["target_title"]),
        "objectType": str(row["target_type"]),
    }
    if kind == "dropbox-submission":
        obj["attachments"] = []
    if kind == "grade":
        obj["letterGrade"] = extra.get("letterGrade")
        obj["pointsAchieved"] = extra.get("pointsAchieved")
        target["itemType"] = "exam"
        target["pointsPossible"] = extra.get("pointsPossible")
    if row["target_type"] == "exam":
        target["courseitemId"] = int(row["target_ref"])
    return {
        "id": object_url,
        "postedTime": str(row["posted"]),
        "actor": {
            "role": str(row["role"]),
            "referenceId": int(row["user_id"]),
            "id": f"{base}/users/{row['user_id']}",
            "title": f"{row['first_name']} {row['last_name']}",
            "objectType": "enrolled-user",
        },
        "verb": str(row["verb"]),
        "object": obj,
        "target": target,
    }


async def last_activity_feed(ctx: Ctx) -> Response:
    user_id = resolve_user(ctx, ctx.params["user"], allow_loginid=True)
    principal = ctx.principal()
    if ctx.query("v") != "2":
        return _feed_v1(ctx, user_id)
    courses, types, after, before = _filters(ctx)
    _check_feed_access(ctx, principal, user_id, courses)
    sql = (
        "SELECT a.*, e.role, u.first_name, u.last_name FROM activity a"
        " JOIN users u ON u.user_id = a.user_id"
        " JOIN enrollments e ON e.user_id = a.user_id AND e.course_id = a.course_id"
        " WHERE a.user_id = ?"
    )
    params: list[Any] = [user_id]
    if courses is not None:
        sql += f" AND a.course_id IN ({','.join('?' * len(courses))})"
        params += sorted(courses)
    if types is not None:
        sql += f" AND a.type IN ({','.join('?' * len(types))})"
        params += sorted(types)
    if after:
        sql += " AND a.posted > ?"
        params.append(after)
    if before:
        sql += " AND a.posted < ?"
        params.append(before)
    rows = ctx.store.all(sql + " ORDER BY a.posted DESC, a.activity_id DESC", params)
    base = ctx.base_url
    stream = {
        "title": f"Activity Feed for {user_id}",
        "items": [_entry(row, base) for row in rows],
        "lang": "en-us",
        "id": f"{base}/users/{user_id}/lastactivityfeed",
        "subject": {
            "referenceId": user_id,
            "id": f"{base}/users/{user_id}",
            "title": str(user_id),
            "objectType": "http://activitystrea.ms/schema/1.0/person",
        },
    }
    return render({"activityStream": stream}, ctx.fmt)


def _feed_v1(ctx: Ctx, user_id: int) -> Response:
    """Without ``v=2`` the deprecated v1 feed answers: another shape, no filters."""
    principal = ctx.principal()
    if principal.protocol == OAUTH2 and principal.user_id != user_id:
        raise ApiError(403, "the v1 feed shows only your own activity", "forbidden")
    rows = ctx.store.all(
        "SELECT activity_id, course_id, type, posted FROM activity WHERE user_id = ?"
        " ORDER BY posted DESC",
        (user_id,),
    )
    activities = [
        {
            "activityId": int(row["activity_id"]),
            "courseId": int(row["course_id"]),
            "activityType": str(row["type"]),
            "date": str(row["posted"]),
        }
        for row in rows
    ]
    return render({"lastActivities": activities}, ctx.fmt)


ROUTES: list[Route] = [
    ("POST", "/users/{user}/courses/{course}/items/{item}/activity/beginping", begin_ping),
    ("POST", "/users/{user}/courses/{course}/items/{item}/activity/endping", end_ping),
    ("GET", "/users/{user}/lastactivityfeed", last_activity_feed),
]
