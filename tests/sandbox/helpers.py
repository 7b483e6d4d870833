"""Assertions shared by the sandbox tests."""

from __future__ import annotations

import httpx


def error_of(response: httpx.Response) -> dict[str, str]:
    """The ``{"error": {"message", "errorId"}}`` body, checked for its shape."""
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"message", "errorId"}
    assert body["error"]["message"]
    return dict(body["error"])
