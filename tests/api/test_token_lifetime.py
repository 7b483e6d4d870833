"""A token answer's ``expires_in`` of any size or shape: a usable login, never a traceback."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from scheduler_gui.api.auth import OAuth2PasswordAuth
from scheduler_gui.api.client import LearningStudioClient
from scheduler_gui.api.limits import MAX_TOKEN_LIFETIME


class Server:
    """Issues tokens with the given ``expires_in`` text; the API wants the newest."""

    def __init__(self, expires_in: str) -> None:
        self.expires_in = expires_in
        self.issued = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/token":
            self.issued += 1
            body = f'{{"access_token": "tok-{self.issued}", "expires_in": {self.expires_in}}}'
            return httpx.Response(200, content=body.encode())
        return httpx.Response(200, json={"me": {"userName": "prof"}})


@pytest.mark.parametrize(
    "expires_in",
    ["1" + "0" * 400, "1e400", "-1e400", "NaN", "Infinity", "-5", "null", "true", '"3600"', "{}"],
)
def test_any_expires_in_gives_a_working_login(expires_in: str) -> None:
    server = Server(expires_in)
    auth = OAuth2PasswordAuth("https://api.example.test", "app", "cs", "prof", "pw-123456")
    with LearningStudioClient(
        "https://api.example.test", auth, transport=httpx.MockTransport(server)
    ) as client:
        assert client.me()["userName"] == "prof"
        token = auth.token
        assert token is not None
        lifetime: Any = token.expires_at - auth._clock()
        assert 0 <= lifetime <= MAX_TOKEN_LIFETIME
        client.me()
    assert server.issued in (1, 2)  # at most one renewal for a lifetime under a second
