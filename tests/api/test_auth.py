"""Authentication headers, byte for byte, and token handling over httpx.MockTransport.

OAuth 1 signatures are checked against ``../shared/oauth1-vectors.json``, computed by
running the vendor's own client libraries; the assertion-grant CMAC values were computed
independently with OpenSSL, e.g.
``printf '%s' "$BASE" | openssl mac -cipher AES-128-CBC -macopt key:$KEY -binary CMAC | base64``.
"""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, quote_plus

import httpx
import pytest

from scheduler_gui.api.auth import (
    OAuth1CmacAuth,
    OAuth2AssertionAuth,
    OAuth2PasswordAuth,
    build_assertion,
    cmac,
    signature_base_string,
)
from scheduler_gui.api.errors import AuthenticationError, ServerError
from tests.helpers import oauth1_vector_params, oauth1_vectors

KEY = "0123456789abcdef"
VECTORS = oauth1_vectors()  # ../shared/oauth1-vectors.json: the vendor libraries' answers


def vector_auth() -> OAuth1CmacAuth:
    """The signer with the vectors' credentials, timestamp and nonce."""
    credentials = VECTORS["credentials"]
    return OAuth1CmacAuth(
        credentials["token_key_moniker"],
        credentials["application_id"],
        credentials["shared_secret"],
        clock=lambda: float(VECTORS["timestamp"]),
        nonce=lambda: str(VECTORS["nonce"]),
    )


def expected_header(case: dict[str, Any]) -> str:
    """The vendor libraries' header: realm as is, every other value ``quote_plus``-ed."""
    realm = case["realm_host"] + case["path_and_query"].partition("?")[0]
    values = {**oauth1_vector_params(), "oauth_signature": case["signature"]}
    return f'OAuth realm="{realm}",' + ",".join(
        f'{name}="{quote_plus(value)}"' for name, value in values.items()
    )


def body_of(case: dict[str, Any]) -> bytes | None:
    return None if case["body"] is None else case["body"].encode("utf-8")


@pytest.mark.parametrize("case", VECTORS["cases"], ids=lambda case: case["id"])
def test_oauth1_base_string_and_header_match_the_vendor_libraries(case: dict[str, Any]) -> None:
    url = httpx.URL(case["realm_host"] + case["path_and_query"])
    body = body_of(case)
    base = signature_base_string(case["method"], url, oauth1_vector_params(), body)
    assert base == case["base_string"]
    assert vector_auth().header_value(case["method"], url, body) == expected_header(case)


@pytest.mark.parametrize("case", VECTORS["cases"], ids=lambda case: case["id"])
def test_oauth1_requests_carry_the_vendor_libraries_header(case: dict[str, Any]) -> None:
    """Through a real ``httpx.Client``: what goes on the wire is what was signed."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204)

    transport = httpx.MockTransport(handler)
    with httpx.Client(transport=transport, auth=vector_auth()) as client:
        client.request(
            case["method"], case["realm_host"] + case["path_and_query"], content=body_of(case)
        )
    (request,) = seen
    header = request.headers["X-Authorization"]
    assert header == expected_header(case)
    assert request.content == (body_of(case) or b"")
    signature = header.rpartition('oauth_signature="')[2].rstrip('"')
    assert "+" not in signature and "/" not in signature and "=" not in signature
    assert not any(name.lower() == "authorization" for name in request.headers)


def test_oauth1_post_without_a_body_signs_an_empty_body() -> None:
    """``body=`` is signed for every POST and PUT: no body and an empty body are alike."""
    (case,) = [c for c in VECTORS["cases"] if c["method"] == "POST" and c["body"] == ""]
    url = httpx.URL(case["realm_host"] + case["path_and_query"])
    assert signature_base_string("POST", url, oauth1_vector_params(), None) == case["base_string"]
    assert "%26body%3D%26" in case["base_string"]


def test_cmac_matches_rfc4493_empty_message_vector() -> None:
    key = bytes.fromhex("2b7e151628aed2a6abf7158809cf4f3c")
    assert cmac(key, "").hex() == "bb1d6929e95937287fa37d129b756746"


def test_cmac_refuses_a_secret_of_the_wrong_length() -> None:
    with pytest.raises(AuthenticationError, match="16, 24 or 32"):
        cmac("short", "x")


def test_assertion_string_ends_in_lowercase_hex_cmac() -> None:
    when = datetime(2011, 3, 8, 6, 59, tzinfo=UTC)
    assertion = build_assertion("MyApp", "moniker-1", "app-1", "gbtestc", "prof", KEY, when)
    assert assertion == (
        "MyApp|moniker-1|app-1|gbtestc|prof|2011-03-08T06:59:00Z|5aa784b08b05fe356ddec038aa6880f4"
    )


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class TokenServer:
    """A MockTransport handler: /token issues numbered tokens, /data wants the newest."""

    def __init__(self, lifetime: int = 3600, refresh: bool = True) -> None:
        self.lifetime = lifetime
        self.refresh = refresh
        self.issued = 0
        self.forms: list[dict[str, list[str]]] = []
        self.valid: set[str] = set()
        self.api_headers: list[str] = []
        self.lock = threading.Lock()

    def revoke_all(self) -> None:
        self.valid.clear()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/token":
            assert request.headers["content-type"] == "application/x-www-form-urlencoded"
            form = parse_qs(request.content.decode(), keep_blank_values=True)
            with self.lock:
                self.forms.append(form)
                if form["grant_type"] == ["refresh_token"] and form["refresh_token"][0] not in {
                    f"refresh-{n}" for n in range(1, self.issued + 1)
                }:
                    return httpx.Response(400, json={"error": {"message": "bad refresh"}})
                self.issued += 1
                token = f"access-{self.issued}"
                self.valid = {token}
            body = {"access_token": token, "expires_in": self.lifetime}
            if self.refresh:
                body["refresh_token"] = f"refresh-{self.issued}"
            return httpx.Response(200, json=body)
        header = request.headers.get("X-Authorization", "")
        self.api_headers.append(header)
        token = header.removeprefix("Access_Token access_token=")
        if token not in self.valid:
            return httpx.Response(401, json={"error": {"message": "expired", "errorId": "E401"}})
        return httpx.Response(200, json={"ok": token})


def password_auth(clock: FakeClock, password: str = "s3cret pw&=") -> OAuth2PasswordAuth:  # noqa: S107
    return OAuth2PasswordAuth(
        "https://api.example.test/", "app-1", "gbtestc", "prof", password, clock=clock
    )


def test_password_grant_form_and_access_token_header() -> None:
    server, clock = TokenServer(), FakeClock()
    with httpx.Client(transport=httpx.MockTransport(server), auth=password_auth(clock)) as client:
        assert client.get("https://api.example.test/data").json() == {"ok": "access-1"}
        client.get("https://api.example.test/data")
    assert server.forms == [
        {
            "grant_type": ["password"],
            "client_id": ["app-1"],
            "username": ["gbtestc\\prof"],
            "password": ["s3cret pw&="],
        }
    ]
    assert server.api_headers == ["Access_Token access_token=access-1"] * 2


def test_token_is_refreshed_shortly_before_it_expires() -> None:
    server, clock = TokenServer(lifetime=3600), FakeClock()
    with httpx.Client(transport=httpx.MockTransport(server), auth=password_auth(clock)) as client:
        client.get("https://api.example.test/data")
        clock.now += 3600 - 30  # inside the renewal margin, not yet expired
        assert client.get("https://api.example.test/data").json() == {"ok": "access-2"}
    assert server.forms[1] == {
        "grant_type": ["refresh_token"],
        "client_id": ["app-1"],
        "refresh_token": ["refresh-1"],
    }
    assert server.api_headers == [
        "Access_Token access_token=access-1",
        "Access_Token access_token=access-2",
    ]


def test_unexpected_401_refreshes_once_and_retries_the_request() -> None:
    server, clock = TokenServer(), FakeClock()
    with httpx.Client(transport=httpx.MockTransport(server), auth=password_auth(clock)) as client:
        client.get("https://api.example.test/data")
        server.revoke_all()  # the server forgot the token (restart, expiry)
        response = client.get("https://api.example.test/data")
    assert response.json() == {"ok": "access-2"}
    assert [f["grant_type"][0] for f in server.forms] == ["password", "refresh_token"]


def test_a_second_401_is_returned_not_looped() -> None:
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        if request.url.path == "/token":
            return httpx.Response(200, json={"access_token": "t", "refresh_token": "r"})
        return httpx.Response(401)

    auth = password_auth(FakeClock())
    with httpx.Client(transport=httpx.MockTransport(handler), auth=auth) as client:
        assert client.get("https://api.example.test/data").status_code == 401
    assert calls == ["/token", "/data", "/token", "/data"]


def test_refused_refresh_token_falls_back_to_a_fresh_login() -> None:
    server, clock = TokenServer(), FakeClock()
    auth = password_auth(clock)
    with httpx.Client(transport=httpx.MockTransport(server), auth=auth) as client:
        client.get("https://api.example.test/data")
        server.issued = 0  # every refresh token is now unknown
        auth.expire_now()
        assert client.get("https://api.example.test/data").status_code == 200
    assert [f["grant_type"][0] for f in server.forms] == ["password", "refresh_token", "password"]


def test_bad_password_raises_authentication_error_without_the_password() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        body = {"error": {"message": "The user name or password is incorrect.", "errorId": "AUTH1"}}
        return httpx.Response(400, json=body)

    auth = password_auth(FakeClock(), password="hunter2-secret")
    with (
        httpx.Client(transport=httpx.MockTransport(handler), auth=auth) as client,
        pytest.raises(AuthenticationError) as caught,
    ):
        client.get("https://api.example.test/data")
    error = caught.value
    assert error.status == 400 and error.error_id == "AUTH1" and error.exit_code == 3
    assert "incorrect" in error.detail
    for text in (str(error), error.detail, repr(error), repr(auth)):
        assert "hunter2-secret" not in text


def test_token_endpoint_5xx_is_a_server_error() -> None:
    auth = password_auth(FakeClock())
    transport = httpx.MockTransport(lambda request: httpx.Response(503, text="busy"))
    with httpx.Client(transport=transport, auth=auth) as client, pytest.raises(ServerError):
        client.get("https://api.example.test/data")


def test_assertion_grant_form_and_no_refresh_token() -> None:
    server, clock = TokenServer(refresh=False), FakeClock()
    auth = OAuth2AssertionAuth(
        "https://api.example.test",
        "app-1",
        "MyApp",
        "moniker-1",
        "gbtestc",
        "prof",
        KEY,
        clock=clock,
        now=lambda: datetime(2011, 3, 8, 6, 59, tzinfo=UTC),
    )
    with httpx.Client(transport=httpx.MockTransport(server), auth=auth) as client:
        client.get("https://api.example.test/data")
        clock.now += 4000
        assert client.get("https://api.example.test/data").json() == {"ok": "access-2"}
    expected = {
        "grant_type": ["assertion"],
        "assertion_type": ["urn:ecollege:names:moauth:1.0:assertion"],
        "assertion": [
            "MyApp|moniker-1|app-1|gbtestc|prof|2011-03-08T06:59:00Z|"
            "5aa784b08b05fe356ddec038aa6880f4"
        ],
    }
    assert server.forms == [expected, expected]


def test_threads_sharing_one_auth_log_in_once() -> None:
    server, clock = TokenServer(), FakeClock()
    auth = password_auth(clock)
    results: list[int] = []
    with httpx.Client(transport=httpx.MockTransport(server), auth=auth) as client:

        def work() -> None:
            results.append(client.get("https://api.example.test/data").status_code)

        threads = [threading.Thread(target=work) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert results == [200] * 6
    assert len(server.forms) == 1


def test_token_repr_hides_values() -> None:
    server, clock = TokenServer(), FakeClock()
    auth = password_auth(clock)
    with httpx.Client(transport=httpx.MockTransport(server), auth=auth) as client:
        client.get("https://api.example.test/data")
    assert "access-1" not in repr(auth.token) and "refresh-1" not in repr(auth.token)
    assert json.dumps(repr(auth)).count("s3cret") == 0
