"""Users and courses: ``/me``, ``/me/courses``, ``/courses/{id}``, items and their tree."""

from __future__ import annotations

import sqlite3
from typing import Any

from starlette.responses import Response

from . import facts
from .auth import OAUTH2
from .context import Ctx, Route, require_course_role, resolve_course, resolve_user
from .store import Item
from .wire import ApiError, bad_request, render

COURSE_ROLES = ("PROF", "TAST", "STUD", "ADMN")


def user_document(user: sqlite3.Row, base_url: str) -> dict[str, Any]:
    return {
        "id": int(user["user_id"]),
        "userName": str(user["user_name"]),
        "firstName": str(user["first_name"]),
        "lastName": str(user["last_name"]),
        "emailAddress": str(user["email"]),
        "clientString": facts.CLIENT_STRING,
        "links": [{"href": f"{base_url}/users/{user['user_id']}", "rel": "self"}],
    }


def course_document(course: sqlite3.Row, base_url: str) -> dict[str, Any]:
    course_id = int(course["course_id"])
    return {
        "id": course_id,
        "title": str(course["title"]),
        "displayCourseCode": str(course["display_code"]),
        "callNumbers": [str(course["call_number"])],
        "links": [
            {"href": f"{base_url}/courses/{course_id}/items", "rel": "items"},
            {"href": f"{base_url}/courses/{course_id}/itemHierarchy", "rel": "itemHierarchy"},
            {"href": f"{base_url}/courses/{course_id}/itemSchedules", "rel": "itemSchedules"},
        ],
    }


def item_document(item: Item, base_url: str) -> dict[str, Any]:
    return {
        "id": item.item_id,
        "title": item.title,
        "contentType": item.content_type,
        "links": [
            {"href": f"{base_url}/courses/{item.course_id}/items/{item.item_id}", "rel": "self"}
        ],
    }


async def get_me(ctx: Ctx) -> Response:
    principal = ctx.principal()
    if principal.protocol != OAUTH2 or principal.user_id is None:
        raise bad_request("/me works with OAuth 2 only", "me_not_supported")
    user = ctx.store.user(principal.user_id)
    assert user is not None  # tokens belong to existing users
    return render({"me": user_document(user, ctx.base_url)}, ctx.fmt)


async def get_user_courses(ctx: Ctx) -> Response:
    user_id = resolve_user(ctx, ctx.params["user"], allow_loginid=True)
    principal = ctx.principal()
    if principal.protocol == OAUTH2 and principal.user_id != user_id and principal.role != "ADMN":
        raise ApiError(403, "you may list only your own courses", "forbidden")
    courses = [
        {
            "id": int(course["course_id"]),
            "links": [{"href": f"{ctx.base_url}/courses/{course['course_id']}", "rel": "related"}],
        }
        for course in ctx.store.courses_of(user_id)
    ]
    return render({"courses": courses}, ctx.fmt)


def _course(ctx: Ctx) -> sqlite3.Row:
    course = resolve_course(ctx, ctx.params["course"], allow_overload=True)
    require_course_role(ctx, int(course["course_id"]), COURSE_ROLES)
    return course


async def get_course(ctx: Ctx) -> Response:
    return render({"courses": [course_document(_course(ctx), ctx.base_url)]}, ctx.fmt)


async def get_items(ctx: Ctx) -> Response:
    course = _course(ctx)
    items = ctx.store.items(int(course["course_id"]))
    return render({"items": [item_document(item, ctx.base_url) for item in items]}, ctx.fmt)


async def get_item(ctx: Ctx) -> Response:
    course = _course(ctx)
    raw_id = ctx.params["item"]
    item = ctx.store.item(int(course["course_id"]), int(raw_id)) if raw_id.isdigit() else None
    if item is None:
        raise ApiError(404, f"no item {raw_id} in course {course['course_id']}", "not_found")
    return render({"items": [item_document(item, ctx.base_url)]}, ctx.fmt)


async def get_hierarchy(ctx: Ctx) -> Response:
    """The item tree: units hold their children under ``items``, in course order."""
    course = _course(ctx)
    items = ctx.store.items(int(course["course_id"]))
    nodes = {item.item_id: item_document(item, ctx.base_url) for item in items}
    roots: list[dict[str, Any]] = []
    for item in items:
        parent = nodes.get(item.parent_id) if item.parent_id is not None else None
        siblings = roots if parent is None else parent.setdefault("items", [])
        siblings.append(nodes[item.item_id])
    return render({"itemHierarchy": {"items": roots}}, ctx.fmt)


ROUTES: list[Route] = [
    ("GET", "/me", get_me),
    ("GET", "/users/{user}/courses", get_user_courses),
    ("GET", "/courses/{course}", get_course),
    ("GET", "/courses/{course}/items", get_items),
    ("GET", "/courses/{course}/items/{item}", get_item),
    ("GET", "/courses/{course}/itemHierarchy", get_hierarchy),
]
