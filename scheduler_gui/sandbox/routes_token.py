"""``POST /token``: OAuth 2 password, refresh_token and assertion grants."""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.responses import Response

from .auth import assertion_grant, password_grant, refresh_grant
from .context import Ctx, Route
from .wire import ApiError, bad_request, render

GRANTS = {
    "password": password_grant,
    "refresh_token": refresh_grant,
    "assertion": assertion_grant,
}


async def token(ctx: Ctx) -> Response:
    content_type = ctx.request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type and content_type != "application/x-www-form-urlencoded":
        raise ApiError(
            406, "send the token request as application/x-www-form-urlencoded", "not_acceptable"
        )
    form = dict(parse_qsl(ctx.body.decode("utf-8", "replace"), keep_blank_values=True))
    grant = GRANTS.get(form.get("grant_type", ""))
    if grant is None:
        raise bad_request(
            "grant_type must be password, refresh_token or assertion", "unsupported_grant_type"
        )
    response = render(grant(ctx.state, form), ctx.fmt)
    response.headers["Cache-Control"] = "no-store"
    return response


ROUTES: list[Route] = [("POST", "/token", token)]
