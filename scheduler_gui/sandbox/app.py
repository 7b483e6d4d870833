"""The Starlette application: case-insensitive routing, formats, errors, fault layer."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route as StarletteRoute

from . import (
    routes_activity,
    routes_admin,
    routes_courses,
    routes_entry,
    routes_schedules,
    routes_token,
)
from .context import Ctx, Handler, Route
from .faults import FaultMiddleware
from .state import SandboxState
from .wire import ApiError, error_response, split_format

log = logging.getLogger(__name__)
METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]


def _compile(pattern: str) -> re.Pattern[str]:
    regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", pattern)
    return re.compile(f"^{regex}/?$", re.IGNORECASE)


def _with_me(routes: Sequence[Route]) -> list[Route]:
    """``/users/{user}/...`` routes also answer as ``/me/...`` (user = ``me``)."""
    expanded = list(routes)
    for method, pattern, handler in routes:
        if pattern.startswith("/users/{user}"):
            expanded.append((method, "/me" + pattern[len("/users/{user}") :], handler))
    return expanded


class Router:
    """Matches paths case-insensitively, after taking off a ``.json``/``.xml`` suffix."""

    def __init__(self, routes: Sequence[Route]) -> None:
        self.routes = [(m, _compile(p), h, p.startswith("/me")) for m, p, h in _with_me(routes)]

    def match(self, method: str, path: str) -> tuple[Handler, dict[str, str]]:
        allowed = False
        for route_method, regex, handler, is_me in self.routes:
            found = regex.match(path)
            if not found:
                continue
            if route_method != method:
                allowed = True
                continue
            params = found.groupdict()
            if is_me:
                params["user"] = "me"
            return handler, params
        if allowed:
            raise ApiError(405, f"{method} is not allowed on {path}", "method_not_allowed")
        raise ApiError(404, f"no such resource: {path}", "not_found")


async def capped_body(request: Request, state: SandboxState) -> bytes:
    """The request body, refused (413) past ``state.max_body_bytes``: by its declared
    length before anything is read, else as soon as the stream passes the limit."""
    limit = state.max_body_bytes
    declared = request.headers.get("content-length", "")
    too_big = ApiError(413, f"request body larger than {limit} bytes", "body_too_large")
    if declared.isdigit() and int(declared) > limit:
        raise too_big
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > limit:
            raise too_big
    return bytes(body)


def api_routes() -> list[Route]:
    return [
        *routes_token.ROUTES,
        *routes_schedules.ROUTES,
        *routes_courses.ROUTES,
        *routes_activity.ROUTES,
        *routes_entry.ROUTES,
        *routes_admin.ROUTES,
    ]


def create_app(state: SandboxState, extra_routes: Sequence[StarletteRoute] = ()) -> FaultMiddleware:
    """The sandbox as an ASGI app; ``extra_routes`` are served before the API routes."""
    router = Router(api_routes())

    async def dispatch(request: Request) -> Response:
        query = request.url.query
        state.requests.append((request.method, request.url.path + (f"?{query}" if query else "")))
        path, fmt = split_format(request.url.path)
        try:
            handler, params = router.match(request.method.upper(), path)
            ctx = Ctx(request, state, fmt, params, await capped_body(request, state))
            return await handler(ctx)
        except ApiError as error:
            return error_response(error, fmt)
        except Exception:
            log.exception("sandbox: unexpected error in %s %s", request.method, path)
            return error_response(ApiError(500, "internal sandbox error", "server_error"), fmt)

    app = Starlette(
        routes=[*extra_routes, StarletteRoute("/{path:path}", dispatch, methods=METHODS)]
    )
    return FaultMiddleware(app, state)
