"""Per-request context and the access rules shared by the routes (overloads, roles)."""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from . import facts
from .auth import OAUTH2, Principal, SignedRequest, authenticate
from .state import SandboxState
from .store import Store
from .wire import ApiError, bad_request, parse_body


@dataclass
class Ctx:
    """One request: its format (from the suffix), path parameters and body."""

    request: Request
    state: SandboxState
    fmt: str
    params: dict[str, str]
    body: bytes
    _principal: Principal | None = field(default=None, repr=False)

    @property
    def store(self) -> Store:
        return self.state.store

    @property
    def base_url(self) -> str:
        """Where this sandbox is reached (links in bodies point back to it)."""
        return str(self.request.base_url).rstrip("/")

    def principal(self) -> Principal:
        """Authenticate the request (once), or raise 401."""
        if self._principal is None:
            header = self.request.headers.get("x-authorization", "")
            signed = SignedRequest(
                method=self.request.method.upper(),
                raw_path=self.request.scope.get("raw_path", b"").decode("latin-1")
                or self.request.url.path,
                raw_query=self.request.scope.get("query_string", b"").decode("latin-1"),
                body=self.body,
                header=header,
            )
            self._principal = authenticate(self.state, header, signed)
        return self._principal

    def document(self) -> dict[str, Any] | None:
        """The body as JSON-shaped data (406 when in the wrong format)."""
        return parse_body(self.body, self.request.headers.get("content-type", ""), self.fmt)

    def query(self, name: str) -> str | None:
        """A query parameter, its name matched case-insensitively."""
        for key, value in self.request.query_params.multi_items():
            if key.lower() == name.lower():
                return value
        return None


Handler = Callable[[Ctx], Awaitable[Response]]
Route = tuple[str, str, Handler]  # method, path pattern, handler


def resolve_course(ctx: Ctx, segment: str, *, allow_overload: bool) -> sqlite3.Row:
    """The course a path segment names: a numeric ID, or ``ccn={callNumber}`` if allowed."""
    if segment.lower().startswith("ccn="):
        if not allow_overload:
            raise bad_request(
                "this route does not support the ccn= overload: use the numeric course ID",
                "overload_not_supported",
            )
        course = ctx.store.course_by_call_number(segment[4:])
        if course is None:
            raise ApiError(404, f"no course with call number {segment[4:]!r}", "not_found")
        return course
    if not segment.isdigit():
        raise bad_request(f"{segment!r} is not a course ID", "invalid_course_id")
    course = ctx.store.course(int(segment))
    if course is None:
        raise ApiError(404, f"no course {segment}", "not_found")
    return course


def resolve_user(ctx: Ctx, segment: str, *, allow_loginid: bool) -> int:
    """The user a path segment names: an ID, ``me`` (OAuth 2), or ``loginid=`` if allowed."""
    principal = ctx.principal()
    if segment == "me":
        if principal.protocol != OAUTH2 or principal.user_id is None:
            raise bad_request("/me works with OAuth 2 only: name the user ID", "me_not_supported")
        return principal.user_id
    if segment.lower().startswith("loginid="):
        if not allow_loginid:
            raise bad_request(
                "this route does not support the loginid overload", "overload_not_supported"
            )
        client, _, user_name = segment[8:].partition("|")
        user = ctx.store.user_by_name(user_name)
        if client.lower() != facts.CLIENT_STRING or user is None:
            raise ApiError(404, f"no user {segment[8:]!r}", "not_found")
        return int(user["user_id"])
    if not segment.isdigit():
        raise bad_request(f"{segment!r} is not a user ID", "invalid_user_id")
    if ctx.store.user(int(segment)) is None:
        raise ApiError(404, f"no user {segment}", "not_found")
    return int(segment)


def require_course_role(ctx: Ctx, course_id: int, roles: Collection[str]) -> Principal:
    """403 unless the caller may use this course in one of ``roles`` (OAuth 1: always)."""
    principal = ctx.principal()
    if principal.protocol != OAUTH2 or principal.user_id is None:
        return principal
    if principal.role == "ADMN":
        if "ADMN" in roles:
            return principal
        raise ApiError(403, "administrators may not use this API", "forbidden")
    role = ctx.store.enrollment_role(principal.user_id, course_id)
    if role is None:
        raise ApiError(403, f"you are not enrolled in course {course_id}", "forbidden")
    if role not in roles:
        raise ApiError(403, f"the role {role} may not use this API", "forbidden")
    return principal
