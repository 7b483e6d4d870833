"""Course entry (single sign-on URL) and the course home page the URL leads to."""

from __future__ import annotations

import html
import secrets
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlencode

from starlette.responses import HTMLResponse, Response

from . import facts
from .auth import OAUTH2
from .context import Ctx, Route, resolve_course, resolve_user
from .routes_schedules import effective_windows
from .wire import ApiError, bad_request, render

BODY_FORMS = ("courseEntry", "webEntry")  # the page's example and its request table


def _entry_fields(ctx: Ctx) -> Mapping[str, Any]:
    document = ctx.document()
    if not document:  # "Sending a request body is optional": no body, or an empty {}
        return {}
    if len(document) != 1 or next(iter(document)) not in BODY_FORMS:
        raise bad_request(
            'the body must be {"courseEntry": {"exitUrl", "logoutUrl"}} or'
            ' {"webEntry": {"sessionId", "exitUrl", "logoutUrl"}}'
        )
    fields = next(iter(document.values()))
    if fields in ("", None):
        return {}
    if not isinstance(fields, Mapping) or not all(
        isinstance(value, str) for value in fields.values()
    ):
        raise bad_request("exitUrl, logoutUrl and sessionId must be text")
    return fields


async def course_entry(ctx: Ctx) -> Response:
    user_id = resolve_user(ctx, ctx.params["user"], allow_loginid=True)
    course = resolve_course(ctx, ctx.params["course"], allow_overload=True)
    course_id = int(course["course_id"])
    principal = ctx.principal()
    if principal.protocol == OAUTH2 and principal.user_id != user_id and principal.role != "ADMN":
        raise ApiError(403, "you may enter courses only as yourself", "forbidden")
    user = ctx.store.user(user_id)
    assert user is not None  # resolve_user checked it
    if user["role"] != "ADMN" and ctx.store.enrollment_role(user_id, course_id) is None:
        raise ApiError(403, f"user {user_id} is not enrolled in course {course_id}", "forbidden")
    fields = _entry_fields(ctx)
    token = secrets.token_hex(16)
    session = fields.get("sessionId") or secrets.token_hex(16)
    ctx.store.execute(
        "INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?)",
        (
            token,
            user_id,
            course_id,
            ctx.state.now() + facts.ENTRY_URL_TTL,
            fields.get("exitUrl"),
            fields.get("logoutUrl"),
        ),
    )
    query = {
        "token": token,
        "redirectUrl": f"/courses/{course_id}/home",
        "createNewCookie": "true",
        "returnUrl": fields.get("exitUrl", ""),
        "logoutUrl": fields.get("logoutUrl", ""),
        "S": session,
    }
    url = f"{ctx.base_url}/launch/{token}?{urlencode(query, quote_via=quote)}"
    return render({"courseEntry": {"entryUrl": url}}, ctx.fmt)


_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>
<body>
<h1>{title}</h1>
<p>Welcome, {user}. You entered {code} through the LearningStudio sandbox.</p>
<h2>Course content</h2>
<ul>
{units}
</ul>
<p>{links}</p>
</body></html>
"""


def _page(status: int, title: str, message: str) -> HTMLResponse:
    body = (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f"</head><body><h1>{title}</h1><p>{message}</p></body></html>"
    )
    return HTMLResponse(body, status_code=status)


async def launch(ctx: Ctx) -> Response:
    """The course home page behind an entry URL (valid for 5 minutes)."""
    row = ctx.store.one("SELECT * FROM entries WHERE token = ?", (ctx.params["token"],))
    if row is None:
        return _page(404, "Unknown link", "This course link is not known. Ask for a new one.")
    if row["expires"] <= ctx.state.now():
        return _page(
            403, "Link expired", "Course links are valid for 5 minutes. Ask for a new one."
        )
    course = ctx.store.course(int(row["course_id"]))
    user = ctx.store.user(int(row["user_id"]))
    assert course is not None and user is not None
    items = ctx.store.items(int(row["course_id"]))
    windows = effective_windows(items, course)
    units = "\n".join(
        f"<li>{html.escape(item.title)} ({windows[item.item_id][0][:10]}"
        f" to {windows[item.item_id][1][:10]})</li>"
        for item in items
        if item.parent_id is None
    )
    links = " · ".join(
        f'<a href="{html.escape(url)}">{label}</a>'
        for label, url in (("Exit", row["exit_url"]), ("Log out", row["logout_url"]))
        if url
    )
    page = _PAGE.format(
        title=html.escape(str(course["title"])),
        code=html.escape(str(course["display_code"])),
        user=html.escape(f"{user['first_name']} {user['last_name']}"),
        units=units,
        links=links,
    )
    return HTMLResponse(page)


ROUTES: list[Route] = [
    ("POST", "/users/{user}/courses/{course}/courseEntry", course_entry),
    ("GET", "/launch/{token}", launch),
]
