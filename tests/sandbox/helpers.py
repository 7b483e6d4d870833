"""What the sandbox tests share: error-body checks, grant forms and the PUT body."""

from __future__ import annotations

import copy
from typing import Any

import httpx


def error_of(response: httpx.Response) -> dict[str, str]:
    """The ``{"error": {"message", "errorId"}}`` body, checked for its shape."""
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"message", "errorId"}
    assert body["error"]["message"]
    return dict(body["error"])


def password_form(user: str) -> dict[str, str]:
    """The OAuth 2 password-grant form for a seeded sandbox user (password = user name)."""
    return {
        "grant_type": "password",
        "client_id": "sandbox-app",
        "username": f"sandbox\\{user}",
        "password": user,
    }


def token_headers(url: str, user: str = "prof") -> dict[str, str]:
    """The X-Authorization header of a fresh OAuth 2 token for a seeded user at ``url``."""
    token = httpx.post(f"{url}/token", data=password_form(user)).json()["access_token"]
    return {"X-Authorization": f"Access_Token access_token={token}"}


def refresh_form(refresh_token: str) -> dict[str, str]:
    """The OAuth 2 refresh-grant form for the sandbox's application."""
    return {
        "grant_type": "refresh_token",
        "client_id": "sandbox-app",
        "refresh_token": refresh_token,
    }


def put_body(document: dict[str, Any]) -> dict[str, Any]:
    """The page's PUT shape from a GET body: itemId + schedule; inherited items sent
    without start/end so that they keep inheriting."""
    entries = []
    for item in document["itemSchedules"]:
        schedule = copy.deepcopy(item["schedule"])
        access = schedule["accessSchedule"]
        if access.pop("isInherited", False):
            access.pop("startDateTime")
            access.pop("endDateTime")
        entries.append({"itemId": item["itemId"], "schedule": schedule})
    return {"itemSchedules": entries}
