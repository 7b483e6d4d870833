"""Helpers for the sandbox's own tests: a plain httpx client and OAuth 2 logins."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from tests.sandbox.helpers import password_form

Headers = dict[str, str]


@pytest.fixture
def client(sandbox: Any) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=sandbox.url, timeout=30) as http:
        yield http


@pytest.fixture
def login(client: httpx.Client) -> Callable[[str], Headers]:
    """``login("prof")`` -> the X-Authorization header of a fresh OAuth 2 token."""

    def headers(user: str) -> Headers:
        response = client.post(
            "/token",
            data=password_form(user),
        )
        assert response.status_code == 200, response.text
        return {"X-Authorization": f"Access_Token access_token={response.json()['access_token']}"}

    return headers


@pytest.fixture
def prof(login: Callable[[str], Headers]) -> Headers:
    return login("prof")


@pytest.fixture
def student(login: Callable[[str], Headers]) -> Headers:
    return login("student")
