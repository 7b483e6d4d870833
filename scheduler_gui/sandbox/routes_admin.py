"""Control routes for tests and demos (``/_sandbox/...``): no authentication, no faults.

- ``GET /_sandbox/faults``: the faults still pending;
  ``POST /_sandbox/faults`` ``{"spec": "status429=2@PUT"}``: replace the plan;
  ``DELETE /_sandbox/faults``: clear it.
- ``POST /_sandbox/touch/{courseId}``: someone else changes the course now.
- ``POST /_sandbox/reset``: fresh seed data, no faults, default TTL, real clock.
- ``POST /_sandbox/clock`` ``{"advance": seconds}``: move the sandbox's clock forward.
- ``POST /_sandbox/tokens`` ``{"ttl": seconds}`` and/or ``{"expire": true}``.

A web page the user visits must not drive these (a reset or a fault plan is one form
post away): a request from a browser page of another origin (its ``Origin`` is not the
sandbox's own, or ``Sec-Fetch-Site`` says cross-site) is refused with 403. Tools that
send no ``Origin`` (curl, tests) are served as before.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.responses import JSONResponse, Response

from .context import Ctx, Handler, Route
from .faults import FaultSpecError
from .wire import ApiError, bad_request


def _json(ctx: Ctx) -> dict[str, Any]:
    try:
        document = json.loads(ctx.body or b"{}")
    except ValueError:
        raise bad_request("send a JSON object") from None
    if not isinstance(document, dict):
        raise bad_request("send a JSON object")
    return document


async def get_faults(ctx: Ctx) -> Response:
    return JSONResponse({"faults": ctx.state.faults.describe()})


async def set_faults(ctx: Ctx) -> Response:
    spec = _json(ctx).get("spec", "")
    if not isinstance(spec, str):
        raise bad_request('send {"spec": "NAME=NUMBER[@METHOD][:PATH],..."}')
    try:
        ctx.state.faults.set(spec)
    except FaultSpecError as exc:
        raise bad_request(str(exc), "invalid_fault_spec") from None
    return JSONResponse({"faults": ctx.state.faults.describe()})


async def clear_faults(ctx: Ctx) -> Response:
    ctx.state.faults.clear()
    return Response(status_code=204)


async def touch(ctx: Ctx) -> Response:
    return JSONResponse(ctx.state.touch_course(ctx.params["course"]))


async def reset(ctx: Ctx) -> Response:
    ctx.state.reset()
    return Response(status_code=204)


async def clock(ctx: Ctx) -> Response:
    advance = _json(ctx).get("advance", 0)
    if not isinstance(advance, int | float) or advance < 0:
        raise bad_request('send {"advance": seconds} with seconds >= 0')
    ctx.state.advance_clock(float(advance))
    return JSONResponse({"now": ctx.state.now()})


async def tokens(ctx: Ctx) -> Response:
    document = _json(ctx)
    ttl = document.get("ttl")
    if ttl is not None:
        if not isinstance(ttl, int) or ttl < 1:
            raise bad_request('send {"ttl": seconds} with seconds >= 1')
        ctx.state.token_ttl = ttl
    if document.get("expire"):
        ctx.state.expire_all_tokens()
    return JSONResponse({"ttl": ctx.state.token_ttl})


def same_origin_only(handler: Handler) -> Handler:
    """``handler``, refusing (403) requests a page of another origin made."""

    async def guarded(ctx: Ctx) -> Response:
        headers = ctx.request.headers
        origin = headers.get("origin")
        own = f"{ctx.request.url.scheme}://{headers.get('host', '')}".lower()
        cross = origin is not None and origin.rstrip("/").lower() != own
        if cross or headers.get("sec-fetch-site", "").lower() in ("cross-site", "same-site"):
            raise ApiError(
                403,
                "cross-origin requests to the sandbox's control routes are refused",
                "cross_origin",
            )
        return await handler(ctx)

    return guarded


ROUTES: list[Route] = [
    (method, path, same_origin_only(handler))
    for method, path, handler in [
        ("GET", "/_sandbox/faults", get_faults),
        ("POST", "/_sandbox/faults", set_faults),
        ("DELETE", "/_sandbox/faults", clear_faults),
        ("POST", "/_sandbox/touch/{course}", touch),
        ("POST", "/_sandbox/reset", reset),
        ("POST", "/_sandbox/clock", clock),
        ("POST", "/_sandbox/tokens", tokens),
    ]
]
