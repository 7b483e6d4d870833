"""One exception root for everything the LearningStudio API can answer badly.

Each error carries what the user needs (``str(error)``: one or two sentences saying what
happened and what to do), what a developer needs (``detail``: method, URL without
secrets, status, the server's ``errorId`` and message) and the CLI exit code.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ..core.redaction import redact

#: Query parameters whose values never appear in messages or logs.
SECRET_PARAM = re.compile(r"token|password|secret|assertion|signature|key|code", re.IGNORECASE)
_MAX_SERVER_MESSAGE = 300


def safe_url(url: str) -> str:
    """``url`` without user info and with secret-looking query values replaced by ``***``."""
    try:
        parts = urlsplit(str(url))
    except ValueError:
        return "<unparseable URL>"
    netloc = parts.hostname or ""
    if parts.port:
        netloc += f":{parts.port}"
    query = urlencode(
        [
            (name, "***" if SECRET_PARAM.search(name) else value)
            for name, value in parse_qsl(parts.query, keep_blank_values=True)
        ],
        safe="*,",
    )
    return urlunsplit((parts.scheme, netloc, parts.path, query, ""))


class LearningStudioError(Exception):
    """Root of all API errors.

    Args:
        message: what to tell the user (one or two sentences, what to do included).
        status: the HTTP status, if a response came back.
        error_id: the server's ``errorId``, if it sent one.
        method: the HTTP method of the failed request.
        url: the request URL (secrets are removed before it is stored).
        server_message: the server's own ``message`` text.
    """

    exit_code = 5
    #: Said when no more specific message is known.
    advice = "The LearningStudio server could not complete the request. Try again later."

    def __init__(
        self,
        message: str = "",
        status: int | None = None,
        error_id: str | None = None,
        method: str | None = None,
        url: str | None = None,
        *,
        server_message: str = "",
    ) -> None:
        self.message = message or self.advice
        super().__init__(self.message)
        self.status = status
        self.error_id = redact(error_id) if error_id else error_id
        self.method = method
        self.url = safe_url(url) if url else None
        # A server may echo what it was sent (a password, a token): hidden here, so no
        # message, dialog, log or -v output can show it.
        self.server_message = redact(server_message[:_MAX_SERVER_MESSAGE])

    def __str__(self) -> str:
        return redact(self.message)

    @property
    def detail(self) -> str:
        """Technical detail for ``-v`` output and logs (never secrets)."""
        parts = []
        if self.method or self.url:
            parts.append(f"{self.method or ''} {self.url or ''}".strip())
        if self.status is not None:
            parts.append(f"HTTP {self.status}")
        if self.error_id:
            parts.append(f"errorId {self.error_id}")
        if self.server_message:
            parts.append(f"server said: {self.server_message}")
        cause = self.__cause__
        if cause is not None and not isinstance(cause, LearningStudioError):
            parts.append(f"cause: {type(cause).__name__}: {cause}")
        return redact("; ".join(parts))


class AuthenticationError(LearningStudioError):
    """401: not logged in, wrong password, or the token expired and could not be renewed."""

    exit_code = 3
    advice = (
        "LearningStudio did not accept the login. "
        "Check the user name, password and client string, then log in again."
    )


class ForbiddenError(LearningStudioError):
    """403: the user's role may not do this."""

    exit_code = 3
    advice = (
        "Your LearningStudio role is not allowed to do this. "
        "Ask a course administrator for professor, teaching assistant or administrator rights."
    )


class NotFoundError(LearningStudioError):
    """404: no such course, item or route."""

    exit_code = 1
    advice = "LearningStudio has no such course or item. Check the course id or call number."


class RejectedInputError(LearningStudioError):
    """400/406: the server refused what we sent."""

    exit_code = 1
    advice = (
        "LearningStudio refused the data that was sent. "
        "Check the schedule for missing items or bad dates and try again."
    )


class ConflictError(LearningStudioError):
    """The course changed on the server since the edit started (or HTTP 409)."""

    exit_code = 4
    advice = (
        "Someone changed this course on the server meanwhile. "
        "Reload it, or merge your changes, and save again."
    )


class RateLimitedError(LearningStudioError):
    """429 after all retries."""

    exit_code = 5
    advice = "LearningStudio is limiting requests right now. Wait a minute and try again."

    def __init__(self, *args: Any, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.retry_after = retry_after


class ServerError(LearningStudioError):
    """5xx after all retries."""

    exit_code = 5
    advice = (
        "The LearningStudio server had a problem and did not finish the request. "
        "Try again in a few minutes."
    )


class NetworkError(LearningStudioError):
    """No HTTP answer: DNS, refused or dropped connection, timeout, TLS failure."""

    exit_code = 5
    advice = (
        "Could not reach the LearningStudio server. "
        "Check the network connection and the base URL, then try again."
    )


_BY_STATUS: dict[int, type[LearningStudioError]] = {
    400: RejectedInputError,
    401: AuthenticationError,
    403: ForbiddenError,
    404: NotFoundError,
    406: RejectedInputError,
    409: ConflictError,
    412: ConflictError,
    422: RejectedInputError,
    429: RateLimitedError,
}


def error_class_for(status: int) -> type[LearningStudioError]:
    """The exception class for an HTTP error status."""
    if status in _BY_STATUS:
        return _BY_STATUS[status]
    if status >= 500:
        return ServerError
    if 400 <= status < 500:
        return RejectedInputError
    return LearningStudioError


def parse_error_body(body: bytes) -> tuple[str, str | None]:
    """``(message, errorId)`` from ``{"error": {"message", "errorId"}}`` in JSON or XML.

    Copes with empty, truncated, HTML or otherwise unexpected bodies: then the message
    is a short plain excerpt of the body (or empty) and the id is None.
    """
    text = body[:20_000].strip()
    if not text:
        return "", None
    document: Any = None
    try:
        if text[:1] == b"<":
            from ..core import xmlcodec  # loads on first use: most servers speak JSON

            document = xmlcodec.loads(text)
        else:
            document = json.loads(text)
    except (ValueError, RecursionError):
        document = None
    if isinstance(document, dict):
        error = document.get("error", document)
        if isinstance(error, dict):
            message = error.get("message") or error.get("error_description") or ""
            error_id = error.get("errorId") or error.get("error")
            return (
                str(message)[:_MAX_SERVER_MESSAGE],
                str(error_id) if error_id and not isinstance(error_id, dict) else None,
            )
        if isinstance(error, str):
            return error[:_MAX_SERVER_MESSAGE], None
    if text[:1] == b"<":  # an HTML error page: say nothing rather than markup
        return "", None
    plain = " ".join(text.decode("utf-8", "replace").split())
    return plain[:_MAX_SERVER_MESSAGE], None


def error_from_response(
    status: int,
    body: bytes,
    method: str,
    url: str,
    *,
    retry_after: float | None = None,
) -> LearningStudioError:
    """Build the typed error for an HTTP error answer."""
    server_message, error_id = parse_error_body(body)
    cls = error_class_for(status)
    kwargs: dict[str, Any] = {"server_message": server_message}
    if cls is RateLimitedError:
        kwargs["retry_after"] = retry_after
    return cls("", status, error_id, method, url, **kwargs)
