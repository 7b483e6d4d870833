"""Formats on the wire: the ``.json``/``.xml`` suffix, bodies, and the error shape."""

from __future__ import annotations

import json
from typing import Any

from starlette.responses import Response

from scheduler_gui.core import xmlcodec

JSON = "json"
XML = "xml"
_MEDIA = {JSON: "application/json", XML: "application/xml"}


class ApiError(Exception):
    """An error answered as ``{"error": {"message", "errorId"}}`` with an HTTP status."""

    def __init__(self, status: int, message: str, error_id: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.error_id = error_id


def bad_request(message: str, error_id: str = "invalid_request") -> ApiError:
    return ApiError(400, message, error_id)


def split_format(path: str) -> tuple[str, str]:
    """``/a/b.xml`` -> (``/a/b``, ``xml``); a blank suffix means JSON."""
    lowered = path.lower()
    for fmt in (JSON, XML):
        if lowered.endswith("." + fmt):
            return path[: -len(fmt) - 1], fmt
    return path, JSON


def render(document: dict[str, Any], fmt: str, status: int = 200) -> Response:
    """A body in the request's format (XML root = the JSON top-level key)."""
    if fmt == XML:
        body = xmlcodec.dumps(document)
    else:
        body = json.dumps(document, ensure_ascii=False).encode("utf-8")
    return Response(body, status_code=status, media_type=_MEDIA[fmt])


def error_response(error: ApiError, fmt: str = JSON) -> Response:
    document = {"error": {"message": error.message, "errorId": error.error_id}}
    response = render(document, fmt, error.status)
    if error.status == 401:
        response.headers["WWW-Authenticate"] = 'Access_Token realm="LearningStudio"'
    return response


def no_content() -> Response:
    return Response(status_code=204)


def _sniff(body: bytes) -> str | None:
    head = body.lstrip()[:1]
    if head == b"<":
        return XML
    if head in (b"{", b"["):
        return JSON
    return None


def parse_body(body: bytes, content_type: str, fmt: str) -> dict[str, Any] | None:
    """The request body as JSON-shaped data, or ``None`` when it is empty.

    The expected format is the route's suffix (blank = JSON). A body in another format,
    or one that does not parse, gets 406 as the API does.
    """
    if not body.strip():
        return None
    declared = content_type.split(";")[0].strip().lower()
    declared_fmt = XML if declared.endswith("xml") else JSON if declared.endswith("json") else None
    actual = _sniff(body)
    route = (
        f"this route takes {fmt.upper()} (the {'.xml' if fmt == XML else '.json or blank'} suffix)"
    )
    if declared_fmt not in (None, fmt):
        hint = (
            f"; the body itself is {fmt.upper()}: send it as {_MEDIA[fmt]}" if actual == fmt else ""
        )
        raise ApiError(
            406,
            f"the Content-Type {declared} names {declared_fmt.upper()}, but {route}{hint}",
            "not_acceptable",
        )
    if actual != fmt:
        said = f"is {actual.upper()}" if actual else "is neither JSON nor XML"
        raise ApiError(406, f"the request body {said}, but {route}", "not_acceptable")
    try:
        document = xmlcodec.loads(body) if fmt == XML else json.loads(body)
    except (xmlcodec.XmlFormatError, ValueError, RecursionError) as exc:
        raise ApiError(
            406, f"the request body is not valid {fmt.upper()}: {exc}", "not_acceptable"
        ) from None
    if not isinstance(document, dict):
        raise bad_request("the request body must be an object")
    return document
