"""Error mapping: status -> class and exit code, server bodies in any shape, no secrets."""

from __future__ import annotations

import pytest

from scheduler_gui.api.errors import (
    AuthenticationError,
    ConflictError,
    ForbiddenError,
    LearningStudioError,
    NetworkError,
    NotFoundError,
    RateLimitedError,
    RejectedInputError,
    ServerError,
    error_from_response,
    parse_error_body,
    safe_url,
)

URL = "https://api.example.test/courses/1/itemSchedules"


@pytest.mark.parametrize(
    ("status", "cls", "exit_code"),
    [
        (400, RejectedInputError, 1),
        (401, AuthenticationError, 3),
        (403, ForbiddenError, 3),
        (404, NotFoundError, 1),
        (406, RejectedInputError, 1),
        (409, ConflictError, 4),
        (429, RateLimitedError, 5),
        (500, ServerError, 5),
        (503, ServerError, 5),
    ],
)
def test_status_maps_to_class_and_exit_code(
    status: int, cls: type[LearningStudioError], exit_code: int
) -> None:
    error = error_from_response(status, b"", "GET", URL)
    assert type(error) is cls and error.exit_code == exit_code and error.status == status
    assert isinstance(error, LearningStudioError)
    # A user message of one or two sentences that says what to do.
    assert 1 <= str(error).count(". ") + 1 <= 2 and str(error).endswith(".")


def test_server_error_body_is_parsed_json_and_xml() -> None:
    body = b'{"error": {"message": "Course not found", "errorId": "NF-7"}}'
    error = error_from_response(404, body, "GET", URL)
    assert (error.server_message, error.error_id) == ("Course not found", "NF-7")
    assert "GET https://api.example.test/courses/1/itemSchedules" in error.detail
    assert "HTTP 404" in error.detail and "errorId NF-7" in error.detail
    xml = b"<error><message>Bad date</message><errorId>V1</errorId></error>"
    assert parse_error_body(xml) == ("Bad date", "V1")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"", ("", None)),
        (b"   ", ("", None)),
        (b"Service Unavailable", ("Service Unavailable", None)),
        (b"<html><body><h1>502 Bad Gateway</h1></body></html>", ("", None)),
        (b'{"error": "invalid_grant"}', ("invalid_grant", None)),
        (b'{"truncated": ', ('{"truncated":', None)),
        (b"\xff\xfe not utf8", ("\ufffd\ufffd not utf8", None)),
        (b"[1, 2]", ("[1, 2]", None)),
    ],
)
def test_odd_error_bodies_never_crash(body: bytes, expected: tuple[str, str | None]) -> None:
    assert parse_error_body(body) == expected


def test_urls_lose_secrets_and_user_info() -> None:
    url = "https://user:pw@api.example.test:8443/x?access_token=abc&v=2&password=p"
    assert safe_url(url) == "https://api.example.test:8443/x?access_token=***&v=2&password=***"
    error = NetworkError("", None, None, "GET", url)
    assert "abc" not in error.detail and "pw@" not in error.detail


def test_rate_limited_keeps_retry_after_and_cause_shows_in_detail() -> None:
    error = error_from_response(429, b"", "GET", URL, retry_after=12.0)
    assert isinstance(error, RateLimitedError) and error.retry_after == 12.0
    try:
        raise NetworkError("", None, None, "PUT", URL) from ConnectionResetError("reset by peer")
    except NetworkError as caught:
        assert "ConnectionResetError: reset by peer" in caught.detail
